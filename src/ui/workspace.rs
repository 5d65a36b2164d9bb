//! The articles loaded in the app and what the engine made of them: one entry per distinct text
//! (a content hash keeps a file added twice from counting twice), the incidents after merging
//! the same event across articles, and the log of inputs that could not be read.

use crate::engine::corrections::{self, Correction, Orphan};
use crate::engine::gazetteer::AdminTable;
use crate::engine::merge::{Apart, Merge, Merger};
use crate::engine::model::{Article, ArticleResult, Incident, LocationStatus};
pub use crate::io::store::content_hash;
use std::sync::Arc;

/// One article and the engine's reading of it.
#[derive(Debug, Clone)]
pub struct LoadedArticle {
    pub article: Article,
    pub hash: u64,
    /// Shared with the autosaver's queue (a reading is never copied to be saved).
    pub result: Arc<ArticleResult>,
}

/// A problem to show in the log panel: which input, and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub input: String,
    pub problem: String,
}

/// Everything loaded, and the merged incidents the map shows.
#[derive(Debug, Default)]
pub struct Workspace {
    articles: Vec<LoadedArticle>,
    /// Where each article is in `articles`, by id and by content hash (an archive holds tens
    /// of thousands: no scan per article added).
    by_id: std::collections::HashMap<String, usize>,
    by_hash: std::collections::HashMap<u64, usize>,
    merger: Merger,
    /// The articles' incidents after merging, in reading order (what `merger` has seen), as
    /// the engine read them: the only copy (the merger absorbs reports into them in place).
    incidents: Vec<Incident>,
    /// The analyst's corrections in force, applied over `incidents`; `corrected` is the
    /// result (what the map and the lists show), None when there are none.
    corrections: Vec<Correction>,
    corrected: Option<Vec<Incident>>,
    /// Corrections whose incident was not found, for the log.
    orphans: Vec<Orphan>,
    /// Places an analyst's point in its region and cercle (the engine's admin table).
    admin: Option<AdminTable>,
    /// The corrected list is behind `incidents` or `corrections`: redone by `refresh`.
    corrections_stale: bool,
    merges: Vec<Merge>,
    log: Vec<LogEntry>,
    /// Indices into `incidents`, newest first (undated last), and of the unlocated ones.
    newest_first: Vec<usize>,
    unlocated: Vec<usize>,
    /// An article was read again: merge everything anew before showing.
    stale: bool,
    /// Incidents were added: the orders and the version are redone by `refresh` (once for a
    /// batch of articles, not once per article).
    order_stale: bool,
    /// Bumped whenever `incidents` changes, so views can cache what they derive from them.
    version: u64,
}

impl Workspace {
    pub fn articles(&self) -> &[LoadedArticle] {
        &self.articles
    }

    /// The incidents of all articles, the same event reported twice merged into one, with the
    /// analyst's corrections applied (as of the last `refresh`).
    pub fn incidents(&self) -> &[Incident] {
        self.corrected.as_deref().unwrap_or(&self.incidents)
    }

    /// The incidents as the engine read them, before any correction.
    pub fn read_incidents(&self) -> &[Incident] {
        &self.incidents
    }

    /// The incident `id` as its own article reported it, before any merge, with the other
    /// incidents of that article.
    pub fn reported(&self, id: &str) -> Option<(&Incident, &[Incident])> {
        // An incident's id is its article's and its number: "a.txt#2".
        let (article, _) = id.rsplit_once('#')?;
        let all = &self.article(article)?.result.incidents;
        all.iter().find(|i| i.id == id).map(|i| (i, all.as_slice()))
    }

    /// The content hash of an article, as corrections anchor to it.
    pub fn hash_of(&self, article_id: &str) -> Option<String> {
        self.article(article_id).map(|a| format!("{:016x}", a.hash))
    }

    /// Puts these corrections in force (applied at the next `refresh`; when they split other
    /// reports apart, everything is merged anew).
    pub fn set_corrections(&mut self, corrections: Vec<Correction>) {
        self.corrections = corrections;
        self.corrections_stale = true;
        if self.kept_apart() != *self.merger.apart() {
            self.stale = true;
        }
    }

    /// The reports the corrections in force split apart, among the loaded articles.
    fn kept_apart(&self) -> Apart {
        corrections::kept_apart(&self.corrections, |hash| {
            let hash = u64::from_str_radix(hash, 16).ok()?;
            let at = *self.by_hash.get(&hash)?;
            self.articles.get(at).map(|a| a.article.id.clone())
        })
    }

    /// The engine's admin table, to place an analyst's point in its cercle.
    pub fn set_admin(&mut self, admin: AdminTable) {
        self.admin = Some(admin);
        self.corrections_stale = true;
    }

    /// Corrections whose incident is no longer found (after re-reading).
    pub fn orphans(&self) -> &[Orphan] {
        &self.orphans
    }

    pub fn merges(&self) -> &[Merge] {
        &self.merges
    }

    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn contains(&self, hash: u64) -> bool {
        self.by_hash.contains_key(&hash)
    }

    pub fn article(&self, id: &str) -> Option<&LoadedArticle> {
        self.articles.get(*self.by_id.get(id)?)
    }

    /// Indices of the incidents no place could be found for.
    pub fn unlocated(&self) -> &[usize] {
        &self.unlocated
    }

    /// Indices of every incident, newest first; undated ones last.
    pub fn newest_first(&self) -> &[usize] {
        &self.newest_first
    }

    pub fn note_problem(&mut self, input: impl Into<String>, problem: impl Into<String>) {
        self.log.push(LogEntry {
            input: input.into(),
            problem: problem.into(),
        });
    }

    /// Adds an article read by the engine. Returns false, and changes nothing, when the same
    /// text is already loaded. Another article already using the id gets a numbered id.
    pub fn add(&mut self, mut article: Article, mut result: ArticleResult) -> bool {
        let hash = content_hash(&article.text);
        if self.contains(hash) {
            return false;
        }
        if self.article(&article.id).is_some() {
            let id = (2..)
                .map(|n| format!("{} ({n})", article.id))
                .find(|id| self.article(id).is_none())
                .unwrap_or_default();
            rename_article(&mut result, &article.id, &id);
            article.id = id;
        }
        self.merge_anew_if_stale();
        self.by_id.insert(article.id.clone(), self.articles.len());
        self.by_hash.insert(hash, self.articles.len());
        self.articles.push(LoadedArticle {
            article,
            hash,
            result: Arc::new(result),
        });
        // Splits naming the new article now apply (the earlier ones were merged without it).
        let apart = self.kept_apart();
        if apart != *self.merger.apart() {
            self.merger = std::mem::take(&mut self.merger).with_apart(apart);
        }
        self.merge_article(self.articles.len() - 1);
        self.changed();
        true
    }

    /// Replaces the engine's reading of a loaded article (after a gazetteer change). The
    /// merge is redone by `refresh`, once for the whole batch.
    pub fn replace_result(&mut self, result: ArticleResult) {
        if let Some(loaded) = self
            .by_id
            .get(&result.article_id)
            .and_then(|&at| self.articles.get_mut(at))
        {
            loaded.result = Arc::new(result);
            self.stale = true;
        }
    }

    /// Merges everything anew if an article was read again since the last call, and applies
    /// the corrections again if anything changed.
    pub fn refresh(&mut self) {
        self.merge_anew_if_stale();
        if std::mem::take(&mut self.corrections_stale) {
            self.correct();
        } else if std::mem::take(&mut self.order_stale) {
            self.order();
        }
    }

    fn merge_anew_if_stale(&mut self) {
        if std::mem::take(&mut self.stale) {
            self.merger = Merger::new(self.kept_apart());
            self.merges.clear();
            self.incidents.clear();
            for i in 0..self.articles.len() {
                self.merge_article(i);
            }
            self.changed();
        }
    }

    /// The corrected list, its orders, a new version.
    fn correct(&mut self) {
        if self.corrections.is_empty() {
            self.corrected = None;
            self.orphans.clear();
        } else {
            let mut corrected = self.incidents.clone();
            let hashes: std::collections::HashMap<&str, u64> = self
                .articles
                .iter()
                .map(|a| (a.article.id.as_str(), a.hash))
                .collect();
            self.orphans = corrections::apply(
                &mut corrected,
                &self.corrections,
                |id| hashes.get(id).map(|h| format!("{h:016x}")),
                self.admin.as_ref(),
            );
            self.corrected = Some(corrected);
        }
        self.order();
    }

    /// Sets an article's publication date (before it is read again). Returns the article as
    /// it now is, or None when there is no article `id`.
    pub fn set_published(&mut self, id: &str, date: Option<String>) -> Option<Article> {
        let loaded = self.articles.get_mut(*self.by_id.get(id)?)?;
        loaded.article.published = date;
        Some(loaded.article.clone())
    }

    /// The loaded articles' texts, to extract again.
    pub fn all_articles(&self) -> Vec<Article> {
        self.articles.iter().map(|a| a.article.clone()).collect()
    }

    /// After `incidents` changed: with corrections, they are applied again at the next
    /// `refresh` (once for a batch); without, the derived orders and a new version there too.
    fn changed(&mut self) {
        if self.corrections.is_empty() {
            self.corrected = None;
            self.order_stale = true;
        } else {
            self.corrections_stale = true;
        }
    }

    /// The derived orders of what is shown, and a new version for the views.
    fn order(&mut self) {
        self.order_stale = false;
        let incidents = self.corrected.as_deref().unwrap_or(&self.incidents);
        self.newest_first = (0..incidents.len()).collect();
        self.newest_first
            .sort_by(|a, b| incidents[*b].event_date.cmp(&incidents[*a].event_date));
        self.unlocated = (0..incidents.len())
            .filter(|i| incidents[*i].status == LocationStatus::Unlocated)
            .collect();
        self.version += 1;
    }

    /// Merges article `i` (the next one) into what came before: only its incidents are
    /// compared, through the merger's index, so adding stays fast however much is loaded.
    fn merge_article(&mut self, i: usize) {
        let Some(loaded) = self.articles.get(i) else {
            return;
        };
        // The merger needs the incidents only: the mentions (with their candidates) stay in
        // `articles`, once.
        let mut next = ArticleResult {
            article_id: loaded.result.article_id.clone(),
            source: loaded.result.source.clone(),
            incidents: loaded.result.incidents.clone(),
            mentions: Vec::new(),
            diagnostics: Vec::new(),
        };
        let merges = self.merger.next(&mut self.incidents, &mut next);
        self.incidents.append(&mut next.incidents);
        self.merges.extend(merges);
    }
}

fn rename_article(result: &mut ArticleResult, from: &str, to: &str) {
    result.article_id = to.to_string();
    for incident in &mut result.incidents {
        if let Some(rest) = incident.id.strip_prefix(from) {
            incident.id = format!("{to}{rest}");
        }
        for evidence in &mut incident.evidence {
            if evidence.article_id == from {
                evidence.article_id = to.to_string();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::engine::gazetteer::Gazetteer;

    fn article(id: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            source: id.into(),
            text: text.into(),
            published: Some("2025-06-10".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_same_text_twice_is_loaded_once_and_a_reused_name_is_numbered() {
        let engine = Engine::new(Gazetteer::bundled());
        let mut workspace = Workspace::default();
        let text = "Le 7 juin 2025, des jihadistes ont attaqué Tessit, tuant trois soldats.";
        let a = article("a.txt", text);
        assert!(workspace.add(a.clone(), engine.extract(&a)));
        assert!(!workspace.add(a.clone(), engine.extract(&a)));
        assert_eq!(workspace.articles().len(), 1);

        let other = article("a.txt", "Le 8 juin 2025, l'armée a frappé Ménaka.");
        assert!(workspace.add(other.clone(), engine.extract(&other)));
        let ids: Vec<&str> = workspace
            .articles()
            .iter()
            .map(|a| a.article.id.as_str())
            .collect();
        assert_eq!(ids, ["a.txt", "a.txt (2)"]);
        let renamed = workspace
            .incidents()
            .iter()
            .find(|i| i.id.starts_with("a.txt (2)"))
            .expect("the second article's incident carries its new id");
        assert!(renamed.evidence.iter().all(|e| e.article_id == "a.txt (2)"));
    }

    #[test]
    fn adding_articles_one_by_one_merges_as_the_batch_does() {
        let engine = Engine::new(Gazetteer::bundled());
        let articles = [
            article(
                "a.txt",
                "Le 7 juin 2025, le JNIM a attaqué le camp militaire de Tessit, tuant cinq soldats.",
            ),
            article(
                "b.txt",
                "Samedi 7 juin 2025, des jihadistes du JNIM ont attaqué le camp de Tessit. Cinq militaires ont été tués.",
            ),
            article(
                "c.txt",
                "Le 9 juin 2025, l'armée a frappé des positions de l'EIGS près de Ménaka.",
            ),
        ];
        let mut workspace = Workspace::default();
        let mut batch: Vec<ArticleResult> = Vec::new();
        for a in &articles {
            let result = engine.extract(a);
            batch.push(result.clone());
            workspace.add(a.clone(), result);
        }
        let merges = crate::engine::merge::across_articles(&mut batch, Apart::default());
        let expected: Vec<Incident> = batch.into_iter().flat_map(|r| r.incidents).collect();
        assert_eq!(workspace.incidents(), expected.as_slice());
        assert_eq!(workspace.merges(), merges.as_slice());
        let tessit = workspace
            .incidents()
            .iter()
            .find(|i| i.sources.len() == 2)
            .expect("the two reports of Tessit are one incident");
        assert_eq!(tessit.sources, ["a.txt", "b.txt"]);

        // Read again (a new gazetteer): merged anew, to the same result.
        let before = workspace.incidents().to_vec();
        for a in &articles {
            workspace.replace_result(engine.extract(a));
        }
        workspace.refresh();
        assert_eq!(workspace.incidents(), before.as_slice());
    }
}
