//! When an incident happened: the date written nearest its event word in its own sentences;
//! else a date in the next sentence that reports no event of its own ("Samedi 7 juin, plus
//! aucun soldat..."); else the date the narrative last gave; else the publication date, flagged.
//! An incident with none of these stays undated.

use crate::engine::dates::{self, DateMention, Reference};
use crate::engine::model::{Article, Diagnostic, Severity, Span};
use crate::engine::normalize::Folded;
use crate::engine::sentences::Sentence;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where an incident's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Written in one of the incident's own sentences.
    Text,
    /// Written just after them, in a sentence that reports no other event.
    FollowingSentence,
    /// The last date the article gave before the incident's sentences.
    Context,
    /// No date in the text: the publication date, at week precision.
    Publication,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentDate {
    pub date: NaiveDate,
    pub precision: u8,
    pub year_inferred: bool,
    pub evidence: Option<Span>,
    pub source: DateSource,
}

/// What the article offers for dating its incidents.
pub struct Timeline<'a> {
    pub dates: &'a [DateMention],
    pub sentences: &'a [Sentence],
    /// Offsets of every event word in the article, of every incident.
    pub triggers: &'a [usize],
    /// Sentences that report an event.
    pub event_sentences: &'a [usize],
    pub publication: Option<NaiveDate>,
}

impl Timeline<'_> {
    /// The date of an incident from its evidence sentences and its own event words.
    pub fn date_of(
        &self,
        evidence: &[(usize, Span)],
        own_triggers: &[usize],
    ) -> Option<IncidentDate> {
        let from = |m: &DateMention, source| IncidentDate {
            date: m.date,
            precision: m.precision,
            year_inferred: m.year_inferred,
            evidence: Some(m.span),
            source,
        };
        for (_, span) in evidence {
            let here: Vec<&DateMention> = self
                .dates
                .iter()
                .filter(|d| span.contains(d.span))
                .collect();
            // A date belongs to the event word nearest it; skip dates nearer another incident's.
            let mine = here.iter().filter(|d| {
                self.nearest_trigger(d.span)
                    .is_none_or(|t| own_triggers.contains(&t))
            });
            // A complete date beats a year-less one: "4 March 2020 (from 4-5 March)".
            if let Some(best) = mine.min_by_key(|d| {
                let nearest = own_triggers
                    .iter()
                    .map(|t| distance(d.span, *t))
                    .min()
                    .unwrap_or(usize::MAX);
                (d.year_inferred, nearest)
            }) {
                return Some(from(best, DateSource::Text));
            }
        }
        for (at, _) in evidence {
            let next = at + 1;
            if let Some(sentence) = self.sentences.get(next)
                && !self.event_sentences.contains(&next)
                && sentence.skip.is_none()
                && self
                    .sentences
                    .get(*at)
                    .is_some_and(|s| s.paragraph == sentence.paragraph)
                && let Some(d) = self.dates.iter().find(|d| sentence.span.contains(d.span))
            {
                return Some(from(d, DateSource::FollowingSentence));
            }
        }
        let first = evidence.iter().map(|(_, span)| span.start).min()?;
        let readable = |d: &&DateMention| {
            self.sentences
                .iter()
                .any(|s| s.skip.is_none() && s.span.contains(d.span))
        };
        if let Some(d) = self
            .dates
            .iter()
            .filter(readable)
            .rev()
            .find(|d| d.span.end <= first)
        {
            return Some(IncidentDate {
                precision: d.precision.max(2),
                ..from(d, DateSource::Context)
            });
        }
        self.publication.map(|date| IncidentDate {
            date,
            precision: 2,
            year_inferred: false,
            evidence: None,
            source: DateSource::Publication,
        })
    }

    fn nearest_trigger(&self, span: Span) -> Option<usize> {
        let sentence = self.sentences.iter().find(|s| s.span.contains(span))?;
        self.triggers
            .iter()
            .copied()
            .filter(|t| sentence.span.start <= *t && *t < sentence.span.end)
            .min_by_key(|t| distance(span, *t))
    }
}

fn distance(span: Span, at: usize) -> usize {
    if at < span.start {
        span.start - at
    } else {
        at.saturating_sub(span.end)
    }
}

/// The article's reference date and the dates in its text. The reference is the publication date
/// (metadata, file name) or a dateline at the top of the text; failing both, relative dates are
/// read against the latest complete date the article gives, and year-less dates against today.
pub fn read_dates(
    article: &Article,
    folded: &Folded,
    sentences: &[Sentence],
    today: Option<NaiveDate>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Reference>, Vec<DateMention>) {
    let published = article
        .published
        .as_deref()
        .and_then(|d| d.get(..10)?.parse::<NaiveDate>().ok());
    let bound = today.map(|date| Reference {
        date,
        published: false,
    });
    let mentions = dates::find(
        folded,
        published
            .map(|date| Reference {
                date,
                published: true,
            })
            .or(bound),
    );
    if published.is_some() {
        return (
            published.map(|date| Reference {
                date,
                published: true,
            }),
            mentions,
        );
    }
    let readable = |m: &&DateMention| {
        sentences
            .iter()
            .any(|s| s.skip.is_none() && s.span.contains(m.span))
    };
    let complete = |m: &&DateMention| !m.year_inferred && (!m.relative || m.precision == 1);
    // A dateline: a complete date in the article's first 200 bytes.
    let dateline = mentions
        .iter()
        .filter(readable)
        .filter(complete)
        .find(|m| m.span.start < 200 && !m.relative);
    let estimate = dateline.or_else(|| {
        mentions
            .iter()
            .filter(readable)
            .filter(complete)
            .max_by_key(|m| m.date)
    });
    let Some(anchor) = estimate else {
        diagnostics.push(Diagnostic {
            severity: Severity::Info,
            message: "publication date unknown: relative dates (hier, cette semaine...) are left unresolved".into(),
            span: None,
        });
        return (bound, mentions);
    };
    let reference = Reference {
        date: anchor.date,
        published: dateline.is_some(),
    };
    if dateline.is_none() {
        diagnostics.push(Diagnostic {
            severity: Severity::Info,
            message: format!("publication date unknown: relative dates read against {}, the latest date the text gives", anchor.date),
            span: Some(anchor.span),
        });
    }
    let anchored = if dates::needs_reference(folded, &mentions) {
        dates::find(
            folded,
            Some(Reference {
                date: anchor.date,
                published: true,
            }),
        )
    } else {
        mentions
    };
    (Some(reference), anchored)
}
