//! Reads article files (.txt, .md, .html, .jsonl) and folders of them into `Article`s:
//! detects encodings, normalises line endings, and turns every bad input into a one-line error
//! naming the file, while the rest of the batch still loads.

use crate::engine::model::Article;
use crate::io::html;
use encoding_rs::{Encoding, UTF_8};
use serde::Deserialize;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Largest single article file read (.txt, .md, .html); bigger ones are refused, not truncated.
pub const MAX_ARTICLE_BYTES: u64 = 16 * 1024 * 1024;
/// Largest line of a .jsonl batch.
pub const MAX_JSONL_LINE_BYTES: usize = 16 * 1024 * 1024;

/// One input that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    pub path: PathBuf,
    /// 1-based line, for errors inside a .jsonl batch.
    pub line: Option<usize>,
    pub reason: String,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.reason),
            None => write!(f, "{}: {}", self.path.display(), self.reason),
        }
    }
}

/// What a batch of inputs gave: the articles read, and one error per input that failed.
#[derive(Debug, Default)]
pub struct Batch {
    pub articles: Vec<Article>,
    pub errors: Vec<IngestError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Html,
    Jsonl,
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "md" | "markdown" | "text" => Some(Format::Text),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        _ => None,
    }
}

/// Reads files and folders (recursively). Files named directly are read whatever their
/// extension (as text unless it says HTML or JSONL); inside folders, only article formats are.
pub fn read_inputs(inputs: &[PathBuf]) -> Batch {
    let mut batch = Batch::default();
    for input in inputs {
        if input.is_dir() {
            let mut files: Vec<PathBuf> = Vec::new();
            for entry in walkdir::WalkDir::new(input).follow_links(true) {
                match entry {
                    Ok(e) if e.file_type().is_file() && format_of(e.path()).is_some() => {
                        files.push(e.into_path())
                    }
                    Ok(_) => {}
                    Err(e) => batch.errors.push(IngestError {
                        path: e.path().unwrap_or(input).to_path_buf(),
                        line: None,
                        reason: if e.loop_ancestor().is_some() {
                            "symbolic link loop; not followed".into()
                        } else {
                            e.io_error()
                                .map_or_else(|| e.to_string(), |io| io.to_string())
                        },
                    }),
                }
            }
            files.sort();
            for file in files {
                read_file_into(&file, &mut batch);
            }
        } else {
            read_file_into(input, &mut batch);
        }
    }
    batch
}

fn read_file_into(path: &Path, batch: &mut Batch) {
    let error = |reason: String| IngestError {
        path: path.to_path_buf(),
        line: None,
        reason,
    };
    match format_of(path).unwrap_or(Format::Text) {
        Format::Jsonl => match File::open(path) {
            Ok(file) => read_jsonl(path, BufReader::new(file), batch),
            Err(e) => batch.errors.push(error(open_error(&e))),
        },
        format => match read_article(path, format) {
            Ok(article) => batch.articles.push(article),
            Err(reason) => batch.errors.push(error(reason)),
        },
    }
}

/// Reads a file's content that arrived without a readable path (a file dropped on the app
/// from a browser or sandbox): `name` stands in for the path in the article and in errors.
pub fn read_bytes(name: &Path, bytes: &[u8]) -> Batch {
    let mut batch = Batch::default();
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        batch.errors.push(IngestError {
            path: name.to_path_buf(),
            line: None,
            reason: format!(
                "file is {:.1} MB; single articles over {} MB are refused",
                bytes.len() as f64 / 1e6,
                MAX_ARTICLE_BYTES / (1024 * 1024)
            ),
        });
        return batch;
    }
    match format_of(name).unwrap_or(Format::Text) {
        Format::Jsonl => read_jsonl(name, BufReader::new(bytes), &mut batch),
        format => match article_from_bytes(name, bytes, format) {
            Ok(article) => batch.articles.push(article),
            Err(reason) => batch.errors.push(IngestError {
                path: name.to_path_buf(),
                line: None,
                reason,
            }),
        },
    }
    batch
}

fn read_article(path: &Path, format: Format) -> Result<Article, String> {
    let bytes = read_bounded(path)?;
    article_from_bytes(path, &bytes, format)
}

fn article_from_bytes(path: &Path, bytes: &[u8], format: Format) -> Result<Article, String> {
    let text = decode(bytes)?;
    let source = display_name(path);
    let (text, title, published) = match format {
        Format::Html => {
            let page = html::visible_text(&text);
            (
                page.text,
                page.title,
                page.published.and_then(|d| iso_date_in(&d)),
            )
        }
        _ => (text, None, None),
    };
    if text.trim().is_empty() {
        return Err(if format == Format::Html {
            "HTML page has no visible text".into()
        } else {
            "empty file".into()
        });
    }
    Ok(Article {
        id: source.clone(),
        published: published.or_else(|| iso_date_in(&source)),
        source,
        title,
        text,
    })
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| open_error(&e))?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    if size > MAX_ARTICLE_BYTES {
        return Err(format!(
            "file is {:.1} MB; single articles over {} MB are refused (split it, or use a .jsonl batch)",
            size as f64 / 1e6,
            MAX_ARTICLE_BYTES / (1024 * 1024)
        ));
    }
    read_whole(file, size)
}

/// What is said of a file named (dropped, listed in a folder) that is gone when it is read.
pub const NOT_FOUND: &str = "file not found (moved or deleted before it was read)";

/// Why a file listed a moment ago (in a dropped folder, say) could not be opened.
fn open_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => NOT_FOUND.into(),
        _ => e.to_string(),
    }
}

/// Reads a whole file of `size` bytes (as its metadata said). A read that fails part way (the
/// file was removed from a network share, the disk went away) is an error, never the part
/// read so far taken for the article.
fn read_whole(file: impl Read, size: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(size.min(MAX_ARTICLE_BYTES) as usize);
    // The file may grow while read: take at most the limit, then refuse.
    file.take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("read failed after {} of {size} bytes: {e}", bytes.len()))?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err("file grew past the size limit while being read".into());
    }
    Ok(bytes)
}

/// Decodes article bytes: a BOM decides (UTF-8, UTF-16LE/BE); else valid UTF-8 is UTF-8;
/// else chardetng guesses (Windows-1252 and Latin-1 in practice). Binary data is refused.
/// Line endings come out as `\n`.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let (encoding, bom_len) = Encoding::for_bom(bytes)
        .or_else(|| utf16_without_bom(bytes).map(|e| (e, 0)))
        .unwrap_or((UTF_8, 0));
    let body = &bytes[bom_len..];
    let text = if bom_len > 0 || encoding != UTF_8 {
        encoding.decode_without_bom_handling(body).0.into_owned()
    } else if let Ok(text) = std::str::from_utf8(body) {
        text.to_string()
    } else if let Some(text) = mixed_utf8(body) {
        text
    } else {
        looks_like_text(body)?;
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(body, true);
        detector
            .guess(None, chardetng::Utf8Detection::Deny)
            .decode_without_bom_handling(body)
            .0
            .into_owned()
    };
    looks_like_text(text.as_bytes())?;
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// UTF-16 without a byte-order mark, told by its zero bytes: text in Latin script puts a NUL
/// in every other byte (the high one), on the odd positions (LE) or the even ones (BE).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    // Most high bytes zero, (almost) no low byte zero.
    match (even * 10 >= pairs * 7, odd * 10 >= pairs * 7) {
        (false, true) if even * 20 < pairs => Some(encoding_rs::UTF_16LE),
        (true, false) if odd * 20 < pairs => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// Text that is UTF-8 with some bytes of a legacy encoding pasted in (a common result of
/// copying between tools): the valid UTF-8 kept, each stray byte read as Windows-1252. None
/// when no multi-byte UTF-8 occurs, i.e. the whole file is in a legacy encoding.
fn mixed_utf8(mut body: &[u8]) -> Option<String> {
    let mut text = String::with_capacity(body.len() + 16);
    let mut utf8_chars = 0;
    loop {
        match std::str::from_utf8(body) {
            Ok(rest) => {
                utf8_chars += rest.chars().filter(|c| !c.is_ascii()).count();
                text.push_str(rest);
                break;
            }
            Err(e) => {
                let (valid, rest) = body.split_at(e.valid_up_to());
                let valid = std::str::from_utf8(valid).unwrap_or_default();
                utf8_chars += valid.chars().filter(|c| !c.is_ascii()).count();
                text.push_str(valid);
                let bad = e.error_len().unwrap_or(rest.len()).min(rest.len());
                let (stray, after) = rest.split_at(bad);
                text.push_str(
                    &encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(stray)
                        .0,
                );
                body = after;
            }
        }
    }
    (utf8_chars > 0).then_some(text)
}

/// Refuses data with NUL bytes or many control characters: a binary file, not an article.
fn looks_like_text(bytes: &[u8]) -> Result<(), String> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
        .count();
    if sample.contains(&0) || controls * 100 > sample.len().max(1) {
        return Err("binary file, not text".into());
    }
    Ok(())
}

#[derive(Deserialize)]
struct JsonlArticle {
    id: serde_json::Value,
    text: String,
    title: Option<String>,
    date: Option<String>,
}

fn read_jsonl(path: &Path, mut reader: impl BufRead, batch: &mut Batch) {
    let source = display_name(path);
    let error = |line: Option<usize>, reason: String| IngestError {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut buf = Vec::new();
    let mut line_no = 0;
    let mut read_any = false;
    loop {
        buf.clear();
        line_no += 1;
        let mut limited = (&mut reader).take(MAX_JSONL_LINE_BYTES as u64 + 1);
        match limited.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                // The lines before stay read; the rest of the file is lost, and said so.
                batch.errors.push(error(
                    Some(line_no),
                    format!("read failed: {e}; the rest of the file was not read"),
                ));
                break;
            }
        }
        if buf.len() > MAX_JSONL_LINE_BYTES {
            batch.errors.push(error(
                Some(line_no),
                "line longer than 16 MB; rest of file skipped".into(),
            ));
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        read_any = true;
        match serde_json::from_str::<JsonlArticle>(line) {
            Ok(a) if a.text.trim().is_empty() => {
                batch.errors.push(error(Some(line_no), "empty text".into()))
            }
            Ok(a) => {
                let id = match a.id {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                batch.articles.push(Article {
                    id: format!("{source}#{id}"),
                    source: source.clone(),
                    title: a.title,
                    text: a.text.replace("\r\n", "\n").replace('\r', "\n"),
                    published: a.date.as_deref().and_then(iso_date_in),
                });
            }
            Err(e) => batch
                .errors
                .push(error(Some(line_no), format!("invalid JSON line: {e}"))),
        }
    }
    if !read_any && !batch.errors.iter().any(|e| e.path == path) {
        batch.errors.push(error(None, "empty file".into()));
    }
}

/// The first `YYYY-MM-DD` in a string (file name, metadata), if it is a plausible date.
pub fn iso_date_in(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        let shape = digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10);
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        // Only an all-ASCII window is sliced: anything else may cut through a character.
        if !(shape && before_ok && after_ok) {
            return None;
        }
        let number = |r: std::ops::Range<usize>| {
            w[r].iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
        };
        let (month, day) = (number(5..7), number(8..10));
        ((1..=12).contains(&month) && (1..=31).contains(&day))
            .then(|| String::from_utf8_lossy(w).into_owned())
    })
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_utf16_latin1_and_line_endings() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFS\xC3\xA9gou\r\nGao").as_deref(),
            Ok("Ségou\nGao")
        );
        assert_eq!(
            decode(b"\xFF\xFES\x00\xE9\x00g\x00o\x00u\x00").as_deref(),
            Ok("Ségou")
        );
        assert_eq!(decode(b"\xFE\xFF\x00S\x00\xE9").as_deref(), Ok("Sé"));
        let latin1 = b"L'arm\xE9e malienne a repouss\xE9 une attaque pr\xE8s de S\xE9gou.\rFin";
        assert_eq!(
            decode(latin1).as_deref(),
            Ok("L'armée malienne a repoussé une attaque près de Ségou.\nFin")
        );
        assert!(decode(b"").is_err());
        // UTF-16 without a BOM, either byte order.
        let text = "Le 7 juin 2025, des jihadistes ont attaqué Tessit.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le).as_deref(), Ok(text));
        assert_eq!(decode(&be).as_deref(), Ok(text));
        // UTF-8 with Latin-1 bytes pasted in: both halves readable.
        let mixed =
            b"L'arm\xC3\xA9e a frapp\xC3\xA9 M\xC3\xA9naka. L'arm\xE9e a repouss\xE9 une attaque.";
        assert_eq!(
            decode(mixed).as_deref(),
            Ok("L'armée a frappé Ménaka. L'armée a repoussé une attaque.")
        );
        // A file of NULs stays binary.
        assert_eq!(decode(&[0u8; 4096]).unwrap_err(), "binary file, not text");
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00binary").unwrap_err(),
            "binary file, not text"
        );
    }

    /// Gives `good` bytes, then fails as a file removed mid-read does on a network share.
    struct Vanishing<'a> {
        good: &'a [u8],
    }

    impl Read for Vanishing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.good.is_empty() {
                return Err(std::io::Error::other("stale file handle"));
            }
            let n = self.good.len().min(buf.len()).min(7);
            buf[..n].copy_from_slice(&self.good[..n]);
            self.good = &self.good[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_file_that_vanishes_mid_read_is_an_error_not_a_shorter_article() {
        let error = read_whole(
            Vanishing {
                good: b"Le 7 juin, ",
            },
            90,
        )
        .unwrap_err();
        assert!(
            error.starts_with("read failed after 11 of 90 bytes: stale file handle"),
            "{error}"
        );

        let lines =
            b"{\"id\": 1, \"text\": \"Une attaque a vis\xC3\xA9 Tessit.\"}\n{\"id\": 2, \"te";
        let mut batch = Batch::default();
        let reader = BufReader::new(Vanishing { good: lines });
        read_jsonl(Path::new("batch.jsonl"), reader, &mut batch);
        assert_eq!(batch.articles.len(), 1, "the line read before stays");
        assert_eq!(batch.errors.len(), 1);
        assert_eq!(batch.errors[0].line, Some(2));
        assert!(
            batch.errors[0]
                .reason
                .ends_with("the rest of the file was not read"),
            "{:?}",
            batch.errors[0]
        );
    }

    #[test]
    fn finds_iso_dates_in_names() {
        assert_eq!(
            iso_date_in("2025-06-08_boulkessi.txt").as_deref(),
            Some("2025-06-08")
        );
        assert_eq!(
            iso_date_in("2025-06-08T10:00:00Z").as_deref(),
            Some("2025-06-08")
        );
        assert_eq!(iso_date_in("x2025-13-08.txt"), None);
        assert_eq!(iso_date_in("é"), None);
    }
}
