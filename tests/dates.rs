//! Every date form the engine reads, French and English, against a fixed publication date:
//! Wednesday 11 June 2025.

use chrono::NaiveDate;
use incident_map::engine::dates::{self, Reference};
use incident_map::engine::normalize::fold;

const PUBLISHED: (i32, u32, u32) = (2025, 6, 11);

/// (text, expected date, time precision, year inferred)
const CASES: &[(&str, &str, u8, bool)] = &[
    (
        "L'attaque a eu lieu le 7 juin 2025 à l'aube.",
        "2025-06-07",
        1,
        false,
    ),
    ("Le camp a été pris le 24 novembre.", "2024-11-24", 1, true),
    (
        "Samedi 7 juin, plus aucun soldat n'était présent.",
        "2025-06-07",
        1,
        false,
    ),
    (
        "Communiqué du 07/06/2025 de l'état-major.",
        "2025-06-07",
        1,
        false,
    ),
    ("Le convoi est parti le 1er juillet.", "2024-07-01", 1, true),
    // Regression: ISO dates were never read, their hyphens being spaces once folded.
    ("Bulletin du 2025-06-07, 18h.", "2025-06-07", 1, false),
    (
        "The attack took place on June 7, 2025.",
        "2025-06-07",
        1,
        false,
    ),
    (
        "On 22 January 2020, gunmen attacked the post.",
        "2020-01-22",
        1,
        false,
    ),
    (
        "Gunmen attacked the village on Sunday.",
        "2025-06-08",
        1,
        false,
    ),
    (
        "Des hommes armés ont attaqué le marché hier.",
        "2025-06-10",
        1,
        false,
    ),
    ("Le poste a été attaqué avant-hier.", "2025-06-09", 1, false),
    (
        "L'embuscade a eu lieu dimanche dernier.",
        "2025-06-08",
        1,
        false,
    ),
    (
        "Deux attaques ont eu lieu cette semaine.",
        "2025-06-10",
        2,
        false,
    ),
    (
        "La semaine dernière, un convoi a été visé.",
        "2025-06-05",
        2,
        false,
    ),
    ("Début juin, les combats ont repris.", "2025-06-05", 3, true),
    (
        "Mi-juin, l'armée a lancé une offensive.",
        "2025-06-15",
        2,
        true,
    ),
    (
        "Fin novembre, la ville a été assiégée.",
        "2024-11-25",
        3,
        true,
    ),
    (
        "Depuis le 7 juin, l'armée mène une contre-offensive.",
        "2025-06-07",
        1,
        true,
    ),
    (
        "The post was attacked in the night of Saturday to Sunday.",
        "2025-06-07",
        1,
        false,
    ),
    (
        "Dans la nuit de samedi à dimanche, le poste a été attaqué.",
        "2025-06-07",
        1,
        false,
    ),
    (
        "On December 11-12, militants attacked two camps.",
        "2024-12-11",
        1,
        true,
    ),
    (
        "Around 25 July 2020 (between 24 - 26 July 2020), militants clashed.",
        "2020-07-25",
        1,
        false,
    ),
];

fn reference() -> Option<Reference> {
    let (y, m, d) = PUBLISHED;
    Some(Reference {
        date: NaiveDate::from_ymd_opt(y, m, d).expect("valid date"),
        published: true,
    })
}

#[test]
fn each_date_form_resolves_against_the_publication_date() {
    let mut failures = Vec::new();
    for (text, date, precision, inferred) in CASES {
        let found = dates::find(&fold(text), reference());
        match found.first() {
            Some(m)
                if m.date.to_string() == *date
                    && m.precision == *precision
                    && m.year_inferred == *inferred => {}
            other => failures.push(format!(
                "{text:?}: got {other:?}, expected {date} p{precision} inferred={inferred}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn less_than_a_week_after_counts_from_the_previous_date() {
    let text = "Le 7 juin 2025, l'armée a lancé une contre-offensive. Moins d'une semaine après, un dépôt a été détruit.";
    let found = dates::find(&fold(text), reference());
    let after = found.last().expect("two dates");
    assert_eq!(
        (after.date.to_string().as_str(), after.precision),
        ("2025-06-10", 2)
    );
}

#[test]
fn regression_names_that_contain_dates_are_not_dates() {
    for text in [
        "Supporters of the Movement of June 5 marched in Bamako.",
        "Le Mouvement du 5 juin a manifesté.",
    ] {
        assert_eq!(dates::find(&fold(text), reference()), Vec::new(), "{text}");
    }
}

#[test]
fn relative_dates_need_a_publication_date() {
    let today = Some(Reference {
        date: NaiveDate::from_ymd_opt(2026, 11, 21).expect("valid"),
        published: false,
    });
    for text in [
        "Le marché a été attaqué hier.",
        "Deux attaques ont eu lieu cette semaine.",
        "Gunmen attacked on Sunday.",
    ] {
        assert_eq!(
            dates::find(&fold(text), today),
            Vec::new(),
            "{text}: no publication date, no guess"
        );
    }
    // A weekday with its day and month fixes the year even so: 7 June was a Saturday in 2025.
    let found = dates::find(&fold("Samedi 7 juin, le camp était vide."), today);
    assert_eq!(found[0].date.to_string(), "2025-06-07");
    assert!(!found[0].year_inferred);
}
