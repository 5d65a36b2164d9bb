//! Raster tiles from a local PMTiles v3 archive (one file holding a whole tile pyramid, as
//! Protomaps and `pmtiles convert` make them): the header, the directories (root and leaves,
//! plain or gzip) and the tiles, read on demand with every length bounded.
//! <https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>

use anyhow::{Context as _, Result, bail, ensure};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const HEADER_LEN: usize = 127;
/// No directory or tile of a sane archive comes near this; a larger length means a damaged or
/// hostile file, refused rather than allocated.
const MAX_PIECE: u64 = 32 << 20;
/// Leaf directories nest at most this deep (the spec's writers use one level).
const MAX_DEPTH: usize = 4;

/// How the archive's directories or tiles are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
}

impl Compression {
    fn from_byte(byte: u8, what: &str) -> Result<Compression> {
        match byte {
            0 | 1 => Ok(Compression::None),
            2 => Ok(Compression::Gzip),
            3 => bail!("{what} are brotli-compressed, which this reader does not support"),
            4 => bail!("{what} are zstd-compressed, which this reader does not support"),
            n => bail!("unknown {what} compression {n}"),
        }
    }

    fn decode(self, bytes: Vec<u8>) -> Result<Vec<u8>> {
        match self {
            Compression::None => Ok(bytes),
            Compression::Gzip => {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(bytes.as_slice())
                    .take(MAX_PIECE)
                    .read_to_end(&mut out)
                    .context("a gzip piece does not decompress")?;
                Ok(out)
            }
        }
    }
}

/// One directory entry: `run` tiles from `tile_id` share the piece at `offset`, `length`; a run
/// of 0 points to a leaf directory instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u64,
    run: u32,
}

/// An open archive.
#[derive(Debug)]
pub struct PmTiles {
    path: PathBuf,
    file: Mutex<File>,
    root: Vec<Entry>,
    leaf_dirs: u64,
    tile_data: u64,
    internal: Compression,
    tiles: Compression,
    /// The tiles' format, as the header gives it ("png", "jpeg"...).
    pub format: &'static str,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// The archive's own attribution line (its metadata's `attribution`), when it has one.
    pub attribution: Option<String>,
}

impl PmTiles {
    pub fn open(path: &Path) -> Result<PmTiles> {
        let mut file =
            File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut header = [0u8; HEADER_LEN];
        file.read_exact(&mut header)
            .with_context(|| format!("{}: too short for a PMTiles header", path.display()))?;
        ensure!(
            &header[..7] == b"PMTiles",
            "{}: not a PMTiles archive",
            path.display()
        );
        ensure!(
            header[7] == 3,
            "{}: PMTiles version {}, only version 3 is read",
            path.display(),
            header[7]
        );
        let u64_at = |at: usize| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&header[at..at + 8]);
            u64::from_le_bytes(bytes)
        };
        let internal = Compression::from_byte(header[97], "directories")?;
        let tiles = Compression::from_byte(header[98], "tiles")?;
        let format = match header[99] {
            2 => "png",
            3 => "jpeg",
            4 => "webp",
            5 => "avif",
            1 => bail!(
                "{}: vector tiles (MVT); choose an archive of raster tiles",
                path.display()
            ),
            _ => "unknown",
        };
        let mut archive = PmTiles {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            root: Vec::new(),
            leaf_dirs: u64_at(40),
            tile_data: u64_at(56),
            internal,
            tiles,
            format,
            min_zoom: header[100],
            max_zoom: header[101],
            attribution: None,
        };
        archive.root = archive.directory(u64_at(8), u64_at(16))?;
        archive.attribution = archive.metadata(u64_at(24), u64_at(32)).and_then(|m| {
            Some(m.get("attribution")?.as_str()?.to_string()).filter(|a| !a.trim().is_empty())
        });
        Ok(archive)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tile at z/x/y, decompressed; None when the archive has no such tile.
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>> {
        let Some(id) = tile_id(z, x, y) else {
            return Ok(None);
        };
        let mut entries = self.root.clone();
        for _ in 0..MAX_DEPTH {
            let Some(entry) = find(&entries, id) else {
                return Ok(None);
            };
            if entry.run > 0 {
                let bytes = self.read(self.tile_data.saturating_add(entry.offset), entry.length)?;
                return self.tiles.decode(bytes).map(Some);
            }
            entries = self.directory(self.leaf_dirs.saturating_add(entry.offset), entry.length)?;
        }
        bail!("{}: leaf directories nest too deep", self.path.display())
    }

    /// The metadata JSON object; None when absent or unreadable (it is optional to the map).
    fn metadata(&self, offset: u64, length: u64) -> Option<serde_json::Value> {
        let bytes = self.internal.decode(self.read(offset, length).ok()?).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn read(&self, offset: u64, length: u64) -> Result<Vec<u8>> {
        ensure!(
            length <= MAX_PIECE,
            "{}: a piece of {length} bytes is implausible",
            self.path.display()
        );
        let mut bytes = vec![0u8; length as usize];
        let mut file = self
            .file
            .lock()
            .map_err(|_| anyhow::anyhow!("the archive's reader failed earlier"))?;
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(&mut bytes)
            .with_context(|| format!("{}: truncated at byte {offset}", self.path.display()))?;
        Ok(bytes)
    }

    fn directory(&self, offset: u64, length: u64) -> Result<Vec<Entry>> {
        let bytes = self.internal.decode(self.read(offset, length)?)?;
        parse_directory(&bytes)
            .with_context(|| format!("{}: a damaged directory", self.path.display()))
    }
}

/// The entry whose run covers `id`, or the leaf directory that may hold it.
fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let at = entries
        .partition_point(|e| e.tile_id <= id)
        .checked_sub(1)?;
    let entry = entries[at];
    let covers = entry.run == 0 || id < entry.tile_id.saturating_add(u64::from(entry.run));
    covers.then_some(entry)
}

fn parse_directory(bytes: &[u8]) -> Result<Vec<Entry>> {
    let mut at = 0;
    let mut next = || varint(bytes, &mut at);
    let count = next()?;
    // Every entry takes at least four bytes: a longer count is a lie.
    ensure!(count <= bytes.len() as u64 / 4 + 1, "entry count {count}");
    let count = count as usize;
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run: 0
        };
        count
    ];
    let mut id = 0u64;
    for e in entries.iter_mut() {
        id = id.checked_add(next()?).context("tile id overflow")?;
        e.tile_id = id;
    }
    for e in entries.iter_mut() {
        e.run = u32::try_from(next()?).context("run length")?;
    }
    for e in entries.iter_mut() {
        e.length = next()?;
    }
    for i in 0..count {
        let value = next()?;
        entries[i].offset = match (value, i.checked_sub(1)) {
            (0, Some(previous)) => entries[previous]
                .offset
                .checked_add(entries[previous].length)
                .context("offset overflow")?,
            _ => value
                .checked_sub(1)
                .context("offset 0 on the first entry")?,
        };
    }
    Ok(entries)
}

fn varint(bytes: &[u8], at: &mut usize) -> Result<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at).context("directory ends inside a number")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    bail!("a number longer than 64 bits")
}

/// The PMTiles id of tile z/x/y: the tiles of all lower zooms, then the position along a
/// Hilbert curve. None for coordinates outside the zoom's grid.
pub fn tile_id(z: u8, x: u32, y: u32) -> Option<u64> {
    if z > 31 || u64::from(x) >= 1u64 << z || u64::from(y) >= 1u64 << z {
        return None;
    }
    let before: u64 = (0..z).map(|level| 1u64 << (2 * level)).sum();
    let n = 1u64 << z;
    let (mut x, mut y) = (u64::from(x), u64::from(y));
    let mut d = 0u64;
    let mut s = n / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    Some(before + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_follow_the_spec() {
        // The values of the reference implementations' tests.
        assert_eq!(tile_id(0, 0, 0), Some(0));
        assert_eq!(tile_id(1, 0, 0), Some(1));
        assert_eq!(tile_id(1, 0, 1), Some(2));
        assert_eq!(tile_id(1, 1, 1), Some(3));
        assert_eq!(tile_id(1, 1, 0), Some(4));
        assert_eq!(tile_id(2, 0, 0), Some(5));
        assert_eq!(tile_id(12, 3423, 1763), Some(19_078_479));
        assert_eq!(tile_id(1, 2, 0), None);
    }

    #[test]
    fn files_that_are_not_whole_archives_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut header = b"PMTiles\x03".to_vec();
        header.resize(HEADER_LEN, 0);
        // A root directory said to be 1 GB long, and one past the end of the file.
        let mut huge = header.clone();
        huge[16..24].copy_from_slice(&(1u64 << 30).to_le_bytes());
        let mut beyond = header.clone();
        beyond[8..16].copy_from_slice(&1_000u64.to_le_bytes());
        beyond[16..24].copy_from_slice(&10u64.to_le_bytes());
        let mut version2 = header.clone();
        version2[7] = 2;
        for (name, bytes, reason) in [
            ("empty", Vec::new(), "too short"),
            ("text", b"not a tile archive at all, just some words to fill a header....................................................................".to_vec(), "not a PMTiles"),
            ("huge", huge, "implausible"),
            ("beyond", beyond, "truncated"),
            ("v2", version2, "version 2"),
        ] {
            let path = dir.path().join(format!("{name}.pmtiles"));
            std::fs::write(&path, bytes).expect("written");
            let error = PmTiles::open(&path).expect_err(name);
            assert!(format!("{error:#}").contains(reason), "{name}: {error:#}");
        }
    }

    fn varint_bytes(out: &mut Vec<u8>, mut n: u64) {
        while n >= 0x80 {
            out.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).expect("gzip in memory");
        encoder.finish().expect("gzip in memory")
    }

    /// An archive as real ones are made: gzip directories and metadata, a root directory
    /// pointing to a leaf directory, and tiles gzip-compressed too. Tiles z/x/y hold "z/x/y".
    #[test]
    fn gzip_archives_with_leaf_directories_are_read() {
        let tiles: Vec<(u8, u32, u32)> = vec![(0, 0, 0), (1, 0, 0), (1, 1, 1), (2, 3, 1)];
        let mut ids: Vec<(u64, Vec<u8>)> = tiles
            .iter()
            .map(|&(z, x, y)| {
                let id = tile_id(z, x, y).expect("a tile id");
                (id, gzip(format!("{z}/{x}/{y}").as_bytes()))
            })
            .collect();
        ids.sort();
        let mut data = Vec::new();
        let mut leaf = Vec::new();
        varint_bytes(&mut leaf, ids.len() as u64);
        let mut last = 0;
        for (id, _) in &ids {
            varint_bytes(&mut leaf, id - last);
            last = *id;
        }
        for _ in &ids {
            varint_bytes(&mut leaf, 1);
        }
        for (_, bytes) in &ids {
            varint_bytes(&mut leaf, bytes.len() as u64);
        }
        for (_, bytes) in &ids {
            varint_bytes(&mut leaf, data.len() as u64 + 1);
            data.extend_from_slice(bytes);
        }
        let leaf = gzip(&leaf);
        // The root: one entry, run 0, pointing at the leaf directory.
        let mut root = Vec::new();
        for n in [1, 0, 0, leaf.len() as u64, 1] {
            varint_bytes(&mut root, n);
        }
        let root = gzip(&root);
        let metadata = gzip(br#"{"attribution":"Made in a test"}"#);
        let (r, m) = (HEADER_LEN as u64, (HEADER_LEN + root.len()) as u64);
        let l = m + metadata.len() as u64;
        let d = l + leaf.len() as u64;
        let mut file = b"PMTiles\x03".to_vec();
        for n in [
            r,
            root.len() as u64,
            m,
            metadata.len() as u64,
            l,
            leaf.len() as u64,
            d,
        ] {
            file.extend_from_slice(&n.to_le_bytes());
        }
        for n in [data.len() as u64, 4, 4, 4] {
            file.extend_from_slice(&n.to_le_bytes());
        }
        file.extend_from_slice(&[0, 2, 2, 2, 0, 2]);
        file.resize(HEADER_LEN, 0);
        for piece in [&root, &metadata, &leaf, &data] {
            file.extend_from_slice(piece);
        }
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("real.pmtiles");
        std::fs::write(&path, file).expect("written");

        let archive = PmTiles::open(&path).expect("the archive opens");
        assert_eq!(archive.attribution.as_deref(), Some("Made in a test"));
        assert_eq!((archive.format, archive.max_zoom), ("png", 2));
        for (z, x, y) in tiles {
            let tile = archive.tile(z, x, y).expect("readable");
            assert_eq!(tile, Some(format!("{z}/{x}/{y}").into_bytes()));
        }
        assert_eq!(archive.tile(2, 0, 0).expect("readable"), None, "absent");
        assert_eq!(
            archive.tile(2, 9, 0).expect("readable"),
            None,
            "off the grid"
        );
    }

    #[test]
    fn damaged_directories_are_errors_not_panics() {
        for bytes in [
            &[][..],
            &[0xff; 12][..],
            &[200, 1][..],
            &[1, 5, 1, 10, 0][..],
            &[2, 1, 1, 1, 1, 3, 3, 1, 0][..],
        ] {
            let _ = parse_directory(bytes);
        }
        assert!(
            parse_directory(&[1, 5, 1, 10, 0]).is_err(),
            "offset 0 first"
        );
        assert_eq!(
            parse_directory(&[2, 1, 1, 1, 1, 3, 3, 1, 0]).ok(),
            Some(vec![
                Entry {
                    tile_id: 1,
                    offset: 0,
                    length: 3,
                    run: 1
                },
                Entry {
                    tile_id: 2,
                    offset: 3,
                    length: 3,
                    run: 1
                },
            ])
        );
    }
}
