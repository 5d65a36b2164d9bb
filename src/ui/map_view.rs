//! The map in the middle of the window: the basemap (Offline always underneath, tiles over it
//! when a tile basemap is chosen), the incident markers, and the overlays analysts screenshot
//! with it: legend, attribution, zoom and fit buttons.

use crate::engine::model::Incident;
use crate::ui::markers::{IncidentLayer, MarkerIndex, mercator};
use crate::ui::offline::OfflineMap;
use crate::ui::tiles::TileStore;
use crate::ui::{Command, panels};
use egui::{Align2, Color32, Rect, Response, RichText, Ui};
use walkers::{Map, MapMemory, Plugin, Projector, lat_lon};

/// Mali's bounding box (west, south, east, north), the view when there is nothing to show.
const MALI: (f64, f64, f64, f64) = (-12.3, 10.1, 4.3, 25.0);

pub struct MapView {
    pub memory: MapMemory,
    pub tiles: Option<TileStore>,
    pub offline: OfflineMap,
    pub markers: MarkerIndex,
    /// Fit to the incidents once the map's size is known and the loading is done.
    pub fit_pending: bool,
    /// Where the map was drawn last frame (for fitting).
    rect: Rect,
}

impl MapView {
    pub fn new(view: Option<(f64, f64, f64)>) -> MapView {
        let mut memory = MapMemory::default();
        let fit_pending = view.is_none();
        let (lat, lon, zoom) = view.unwrap_or((17.5, -4.0, 5.0));
        memory.center_at(lat_lon(lat, lon));
        let _ = memory.set_zoom(zoom);
        MapView {
            memory,
            tiles: None,
            offline: OfflineMap::load(),
            markers: MarkerIndex::default(),
            fit_pending,
            rect: Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(800.0, 600.0)),
        }
    }

    /// The view to restore next time: (lat, lon, zoom).
    pub fn view(&self) -> Option<(f64, f64, f64)> {
        self.memory
            .detached()
            .map(|p| (p.y(), p.x(), self.memory.zoom()))
    }

    pub fn zoom_to(&mut self, lat: f64, lon: f64, zoom: f64) {
        self.memory.center_at(lat_lon(lat, lon));
        let _ = self.memory.set_zoom(zoom.clamp(2.0, 18.0));
    }

    /// Centres the map here, keeping the zoom.
    pub fn pan_to(&mut self, lat: f64, lon: f64) {
        self.memory.center_at(lat_lon(lat, lon));
    }

    /// The centre (lat, lon) and the zoom.
    pub fn center_and_zoom(&self) -> (f64, f64, f64) {
        let at = self.memory.detached().unwrap_or(lat_lon(17.5, -4.0));
        (at.y(), at.x(), self.memory.zoom())
    }

    /// Centres and zooms so every located incident is in view, or Mali when there is none.
    pub fn fit<'a>(&mut self, incidents: impl Iterator<Item = &'a Incident>) {
        let located = incidents.filter_map(|i| i.location.as_ref());
        let mut bounds: Option<(f64, f64, f64, f64)> = None;
        for l in located {
            let b = bounds.get_or_insert((l.lon, l.lat, l.lon, l.lat));
            *b = (
                b.0.min(l.lon),
                b.1.min(l.lat),
                b.2.max(l.lon),
                b.3.max(l.lat),
            );
        }
        let (w, s, e, n) = bounds.unwrap_or(MALI);
        // Never closer than a town's surroundings, even for a single incident.
        let (w, s, e, n) = (w - 0.3, s - 0.3, e + 0.3, n + 0.3);
        let (a, b) = (mercator(n, w), mercator(s, e));
        let (dx, dy) = ((b[0] - a[0]).max(1e-9), (b[1] - a[1]).max(1e-9));
        let size = self.rect.size();
        let zoom = ((f64::from(size.x) / (256.0 * dx)).min(f64::from(size.y) / (256.0 * dy)))
            .log2()
            - 0.15;
        let center = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
        let lon = center[0] * 360.0 - 180.0;
        let lat = (std::f64::consts::PI * (1.0 - 2.0 * center[1]))
            .sinh()
            .atan()
            .to_degrees();
        self.zoom_to(lat, lon, zoom.min(11.0));
    }

    pub fn show(
        &mut self,
        ui: &mut Ui,
        incidents: &[Incident],
        selected: Option<&str>,
        overlays: Overlays<'_>,
        commands: &mut Vec<Command>,
    ) {
        let center = lat_lon(17.5, -4.0);
        let tiles_cover = self.tiles.as_ref().is_some_and(|t| !t.health().failing);
        let basemap = Basemap {
            offline: &self.offline,
            tiles: self.tiles.as_mut(),
        };
        let layer = IncidentLayer {
            labels: (!tiles_cover).then_some(&self.offline),
            incidents,
            index: &mut self.markers,
            selected,
            commands,
        };
        let shown = Map::new(None, &mut self.memory, center)
            .with_plugin(basemap)
            .with_plugin(layer)
            .zoom_with_ctrl(false)
            .show(ui, |ui, response, _, _| {
                draw_overlays(ui, response, &overlays)
            });
        self.rect = shown.response.rect;
        commands.extend(shown.inner);
    }
}

/// What is written over the map, for the analyst and for screenshots.
pub struct Overlays<'a> {
    /// The tiles' and the data's credits.
    pub attribution: &'a str,
    /// The active filters in one line.
    pub summary: &'a str,
    /// How many incidents of each event type are shown (the legend).
    pub shown_by_type: &'a [usize; crate::ui::filter::TYPES],
}

/// What is drawn over the map; returns what its buttons asked for.
fn draw_overlays(ui: &mut Ui, response: &Response, overlays: &Overlays<'_>) -> Vec<Command> {
    let attribution = overlays.attribution;
    let rect = response.rect;
    let mut asked: Vec<Command> = Vec::new();
    // Top left: the buttons and what is shown, then the legend (in a map of Mali that is
    // Mauritania's desert).
    egui::Area::new(egui::Id::unique("map buttons"))
        .fixed_pos(rect.left_top() + egui::vec2(10.0, 10.0))
        .show(ui.ctx(), |ui| {
            ui.set_max_width((rect.width() - 20.0).max(120.0));
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui
                        .button("Fit")
                        .on_hover_text("Fit the map to the incidents shown")
                        .clicked()
                    {
                        asked.push(Command::FitToIncidents);
                    }
                    ui.separator();
                    ui.add(
                        egui::Label::new(
                            RichText::new(overlays.summary)
                                .size(12.5)
                                .color(Color32::from_gray(25)),
                        )
                        .wrap(),
                    );
                });
            });
            ui.add_space(4.0);
            panels::legend(ui, overlays.shown_by_type);
        });
    egui::Area::new(egui::Id::unique("map attribution"))
        .pivot(Align2::RIGHT_BOTTOM)
        .fixed_pos(rect.right_bottom())
        .show(ui.ctx(), |ui| {
            egui::Frame::new()
                .fill(Color32::from_white_alpha(210))
                .inner_margin(egui::Margin::symmetric(6, 2))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(attribution)
                            .size(11.0)
                            .color(Color32::from_gray(40)),
                    );
                });
        });
    asked
}

/// The basemap plugin: Offline first, then the tiles over it where they have arrived.
struct Basemap<'a> {
    offline: &'a OfflineMap,
    tiles: Option<&'a mut TileStore>,
}

impl Plugin for Basemap<'_> {
    fn run(self: Box<Self>, ui: &mut Ui, _: &Response, projector: &Projector, _: &MapMemory) {
        let painter = ui.painter().with_clip_rect(projector.clip_rect());
        self.offline.draw(&painter, projector);
        if let Some(tiles) = self.tiles {
            tiles.draw(&painter, projector);
        }
    }
}
