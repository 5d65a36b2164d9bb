//! The briefing picture: the map of the incidents shown under a title, their period, the
//! filters and the date it was made, with a legend counting what is in the picture, a scale
//! bar and the credits. One drawing, by the app's map code, for File ▸ Export briefing image…
//! and for `incident-map render`; drawn offscreen (`offscreen`).

mod words;

pub use words::{Briefing, default_title, generated_now, hidden_types_except, period_text};

use crate::engine::model::Incident;
use crate::ui::filter::{self, TYPES};
use crate::ui::map_view::{Insets, MapView, around_towns, bounds_of, view_fitting};
use crate::ui::markers::mercator;
use crate::ui::offline::Town;
use crate::ui::offscreen::{self, Canvas};
use crate::ui::panels;
use crate::ui::tiles::{TileServer, TileStore};
use egui::{Align, Align2, Color32, Layout, Rect, RichText, Stroke, Ui};
use std::time::{Duration, Instant};

/// How long tiles may take to arrive before the picture is drawn with what came.
const TILE_WAIT: Duration = Duration::from_secs(90);
/// Room the legend takes at the map's top left (points): a fit keeps markers out of it.
const LEGEND_ROOM: f32 = 215.0;
/// The closest a fitted picture comes: about 1,000 km across at 1920 pixels.
const MAX_FIT_ZOOM: f64 = 8.5;
const INK: Color32 = Color32::from_gray(25);
const GREY: Color32 = Color32::from_gray(85);

/// Where the map looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum View {
    /// Every located incident in view (Mali when none is).
    Fit,
    /// What a map of `size` points shows at this centre and zoom (the app's map): all of
    /// it, whatever the picture's size and the room its header takes.
    Frame {
        lat: f64,
        lon: f64,
        zoom: f64,
        size: egui::Vec2,
    },
    /// These bounds (west, south, east, north), whole.
    Bounds(f64, f64, f64, f64),
}

/// What the picture shows.
pub struct Scene {
    /// The incidents shown (filtered already).
    pub incidents: Vec<Incident>,
    /// The towns the Offline basemap labels.
    pub towns: Vec<Town>,
    /// The tile basemap, None for the Offline one.
    pub tiles: Option<TileServer>,
    pub view: View,
}

/// A picture made, and where its map is.
pub struct Picture {
    pub image: image::RgbaImage,
    pub pixels_per_point: f32,
    /// The map's centre (lat, lon) and zoom.
    pub view: (f64, f64, f64),
    /// Where the map is in the picture, in points.
    pub map_rect: Rect,
    pub counts: Counts,
    /// What the picture credits.
    pub attribution: String,
    /// Tiles that never arrived (the Offline basemap shows there), with the last error.
    pub tiles_missing: Option<String>,
}

/// How many incidents are on the map, off it, and without a place.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub in_view_by_type: [usize; TYPES],
    pub in_view: usize,
    pub outside: usize,
    pub unlocated: usize,
}

impl Picture {
    /// Where (lat, lon) is in the picture, in pixels.
    pub fn pixel_of(&self, lat: f64, lon: f64) -> (f32, f32) {
        let (clat, clon, zoom) = self.view;
        let world = 256.0 * 2f64.powf(zoom);
        let (p, c) = (mercator(lat, lon), mercator(clat, clon));
        let centre = self.map_rect.center();
        let x = f64::from(centre.x) + (p[0] - c[0]) * world;
        let y = f64::from(centre.y) + (p[1] - c[1]) * world;
        (
            x as f32 * self.pixels_per_point,
            y as f32 * self.pixels_per_point,
        )
    }

    /// An ESRI world file (.pgw) placing the picture in Web Mercator (EPSG:3857), so GIS
    /// software can lay it over other layers.
    pub fn world_file(&self) -> String {
        const EARTH: f64 = 2.0 * std::f64::consts::PI * 6_378_137.0;
        let (clat, clon, zoom) = self.view;
        let metres_per_pixel = EARTH / (256.0 * 2f64.powf(zoom) * f64::from(self.pixels_per_point));
        let c = mercator(clat, clon);
        let centre = self.map_rect.center();
        let ppp = f64::from(self.pixels_per_point);
        // The centre of the top-left pixel.
        let dx = (0.5 - f64::from(centre.x) * ppp) * metres_per_pixel;
        let dy = (0.5 - f64::from(centre.y) * ppp) * metres_per_pixel;
        let x = (c[0] - 0.5) * EARTH + dx;
        let y = (0.5 - c[1]) * EARTH - dy;
        format!(
            "{metres_per_pixel:.6}\n0\n0\n{:.6}\n{x:.3}\n{y:.3}\n",
            -metres_per_pixel
        )
    }
}

/// Draws the picture of `scene` with `words` on a canvas of this size, offscreen. Tiles are
/// fetched for the picture's own size (never stretched); it waits for them up to 90 s.
pub fn render(scene: Scene, words: &Briefing, canvas: Canvas) -> anyhow::Result<Picture> {
    let ctx = offscreen::context();
    let mut map = MapView::new(None);
    map.offline.set_towns(scene.towns);
    map.tiles = scene.tiles.map(|server| {
        let mut store = TileStore::new(server, &ctx);
        store.never_upscale();
        store
    });
    map.markers.update(1, 1, &scene.incidents, &[]);
    let credits = map.attribution();
    let mut drawn: Option<(Rect, (f64, f64, f64), Counts)> = None;
    let deadline = Instant::now() + TILE_WAIT;
    let image = offscreen::render(&ctx, canvas, deadline, |ui| {
        let (map_rect, view, counts) =
            draw(ui, &mut map, &scene.incidents, scene.view, words, &credits);
        drawn = Some((map_rect, view, counts));
        map.tiles.as_mut().is_none_or(TileStore::settled)
    })?;
    let (map_rect, view, counts) =
        drawn.ok_or_else(|| anyhow::anyhow!("the picture was never drawn"))?;
    let tiles_missing = map.tiles.as_mut().and_then(|t| {
        let missing = !t.settled() || t.health().failing;
        missing.then(|| {
            t.health()
                .last_error
                .clone()
                .unwrap_or_else(|| "tiles still on their way".into())
        })
    });
    Ok(Picture {
        image,
        pixels_per_point: canvas.pixels_per_point,
        view,
        map_rect,
        counts,
        attribution: credits,
        tiles_missing,
    })
}

/// One pass of the picture: the header, then the map with its legend, scale bar and credits.
/// Returns where the map is, its view, and what it counts.
fn draw(
    ui: &mut Ui,
    map: &mut MapView,
    incidents: &[Incident],
    view: View,
    words: &Briefing,
    credits: &str,
) -> (Rect, (f64, f64, f64), Counts) {
    let full = ui.max_rect();
    // The header's height depends on its words' wrapping: laid out first, measured.
    let header = egui::Panel::top("briefing header")
        .frame(
            egui::Frame::new()
                .fill(Color32::WHITE)
                .inner_margin(egui::Margin::symmetric(16, 10))
                .stroke(Stroke::new(1.0, Color32::from_gray(200))),
        )
        .show(ui, |ui| header(ui, words));
    let map_rect = Rect::from_min_max(
        egui::pos2(full.left(), header.response.rect.bottom()),
        full.max,
    );
    let (lat, lon, zoom) = match view {
        View::Frame {
            lat,
            lon,
            zoom,
            size,
        } => {
            let room = map_rect.size() / size.max(egui::vec2(1.0, 1.0));
            (lat, lon, zoom + f64::from(room.x.min(room.y)).log2())
        }
        View::Bounds(w, s, e, n) => {
            view_fitting((w, s, e, n), map_rect.size(), Insets::default(), 0.0)
        }
        View::Fit => {
            let bounds = around_towns(bounds_of(incidents.iter()).unwrap_or(MALI));
            let insets = Insets {
                left: LEGEND_ROOM,
                top: 20.0,
                right: 20.0,
                bottom: 40.0,
            };
            let (lat, lon, zoom) = view_fitting(bounds, map_rect.size(), insets, 0.05);
            // A briefing places even one incident among the towns around it.
            (lat, lon, zoom.min(MAX_FIT_ZOOM))
        }
    };
    map.zoom_to(lat, lon, zoom);
    let counts = count(incidents, (lat, lon, zoom), map_rect.size());
    let mut ignored = Vec::new();
    egui::CentralPanel::no_frame().show(ui, |ui| {
        map.show_with(ui, incidents, None, &mut ignored, |ui, response| {
            overlays(ui, response.rect, &counts, (lat, zoom), credits);
            Vec::new()
        });
    });
    (map_rect, map.center_and_zoom(), counts)
}

/// Mali's bounds (west, south, east, north): the view when no incident is located.
const MALI: (f64, f64, f64, f64) = (-12.3, 10.1, 4.3, 25.0);

fn header(ui: &mut Ui, words: &Briefing) {
    let width = ui.available_width();
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_max_width((width - 330.0).max(width * 0.55));
            ui.spacing_mut().item_spacing.y = 3.0;
            ui.add(egui::Label::new(RichText::new(&words.title).size(26.0).color(INK)).wrap());
            ui.add(egui::Label::new(RichText::new(&words.period).size(14.0).color(INK)).wrap());
            ui.add(egui::Label::new(RichText::new(&words.filters).size(12.0).color(GREY)).wrap());
        });
        ui.with_layout(Layout::top_down(Align::Max), |ui| {
            ui.label(RichText::new(&words.generated).size(11.0).color(GREY));
        });
    });
}

/// The incidents in a map of `size` points at this view, by type; those outside it; those
/// with no place.
fn count(incidents: &[Incident], (lat, lon, zoom): (f64, f64, f64), size: egui::Vec2) -> Counts {
    let world = 256.0 * 2f64.powf(zoom);
    let c = mercator(lat, lon);
    let (hx, hy) = (
        f64::from(size.x) / 2.0 / world,
        f64::from(size.y) / 2.0 / world,
    );
    let mut counts = Counts::default();
    for incident in incidents {
        let Some(l) = &incident.location else {
            counts.unlocated += 1;
            continue;
        };
        let p = mercator(l.lat, l.lon);
        if (p[0] - c[0]).abs() <= hx && (p[1] - c[1]).abs() <= hy {
            counts.in_view += 1;
            counts.in_view_by_type[filter::type_index(incident.event_type.as_deref())] += 1;
        } else {
            counts.outside += 1;
        }
    }
    counts
}

/// Over the map: the legend (top left), the scale bar (bottom left), the credits (bottom
/// right).
fn overlays(ui: &mut Ui, rect: Rect, counts: &Counts, (lat, zoom): (f64, f64), credits: &str) {
    // Where the app has it (so a view framed around it stays clear): top left.
    egui::Area::new(egui::Id::unique("briefing legend"))
        .pivot(Align2::LEFT_TOP)
        .fixed_pos(rect.left_top() + egui::vec2(10.0, 10.0))
        .interactable(false)
        .show(ui.ctx(), |ui| {
            let mut notes = vec![format!("{} on the map", incident_count(counts.in_view))];
            if counts.outside > 0 {
                notes.push(format!(
                    "{} outside this view",
                    incident_count(counts.outside)
                ));
            }
            if counts.unlocated > 0 {
                notes.push(format!(
                    "{} without a place, not mapped",
                    incident_count(counts.unlocated)
                ));
            }
            panels::legend(ui, &counts.in_view_by_type, &notes);
        });
    let painter = ui.painter().with_clip_rect(rect);
    scale_bar(
        &painter,
        rect.left_bottom() + egui::vec2(12.0, -14.0),
        lat,
        zoom,
    );
    egui::Area::new(egui::Id::unique("briefing credits"))
        .pivot(Align2::RIGHT_BOTTOM)
        .fixed_pos(rect.right_bottom())
        .interactable(false)
        .show(ui.ctx(), |ui| {
            egui::Frame::new()
                .fill(Color32::from_white_alpha(220))
                .inner_margin(egui::Margin::symmetric(6, 2))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(credits)
                            .size(11.0)
                            .color(Color32::from_gray(40)),
                    );
                });
        });
}

/// "1 incident", "3 incidents".
fn incident_count(n: usize) -> String {
    if n == 1 {
        "1 incident".into()
    } else {
        format!("{n} incidents")
    }
}

/// A scale bar of a round length (1, 2 or 5 × 10ⁿ km) at most 180 points long, true at the
/// map's centre latitude (Web Mercator stretches with latitude), drawn from `at` (its
/// bottom-left).
fn scale_bar(painter: &egui::Painter, at: egui::Pos2, lat: f64, zoom: f64) {
    let metres_per_point = 40_075_016.686 * lat.to_radians().cos() / (256.0 * 2f64.powf(zoom));
    let (metres, points) = round_length(metres_per_point, 180.0);
    let label = if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    };
    let font = egui::FontId::proportional(11.5);
    let text = painter.layout_no_wrap(label, font, INK);
    let plate = Rect::from_min_max(
        at + egui::vec2(-6.0, -text.size().y - 14.0),
        at + egui::vec2(points.max(text.size().x) + 6.0, 6.0),
    );
    painter.rect_filled(plate, 3.0, Color32::from_white_alpha(220));
    let stroke = Stroke::new(2.0, INK);
    let right = at + egui::vec2(points, 0.0);
    painter.line_segment([at, right], stroke);
    painter.line_segment([at, at - egui::vec2(0.0, 6.0)], stroke);
    painter.line_segment([right, right - egui::vec2(0.0, 6.0)], stroke);
    painter.galley(at + egui::vec2(0.0, -text.size().y - 8.0), text, INK);
}

/// The longest round length (metres) that fits in `max_points`, and its length in points.
fn round_length(metres_per_point: f64, max_points: f32) -> (f64, f32) {
    let max = metres_per_point * f64::from(max_points);
    let mut best = 1.0;
    for exponent in 0..8 {
        for step in [1.0, 2.0, 5.0] {
            let length = step * 10f64.powi(exponent);
            if length <= max {
                best = length;
            }
        }
    }
    (best, (best / metres_per_point) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bars_have_round_lengths() {
        // About 1.2 km a point (zoom 7 near 16°N): 140 points hold 100 km, not 200.
        let (metres, points) = round_length(1_200.0, 140.0);
        assert_eq!(metres, 100_000.0);
        assert!((points - 83.3).abs() < 0.1, "{points}");
        assert_eq!(round_length(3.0, 140.0).0, 200.0);
    }
}
