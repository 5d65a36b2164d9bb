//! The pure engine: article text in; place mentions, geocoded places, incidents and diagnostics
//! out. No IO, no UI, and no panics on any input.

pub mod actors;
pub mod coding_words;
pub mod corrections;
pub mod cues;
pub mod dates;
pub mod events;
pub mod fatalities;
pub mod gate;
pub mod gazetteer;
pub mod geo;
pub mod geocode;
pub mod incidents;
pub(crate) mod longer_names;
pub mod mentions;
pub mod merge;
pub mod model;
pub mod normalize;
pub mod ranking;
pub mod sentences;
pub mod when;
pub mod who;

use chrono::{Datelike, NaiveDate};
use events::EventLexicon;
use gazetteer::Gazetteer;
use incidents::SentenceEvent;
use mentions::MentionFinder;
use model::{Article, ArticleResult, Diagnostic, MentionStatus, Severity};
use normalize::fold;

/// A gazetteer with its compiled matchers. Build once; extract any number of articles.
#[derive(Debug, Clone)]
pub struct Engine {
    gazetteer: Gazetteer,
    finder: MentionFinder,
    lexicon: EventLexicon,
    actors: actors::ActorLexicon,
    /// Latest date a year-less date may fall on when the publication date is unknown. The engine
    /// reads no clock: callers pass today's date.
    today: Option<NaiveDate>,
}

impl Engine {
    pub fn new(gazetteer: Gazetteer) -> Engine {
        let finder = MentionFinder::new(&gazetteer);
        Engine {
            gazetteer,
            finder,
            lexicon: EventLexicon::new(),
            actors: actors::ActorLexicon::new(),
            today: None,
        }
    }

    /// Sets today's date, the bound for year-less dates in undated articles.
    pub fn with_today(mut self, today: NaiveDate) -> Engine {
        self.today = Some(today);
        self
    }

    pub fn actors(&self) -> &actors::ActorLexicon {
        &self.actors
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Reads one article: its place mentions and the incidents it reports.
    pub fn extract(&self, article: &Article) -> ArticleResult {
        let text = article.text.as_str();
        let folded = fold(text);
        let (sentences, mut diagnostics) = sentences::segment(text);
        let french = is_french(&folded.text);

        let raw = self.finder.find(text, &folded, french);
        let sentence_of: Vec<usize> = raw
            .iter()
            .map(|m| sentences.partition_point(|s| s.span.end <= m.span.start))
            .collect();
        let article_text = geocode::ArticleText {
            original: text,
            folded: &folded,
            sentences: &sentences,
        };
        let mentions = geocode::geocode(&self.gazetteer, &raw, &sentence_of, &article_text);
        for m in &mentions {
            if let Some(name) = &m.variant_of {
                diagnostics.push(Diagnostic {
                    severity: Severity::Info,
                    message: format!(
                        "place \"{}\" read as \"{name}\", a spelling variant",
                        m.text
                    ),
                    span: Some(m.span),
                });
            }
        }
        for m in &mentions {
            if let Some(message) = geocode::tie_warning(m) {
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    message,
                    span: Some(m.span),
                });
            }
        }
        for m in mentions
            .iter()
            .filter(|m| m.status == MentionStatus::Unresolved)
        {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                message: format!("place \"{}\" is not in the gazetteer", m.text),
                span: Some(m.span),
            });
        }

        let (reference, date_mentions) =
            when::read_dates(article, &folded, &sentences, self.today, &mut diagnostics);
        let reference_year = reference
            .map(|r| r.date.year())
            .or_else(|| latest_year(&folded.text));
        let headline = headline_paragraph(text, &sentences);
        let folded_sentence = |s: &sentences::Sentence| folded.folded_range(s.span.range());
        let mut events: Vec<SentenceEvent> = sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| s.skip.is_none())
            .flat_map(|(i, s)| {
                self.lexicon
                    .events(&folded, folded_sentence(s), reference_year)
                    .into_iter()
                    .map(move |e| SentenceEvent {
                        sentence: i,
                        span: s.span,
                        trigger: e.trigger,
                        headline: Some(s.paragraph) == headline,
                        trigger_at: e.at,
                    })
            })
            .collect();
        events::protests_turned_violent(&mut events, |i| {
            let s = sentences.get(i)?;
            Some((folded.text.get(folded_sentence(s))?, s.paragraph))
        });
        let triggers: Vec<usize> = events.iter().map(|e| e.trigger_at).collect();
        let event_sentences: Vec<usize> = events.iter().map(|e| e.sentence).collect();
        let timeline = when::Timeline {
            dates: &date_mentions,
            sentences: &sentences,
            triggers: &triggers,
            event_sentences: &event_sentences,
            publication: reference.filter(|r| r.published).map(|r| r.date),
        };
        let mut actor_mentions = self.actors.find(&folded);
        self.actors.identify_generics(&mut actor_mentions, text);
        let deaths: Vec<Option<fatalities::Deaths>> = sentences
            .iter()
            .map(|s| {
                fatalities::in_sentence(folded.text.get(folded_sentence(s)).unwrap_or_default())
            })
            .collect();
        let who = incidents::Who {
            lexicon: &self.actors,
            mentions: &actor_mentions,
            deaths: &deaths,
            triggers: &triggers,
            folded: &folded,
            sentences: &sentences,
        };
        let incidents = incidents::build(
            article,
            &self.gazetteer,
            &mentions,
            &events,
            &timeline,
            &who,
        );
        ArticleResult {
            article_id: article.id.clone(),
            source: article.source.clone(),
            incidents,
            mentions,
            diagnostics,
        }
    }
}

/// The paragraph that is the article's headline: its first line, when short and unpunctuated.
fn headline_paragraph(text: &str, sentences: &[sentences::Sentence]) -> Option<usize> {
    let first = sentences.first()?;
    let line: Vec<&sentences::Sentence> = sentences
        .iter()
        .take_while(|s| s.paragraph == first.paragraph)
        .collect();
    let start = line.first()?.span.start;
    let end = line.last()?.span.end;
    let line_text = text.get(start..end)?;
    let unpunctuated = !line_text.trim_end().ends_with(['.', '!', '?', '»', '"']);
    let more_follows = sentences.len() > line.len();
    (more_follows && unpunctuated && line_text.chars().count() <= 200).then_some(first.paragraph)
}

/// The lines of an embedded data file that hold data: not blank, not a `#` comment.
pub(crate) fn data_lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Whether folded text reads as French rather than English, by function words.
fn is_french(folded: &str) -> bool {
    let mut french = 0;
    let mut english = 0;
    for word in folded.split(|c: char| !c.is_ascii_alphabetic()).take(400) {
        match word {
            "le" | "la" | "les" | "des" | "du" | "une" | "dans" | "est" | "sur" | "avec" => {
                french += 1
            }
            "the" | "and" | "of" | "in" | "was" | "were" | "on" | "with" | "by" => english += 1,
            _ => {}
        }
    }
    french > english
}

/// The latest plausible year written in the text (1990–2099), as a stand-in reference year.
fn latest_year(folded: &str) -> Option<i32> {
    folded
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1990..2100).contains(y))
        .max()
}
