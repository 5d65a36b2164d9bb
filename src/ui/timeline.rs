//! The timeline under the map: incidents per day, week or month stacked by event type (pale
//! where an incident is known only to the week or month and is spread over it), the brush
//! that sets the time filter, zoom and pan of the axis, the undated count, and playback.

use crate::ui::Command;
use crate::ui::filter::{Day, Filters, TYPE_NAMES, TYPES, date_of};
use crate::ui::markers::colour_of;
use crate::ui::selection::{DayCounts, Selection};
use crate::ui::time_axis::{Bar, Bin, PlayMode, Playback, bar, ticks};
use crate::ui::timeline_bars::{BarRect, BarsPicture};
use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Stroke, Ui, vec2};
use serde::{Deserialize, Serialize};

/// The timeline's settings, kept between runs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineSettings {
    /// The visible days (first, last) as fractional day numbers; None: every dated incident.
    pub view: Option<(f64, f64)>,
    pub playback: Playback,
}

/// What the timeline remembers between frames only.
#[derive(Debug, Default)]
pub struct TimelineState {
    pub playing: bool,
    /// The bars as pictures, made again when they change.
    bars: BarsPicture,
    /// The playhead: the brush's last day.
    at: f64,
    drag: Option<Drag>,
}

#[derive(Debug, Clone, Copy)]
enum Drag {
    /// A new brush from this day.
    Brush(f64),
    /// One edge of the brush moves; the other stays at this day.
    Edge(Day),
    /// The whole brush moves with the pointer, grabbed this many days from its start.
    Move(f64),
    Pan,
}

const AXIS_HEIGHT: f32 = 18.0;
const HANDLE_PX: f32 = 6.0;
/// Bars are days while a day is this wide, else weeks, else months.
const MIN_BAR_PX: f64 = 5.0;
const BRUSH: Color32 = Color32::from_rgb(0x1f, 0x5f, 0xbf);

/// Draws the timeline; returns the filters it asks for (brush, undated) and playback's.
pub fn show(
    ui: &mut Ui,
    settings: &mut TimelineSettings,
    state: &mut TimelineState,
    filters: &Filters,
    selection: &Selection,
) -> Vec<Command> {
    let mut next = filters.clone();
    let days = &selection.days;
    let data = (!days.exact.is_empty()).then(|| (days.first, days.last()));
    let full = full_view(days);
    let visible = settings.view.unwrap_or(full);
    let bin = Bin::for_scale(
        f64::from(ui.available_width()) / (visible.1 - visible.0).max(1.0),
        MIN_BAR_PX,
    );
    controls(ui, settings, state, &mut next, selection, bin.days());
    let (rect, response) = ui.allocate_exact_size(
        vec2(ui.available_width(), ui.available_height().max(60.0)),
        Sense::click_and_drag(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Timeline"));
    if data.is_none() {
        ui.painter().text(
            rect.center(),
            Align2::CENTER_CENTER,
            "No dated incident",
            FontId::proportional(13.0),
            ui.visuals().weak_text_color(),
        );
        return finish(filters, next);
    }
    let (mut from, mut to) = settings.view.unwrap_or(full);
    // Playback keeps its brush in view.
    if let (true, Some((_, b))) = (state.playing, next.days()) {
        let end = f64::from(b) + 1.0;
        if end > to || end < from {
            let span = to - from;
            (from, to) = (end - 0.9 * span, end + 0.1 * span);
            settings.view = Some((from, to));
        }
    }
    let plot = Rect::from_min_max(rect.min, Pos2::new(rect.max.x, rect.max.y - AXIS_HEIGHT));
    let width = f64::from(plot.width().max(1.0));
    let day_at =
        |x: f32, (from, to): (f64, f64)| from + f64::from(x - plot.left()) / width * (to - from);

    // Zoom (wheel, pinch) about the pointer; pan (horizontal wheel or drag on the axis).
    if let Some(pointer) = response.hover_pos() {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
        let factor = f64::from(zoom) * (f64::from(scroll.y) * 0.003).exp();
        if factor != 1.0 || scroll.x != 0.0 {
            let anchor = day_at(pointer.x, (from, to));
            let span = ((to - from) / factor).clamp(3.0, (full.1 - full.0).max(30.0) * 1.5);
            let shift = -f64::from(scroll.x) / width * span;
            let left = (anchor - from) / (to - from);
            from = anchor - left * span + shift;
            to = from + span;
            settings.view = Some((from, to));
        }
    }
    let to_x = |day: f64| plot.left() + ((day - from) / (to - from) * width) as f32;
    brush_input(ui, &response, state, &mut next, settings, plot, (from, to));
    if response.double_clicked() {
        next.range = None;
        settings.view = None;
        state.playing = false;
    }

    // The bars.
    let px_per_day = width / (to - from);
    let bin = Bin::for_scale(px_per_day, MIN_BAR_PX);
    let bars: Vec<((Day, Day), Bar)> = bin
        .covering(from.floor() as Day, to.ceil() as Day)
        .map(|b| (b, bar(days, b)))
        .collect();
    let tallest = bars
        .iter()
        .map(|(_, (e, s))| e.iter().map(|n| *n as f32).sum::<f32>() + s.iter().sum::<f32>())
        .fold(0.0f32, f32::max)
        .max(1.0);
    let painter = ui.painter().with_clip_rect(rect);
    let range = next.days();
    let scale = (plot.height() - 14.0) / tallest;
    // The bars' sides on whole pixels, so that they need no anti-aliasing; drawn as pictures
    // (`timeline_bars`), bright where the brush is.
    let pixels = ui.ctx().pixels_per_point();
    let on_pixel = |x: f32| (x * pixels).round() / pixels;
    let mut layers = Vec::new();
    // The bars within the brush, from the first's left to the last's right.
    let mut within: Option<(f32, f32)> = None;
    for ((start, end), (exact, spread)) in &bars {
        let (x0, x1) = (
            on_pixel(to_x(f64::from(*start))),
            on_pixel(to_x(f64::from(*end))),
        );
        if range.is_some_and(|(a, b)| *start <= b && *end > a) {
            within = Some(within.map_or((x0, x1), |(left, _)| (left, x1)));
        }
        let gap = if x1 - x0 > 4.0 { 1.0 } else { 0.0 };
        let mut y = plot.bottom();
        let stacked = (0..TYPES)
            .map(|t| (t, exact[t] as f32, 1.0))
            .chain((0..TYPES).map(|t| (t, spread[t], 0.4)));
        for (t, n, strength) in stacked {
            if n <= 0.0 {
                continue;
            }
            let h = n * scale;
            layers.push(BarRect {
                rect: Rect::from_min_max(Pos2::new(x0 + gap, y - h), Pos2::new(x1 - gap, y)),
                colour: colour_of(Some(TYPE_NAMES[t])).gamma_multiply(strength),
            });
            y -= h;
        }
    }
    // Without a brush every bar is bright; with one, those outside it are dimmed.
    let bright = range.map(|_| within.unwrap_or((plot.left(), plot.left())));
    let ground = ui.visuals().extreme_bg_color;
    state.bars.paint(&painter, plot, ground, layers, bright);
    painter.text(
        plot.left_top() + vec2(4.0, 2.0),
        Align2::LEFT_TOP,
        format!(
            "per {} · max {tallest:.0} · pale: dated to the week or month, spread over it",
            match bin {
                Bin::Day => "day",
                Bin::Week => "week",
                Bin::Month => "month",
            }
        ),
        FontId::proportional(11.0),
        ui.visuals().weak_text_color(),
    );

    // The axis.
    let ink = ui.visuals().text_color();
    for (day, label) in ticks(from, to, px_per_day, 80.0) {
        let x = to_x(f64::from(day));
        painter.line_segment(
            [
                Pos2::new(x, plot.bottom()),
                Pos2::new(x, plot.bottom() + 4.0),
            ],
            Stroke::new(1.0, ink),
        );
        painter.text(
            Pos2::new(x + 2.0, plot.bottom() + 3.0),
            Align2::LEFT_TOP,
            label,
            FontId::proportional(11.5),
            ink,
        );
    }

    // The brush, its handles and its dates.
    if let Some((a, b)) = range {
        let (x0, x1) = (to_x(f64::from(a)), to_x(f64::from(b) + 1.0));
        let area = Rect::from_min_max(Pos2::new(x0, plot.top()), Pos2::new(x1, plot.bottom()));
        painter.rect_filled(area, 0.0, BRUSH.gamma_multiply(0.12));
        for x in [x0, x1] {
            painter.line_segment(
                [Pos2::new(x, plot.top()), Pos2::new(x, plot.bottom())],
                Stroke::new(2.0, BRUSH),
            );
            let grip = Rect::from_center_size(Pos2::new(x, plot.center().y), vec2(7.0, 22.0));
            painter.rect(
                grip,
                CornerRadius::same(2),
                Color32::WHITE,
                Stroke::new(1.5, BRUSH),
                egui::StrokeKind::Middle,
            );
        }
    }
    if state.playing {
        let x = to_x(state.at.floor() + 1.0);
        painter.line_segment(
            [Pos2::new(x, plot.top()), Pos2::new(x, plot.bottom())],
            Stroke::new(1.5, Color32::from_rgb(0xc0, 0x20, 0x20)),
        );
    }
    if let Some(pointer) = response.hover_pos().filter(|_| state.drag.is_none()) {
        let day = (from + f64::from(pointer.x - plot.left()) / width * (to - from)).floor();
        let under = bars
            .iter()
            .find(|((a, b), _)| f64::from(*a) <= day && day < f64::from(*b));
        let mut tip = under
            .map(|(b, counts)| bar_text(bin, *b, counts))
            .unwrap_or_default();
        tip.push_str(
            "\n\nDrag to choose dates · drag an edge to resize, inside to move · wheel to \
             zoom · drag the dates to pan · double-click for all dates",
        );
        response.on_hover_text(tip);
    }
    finish(filters, next)
}

/// A bar in words: its dates, then each event type's count (exact, then spread shares).
fn bar_text(bin: Bin, (start, end): (Day, Day), (exact, spread): &Bar) -> String {
    let (a, b) = (date_of(start), date_of(end - 1));
    let mut text = match bin {
        Bin::Day => a.format("%-d %B %Y").to_string(),
        Bin::Week => format!("{} – {}", a.format("%-d %b"), b.format("%-d %b %Y")),
        Bin::Month => a.format("%B %Y").to_string(),
    };
    let mut any = false;
    for t in 0..TYPES {
        if exact[t] == 0 && spread[t] < 0.05 {
            continue;
        }
        any = true;
        text.push_str(&format!("\n{}: {}", TYPE_NAMES[t], exact[t]));
        if spread[t] >= 0.05 {
            text.push_str(&format!(" + {:.1} spread", spread[t]));
        }
    }
    if !any {
        text.push_str("\nno incident");
    }
    text
}

/// The lengths a sliding window can have, in days.
const WINDOWS: [u32; 7] = [1, 3, 7, 14, 30, 90, 365];

fn days_text(n: u32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// The days in view before any zoom: every counted day, a day's margin either side.
pub fn full_view(days: &DayCounts) -> (f64, f64) {
    if days.exact.is_empty() {
        (0.0, 1.0)
    } else {
        (f64::from(days.first) - 1.0, f64::from(days.last()) + 2.0)
    }
}

fn finish(filters: &Filters, next: Filters) -> Vec<Command> {
    if next == *filters {
        Vec::new()
    } else {
        vec![Command::SetFilters(Box::new(next))]
    }
}

/// Brushing: a drag on the bars draws a new range, on an edge resizes it, inside it moves it;
/// a drag on the dates (or with the secondary button) pans; a click brushes one bar.
#[allow(clippy::too_many_arguments)]
fn brush_input(
    ui: &Ui,
    response: &egui::Response,
    state: &mut TimelineState,
    next: &mut Filters,
    settings: &mut TimelineSettings,
    plot: Rect,
    (from, to): (f64, f64),
) {
    let width = f64::from(plot.width().max(1.0));
    let day_at = |x: f32| from + f64::from(x - plot.left()) / width * (to - from);
    let x_of = |day: Day| plot.left() + ((f64::from(day) - from) / (to - from) * width) as f32;
    let Some(pointer) = response.interact_pointer_pos().or(response.hover_pos()) else {
        return;
    };
    let range = next.days();
    if response.drag_started() {
        // Where the button went down, not where the drag was recognised a few pixels on.
        let (secondary, origin) = ui.input(|i| {
            let p = &i.pointer;
            (p.secondary_down() || p.middle_down(), p.press_origin())
        });
        let pointer = origin.unwrap_or(pointer);
        state.drag = Some(if secondary || pointer.y > plot.bottom() {
            Drag::Pan
        } else {
            match range {
                Some((a, b)) if (pointer.x - x_of(a)).abs() <= HANDLE_PX => Drag::Edge(b),
                Some((a, b)) if (pointer.x - x_of(b + 1)).abs() <= HANDLE_PX => Drag::Edge(a),
                Some((a, b)) if pointer.x > x_of(a) && pointer.x < x_of(b + 1) => {
                    Drag::Move(day_at(pointer.x) - f64::from(a))
                }
                _ => Drag::Brush(day_at(pointer.x)),
            }
        });
        state.playing = false;
    }
    if response.dragged() {
        let day = day_at(pointer.x);
        match state.drag {
            Some(Drag::Brush(anchor)) => {
                next.set_days(Some((anchor.floor() as Day, day.floor() as Day)));
            }
            Some(Drag::Edge(fixed)) => {
                // The moving edge is a day boundary: the range ends the day before it.
                let edge = day.round() as Day;
                let days = if edge > fixed {
                    (fixed, edge - 1)
                } else {
                    (edge, fixed)
                };
                next.set_days(Some(days));
            }
            Some(Drag::Move(grab)) => {
                if let Some((a, b)) = range {
                    let start = (day - grab).round() as Day;
                    next.set_days(Some((start, start + (b - a))));
                }
            }
            Some(Drag::Pan) => {
                let shift = -f64::from(response.drag_delta().x) / width * (to - from);
                settings.view = Some((from + shift, to + shift));
            }
            None => {}
        }
    }
    if response.drag_stopped() {
        state.drag = None;
    }
    if response.clicked() && pointer.y <= plot.bottom() {
        let bin = Bin::for_scale(width / (to - from), MIN_BAR_PX)
            .around(day_at(pointer.x).floor() as Day);
        next.set_days(Some((bin.0, bin.1 - 1)));
    }
}

/// The row above the bars: playback, the undated count, the brushed dates.
fn controls(
    ui: &mut Ui,
    settings: &mut TimelineSettings,
    state: &mut TimelineState,
    next: &mut Filters,
    selection: &Selection,
    bin_days: f64,
) {
    let days = &selection.days;
    let dated = !days.exact.is_empty();
    let playback = &mut settings.playback;
    ui.horizontal(|ui| {
        let step = |state: &mut TimelineState, next: &mut Filters, by: f64| {
            match playback.advance(state.at, by, days) {
                Some(at) => state.at = at,
                None => state.playing = false,
            }
            next.set_days(Some(playback.brush(state.at, days.first)));
        };
        ui.add_enabled_ui(dated, |ui| {
            if ui
                .button("Start")
                .on_hover_text("Back to the first incident")
                .clicked()
            {
                state.at = f64::from(playback.start(days));
                next.set_days(Some(playback.brush(state.at, days.first)));
            }
            let label = if state.playing { "Pause" } else { "Play" };
            if ui.button(label).clicked() {
                state.playing = !state.playing;
                let at_end = next.days().is_none_or(|(_, b)| b >= days.last());
                if state.playing && at_end {
                    state.at = f64::from(playback.start(days));
                    next.set_days(Some(playback.brush(state.at, days.first)));
                } else if let Some((_, b)) = next.days() {
                    state.at = f64::from(b);
                }
            }
            if ui.button("Step").on_hover_text("One bar forward").clicked() {
                match next.days() {
                    None => {
                        state.at = f64::from(playback.start(days));
                        next.set_days(Some(playback.brush(state.at, days.first)));
                    }
                    Some((_, end)) => {
                        // From the brush as it is, dragged by hand or left by playback.
                        if !state.playing {
                            state.at = f64::from(end);
                        }
                        step(state, next, bin_days);
                    }
                }
            }
        });
        if state.playing {
            let dt = f64::from(ui.input(|i| i.stable_dt).min(0.1));
            step(state, next, dt * bin_days * f64::from(playback.speed));
            ui.ctx().request_repaint();
        }
        ui.separator();
        ui.selectable_value(&mut playback.mode, PlayMode::Window, "Sliding window")
            .on_hover_text("Playback shows a window of days sliding forward");
        ui.selectable_value(&mut playback.mode, PlayMode::Cumulative, "Cumulative")
            .on_hover_text("Playback shows everything up to the playhead");
        if playback.mode == PlayMode::Window {
            ui.menu_button(
                format!("Window: {}", days_text(playback.window_days)),
                |ui| {
                    for n in WINDOWS {
                        if ui
                            .selectable_label(playback.window_days == n, days_text(n))
                            .clicked()
                        {
                            playback.window_days = n;
                            ui.close();
                        }
                    }
                },
            );
        }
        ui.add(
            egui::Slider::new(&mut playback.speed, 0.5..=10.0)
                .logarithmic(true)
                .suffix("×")
                .text("speed"),
        );
        ui.checkbox(&mut playback.skip_empty, "Skip empty");
        ui.separator();
        ui.checkbox(
            &mut next.include_undated,
            format!("Include undated ({})", selection.undated),
        )
        .on_hover_text("Incidents the text gives no date for: shown whatever the dates chosen");
        if let Some((a, b)) = next.days() {
            ui.separator();
            ui.label(format!(
                "{} – {} ({} days)",
                date_of(a).format("%-d %b %Y"),
                date_of(b).format("%-d %b %Y"),
                b - a + 1
            ));
            if ui.button("All dates").clicked() {
                next.range = None;
                state.playing = false;
            }
        }
    });
}
