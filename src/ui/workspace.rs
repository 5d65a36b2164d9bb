//! The articles loaded in the app and what the engine made of them: one entry per distinct text
//! (a content hash keeps a file added twice from counting twice), the incidents after merging
//! the same event across articles, and the log of inputs that could not be read.

use crate::engine::merge::{self, Merge};
use crate::engine::model::{Article, ArticleResult, Incident, LocationStatus};

/// One article and the engine's reading of it.
#[derive(Debug, Clone)]
pub struct LoadedArticle {
    pub article: Article,
    pub hash: u64,
    pub result: ArticleResult,
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
    incidents: Vec<Incident>,
    merges: Vec<Merge>,
    log: Vec<LogEntry>,
    /// Bumped whenever `incidents` changes, so views can cache what they derive from them.
    version: u64,
}

impl Workspace {
    pub fn articles(&self) -> &[LoadedArticle] {
        &self.articles
    }

    /// The incidents of all articles, the same event reported twice merged into one.
    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
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
        self.articles.iter().any(|a| a.hash == hash)
    }

    pub fn article(&self, id: &str) -> Option<&LoadedArticle> {
        self.articles.iter().find(|a| a.article.id == id)
    }

    /// The incidents no place could be found for, with their index in `incidents()`.
    pub fn unlocated(&self) -> impl Iterator<Item = (usize, &Incident)> {
        self.incidents
            .iter()
            .enumerate()
            .filter(|(_, i)| i.status == LocationStatus::Unlocated)
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
        self.articles.push(LoadedArticle {
            article,
            hash,
            result,
        });
        self.remerge();
        true
    }

    /// Replaces the engine's reading of loaded articles (after a gazetteer change).
    pub fn replace_result(&mut self, result: ArticleResult) {
        if let Some(loaded) = self
            .articles
            .iter_mut()
            .find(|a| a.article.id == result.article_id)
        {
            loaded.result = result;
            self.remerge();
        }
    }

    /// The loaded articles' texts, to extract again.
    pub fn all_articles(&self) -> Vec<Article> {
        self.articles.iter().map(|a| a.article.clone()).collect()
    }

    fn remerge(&mut self) {
        let mut results: Vec<ArticleResult> =
            self.articles.iter().map(|a| a.result.clone()).collect();
        self.merges = merge::across_articles(&mut results);
        self.incidents = results.into_iter().flat_map(|r| r.incidents).collect();
        self.version += 1;
    }
}

/// A 64-bit FNV-1a hash of the text: stable across runs and platforms.
pub fn content_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
}
