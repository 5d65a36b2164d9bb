//! Dragging the selected incident's pin to where it happened: a press on the selected pin
//! holds the map still, the pin follows the pointer (a line back to where it was), and the
//! drop is a "place set by the analyst" correction, undoable like any other.

use crate::engine::corrections::Edit;
use crate::ui::Command;
use egui::{Color32, Pos2, Response, Stroke, Ui};
use walkers::Projector;

/// A drop closer than this to where the pin was is a click, not a move.
const MIN_MOVE: f32 = 4.0;

#[derive(Debug, Default)]
pub struct PinDrag {
    /// The selected incident's pin as drawn last frame: its id, where, and how near counts as on it.
    pin: Option<(String, Pos2, f32)>,
    /// The pin being dragged: the incident, where it was, where the pointer is now.
    held: Option<Held>,
}

#[derive(Debug)]
struct Held {
    incident: String,
    from: Pos2,
    to: Pos2,
}

impl PinDrag {
    /// Before the map handles its input: whether the primary button went down on the selected
    /// pin (or is still down after it did), so the map must not pan with it.
    pub fn grabs(&mut self, ui: &Ui) -> bool {
        let (pressed, down, origin) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.pointer.press_origin(),
            )
        });
        if pressed
            && let (Some((id, at, hit)), Some(origin)) = (&self.pin, origin)
            && origin.distance(*at) <= *hit
        {
            self.held = Some(Held {
                incident: id.clone(),
                from: *at,
                to: *at,
            });
        }
        let grabbing = self.held.is_some() && (down || pressed);
        self.pin = None;
        grabbing
    }

    /// The selected incident's pin, as the marker layer draws it.
    pub fn saw_pin(&mut self, incident: &str, at: Pos2, hit: f32) {
        self.pin = Some((incident.to_string(), at, hit));
    }

    /// After the markers: the held pin follows the pointer; dropped, it becomes a correction.
    pub fn run(
        &mut self,
        ui: &Ui,
        response: &Response,
        projector: &Projector,
        (painter, offset): (&egui::Painter, egui::Vec2),
        commands: &mut Vec<Command>,
    ) {
        if self.held.is_none() {
            if let Some((_, at, hit)) = &self.pin
                && response
                    .hover_pos()
                    .is_some_and(|p| p.distance(*at) <= *hit)
            {
                ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
            }
            return;
        }
        let (down, latest) = ui.input(|i| (i.pointer.primary_down(), i.pointer.latest_pos()));
        let Some(held) = self.held.as_mut() else {
            return;
        };
        if let Some(p) = latest {
            held.to = p;
        }
        if down {
            ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
            // The map's painter draws where the map is drawn: `offset` from the screen.
            painter.line_segment(
                [held.from - offset, held.to - offset],
                Stroke::new(1.5, Color32::from_black_alpha(160)),
            );
            painter.circle(
                held.to - offset,
                7.0,
                Color32::WHITE,
                Stroke::new(3.0, Color32::BLACK),
            );
            return;
        }
        let Some(held) = self.held.take() else {
            return;
        };
        if held.to.distance(held.from) >= MIN_MOVE {
            let at = projector.unproject(held.to.to_vec2());
            commands.push(Command::Correct {
                incident: held.incident,
                edit: Edit::PlaceHere {
                    lat: at.y(),
                    lon: at.x(),
                    name: None,
                },
            });
        }
    }
}
