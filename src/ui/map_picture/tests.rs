//! Tests of the map's pictures: what each frame leaves egui to paint, and when a picture is
//! drawn, copied or moved.

use super::*;
use egui::{Color32, RawInput, pos2, vec2};

/// One frame painting a basemap square and a marker over it, kept as pictures; what egui
/// is left to paint.
fn frame(
    ctx: &Context,
    picture: &mut MapPicture,
    land: Color32,
    marker: Color32,
) -> Vec<ClippedShape> {
    let mut output = ctx.run_ui(RawInput::default(), |ui| {
        let layer = ui.layer_id();
        let rect = Rect::from_min_size(pos2(0.0, 0.0), vec2(200.0, 200.0));
        let next = || ui.ctx().graphics_mut(|g| g.entry(layer).next_idx());
        let start = next();
        ui.painter().rect_filled(rect, 0.0, land);
        let split = next();
        ui.painter().circle_filled(rect.center(), 5.0, marker);
        picture.retain(ui.ctx(), layer, [start, split], rect, None);
    });
    // No painter uploads the fonts here.
    output.textures_delta.clear();
    output.shapes
}

/// What egui is left to paint: (callbacks, circles, rectangles).
fn left_to_paint(shapes: &[ClippedShape]) -> (usize, usize, usize) {
    let count = |f: fn(&Shape) -> bool| shapes.iter().filter(|s| f(&s.shape)).count();
    (
        count(|s| matches!(s, Shape::Callback(_))),
        count(|s| matches!(s, Shape::Circle(_))),
        count(|s| matches!(s, Shape::Rect(_))),
    )
}

#[test]
fn shapes_drawn_directly_stay_for_egui_and_pictures_stand_in_for_theirs() {
    let ctx = Context::default();
    let mut picture = MapPicture::new(&ctx);
    let (land, red, blue) = (Color32::KHAKI, Color32::RED, Color32::BLUE);
    // Drawn directly: the marker is egui's to paint; the land, an opaque rectangle under
    // all the map, is a clear.
    let direct = frame(&ctx, &mut picture, land, red);
    assert_eq!(left_to_paint(&direct), (1, 1, 0));
    frame(&ctx, &mut picture, land, red);
    // Copied: one callback per picture, nothing else.
    let copied = frame(&ctx, &mut picture, land, red);
    assert_eq!(left_to_paint(&copied), (2, 0, 0));
    // The marker changing over the basemap's picture.
    let brushed = frame(&ctx, &mut picture, land, blue);
    assert_eq!(left_to_paint(&brushed), (1, 1, 0));
}

#[test]
fn a_picture_is_drawn_when_its_shapes_settle_and_copied_while_they_and_those_beneath_hold() {
    use Mode::{Copy, Direct, Draw};
    let ctx = Context::default();
    let mut picture = MapPicture::new(&ctx);
    let (land, sea, red, blue) = (
        Color32::KHAKI,
        Color32::LIGHT_BLUE,
        Color32::RED,
        Color32::BLUE,
    );
    let mut shown = |land, marker| {
        let _ = frame(&ctx, &mut picture, land, marker);
        picture.modes
    };
    // New shapes are drawn straight into the window; the next frame, the same again, into
    // the pictures; then the pictures are copied.
    assert_eq!(shown(land, red), [Direct, Direct]);
    assert_eq!(shown(land, red), [Draw, Draw]);
    assert_eq!(shown(land, red), [Copy, Copy]);
    // The marker changes (the brush): only it, over the basemap's picture.
    assert_eq!(shown(land, blue), [Copy, Direct]);
    assert_eq!(shown(land, blue), [Copy, Draw]);
    assert_eq!(shown(land, blue), [Copy, Copy]);
    // The basemap changes under the same marker (a tile arrived): the marker's picture
    // holds the old basemap, so it is drawn again too.
    assert_eq!(shown(sea, blue), [Direct, Direct]);
    assert_eq!(shown(sea, blue), [Draw, Draw]);
    assert!(!picture.still());
    let _ = frame(&ctx, &mut picture, sea, blue);
    assert!(picture.still());
    assert_eq!(
        picture.frames,
        Frames {
            redrawn: 6,
            basemap_redrawn: 4,
            reused: 3
        }
    );
}

#[test]
fn a_picture_starts_from_a_clear_only_under_an_opaque_rectangle_over_the_map() {
    let map = Rect::from_min_size(pos2(10.0, 10.0), vec2(200.0, 100.0));
    let shape = |rect: Rect, colour: Color32| ClippedShape {
        clip_rect: map,
        shape: Shape::rect_filled(rect, 0.0, colour),
        transform_after_tessellation: Default::default(),
    };
    let sea = Color32::LIGHT_BLUE;
    assert_eq!(ground_of(&[shape(map, sea)], map), Some(sea));
    assert_eq!(ground_of(&[shape(map.expand(50.0), sea)], map), Some(sea));
    // Not over all of the map, see-through, or not first: drawn as any other shape.
    assert_eq!(ground_of(&[shape(map.shrink(1.0), sea)], map), None);
    assert_eq!(ground_of(&[shape(map, sea.gamma_multiply(0.5))], map), None);
    let dot = ClippedShape {
        clip_rect: map,
        shape: Shape::circle_filled(map.center(), 3.0, Color32::RED),
        transform_after_tessellation: Default::default(),
    };
    assert_eq!(ground_of(&[dot, shape(map, sea)], map), None);
    assert_eq!(ground_of(&[], map), None);
}

/// One frame of a map drawn where it was anchored: the sea over the region, a marker at the
/// same place of the anchor's frame, shown `offset` from there. What egui is left to paint.
fn anchored_frame(
    ctx: &Context,
    picture: &mut MapPicture,
    offset: egui::Vec2,
    ground: bool,
) -> Vec<ClippedShape> {
    let view = Rect::from_min_size(pos2(100.0, 50.0), vec2(300.0, 200.0));
    let region = view.expand(60.0);
    let mut output = ctx.run_ui(RawInput::default(), |ui| {
        let layer = ui.layer_id();
        let mut painter = ui.painter().clone();
        painter.set_clip_rect(region);
        let next = || ui.ctx().graphics_mut(|g| g.entry(layer).next_idx());
        let start = next();
        let sea = Color32::LIGHT_BLUE;
        if ground {
            painter.rect_filled(region, 0.0, sea);
        } else {
            painter.circle_filled(region.center(), 500.0, sea);
        }
        let split = next();
        painter.circle_filled(pos2(150.0, 100.0), 5.0, Color32::RED);
        let shift = Shift { offset, region };
        picture.retain(ui.ctx(), layer, [start, split], view, Some(shift));
    });
    output.textures_delta.clear();
    output.shapes
}

#[test]
fn a_pan_by_whole_pixels_copies_the_anchored_picture_from_further_along() {
    use Mode::{Copy, Direct, Draw};
    let ctx = Context::default();
    let mut picture = MapPicture::new(&ctx);
    let still = vec2(0.0, 0.0);
    // Drawn directly, the marker is moved onto the screen and clipped to the view.
    let direct = anchored_frame(&ctx, &mut picture, vec2(7.0, -3.0), true);
    let marker = direct
        .iter()
        .find_map(|s| match &s.shape {
            Shape::Circle(c) => Some((c.center, s.clip_rect)),
            _ => None,
        })
        .expect("the marker, drawn directly");
    assert_eq!(marker.0, pos2(157.0, 97.0));
    assert_eq!(
        marker.1,
        Rect::from_min_size(pos2(100.0, 50.0), vec2(300.0, 200.0))
    );
    assert_eq!(picture.modes, [Direct, Direct]);

    let _ = anchored_frame(&ctx, &mut picture, still, true);
    assert_eq!(picture.modes, [Draw, Draw]);
    // The view moves: the shapes, drawn where the map was anchored, are the same, so the
    // pictures are copied, each from where the view now shows.
    for offset in [vec2(12.0, 0.0), vec2(12.0, 40.0), vec2(-60.0, 60.0)] {
        let copied = anchored_frame(&ctx, &mut picture, offset, true);
        assert_eq!(left_to_paint(&copied), (2, 0, 0));
        assert_eq!(picture.modes, [Copy, Copy]);
        let gpu = picture.sheets[1]
            .gpu
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let area = gpu.area.expect("a region's picture");
        assert_eq!(gpu.offset_px, Some(area.source_offset(offset, 1.0)));
    }
}

#[test]
fn a_region_with_no_ground_is_drawn_directly() {
    let ctx = Context::default();
    let mut picture = MapPicture::new(&ctx);
    for _ in 0..3 {
        let shapes = anchored_frame(&ctx, &mut picture, vec2(5.0, 5.0), false);
        assert_eq!(left_to_paint(&shapes), (0, 2, 0));
        assert_eq!(picture.modes, [Mode::Direct; 2]);
    }
}

#[test]
fn a_regions_picture_grid_starts_on_a_whole_pixel_and_the_copy_reads_where_the_view_shows() {
    let region = Rect::from_min_max(pos2(-60.5, 10.2), pos2(400.3, 300.0));
    let ppp = 1.5;
    let area = gpu::PictureArea::around(region, ppp);
    // A point drawn at `q` in the anchor's frame...
    let q = pos2(120.0, 80.0);
    let shape = ClippedShape {
        clip_rect: region,
        shape: Shape::circle_filled(q, 2.0, Color32::RED),
        transform_after_tessellation: Default::default(),
    };
    let Shape::Circle(moved) = area.into_picture(shape).shape else {
        panic!("a circle");
    };
    let in_picture = moved.center.to_vec2() * ppp;
    // ...lies in the picture a whole number of pixels from where it would in the window.
    let shift = in_picture - q.to_vec2() * ppp;
    assert!((shift.x - shift.x.round()).abs() < 1e-4 && (shift.y - shift.y.round()).abs() < 1e-4);
    // Shown `offset` away, the window pixel it lands on reads that picture pixel.
    let offset = vec2(-4.0, 2.0 / 3.0);
    let window = (q.to_vec2() + offset) * ppp;
    let [dx, dy] = area.source_offset(offset, ppp);
    let read = window + vec2(dx as f32, dy as f32);
    assert!(
        (read - in_picture).length() < 1e-3,
        "{read:?} {in_picture:?}"
    );
}

#[test]
fn a_mesh_moved_onto_the_screen_keeps_only_the_triangles_that_reach_into_the_view() {
    let mut mesh = egui::Mesh::default();
    let inside = Rect::from_min_size(pos2(10.0, 10.0), vec2(20.0, 20.0));
    let outside = Rect::from_min_size(pos2(500.0, 10.0), vec2(20.0, 20.0));
    let straddling = Rect::from_min_size(pos2(95.0, 10.0), vec2(20.0, 20.0));
    for rect in [inside, outside, straddling] {
        mesh.add_colored_rect(rect, Color32::RED);
    }
    let mut shape = ClippedShape {
        clip_rect: Rect::EVERYTHING,
        shape: Shape::mesh(mesh),
        transform_after_tessellation: Default::default(),
    };
    let view = Rect::from_min_size(pos2(0.0, 0.0), vec2(100.0, 100.0));
    on_screen(&mut shape, view, vec2(0.0, 0.0));
    let Shape::Mesh(kept) = &shape.shape else {
        panic!("a mesh");
    };
    assert_eq!((kept.vertices.len(), kept.indices.len()), (8, 12));
    assert!(kept.is_valid());
    let bounds = kept.calc_bounds();
    assert_eq!(bounds, inside.union(straddling));
}

#[test]
fn a_shape_moved_wholly_outside_the_view_is_left_out_and_one_reaching_in_kept() {
    let view = Rect::from_min_size(pos2(0.0, 0.0), vec2(100.0, 100.0));
    let moved = |shape: Shape| {
        let mut clipped = ClippedShape {
            clip_rect: Rect::EVERYTHING,
            shape: Shape::Vec(vec![shape]),
            transform_after_tessellation: Default::default(),
        };
        // Drawn 200 points to the right of where the screen shows it.
        on_screen(&mut clipped, view, vec2(-200.0, 0.0));
        match clipped.shape {
            Shape::Vec(mut shapes) => shapes.pop().unwrap_or(Shape::Noop),
            other => other,
        }
    };
    let label = |x: f32| Shape::circle_filled(pos2(x, 50.0), 6.0, Color32::WHITE);
    // 220 is 20 on screen: in view; 420 is 220: out of it; 304 is 104, its edge reaches in.
    assert!(!matches!(moved(label(220.0)), Shape::Noop));
    assert!(matches!(moved(label(420.0)), Shape::Noop));
    assert!(!matches!(moved(label(304.0)), Shape::Noop));
}
