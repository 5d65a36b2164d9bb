//! Splits an article into paragraphs and sentences with byte spans, and marks the ones that
//! must not yield incidents: paragraphs repeated verbatim and photo captions.

use crate::engine::model::{Diagnostic, Severity, Span};
use aho_corasick::AhoCorasick;
use std::collections::HashSet;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The paragraph already appeared, word for word, earlier in the article.
    RepeatedParagraph,
    /// A photo caption or credit line.
    Caption,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub paragraph: usize,
    pub skip: Option<Skip>,
}

/// Paragraphs shorter than this are not checked for repetition ("Source", "- ", headings).
const MIN_REPEATED_PARAGRAPH: usize = 40;

const CAPTION_MARKERS: [&str; 8] = [
    "Illustration :",
    "Illustration:",
    "Photo :",
    "Photo:",
    "Crédit photo",
    "Photo d'illustration",
    "Photo d’illustration",
    "©",
];

/// The caption markers as one automaton: a paragraph is scanned once, not once per marker.
static CAPTION: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(CAPTION_MARKERS).ok());

pub fn segment(text: &str) -> (Vec<Sentence>, Vec<Diagnostic>) {
    let mut sentences = Vec::new();
    let mut diagnostics = Vec::new();
    let mut seen = Paragraphs::default();
    let mut line_start = 0;
    for (paragraph, line) in text.split('\n').enumerate() {
        let start = line_start;
        line_start += line.len() + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let skip = if trimmed.len() >= MIN_REPEATED_PARAGRAPH && !seen.insert(trimmed) {
            Some(Skip::RepeatedParagraph)
        } else if is_caption(trimmed) {
            Some(Skip::Caption)
        } else {
            None
        };
        if let Some(reason) = skip {
            let offset = start + (line.len() - line.trim_start().len());
            let message = match reason {
                Skip::RepeatedParagraph => "paragraph repeated verbatim; read once",
                Skip::Caption => "photo caption; not read for incidents",
            };
            diagnostics.push(Diagnostic {
                severity: Severity::Info,
                message: message.to_string(),
                span: Some(Span {
                    start: offset,
                    end: offset + trimmed.len(),
                }),
            });
        }
        for span in split_sentences(line) {
            sentences.push(Sentence {
                span: Span {
                    start: start + span.start,
                    end: start + span.end,
                },
                paragraph,
                skip,
            });
        }
    }
    (sentences, diagnostics)
}

/// The long paragraphs read so far. Most texts have one, so the set is built only when a
/// second one arrives.
#[derive(Default)]
struct Paragraphs<'a> {
    first: Option<&'a str>,
    rest: HashSet<&'a str>,
}

impl<'a> Paragraphs<'a> {
    /// False when the paragraph was already read.
    fn insert(&mut self, paragraph: &'a str) -> bool {
        match self.first {
            None => {
                self.first = Some(paragraph);
                true
            }
            Some(first) => first != paragraph && self.rest.insert(paragraph),
        }
    }
}

fn is_caption(paragraph: &str) -> bool {
    paragraph.ends_with('|') || CAPTION.as_ref().is_some_and(|c| c.is_match(paragraph))
}

/// Sentence spans within one line, trimmed of surrounding white space.
fn split_sentences(line: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (at, ch) in line.char_indices() {
        if !matches!(ch, '.' | '!' | '?' | '…') {
            continue;
        }
        let end = at + ch.len_utf8();
        let rest = &line[end..];
        let followed_by_space = rest.chars().next().is_some_and(char::is_whitespace);
        let starts_sentence = rest.trim_start().chars().next().is_some_and(|c| {
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '«' | '"' | '“' | '-' | '–' | '—')
        });
        if followed_by_space && starts_sentence && !is_abbreviation(&line[start..at]) {
            push_trimmed(&mut spans, line, start, end);
            start = end;
        }
    }
    push_trimmed(&mut spans, line, start, line.len());
    spans
}

fn push_trimmed(spans: &mut Vec<Span>, line: &str, start: usize, end: usize) {
    let piece = &line[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.chars().any(char::is_alphanumeric) {
        spans.push(Span {
            start: start + lead,
            end: start + lead + trimmed.len(),
        });
    }
}

/// True when the text before a period ends in an abbreviation or an initial ("M.", "J.").
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let short = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    short
        || matches!(
            word,
            "M" | "Mme"
                | "Mr"
                | "Mrs"
                | "Dr"
                | "St"
                | "Gen"
                | "Gén"
                | "Col"
                | "Lt"
                | "Cdt"
                | "Capt"
                | "Sgt"
                | "No"
                | "vs"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, sentences: &[Sentence]) -> Vec<&'a str> {
        sentences.iter().map(|s| &text[s.span.range()]).collect()
    }

    #[test]
    fn splits_sentences_and_keeps_abbreviations() {
        let text = "Le camp a été attaqué. M. Traoré a confirmé l'attaque ! Deux morts.\nFin";
        let (sentences, _) = segment(text);
        assert_eq!(
            texts(text, &sentences),
            [
                "Le camp a été attaqué.",
                "M. Traoré a confirmé l'attaque !",
                "Deux morts.",
                "Fin"
            ]
        );
    }

    #[test]
    fn repeated_paragraphs_and_captions_are_skipped_with_a_diagnostic() {
        let para = "Les assaillants ont incendié le marché de la ville avant de se retirer.";
        let text = format!("{para}\nDes soldats à Gao. Illustration : AFP |\n{para}");
        let (sentences, diagnostics) = segment(&text);
        let skips: Vec<_> = sentences.iter().map(|s| s.skip).collect();
        assert_eq!(
            skips,
            [
                None,
                Some(Skip::Caption),
                Some(Skip::Caption),
                Some(Skip::RepeatedParagraph)
            ]
        );
        assert_eq!(diagnostics.len(), 2);
    }

    #[test]
    fn every_repeat_is_found_not_only_of_the_first_paragraph() {
        let a = "Les assaillants ont incendié le marché de la ville avant de se retirer.";
        let b = "Le lendemain, l'armée a annoncé avoir repris le contrôle de la localité.";
        let text = format!("{a}\n{b}\n{b}\n{a}\n{b}");
        let (sentences, _) = segment(&text);
        let repeated = |s: &Sentence| s.skip == Some(Skip::RepeatedParagraph);
        let flags: Vec<bool> = sentences.iter().map(repeated).collect();
        assert_eq!(flags, [false, false, true, true, true]);
    }

    #[test]
    fn odd_text_does_not_panic() {
        for text in ["", ".", "...", "\n\n", "é.É", "a. b", "?!…", "x.\u{0301}"] {
            let _ = segment(text);
        }
    }
}
