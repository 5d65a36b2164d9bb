//! Ingest at archive scale, end to end through the real binary:
//! - `incident-map extract` on a folder of 10,000 article files (read, decode, extract on every
//!   core, merge the same events across articles, write JSON lines), with its peak memory;
//! - with a display (`xvfb-run cargo bench --bench ingest`): the real app opening a .jsonl of
//!   100,000 short reports, until it has read them all and saved its own screenshot, with its
//!   peak memory.
//!
//! The articles are made at run time from sentences written for this benchmark (French and
//! English, about the kinds of events the app reads) and the bundled gazetteer's towns of Mali,
//! by a seeded generator: the same corpus on every run. Nothing is read from ../shared.
//! `BENCH_ARTICLES` and `BENCH_REPORTS` change the sizes.

use incident_map::engine::gazetteer::{Gazetteer, PlaceKind};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_incident-map");

/// A deterministic generator (xorshift64*): the corpus must not change between runs.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// Sentences with slots: {town}, {other}, {day}, {month}, {n}. The first of each article
/// reports the event; the rest give context, a second event now and then.
const LEADS_FR: [&str; 6] = [
    "Le {day} {month} 2025, des hommes armés ont attaqué le village de {town}, tuant {n} civils.",
    "Des jihadistes du JNIM ont tendu une embuscade à un convoi de l'armée près de {town} le {day} {month} 2025, tuant {n} soldats.",
    "Le {day} {month} 2025, une frappe de drone de l'armée malienne a visé des combattants à {town}.",
    "Samedi {day} {month} 2025, un engin explosif a touché un véhicule de transport entre {town} et {other}.",
    "Des éléments de l'EIGS ont enlevé le chef du village de {other} à {town} le {day} {month} 2025.",
    "Des manifestants ont bloqué la route à {town} le {day} {month} 2025 pour dénoncer l'insécurité.",
];
const LEADS_EN: [&str; 5] = [
    "On {day} {month_en} 2025, suspected JNIM militants attacked a FAMa post in {town}, killing {n} soldiers.",
    "On {day} {month_en} 2025, gunmen on motorbikes killed {n} herders near {town}.",
    "Malian army and Africa Corps forces carried out airstrikes on {day} {month_en} 2025 around {town}.",
    "An IED struck a MINUSMA convoy on the road between {town} and {other} on {day} {month_en} 2025.",
    "Residents of {town} protested on {day} {month_en} 2025 against the blockade of the area.",
];
const CONTEXT: [&str; 10] = [
    "Selon des sources locales, les assaillants sont arrivés à moto avant de se replier vers {other}.",
    "Les habitants disent vivre dans la peur depuis plusieurs mois.",
    "Plusieurs greniers et boutiques ont été incendiés, selon un élu de la commune.",
    "L'armée a annoncé avoir renforcé sa présence dans la zone.",
    "Aucune revendication n'avait été publiée samedi soir.",
    "The road has been cut for weeks, residents said.",
    "Local officials said the toll could rise.",
    "Humanitarian groups reported that dozens of families fled towards {other}.",
    "The area has seen repeated attacks since the start of the year.",
    "Une source sécuritaire a confirmé l'attaque sans donner de bilan.",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn fill(template: &str, towns: &[&str], dice: &mut Dice) -> String {
    let month = dice.below(12);
    template
        .replace("{town}", dice.pick(towns))
        .replace("{other}", dice.pick(towns))
        .replace("{day}", &(1 + dice.below(28)).to_string())
        .replace("{month_en}", MONTHS_EN[month])
        .replace("{month}", MONTHS[month])
        .replace("{n}", &(2 + dice.below(30)).to_string())
}

/// An article of a title and four to nine sentences, in two or three paragraphs.
fn article(towns: &[&str], dice: &mut Dice) -> String {
    let french = dice.below(3) > 0;
    let lead = if french {
        dice.pick(&LEADS_FR)
    } else {
        dice.pick(&LEADS_EN)
    };
    let mut text = format!("{}\n\n{}", fill(lead, towns, dice), fill(lead, towns, dice));
    for k in 0..3 + dice.below(6) {
        text.push_str(if k % 3 == 2 { "\n\n" } else { " " });
        let sentence = if dice.below(8) == 0 {
            dice.pick(if french { &LEADS_FR } else { &LEADS_EN })
        } else {
            dice.pick(&CONTEXT)
        };
        text.push_str(&fill(sentence, towns, dice));
    }
    text.push('\n');
    text
}

fn towns() -> Vec<String> {
    Gazetteer::bundled()
        .places()
        .iter()
        .filter(|p| p.in_mali() && p.kind == PlaceKind::Town)
        .map(|p| p.name.clone())
        .collect()
}

/// Runs `command`, through /usr/bin/time when there is one; its wall time and peak RSS (MB).
fn measured(mut command: Command) -> (Duration, Option<f64>, std::process::Output) {
    let time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("ingest-bench-time-{}", std::process::id()));
    let mut run = if time.exists() {
        let mut run = Command::new(time);
        run.arg("-f").arg("%M").arg("-o").arg(&report);
        run.arg(command.get_program());
        run.args(command.get_args());
        for (key, value) in command.get_envs() {
            match value {
                Some(v) => run.env(key, v),
                None => run.env_remove(key),
            };
        }
        run
    } else {
        std::mem::replace(&mut command, Command::new("true"))
    };
    let start = Instant::now();
    let output = run.output().expect("the binary runs");
    let elapsed = start.elapsed();
    let rss = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    let _ = std::fs::remove_file(&report);
    (elapsed, rss, output)
}

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let towns = towns();
    let towns: Vec<&str> = towns.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().expect("a temporary folder");

    let n = count("BENCH_ARTICLES", 10_000);
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(&articles).expect("created");
    let mut dice = Dice(0x1d_2025);
    let mut bytes = 0;
    for i in 0..n {
        let text = article(&towns, &mut dice);
        bytes += text.len();
        std::fs::write(articles.join(format!("article-{i:05}.txt")), text).expect("written");
    }
    println!(
        "{n} articles, {:.1} MB, written to a temporary folder",
        bytes as f64 / 1e6
    );
    let mut runs = Vec::new();
    for _ in 0..3 {
        let mut command = Command::new(BIN);
        command
            .arg("extract")
            .arg(&articles)
            .args(["--format", "jsonl", "-o"])
            .arg(dir.path().join("out.jsonl"));
        let (elapsed, rss, output) = measured(command);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        runs.push((elapsed, rss));
    }
    let incidents = std::fs::read_to_string(dir.path().join("out.jsonl"))
        .map(|s| s.lines().count())
        .unwrap_or(0);
    runs.sort_by_key(|r| r.0);
    let (median, rss) = runs[1];
    println!(
        "incident-map extract, {n} files, all cores: {:.2} s median of 3 ({:.2}–{:.2} s), {:.1} MB/s, {incidents} incidents, peak RSS {}",
        median.as_secs_f64(),
        runs[0].0.as_secs_f64(),
        runs[2].0.as_secs_f64(),
        bytes as f64 / 1e6 / median.as_secs_f64(),
        rss.map_or("not measured (no /usr/bin/time)".into(), |mb| format!(
            "{mb:.0} MB"
        )),
    );

    if std::env::var_os("DISPLAY").is_none() {
        println!("SKIPPED the app with 100,000 reports: no display (run under xvfb-run)");
        return;
    }
    let reports = count("BENCH_REPORTS", 100_000);
    let jsonl = dir.path().join("reports.jsonl");
    let mut lines = String::new();
    for i in 0..reports {
        let lead = if i % 3 == 0 {
            dice.pick(&LEADS_EN)
        } else {
            dice.pick(&LEADS_FR)
        };
        let line =
            serde_json::json!({ "id": i.to_string(), "text": fill(lead, &towns, &mut dice) });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&jsonl, &lines).expect("written");
    let shot = dir.path().join("shot.png");
    let mut command = Command::new(BIN);
    command
        .args(["--basemap", "offline"])
        .arg(&jsonl)
        .env("INCIDENT_MAP_SCREENSHOT", &shot)
        .env("INCIDENT_MAP_HOME", dir.path().join("home"));
    let (elapsed, rss, output) = measured(command);
    println!(
        "the app opening {reports} reports ({:.1} MB of .jsonl) until all are read and its screenshot saved: {:.1} s, peak RSS {} ({})",
        lines.len() as f64 / 1e6,
        elapsed.as_secs_f64(),
        rss.map_or("not measured".into(), |mb| format!("{mb:.0} MB")),
        if output.status.success() && shot.exists() {
            "screenshot saved"
        } else {
            "FAILED: no screenshot"
        }
    );
}
