//! The online geocoder against a real HTTP server on 127.0.0.1 that answers like Nominatim:
//! what it asks (name, country, format, User-Agent), its disk cache, its pace, and the
//! `extract --online-geocoder` run that places a village no gazetteer has.

use incident_map::io::nominatim::{Nominatim, USER_AGENT};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A server that answers `/search?q=Kanabougou...` with one place and anything else with no
/// result. Returns its base URL and the request heads it received.
fn server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let body = if head.starts_with("GET /search?q=Kanabougou") {
                r#"[{"osm_type":"node","osm_id":4242,"lat":"14.1234","lon":"-4.5678","name":"Kanabougou","display_name":"Kanabougou, Mopti, Mali"}]"#
            } else {
                "[]"
            };
            log.lock().expect("log").push(head);
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let mut stream = stream;
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (url, seen)
}

#[test]
fn asks_politely_once_per_name_and_caches_on_disk() {
    let (url, seen) = server();
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = dir.path().join("geocoder.json");

    let mut client = Nominatim::new(&url, Some(cache.clone())).expect("client");
    let hit = client
        .lookup("Kanabougou")
        .expect("answer")
        .expect("a place");
    assert_eq!((hit.lat, hit.lon), (14.1234, -4.5678));
    assert_eq!(hit.osm, "node/4242");
    {
        let heads = seen.lock().expect("log");
        let head = heads[0].to_lowercase();
        assert!(head.contains("countrycodes=ml"), "{head}");
        assert!(head.contains("format=jsonv2"), "{head}");
        assert!(
            head.contains(&format!("user-agent: {}", USER_AGENT.to_lowercase())),
            "{head}"
        );
    }
    // Asked again: from memory. A name the server does not know is remembered too.
    let started = Instant::now();
    assert!(client.lookup("kanabougou").expect("answer").is_some());
    assert_eq!(client.lookup("Nulle-Part").expect("answer"), None);
    assert_eq!(client.requests, 2);
    // One request a second, as the usage policy asks.
    assert!(
        started.elapsed().as_millis() >= 900,
        "{:?}",
        started.elapsed()
    );
    client.save().expect("cache written");

    // A new run reads the cache and asks nothing.
    let mut again = Nominatim::new(&url, Some(cache)).expect("client");
    assert!(again.lookup("Kanabougou").expect("answer").is_some());
    assert_eq!(again.lookup("Nulle-Part").expect("answer"), None);
    assert_eq!(again.requests, 0);
    assert_eq!(seen.lock().expect("log").len(), 2);
}

#[test]
fn a_server_that_is_down_is_an_error_not_a_hang() {
    // Bound, then closed: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut client = Nominatim::new(&format!("http://127.0.0.1:{port}"), None).expect("client");
    let error = client.lookup("Kanabougou").expect_err("no server");
    assert!(format!("{error:#}").contains("Kanabougou"), "{error:#}");
}

#[test]
fn extract_places_a_village_no_gazetteer_has() {
    let (url, _) = server();
    let dir = tempfile::tempdir().expect("temp dir");
    let article = dir.path().join("article.txt");
    std::fs::write(
        &article,
        "Le 3 mai 2024, des hommes armés ont attaqué le village de Kanabougou.",
    )
    .expect("article written");
    let run = |online: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_incident-map"));
        command.args(["extract", "--format", "jsonl"]);
        if online {
            command.args(["--online-geocoder", &url, "--geocoder-cache"]);
            command.arg(dir.path().join("cache.json"));
        }
        let output = command.arg(&article).output().expect("incident-map runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("UTF-8 output")
    };
    // Off by default: the village stays unlocated.
    let offline: serde_json::Value =
        serde_json::from_str(run(false).lines().next().expect("an incident")).expect("JSON");
    assert_eq!(offline["geometry"], serde_json::Value::Null);
    let online: serde_json::Value =
        serde_json::from_str(run(true).lines().next().expect("an incident")).expect("JSON");
    assert_eq!(
        online["geometry"]["coordinates"],
        serde_json::json!([-4.5678, 14.1234])
    );
    assert_eq!(online["properties"]["location_source"], "nominatim");
}
