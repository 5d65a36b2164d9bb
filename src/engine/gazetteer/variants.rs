//! Spelling variants of place names: francophone and anglophone transliterations of one name
//! ("Wouro Mody" / "Ouro Modi", "Boulikessi" / "Boulkessi", "Dyaloubé" / "Dialloubé") reduced to
//! one skeleton, and a guarded fuzzy match (one edit, between long skeletons only).

use super::FastMap;

/// Skeletons shorter than this are never matched: short names collide by chance.
pub const MIN_VARIANT_LEN: usize = 5;
/// Skeletons at least this long may also differ by one edit (a letter added, dropped or changed).
pub const MIN_FUZZY_LEN: usize = 7;

/// The skeleton of a folded name: without spaces, hyphens and apostrophes; ou/w → u, y → i,
/// ai → e, dj → j, kh → k, c/q → k, ph → f; doubled letters once.
pub fn skeleton(key: &str) -> String {
    let letters: Vec<char> = key.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut out = String::with_capacity(letters.len());
    let mut i = 0;
    while i < letters.len() {
        let (letter, width) = match (letters[i], letters.get(i + 1)) {
            ('o', Some('u')) => ('u', 2),
            ('d', Some('j')) => ('j', 2),
            ('k', Some('h')) => ('k', 2),
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
/// stay as written: changing them makes other names, not other spellings.
const LETTERS: &[u8] = b"aeiouh";

/// Calls `found` with every string one edit (a letter dropped, added or changed) away from `s`,
/// built in one reused buffer: about 13 × n candidates, no allocation per candidate. Any letter
/// may be dropped; only `LETTERS` are added or changed.
fn for_each_one_edit(s: &str, mut found: impl FnMut(&str)) {
    let mut buffer = String::with_capacity(s.len() + 1);
    for (i, current) in s
        .char_indices()
        .map(|(i, c)| (i, Some(c)))
        .chain([(s.len(), None)])
    {
        let (head, tail) = s.split_at(i);
        for &letter in LETTERS {
            buffer.clear();
            buffer.push_str(head);
            buffer.push(char::from(letter));
            buffer.push_str(tail);
            found(&buffer);
        }
        let Some(current) = current else { break };
        let rest = &tail[current.len_utf8()..];
        buffer.clear();
        buffer.push_str(head);
        buffer.push_str(rest);
        found(&buffer);
        for &letter in LETTERS.iter().filter(|&&l| char::from(l) != current) {
            buffer.clear();
            buffer.push_str(head);
            buffer.push(char::from(letter));
            buffer.push_str(rest);
            found(&buffer);
        }
    }
}

/// Place indices by the skeleton of each of their names.
#[derive(Debug, Clone, Default)]
pub struct VariantIndex {
    by_skeleton: FastMap<Vec<u32>>,
}

/// How a variant matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The same skeleton: a different transliteration.
    Spelling,
    /// One edit between the skeletons.
    OneEdit,
}

impl VariantIndex {
    /// `names` yields (place index, folded name). A name with a community's qualifier
    /// ("Tagari-Peulh", "Tagari Dogon") is also indexed without it: texts often drop it.
    pub fn new<'a>(names: impl Iterator<Item = (u32, &'a str)>) -> VariantIndex {
        let mut index = VariantIndex::default();
        for (place, name) in names {
            let base = without_qualifier(name);
            for form in std::iter::once(name).chain(base) {
                let skeleton = skeleton(form);
                if skeleton.len() >= MIN_VARIANT_LEN {
                    push_unique(index.by_skeleton.entry(skeleton).or_default(), place);
                }
            }
        }
        index
    }

    /// Places whose name is a variant of the folded `key`: same skeleton first; failing that,
    /// one edit away when the name is long.
    pub fn lookup(&self, key: &str) -> (Vec<u32>, Option<Variant>) {
        let skeleton = skeleton(key);
        if skeleton.len() < MIN_VARIANT_LEN || !skeleton.is_ascii() {
            return (Vec::new(), None);
        }
        if let Some(places) = self.by_skeleton.get(&skeleton) {
            return (places.clone(), Some(Variant::Spelling));
        }
        if skeleton.len() < MIN_FUZZY_LEN {
            return (Vec::new(), None);
        }
        let mut found: Vec<u32> = Vec::new();
        for_each_one_edit(&skeleton, |form| {
            if form.len() >= MIN_FUZZY_LEN {
                for &place in self.by_skeleton.get(form).into_iter().flatten() {
                    push_unique(&mut found, place);
                }
            }
        });
        let variant = (!found.is_empty()).then_some(Variant::OneEdit);
        (found, variant)
    }
}

/// Words that name which community's village it is: "Tagari-Peulh" and "Tagari-Dogon".
const QUALIFIERS: [&str; 12] = [
    "peul", "peulh", "peuhl", "dogon", "bozo", "habe", "bambara", "sonrai", "marka", "koura",
    "coura", "foulbe",
];

/// A folded name without its community qualifier, when it has one.
fn without_qualifier(name: &str) -> Option<&str> {
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
            ("Djenné", "Jenne"),
            ("Kouakourou", "Kuakuru"),
        ] {
            assert_eq!(skeleton(&fold_key(a)), skeleton(&fold_key(b)), "{a} / {b}");
        }
        assert_ne!(skeleton("gao"), skeleton("kayes"));
        assert_eq!(without_qualifier("tagari-peulh"), Some("tagari"));
        assert_eq!(without_qualifier("tagari dogon"), Some("tagari"));
        assert_eq!(without_qualifier("tagari"), None);
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
        // Two edits are too many.
        assert_eq!(index.lookup("boulikesa"), (vec![], None));
    }
}
