//! The timeline's bars drawn as two pictures of the plot, one in full colour and one dimmed,
//! made again only when the bars change. A brush sliding over them (a drag, playback) only
//! moves where one picture gives way to the other.
//!
//! A day's bar is a few pixels wide, stacked by event type: a thousand thin quads, about
//! 3,800 triangles. A software renderer (Mesa llvmpipe) sets up every one of them each frame,
//! and shades every 4×4 block of pixels their long edges cross. As three textured quads, the
//! plot costs its own pixels once (what that saved a brushing frame: benches/README.md).

use egui::{Color32, ColorImage, Painter, Rect, TextureHandle, TextureOptions, pos2};

/// What a bar outside the brush keeps of its colour.
const DIMMED: f32 = 0.3;

/// One layer of a bar: where it is (points) and its colour at full strength.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarRect {
    pub rect: Rect,
    pub colour: Color32,
}

/// The two pictures (full colour, dimmed), and what they were made from.
#[derive(Default)]
pub struct BarsPicture {
    made_from: Option<Plot>,
    textures: Option<[TextureHandle; 2]>,
    /// How many times the pictures were made.
    made: u32,
}

impl std::fmt::Debug for BarsPicture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BarsPicture")
            .field("bars", &self.made_from.as_ref().map(|p| p.bars.len()))
            .field("made", &self.made)
            .finish()
    }
}

/// A plot's pixels (left, top, right, bottom, in whole window pixels), its ground and bars.
#[derive(Debug, Clone, PartialEq)]
struct Plot {
    pixels: [i32; 4],
    pixels_per_point: f32,
    ground: Color32,
    bars: Vec<BarRect>,
}

impl Plot {
    fn size(&self) -> [usize; 2] {
        let [left, top, right, bottom] = self.pixels;
        [
            (right - left).max(1) as usize,
            (bottom - top).max(1) as usize,
        ]
    }

    /// The plot's picture: the ground, and the bars over it with `strength` of their colour,
    /// blended as the renderer blends them (premultiplied alpha). A pixel belongs to a bar
    /// when its centre lies in the bar, as a renderer fills a quad without anti-aliasing.
    fn picture(&self, strength: f32) -> ColorImage {
        let [width, height] = self.size();
        let mut image = ColorImage::filled([width, height], self.ground);
        let ppp = self.pixels_per_point;
        let [left, top, ..] = self.pixels;
        // The pixels whose centres lie in [from, to) (points), in the picture's columns or rows.
        let span = |from: f32, to: f32, origin: i32, size: usize| {
            let first = (from * ppp - origin as f32 - 0.5).ceil().max(0.0) as usize;
            let end = (to * ppp - origin as f32 - 0.5).ceil().max(0.0) as usize;
            first.min(size)..end.min(size)
        };
        for bar in &self.bars {
            let colour = bar.colour.gamma_multiply(strength);
            let keep = 1.0 - f32::from(colour.a()) / 255.0;
            let columns = span(bar.rect.min.x, bar.rect.max.x, left, width);
            for row in span(bar.rect.min.y, bar.rect.max.y, top, height) {
                for column in columns.clone() {
                    let pixel = &mut image.pixels[row * width + column];
                    let blend = |src: u8, dst: u8| {
                        (f32::from(src) + f32::from(dst) * keep).round().min(255.0) as u8
                    };
                    *pixel = Color32::from_rgba_premultiplied(
                        blend(colour.r(), pixel.r()),
                        blend(colour.g(), pixel.g()),
                        blend(colour.b(), pixel.b()),
                        blend(colour.a(), pixel.a()),
                    );
                }
            }
        }
        image
    }
}

impl BarsPicture {
    /// Paints `bars` on the opaque `ground` of `plot`: in full colour between the two x of
    /// `bright` (points, on whole pixels) and dimmed outside them; in full colour everywhere
    /// without it.
    pub fn paint(
        &mut self,
        painter: &Painter,
        plot: Rect,
        ground: Color32,
        bars: Vec<BarRect>,
        bright: Option<(f32, f32)>,
    ) {
        let ppp = painter.ctx().pixels_per_point();
        let now = Plot {
            pixels: [
                (plot.min.x * ppp).floor() as i32,
                (plot.min.y * ppp).floor() as i32,
                (plot.max.x * ppp).ceil() as i32,
                (plot.max.y * ppp).ceil() as i32,
            ],
            pixels_per_point: ppp,
            ground,
            bars,
        };
        let textures = match (&mut self.textures, self.made_from.as_ref() == Some(&now)) {
            (Some(textures), true) => textures,
            (textures, _) => {
                let [full, dimmed] = [now.picture(1.0), now.picture(DIMMED)];
                let textures = match textures.take() {
                    Some([mut a, mut b]) => {
                        a.set(full, TextureOptions::NEAREST);
                        b.set(dimmed, TextureOptions::NEAREST);
                        textures.insert([a, b])
                    }
                    None => textures.insert([
                        painter
                            .ctx()
                            .load_texture("timeline-bars", full, TextureOptions::NEAREST),
                        painter.ctx().load_texture(
                            "timeline-bars-dimmed",
                            dimmed,
                            TextureOptions::NEAREST,
                        ),
                    ]),
                };
                self.made_from = Some(now.clone());
                self.made += 1;
                textures
            }
        };
        let [left, top, right, bottom] = now.pixels;
        let width = (right - left).max(1);
        // The picture's columns from..to, drawn from `texture` where they are in the window.
        let draw = |texture: &TextureHandle, from: i32, to: i32| {
            if to <= from {
                return;
            }
            let rect = Rect::from_min_max(
                pos2((left + from) as f32, top as f32) / ppp,
                pos2((left + to) as f32, bottom as f32) / ppp,
            );
            let uv = Rect::from_min_max(
                pos2(from as f32 / width as f32, 0.0),
                pos2(to as f32 / width as f32, 1.0),
            );
            painter.image(texture.id(), rect, uv, Color32::WHITE);
        };
        let [full, dimmed] = &*textures;
        match bright {
            None => draw(full, 0, width),
            Some((a, b)) => {
                let column = |x: f32| ((x * ppp).round() as i32 - left).clamp(0, width);
                let (a, b) = (column(a), column(b).max(column(a)));
                draw(dimmed, 0, a);
                draw(full, a, b);
                draw(dimmed, b, width);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot(bars: Vec<BarRect>, pixels_per_point: f32) -> Plot {
        Plot {
            pixels: [10, 20, 30, 40],
            pixels_per_point,
            ground: Color32::WHITE,
            bars,
        }
    }

    fn bar(rect: Rect, colour: Color32) -> BarRect {
        BarRect { rect, colour }
    }

    /// Paints `bars` once with each of `brights`, a frame each.
    fn frames(
        ctx: &egui::Context,
        picture: &mut BarsPicture,
        bars: &[BarRect],
        brights: &[Option<(f32, f32)>],
    ) {
        let plot = Rect::from_min_max(pos2(0.0, 0.0), pos2(200.0, 80.0));
        for bright in brights {
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                picture.paint(ui.painter(), plot, Color32::WHITE, bars.to_vec(), *bright);
            });
            output.textures_delta.clear();
        }
    }

    #[test]
    fn sliding_the_brush_leaves_the_pictures_as_they_are() {
        let (ctx, mut picture) = (egui::Context::default(), BarsPicture::default());
        let red = Color32::from_rgb(200, 0, 0);
        let bars = [bar(
            Rect::from_min_max(pos2(10.0, 40.0), pos2(14.0, 80.0)),
            red,
        )];
        let brights = [
            None,
            Some((0.0, 20.0)),
            Some((20.0, 40.0)),
            Some((40.0, 60.0)),
        ];
        frames(&ctx, &mut picture, &bars, &brights);
        assert_eq!(picture.made, 1);
        // A bar grows (the filters changed): made again.
        let taller = [bar(
            Rect::from_min_max(pos2(10.0, 30.0), pos2(14.0, 80.0)),
            red,
        )];
        frames(&ctx, &mut picture, &taller, &brights[1..2]);
        assert_eq!(picture.made, 2);
    }

    #[test]
    fn a_bar_fills_the_pixels_whose_centres_it_holds_over_the_ground() {
        let red = Color32::from_rgb(200, 0, 0);
        let rect = Rect::from_min_max(pos2(12.0, 25.4), pos2(14.0, 40.0));
        let image = plot(vec![bar(rect, red)], 1.0).picture(1.0);
        let at = |x: usize, y: usize| image.pixels[y * 20 + x];
        // Columns 2 and 3, rows from 5 (its centre 25.5 is in the bar) to the bottom.
        assert_eq!(at(2, 5), red);
        assert_eq!(at(3, 19), red);
        assert_eq!(at(1, 5), Color32::WHITE);
        assert_eq!(at(4, 5), Color32::WHITE);
        assert_eq!(
            at(2, 4),
            Color32::WHITE,
            "row 4's centre, 24.5, is above the bar"
        );
    }

    #[test]
    fn a_dimmed_bar_is_blended_over_the_ground_as_the_renderer_would() {
        let blue = Color32::from_rgb(0, 0, 255);
        let rect = Rect::from_min_max(pos2(10.0, 20.0), pos2(30.0, 40.0));
        let image = plot(vec![bar(rect, blue)], 1.0).picture(DIMMED);
        // Premultiplied: 0.3 of blue over white keeps 0.7 of the white.
        let expected = blue.gamma_multiply(DIMMED);
        let keep = 1.0 - f32::from(expected.a()) / 255.0;
        let white_kept = (255.0 * keep).round() as u8;
        assert_eq!(
            image.pixels[0],
            Color32::from_rgba_premultiplied(white_kept, white_kept, 255, 255)
        );
    }

    #[test]
    fn bars_on_a_high_density_screen_cover_their_pixels() {
        let green = Color32::from_rgb(0, 150, 0);
        // 1.5 pixels a point: the plot is pixels 10..30, so points 6.67..20.
        let rect = Rect::from_min_max(pos2(8.0, 14.0), pos2(10.0, 30.0));
        let image = plot(vec![bar(rect, green)], 1.5).picture(1.0);
        let row: Vec<bool> = (0..20).map(|x| image.pixels[5 * 20 + x] == green).collect();
        // Points 8..10 are pixels 12..15: columns 2, 3 and 4.
        let filled: Vec<usize> = (0..20).filter(|x| row[*x]).collect();
        assert_eq!(filled, vec![2, 3, 4]);
    }
}
