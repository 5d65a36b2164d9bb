//! The map in the middle of the window: the basemap (Offline always underneath, tiles over it
//! when a tile basemap is chosen), the incident markers, and the overlays analysts screenshot
//! with it: legend, attribution, zoom and fit buttons.

use crate::engine::model::Incident;
use crate::ui::label_hold::LabelHold;
use crate::ui::map_anchor::{Anchoring, DrawFrame};
use crate::ui::map_picture::MapPicture;
use crate::ui::markers::{IncidentLayer, Labels, MarkerIndex, mercator};
use crate::ui::offline::OfflineMap;
use crate::ui::tiles::TileStore;
use crate::ui::{Command, panels};
use egui::layers::ShapeIdx;
use egui::{Align2, Color32, Rect, Response, RichText, Ui};
use walkers::{Map, MapMemory, MercatorProjection, Plugin, Projection, Projector, lat_lon};

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
    /// How many frames running the map has been drawn at the size of `rect` (after the first
    /// frame at that size): a fit waits for one, so it frames the map the analyst sees.
    frames_at_size: u32,
    /// The selected pin, dragged to a new place.
    drag: crate::ui::pin_drag::PinDrag,
    /// The map kept as pictures between changes (OpenGL windows only).
    pub picture: Option<MapPicture>,
    /// Where the Offline map is drawn from while the view moves by whole pixels (the app's
    /// window; None draws it where it is every frame, as the briefing does).
    pub anchoring: Option<Anchoring>,
    /// The markers the Offline map's labels stand clear of.
    labels: LabelHold,
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
            frames_at_size: 0,
            drag: Default::default(),
            picture: None,
            anchoring: None,
            labels: LabelHold::default(),
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

    /// Moves the map by `by` points on screen, as a drag would.
    pub fn pan_by(&mut self, by: egui::Vec2) {
        let (lat, lon, zoom) = self.center_and_zoom();
        let world = MercatorProjection.project(lat_lon(lat, lon), zoom);
        let moved = walkers::Pixels::new(world.x() - f64::from(by.x), world.y() - f64::from(by.y));
        self.memory
            .center_at(MercatorProjection.unproject(moved, zoom));
    }

    /// Centres the map here, keeping the zoom.
    pub fn pan_to(&mut self, lat: f64, lon: f64) {
        self.memory.center_at(lat_lon(lat, lon));
    }

    /// The map's size on screen (points), as last drawn.
    pub fn size(&self) -> egui::Vec2 {
        self.rect.size()
    }

    /// Where the map was drawn last frame.
    pub fn rect(&self) -> Rect {
        self.rect
    }

    /// Whether the map's size is known: the last two frames drew it at the same size. Before
    /// its first frame the size is a guess, and a panel may still settle in the second.
    pub fn size_known(&self) -> bool {
        self.frames_at_size >= 1
    }

    /// The centre (lat, lon) and the zoom.
    pub fn center_and_zoom(&self) -> (f64, f64, f64) {
        let at = self.memory.detached().unwrap_or(lat_lon(17.5, -4.0));
        (at.y(), at.x(), self.memory.zoom())
    }

    /// Centres and zooms so every located incident is in view, or Mali when there is none.
    pub fn fit<'a>(&mut self, incidents: impl Iterator<Item = &'a Incident>) {
        let bounds = around_towns(bounds_of(incidents).unwrap_or(MALI));
        let (lat, lon, zoom) = view_fitting(bounds, self.rect.size(), Insets::default(), 0.15);
        self.zoom_to(lat, lon, zoom.min(11.0));
    }

    /// Draws the map with the app's overlays (buttons, what is shown, legend, credits).
    pub fn show(
        &mut self,
        ui: &mut Ui,
        incidents: &[Incident],
        selected: Option<&str>,
        overlays: Overlays<'_>,
        commands: &mut Vec<Command>,
    ) {
        self.show_with(ui, incidents, selected, commands, |ui, response| {
            draw_overlays(ui, response, &overlays)
        });
    }

    /// Draws the basemap and the incidents, then `overlays` over them (given the map's
    /// response; what it returns is done like the map's own commands).
    pub fn show_with(
        &mut self,
        ui: &mut Ui,
        incidents: &[Incident],
        selected: Option<&str>,
        commands: &mut Vec<Command>,
        overlays: impl FnOnce(&mut Ui, &Response) -> Vec<Command>,
    ) {
        let center = lat_lon(17.5, -4.0);
        let tiles_cover = self.tiles.as_ref().is_some_and(|t| !t.health().failing);
        // Where the basemap's shapes end: the map is kept as two pictures, split there.
        let basemap_end = std::cell::Cell::new(None);
        // Anchored only when the app draws all of the basemap (Offline): tiles are fetched for
        // the view, not for a margin around it.
        let anchoring = self.anchoring.as_mut().filter(|_| self.tiles.is_none());
        let frame = std::cell::RefCell::new(None);
        // Where the basemap keeps a slot for the Offline map's labels, over tiles that fail
        // or none: they are drawn with it, beneath the markers, once those are known.
        let labels_slot = std::cell::Cell::new(None);
        let basemap = Basemap {
            offline: &self.offline,
            tiles: self.tiles.as_mut(),
            end: &basemap_end,
            labels_slot: (!tiles_cover).then_some(&labels_slot),
            anchoring,
            frame: &frame,
        };
        // A press on the selected pin drags the pin, not the map.
        let pan = if self.drag.grabs(ui) {
            egui::DragPanButtons::empty()
        } else {
            egui::DragPanButtons::PRIMARY
        };
        let layer = IncidentLayer {
            labels: Labels {
                offline: &self.offline,
                slot: &labels_slot,
                hold: &mut self.labels,
            },
            incidents,
            index: &mut self.markers,
            selected,
            drag: &mut self.drag,
            commands,
            frame: &frame,
        };
        let layer_id = ui.layer_id();
        let first_shape = ui.ctx().graphics_mut(|g| g.entry(layer_id).next_idx());
        let shown = Map::new(None, &mut self.memory, center)
            .with_plugin(basemap)
            .with_plugin(layer)
            .zoom_with_ctrl(false)
            .drag_pan_buttons(pan)
            .show(ui, |ui, response, _, _| overlays(ui, response));
        let rect = shown.response.rect;
        self.frames_at_size = if rect.size() == self.rect.size() {
            self.frames_at_size.saturating_add(1)
        } else {
            0
        };
        self.rect = rect;
        commands.extend(shown.inner);
        let clip = ui.clip_rect().intersect(self.rect);
        let frame = frame.into_inner();
        let shift = frame.as_ref().map(|f| crate::ui::map_picture::Shift {
            offset: f.offset,
            region: f.region,
        });
        if let Some(picture) = self.picture.as_mut().filter(|p| p.works()) {
            let split = basemap_end.get().unwrap_or(first_shape);
            picture.retain(ui.ctx(), layer_id, [first_shape, split], clip, shift);
        } else if let Some(shift) = shift {
            crate::ui::map_picture::move_onto_screen(ui.ctx(), layer_id, first_shape, clip, shift);
        }
    }

    /// What the map credits: the tiles' source, then the bundled data's.
    pub fn attribution(&self) -> String {
        let mut attribution = String::new();
        if let Some(tiles) = &self.tiles {
            attribution.push_str(tiles.attribution());
            attribution.push_str(" · ");
        }
        attribution.push_str("Borders, rivers: Natural Earth · Places: GeoNames (CC BY 4.0)");
        attribution
    }
}

/// The west, south, east and north of the located incidents (None when none is located).
pub fn bounds_of<'a>(
    incidents: impl Iterator<Item = &'a Incident>,
) -> Option<(f64, f64, f64, f64)> {
    let mut bounds: Option<(f64, f64, f64, f64)> = None;
    for l in incidents.filter_map(|i| i.location.as_ref()) {
        let b = bounds.get_or_insert((l.lon, l.lat, l.lon, l.lat));
        *b = (
            b.0.min(l.lon),
            b.1.min(l.lat),
            b.2.max(l.lon),
            b.3.max(l.lat),
        );
    }
    bounds
}

/// Room kept free at the edges of the map when fitting (points): where overlays sit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Insets {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

/// Bounds widened by a town's surroundings: a fit never comes closer than that, even to a
/// single incident.
pub fn around_towns((w, s, e, n): (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
    (w - 0.3, s - 0.3, e + 0.3, n + 0.3)
}

/// The view (lat, lon, zoom) of a map of `size` points that shows `bounds` (west, south,
/// east, north) inside the room `insets` leave, `margin` zoom levels short of touching its
/// edges.
pub fn view_fitting(
    (w, s, e, n): (f64, f64, f64, f64),
    size: egui::Vec2,
    insets: Insets,
    margin: f64,
) -> (f64, f64, f64) {
    let (a, b) = (mercator(n, w), mercator(s, e));
    let (dx, dy) = ((b[0] - a[0]).max(1e-9), (b[1] - a[1]).max(1e-9));
    let room_x = f64::from(
        (size.x - insets.left - insets.right)
            .max(size.x * 0.3)
            .max(1.0),
    );
    let room_y = f64::from(
        (size.y - insets.top - insets.bottom)
            .max(size.y * 0.3)
            .max(1.0),
    );
    let zoom =
        ((room_x / (256.0 * dx)).min(room_y / (256.0 * dy)).log2() - margin).clamp(0.0, 19.0);
    // The bounds' middle goes to the middle of the room left, not of the map.
    let world = 256.0 * 2f64.powf(zoom);
    let shift_x = f64::from(insets.left - insets.right) / 2.0 / world;
    let shift_y = f64::from(insets.top - insets.bottom) / 2.0 / world;
    let center = [(a[0] + b[0]) / 2.0 - shift_x, (a[1] + b[1]) / 2.0 - shift_y];
    let lon = center[0] * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * center[1]))
        .sinh()
        .atan()
        .to_degrees();
    (lat, lon, zoom)
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
            // Without the popup's shadow, as the legend beneath it: over the map in every
            // frame, its soft edge blended some 23,000 pixels in thin triangles.
            let frame = egui::Frame::popup(ui.style()).shadow(egui::Shadow::NONE);
            frame.show(ui, |ui| {
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
            panels::legend(ui, overlays.shown_by_type, &[]);
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

/// The basemap plugin: Offline first, then the tiles over it where they have arrived. It runs
/// first, so it decides how this frame's map is drawn (`frame`).
struct Basemap<'a> {
    offline: &'a OfflineMap,
    tiles: Option<&'a mut TileStore>,
    /// Set to where its shapes end in the map's paint list.
    end: &'a std::cell::Cell<Option<ShapeIdx>>,
    /// Set to the slot kept for the labels, its last shape (None: no labels).
    labels_slot: Option<&'a std::cell::Cell<Option<ShapeIdx>>>,
    anchoring: Option<&'a mut Anchoring>,
    frame: &'a std::cell::RefCell<Option<DrawFrame>>,
}

impl Plugin for Basemap<'_> {
    fn run(self: Box<Self>, ui: &mut Ui, _: &Response, projector: &Projector, memory: &MapMemory) {
        let pixels_per_point = ui.ctx().pixels_per_point();
        let frame = self
            .anchoring
            .and_then(|a| a.frame(memory, projector.clip_rect(), pixels_per_point));
        let painter = crate::ui::map_anchor::painter(ui, frame.as_ref(), projector);
        match &frame {
            Some(frame) => self.offline.draw(&painter, &frame.projector()),
            None => self.offline.draw(&painter, projector),
        }
        if let Some(tiles) = self.tiles {
            tiles.draw(&painter, projector);
        }
        if let Some(slot) = self.labels_slot {
            slot.set(Some(painter.add(egui::Shape::Noop)));
        }
        *self.frame.borrow_mut() = frame;
        let layer = ui.layer_id();
        self.end
            .set(Some(ui.ctx().graphics_mut(|g| g.entry(layer).next_idx())));
    }
}
