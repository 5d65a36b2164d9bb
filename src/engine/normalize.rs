//! Folds text for matching (accents, case, apostrophes, hyphens, spaces) and keeps a map from
//! every folded byte back to the byte span of the original character it came from.

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Text folded for matching, with the offset map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// Lowercase ASCII-like text: accents dropped, `’` → `'`, hyphens → space, runs of space → one.
    pub text: String,
    /// For each byte of `text`, the byte range of the original character it came from.
    origin: Vec<(u32, u32)>,
}

impl Folded {
    /// The byte span of the original text that `folded` (a range of `self.text`) came from.
    pub fn original_span(&self, folded: Range<usize>) -> Range<usize> {
        if self.origin.is_empty() || folded.start >= folded.end {
            let at = self.origin.get(folded.start).map_or(0, |o| o.0 as usize);
            return at..at;
        }
        let last = folded.end.min(self.origin.len()) - 1;
        let first = folded.start.min(last);
        self.origin[first].0 as usize..self.origin[last].1 as usize
    }
}

impl Folded {
    /// The folded range that covers the original byte range `original` (the inverse map).
    pub fn folded_range(&self, original: Range<usize>) -> Range<usize> {
        let start = self
            .origin
            .partition_point(|o| (o.0 as usize) < original.start);
        let end = self
            .origin
            .partition_point(|o| (o.0 as usize) < original.end);
        start..end.max(start)
    }
}

/// Folds one string for matching. Keys of the gazetteer and of the lexicons use the same function,
/// so "Gourma-Rharous", "gourma rharous" and "GOURMA–RHAROUS" all fold to `gourma rharous`.
pub fn fold(original: &str) -> Folded {
    let mut text: Vec<u8> = Vec::with_capacity(original.len());
    let mut origin: Vec<(u32, u32)> = Vec::with_capacity(original.len());
    let mut pending_space: Option<(u32, u32)> = None;
    let bytes = original.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let byte = bytes[start];
        // Fast path: most of an article is ASCII, folded byte for byte.
        if byte.is_ascii() && !byte.is_ascii_whitespace() && byte != b'-' && byte != b'`' {
            if let Some(space) = pending_space.take() {
                text.push(b' ');
                origin.push(space);
            }
            text.push(byte.to_ascii_lowercase());
            origin.push((start as u32, start as u32 + 1));
            start += 1;
            continue;
        }
        // `start` is on a character boundary: every step advances by a whole character.
        let Some(ch) = original.get(start..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let end = start + ch.len_utf8();
        let span = (start as u32, end as u32);
        start = end;
        if is_separator(ch) {
            if !text.is_empty() && pending_space.is_none() {
                pending_space = Some(span);
            }
            continue;
        }
        let mut push = |c: char| {
            if let Some(space) = pending_space.take() {
                text.push(b' ');
                origin.push(space);
            }
            let mut utf8 = [0; 4];
            let encoded = c.encode_utf8(&mut utf8).len();
            text.extend_from_slice(&utf8[..encoded]);
            origin.extend(std::iter::repeat_n(span, encoded));
        };
        match ch {
            '’' | '‘' | '`' | '´' | 'ʼ' | '′' => push('\''),
            'œ' | 'Œ' => {
                push('o');
                push('e');
            }
            'æ' | 'Æ' => {
                push('a');
                push('e');
            }
            'ß' => {
                push('s');
                push('s');
            }
            'ɲ' | 'Ɲ' => push('n'),
            c if c.is_ascii() => push(c.to_ascii_lowercase()),
            c => {
                for d in c.nfd().filter(|d| !is_combining_mark(*d)) {
                    for l in d.to_lowercase() {
                        push(l);
                    }
                }
            }
        }
    }
    // Only whole characters were pushed, so this never fails; the fallback keeps it panic-free.
    let text = String::from_utf8(text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Folded { text, origin }
}

/// Folds a name or lexicon entry to its matching key (no offset map).
pub fn fold_key(s: &str) -> String {
    fold(s).text
}

fn is_separator(ch: char) -> bool {
    ch.is_whitespace()
        || matches!(
            ch,
            '-' | '‐' | '‑' | '‒' | '–' | '—' | '\u{00AD}' | '\u{200B}' | '\u{FEFF}'
        )
}

/// The aho-corasick automaton for a pattern set of this size: a full DFA (fastest to search)
/// while it stays small, a contiguous NFA for large gazetteers (a DFA of 50,000 names would
/// cost far more memory and build time than it saves).
pub fn automaton_kind(patterns: usize) -> aho_corasick::AhoCorasickKind {
    if patterns <= 5_000 {
        aho_corasick::AhoCorasickKind::DFA
    } else {
        aho_corasick::AhoCorasickKind::ContiguousNFA
    }
}

/// The at most `len` bytes of `text` before `at`, cut on a character boundary.
pub fn before(text: &str, at: usize, len: usize) -> &str {
    let at = at.min(text.len());
    let mut start = at.saturating_sub(len);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    text.get(start..at).unwrap_or("")
}

/// The text between byte offsets `from` and `to`, both moved inward to char boundaries.
pub fn window(text: &str, from: usize, to: usize) -> &str {
    let mut from = from.min(text.len());
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = to.min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    text.get(from..to.max(from)).unwrap_or("")
}

/// True when `b` is a byte that can be part of a word in folded text.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// True when `text[range]` starts and ends on word boundaries.
pub fn on_word_boundaries(text: &str, range: &Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let before = range.start == 0 || !is_word_byte(bytes[range.start - 1]);
    let after = range.end >= bytes.len() || !is_word_byte(bytes[range.end]);
    before && after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_apostrophes_hyphens_and_spaces() {
        let cases = [
            ("Gourma-Rharous", "gourma rharous"),
            ("GOURMA – RHAROUS", "gourma rharous"),
            ("Niafunké", "niafunke"),
            ("l’armée  malienne", "l'armee malienne"),
            ("Œuvre", "oeuvre"),
            ("  Ségou\n\n", "segou"),
            ("Ɲafunke", "nafunke"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input).text, expected, "folding {input:?}");
        }
    }

    #[test]
    fn every_folded_span_maps_back_to_the_original_bytes() {
        let original = "à l’est de Gourma-Rharous, près de Niafunké.";
        let folded = fold(original);
        for name in ["gourma rharous", "niafunke", "l'est"] {
            let at = folded.text.find(name).expect("name is in the folded text");
            let span = folded.original_span(at..at + name.len());
            assert_eq!(fold_key(&original[span]), name);
        }
        let at = folded.text.find("niafunke").expect("present");
        assert_eq!(&original[folded.original_span(at..at + 8)], "Niafunké");
    }

    #[test]
    fn before_cuts_on_character_boundaries() {
        assert_eq!(before("ab日本cd", 9, 4), "本c");
        assert_eq!(before("ab", 9, 4), "ab");
        assert_eq!(before("日本", 3, 2), "");
    }

    #[test]
    fn empty_and_odd_inputs_do_not_panic() {
        for input in ["", " ", "\u{FEFF}", "-", "ﬁ", "\u{0301}", "İ"] {
            let folded = fold(input);
            let _ = folded.original_span(0..folded.text.len());
            let _ = folded.original_span(5..9);
        }
    }
}
