//! Gathering the incidents' markers into count bubbles at one zoom step, so that no marker or
//! bubble covers another: markers in one small grid cell are gathered first, then whatever
//! would still touch is merged until nothing does.

use rustc_hash::FxHashMap;

/// One drawn item at a zoom step: a single incident or a cluster of several.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Web Mercator, 0..1 both ways: the mean position of the members.
    pub at: [f64; 2],
    /// Indices into the workspace's incidents, ascending.
    pub members: Vec<usize>,
}

/// Markers in one grid cell this many pixels wide are gathered before anything else.
pub const CELL_PX: f64 = 34.0;
/// Clear pixels kept between two markers or bubbles.
pub const GAP_PX: f32 = 2.0;
/// The white halo around a bubble's disc, in pixels.
pub const BUBBLE_HALO_PX: f32 = 3.0;
/// The widest a bubble ever is: its disc at the largest count, and its halo.
const LARGEST_BUBBLE_PX: f32 = 11.0 + 3.5 * 6.0 + BUBBLE_HALO_PX;

/// A count bubble's disc radius in pixels: it grows with the logarithm of the count, up to a
/// count of 64.
pub fn bubble_radius(count: usize) -> f32 {
    11.0 + 3.5 * (count.max(1) as f32).log2().min(6.0)
}

/// The clusters at a scale where the whole Web Mercator square is `world_px` pixels wide.
/// `marker_px` gives the radius a lone incident's marker covers (its stroke included). At
/// this scale, or any larger one, no two clusters' footprints come closer than `GAP_PX`.
pub fn gather(
    points: &[(usize, [f64; 2])],
    world_px: f64,
    marker_px: impl Fn(usize) -> f32,
) -> Vec<Cluster> {
    let footprint = |c: &Cluster| match c.members.as_slice() {
        [one] => marker_px(*one).min(LARGEST_BUBBLE_PX),
        many => bubble_radius(many.len()) + BUBBLE_HALO_PX,
    };
    let mut clusters = grid_clusters(points, CELL_PX / world_px);
    // No incident is in two clusters, so the first member breaks ties: the order, and so the
    // result, do not depend on the hash map's.
    clusters.sort_unstable_by_key(|c| {
        (
            std::cmp::Reverse(c.members.len()),
            c.members.first().copied(),
        )
    });
    // Largest first, each cluster joins the nearest one kept before it that it would touch,
    // or is kept. A kept cluster that took others in has grown and moved: it is checked again,
    // and so on until nothing touches. Every merge leaves one cluster fewer, so this ends.
    let mut board = Board::new(world_px, clusters.len());
    let mut changed: Vec<usize> = Vec::new();
    for c in clusters {
        match board.touching(&c, &footprint) {
            Some(k) => {
                board.absorb(k, c, &footprint);
                changed.push(k);
            }
            None => board.keep(c, &footprint),
        }
    }
    while !changed.is_empty() {
        changed.sort_unstable();
        changed.dedup();
        changed.sort_by_key(|&k| std::cmp::Reverse(board.size(k)));
        for k in std::mem::take(&mut changed) {
            let Some(c) = board.take(k) else { continue };
            match board.touching(&c, &footprint) {
                Some(into) if board.size(into) >= c.members.len() => {
                    board.absorb(into, c, &footprint);
                    changed.push(into);
                }
                Some(other) => {
                    let smaller = board.take(other);
                    board.put(k, c, &footprint);
                    if let Some(smaller) = smaller {
                        board.absorb(k, smaller, &footprint);
                    }
                    changed.push(k);
                }
                None => board.put(k, c, &footprint),
            }
        }
    }
    let mut clusters = board.into_clusters();
    for c in &mut clusters {
        c.members.sort_unstable();
    }
    clusters.sort_unstable_by_key(|c| c.members.first().copied());
    clusters
}

/// The clusters kept so far, in a grid of cells wide enough that a cluster touches only
/// clusters in its own cell and those around it.
struct Board {
    world_px: f64,
    /// Cell width, in Web Mercator units.
    cell: f64,
    /// Each cluster with its footprint; None once taken (merged into another, or lifted out).
    kept: Vec<Option<(Cluster, f32)>>,
    cells: FxHashMap<(i64, i64), Vec<usize>>,
}

impl Board {
    fn new(world_px: f64, capacity: usize) -> Board {
        Board {
            world_px,
            cell: f64::from(2.0 * LARGEST_BUBBLE_PX + GAP_PX) / world_px,
            kept: Vec::with_capacity(capacity),
            cells: FxHashMap::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    /// The nearest kept cluster whose footprint `c`'s would touch (the lowest number among
    /// equally near ones).
    fn touching(&self, c: &Cluster, footprint: &impl Fn(&Cluster) -> f32) -> Option<usize> {
        let reach = footprint(c) + GAP_PX;
        // Only the cells the farthest a touching cluster can stand reaches into: a cell is
        // that wide at least, so two or three a side (most small markers need two).
        let farthest = f64::from(reach + LARGEST_BUBBLE_PX) / self.world_px;
        let (x0, y0) = cell_of([c.at[0] - farthest, c.at[1] - farthest], self.cell);
        let (x1, y1) = cell_of([c.at[0] + farthest, c.at[1] + farthest], self.cell);
        let mut nearest: Option<(usize, f64)> = None;
        for x in x0..=x1 {
            for y in y0..=y1 {
                let Some(list) = self.cells.get(&(x, y)) else {
                    continue;
                };
                for &k in list {
                    let Some(Some((other, radius))) = self.kept.get(k) else {
                        continue;
                    };
                    let (dx, dy) = (other.at[0] - c.at[0], other.at[1] - c.at[1]);
                    let squared = (dx * dx + dy * dy) * self.world_px * self.world_px;
                    let touch = f64::from(radius + reach);
                    let nearer = nearest
                        .is_none_or(|(j, best)| squared.total_cmp(&best).then(k.cmp(&j)).is_lt());
                    if squared < touch * touch && nearer {
                        nearest = Some((k, squared));
                    }
                }
            }
        }
        nearest.map(|(k, _)| k)
    }

    fn size(&self, k: usize) -> usize {
        self.kept
            .get(k)
            .and_then(Option::as_ref)
            .map_or(0, |(c, _)| c.members.len())
    }

    /// Keeps `c` under a new number.
    fn keep(&mut self, c: Cluster, footprint: &impl Fn(&Cluster) -> f32) {
        self.kept.push(None);
        self.put(self.kept.len() - 1, c, footprint);
    }

    /// Puts `c` back under number `k`.
    fn put(&mut self, k: usize, c: Cluster, footprint: &impl Fn(&Cluster) -> f32) {
        self.cells
            .entry(cell_of(c.at, self.cell))
            .or_default()
            .push(k);
        let radius = footprint(&c);
        if let Some(slot) = self.kept.get_mut(k) {
            *slot = Some((c, radius));
        }
    }

    /// Lifts cluster `k` off the board.
    fn take(&mut self, k: usize) -> Option<Cluster> {
        let (c, _) = self.kept.get_mut(k)?.take()?;
        if let Some(list) = self.cells.get_mut(&cell_of(c.at, self.cell)) {
            list.retain(|&j| j != k);
        }
        Some(c)
    }

    /// Cluster `k` takes in `other`, and moves to the mean position of all their members.
    fn absorb(&mut self, k: usize, other: Cluster, footprint: &impl Fn(&Cluster) -> f32) {
        let Some((c, radius)) = self.kept.get_mut(k).and_then(Option::as_mut) else {
            return;
        };
        let was_in = cell_of(c.at, self.cell);
        let (n, m) = (c.members.len() as f64, other.members.len() as f64);
        for axis in 0..2 {
            c.at[axis] = (c.at[axis] * n + other.at[axis] * m) / (n + m);
        }
        c.members.extend(other.members);
        *radius = footprint(c);
        let now_in = cell_of(c.at, self.cell);
        if now_in != was_in {
            if let Some(list) = self.cells.get_mut(&was_in) {
                list.retain(|&j| j != k);
            }
            self.cells.entry(now_in).or_default().push(k);
        }
    }

    fn into_clusters(self) -> Vec<Cluster> {
        self.kept.into_iter().flatten().map(|(c, _)| c).collect()
    }
}

/// Points gathered by grid cell, each cluster at its members' mean position, its members in
/// the order of `points`.
fn grid_clusters(points: &[(usize, [f64; 2])], cell: f64) -> Vec<Cluster> {
    let mut cells: FxHashMap<(i64, i64), Cluster> =
        FxHashMap::with_capacity_and_hasher(points.len(), Default::default());
    for (i, p) in points {
        let c = cells.entry(cell_of(*p, cell)).or_insert(Cluster {
            at: [0.0, 0.0],
            members: Vec::new(),
        });
        c.at[0] += p[0];
        c.at[1] += p[1];
        c.members.push(*i);
    }
    cells
        .into_values()
        .map(|mut c| {
            let n = c.members.len() as f64;
            c.at = [c.at[0] / n, c.at[1] / n];
            c
        })
        .collect()
}

fn cell_of(p: [f64; 2], cell: f64) -> (i64, i64) {
    (floor(p[0] / cell), floor(p[1] / cell))
}

/// `v.floor()` as an integer, inline: without SSE4.1 the compiler calls libm's `floor`
/// (some 4% of the time spent gathering at zoom 10).
fn floor(v: f64) -> i64 {
    let toward_zero = v as i64;
    toward_zero - i64::from((toward_zero as f64) > v)
}

/// Web Mercator (x, y) in 0..1, y growing south.
pub fn mercator(lat: f64, lon: f64) -> [f64; 2] {
    let lat = lat.clamp(-85.0511, 85.0511).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// Latitude and longitude of a Web Mercator point.
pub fn from_mercator(p: [f64; 2]) -> (f64, f64) {
    let lon = p[0] * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * p[1]))
        .sinh()
        .atan()
        .to_degrees();
    (lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance_px(a: [f64; 2], b: [f64; 2], world_px: f64) -> f64 {
        (a[0] - b[0]).hypot(a[1] - b[1]) * world_px
    }

    /// Zoom 6: the Web Mercator square is 256 × 2⁶ pixels wide.
    const ZOOM_6: f64 = 256.0 * 64.0;

    #[test]
    fn near_points_gather_and_far_ones_do_not() {
        let points = vec![
            (0, mercator(14.49, -4.19)),
            (1, mercator(14.50, -4.20)),
            (2, mercator(16.27, -0.04)),
        ];
        let clusters = gather(&points, ZOOM_6, |_| 6.0);
        assert_eq!(clusters.len(), 2);
        assert!(clusters.iter().any(|c| c.members == vec![0, 1]));
        let (lat, lon) = from_mercator(mercator(14.5, -4.2));
        assert!((lat - 14.5).abs() < 1e-9 && (lon - -4.2).abs() < 1e-9);
    }

    /// Bug: with thousands of incidents in a region, each 34-pixel grid cell held a bubble up
    /// to 70 pixels wide, so bubbles lay over each other and their counts ran together
    /// ("20232829852"), and the software renderer filled each pixel ten times over.
    #[test]
    fn bubbles_do_not_overlap_where_incidents_are_dense() {
        // 20,000 points in a 6° square around Mopti, on a fixed pseudo-random sequence.
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let points: Vec<(usize, [f64; 2])> = (0..20_000)
            .map(|i| (i, mercator(12.0 + 6.0 * next(), -7.0 + 6.0 * next())))
            .collect();
        let marker = |i: usize| 6.0 + (i % 13) as f32;
        for world_px in [ZOOM_6, ZOOM_6 * 4.0, ZOOM_6 * 32.0] {
            let clusters = gather(&points, world_px, marker);
            let footprint = |c: &Cluster| match c.members.as_slice() {
                [one] => marker(*one),
                many => bubble_radius(many.len()) + BUBBLE_HALO_PX,
            };
            let mut all: Vec<usize> = clusters.iter().flat_map(|c| c.members.clone()).collect();
            all.sort_unstable();
            assert_eq!(all, (0..20_000).collect::<Vec<_>>(), "every incident, once");
            let mut by_x: Vec<&Cluster> = clusters.iter().collect();
            by_x.sort_by(|a, b| a.at[0].total_cmp(&b.at[0]));
            let widest = f64::from(2.0 * LARGEST_BUBBLE_PX + GAP_PX) / world_px;
            for (i, a) in by_x.iter().enumerate() {
                for b in by_x[i + 1..]
                    .iter()
                    .take_while(|b| b.at[0] - a.at[0] < widest)
                {
                    let apart = distance_px(a.at, b.at, world_px);
                    let needed = f64::from(footprint(a) + footprint(b) + GAP_PX);
                    assert!(
                        apart >= needed - 1e-6,
                        "at {world_px} px: {} and {} incidents {apart:.1} px apart, need {needed:.1}",
                        a.members.len(),
                        b.members.len()
                    );
                }
            }
        }
    }

    #[test]
    fn a_bubble_sits_at_the_mean_of_its_members() {
        let points = vec![(0, [0.5, 0.5]), (1, [0.5 + 4.0 / ZOOM_6, 0.5])];
        let clusters = gather(&points, ZOOM_6, |_| 6.0);
        assert_eq!(clusters.len(), 1);
        assert!((clusters[0].at[0] - (0.5 + 2.0 / ZOOM_6)).abs() < 1e-12);
    }

    #[test]
    fn the_inline_floor_is_f64_floor() {
        for v in [
            -2.5, -2.0, -1.0000001, -0.5, -0.0, 0.0, 0.25, 0.9999999, 1.0, 3.5, 1e12, -1e12,
        ] {
            assert_eq!(floor(v), v.floor() as i64, "{v}");
        }
    }
}
