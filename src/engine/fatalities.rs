//! How many were killed, by ACLED's rules: the lowest reported number ("au moins seize" → 16),
//! vague words mapped ("plusieurs" → 3, "une dizaine" → 10, "des dizaines" → 12, "des centaines"
//! → 100), the wounded never counted, and losses without a number left unknown.

use crate::engine::cues::re;
use crate::engine::normalize::window;
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::sync::LazyLock;

/// What a sentence says about deaths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deaths {
    /// A number of dead, with the words it was read from (byte range in the folded sentence).
    Count { dead: u32, text: String },
    /// Victims named one by one rather than counted ("the mayor was killed", "killed a herder
    /// and his son"): a figure that yields to any count the incident reports.
    Named { dead: u32, text: String },
    /// "Aucune victime", "no casualties": none.
    None { text: String },
    /// "De lourdes pertes", "casualties": deaths may have happened, the number is unknown.
    Unknown { text: String },
}

/// A number written in words or digits, with ACLED's readings of vague amounts.
fn number(word: &str) -> Option<u32> {
    if let Ok(n) = word.parse::<u32>() {
        return Some(n);
    }
    Some(match word {
        "un" | "une" | "one" | "a" | "an" => 1,
        "deux" | "two" | "both" => 2,
        "trois" | "three" | "plusieurs" | "several" | "quelques" | "few" | "some" | "many"
        | "nombreux" | "nombreuses" => 3,
        "quatre" | "four" => 4,
        "cinq" | "five" => 5,
        "six" => 6,
        "sept" | "seven" => 7,
        "huit" | "eight" => 8,
        "neuf" | "nine" => 9,
        "dix" | "ten" | "dizaine" => 10,
        "onze" | "eleven" => 11,
        "douze" | "twelve" | "douzaine" | "dozen" | "dizaines" | "dozens" => 12,
        "treize" | "thirteen" => 13,
        "quatorze" | "fourteen" => 14,
        "quinze" | "fifteen" | "quinzaine" => 15,
        "seize" | "sixteen" => 16,
        "dix sept" | "seventeen" => 17,
        "dix huit" | "eighteen" => 18,
        "dix neuf" | "nineteen" => 19,
        "vingt" | "twenty" | "vingtaine" | "score" => 20,
        "trente" | "thirty" | "trentaine" => 30,
        "quarante" | "forty" | "quarantaine" => 40,
        "cinquante" | "fifty" | "cinquantaine" => 50,
        "soixante" | "sixty" | "soixantaine" => 60,
        "cent" | "hundred" | "centaine" | "centaines" | "hundreds" => 100,
        _ => return None,
    })
}

const NUMBER: &str = r"(?P<n>\d+|a|an|dix (?:sept|huit|neuf)|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|cent|dizaines?|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaines?|plusieurs|quelques|nombreux|nombreuses|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundreds?|dozens?|several|both|a few|few)";
const DEATH: &str = r"(?:tues?|tuees?|morts?|mortes|decede(?:e|s|es)?|killed|dead|died|deaths?|fatalities|bodies|corps sans vie|cadavres|ont perdu la vie|lost their lives|perished|executes|executed|massacres?|assassines|assassinated)";

/// "(au moins) N [words] (ont été) tués", "N morts", "killing N", "faisant N morts", "death toll of N".
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?:(?P<q>au moins|at least|plus de|more than|over|pres de|nearly|around|about|environ|some|quelque|une|des|approximately|up to|jusqu'a|between|entre) )?{NUMBER}(?: (?:a|to|and|et|-) \d+)?(?P<between>(?: \(?[a-z']+\)?){{0,5}}?) (?:(?:ont ete|ont|were|have been|had been|was|sont|furent|etaient|reportedly|reported) )*{DEATH}\b|\b(?:killing|killed|tuant|faisant|leaving|left|death toll of|bilan de|toll of|bilan provisoire de|shot dead|executed) (?:(?:au moins|at least|plus de|more than|some|about|environ) )?{}\b",
        NUMBER.replace("?P<n>", "?P<n2>")
    ))
});
/// Stems of every word the patterns below need; a sentence without one reports nothing.
static DEATH_OR_LOSS_WORD: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let stems = [
        "tue",
        // "tuant trois soldats": the participle has no "tue" in it.
        "tuant",
        "mort",
        "decede",
        "kill",
        "dead",
        "died",
        "death",
        "fatalit",
        "bodies",
        "corps",
        "cadavre",
        "perdu la vie",
        "lost their",
        "perish",
        "execut",
        "massacr",
        "assassin",
        "victim",
        "pertes",
        "casualt",
        "losses",
        "unspecified",
        "unknown number",
        "indetermine",
        "bilan",
        "toll",
        "succomb",
        "lynch",
        "behead",
        "murder",
        "egorge",
        "abattu",
        "decapit",
        "blew",
        "fait exploser",
        "bomber",
    ];
    AhoCorasick::new(stems).ok()
});
/// A killing verb and a single victim: "killed the head of", "assassinated a griot", "a tué un berger".
static ONE_VICTIM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:killed|assassinated|executed|beheaded|decapitated|murdered|lynched|shot dead|stabbed to death|a tue|ont tue|assassine|execute|egorge|decapite|abattu) (?:a|an|the|one|un|une|le|la|l'|his|her|their|son|sa)(?: [a-z']+){0,2}? (?P<noun>[a-z']+)\b",
    )
});
/// One person, named by what they were: the singular nouns a victim is reported by.
const PERSON: &str = r"(?:man|woman|girl|boy|child|civilian|villager|soldier|officer|policeman|gendarme|guard|guardsman|peacekeeper|chief|leader|commander|mayor|deputy|prefect|subprefect|official|imam|cleric|scholar|marabout|teacher|student|pupil|trader|merchant|vendor|shopkeeper|driver|herder|herdsman|shepherd|farmer|fisherman|miner|worker|nurse|doctor|journalist|member|militant|jihadist|militiaman|fighter|assailant|gunman|individual|person|resident|passenger|apprentice|wife|husband|son|daughter|brother|father|mother|notable|councillor|councilor|customs officer|agent|head|secretary|president|legionnaire|parachutist|paratrooper|homme|femme|fille|garcon|enfant|civil|villageois|soldat|militaire|officier|policier|garde|casque bleu|chef|responsable|maire|adjoint|prefet|sous prefet|elu|commercant|chauffeur|berger|eleveur|cultivateur|pecheur|orpailleur|enseignant|eleve|infirmier|medecin|journaliste|membre|combattant|milicien|assaillant|individu|habitant|passager|epouse|mari|fils|frere|pere|mere|notable|conseiller|douanier|agent|gendarme)";

/// A single victim before a death verb: "a soldier was killed", "the mayor of Mondoro was
/// killed", "Malian army officer killed by unknown gunmen", "le chef du village a été tué".
static NAMED_VICTIM: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:^|\b(?P<det>a|an|the|one|his|her|their|its|another|un|une|le|la|l'|son|sa|leur|un autre|une autre) )(?:[a-z'-]+ ){{0,3}}?{PERSON}(?: (?:of|from|du|de la|de l'|des|de|d')(?: [a-z'-]+){{1,3}}?)?,? (?:who |qui )?(?:(?:was|has been|had been|is|were|later|reportedly|also|allegedly|subsequently|then|a ete|est|fut|a|aurait ete) )*(?:killed|assassinated|shot dead|executed|murdered|beheaded|died|succumbed|lynched|found dead|tue|tuee|assassine|assassinee|abattu|abattue|execute|executee|decede|decedee|mort|morte|succombe|egorge|egorgee)$"
    ))
});
/// A single victim after a killing word or a word of death: "killing the head of the office",
/// "the death of a Barkhane parachutist", "la mort d'un soldat".
static KILLED_ONE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:killed|killing|assassinated|executed|beheaded|murdered|lynched|shot dead|shot and killed|a tue|ont tue|tuant|assassine|execute|egorge|decapite|abattu|the death of|la mort d'|la mort de|le deces d'|le deces de) (?:a|an|the|one|his|her|their|its|un|une|le|la|l'|son|sa|leur)(?: [a-z'-]+){{0,3}}? {PERSON}\b(?P<rest>(?: [a-z'-]+){{0,4}}? (?:and|et) (?:another|a|an|the|his|her|their|un autre|une autre|un|une|le|la|l'|son|sa|leur)\b)?"
    ))
});
/// Every word of death the patterns above start or end on. The patterns run on a window at
/// each of these words only, which keeps their bounded repetitions off whole sentences.
static DEATH_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:killed|killing|assassinated|executed|beheaded|decapitated|murdered|lynched|shot dead|shot and killed|stabbed to death|the death of|died|succumbed|found dead|a tue|ont tue|tuant|tuee|tue|assassinee|assassine|executee|execute|egorgee|egorge|decapite|abattue|abattu|la mort d|le deces d|decedee|decede|morte|mort|succombe)\b",
    )
});
/// How far around a word of death a named victim is looked for (bytes).
const VICTIM_WINDOW: usize = 140;

/// "He died of his wounds", "il a succombé": the victim already named.
static PRONOUN_DIED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:he|she|il|elle) (?:(?:later|subsequently|then|eventually|finalement|plus tard|a|est) )*(?:died|succumbed|succombe|decedee|decede|morte|mort)$",
    )
});
/// A suicide bomber dies in the blast; ACLED counts them.
static BOMBER_DIED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:blew (?:himself|herself) up|s'est fait exploser|se sont fait exploser|the bomber was killed)\b",
    )
});

/// Words that link clauses: what follows them is no longer the counted noun.
static LINKING: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:and|et|of|de|du|des|with|avec|in|dans|on|sur)\b"));
/// The fate of a group that is not death: "one soldier was wounded and two were killed" counts
/// only the groups after it.
static NOT_DEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:wounded|injured|hurt|missing|abducted|kidnapped|captured|arrested|blesses?|blessees?|disparus?|enleves?|captures?|arretes?)\b",
    )
});
/// A further group in a coordinated toll: "et trois (civils)".
static AND_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"\b(?:et|and) {NUMBER}\b")));
/// Words between a number and "tués" that show the number is a date, an age or a distance.
static NOT_A_TOLL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december|ans|years?|km|kilometres?|kilometers?|heures|hours|jours|days|h)\b",
    )
});
static NONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:no (?:casualties|fatalities|deaths|one was (?:killed|hurt|injured))|no reported (?:casualties|fatalities)|without (?:casualties|causing casualties)|aucune? (?:victime|perte|mort|bilan humain)|sans (?:faire de )?(?:victimes?|pertes)|pas de (?:victimes?|morts?|pertes))\b",
    )
});
static UNKNOWN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:lourdes pertes|pertes humaines|des pertes|de pertes|victimes|casualties|heavy losses|losses|unspecified number|unknown number|nombre indetermine|bilan inconnu)\b",
    )
});

/// What one folded sentence reports about deaths. Several groups killed in one sentence add
/// up ("deux soldats et trois civils tués").
pub fn in_sentence(folded: &str) -> Option<Deaths> {
    if !DEATH_OR_LOSS_WORD
        .as_ref()
        .is_some_and(|a| a.is_match(folded))
    {
        return None;
    }
    if let Some(m) = NONE.find(folded) {
        return Some(Deaths::None {
            text: m.as_str().to_string(),
        });
    }
    let mut total: Option<u32> = None;
    let mut texts = Vec::new();
    let mut from = 0;
    while let Some(c) = COUNT.captures_at(folded, from) {
        let (Some(whole), Some(n)) = (c.get(0), c.name("n").or_else(|| c.name("n2"))) else {
            break;
        };
        let between = c.name("between").map_or("", |b| b.as_str());
        let value = number(n.as_str().trim_start_matches("a ")).filter(|v| *v < 10_000);
        // "a", "an", "un", "une" count one only right before their noun: "a civilian was
        // killed", not "an operation north of Mopti and killed three".
        let article = matches!(n.as_str(), "a" | "an" | "un" | "une");
        let loose =
            article && (between.split_whitespace().count() > 2 || LINKING.is_match(between));
        let Some(mut value) = value.filter(|_| !NOT_A_TOLL.is_match(between) && !loose) else {
            // A date, an age or a distance: look again after this number.
            from = n.end();
            continue;
        };
        // "one soldier was wounded and two were killed": the first group is not dead; the
        // groups after its fate are.
        let fate = NOT_DEAD.find_iter(between).last();
        let (first, groups) = match fate {
            Some(fate) => (0, &between[fate.end()..]),
            None => (value, between),
        };
        // "deux soldats et trois civils ont été tués": every group counts.
        value = first
            + AND_NUMBER
                .captures_iter(groups)
                .filter_map(|extra| number(extra.name("n")?.as_str()))
                .sum::<u32>();
        if fate.is_some() && value == 0 {
            from = n.end();
            continue;
        }
        from = whole.end();
        // "une dizaine" is 10, "des dizaines" 12: the article matters only for vague words.
        if matches!(c.name("q").map(|q| q.as_str()), Some("des"))
            && n.as_str().starts_with("dizaine")
        {
            value = 12;
        }
        total = Some(total.unwrap_or(0).saturating_add(value));
        texts.push(whole.as_str().to_string());
    }
    if total.is_none()
        && let Some(named) = named_victims(folded)
    {
        return Some(named);
    }
    if let Some(dead) = total {
        return Some(Deaths::Count {
            dead,
            text: texts.join("; "),
        });
    }
    UNKNOWN.find(folded).map(|m| Deaths::Unknown {
        text: m.as_str().to_string(),
    })
}

/// Victims named one by one: "assassinated the village chief", "killed his commander and
/// another soldier", "the mayor was killed", "he died of his wounds".
fn named_victims(folded: &str) -> Option<Deaths> {
    let named = |dead: u32, text: &str| {
        Some(Deaths::Named {
            dead,
            text: text.to_string(),
        })
    };
    let words: Vec<regex::Match> = DEATH_VERB.find_iter(folded).collect();
    let after = |m: &regex::Match| window(folded, m.start(), m.start() + VICTIM_WINDOW);
    for word in &words {
        if let Some(m) = KILLED_ONE.captures(after(word)) {
            let dead = if m.name("rest").is_some() { 2 } else { 1 };
            return named(dead, m.get(0).map_or("", |w| w.as_str()));
        }
    }
    for word in &words {
        if let Some(m) = ONE_VICTIM.captures(after(word))
            && m.name("noun").is_some_and(|n| !n.as_str().ends_with('s'))
        {
            return named(1, m.get(0).map_or("", |w| w.as_str()));
        }
    }
    for word in &words {
        let mut before = crate::engine::normalize::before(folded, word.end(), VICTIM_WINDOW);
        let cut = before.len() < word.end();
        if cut {
            // Start on a word: a window cut mid-sentence begins after its first space...
            before = before.split_once(' ').map_or("", |(_, rest)| rest);
        }
        // ...and has no sentence start: there, the victim needs its article.
        if let Some(m) = NAMED_VICTIM.captures(before)
            && (m.name("det").is_some() || !cut)
        {
            return named(1, m.get(0).map_or("", |w| w.as_str()));
        }
        if let Some(m) = PRONOUN_DIED.find(before) {
            return named(1, m.as_str());
        }
    }
    BOMBER_DIED.find(folded).and_then(|m| named(1, m.as_str()))
}

/// The incident's figure from its sentences: the lowest count reported; 0 when the text reports
/// no deaths at all (ACLED's convention); unknown (None) when it reports losses without a number.
pub fn for_incident(sentences: &[Option<Deaths>]) -> (Option<u32>, Option<String>) {
    let counts = sentences.iter().flatten().filter_map(|d| match d {
        Deaths::Count { dead, text } => Some((*dead, text)),
        _ => None,
    });
    if let Some((dead, text)) = counts.min_by_key(|(dead, _)| *dead) {
        return (Some(dead), Some(text.clone()));
    }
    // Victims named one by one in several sentences may be the same person told twice.
    let named = sentences.iter().flatten().filter_map(|d| match d {
        Deaths::Named { dead, text } => Some((*dead, text)),
        _ => None,
    });
    if let Some((dead, text)) = named.max_by_key(|(dead, _)| *dead) {
        return (Some(dead), Some(text.clone()));
    }
    match sentences.iter().flatten().next() {
        Some(Deaths::Unknown { text }) => (None, Some(text.clone())),
        Some(Deaths::None { text }) => (Some(0), Some(text.clone())),
        _ => (Some(0), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::normalize::fold_key;

    fn dead(sentence: &str) -> (Option<u32>, bool) {
        let (n, text) = for_incident(&[in_sentence(&fold_key(sentence))]);
        (n, text.is_some())
    }

    #[test]
    fn acled_fatality_rules() {
        let cases: [(&str, Option<u32>); 17] = [
            (
                "Au moins seize soldats ont été tués dans l'attaque.",
                Some(16),
            ),
            ("L'attaque a fait 12 morts et 20 blessés.", Some(12)),
            ("Plusieurs civils ont été tués.", Some(3)),
            ("Une dizaine de personnes ont été tuées.", Some(10)),
            ("Une vingtaine de militaires ont été tués.", Some(20)),
            (
                "Des dizaines de soldats maliens ont été tués ou blessés.",
                Some(12),
            ),
            ("Des centaines de personnes sont mortes.", Some(100)),
            ("Deux soldats et trois civils ont été tués.", Some(5)),
            (
                "Gunmen attacked the village, killing four and injuring several.",
                Some(4),
            ),
            ("At least 29 soldiers were killed.", Some(29)),
            ("Three people were wounded.", Some(0)),
            ("L'attaque a causé de lourdes pertes.", None),
            ("Le bilan fait état de nombreuses victimes.", None),
            ("No casualties were reported.", Some(0)),
            ("L'attaque n'a fait aucune victime.", Some(0)),
            (
                "Le camion a sauté sur une mine, faisant trois morts.",
                Some(3),
            ),
            ("Le 24 novembre deux soldats ont été tués.", Some(2)),
        ];
        for (sentence, expected) in cases {
            assert_eq!(dead(sentence).0, expected, "{sentence}");
        }
    }

    /// Regression: "tuant N" was never read, the sentence gate having no stem for it.
    #[test]
    fn regression_tuant_n_counts_the_dead() {
        let cases = [
            (
                "Des hommes armés ont attaqué un poste à Ségou, tuant trois soldats.",
                Some(3),
            ),
            (
                "L'explosion a touché le convoi, tuant au moins 7 civils.",
                Some(7),
            ),
        ];
        for (sentence, expected) in cases {
            assert_eq!(dead(sentence).0, expected, "{sentence}");
        }
    }

    #[test]
    fn regression_the_wounded_group_before_the_dead_was_counted_as_dead() {
        let cases = [
            ("One soldier was wounded and two were killed.", 2),
            ("Cinq soldats ont été blessés et deux tués.", 2),
            ("Two soldiers were killed and one was wounded.", 2),
            ("Deux soldats et trois civils ont été tués.", 5),
        ];
        for (sentence, expected) in cases {
            assert_eq!(dead(sentence).0, Some(expected), "{sentence}");
        }
    }

    /// Regression: a word in brackets between the count and the verb hid the toll.
    #[test]
    fn regression_a_bracketed_word_after_the_victims_hid_the_toll() {
        let cases = [
            ("Ten Dozo hunters (Bambara) were killed and 4 wounded.", 10),
            ("Trois soldats (FAMa) ont été tués.", 3),
        ];
        for (sentence, expected) in cases {
            assert_eq!(dead(sentence).0, Some(expected), "{sentence}");
        }
    }

    #[test]
    fn victims_named_one_by_one() {
        let cases: [(&str, Option<u32>); 7] = [
            (
                "Le maire de la commune a été tué devant son domicile.",
                Some(1),
            ),
            ("Malian army officer killed by unknown gunmen", Some(1)),
            ("The gunmen shot a trader, who died of his wounds.", Some(1)),
            ("He later died in hospital.", Some(1)),
            ("A suicide bomber blew himself up at the gate.", Some(1)),
            ("They killed his commander and another soldier.", Some(2)),
            // Wounded, not killed: no named death.
            ("A soldier was wounded by gunfire.", Some(0)),
        ];
        for (sentence, expected) in cases {
            assert_eq!(dead(sentence).0, expected, "{sentence}");
        }
        // A figure beats victims named one by one, in any order.
        let sentences = [
            in_sentence(&fold_key("The mayor was killed.")),
            in_sentence(&fold_key("Four people were killed in the attack.")),
        ];
        assert_eq!(for_incident(&sentences).0, Some(4));
    }

    #[test]
    fn conflicting_reports_take_the_lowest() {
        let sentences = [
            in_sentence(&fold_key("Le JNIM affirme avoir tué 40 soldats.")),
            in_sentence(&fold_key("Selon l'armée, 9 soldats ont été tués.")),
        ];
        assert_eq!(for_incident(&sentences).0, Some(9));
    }
}
