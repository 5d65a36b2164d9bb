//! The analyst's corrections a workspace keeps, applied by the commands that read articles
//! (`extract`, `render`, the summary) as the app applies them: publication dates before
//! reading, splits while merging, the rest over the incidents.

use incident_map::engine::Engine;
use incident_map::engine::corrections::{self, Correction};
use incident_map::engine::merge::Apart;
use incident_map::engine::model::{Article, ArticleResult};
use incident_map::io::store::{self, Store};
use std::collections::HashMap;
use std::path::Path;

/// The corrections in force in a workspace (none without one), and the content hash of each
/// article of the batch, which they anchor to.
#[derive(Default)]
pub struct AnalystCorrections {
    corrections: Vec<Correction>,
    /// Article id → content hash (hex).
    hashes: HashMap<String, String>,
    workspace: String,
}

impl AnalystCorrections {
    /// Reads the corrections of `workspace` and gives `articles` the publication dates the
    /// analyst set (their relative dates count from them). Unreadable corrections are said on
    /// stderr.
    pub fn load(workspace: Option<&Path>, articles: &mut [Article]) -> anyhow::Result<Self> {
        let Some(workspace) = workspace else {
            return Ok(AnalystCorrections::default());
        };
        let (corrections, problems) =
            store::active_corrections(Store::open(workspace)?.corrections()?);
        for problem in problems {
            eprintln!("incident-map: {}: {problem}", workspace.display());
        }
        let hashes: HashMap<String, String> = articles
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    format!("{:016x}", store::content_hash(&a.text)),
                )
            })
            .collect();
        let published = corrections::publication_dates(&corrections);
        for article in articles.iter_mut() {
            if let Some(date) = hashes.get(&article.id).and_then(|h| published.get(h)) {
                article.published = date.clone();
            }
        }
        Ok(AnalystCorrections {
            corrections,
            hashes,
            workspace: workspace.display().to_string(),
        })
    }

    /// The reports the analyst split apart, for the merge across articles.
    pub fn kept_apart(&self) -> Apart {
        corrections::kept_apart(&self.corrections, |hash| {
            self.hashes
                .iter()
                .find(|(_, h)| h.as_str() == hash)
                .map(|(id, _)| id.clone())
        })
    }

    /// Applies the corrections to `results`; each whose incident is not among them is said on
    /// stderr. Returns how many applied.
    pub fn apply(&self, results: &mut [ArticleResult], engine: &Engine) -> usize {
        if self.corrections.is_empty() {
            return 0;
        }
        let orphans = corrections::apply_to_results(
            results,
            &self.corrections,
            |id| self.hashes.get(id).cloned(),
            Some(engine.gazetteer().admin()),
        );
        for orphan in &orphans {
            eprintln!(
                "incident-map: {}: a correction of {} was not applied: that incident is not in these articles",
                self.workspace, orphan.label
            );
        }
        let about_incidents = self
            .corrections
            .iter()
            .filter(|c| !matches!(c.edit, corrections::Edit::Published { .. }))
            .count();
        about_incidents - orphans.len()
    }
}
