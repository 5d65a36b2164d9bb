//! Synthetic news reports for the benchmarks, the same on every run: sentences written for
//! them (French and English, about the kinds of events the app reads) with the bundled
//! gazetteer's towns of Mali, dates and tolls drawn by a seeded generator. Nothing is read from
//! ../shared.
// Each benchmark that includes this file uses a part of it.
#![allow(dead_code)]

use incident_map::engine::gazetteer::{Gazetteer, PlaceKind};

/// A deterministic generator (xorshift64*): the corpus must not change between runs.
pub struct Dice(pub u64);

impl Dice {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// Sentences with slots: {town}, {other}, {day}, {month}, {n}. The first of each article
/// reports the event; the rest give context, a second event now and then.
pub const LEADS_FR: [&str; 6] = [
    "Le {day} {month} 2025, des hommes armés ont attaqué le village de {town}, tuant {n} civils.",
    "Des jihadistes du JNIM ont tendu une embuscade à un convoi de l'armée près de {town} le {day} {month} 2025, tuant {n} soldats.",
    "Le {day} {month} 2025, une frappe de drone de l'armée malienne a visé des combattants à {town}.",
    "Samedi {day} {month} 2025, un engin explosif a touché un véhicule de transport entre {town} et {other}.",
    "Des éléments de l'EIGS ont enlevé le chef du village de {other} à {town} le {day} {month} 2025.",
    "Des manifestants ont bloqué la route à {town} le {day} {month} 2025 pour dénoncer l'insécurité.",
];
pub const LEADS_EN: [&str; 5] = [
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

pub fn fill(template: &str, towns: &[&str], dice: &mut Dice) -> String {
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
pub fn article(towns: &[&str], dice: &mut Dice) -> String {
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

pub fn towns() -> Vec<String> {
    Gazetteer::bundled()
        .places()
        .iter()
        .filter(|p| p.in_mali() && p.kind == PlaceKind::Town)
        .map(|p| p.name.clone())
        .collect()
}

/// `n` one-sentence reports as .jsonl lines (`{"id": …, "text": …}`), two French to one English.
pub fn report_lines(n: usize, towns: &[&str], dice: &mut Dice) -> String {
    let mut lines = String::new();
    for i in 0..n {
        let lead = if i % 3 == 0 {
            dice.pick(&LEADS_EN)
        } else {
            dice.pick(&LEADS_FR)
        };
        let line = serde_json::json!({ "id": i.to_string(), "text": fill(lead, towns, dice) });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    lines
}
