//! The markers' index: which incidents are shown and where, and their clusters at each zoom
//! step with an index of their positions (`ByLongitude`), built on first use; or ahead of the
//! map, on a thread of their own while the panels are laid out (`prepare`). A frame whose
//! filters changed (the time brush sliding, playback) does not wait for that thread: until it
//! is done the map shows the clusters of the last filters, and draws again.

use crate::engine::model::Incident;
use crate::ui::bubble_stamps::{BubbleStamps, kind_of};
use crate::ui::clusters::{Cluster, gather, mercator};
use crate::ui::markers::footprint_of;
use crate::ui::sprites::Sprites;
use std::collections::HashMap;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Filters changing again within this are sliding (`MarkerIndex::sliding`).
const SLIDING: Duration = Duration::from_millis(200);
/// Zoom steps the clusters are computed for (half levels).
const STEPS_PER_ZOOM: f64 = 2.0;

/// Shown incidents (indices into the workspace's list) and their positions.
type Points = Arc<Vec<(usize, [f64; 2])>>;

/// The clusters at one zoom step, and an index of their positions.
pub type Step = (Vec<Cluster>, ByLongitude);

/// The clusters' positions sorted west to east, to find those in a part of the map: a binary
/// search for its west edge, then a walk east. Made by one sort: an R-tree's bulk load took
/// about a quarter of the clusters' thread at zoom 10 (100,000 incidents, the time brush
/// sliding), on every frame the filters change.
pub struct ByLongitude {
    /// (x, y, the cluster's number), by x.
    sorted: Vec<(f64, f64, usize)>,
}

impl ByLongitude {
    pub fn new(clusters: &[Cluster]) -> ByLongitude {
        let mut sorted: Vec<(f64, f64, usize)> = clusters
            .iter()
            .enumerate()
            .map(|(k, c)| (c.at[0], c.at[1], k))
            .collect();
        sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        ByLongitude { sorted }
    }

    /// The numbers of the clusters within the rectangle between the corners `a` and `b` (Web
    /// Mercator, edges included), in ascending order.
    pub fn within(&self, a: [f64; 2], b: [f64; 2]) -> Vec<usize> {
        let (x0, x1) = (a[0].min(b[0]), a[0].max(b[0]));
        let (y0, y1) = (a[1].min(b[1]), a[1].max(b[1]));
        let west = self.sorted.partition_point(|p| p.0 < x0);
        let mut found: Vec<usize> = self.sorted[west..]
            .iter()
            .take_while(|p| p.0 <= x1)
            .filter(|p| (y0..=y1).contains(&p.1))
            .map(|p| p.2)
            .collect();
        found.sort_unstable();
        found
    }
}

/// What markers are drawn from: the sprites' atlas (lone markers, rings) and the bubbles'
/// stamps.
pub(crate) struct MarkerArt {
    pub(crate) sprites: Sprites,
    pub(crate) stamps: BubbleStamps,
}

/// Clusters of the shown incidents, per zoom step, and an index to find those in view.
#[derive(Default)]
pub struct MarkerIndex {
    /// Every incident's position (Web Mercator), None when unlocated; per workspace version.
    positions: Arc<Vec<Option<[f64; 2]>>>,
    /// Which incidents are shown (indexed like the workspace's; missing entries are shown).
    shown: Arc<Vec<bool>>,
    /// The shown incidents (indices into the workspace's list) that are located, and their
    /// positions: gathered from `shown` by the first step that needs them.
    points: Option<Points>,
    /// Each incident's kind (its event type's place in the legend), read for every member of
    /// every bubble drawn.
    kinds: Vec<u8>,
    /// The radius each incident's marker covers when drawn alone, its stroke included.
    footprints: Arc<Vec<f32>>,
    /// (workspace version, filters' generation) of what is indexed.
    version: Option<(u64, u64)>,
    steps: HashMap<i32, Step>,
    /// A zoom step being clustered on another thread, from what is shown now; with the
    /// points it gathered.
    pending: Option<(i32, JoinHandle<(Points, Step)>)>,
    /// The clusters last made for earlier filters (the same incidents), per zoom step: shown
    /// while those of the filters now are still being made, so that a frame never waits for
    /// them (the time brush sliding, playback); and the thread still making the last ones.
    earlier: HashMap<i32, Step>,
    earlier_pending: Option<(i32, JoinHandle<(Points, Step)>)>,
    /// Whether the filters changed within `SLIDING` of their change before (the brush sliding,
    /// playback): only then does a frame not wait for the clusters of the filters now. One
    /// change alone (a type ticked) waits, and draws what it shows at once.
    sliding: bool,
    last_change: Option<Instant>,
    /// What the markers are drawn from, made with the first frame's context.
    art: Option<MarkerArt>,
}

impl MarkerIndex {
    /// Rebuilds when the incidents or which of them are shown changed: `version` says when
    /// the incidents did, `generation` when the filters did; `shown` is indexed like
    /// `incidents` (missing entries are shown).
    pub fn update(
        &mut self,
        version: u64,
        generation: u64,
        incidents: &[Incident],
        shown: &[bool],
    ) {
        if self.version == Some((version, generation)) {
            return;
        }
        let now = Instant::now();
        self.sliding = self
            .last_change
            .is_some_and(|t| now.duration_since(t) < SLIDING);
        self.last_change = Some(now);
        if self.version.is_none_or(|(v, _)| v != version) {
            // Clusters of other incidents: their members are no longer these.
            self.earlier.clear();
            self.earlier_pending = None;
            self.steps.clear();
            self.pending = None;
            self.positions = Arc::new(
                incidents
                    .iter()
                    .map(|i| i.location.as_ref().map(|l| mercator(l.lat, l.lon)))
                    .collect(),
            );
            self.kinds = incidents
                .iter()
                .map(|i| kind_of(i.event_type.as_deref()))
                .collect();
            self.footprints = Arc::new(
                incidents
                    .iter()
                    .map(|i| footprint_of(i.fatalities))
                    .collect(),
            );
        }
        self.version = Some((version, generation));
        if !self.steps.is_empty() {
            self.earlier = std::mem::take(&mut self.steps);
            // A thread still making clusters for older filters would overwrite these.
            self.earlier_pending = None;
        }
        if let Some(pending) = self.pending.take() {
            // One still making clusters for older filters is left to finish, unread.
            self.earlier_pending = Some(pending);
        }
        self.shown = Arc::new(shown.to_vec());
        self.points = None;
    }

    /// Starts clustering the shown incidents at `zoom` on another thread, unless that is done
    /// or under way; `step` then takes the result. Without it (or if the thread cannot be
    /// started) `step` clusters them itself.
    pub fn prepare(&mut self, zoom: f64) {
        let step = step_of(zoom);
        if self.steps.contains_key(&step) || self.pending.as_ref().is_some_and(|(s, _)| *s == step)
        {
            return;
        }
        let known = self.points.clone();
        let (positions, shown) = (self.positions.clone(), self.shown.clone());
        let footprints = self.footprints.clone();
        self.pending = std::thread::Builder::new()
            .name("clusters".into())
            .spawn(move || {
                let points = known.unwrap_or_else(|| Arc::new(located(&positions, &shown)));
                let step = build(&points, &footprints, step);
                (points, step)
            })
            .ok()
            .map(|handle| (step, handle));
    }

    /// The clusters at this zoom, built on first use (or taken from `prepare`'s thread), and
    /// whether they are those of the filters now: while the filters slide and `prepare`'s
    /// thread is still making them, those made for earlier filters are given instead, if there
    /// are any (the caller draws again soon). Then the incidents' kinds; what to draw with.
    pub(crate) fn step(
        &mut self,
        zoom: f64,
        ctx: &egui::Context,
    ) -> ((&Step, bool), &[u8], &mut MarkerArt) {
        let step = step_of(zoom);
        let art = self.art.get_or_insert_with(|| MarkerArt {
            sprites: Sprites::new(ctx),
            stamps: BubbleStamps::new(ctx),
        });
        if let Some((s, handle)) = self.earlier_pending.take_if(|(_, h)| h.is_finished())
            && let Ok((_, built)) = handle.join()
        {
            self.earlier.insert(s, built);
        }
        let making = self
            .pending
            .as_ref()
            .is_some_and(|(s, handle)| *s == step && !handle.is_finished());
        if making
            && self.sliding
            && !self.steps.contains_key(&step)
            && let Some(earlier) = self.earlier.get(&step)
        {
            return ((earlier, false), &self.kinds, art);
        }
        let (pending, points) = (&mut self.pending, &mut self.points);
        let (positions, shown, footprints) = (&self.positions, &self.shown, &self.footprints);
        let built = self.steps.entry(step).or_insert_with(|| {
            let prepared = match pending.take() {
                // A thread that panicked leaves the work to be done here.
                Some((s, handle)) if s == step => handle.join().ok(),
                other => {
                    *pending = other;
                    None
                }
            };
            match prepared {
                Some((gathered, built)) => {
                    *points = Some(gathered);
                    built
                }
                None => {
                    let points = points.get_or_insert_with(|| Arc::new(located(positions, shown)));
                    build(points, footprints, step)
                }
            }
        });
        ((built, true), &self.kinds, art)
    }
}

/// The zoom step a zoom level falls in.
fn step_of(zoom: f64) -> i32 {
    (zoom * STEPS_PER_ZOOM).floor() as i32
}

/// The incidents `shown` that have a position, with it.
fn located(positions: &[Option<[f64; 2]>], shown: &[bool]) -> Vec<(usize, [f64; 2])> {
    positions
        .iter()
        .enumerate()
        .filter(|(i, _)| shown.get(*i).copied().unwrap_or(true))
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect()
}

/// The clusters of `points` at a zoom step, and their index.
fn build(points: &[(usize, [f64; 2])], footprints: &[f32], step: i32) -> Step {
    let world_px = 256.0 * 2f64.powf(f64::from(step) / STEPS_PER_ZOOM);
    let clusters = gather(points, world_px, |i| {
        footprints.get(i).copied().unwrap_or(0.0)
    });
    let index = ByLongitude::new(&clusters);
    (clusters, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index of `n` incidents on a grid around Ségou, the first filters (generation 0)
    /// showing them all.
    fn index(n: usize) -> MarkerIndex {
        let positions: Vec<Option<[f64; 2]>> = (0..n)
            .map(|k| {
                let (row, column) = ((k % 37) as f64, (k / 37) as f64);
                Some(mercator(13.0 + row * 0.05, -6.5 + column * 0.05))
            })
            .collect();
        let mut index = MarkerIndex {
            positions: Arc::new(positions),
            kinds: vec![0; n],
            footprints: Arc::new(vec![6.5; n]),
            ..Default::default()
        };
        // The incidents as the workspace's version 1 has them; no filter yet.
        index.version = Some((1, u64::MAX));
        index.update(1, 0, &[], &[]);
        index
    }

    /// The clusters `step` gives at `zoom` with `shown` (filters' generation 1), made ahead
    /// or not.
    fn clusters(ahead: bool, shown: &[bool], zoom: f64) -> Vec<Cluster> {
        let mut index = index(shown.len());
        // Started for the first filters, then the filters change.
        index.prepare(zoom);
        index.update(1, 1, &[], shown);
        if ahead {
            index.prepare(zoom);
        }
        current(&mut index, zoom, &egui::Context::default())
    }

    /// The clusters of the filters now, once made.
    fn current(index: &mut MarkerIndex, zoom: f64, ctx: &egui::Context) -> Vec<Cluster> {
        for _ in 0..10_000 {
            let ((step, current), _, _) = index.step(zoom, ctx);
            if current {
                return step.0.clone();
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        panic!("the clusters were never made");
    }

    #[test]
    fn clusters_made_ahead_are_those_of_the_incidents_shown_now() {
        // Every other incident shown: the thread started before the filters changed is not
        // read, the one started after is.
        let shown: Vec<bool> = (0..2000).map(|k| k % 2 == 0).collect();
        for zoom in [6.0, 8.3, 10.0] {
            let ahead = clusters(true, &shown, zoom);
            assert_eq!(ahead, clusters(false, &shown, zoom), "zoom {zoom}");
            let members: usize = ahead.iter().map(|c| c.members.len()).sum();
            assert_eq!(members, 1000, "zoom {zoom}");
        }
    }

    #[test]
    fn clusters_made_ahead_for_another_zoom_are_kept_for_it() {
        let ctx = egui::Context::default();
        let mut index = index(500);
        index.prepare(6.0);
        // The map zoomed in meanwhile: this zoom's clusters are built here.
        let at_nine = current(&mut index, 9.0, &ctx);
        let mut fresh = self::index(500);
        assert_eq!(at_nine, current(&mut fresh, 9.0, &ctx));
        assert!(index.pending.is_some(), "zoom 6's are still to be taken");
        // And zoom 6's are taken when the map comes back to it.
        let at_six = current(&mut index, 6.0, &ctx);
        assert!(index.pending.is_none());
        assert_eq!(at_six, current(&mut fresh, 6.0, &ctx));
        assert!(
            at_six.len() < at_nine.len(),
            "fewer, larger bubbles further out"
        );
    }

    #[test]
    fn clusters_by_longitude_are_those_within_the_rectangle() {
        let ctx = egui::Context::default();
        let mut index = index(3000);
        let (clusters, by_longitude) = index.step(9.0, &ctx).0.0;
        let (lat_lon_a, lat_lon_b) = ([13.2, -6.3], [14.1, -5.1]);
        let a = mercator(lat_lon_a[0], lat_lon_a[1]);
        let b = mercator(lat_lon_b[0], lat_lon_b[1]);
        let expected: Vec<usize> = (0..clusters.len())
            .filter(|&k| {
                let at = clusters[k].at;
                (a[0].min(b[0])..=a[0].max(b[0])).contains(&at[0])
                    && (a[1].min(b[1])..=a[1].max(b[1])).contains(&at[1])
            })
            .collect();
        assert!(
            expected.len() > 10 && expected.len() < clusters.len(),
            "some, not all"
        );
        assert_eq!(by_longitude.within(a, b), expected);
        // The corners either way round, and a rectangle holding none.
        assert_eq!(by_longitude.within(b, a), expected);
        let far = mercator(20.0, 3.0);
        assert!(by_longitude.within(far, far).is_empty());
    }

    #[test]
    fn while_the_clusters_of_new_filters_are_made_the_last_ones_are_shown() {
        let ctx = egui::Context::default();
        let mut index = index(20_000);
        let all = current(&mut index, 9.0, &ctx);
        // The filters slide (a change, then another the next frame): half the incidents shown,
        // clustered on another thread.
        let half: Vec<bool> = (0..20_000).map(|k| k % 2 == 0).collect();
        index.update(
            1,
            1,
            &[],
            &(0..20_000).map(|k| k % 3 == 0).collect::<Vec<_>>(),
        );
        index.update(1, 2, &[], &half);
        index.prepare(9.0);
        let ((meanwhile, current_now), _, _) = index.step(9.0, &ctx);
        assert!(
            !current_now,
            "10,000 incidents are not clustered in an instant"
        );
        assert_eq!(meanwhile.0, all, "the last clusters, not none");
        let made = current(&mut index, 9.0, &ctx);
        let members: usize = made.iter().map(|c| c.members.len()).sum();
        assert_eq!(members, 10_000);
        assert_eq!(made, clusters(false, &half, 9.0));
    }

    /// The clusters of earlier filters are shown only over the same incidents: their members
    /// are indices into the incidents' list.
    #[test]
    fn clusters_of_other_incidents_are_never_shown() {
        let ctx = egui::Context::default();
        let mut index = index(2000);
        assert!(!current(&mut index, 9.0, &ctx).is_empty());
        // The filters change, then the incidents: none of them located.
        index.update(1, 1, &[], &vec![true; 2000]);
        index.prepare(9.0);
        index.update(2, 1, &[], &[]);
        assert!(index.earlier.is_empty() && index.earlier_pending.is_none());
        index.prepare(9.0);
        let ((step, current_now), _, _) = index.step(9.0, &ctx);
        assert!(current_now);
        assert!(step.0.is_empty());
    }

    /// The clusters shown meanwhile are the newest made: a thread started for older filters
    /// than theirs is not read.
    #[test]
    fn clusters_of_older_filters_never_replace_newer_ones() {
        let ctx = egui::Context::default();
        let mut index = index(2000);
        // Filters 0: clustering starts; filters 1: clustered here, that thread left running.
        index.prepare(6.0);
        let every_other: Vec<bool> = (0..2000).map(|k| k % 2 == 0).collect();
        index.update(1, 1, &[], &every_other);
        let newer = current(&mut index, 6.0, &ctx);
        // Filters 2: filters 1's clusters are those shown meanwhile, not filters 0's.
        index.update(1, 2, &[], &vec![false; 2000]);
        assert!(index.earlier_pending.is_none());
        std::thread::sleep(std::time::Duration::from_millis(50));
        index.prepare(6.0);
        let ((meanwhile, current_now), _, _) = index.step(6.0, &ctx);
        if !current_now {
            assert_eq!(meanwhile.0, newer);
        }
    }

    #[test]
    fn one_change_of_the_filters_waits_for_its_clusters() {
        let ctx = egui::Context::default();
        let mut index = index(20_000);
        current(&mut index, 9.0, &ctx);
        // One change of the filters, a while after the last (a type ticked).
        std::thread::sleep(SLIDING);
        let half: Vec<bool> = (0..20_000).map(|k| k % 2 == 0).collect();
        index.update(1, 1, &[], &half);
        index.prepare(9.0);
        let ((made, current_now), _, _) = index.step(9.0, &ctx);
        assert!(current_now);
        let members: usize = made.0.iter().map(|c| c.members.len()).sum();
        assert_eq!(members, 10_000);
    }
}
