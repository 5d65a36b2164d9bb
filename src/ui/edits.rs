//! The analyst's corrections in the app: made, undone and redone in order (Ctrl+Z,
//! Ctrl+Shift+Z), each turned into the changes the workspace file keeps.

use crate::engine::corrections::{self, Correction, Edit};
use crate::io::store::{Change, StoredCorrection};
use crate::ui::app::App;

/// One correction made, with its number and time.
#[derive(Debug, Clone, PartialEq)]
struct Made {
    seq: i64,
    at: String,
    correction: Correction,
}

/// Every correction made; the first `active` are in force, the rest undone (redoable until a
/// new correction is made).
#[derive(Debug, Default)]
pub struct Edits {
    made: Vec<Made>,
    active: usize,
}

impl Edits {
    /// The corrections kept in the workspace file, in order; returns them and those that could
    /// not be read (as the problems to log).
    pub fn load(stored: Vec<StoredCorrection>) -> (Edits, Vec<String>) {
        let mut edits = Edits::default();
        let mut unreadable = Vec::new();
        for s in stored {
            match serde_json::from_str::<Correction>(&s.json) {
                Ok(correction) => {
                    if !s.undone {
                        edits.active = edits.made.len() + 1;
                    }
                    edits.made.push(Made {
                        seq: s.seq,
                        at: s.at,
                        correction,
                    });
                }
                Err(e) => {
                    unreadable.push(format!("correction {} ({}): unreadable: {e}", s.seq, s.at))
                }
            }
        }
        (edits, unreadable)
    }

    /// The corrections in force, in the order they were made.
    pub fn active(&self) -> Vec<Correction> {
        self.made[..self.active]
            .iter()
            .map(|m| m.correction.clone())
            .collect()
    }

    /// Makes a correction: the undone ones after the last in force are dropped.
    pub fn make(&mut self, correction: Correction) -> Vec<Change> {
        let mut changes: Vec<Change> = self
            .made
            .drain(self.active..)
            .map(|m| Change::RemoveCorrection(m.seq))
            .collect();
        let seq = self.made.last().map_or(1, |m| m.seq + 1);
        let made = Made {
            seq,
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            correction,
        };
        changes.push(stored(&made, false));
        self.made.push(made);
        self.active = self.made.len();
        changes
    }

    /// Undoes the last correction in force; the change to keep, or None when there is none.
    pub fn undo(&mut self) -> Option<Change> {
        let index = self.active.checked_sub(1)?;
        self.active = index;
        Some(stored(&self.made[index], true))
    }

    /// Redoes the last correction undone.
    pub fn redo(&mut self) -> Option<Change> {
        let made = self.made.get(self.active)?;
        self.active += 1;
        Some(stored(made, false))
    }

    /// What Undo would undo, in words ("fatalities of Battles, Gao, 2025-03-14").
    pub fn undo_label(&self) -> Option<String> {
        self.active
            .checked_sub(1)
            .map(|i| describe(&self.made[i].correction))
    }

    pub fn redo_label(&self) -> Option<String> {
        self.made.get(self.active).map(|m| describe(&m.correction))
    }
}

impl App {
    /// Corrects the incident `id` (as the engine read it: corrections anchor to its sentence).
    pub(super) fn correct(&mut self, id: &str, edit: Edit) {
        let read = self.workspace.read_incidents();
        let anchor = read
            .iter()
            .find(|i| i.id == id)
            .and_then(|i| corrections::anchor_of(i, read, |a| self.workspace.hash_of(a)));
        let Some(anchor) = anchor else {
            self.say(format!(
                "Cannot correct {id}: it has no sentence to anchor to"
            ));
            return;
        };
        let correction = Correction { anchor, edit };
        let said = format!("Corrected: {}", describe(&correction));
        let changes = self.edits.make(correction);
        self.persistence.send(changes);
        self.workspace.set_corrections(self.edits.active());
        self.say(said);
    }

    /// Merges the incident `other` into `id`: the analyst says they are the same event.
    pub(super) fn merge(&mut self, id: &str, other: &str) {
        let read = self.workspace.read_incidents();
        let anchor = read
            .iter()
            .find(|i| i.id == other)
            .and_then(|i| corrections::anchor_of(i, read, |a| self.workspace.hash_of(a)));
        match anchor {
            _ if id == other => {}
            Some(other) => self.correct(id, Edit::Merge { other }),
            None => self.say(format!(
                "Cannot merge {other}: it has no sentence to anchor to"
            )),
        }
    }

    /// Splits the part `part` (an incident as its own article reported it) off the merged
    /// incident `id`.
    pub(super) fn split(&mut self, id: &str, part: &str) {
        let anchor = self
            .workspace
            .reported(part)
            .and_then(|(incident, siblings)| {
                corrections::anchor_of(incident, siblings, |a| self.workspace.hash_of(a))
            });
        match anchor {
            Some(part) => self.correct(id, Edit::Split { part }),
            None => self.say(format!("Cannot split {part}: its report is not loaded")),
        }
    }

    /// Sets the publication date of article `id` (a correction): its relative dates count
    /// from it once it is read again, which starts now.
    pub(super) fn set_published(&mut self, id: &str, date: Option<String>) {
        let Some(hash) = self.workspace.hash_of(id) else {
            return;
        };
        let correction = Correction {
            anchor: corrections::article_anchor(hash, id.to_string()),
            edit: Edit::Published { date },
        };
        let said = format!("Corrected: {}; reading it again", describe(&correction));
        let changes = self.edits.make(correction);
        self.persistence.send(changes);
        self.reanchor();
        self.say(said);
    }

    /// Gives each loaded article the publication date the corrections in force say (else the
    /// one read from it) and reads again those whose date changed.
    pub(super) fn reanchor(&mut self) {
        let wanted = corrections::publication_dates(&self.edits.active());
        let mut changed = Vec::new();
        let loaded: Vec<(String, u64, Option<String>)> = self
            .workspace
            .articles()
            .iter()
            .map(|a| (a.article.id.clone(), a.hash, a.article.published.clone()))
            .collect();
        for (id, hash, current) in loaded {
            let date = wanted
                .get(&format!("{hash:016x}"))
                .cloned()
                .unwrap_or_else(|| self.published_read.get(&hash).cloned().flatten());
            if date != current
                && let Some(article) = self.workspace.set_published(&id, date)
            {
                changed.push(article);
            }
        }
        if !changed.is_empty() {
            self.worker.submit(crate::ui::jobs::Task::Extract(vec![
                crate::ui::jobs::Source::Articles(changed),
            ]));
        }
    }

    pub(super) fn undo(&mut self) {
        let label = self.edits.undo_label();
        if let Some(change) = self.edits.undo() {
            self.persistence.send(vec![change]);
            self.reanchor();
            self.workspace.set_corrections(self.edits.active());
            self.say(format!("Undone: {}", label.unwrap_or_default()));
        }
    }

    pub(super) fn redo(&mut self) {
        let label = self.edits.redo_label();
        if let Some(change) = self.edits.redo() {
            self.persistence.send(vec![change]);
            self.reanchor();
            self.workspace.set_corrections(self.edits.active());
            self.say(format!("Redone: {}", label.unwrap_or_default()));
        }
    }

    /// Whether there is something to undo (`undo`) or to redo.
    pub fn edits_can(&self, undo: bool) -> bool {
        if undo {
            self.edits.undo_label().is_some()
        } else {
            self.edits.redo_label().is_some()
        }
    }

    /// What Undo and Redo would do, for the Edit menu.
    pub fn undo_redo_labels(&self) -> (Option<String>, Option<String>) {
        (self.edits.undo_label(), self.edits.redo_label())
    }

    fn say(&mut self, text: String) {
        self.notice = Some((text, std::time::Instant::now()));
    }
}

fn stored(made: &Made, undone: bool) -> Change {
    Change::PutCorrection(StoredCorrection {
        seq: made.seq,
        at: made.at.clone(),
        json: serde_json::to_string(&made.correction).unwrap_or_default(),
        undone,
    })
}

fn describe(c: &Correction) -> String {
    let what = match &c.edit {
        Edit::Merge { other } => {
            return format!("merge of {} with {}", c.anchor.label, other.label);
        }
        Edit::Split { part } => return format!("split of {} from {}", part.label, c.anchor.label),
        Edit::PlaceHere { .. } | Edit::Candidate { .. } => "place",
        Edit::NotAnIncident => "not an incident",
        Edit::Date { .. } => "date",
        Edit::EventType { .. } => "event type",
        Edit::Actors { .. } => "actors",
        Edit::Fatalities { .. } => "fatalities",
        Edit::Published { .. } => "publication date",
    };
    format!("{what} of {}", c.anchor.label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::corrections::{Anchor, Edit};

    fn correction(n: u32) -> Correction {
        Correction {
            anchor: Anchor {
                article_hash: "00".into(),
                sentence: "Phrase.".into(),
                nth: 0,
                label: format!("incident {n}"),
            },
            edit: Edit::Fatalities {
                fatalities: Some(n),
            },
        }
    }

    #[test]
    fn undo_redo_and_a_new_edit_after_undo() {
        let mut edits = Edits::default();
        edits.make(correction(1));
        edits.make(correction(2));
        assert_eq!(edits.active().len(), 2);
        assert!(matches!(edits.undo(), Some(Change::PutCorrection(c)) if c.seq == 2 && c.undone));
        assert_eq!(edits.active(), vec![correction(1)]);
        assert_eq!(
            edits.redo_label().as_deref(),
            Some("fatalities of incident 2")
        );
        assert!(matches!(edits.redo(), Some(Change::PutCorrection(c)) if c.seq == 2 && !c.undone));
        assert!(edits.redo().is_none());
        edits.undo();
        // A new correction after an undo: the undone one is dropped for good.
        let changes = edits.make(correction(3));
        assert_eq!(changes[0], Change::RemoveCorrection(2));
        assert_eq!(edits.active(), vec![correction(1), correction(3)]);
        assert!(edits.redo().is_none());

        // Kept and read back as they were: the undone ones stay redoable.
        edits.undo();
        let stored: Vec<StoredCorrection> = edits
            .made
            .iter()
            .enumerate()
            .map(|(i, m)| match stored(m, i >= edits.active) {
                Change::PutCorrection(c) => c,
                _ => unreachable!(),
            })
            .collect();
        let (back, unreadable) = Edits::load(stored);
        assert!(unreadable.is_empty());
        assert_eq!(back.active(), vec![correction(1)]);
        assert_eq!(
            back.redo_label().as_deref(),
            Some("fatalities of incident 3")
        );
    }
}
