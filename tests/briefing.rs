//! The briefing picture: `incident-map render` with no display, and File ▸ Export briefing
//! image… in the app — the same drawing, checked pixel by pixel where it matters.

mod common;

use common::app::app;
use common::tile_server::{TILE, TileServer};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use incident_map::ui::Command;
use incident_map::ui::exports::BriefingTarget;
use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

/// Web Mercator (EPSG:3857) metres of a point.
fn web_mercator(lat: f64, lon: f64) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let x = R * lon.to_radians();
    let y = R
        * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln();
    (x, y)
}

/// The pixel a point falls on, by the picture's world file (A, D, B, E, C, F).
fn pixel_by_world_file(world_file: &Path, lat: f64, lon: f64) -> (u32, u32) {
    let numbers: Vec<f64> = std::fs::read_to_string(world_file)
        .expect("the world file")
        .lines()
        .map(|l| l.trim().parse().expect("a number"))
        .collect();
    let [a, _, _, e, c, f] = numbers[..] else {
        panic!("a world file has six lines")
    };
    let (x, y) = web_mercator(lat, lon);
    (((x - c) / a).round() as u32, ((y - f) / e).round() as u32)
}

fn near(pixel: &image::Rgba<u8>, rgb: [u8; 3], tolerance: u8) -> bool {
    pixel.0[..3]
        .iter()
        .zip(rgb)
        .all(|(a, b)| a.abs_diff(b) <= tolerance)
}

/// The rows the white header takes at the top of a picture.
fn header_height(picture: &image::RgbaImage) -> u32 {
    // Below its top border, at the left, where only the title's margin is.
    (8..picture.height())
        .find(|&y| !near(picture.get_pixel(6, y), [255, 255, 255], 3))
        .expect("the header ends")
}

#[test]
fn rendering_the_seeds_headless_marks_niafunke_in_its_colour_beside_a_legend() {
    let Some(shared) = common::shared_dir("briefing render") else {
        return;
    };
    let seeds = shared.join("seeds");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x.png");
    let rendered = Process::new(env!("CARGO_BIN_EXE_incident-map"))
        .arg("render")
        .arg(&seeds)
        .arg("-o")
        .arg(&out)
        .args(["--size", "1920x1080", "--world-file"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the binary runs");
    assert!(
        rendered.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let picture = image::open(&out).expect("a PNG").to_rgba8();
    assert_eq!(picture.dimensions(), (1920, 1080));

    // Niafunké's incident as `extract` gives it: its place and its type's colour.
    let extracted = common::incident_map(&["extract", &seeds.to_string_lossy()]);
    let geojson: serde_json::Value =
        serde_json::from_slice(&extracted.stdout).expect("GeoJSON from extract");
    let niafunke = geojson["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["location"] == "Niafunké")
        .expect("the seeds place an incident at Niafunké");
    let [lon, lat] = [0, 1].map(|k| {
        niafunke["geometry"]["coordinates"][k]
            .as_f64()
            .expect("a coordinate")
    });
    let colour = incident_map::palette::rgb_of(niafunke["properties"]["event_type"].as_str());
    let (x, y) = pixel_by_world_file(&out.with_extension("pgw"), lat, lon);
    let at = picture.get_pixel(x, y);
    assert!(
        near(at, colour, 6),
        "the pixel at Niafunké ({x}, {y}) is {at:?}, not its marker's {colour:?}"
    );

    // The legend: a white plate at the map's top left, holding the type's colour dot.
    let top = header_height(&picture);
    assert!((40..300).contains(&top), "header of {top} rows");
    let region = (5..360, top + 2..top + 400);
    let mut white = 0;
    let mut swatch = false;
    for y in region.1.clone() {
        for x in region.0.clone() {
            let p = picture.get_pixel(x, y);
            white += usize::from(near(p, [255, 255, 255], 6));
            swatch |= near(p, colour, 4);
        }
    }
    assert!(white > 150 * 100, "no legend plate ({white} white pixels)");
    assert!(swatch, "the legend has no dot of Niafunké's type colour");
}

#[test]
fn export_briefing_image_saves_the_view_at_2x_and_copies_it() {
    let mut harness = app(Vec::new());
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export briefing image…").click();
    // The command, then the window's sizing pass, then the window.
    harness.run_steps(4);
    harness.get_by_label("Export briefing image");
    let title = harness.get_by_role_and_label(Role::TextInput, "Title");
    title.focus();
    title.type_text(" (week 23)");
    harness.run_steps(2);
    assert!(
        harness.state().briefing_title().ends_with(" (week 23)"),
        "{}",
        harness.state().briefing_title()
    );
    // 1× is the map's own size in the window; 2× doubles it, words and markers with it.
    let window = harness.state().briefing_canvas(1.0);
    assert!(window.width > 400 && window.height > 300, "{window:?}");
    harness.get_by_label_contains("2×:").click();
    harness.run_steps(2);
    let canvas = harness.state().briefing_canvas(1.0);
    assert_eq!(
        (canvas.width, canvas.height, canvas.pixels_per_point),
        (2 * window.width, 2 * window.height, 2.0)
    );

    // Save: the file dialog is the desktop's; the test names the file it would return.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("briefing.png");
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::ExportBriefing(BriefingTarget::File(path.clone())),
    );
    wait_for_notice(&mut harness, "Saved the briefing image briefing.png");
    let picture = image::open(&path).expect("a PNG").to_rgba8();
    assert_eq!(picture.dimensions(), (canvas.width, canvas.height));
    let top = header_height(&picture);
    assert!((60..500).contains(&top), "header of {top} rows at 2×");
    let map_pixels = picture.rows().skip(top as usize).flatten();
    let (all, white) = map_pixels.fold((0, 0), |(all, white), p| {
        (all + 1, white + usize::from(near(p, [255, 255, 255], 3)))
    });
    assert!(
        white * 4 < all,
        "no map under the header: {white} of {all} white"
    );

    harness.get_by_label("Copy to clipboard").click();
    wait_for_notice(&mut harness, "Copied the briefing image");
    let copied = harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyImage(image) => Some(image.size),
            _ => None,
        });
    assert_eq!(
        copied,
        Some([canvas.width as usize, canvas.height as usize])
    );
}

fn wait_for_notice(
    harness: &mut egui_kittest::Harness<'static, incident_map::ui::App>,
    text: &str,
) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while harness
        .state()
        .notice()
        .is_none_or(|n| !n.starts_with(text))
    {
        assert!(
            Instant::now() < deadline,
            "no notice {text:?}; log: {:?}",
            harness.state().workspace().log()
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Renders the bundled samples over the test's tile server; the zoom levels asked for.
fn render_over_tiles(
    server: &TileServer,
    home: &Path,
    size: &str,
    scale: &str,
) -> (std::collections::BTreeSet<u32>, image::RgbaImage) {
    if let Ok(mut paths) = server.paths.lock() {
        paths.clear();
    }
    let out = home.join(format!("tiles-{size}.png"));
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let rendered = Process::new(env!("CARGO_BIN_EXE_incident-map"))
        .arg("render")
        .arg(&samples)
        .arg("-o")
        .arg(&out)
        .args(["--size", size, "--scale", scale, "--basemap", &server.url])
        .env("INCIDENT_MAP_HOME", home)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&rendered.stderr);
    assert!(rendered.status.success(), "render failed: {stderr}");
    assert!(!stderr.contains("did not arrive"), "{stderr}");
    let zooms = server
        .paths
        .lock()
        .expect("paths")
        .iter()
        .filter_map(|p| p.trim_start_matches('/').split('/').next()?.parse().ok())
        .collect();
    (zooms, image::open(&out).expect("a PNG").to_rgba8())
}

#[test]
fn tiles_are_fetched_for_the_pictures_size_never_stretched() {
    let server = TileServer::start();
    let home = tempfile::tempdir().expect("temp dir");
    let (small, picture) = render_over_tiles(&server, home.path(), "960x540", "1");
    // The same layout with twice the pixels: the next zoom's tiles, not the same ones stretched.
    let (large, _) = render_over_tiles(&server, home.path(), "1920x1080", "2");
    let deepest = |z: &std::collections::BTreeSet<u32>| z.last().copied().expect("tiles asked for");
    assert_eq!(
        deepest(&large),
        deepest(&small) + 1,
        "{small:?} then {large:?}"
    );
    // The tiles cover the map under the header.
    let top = header_height(&picture);
    let tile_pixels = picture
        .rows()
        .skip(top as usize)
        .flatten()
        .filter(|p| near(p, TILE, 2))
        .count();
    let map_pixels = (picture.height() - top) * picture.width();
    assert!(
        tile_pixels * 2 > map_pixels as usize,
        "{tile_pixels} of {map_pixels} map pixels are tiles"
    );
}
