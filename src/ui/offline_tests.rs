//! Tests of the Offline basemap: its bundled data, its towns, and when its shapes are made again.

use super::*;

#[test]
fn the_bundled_basemap_has_mali_its_regions_and_rivers() {
    let map = OfflineMap::load();
    let mali = map
        .areas
        .iter()
        .find(|a| a.mali && a.label_at.is_some())
        .expect("Mali's outline");
    // Mali's bounding box: about 12.2°W–4.3°E, 10.1°N–25°N.
    assert!(mali.bbox.0 < -11.5 && mali.bbox.2 > 4.0, "{:?}", mali.bbox);
    assert!(mali.bbox.1 < 10.5 && mali.bbox.3 > 24.5, "{:?}", mali.bbox);
    assert!(!mali.triangles.is_empty());
    let regions = map.areas.iter().filter(|a| a.layer == Layer::Region);
    assert!(regions.count() >= 9);
    assert!(map.rivers.len() >= 5);
}

#[test]
fn the_basemap_and_its_labels_are_made_again_only_when_what_they_depend_on_changes() {
    use walkers::{MapMemory, MercatorProjection};
    let mut map = OfflineMap::load();
    map.set_towns(towns_of(&Gazetteer::bundled()));
    let rect = Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
    let mut memory = MapMemory::default();
    memory.center_at(lat_lon(16.0, -2.0));
    memory.set_zoom(6.0).expect("a valid zoom");
    let ctx = egui::Context::default();
    let mut seen: Vec<(Vec<Shape>, Vec<Shape>)> = Vec::new();
    let draw = |ui: &mut egui::Ui, memory: &MapMemory, reserved: &[Rect]| {
        let painter = ui.painter_at(rect);
        let projector = Projector::new(rect, &MercatorProjection, memory, lat_lon(0.0, 0.0));
        let shapes_in = |g: &egui::layers::GraphicLayers| {
            g.get(painter.layer_id())
                .map(|list| list.all_entries().map(|c| c.shape.clone()).collect())
                .unwrap_or_default()
        };
        let before: Vec<Shape> = ui.ctx().graphics(shapes_in);
        map.draw(&painter, &projector);
        let drawn = ui.ctx().graphics(shapes_in)[before.len()..].to_vec();
        (drawn, map.labels(&painter, &projector, reserved))
    };
    let gao = [Rect::from_center_size(
        egui::pos2(500.0, 300.0),
        egui::vec2(40.0, 40.0),
    )];
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        seen.push(draw(ui, &memory, &[]));
        seen.push(draw(ui, &memory, &[]));
        seen.push(draw(ui, &memory, &gao));
        let mut panned = MapMemory::default();
        panned.center_at(lat_lon(16.0, -1.95));
        panned.set_zoom(6.0).expect("a valid zoom");
        seen.push(draw(ui, &panned, &gao));
    });
    output.textures_delta.clear();
    let [same, again, clear_of_gao, panned] = seen.as_slice() else {
        panic!("four drawings");
    };
    assert!(
        same.0.len() > 10 && same.1.len() > 10,
        "a basemap with labels"
    );
    assert_eq!(again, same, "nothing changed: the kept shapes");
    assert_eq!(
        clear_of_gao.0, same.0,
        "the basemap does not depend on the markers"
    );
    assert_ne!(clear_of_gao.1, same.1, "the labels move clear of a marker");
    assert_ne!(panned.0, same.0, "panned: the basemap is drawn again");
    assert_ne!(
        panned.1, clear_of_gao.1,
        "panned: the labels are placed again"
    );
}

#[test]
fn towns_are_ranked_capital_first() {
    let towns = towns_of(&Gazetteer::bundled());
    assert_eq!(towns.first().map(|t| t.name.as_str()), Some("Bamako"));
    let gao = towns.iter().find(|t| t.name == "Gao").expect("Gao");
    assert!(gao.min_zoom <= 5.0);
}

#[test]
fn a_border_two_countries_share_is_drawn_once_and_mali_draws_all_of_its_own() {
    let map = OfflineMap::load();
    let segments = |layer: Layer| -> Vec<[u64; 4]> {
        let mut all: Vec<[u64; 4]> = map
            .areas
            .iter()
            .filter(|a| a.layer == layer)
            .flat_map(|a| &a.outline)
            .flat_map(|(part, _)| part.windows(2))
            .map(|s| {
                let (p, q) = if s[0] <= s[1] {
                    (s[0], s[1])
                } else {
                    (s[1], s[0])
                };
                [p.0.to_bits(), p.1.to_bits(), q.0.to_bits(), q.1.to_bits()]
            })
            .collect();
        all.sort_unstable();
        all
    };
    for layer in [Layer::Country, Layer::Region] {
        let drawn = segments(layer);
        let mut distinct = drawn.clone();
        distinct.dedup();
        assert_eq!(
            drawn.len(),
            distinct.len(),
            "{layer:?}: a segment drawn twice"
        );
    }
    let mali = map.areas.iter().find(|a| a.mali && a.label_at.is_some());
    let mali = mali.expect("Mali");
    assert!(mali.outline.iter().all(|(_, closed)| *closed));
}
