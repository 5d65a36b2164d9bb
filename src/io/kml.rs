//! KML 2.2 for Google Earth: one Placemark per located incident, a Style per event type in
//! the app's colours, a TimeStamp (known to the day) or TimeSpan (to the week or month) so the
//! time slider works, the evidence and sources in the description, every field in ExtendedData.

use crate::engine::model::Incident;
use crate::io::export::properties;
use crate::palette::{EVENT_RGB, UNKNOWN_RGB};
use serde_json::Value;
use std::fmt::Write as _;
use std::io::Write;

/// Writes the located incidents; returns how many were left out for having no place.
pub fn write(out: &mut dyn Write, incidents: &[&Incident], title: &str) -> anyhow::Result<usize> {
    let mut kml = String::with_capacity(1024 + incidents.len() * 1500);
    kml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    kml.push_str("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    let _ = writeln!(kml, "<name>{}</name>", escape(title));
    let styles = EVENT_RGB
        .iter()
        .map(|(name, rgb)| (style_id(Some(name)), *rgb))
        .chain([(style_id(None), UNKNOWN_RGB)]);
    for (id, [r, g, b]) in styles {
        // KML colours are aabbggrr.
        let _ = writeln!(
            kml,
            "<Style id=\"{id}\"><IconStyle><color>ff{b:02x}{g:02x}{r:02x}</color><scale>0.9</scale>\
             <Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon>\
             </IconStyle><LabelStyle><scale>0</scale></LabelStyle></Style>"
        );
    }
    let mut unlocated = 0;
    for incident in incidents {
        let Some(location) = &incident.location else {
            unlocated += 1;
            continue;
        };
        placemark(&mut kml, incident, location.lon, location.lat);
    }
    kml.push_str("</Document>\n</kml>\n");
    out.write_all(kml.as_bytes())?;
    Ok(unlocated)
}

fn placemark(kml: &mut String, incident: &Incident, lon: f64, lat: f64) {
    let what = incident
        .sub_event_type
        .as_deref()
        .or(incident.event_type.as_deref())
        .unwrap_or("Incident");
    let place = incident
        .location
        .as_ref()
        .map_or("", |l| l.place.name.as_str());
    let _ = writeln!(kml, "<Placemark id=\"{}\">", escape(&xml_id(&incident.id)));
    let _ = writeln!(kml, "<name>{}</name>", escape(&format!("{what} · {place}")));
    match incident.period() {
        Some((a, b)) if a == b => {
            let _ = writeln!(kml, "<TimeStamp><when>{a}</when></TimeStamp>");
        }
        Some((a, b)) => {
            let _ = writeln!(kml, "<TimeSpan><begin>{a}</begin><end>{b}</end></TimeSpan>");
        }
        None => {}
    }
    let _ = writeln!(
        kml,
        "<styleUrl>#{}</styleUrl>",
        style_id(incident.event_type.as_deref())
    );
    let _ = writeln!(
        kml,
        "<description>{}</description>",
        escape(&description(incident))
    );
    kml.push_str("<ExtendedData>");
    for (key, value) in properties(incident) {
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s,
            Value::Array(a) if a.is_empty() => continue,
            other => other.to_string(),
        };
        let _ = write!(
            kml,
            "<Data name=\"{key}\"><value>{}</value></Data>",
            escape(&text)
        );
    }
    kml.push_str("</ExtendedData>\n");
    let _ = writeln!(
        kml,
        "<Point><coordinates>{lon:.6},{lat:.6}</coordinates></Point>\n</Placemark>"
    );
}

/// The balloon: date, actors, deaths, the evidence sentences and where they came from (HTML,
/// escaped once more as the element's text).
fn description(i: &Incident) -> String {
    let mut html = String::new();
    let field = |html: &mut String, label: &str, value: &str| {
        let _ = write!(html, "<b>{}</b>: {}<br/>", label, escape(value));
    };
    let date = match (&i.event_date, i.time_precision) {
        (Some(d), Some(2)) => format!("week of {d}"),
        (Some(d), Some(3)) => format!("month of {d}"),
        (Some(d), _) => d.clone(),
        (None, _) => "unknown".into(),
    };
    field(&mut html, "Date", &date);
    let actors = [&i.actor1, &i.actor2]
        .iter()
        .map(|a| a.as_deref().unwrap_or("unknown"))
        .collect::<Vec<_>>()
        .join(" vs ");
    field(&mut html, "Actors", &actors);
    let deaths = i.fatalities.map_or("unknown".into(), |n| n.to_string());
    field(&mut html, "Fatalities", &deaths);
    html.push_str("<p>");
    for e in &i.evidence {
        let _ = write!(
            html,
            "“{}” <i>({})</i><br/>",
            escape(&e.sentence),
            escape(&e.article_id)
        );
    }
    html.push_str("</p>");
    field(&mut html, "Sources", &i.sources.join("; "));
    html
}

/// A style id for an event type: "battles", "explosions_remote_violence", "unknown".
fn style_id(event_type: Option<&str>) -> String {
    match event_type.filter(|t| EVENT_RGB.iter().any(|(n, _)| n == t)) {
        Some(t) => t
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect(),
        None => "unknown".into(),
    }
}

/// An incident id as an XML id: letters, digits, '.', '-' and '_' only, not starting with a
/// digit.
fn xml_id(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("i_{cleaned}")
}

/// Text as XML character data (also fine inside attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
