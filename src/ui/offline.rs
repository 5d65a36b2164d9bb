//! The Offline basemap, drawn by the app from bundled data: Mali and its neighbours, Mali's
//! regions, rivers and lakes (Natural Earth, `assets/basemap/sahel.geojson`), and the
//! gazetteer's towns with labels that thin out as the map zooms out and never overlap.

use crate::engine::gazetteer::{Gazetteer, PlaceKind};
use crate::ui::outlines::{Outline, draw_shared_once, line_shapes};
use crate::ui::shape_memo::{Fonts, ShapeMemo, View};
use egui::epaint::Mesh;
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke};
use geo::{BoundingRect, InteriorPoint, LineString, Polygon, TriangulateEarcut};
use walkers::{Projector, lat_lon};

const DATA: &str = include_str!("../../assets/basemap/sahel.geojson");

pub const SEA: Color32 = Color32::from_rgb(0xb5, 0xd6, 0xe3);
const MALI: Color32 = Color32::from_rgb(0xf6, 0xf1, 0xe6);
const NEIGHBOUR: Color32 = Color32::from_rgb(0xe3, 0xdf, 0xd6);
const BORDER: Color32 = Color32::from_rgb(0x80, 0x70, 0x90);
const REGION_LINE: Color32 = Color32::from_rgb(0xc0, 0xb4, 0xc8);
const RIVER: Color32 = Color32::from_rgb(0x7d, 0xb3, 0xd1);
const LABEL: Color32 = Color32::from_rgb(0x55, 0x55, 0x55);
const REGION_LABEL: Color32 = Color32::from_rgb(0x8d, 0x80, 0x9c);
const TOWN: Color32 = Color32::from_rgb(0x30, 0x30, 0x30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Country,
    Region,
    Lake,
    River,
}

/// One polygon, triangulated once in (lon, lat); projected every frame.
struct Area {
    layer: Layer,
    name: Option<String>,
    mali: bool,
    vertices: Vec<(f64, f64)>,
    triangles: Vec<u32>,
    /// The outline it draws: its rings, whole (`true`: closed) unless another area draws some
    /// of their segments (a shared border is drawn once, Mali's own over its neighbours').
    outline: Outline,
    bbox: (f64, f64, f64, f64),
    label_at: Option<(f64, f64)>,
}

/// A town to label, most important first.
#[derive(Debug, Clone, PartialEq)]
pub struct Town {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// The zoom from which it is shown.
    pub min_zoom: f32,
}

pub struct OfflineMap {
    areas: Vec<Area>,
    rivers: Vec<Vec<(f64, f64)>>,
    towns: Vec<Town>,
    /// The last frame's shapes, drawn again only when the view changes.
    drawn: ShapeMemo<View>,
    /// The last frame's labels, placed again only when the view, what they keep clear of, the
    /// towns or the fonts' atlas change.
    labelled: ShapeMemo<(View, Fonts, Vec<Rect>)>,
}

impl OfflineMap {
    /// Parses the bundled data. The data is the project's own file; a broken one leaves the
    /// map without that layer rather than stopping the app.
    pub fn load() -> OfflineMap {
        let mut map = OfflineMap {
            areas: Vec::new(),
            rivers: Vec::new(),
            towns: Vec::new(),
            drawn: ShapeMemo::default(),
            labelled: ShapeMemo::default(),
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(DATA) else {
            return map;
        };
        for feature in json["features"].as_array().into_iter().flatten() {
            let layer = match feature["properties"]["layer"].as_str() {
                Some("country") => Layer::Country,
                Some("region") => Layer::Region,
                Some("lake") => Layer::Lake,
                Some("river") => Layer::River,
                _ => continue,
            };
            let name = feature["properties"]["name"].as_str().map(str::to_string);
            let coordinates = &feature["geometry"]["coordinates"];
            match feature["geometry"]["type"].as_str() {
                Some("MultiPolygon") => {
                    for polygon in coordinates.as_array().into_iter().flatten() {
                        let rings: Vec<Vec<(f64, f64)>> = polygon
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(points)
                            .collect();
                        if let Some(area) = area(layer, name.clone(), rings) {
                            map.areas.push(area);
                        }
                    }
                }
                Some("MultiLineString") => {
                    map.rivers
                        .extend(coordinates.as_array().into_iter().flatten().map(points));
                }
                _ => {}
            }
        }
        // Labels on the largest polygon of each name only.
        let mut largest: std::collections::HashMap<String, (usize, f64)> = Default::default();
        for (i, a) in map.areas.iter().enumerate() {
            let size = (a.bbox.2 - a.bbox.0) * (a.bbox.3 - a.bbox.1);
            if let Some(name) = &a.name {
                let entry = largest.entry(name.clone()).or_insert((i, size));
                if size > entry.1 {
                    *entry = (i, size);
                }
            }
        }
        for (i, a) in map.areas.iter_mut().enumerate() {
            if a.name.as_ref().and_then(|n| largest.get(n)).map(|l| l.0) != Some(i) {
                a.label_at = None;
            }
        }
        for layer in [Layer::Country, Layer::Region] {
            let (areas, outlines): (Vec<usize>, Vec<Outline>) = map
                .areas
                .iter_mut()
                .enumerate()
                .filter(|(_, a)| a.layer == layer)
                .map(|(i, a)| (i, std::mem::take(&mut a.outline)))
                .unzip();
            let first = areas.iter().position(|&i| map.areas[i].mali);
            for (i, outline) in areas.into_iter().zip(draw_shared_once(outlines, first)) {
                map.areas[i].outline = outline;
            }
        }
        map
    }

    /// The towns labelled, most important first.
    pub fn towns(&self) -> &[Town] {
        &self.towns
    }

    pub fn set_towns(&mut self, towns: Vec<Town>) {
        self.towns = towns;
        self.labelled.forget();
    }

    /// The sea, the land, the lakes, the rivers and the borders, as the projector places them.
    pub fn draw(&self, painter: &Painter, projector: &Projector) {
        let view = View::of(painter, projector);
        painter.extend(
            self.drawn
                .get(view, || self.shapes(projector, painter.clip_rect())),
        );
    }

    fn shapes(&self, projector: &Projector, clip: Rect) -> Vec<Shape> {
        let mut shapes = vec![Shape::rect_filled(projector.clip_rect(), 0.0, SEA)];
        let project = |(lon, lat): (f64, f64)| projector.project(lat_lon(lat, lon)).to_pos2();
        let visible = |a: &Area| {
            let min = project((a.bbox.0, a.bbox.3));
            let max = project((a.bbox.2, a.bbox.1));
            Rect::from_two_pos(min, max).intersects(projector.clip_rect())
        };
        for pass in [Layer::Country, Layer::Lake] {
            for a in self.areas.iter().filter(|a| a.layer == pass && visible(a)) {
                let color = match (a.layer, a.mali) {
                    (Layer::Lake, _) => SEA,
                    (_, true) => MALI,
                    _ => NEIGHBOUR,
                };
                let mut mesh = Mesh::default();
                for v in &a.vertices {
                    mesh.colored_vertex(project(*v), color);
                }
                for t in a.triangles.chunks_exact(3) {
                    mesh.add_triangle(t[0], t[1], t[2]);
                }
                shapes.push(Shape::mesh(mesh));
            }
        }
        for river in &self.rivers {
            let line: Vec<Pos2> = river.iter().map(|p| project(*p)).collect();
            line_shapes(&mut shapes, clip, line, false, Stroke::new(1.3, RIVER));
        }
        let outline = |shapes: &mut Vec<Shape>, a: &Area, stroke: Stroke| {
            for (part, closed) in &a.outline {
                let line: Vec<Pos2> = part.iter().map(|p| project(*p)).collect();
                line_shapes(shapes, clip, line, *closed, stroke);
            }
        };
        for a in self
            .areas
            .iter()
            .filter(|a| a.layer == Layer::Region && visible(a))
        {
            outline(&mut shapes, a, Stroke::new(0.8, REGION_LINE));
        }
        for a in self
            .areas
            .iter()
            .filter(|a| a.layer == Layer::Country && visible(a))
        {
            outline(
                &mut shapes,
                a,
                Stroke::new(if a.mali { 1.8 } else { 1.4 }, BORDER),
            );
        }
        shapes
    }

    /// Town, region and country names, most important first, none over another or over
    /// `reserved` (the incident markers); laid out with `painter`'s fonts.
    pub fn labels(
        &self,
        painter: &Painter,
        projector: &Projector,
        reserved: &[Rect],
    ) -> Vec<Shape> {
        let key = (
            View::of(painter, projector),
            Fonts::of(painter),
            reserved.to_vec(),
        );
        self.labelled
            .get(key, || self.place_labels(painter, projector, reserved))
    }

    fn place_labels(
        &self,
        painter: &Painter,
        projector: &Projector,
        reserved: &[Rect],
    ) -> Vec<Shape> {
        let mut shapes = Vec::new();
        let zoom = projector.zoom() as f32;
        let clip = projector.clip_rect();
        let project = |lat: f64, lon: f64| projector.project(lat_lon(lat, lon)).to_pos2();
        let mut taken: Vec<Rect> = reserved.to_vec();
        let mut place =
            |shapes: &mut Vec<Shape>, at: Pos2, text: &str, font: FontId, color: Color32| {
                let galley = painter.layout_no_wrap(text.to_string(), font, color);
                let rect = Align2::CENTER_CENTER
                    .anchor_size(at, galley.size())
                    .expand(2.0);
                if !clip.contains_rect(rect) || taken.iter().any(|t| t.intersects(rect)) {
                    return false;
                }
                shapes.extend(halo_text(rect.shrink(2.0).min, &galley));
                taken.push(rect);
                true
            };
        // Towns first: they are what the analyst reads incidents against.
        for town in self.towns.iter().filter(|t| zoom >= t.min_zoom) {
            let at = project(town.lat, town.lon);
            if !clip.contains(at) {
                continue;
            }
            let size = if town.min_zoom < 5.0 { 13.0 } else { 11.5 };
            // Above the dot, else beside or below it, clear of the marker standing on it.
            let text = painter
                .layout_no_wrap(town.name.clone(), FontId::proportional(size), TOWN)
                .size();
            let clearance = reserved
                .iter()
                .filter(|r| r.contains(at))
                .map(|r| r.width() / 2.0)
                .fold(3.0, f32::max);
            let (dx, dy) = (clearance + text.x / 2.0 + 3.0, clearance + text.y / 2.0);
            let spots = [
                egui::vec2(0.0, -dy),
                egui::vec2(dx, 0.0),
                egui::vec2(-dx, 0.0),
                egui::vec2(0.0, dy),
            ];
            let placed = spots.iter().any(|d| {
                place(
                    &mut shapes,
                    at + *d,
                    &town.name,
                    FontId::proportional(size),
                    TOWN,
                )
            });
            if placed && clearance <= 3.0 {
                shapes.push(Shape::Circle(egui::epaint::CircleShape {
                    center: at,
                    radius: 2.8,
                    fill: Color32::WHITE,
                    stroke: Stroke::new(1.2, TOWN),
                }));
            }
        }
        for a in &self.areas {
            let Some(((lon, lat), name)) = a.label_at.zip(a.name.as_ref()) else {
                continue;
            };
            let (font, color, show) = match a.layer {
                Layer::Country => (
                    FontId::proportional(if a.mali { 16.0 } else { 13.0 }),
                    LABEL,
                    zoom < 7.5,
                ),
                Layer::Region => (
                    FontId::proportional(11.0),
                    REGION_LABEL,
                    (5.5..9.0).contains(&zoom),
                ),
                _ => continue,
            };
            if show {
                let text = spaced_caps(name);
                place(&mut shapes, project(lat, lon), &text, font, color);
            }
        }
        shapes
    }
}

/// Text with a light halo, readable over any background: four copies of it a pixel aside in
/// the halo's colour, then the text.
fn halo_text(at: Pos2, galley: &std::sync::Arc<egui::Galley>) -> [Shape; 5] {
    let halo = Color32::from_white_alpha(220);
    let aside = |dx: f32, dy: f32| {
        Shape::galley_with_override_text_color(at + egui::vec2(dx, dy), galley.clone(), halo)
    };
    [
        aside(-1.0, 0.0),
        aside(1.0, 0.0),
        aside(0.0, -1.0),
        aside(0.0, 1.0),
        Shape::galley(at, galley.clone(), Color32::PLACEHOLDER),
    ]
}

fn spaced_caps(name: &str) -> String {
    name.to_uppercase()
        .chars()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join("\u{200a}")
}

fn points(ring: &serde_json::Value) -> Vec<(f64, f64)> {
    ring.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
        .collect()
}

fn area(layer: Layer, name: Option<String>, rings: Vec<Vec<(f64, f64)>>) -> Option<Area> {
    let mut rings = rings.into_iter().filter(|r| r.len() >= 4);
    let exterior = LineString::from(rings.next()?);
    let holes: Vec<LineString<f64>> = rings.map(LineString::from).collect();
    let polygon = Polygon::new(exterior, holes);
    let bbox = polygon.bounding_rect()?;
    let raw = polygon.earcut_triangles_raw();
    let outline = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(|r| (r.coords().map(|c| (c.x, c.y)).collect(), true))
        .collect();
    Some(Area {
        layer,
        mali: name.as_deref() == Some("Mali"),
        label_at: polygon.interior_point().map(|p| (p.x(), p.y())),
        name,
        vertices: raw.vertices.iter().map(|v| (v[0], v[1])).collect(),
        triangles: raw.triangle_indices.iter().map(|&i| i as u32).collect(),
        outline,
        bbox: (bbox.min().x, bbox.min().y, bbox.max().x, bbox.max().y),
    })
}

/// The towns worth a label, most important first, each with the zoom it appears from: the
/// capital and regional capitals from afar, cercle seats and towns of 10,000 closer, the rest
/// close up. Towns abroad only when large. A seat is told by its feature code, or by standing
/// where the gazetteer places its region or cercle (they stand at their seat).
pub fn towns_of(gazetteer: &Gazetteer) -> Vec<Town> {
    let seat = |code: &str| -> std::collections::HashSet<(i64, i64)> {
        gazetteer
            .places()
            .iter()
            .filter(|p| p.in_mali() && p.feature_code == code)
            .map(|p| spot(p.lat, p.lon))
            .collect()
    };
    let (regional, cercle) = (seat("ADM1"), seat("ADM2"));
    let mut towns: Vec<(u32, u64, Town)> = gazetteer
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::Town)
        .filter_map(|p| {
            let at = spot(p.lat, p.lon);
            let code = p.feature_code.as_str();
            let (rank, min_zoom) = if p.in_mali() {
                match p.population {
                    _ if code == "PPLC" => (0, 0.0),
                    n if n >= 1_000_000 && regional.contains(&at) => (0, 0.0),
                    _ if code == "PPLA" || regional.contains(&at) => (1, 4.5),
                    _ if code == "PPLA2" || cercle.contains(&at) => (2, 6.0),
                    n if n >= 10_000 => (3, 6.5),
                    n if n > 0 => (4, 8.0),
                    _ => (5, 9.0),
                }
            } else {
                match p.population {
                    n if code == "PPLC" || n >= 500_000 => (2, 5.0),
                    n if n >= 150_000 => (3, 6.5),
                    _ => return None,
                }
            };
            Some((
                rank,
                p.population,
                Town {
                    name: p.name.clone(),
                    lat: p.lat,
                    lon: p.lon,
                    min_zoom,
                },
            ))
        })
        .collect();
    towns.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    towns.into_iter().map(|(_, _, t)| t).collect()
}

/// A position rounded to about 100 m, to tell places that stand at the same spot.
fn spot(lat: f64, lon: f64) -> (i64, i64) {
    ((lat * 1000.0).round() as i64, (lon * 1000.0).round() as i64)
}

#[cfg(test)]
#[path = "offline_tests.rs"]
mod tests;
