//! Tests of the bubbles' stamps: their shares of a turn, their pictures and the atlas's slots.

use super::*;

/// Counts of the kinds, in the legend's order (Battles first), unknown last.
fn counts(of: &[(usize, u32)]) -> [u32; KINDS] {
    let mut counts = [0; KINDS];
    for &(kind, n) in of {
        counts[kind] = n;
    }
    counts
}

/// Members of each kind present, and the parts of a turn each kind is given.
type RingCase = (&'static [(usize, u32)], [u8; KINDS]);

#[test]
fn a_ring_is_a_whole_turn_and_no_kind_present_vanishes() {
    let cases: [RingCase; 5] = [
        (&[(0, 5)], [64, 0, 0, 0, 0, 0, 0]),
        (&[(0, 1), (4, 1)], [32, 0, 0, 0, 32, 0, 0]),
        (&[(0, 1), (1, 1), (2, 1)], [21, 21, 22, 0, 0, 0, 0]),
        // One incident in a thousand still has its part of the ring.
        (&[(2, 999), (6, 1)], [0, 0, 63, 0, 0, 0, 1]),
        (&[], [0; KINDS]),
    ];
    for (of, expected) in cases {
        assert_eq!(parts_of_turn(&counts(of)), expected, "{of:?}");
    }
    for total in [2_u32, 7, 64, 1000] {
        for split in [1, total / 3, total / 2] {
            let parts = parts_of_turn(&counts(&[(0, split), (3, total - split), (5, 1)]));
            assert_eq!(parts.iter().map(|&p| u32::from(p)).sum::<u32>(), TURN_PARTS);
            let exact = split as f32 * 64.0 / (total + 1) as f32;
            assert!(
                (f32::from(parts[0]) - exact).abs() <= 1.0,
                "{total} {split}: {parts:?}"
            );
        }
    }
}

#[test]
fn kinds_follow_the_legend_and_unknown_types_come_last() {
    assert_eq!(kind_of(Some("Battles")), 0);
    assert_eq!(kind_of(Some("Riots")), 5);
    assert_eq!(kind_of(Some("Not a type")), 6);
    assert_eq!(kind_of(None), 6);
    assert_eq!(
        count_kinds(&[0, 1, 2, 7], &[0, 6, 0]),
        counts(&[(0, 2), (6, 1)])
    );
}

#[test]
fn a_stamp_is_a_dark_centre_in_a_ring_of_its_kinds_on_a_white_halo() {
    let radius = 20.0;
    let stamp = Stamp::new(radius, 1.0, &counts(&[(0, 3), (4, 3)]));
    let side = stamp.side(1.0);
    assert_eq!(side, 2 * (20 + 3 + 1));
    let picture = Outline::new(stamp.radius_px, 1.0, side).picture(stamp.parts);
    let centre = side as f32 / 2.0;
    // The pixel `d` from the centre, at `turn` of a turn clockwise from the top.
    let at = |d: f32, turn: f32| {
        let angle = turn * TAU;
        let (x, y) = (centre + d * angle.sin(), centre - d * angle.cos());
        picture.pixels[y as usize * side + x as usize]
    };
    let shape = BubbleShape::new(radius, 1.0);
    let ring = (shape.inside + shape.outer) / 2.0;
    assert_eq!(at(0.0, 0.0), BUBBLE_CENTRE);
    assert_eq!(at(shape.inside - 2.0, 0.6), BUBBLE_CENTRE);
    // Battles on the right half of the ring (clockwise from the top), Protests on the left.
    assert_eq!(at(ring, 0.25), colour_of_kind(0));
    assert_eq!(at(ring, 0.75), colour_of_kind(4));
    // Straight above the centre, the pixels whose centres lie 22.5 and 23.5 pixels away:
    // between the ring (to 22) and the halo's edge (23), then past it.
    let above = |row: usize| picture.pixels[row * side + side / 2];
    assert_eq!((shape.outer, shape.halo), (22.0, 23.0));
    let halo = above(side / 2 - 23);
    assert!(
        halo.a() > 250 && halo.to_array()[..3].iter().all(|&c| c == halo.a()),
        "{halo:?}"
    );
    assert_eq!(above(side / 2 - 24), Color32::TRANSPARENT);
    assert_eq!(picture.pixels[0], Color32::TRANSPARENT);
    // Where two sectors meet off the pixels' grid, the pixels across the seam are blends of the
    // two, not a jagged step.
    let stamp = Stamp::new(radius, 1.0, &counts(&[(0, 1), (4, 2)]));
    let picture = Outline::new(stamp.radius_px, 1.0, side).picture(stamp.parts);
    let seam = f32::from(stamp.parts[0]) / 64.0;
    let blends = (0..40)
        .map(|k| {
            let angle = (seam - 0.02 + k as f32 * 0.001) * TAU;
            let (x, y) = (centre + ring * angle.sin(), centre - ring * angle.cos());
            picture.pixels[y as usize * side + x as usize]
        })
        .filter(|c| *c != colour_of_kind(0) && *c != colour_of_kind(4))
        .count();
    assert!(blends > 0);
}

/// A context whose passes advance one at a time, as the app's frames do.
fn next_pass(ctx: &Context) {
    // (No renderer takes the stamps drawn: their deltas are dropped.)
    ctx.run_ui(egui::RawInput::default(), |_| {})
        .textures_delta
        .clear();
}

/// The corner of the texels a drawn quad shows, in texels of a `page` wide atlas.
fn drawn_at(mesh: &Mesh, page: usize) -> (usize, usize) {
    let uv = mesh.vertices[mesh.vertices.len() - 4].uv;
    ((uv.x * page as f32) as usize, (uv.y * page as f32) as usize)
}

/// Nine different stamps of one width (slots of 40 pixels).
fn stamps() -> Vec<Stamp> {
    (1..=9)
        .map(|n| Stamp::new(15.0, 1.0, &counts(&[(0, n), (1, 10 - n)])))
        .collect()
}

#[test]
fn a_stamp_drawn_again_is_the_same_texels_and_a_full_atlas_draws_as_bands() {
    let ctx = Context::default();
    // Three shelves of three slots of 40 pixels.
    let mut atlas = BubbleStamps::with_pages(&ctx, 128, 128);
    let mut mesh = atlas.mesh();
    atlas.begin(&ctx);
    let mut corners = Vec::new();
    for stamp in stamps() {
        assert!(atlas.draw(&mut mesh, stamp, pos2(50.0, 50.0)));
        corners.push(drawn_at(&mesh, 128));
    }
    let mut distinct = corners.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 9, "each stamp has a slot of its own");
    let tenth = Stamp::new(15.0, 1.0, &counts(&[(2, 1), (3, 1)]));
    assert!(!atlas.draw(&mut mesh, tenth, pos2(50.0, 50.0)), "full");
    // The next frame draws the same nine: nothing is dropped, each is where it was.
    next_pass(&ctx);
    atlas.begin(&ctx);
    for (stamp, corner) in stamps().into_iter().zip(&corners) {
        assert!(atlas.draw(&mut mesh, stamp, pos2(80.0, 20.0)));
        assert_eq!(drawn_at(&mesh, 128), *corner);
    }
    // A frame later the slots drawn last frame are still kept (the screen's picture may show
    // them); the frame after, the longest idle makes room.
    next_pass(&ctx);
    atlas.begin(&ctx);
    assert!(atlas.draw(&mut mesh, stamps()[8], pos2(50.0, 50.0)));
    assert!(!atlas.draw(&mut mesh, tenth, pos2(50.0, 50.0)));
    next_pass(&ctx);
    atlas.begin(&ctx);
    assert!(atlas.draw(&mut mesh, tenth, pos2(50.0, 50.0)));
    let taken = drawn_at(&mesh, 128);
    assert!(corners[..8].contains(&taken) && taken != corners[8]);
    // The stamp it replaced is no longer there: drawn again, it takes another slot.
    let replaced = corners
        .iter()
        .position(|c| *c == taken)
        .unwrap_or(usize::MAX);
    next_pass(&ctx);
    atlas.begin(&ctx);
    assert!(atlas.draw(&mut mesh, stamps()[replaced], pos2(50.0, 50.0)));
    assert_ne!(drawn_at(&mesh, 128), taken);
}

#[test]
fn an_atlas_full_of_stamps_out_of_view_starts_afresh() {
    let ctx = Context::default();
    let mut atlas = BubbleStamps::with_pages(&ctx, 128, 128);
    let mut mesh = atlas.mesh();
    atlas.begin(&ctx);
    for stamp in stamps() {
        assert!(atlas.draw(&mut mesh, stamp, pos2(50.0, 50.0)));
    }
    // Larger bubbles (slots of 48): no shelf left for them.
    let large = Stamp::new(19.0, 1.0, &counts(&[(0, 1)]));
    next_pass(&ctx);
    atlas.begin(&ctx);
    assert!(!atlas.draw(&mut mesh, large, pos2(50.0, 50.0)));
    next_pass(&ctx);
    atlas.begin(&ctx);
    assert!(atlas.draw(&mut mesh, large, pos2(50.0, 50.0)));
}

#[test]
fn a_stamp_is_drawn_on_whole_pixels_a_texel_each() {
    let ctx = Context::default();
    for pixels_per_point in [1.0, 1.5, 2.0] {
        ctx.set_pixels_per_point(pixels_per_point);
        next_pass(&ctx);
        let mut atlas = BubbleStamps::with_pages(&ctx, 256, 256);
        let mut mesh = atlas.mesh();
        atlas.begin(&ctx);
        let stamp = Stamp::new(17.3, pixels_per_point, &counts(&[(1, 4)]));
        assert!(atlas.draw(&mut mesh, stamp, pos2(100.37, 41.81)));
        let [min, max] = [&mesh.vertices[0], &mesh.vertices[3]];
        let pixels = (max.pos - min.pos) * pixels_per_point;
        let texels = (max.uv - min.uv) * 256.0;
        assert!((pixels - texels).length() < 1e-3, "{pixels:?} {texels:?}");
        let corner = min.pos * pixels_per_point;
        assert!((corner - corner.round()).length() < 1e-3, "{corner:?}");
        let middle = ((min.pos + max.pos.to_vec2()) / 2.0 - pos2(100.37, 41.81)) * pixels_per_point;
        assert!(middle.length() <= 0.75, "{middle:?}");
    }
}

#[test]
fn an_atlas_full_of_stamps_in_view_grows() {
    let ctx = Context::default();
    let mut atlas = BubbleStamps::with_pages(&ctx, 128, 256);
    let mut mesh = atlas.mesh();
    let mut ten = stamps();
    ten.push(Stamp::new(15.0, 1.0, &counts(&[(2, 1), (3, 1)])));
    atlas.begin(&ctx);
    let drawn: Vec<bool> = ten
        .iter()
        .map(|&stamp| atlas.draw(&mut mesh, stamp, pos2(50.0, 50.0)))
        .collect();
    assert_eq!(
        drawn.iter().filter(|d| **d).count(),
        9,
        "the tenth finds no room"
    );
    for _ in 0..2 {
        next_pass(&ctx);
        atlas.begin(&ctx);
        for &stamp in &ten {
            assert!(atlas.draw(&mut mesh, stamp, pos2(50.0, 50.0)));
        }
    }
    assert_eq!(atlas.page, 256);
}
