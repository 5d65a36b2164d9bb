//! Spelling variants of place names: francophone and anglophone transliterations of one name
//! ("Wouro Mody" / "Ouro Modi", "Boulikessi" / "Boulkessi", "Dyaloubé" / "Dialloubé") reduced to
//! one skeleton, and a guarded fuzzy match (one edit, between long skeletons only).

use super::{FastHasher, FastMap};
use std::hash::Hasher;

/// Skeletons shorter than this are never matched: short names collide by chance.
pub const MIN_VARIANT_LEN: usize = 5;
/// Skeletons at least this long may also differ by one edit (a letter added, dropped or changed).
pub const MIN_FUZZY_LEN: usize = 7;

/// The skeleton of a folded name: without spaces, hyphens and apostrophes; the Tamasheq "in"
/// before a consonant as "n" ("I-n-Tillit", "In Tillit", "N'Tillit", "NTillit"); ou/w → u,
/// y → i, ai → e, dj → j, kh → k, c/q → k, ph → f, gu before e/i → g, nb/np → mb/mp; no final
/// silent e; doubled letters once.
pub fn skeleton(key: &str) -> String {
    let mut letters: Vec<char> = key.chars().filter(|c| c.is_alphanumeric()).collect();
    if let ['i', 'n', next, ..] = letters[..]
        && next.is_ascii_alphabetic()
        && !"aeiouy".contains(next)
    {
        letters.remove(0);
    }
    let mut out = String::with_capacity(letters.len());
    let mut i = 0;
    while i < letters.len() {
        let (letter, width) = match (letters[i], letters.get(i + 1)) {
            // French "gu" before e/i is a hard g: "Aguelhok" / "Agelhok".
            ('g', Some('u')) if matches!(letters.get(i + 2), Some('e' | 'i')) => ('g', 2),
            // "nb" and "np" are "mb" and "mp" spelled by ear: "Andéranboukan".
            ('n', Some('b' | 'p')) => ('m', 1),
            // A final silent "e": "Anderamboukane" / "Andéranboukan", "Doreye" / "Dorey".
            ('e', None) if i >= 4 => break,
            ('o', Some('u')) => ('u', 2),
            ('d', Some('j')) => ('j', 2),
            ('k', Some('h')) => ('k', 2),
            // "gh" for the same g: "Songho" / "Songo", "Aghelhok" / "Agelhok".
            ('g', Some('h')) => ('g', 2),
            ('p', Some('h')) => ('f', 2),
            ('a', Some('i')) => ('e', 2),
            ('q', Some('u')) => ('k', 2),
            ('w', _) => ('u', 1),
            ('y', _) => ('i', 1),
            ('c' | 'q', _) => ('k', 1),
            (other, _) => (other, 1),
        };
        if !out.ends_with(letter) {
            out.push(letter);
        }
        i += width;
    }
    out
}

/// The letters one edit may add or change: vowels and "h", where transliterations of one name
/// differ ("Boulkessi" / "Boulikessi", "Dogo" / "Doga", "Tenenkou" / "Tenenkouh"). Consonants
/// stay as written: changing them makes other names, not other spellings. Any letter may be
/// dropped.
const LETTERS: &[u8] = b"aeiouh";

/// Stands for the changed letter in the keys of one-letter changes.
const CHANGED: u8 = b'*';

/// Place indices by the skeleton of each of their names.
#[derive(Debug, Clone, Default)]
pub struct VariantIndex {
    by_skeleton: FastMap<Vec<u32>>,
    /// (skeleton, place) by the consonants of the skeleton (those with `MIN_CONSONANTS` or more).
    by_consonants: FastMap<Vec<(Box<str>, u32)>>,
    /// The long skeletons again, by their one-edit neighbourhoods, so that a query needs one
    /// lookup per letter rather than one per possible edit (as SymSpell does): each skeleton
    /// without one of its `LETTERS` (a letter the text left out), and with one of its `LETTERS`
    /// replaced by `CHANGED` (a letter the text changed). Kept as (hash of the neighbour,
    /// place) pairs sorted by hash: 16 bytes each, for the 200,000 neighbours of a GeoNames
    /// dump.
    near: Vec<(u64, u32)>,
    /// Where each bucket of `near` (the top `BUCKET_BITS` of the hash) starts, so that a lookup
    /// reads one short run instead of binary-searching megabytes.
    buckets: Vec<u32>,
}

const BUCKET_BITS: u32 = 16;

/// How a variant matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The same skeleton: a different transliteration.
    Spelling,
    /// One edit between the skeletons.
    OneEdit,
    /// The same consonants in the same order, whatever the vowels: Tamasheq and Fulfulde
    /// names are written with the vowels heard ("Tarkint" / "Tarikent", "Bonguel" /
    /// "Bounguel").
    Consonants,
}

/// Consonant skeletons shorter than this are never matched: with fewer consonants, names of
/// different places share them by chance.
pub const MIN_CONSONANTS: usize = 4;
/// At most this many vowels added, dropped or changed between two skeletons of the same
/// consonants: "Tarkint" / "Tarikent" (2), not "Boulikessi" / "Bélékosso" (4), 530 km apart.
pub const MAX_VOWEL_EDITS: usize = 2;

/// A skeleton without its vowels and "h" (doubled letters once again): "tarkint" and
/// "tarikent" are both "trknt".
pub fn consonants(skeleton: &str) -> String {
    let mut out = String::with_capacity(skeleton.len());
    for c in skeleton.chars().filter(|c| !"aeiouh".contains(*c)) {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

impl VariantIndex {
    /// `names` yields (place index, folded name). A name with a community's qualifier
    /// ("Tagari-Peulh", "Tagari Dogon") is also indexed without it: texts often drop it.
    pub fn new<'a>(names: impl Iterator<Item = (u32, &'a str)>) -> VariantIndex {
        let mut index = VariantIndex::default();
        let mut buffer = Vec::new();
        for (place, name) in names {
            let base = without_qualifier(name);
            for form in std::iter::once(name).chain(base) {
                let skeleton = skeleton(form);
                if skeleton.len() >= MIN_FUZZY_LEN && skeleton.is_ascii() {
                    for (i, letter) in skeleton.bytes().enumerate() {
                        if LETTERS.contains(&letter) {
                            index.near.push((without(&skeleton, i, &mut buffer), place));
                            index.near.push((changed(&skeleton, i, &mut buffer), place));
                        }
                    }
                }
                let consonants = consonants(&skeleton);
                if consonants.len() >= MIN_CONSONANTS && skeleton.is_ascii() {
                    let entries = index.by_consonants.entry(consonants).or_default();
                    if !entries.iter().any(|(s, p)| *p == place && **s == *skeleton) {
                        entries.push((skeleton.as_str().into(), place));
                    }
                }
                if skeleton.len() >= MIN_VARIANT_LEN {
                    push_unique(index.by_skeleton.entry(skeleton).or_default(), place);
                }
            }
        }
        index.near.sort_unstable();
        index.near.dedup();
        let bucket_count = 1usize << BUCKET_BITS;
        index.buckets = (0..=bucket_count)
            .map(|b| {
                let first = index.near.partition_point(|&(h, _)| (bucket(h)) < b);
                u32::try_from(first).unwrap_or(u32::MAX)
            })
            .collect();
        index
    }

    /// The places with a neighbour of this hash.
    fn near(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        let b = bucket(hash);
        let run = match (self.buckets.get(b), self.buckets.get(b + 1)) {
            (Some(&from), Some(&to)) => self.near.get(from as usize..to as usize),
            _ => None,
        };
        run.unwrap_or_default()
            .iter()
            .filter(move |&&(h, _)| h == hash)
            .map(|&(_, place)| place)
    }

    /// Places whose name is a variant of the folded `key`: same skeleton first; failing that,
    /// one edit away when the name is long (in the order of the places); failing that, the same
    /// consonants when there are enough of them.
    pub fn lookup(&self, key: &str) -> (Vec<u32>, Option<Variant>) {
        let skeleton = skeleton(key);
        if skeleton.len() < MIN_VARIANT_LEN || !skeleton.is_ascii() {
            return (Vec::new(), None);
        }
        if let Some(places) = self.by_skeleton.get(&skeleton) {
            return (places.clone(), Some(Variant::Spelling));
        }
        let found = self.one_edit(&skeleton);
        if !found.is_empty() {
            return (found, Some(Variant::OneEdit));
        }
        let consonants = consonants(&skeleton);
        if consonants.len() < MIN_CONSONANTS {
            return (Vec::new(), None);
        }
        let mut found: Vec<u32> = self
            .by_consonants
            .get(&consonants)
            .into_iter()
            .flatten()
            .filter(|(name, _)| edits(&skeleton, name) <= MAX_VOWEL_EDITS)
            .map(|(_, place)| *place)
            .collect();
        found.sort_unstable();
        found.dedup();
        let variant = (!found.is_empty()).then_some(Variant::Consonants);
        (found, variant)
    }

    /// Places whose skeleton is one edit from `skeleton` (long skeletons only).
    fn one_edit(&self, skeleton: &str) -> Vec<u32> {
        if skeleton.len() < MIN_FUZZY_LEN {
            return Vec::new();
        }
        let mut found: Vec<u32> = Vec::new();
        let mut buffer = Vec::new();
        // The text left a letter out: the name is the skeleton with one more.
        found.extend(self.near(hash(skeleton.as_bytes())));
        for (i, letter) in skeleton.bytes().enumerate() {
            // The text changed a letter: a vowel or "h" for another, never a consonant for a
            // vowel ("Delimane" is not "Yélimané").
            if LETTERS.contains(&letter) {
                found.extend(self.near(changed(skeleton, i, &mut buffer)));
            }
            // The text has a letter too many: the name is the skeleton with one less.
            without(skeleton, i, &mut buffer);
            if buffer.len() >= MIN_FUZZY_LEN {
                let shorter = std::str::from_utf8(&buffer).unwrap_or_default();
                found.extend(self.by_skeleton.get(shorter).into_iter().flatten());
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// The edit (Levenshtein) distance between two short ASCII skeletons.
fn edits(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(x != y);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn bucket(hash: u64) -> usize {
    (hash >> (64 - BUCKET_BITS)) as usize
}

/// The hash of a neighbour's bytes (a 64-bit hash: two neighbours that collide would only add
/// a candidate, which ranking then scores like any other).
fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

/// Writes into `buffer` an ASCII skeleton without its letter at `i`; returns its hash.
fn without(skeleton: &str, i: usize, buffer: &mut Vec<u8>) -> u64 {
    let bytes = skeleton.as_bytes();
    buffer.clear();
    buffer.extend_from_slice(bytes.get(..i).unwrap_or_default());
    buffer.extend_from_slice(bytes.get(i + 1..).unwrap_or_default());
    hash(buffer)
}

/// Writes into `buffer` an ASCII skeleton with its letter at `i` replaced by `CHANGED`; returns
/// its hash.
fn changed(skeleton: &str, i: usize, buffer: &mut Vec<u8>) -> u64 {
    let bytes = skeleton.as_bytes();
    buffer.clear();
    buffer.extend_from_slice(bytes.get(..i).unwrap_or_default());
    buffer.push(CHANGED);
    buffer.extend_from_slice(bytes.get(i + 1..).unwrap_or_default());
    hash(buffer)
}

/// Words that name which community's village it is: "Tagari-Peulh" and "Tagari-Dogon".
const QUALIFIERS: [&str; 12] = [
    "peul", "peulh", "peuhl", "dogon", "bozo", "habe", "bambara", "sonrai", "marka", "koura",
    "coura", "foulbe",
];

/// A folded name without its community qualifier, when it has one.
pub(super) fn without_qualifier(name: &str) -> Option<&str> {
    let (base, last) = name.rsplit_once([' ', '-'])?;
    QUALIFIERS.contains(&last).then_some(base.trim_end())
}

fn push_unique(list: &mut Vec<u32>, place: u32) {
    if list.last() != Some(&place) && !list.contains(&place) {
        list.push(place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::normalize::fold_key;

    #[test]
    fn transliterations_share_a_skeleton() {
        for (a, b) in [
            ("Wouro Mody", "Ouro Modi"),
            ("Boulikessi", "Boulikessi"),
            ("Dyaloubé", "Dialloubé"),
            ("Tombouctou", "Tombuktu"),
            ("In-Deliman", "I-n-Déliman"),
            ("NTillit", "I-n-Tillit"),
            ("N'Tillit", "In Tillit"),
            ("Intillit", "I-n-Tillit"),
            ("Agelhok", "Aguelhok"),
            ("Anderamboukane", "Andéranboukan"),
            ("Doreye", "Dorey"),
            ("Djenné", "Jenne"),
            ("Kouakourou", "Kuakuru"),
            ("Songho", "Songo"),
            ("Aghelhok", "Aguelhok"),
        ] {
            assert_eq!(skeleton(&fold_key(a)), skeleton(&fold_key(b)), "{a} / {b}");
        }
        assert_ne!(skeleton("gao"), skeleton("kayes"));
        // Only "in" before a consonant is the prefix: "Inamaguel" keeps its "i".
        assert_eq!(skeleton("inamaguel"), "inamagel");
        assert_eq!(without_qualifier("tagari-peulh"), Some("tagari"));
        assert_eq!(without_qualifier("tagari dogon"), Some("tagari"));
        assert_eq!(without_qualifier("tagari"), None);
    }

    /// Every string one edit from `s` (any letter dropped; only `LETTERS` added, or changed
    /// for another of them): the definition the index answers for, searched by brute force.
    fn one_edit_brute_force(index: &VariantIndex, key: &str) -> Vec<u32> {
        let s = skeleton(key);
        let mut forms = Vec::new();
        for i in 0..=s.len() {
            for &l in LETTERS {
                forms.push(format!("{}{}{}", &s[..i], char::from(l), &s[i..]));
            }
            if i < s.len() {
                forms.push(format!("{}{}", &s[..i], &s[i + 1..]));
                let letter = s.as_bytes()[i];
                let changeable = LETTERS.contains(&letter);
                for &l in LETTERS.iter().filter(|&&l| changeable && l != letter) {
                    forms.push(format!("{}{}{}", &s[..i], char::from(l), &s[i + 1..]));
                }
            }
        }
        let mut found: Vec<u32> = Vec::new();
        for form in forms.iter().filter(|f| f.len() >= MIN_FUZZY_LEN) {
            for &place in index.by_skeleton.get(form).into_iter().flatten() {
                push_unique(&mut found, place);
            }
        }
        found.sort_unstable();
        found
    }

    #[test]
    fn the_one_edit_index_finds_what_brute_force_finds() {
        // Names and queries from a small alphabet, so that many are one edit apart.
        let mut seed = 7u64;
        let mut random = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let alphabet = b"abeiklmnostu";
        let word = |len: usize, random: &mut dyn FnMut(usize) -> usize| {
            (0..len)
                .map(|_| char::from(alphabet[random(alphabet.len())]))
                .collect::<String>()
        };
        let names: Vec<String> = (0..400).map(|i| word(6 + i % 5, &mut random)).collect();
        let index = VariantIndex::new(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (i as u32, n.as_str())),
        );
        let mut fuzzy = 0;
        for i in 0..3000 {
            // A name with a random letter added, dropped or changed; or a random word.
            let mut query = names[random(names.len())].clone();
            let at = random(query.len());
            let letter = char::from(alphabet[random(alphabet.len())]);
            match i % 4 {
                0 => query.insert(at, letter),
                1 => drop(query.remove(at)),
                2 => query.replace_range(at..at + 1, &letter.to_string()),
                _ => query = word(6 + i % 5, &mut random),
            }
            let (found, variant) = index.lookup(&query);
            if variant == Some(Variant::OneEdit) || variant.is_none() {
                let expected = if skeleton(&query).len() >= MIN_FUZZY_LEN {
                    one_edit_brute_force(&index, &query)
                } else {
                    Vec::new()
                };
                assert_eq!(found, expected, "{query}");
                fuzzy += usize::from(!found.is_empty());
            }
        }
        assert!(
            fuzzy > 50,
            "the test must exercise one-edit matches ({fuzzy})"
        );
    }

    #[test]
    fn fuzzy_matching_is_guarded() {
        let names = ["boulkessi", "tombouctou", "gao", "dioura"];
        let index = VariantIndex::new(names.iter().enumerate().map(|(i, n)| (i as u32, *n)));
        // One edit on a long name: Boulikessi / Boulkessi, Timbuktu / Tombouctou's skeleton.
        assert_eq!(
            index.lookup("boulikessi"),
            (vec![0], Some(Variant::OneEdit))
        );
        assert_eq!(index.lookup("tombuktu"), (vec![1], Some(Variant::Spelling)));
        assert_eq!(index.lookup("timbuktu"), (vec![1], Some(Variant::OneEdit)));
        // Short names only ever match exactly by skeleton, never by an edit.
        assert_eq!(index.lookup("gaa"), (vec![], None));
        assert_eq!(index.lookup("diourou"), (vec![], None));
        // Two edits are too many, unless they are the vowels only (below).
        assert_eq!(index.lookup("boulikesta"), (vec![], None));
        // Regression: a consonant in the text stood for a vowel of the name ("Delimane" read
        // as Yélimané, 1,290 km from In-Delimane).
        let index = VariantIndex::new([(0, "yelimane")].into_iter());
        assert_eq!(index.lookup("delimane"), (vec![], None));
        assert_eq!(index.lookup("yelimani"), (vec![0], Some(Variant::OneEdit)));
    }

    #[test]
    fn names_with_the_same_consonants_match_when_there_are_enough_of_them() {
        let names = ["tarikent", "bounguel", "seti", "boulkessi"];
        let index = VariantIndex::new(names.iter().enumerate().map(|(i, n)| (i as u32, *n)));
        assert_eq!(consonants(&skeleton("tarkint")), "trknt");
        assert_eq!(
            index.lookup("tarkint"),
            (vec![0], Some(Variant::Consonants))
        );
        assert_eq!(
            index.lookup("bonguel"),
            (vec![1], Some(Variant::Consonants))
        );
        assert_eq!(
            index.lookup("boulikesa"),
            (vec![3], Some(Variant::Consonants))
        );
        // The same consonants with most vowels changed are another name: Boulikessi is not
        // Bélékosso, 530 km away.
        let far = VariantIndex::new([(0, "belekosso")].into_iter());
        assert_eq!(far.lookup("boulikessi"), (vec![], None));
        assert_eq!(edits("tarkint", "tarikent"), 2);
        // Three consonants are too few to tell names apart: "Sety" is not matched so.
        assert_eq!(index.lookup("saty"), (vec![], None));
        // Consonants stay as written and in order.
        assert_eq!(index.lookup("tarkind"), (vec![], None));
        assert_eq!(index.lookup("takrint"), (vec![], None));
    }
}
