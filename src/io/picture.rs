//! Writing pictures: PNG, whole or not at all (`atomic`), so a daily map another program
//! reads is never seen half-written.

use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `image` to `path` as PNG, whatever the file's extension.
pub fn save_png(path: &Path, image: &image::RgbaImage) -> Result<()> {
    let partial = crate::io::atomic::partial_path(path);
    let written = (|| -> Result<()> {
        let file = std::fs::File::create(&partial)?;
        let mut out = BufWriter::new(file);
        image.write_to(&mut out, image::ImageFormat::Png)?;
        out.flush()?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e).with_context(|| format!("{}: cannot write the picture", path.display()));
    }
    std::fs::rename(&partial, path)
        .with_context(|| format!("{}: cannot write the picture", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_is_written_whole_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("map"); // no extension: still PNG
        let image = image::RgbaImage::from_pixel(3, 2, image::Rgba([200, 10, 20, 255]));
        save_png(&path, &image).expect("written");
        let back = image::ImageReader::open(&path)
            .and_then(|r| r.with_guessed_format())
            .expect("readable")
            .decode()
            .expect("a PNG")
            .to_rgba8();
        assert_eq!(back, image);
        assert!(!dir.path().join("map.partial").exists());
        let bad = dir.path().join("missing/map.png");
        let error = format!("{:#}", save_png(&bad, &image).expect_err("no folder"));
        assert!(error.contains("missing/map.png"), "{error}");
    }
}
