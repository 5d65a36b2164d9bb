//! The view a workspace file keeps beside its articles: the map's centre and zoom, the filters
//! and time brush, the timeline's view and playback, the table's sort and the selected
//! incident. Opening the workspace brings them back (over the app's own settings); a change is
//! saved within a second.

use crate::ui::app::App;
use crate::ui::filter::Filters;
use crate::ui::table::TableSettings;
use crate::ui::timeline::TimelineSettings;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The key of the view in the workspace's UI state.
pub const KEY: &str = "view";

/// How long a change waits, at most, before it is handed to the autosaver (which writes
/// within a second): a pan sends one view, not one per frame.
const SETTLE: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkspaceView {
    /// (lat, lon, zoom).
    pub map: Option<(f64, f64, f64)>,
    pub filters: Filters,
    pub timeline: TimelineSettings,
    pub table: TableSettings,
    pub selected: Option<String>,
}

/// What was last handed to the autosaver, and since when the view differs from it.
#[derive(Debug, Default)]
pub struct ViewSaver {
    sent: String,
    changed_at: Option<Instant>,
}

impl WorkspaceView {
    /// The view kept in a workspace file; None when it keeps none or this build cannot read
    /// it (the app's own settings then stand).
    pub fn parse(json: Option<&str>) -> Option<WorkspaceView> {
        serde_json::from_str(json?).ok()
    }
}

impl App {
    fn current_view(&self) -> WorkspaceView {
        WorkspaceView {
            map: Some(self.map.center_and_zoom()),
            filters: self.settings.filters.clone(),
            timeline: self.settings.timeline.clone(),
            table: self.settings.table,
            selected: self.selected.clone(),
        }
    }

    /// Brings back the view a workspace was left in: the filters, timeline and table at once,
    /// the map when given (else it fits the incidents once they are read).
    pub(super) fn restore_view(&mut self, view: WorkspaceView) {
        self.settings.filters = view.filters;
        self.settings.timeline = view.timeline;
        self.settings.table = view.table;
        self.selected = view.selected;
        if let Some((lat, lon, zoom)) = view.map {
            self.map.zoom_to(lat, lon, zoom);
            self.map.fit_pending = false;
        }
        self.update_filtered();
        // What was just read from the file need not be written back.
        self.view_saver.sent = serde_json::to_string(&self.current_view()).unwrap_or_default();
    }

    /// Each frame: hands the view to the autosaver once it has differed from the last one
    /// sent for `SETTLE` (asking for a frame then, so an idle window still saves it).
    pub(super) fn save_view(&mut self, ctx: &egui::Context) {
        let json = serde_json::to_string(&self.current_view()).unwrap_or_default();
        if json == self.view_saver.sent {
            self.view_saver.changed_at = None;
            return;
        }
        let since = *self.view_saver.changed_at.get_or_insert_with(Instant::now);
        if since.elapsed() < SETTLE {
            ctx.request_repaint_after(SETTLE.saturating_sub(since.elapsed()));
            return;
        }
        self.send_view(json);
    }

    /// Whether the view has changed since it was last handed to the autosaver.
    pub(super) fn view_waiting(&self) -> bool {
        self.view_saver.changed_at.is_some()
    }

    /// Hands the view to the autosaver now (before the workspace is closed).
    pub(super) fn save_view_now(&mut self) {
        let json = serde_json::to_string(&self.current_view()).unwrap_or_default();
        if json != self.view_saver.sent {
            self.send_view(json);
        }
    }

    fn send_view(&mut self, json: String) {
        self.persistence
            .send(vec![crate::io::store::Change::PutUiState {
                key: KEY.into(),
                json: json.clone(),
            }]);
        self.view_saver = ViewSaver {
            sent: json,
            changed_at: None,
        };
    }
}
