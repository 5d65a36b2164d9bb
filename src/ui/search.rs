//! The incident search: every word of an incident's place, actors, types and notes, folded as
//! the engine folds text, in an index from word to incidents. A query word matches any indexed
//! word containing it ("menak" finds Ménaka), and an incident must match every query word.
//! The vocabulary is small beside the notes, so a keystroke scans it, not 100k notes.

use crate::engine::gazetteer::FastHasher;
use crate::engine::model::Incident;
use crate::engine::normalize::fold_key;
use crate::ui::filter::actors_of;
use memchr::memmem;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// The words are the app's own data, so a fast hash (no defence against crafted keys).
type Fast = BuildHasherDefault<FastHasher>;
use unicode_normalization::char::is_combining_mark;

/// Words to incidents, built once per set of incidents.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// The distinct words, each followed by a newline, in one buffer: a query word is found
    /// in all of them in one pass.
    vocabulary: String,
    /// Where each word starts in `vocabulary` (sorted: a match's word by binary search).
    starts: Vec<u32>,
    /// For each word, the incidents holding it (ascending, no repeats).
    postings: Vec<Vec<u32>>,
    incidents: usize,
}

impl SearchIndex {
    pub fn new(incidents: &[Incident]) -> SearchIndex {
        let mut index = SearchIndex {
            incidents: incidents.len(),
            ..SearchIndex::default()
        };
        // Words repeat (actors, places, common words): each distinct spelling is folded once.
        let mut by_spelling: HashMap<&str, u32, Fast> = HashMap::default();
        let mut by_folded: HashMap<String, u32, Fast> = HashMap::default();
        for (i, incident) in incidents.iter().enumerate() {
            for word in searchable_parts(incident).flat_map(words) {
                let id = match by_spelling.get(word) {
                    Some(id) => *id,
                    None => {
                        let folded = fold_key(word);
                        let id = match by_folded.get(&folded) {
                            Some(id) => *id,
                            None => {
                                let id = index.starts.len() as u32;
                                index.starts.push(index.vocabulary.len() as u32);
                                index.vocabulary.push_str(&folded);
                                index.vocabulary.push('\n');
                                index.postings.push(Vec::new());
                                by_folded.insert(folded, id);
                                id
                            }
                        };
                        by_spelling.insert(word, id);
                        id
                    }
                };
                let posting = &mut index.postings[id as usize];
                if posting.last() != Some(&(i as u32)) {
                    posting.push(i as u32);
                }
            }
        }
        index
    }

    /// How many incidents it was built over.
    pub fn len(&self) -> usize {
        self.incidents
    }

    pub fn is_empty(&self) -> bool {
        self.incidents == 0
    }

    /// Which incidents match every word of `query` (folded); None when it has no word.
    pub fn hits(&self, query: &str) -> Option<Vec<bool>> {
        let folded = fold_key(query);
        let words: Vec<&str> = words(&folded).collect();
        if words.is_empty() {
            return None;
        }
        let mut all = vec![true; self.incidents];
        for word in words {
            let mut this = vec![false; self.incidents];
            let mut last_word = None;
            for at in memmem::find_iter(self.vocabulary.as_bytes(), word.as_bytes()) {
                let k = self.starts.partition_point(|s| *s as usize <= at) - 1;
                if last_word == Some(k) {
                    continue;
                }
                last_word = Some(k);
                for &i in &self.postings[k] {
                    this[i as usize] = true;
                }
            }
            for (a, t) in all.iter_mut().zip(this) {
                *a &= t;
            }
        }
        Some(all)
    }
}

/// The words of a text: runs of letters and digits (with their combining accents).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
}

/// What the search reads of an incident: place (as resolved and as written), its admin
/// areas, types, actors and notes.
fn searchable_parts(i: &Incident) -> impl Iterator<Item = &str> {
    let location = i.location.as_ref();
    [
        location.map(|l| l.place.name.as_str()),
        location.and_then(|l| l.place.admin1.as_deref()),
        location.and_then(|l| l.place.admin2.as_deref()),
        i.place_mention.as_deref(),
        i.event_type.as_deref(),
        i.sub_event_type.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain(actors_of(i))
    .chain(i.evidence.iter().map(|e| e.sentence.as_str()))
}
