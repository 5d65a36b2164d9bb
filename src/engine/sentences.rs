//! Splits an article into paragraphs and sentences with byte spans, and marks the ones that
//! must not yield incidents: paragraphs repeated verbatim and photo captions.

use crate::engine::model::{Diagnostic, Severity, Span};
use std::collections::HashSet;

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

pub fn segment(text: &str) -> (Vec<Sentence>, Vec<Diagnostic>) {
    let mut sentences = Vec::new();
    let mut diagnostics = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
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

fn is_caption(paragraph: &str) -> bool {
    CAPTION_MARKERS.iter().any(|m| paragraph.contains(m)) || paragraph.ends_with('|')
}

/// Sentence spans within one line, trimmed of surrounding white space.
fn split_sentences(line: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for (i, &(at, ch)) in chars.iter().enumerate() {
        if !matches!(ch, '.' | '!' | '?' | '…') {
            continue;
        }
        let end = at + ch.len_utf8();
        let next_visible = chars[i + 1..].iter().find(|(_, c)| !c.is_whitespace());
        let followed_by_space = chars.get(i + 1).is_some_and(|(_, c)| c.is_whitespace());
        let starts_sentence = next_visible.is_some_and(|(_, c)| {
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
    fn odd_text_does_not_panic() {
        for text in ["", ".", "...", "\n\n", "é.É", "a. b", "?!…", "x.\u{0301}"] {
            let _ = segment(text);
        }
    }
}
