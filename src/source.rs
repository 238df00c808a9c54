//! The `source` stage: turns paths (files, folders, `-` for stdin) into [`RawPage`]s.
//!
//! Input: what the user names on the command line. Output: a stream of pages, each with its
//! `origin` (the file's path, one spelling per file: relative to the working folder when the
//! file is under it, else absolute, with links and `.`/`..` resolved; for JSON lines the
//! record's `url`, else `id`, else `PATH:LINE`), its media type and its bytes, plus located
//! [`InputError`]s for records that cannot be read.
//!
//! The stage is a pull iterator ([`Source`]) rather than a function returning a `Vec`, so that
//! ingest can stream a folder of a million pages in bounded memory, and so that later sources
//! (WARC, feeds) can slot in beside files. Folders are walked in sorted order so that a run is
//! deterministic whatever the file system returns. Every read is capped: a page is cut at
//! [`Limits::max_page_bytes`] (the cut is recorded on the page), a gzip stream cannot inflate
//! past the same cap, and a JSON lines file is read line by line with a per-line cap. Nothing here
//! panics on input: a bad record becomes an [`InputError`] and the walk goes on.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde::{Deserialize, Serialize};

/// The files a folder walk reads, as messages name them.
pub const READS: &str = ".html, .htm, .txt and .jsonl files, and their .gz";

/// How much of any one page the source will read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes kept of one page (after decompression); the rest is cut and the cut is recorded.
    pub max_page_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_page_bytes: 8 * 1024 * 1024,
        }
    }
}

/// What kind of bytes a page holds, which decides how `extract` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Html,
    Text,
}

/// Metadata a record brought with it (JSON lines); `extract` prefers it over what it finds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenMeta {
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
}

/// One page as read, before any interpretation.
#[derive(Debug, Clone)]
pub struct RawPage {
    pub origin: String,
    pub media: MediaType,
    pub bytes: Vec<u8>,
    /// `Some(n)` when the page was longer than the cap and only its first `n` bytes were kept.
    pub cut_at: Option<usize>,
    pub given: GivenMeta,
    /// The file's absolute path with links resolved, for a page read from a file: its identity
    /// in the store whatever folder storyline runs from.
    pub file: Option<String>,
}

impl RawPage {
    /// What the store knows the page by, beside its bytes.
    pub fn key_name(&self) -> &str {
        self.file.as_deref().unwrap_or(&self.origin)
    }
}

/// A record that could not be read, with where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}{}: {}", crate::text::printable(origin), location(.line, .offset), crate::text::printable(message))]
pub struct InputError {
    pub origin: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    pub message: String,
}

fn location(line: &Option<u64>, offset: &Option<u64>) -> String {
    match (line, offset) {
        (Some(l), Some(o)) => format!(":{l} (byte {o})"),
        (Some(l), None) => format!(":{l}"),
        (None, Some(o)) => format!(" (byte {o})"),
        (None, None) => String::new(),
    }
}

impl InputError {
    pub fn new(origin: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            origin: origin.into(),
            line: None,
            offset: None,
            message: message.into(),
        }
    }
    fn at_line(mut self, line: u64, offset: u64) -> Self {
        self.line = Some(line);
        self.offset = Some(offset);
        self
    }
}

/// One item of the stream: a page, or a located error about a record that was skipped.
pub type SourceItem = Result<RawPage, InputError>;

/// What the source found at one path, before reading it.
enum Pending {
    File(FileName),
    Stdin,
    /// Bytes from elsewhere, read as the file `origin` would be.
    Reader(String, Box<dyn Read>),
}

/// Pull iterator over all pages under the given paths.
pub struct Source {
    limits: Limits,
    /// Files in walked folders that are not pages storyline reads, by origin.
    skipped: Vec<String>,
    pending: VecDeque<Pending>,
    ready: VecDeque<SourceItem>,
    jsonl: Option<JsonLines>,
}

impl Source {
    /// Prepares to read `paths`; folders are expanded now (sorted), files are read lazily.
    pub fn new<P: AsRef<str>>(paths: &[P], limits: Limits) -> Self {
        let mut pending = VecDeque::new();
        let mut ready = VecDeque::new();
        let mut skipped = Vec::new();
        for p in paths {
            let given = p.as_ref();
            if given == "-" {
                pending.push_back(Pending::Stdin);
                continue;
            }
            let path = Path::new(given);
            match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => expand_dir(path, &mut pending, &mut ready, &mut skipped),
                Ok(_) => pending.push_back(Pending::File(file_origin(path))),
                Err(e) => ready.push_back(Err(InputError::new(given, format!("cannot open: {e}")))),
            }
        }
        Source {
            limits,
            skipped,
            pending,
            ready,
            jsonl: None,
        }
    }

    /// Reads `reader` as the file named `origin` would be read: its kind from the name (a
    /// `.jsonl`, a `.gz`, `-` for bytes that must be sniffed), the same caps and errors. For
    /// callers whose pages do not come from files (the fuzz targets, a service).
    pub fn from_reader(origin: &str, reader: Box<dyn Read>, limits: Limits) -> Self {
        Source {
            limits,
            skipped: Vec::new(),
            pending: VecDeque::from([Pending::Reader(origin.to_string(), reader)]),
            ready: VecDeque::new(),
            jsonl: None,
        }
    }

    /// Files the folder walks passed over: their names say they are not pages (`README.md`,
    /// `labels.json`, a feed). Named on the command line, such a file is an error instead.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    fn open_next(&mut self) -> bool {
        let Some(next) = self.pending.pop_front() else {
            return false;
        };
        let mut file = None;
        let (origin, reader): (String, io::Result<Box<dyn Read>>) = match next {
            Pending::Stdin => ("-".to_string(), Ok(Box::new(io::stdin()))),
            Pending::Reader(origin, reader) => (origin, Ok(reader)),
            Pending::File(name) => {
                let r = File::open(&name.path).map(|f| Box::new(f) as Box<dyn Read>);
                file = name.absolute;
                (name.origin, r)
            }
        };
        let reader = match reader {
            Ok(r) => r,
            Err(e) => {
                self.ready
                    .push_back(Err(InputError::new(&origin, format!("cannot open: {e}"))));
                return true;
            }
        };
        let mut kind = FileKind::of(&origin);
        if let Some(what) = kind.not_a_page {
            self.ready.push_back(Err(InputError::new(
                &origin,
                format!("{what} by its name, not a page: skipped (storyline reads {READS})"),
            )));
            return true;
        }
        // Compressed bytes without a .gz name (standard input, a saved response) are
        // recognised by their magic number.
        let mut peek = BufReader::new(reader);
        let magic = peek
            .fill_buf()
            .map(|b| b.starts_with(&[0x1f, 0x8b]))
            .unwrap_or(false);
        kind.gzip |= magic;
        let mut reader: Box<dyn Read> = if kind.gzip {
            Box::new(MultiGzDecoder::new(peek))
        } else {
            Box::new(peek)
        };
        if origin == "-" {
            // Standard input (or bytes given as it) has no name to go by: JSON lines start with an object.
            let mut buffered = BufReader::new(reader);
            let starts_with_object = buffered
                .fill_buf()
                .map(|b| b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{'))
                .unwrap_or(false);
            kind.jsonl = starts_with_object;
            reader = Box::new(buffered);
        }
        if kind.jsonl {
            self.jsonl = Some(JsonLines::new(origin, file, reader, self.limits));
        } else {
            self.ready
                .push_back(read_page(&origin, file, reader, kind, self.limits));
        }
        true
    }
}

impl Iterator for Source {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if let Some(lines) = &mut self.jsonl {
                match lines.next() {
                    Some(item) => return Some(item),
                    None => self.jsonl = None,
                }
                continue;
            }
            if !self.open_next() {
                return None;
            }
        }
    }
}

/// One name per file, however its path was spelled (`dir/a.html`, `./dir/a.html`, an absolute
/// path, a link): a page's key in the store is made from its origin, so a second spelling would
/// store the page again. Relative to the working folder where it can be, as reports read better
/// with short paths; absolute otherwise.
/// Also gives the absolute path, which names the file to the store from any working folder.
fn file_origin(path: &Path) -> FileName {
    static CWD: std::sync::LazyLock<Option<PathBuf>> =
        std::sync::LazyLock::new(|| std::env::current_dir().and_then(|d| d.canonicalize()).ok());
    let Ok(full) = path.canonicalize() else {
        let given = path.to_string_lossy().into_owned();
        return FileName {
            path: path.to_path_buf(),
            origin: given,
            absolute: None,
        };
    };
    let absolute = full.to_string_lossy().into_owned();
    let origin = match CWD.as_deref().and_then(|cwd| full.strip_prefix(cwd).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => absolute.clone(),
    };
    FileName {
        path: path.to_path_buf(),
        origin,
        absolute: Some(absolute),
    }
}

/// A file to read: where it is, what reports call it, and what the store knows it by.
struct FileName {
    path: PathBuf,
    origin: String,
    absolute: Option<String>,
}

fn expand_dir(
    dir: &Path,
    pending: &mut VecDeque<Pending>,
    ready: &mut VecDeque<SourceItem>,
    skipped: &mut Vec<String>,
) {
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.path();
                if FileKind::of(&path.to_string_lossy()).known {
                    pending.push_back(Pending::File(file_origin(path)));
                } else if !e.file_name().to_string_lossy().starts_with('.') {
                    // Hidden files (.DS_Store, .gitkeep) are passed over without a word.
                    skipped.push(file_origin(path).origin);
                }
            }
            Ok(_) => {}
            Err(e) => {
                let origin = e.path().map(|p| p.display().to_string());
                let origin = origin.unwrap_or_else(|| dir.display().to_string());
                ready.push_back(Err(InputError::new(
                    origin,
                    format!("cannot read folder: {e}"),
                )));
            }
        }
    }
}

/// What a file name says about its content.
#[derive(Debug, Clone, Copy)]
struct FileKind {
    gzip: bool,
    jsonl: bool,
    media: MediaType,
    /// Whether a folder walk should pick this file up.
    known: bool,
    /// What the file is when its name says it is no page (a feed, data, an image...).
    not_a_page: Option<&'static str>,
}

impl FileKind {
    fn of(name: &str) -> FileKind {
        let lower = name.to_ascii_lowercase();
        let (gzip, stem) = match lower.strip_suffix(".gz") {
            Some(s) => (true, s.to_string()),
            None => (false, lower.clone()),
        };
        let ext = Path::new(&stem)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        let (jsonl, media, known) = match ext {
            "html" | "htm" | "xhtml" | "shtml" => (false, MediaType::Html, true),
            "txt" | "text" => (false, MediaType::Text, true),
            "jsonl" | "ndjson" => (true, MediaType::Text, true),
            // A file named explicitly with another extension is sniffed for markup.
            _ => (false, MediaType::Text, false),
        };
        let not_a_page = match ext {
            "xml" | "rss" | "atom" => Some("a feed or XML data"),
            "json" | "csv" | "tsv" | "yaml" | "yml" | "toml" | "sql" | "db" | "sqlite" => {
                Some("data")
            }
            "md" | "markdown" | "rst" => Some("a document in markup"),
            "pdf" | "doc" | "docx" | "odt" | "epub" => Some("a document format"),
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "ico" | "mp3" | "mp4" | "webm" => {
                Some("media")
            }
            "zip" | "tar" | "tgz" | "bz2" | "xz" | "zst" | "7z" | "warc" => Some("an archive"),
            "js" | "css" | "py" | "rs" | "sh" => Some("code"),
            _ => None,
        };
        FileKind {
            gzip,
            jsonl,
            media,
            known,
            not_a_page,
        }
    }
}

/// Reads up to `limit` bytes; says whether there was more.
fn read_capped(reader: &mut dyn Read, limit: usize) -> io::Result<(Vec<u8>, bool)> {
    let mut buf = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut buf)?;
    let cut = buf.len() > limit;
    buf.truncate(limit);
    Ok((buf, cut))
}

fn read_page(
    origin: &str,
    file: Option<String>,
    mut reader: Box<dyn Read>,
    kind: FileKind,
    limits: Limits,
) -> SourceItem {
    let (bytes, cut) = read_capped(&mut reader, limits.max_page_bytes).map_err(|e| {
        let what = if kind.gzip {
            "cannot decompress (truncated or corrupt gzip?)"
        } else {
            "cannot read"
        };
        InputError::new(origin, format!("{what}: {e}"))
    })?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::new(origin, "empty page: nothing to read"));
    }
    if looks_binary(&bytes) {
        return Err(InputError::new(
            origin,
            "binary content (NUL or control bytes), not a web page or text: skipped",
        ));
    }
    let media = if kind.known {
        kind.media
    } else {
        sniff(&bytes)
    };
    Ok(RawPage {
        origin: origin.to_string(),
        media,
        bytes,
        cut_at: cut.then_some(limits.max_page_bytes),
        given: GivenMeta::default(),
        file,
    })
}

/// True for bytes that no text encoding we read would produce: NULs (outside UTF-16, which
/// starts with a BOM) or many C0 control bytes.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)))
        .count();
    head.contains(&0) || controls * 100 > head.len().max(1) * 2
}

fn sniff(bytes: &[u8]) -> MediaType {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    if head.contains("<html") || head.contains("<!doctype html") || head.contains("<body") {
        MediaType::Html
    } else {
        MediaType::Text
    }
}

/// One JSON lines record in storyline's input shape; unknown fields are ignored.
#[derive(Debug, Deserialize)]
struct JsonRecord {
    #[serde(default, deserialize_with = "loose_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    url: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    text: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    html: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    published: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    outlet: Option<String>,
    #[serde(default)]
    authors: Option<serde_json::Value>,
}

/// The fields of a record that name it.
#[derive(Deserialize)]
struct RecordName {
    #[serde(default, deserialize_with = "loose_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    url: Option<String>,
}

/// The origin of a record: its `url`, else its `id`, else where it stands (`PATH:LINE`).
fn record_origin(url: Option<String>, id: Option<String>, path: &str, line: u64) -> String {
    url.or(id).unwrap_or_else(|| format!("{path}:{line}"))
}

/// The origin the source gives the JSON lines record `record`, line `line` of `path`: for
/// callers that hand records to [`Source::from_reader`] and look them up afterwards.
pub fn json_record_origin(record: &serde_json::Value, path: &str, line: u64) -> String {
    let name = RecordName::deserialize(record).unwrap_or(RecordName {
        id: None,
        url: None,
    });
    record_origin(name.url, name.id, path, line)
}

/// Accepts a string or a number (ids are often numeric); anything else is treated as absent.
fn loose_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

fn authors_of(v: Option<serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::String(s)) => vec![s],
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|i| match i {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Object(o) => {
                    o.get("name").and_then(|n| n.as_str()).map(str::to_string)
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Streams a JSON lines file record by record, each line capped.
struct JsonLines {
    path: String,
    /// The file's absolute path, which names a record without `url` or `id` to the store.
    absolute: Option<String>,
    reader: BufReader<Box<dyn Read>>,
    limits: Limits,
    line: u64,
    offset: u64,
    done: bool,
}

impl JsonLines {
    fn new(path: String, absolute: Option<String>, reader: Box<dyn Read>, limits: Limits) -> Self {
        JsonLines {
            path,
            absolute,
            reader: BufReader::new(reader),
            limits,
            line: 0,
            offset: 0,
            done: false,
        }
    }

    /// Reads one line of at most the cap; a longer line is drained and reported.
    fn read_line(&mut self) -> io::Result<Option<(Vec<u8>, bool)>> {
        let mut buf = Vec::new();
        let mut too_long = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(if buf.is_empty() && !too_long {
                    None
                } else {
                    Some((buf, too_long))
                });
            }
            let (chunk, found) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            let n = chunk.len();
            if !too_long {
                if buf.len() + n > self.limits.max_page_bytes + 1 {
                    too_long = true;
                    buf.clear();
                } else {
                    buf.extend_from_slice(chunk);
                }
            }
            self.reader.consume(n);
            self.offset += n as u64;
            if found {
                return Ok(Some((buf, too_long)));
            }
        }
    }
}

impl Iterator for JsonLines {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        while !self.done {
            let start = self.offset;
            let (bytes, too_long) = match self.read_line() {
                Ok(Some(x)) => x,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    let msg = format!("cannot read further (truncated or corrupt file?): {e}");
                    let err = InputError::new(&self.path, msg).at_line(self.line + 1, start);
                    return Some(Err(err));
                }
            };
            self.line += 1;
            let err =
                |m: String| Some(Err(InputError::new(&self.path, m).at_line(self.line, start)));
            if too_long {
                let cap = self.limits.max_page_bytes;
                return err(format!("line longer than the {cap}-byte cap: skipped"));
            }
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            if looks_binary(&bytes) {
                // One error for the file, not one per line of noise.
                self.done = true;
                return err(
                    "binary content (NUL or control bytes), not JSON lines: the rest of the file is skipped"
                        .into(),
                );
            }
            let record: JsonRecord = match serde_json::from_slice(&bytes) {
                Ok(r) => r,
                Err(e) => return err(format!("not a JSON object: {e}")),
            };
            return Some(self.page_of(record).ok_or_else(|| {
                InputError::new(&self.path, "record has neither `text` nor `html`: skipped")
                    .at_line(self.line, start)
            }));
        }
        None
    }
}

impl JsonLines {
    fn page_of(&self, r: JsonRecord) -> Option<RawPage> {
        let (media, body) = match (r.html, r.text) {
            (Some(h), _) => (MediaType::Html, h),
            (None, Some(t)) => (MediaType::Text, t),
            (None, None) => return None,
        };
        let file = match (&r.url, &r.id, &self.absolute) {
            (None, None, Some(abs)) => Some(format!("{abs}:{}", self.line)),
            _ => None,
        };
        let origin = record_origin(r.url.clone(), r.id.clone(), &self.path, self.line);
        Some(RawPage {
            file,
            origin,
            media,
            bytes: body.into_bytes(),
            cut_at: None,
            given: GivenMeta {
                id: r.id,
                url: r.url,
                title: r.title,
                published: r.published,
                outlet: r.outlet,
                authors: authors_of(r.authors),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }

    #[test]
    fn folders_are_walked_in_sorted_order_and_unknown_files_skipped() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b/2.txt", b"second page");
        write(
            dir.path(),
            "a.html",
            b"<html><body><p>first</p></body></html>",
        );
        write(dir.path(), "b/1.txt", b"first text");
        write(dir.path(), "notes.md", b"ignored");
        let root = dir.path().to_string_lossy().into_owned();
        let origins: Vec<String> = Source::new(std::slice::from_ref(&root), Limits::default())
            .map(|p| p.unwrap().origin)
            .collect();
        assert_eq!(
            origins,
            vec![
                format!("{root}/a.html"),
                format!("{root}/b/1.txt"),
                format!("{root}/b/2.txt")
            ]
        );
    }

    #[test]
    fn jsonl_records_take_url_then_id_then_path_line_as_origin() {
        let dir = tempfile::tempdir().unwrap();
        let body = concat!(
            "{\"id\": \"a1\", \"url\": \"https://x.test/1\", \"text\": \"one\"}\n",
            "{\"id\": 7, \"text\": \"two\", \"authors\": [\"Ana Ruiz\", {\"name\": \"Bo Li\"}]}\n",
            "\n",
            "{\"text\": \"three\", \"extra\": [1,2]}\n",
            "{not json}\n",
            "{\"title\": \"no body\"}\n",
        );
        let path = write(dir.path(), "in.jsonl", body.as_bytes());
        let items: Vec<SourceItem> =
            Source::new(std::slice::from_ref(&path), Limits::default()).collect();
        assert_eq!(items.len(), 5);
        assert_eq!(items[0].as_ref().unwrap().origin, "https://x.test/1");
        assert_eq!(items[1].as_ref().unwrap().origin, "7");
        assert_eq!(
            items[1].as_ref().unwrap().given.authors,
            vec!["Ana Ruiz", "Bo Li"]
        );
        assert_eq!(items[2].as_ref().unwrap().origin, format!("{path}:4"));
        let bad = items[3].as_ref().unwrap_err();
        assert_eq!(
            (bad.line, bad.offset),
            (Some(5), Some(body.find("{not").unwrap() as u64))
        );
        assert!(items[4].as_ref().unwrap_err().message.contains("neither"));
    }

    #[test]
    fn pages_over_the_cap_are_cut_and_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "big.txt", &vec![b'a'; 5000]);
        let page = Source::new(
            &[path],
            Limits {
                max_page_bytes: 1000,
            },
        )
        .next()
        .unwrap()
        .unwrap();
        assert_eq!(page.bytes.len(), 1000);
        assert_eq!(page.cut_at, Some(1000));
    }

    #[test]
    fn bad_files_are_located_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let empty = write(dir.path(), "empty.txt", b"  \n");
        let binary = write(
            dir.path(),
            "bin.html",
            &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2],
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&b"<html><body>".repeat(500)).unwrap();
        let mut gz = gz.finish().unwrap();
        gz.truncate(gz.len() / 2);
        let truncated = write(dir.path(), "cut.html.gz", &gz);
        let missing = dir
            .path()
            .join("missing.txt")
            .to_string_lossy()
            .into_owned();
        for path in [empty, binary, truncated, missing] {
            let items: Vec<SourceItem> =
                Source::new(std::slice::from_ref(&path), Limits::default()).collect();
            assert_eq!(items.len(), 1, "{path}");
            let err = items[0].as_ref().unwrap_err();
            assert_eq!(err.origin, path);
        }
    }

    #[test]
    fn over_long_jsonl_lines_are_skipped_and_the_next_line_read() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!(
            "{{\"text\": \"{}\"}}\n{{\"text\": \"ok\"}}\n",
            "x".repeat(3000)
        );
        let path = write(dir.path(), "l.jsonl", long.as_bytes());
        let items: Vec<SourceItem> = Source::new(
            &[path],
            Limits {
                max_page_bytes: 1000,
            },
        )
        .collect();
        assert!(items[0].as_ref().unwrap_err().message.contains("cap"));
        assert_eq!(items[1].as_ref().unwrap().bytes, b"ok");
    }
}
