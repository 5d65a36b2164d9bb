//! Incidents on the map: a marker per incident, coloured by ACLED event type and sized by
//! fatalities; a solid dot where the place is exact (geo_precision 1), a translucent ring of the
//! uncertainty radius where it is not; markers that would touch gather into a count bubble
//! (`clusters`) that splits as the map zooms in (`marker_index`: the clusters per zoom step,
//! found in view by longitude).

use crate::engine::corrections::Edit;
use crate::engine::model::Incident;
use crate::ui::Command;
use crate::ui::bubble_stamps::{
    BUBBLE_CENTRE, BubbleShape, KINDS, Stamp, colour_of_kind, count_kinds,
};
pub use crate::ui::clusters::mercator;
use crate::ui::clusters::{Cluster, bubble_radius, from_mercator};
use crate::ui::label_hold::{LabelHold, MarkerFrame};
pub use crate::ui::marker_index::MarkerIndex;
use crate::ui::offline::OfflineMap;
use crate::ui::rings;
use crate::ui::sprites::SpriteMesh;
use egui::{Align2, Color32, FontId, Pos2, Response, RichText, Stroke, Ui};
use std::f32::consts::{FRAC_PI_2, TAU};
use walkers::{MapMemory, Plugin, Projector, lat_lon};

/// Above this many single markers in view, their uncertainty rings are not drawn.
const MAX_RINGS: usize = 300;
/// How far a lone marker reaches past its radius: the dot's white rim, and half the hollow
/// marker's ring.
const MARKER_STROKE_PX: f32 = 1.5;

/// The colour an event type is drawn in (`palette`: the same in the exports).
pub fn colour_of(event_type: Option<&str>) -> Color32 {
    let [r, g, b] = crate::palette::rgb_of(event_type);
    Color32::from_rgb(r, g, b)
}

/// Marker radius in points: grows with the square root of the death toll.
pub fn radius_of(fatalities: Option<u32>) -> f32 {
    5.0 + (2.0 * (fatalities.unwrap_or(0) as f32).sqrt()).min(13.0)
}

/// The radius a lone marker covers, its stroke included: what `clusters::gather` keeps apart.
pub fn footprint_of(fatalities: Option<u32>) -> f32 {
    radius_of(fatalities) + MARKER_STROKE_PX
}

/// The Offline basemap's labels, set in the slot the basemap keeps for them at its end (so
/// they are part of its picture, beneath the markers), clear of the markers as they settle.
pub struct Labels<'a> {
    pub offline: &'a OfflineMap,
    /// The slot; None when there are no labels to draw (over tiles with their own).
    pub slot: &'a std::cell::Cell<Option<egui::layers::ShapeIdx>>,
    pub hold: &'a mut LabelHold,
}

/// The map plugin that draws the incidents and turns clicks into commands.
pub struct IncidentLayer<'a> {
    pub labels: Labels<'a>,
    pub incidents: &'a [Incident],
    pub index: &'a mut MarkerIndex,
    pub selected: Option<&'a str>,
    /// The selected pin, dragged to where the incident happened.
    pub drag: &'a mut crate::ui::pin_drag::PinDrag,
    pub commands: &'a mut Vec<Command>,
    /// How this frame's map is drawn (set by the basemap, which runs first): None, where it is.
    pub frame: &'a std::cell::RefCell<Option<crate::ui::map_anchor::DrawFrame>>,
}

impl Plugin for IncidentLayer<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let IncidentLayer {
            labels,
            incidents,
            index,
            selected,
            drag,
            commands,
            frame,
        } = *self;
        // Drawn in the anchor's frame when there is one; the pointer and the pins are on screen.
        let frame = frame.borrow().clone();
        let painter = crate::ui::map_anchor::painter(ui, frame.as_ref(), projector);
        let offset = frame.as_ref().map_or(egui::Vec2::ZERO, |f| f.offset);
        let anchored = frame.as_ref().map(|f| f.projector());
        let screen_projector = projector;
        let projector = anchored.as_ref().unwrap_or(projector);
        let clip = projector.clip_rect().expand(40.0);
        let a = projector.unproject(clip.left_top().to_vec2());
        let b = projector.unproject(clip.right_bottom().to_vec2());
        let (ma, mb) = (mercator(a.y(), a.x()), mercator(b.y(), b.x()));
        let (((clusters, by_longitude), current), kinds, art) =
            index.step(projector.zoom(), ui.ctx());
        let pixels_per_point = ui.ctx().pixels_per_point();
        art.stamps.begin(ui.ctx());
        if !current {
            // Those of earlier filters, while the clusters of these are made.
            ui.ctx().request_repaint();
        }
        let in_view: Vec<&Cluster> = by_longitude
            .within(ma, mb)
            .into_iter()
            .filter_map(|k| clusters.get(k))
            .collect();
        let screen = |c: &Cluster| {
            let (lat, lon) = from_mercator(c.at);
            projector.project(lat_lon(lat, lon)).to_pos2()
        };
        let pointer = response.hover_pos().map(|p| p - offset);
        let mut hovered: Option<(&Cluster, Pos2, f32)> = None;
        if let Some(slot) = labels.slot.get() {
            let reserved: Vec<egui::Rect> = in_view
                .iter()
                .map(|c| {
                    let r = match c.members.as_slice() {
                        [one] => radius_of(incidents[*one].fatalities),
                        _ => 14.0,
                    };
                    egui::Rect::from_center_size(screen(c), egui::vec2(2.0 * r, 2.0 * r))
                })
                .collect();
            let frame = MarkerFrame {
                zoom: projector.zoom(),
                origin: projector.project(lat_lon(0.0, 0.0)).to_pos2(),
            };
            let (clear_of, waiting) = labels.hold.step(frame, reserved, current);
            if waiting {
                ui.ctx().request_repaint();
            }
            let shapes = labels.offline.labels(&painter, projector, clear_of);
            painter.set(slot, egui::Shape::Vec(shapes));
        }

        // Uncertainty rings first, under every dot; where hundreds of markers crowd the view
        // their rings would only blur it (the hollow dot still says "approximate").
        let singles = in_view.iter().filter(|c| c.members.len() == 1).count();
        if singles <= MAX_RINGS {
            let rings = in_view
                .iter()
                .filter(|c| c.members.len() == 1)
                .filter_map(|c| {
                    let incident = &incidents[c.members[0]];
                    let l = incident.location.as_ref().filter(|l| l.geo_precision > 1)?;
                    let px = (l.uncertainty_km * 1000.0) as f32
                        * projector.scale_pixel_per_meter(lat_lon(l.lat, l.lon));
                    (px > radius_of(incident.fatalities) + 2.0).then(|| rings::Ring {
                        at: screen(c),
                        radius: px,
                        colour: colour_of(incident.event_type.as_deref()),
                    })
                });
            painter.add(egui::Shape::mesh(rings::ring_mesh(
                art.sprites.mesh(pixels_per_point),
                rings.collect(),
                projector.clip_rect(),
                screen_projector.clip_rect().area(),
            )));
        }
        // Lone markers go into one mesh on the sprite atlas (4 triangles each; `sprites`), then
        // bubbles into one on their stamps (2 triangles each; `bubble_stamps`), with their
        // counts over them.
        let mut sprites = art.sprites.mesh(pixels_per_point);
        let mut stamped = art.stamps.mesh();
        let mut counts: Vec<(Pos2, usize)> = Vec::new();
        for c in &in_view {
            let at = screen(c);
            let (radius, hit) = if c.members.len() == 1 {
                let incident = &incidents[c.members[0]];
                let radius = radius_of(incident.fatalities);
                let colour = colour_of(incident.event_type.as_deref());
                let exact = incident
                    .location
                    .as_ref()
                    .is_some_and(|l| l.geo_precision == 1);
                let is_selected = selected == Some(incident.id.as_str());
                if is_selected {
                    painter.circle_stroke(at, radius + 4.0, Stroke::new(3.0, Color32::BLACK));
                    drag.saw_pin(&incident.id, at + offset, radius.max(7.0) + 4.0);
                }
                if exact {
                    // A solid dot in a white rim.
                    sprites.disc(at, radius + MARKER_STROKE_PX, Color32::WHITE);
                    sprites.disc(at, radius, colour);
                } else {
                    // Approximate: hollow, so it never reads as an exact pin; a ring as wide as
                    // the dot's rim is twice, centred on the radius.
                    sprites.disc(at, radius + MARKER_STROKE_PX, colour);
                    sprites.disc(at, radius - MARKER_STROKE_PX, Color32::WHITE);
                }
                (radius, radius.max(7.0))
            } else {
                let radius = bubble_radius(c.members.len());
                let kinds = count_kinds(&c.members, kinds);
                let stamp = Stamp::new(radius, pixels_per_point, &kinds);
                if !art.stamps.draw(&mut stamped, stamp, at) {
                    draw_bubble(&mut sprites, at, radius, &kinds);
                }
                counts.push((at, c.members.len()));
                (radius, radius)
            };
            if let Some(p) = pointer
                && p.distance(at) <= hit
                && hovered.is_none_or(|(_, _, r)| radius < r)
            {
                hovered = Some((c, at, radius));
            }
        }
        painter.add(egui::Shape::mesh(sprites.mesh));
        painter.add(egui::Shape::mesh(stamped));
        for (at, n) in counts {
            painter.text(
                at,
                Align2::CENTER_CENTER,
                n.to_string(),
                FontId::proportional(12.5),
                Color32::WHITE,
            );
        }

        drag.run(ui, response, screen_projector, (&painter, offset), commands);
        place_here_menu(ui, response, screen_projector, selected, commands);

        let Some((cluster, at, _)) = hovered else {
            if response.clicked() {
                commands.push(Command::Deselect);
            }
            return;
        };
        if response.clicked() {
            if let [only] = cluster.members.as_slice() {
                commands.push(Command::Select(incidents[*only].id.clone()));
            } else {
                // A bubble opens by zooming in on it.
                let (lat, lon) = from_mercator(cluster.at);
                commands.push(Command::ZoomTo {
                    lat,
                    lon,
                    zoom: projector.zoom() + 2.0,
                });
            }
        }
        if !(cluster.members.len() == 1
            && selected == Some(incidents[cluster.members[0]].id.as_str()))
        {
            // (The selected pin shows the grab hand: it can be dragged.)
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        }
        let tip_at = at + offset + egui::vec2(14.0, 10.0);
        egui::Area::new(egui::Id::unique("incident tooltip"))
            .order(egui::Order::Tooltip)
            .fixed_pos(tip_at)
            .interactable(false)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    hover_text(ui, cluster, incidents);
                });
            });
    }
}

/// Right-click on the map: where it was (kept for the menu); "Place the incident here" (a
/// correction, with an incident selected) and "Name this place…" (the user gazetteer).
fn place_here_menu(
    ui: &Ui,
    response: &Response,
    projector: &Projector,
    selected: Option<&str>,
    commands: &mut Vec<Command>,
) {
    let point_id = egui::Id::unique("map right-click point");
    if response.secondary_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        let at = projector.unproject(p.to_vec2());
        ui.ctx()
            .data_mut(|d| d.insert_temp(point_id, (at.y(), at.x())));
    }
    response.context_menu(|ui| {
        let Some((lat, lon)) = ui.ctx().data(|d| d.get_temp::<(f64, f64)>(point_id)) else {
            return;
        };
        ui.label(RichText::new(format!("{lat:.4}, {lon:.4}")).weak());
        if let Some(incident) = selected
            && ui.button("Place the incident here").clicked()
        {
            commands.push(Command::Correct {
                incident: incident.to_string(),
                edit: Edit::PlaceHere {
                    lat,
                    lon,
                    name: None,
                },
            });
            ui.close();
        }
        if ui.button("Name this place…").clicked() {
            commands.push(Command::NamePlace {
                name: String::new(),
                at: Some((lat, lon)),
            });
            ui.close();
        }
    });
}

/// A count bubble drawn as bands of the sprite atlas, when its stamp finds no room
/// (`bubble_stamps`): a dark disc in a ring split by event type (so a cluster still says what
/// it holds), on a white halo. Its count is written over it afterwards.
fn draw_bubble(sprites: &mut SpriteMesh, at: Pos2, radius: f32, kinds: &[u32; KINDS]) {
    let shape = BubbleShape::new(radius, 1.0);
    // Each layer is blended only where it shows: the halo as a band under the ring's edge,
    // the ring as a band under the centre's, then the centre.
    sprites.band(at, shape.halo, shape.outer - 1.0, 0.0, TAU, Color32::WHITE);
    let total = kinds.iter().sum::<u32>().max(1) as f32;
    let mut start = -FRAC_PI_2;
    for (kind, &n) in kinds.iter().enumerate().filter(|(_, n)| **n > 0) {
        let sweep = TAU * n as f32 / total;
        let colour = colour_of_kind(kind);
        sprites.band(at, shape.outer, shape.inside - 1.0, start, sweep, colour);
        start += sweep;
    }
    sprites.disc(at, shape.inside, BUBBLE_CENTRE);
}

fn hover_text(ui: &mut Ui, cluster: &Cluster, incidents: &[Incident]) {
    ui.set_max_width(320.0);
    if let [only] = cluster.members.as_slice() {
        let i = &incidents[*only];
        ui.strong(i.event_type.as_deref().unwrap_or("Event of unknown type"));
        if let Some(sub) = &i.sub_event_type {
            ui.label(sub);
        }
        ui.label(crate::ui::details::date_text(i));
        ui.label(crate::ui::details::place_text(i));
    } else {
        ui.strong(format!("{} incidents", cluster.members.len()));
        ui.label("Click to zoom in");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::sprites::Sprites;
    use egui::pos2;

    /// Pixels a mesh's triangles cover, overlaps counted again: what a renderer blends.
    fn blended(mesh: &egui::Mesh) -> f32 {
        mesh.indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| mesh.vertices[i as usize].pos);
                ((b - a).x * (c - a).y - (b - a).y * (c - a).x).abs() / 2.0
            })
            .sum()
    }

    /// A bubble's halo, ring and centre are blended only where they show: its triangles cover
    /// under twice its disc (a bubble of 7: 3,050 pixels, 1.7 times). Drawn as three whole
    /// discs over one another (the halo's and the centre's quads with their atlas cells'
    /// margins, the ring as a fan from the centre), it covered 3.8 to 4.2 times its disc by
    /// that geometry's formulas (a bubble of 7: about 7,000 pixels), in 10 triangles.
    #[test]
    fn a_bubble_blends_under_twice_the_pixels_it_shows() {
        let sprites = Sprites::new(&egui::Context::default());
        for count in [2, 7, 64] {
            // Three event types, so the ring is three bands.
            let mut kinds = [0; KINDS];
            for k in 0..count {
                kinds[k % 3] += 1;
            }
            let radius = bubble_radius(count);
            let mut mesh = sprites.mesh(1.0);
            draw_bubble(&mut mesh, pos2(100.0, 100.0), radius, &kinds);
            let disc =
                std::f32::consts::PI * (radius + crate::ui::clusters::BUBBLE_HALO_PX).powi(2);
            let ratio = blended(&mesh.mesh) / disc;
            assert!(
                ratio < 2.0,
                "{count}: {:.0} px for a disc of {disc:.0}",
                blended(&mesh.mesh)
            );
            assert!(mesh.mesh.indices.len() / 3 <= 60, "{count}: triangles");
        }
    }
}
