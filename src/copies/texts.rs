//! Where an article's text is kept while copy detection may still compare with it: in memory
//! ([`MemTexts`], a batch run) or in a scratch file ([`FileTexts`], a stream too large for
//! memory), with a founder's tokens kept beside it so that verification does not split its
//! text again.

use super::*;

/// Where an article's texts are kept while copy detection may still compare with it.
pub trait TextSource {
    fn push(&mut self, text: &str) -> u32;
    fn get(&self, slot: u32) -> Cow<'_, str>;
    /// Keeps the tokens of the text in `slot` ([`Doc::form`]) beside it. A source that does
    /// not keep them has verification split the text again.
    fn keep_form(&mut self, _slot: u32, _doc: &Doc) {}
    /// The tokens kept for `slot`, if any.
    fn form(&self, _slot: u32) -> Option<Vec<u8>> {
        None
    }
}

/// Texts in memory: what `analyze` uses.
#[derive(Debug, Default)]
pub struct MemTexts(Vec<String>);

impl TextSource for MemTexts {
    fn push(&mut self, text: &str) -> u32 {
        self.0.push(text.to_string());
        (self.0.len() - 1) as u32
    }
    fn get(&self, slot: u32) -> Cow<'_, str> {
        Cow::Borrowed(self.0.get(slot as usize).map_or("", String::as_str))
    }
}

/// Texts in an append-only file, each followed by its tokens ([`Doc::form`]), with only their
/// offsets in memory (16 bytes an article): for streams too large to hold, as the scaling
/// bench runs. Reading one back costs a positioned read; the operating system's page cache
/// keeps recent ones at hand.
#[derive(Debug)]
pub struct FileTexts {
    pub(super) file: std::cell::RefCell<std::io::BufWriter<std::fs::File>>,
    /// Per slot: where its text starts, the text's length, and the length of the form after it.
    pub(super) spans: Vec<(u64, u32, u32)>,
    pub(super) end: u64,
    /// The first write or read that failed: texts after it read back empty.
    pub(super) failed: std::cell::RefCell<Option<std::io::Error>>,
    /// Scratch space for a doc's form.
    pub(super) form_buf: Vec<u8>,
}

impl TextSource for FileTexts {
    fn push(&mut self, text: &str) -> u32 {
        let len = text.len().min(u32::MAX as usize);
        let at = self.end;
        let ok = self.write(&text.as_bytes()[..len]);
        self.spans.push((at, if ok { len as u32 } else { 0 }, 0));
        (self.spans.len() - 1) as u32
    }
    fn get(&self, slot: u32) -> Cow<'_, str> {
        let Some(&(at, len, _)) = self.spans.get(slot as usize) else {
            return Cow::Borrowed("");
        };
        match self.read(at, len as usize) {
            Ok(t) => Cow::Owned(String::from_utf8(t).unwrap_or_default()),
            Err(e) => {
                self.failed.borrow_mut().get_or_insert(e);
                Cow::Borrowed("")
            }
        }
    }
    fn keep_form(&mut self, slot: u32, doc: &Doc) {
        let mut form = std::mem::take(&mut self.form_buf);
        doc.form(&mut form);
        self.keep_bytes(slot, &form);
        self.form_buf = form;
    }
    fn form(&self, slot: u32) -> Option<Vec<u8>> {
        let &(at, len, form) = self.spans.get(slot as usize)?;
        if form == 0 {
            return None;
        }
        match self.read(at + len as u64, form as usize) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.failed.borrow_mut().get_or_insert(e);
                None
            }
        }
    }
}

/// Reads `buf.len()` bytes at `at` without moving the file's position (appends go on at the
/// end).
#[cfg(unix)]
pub(super) fn read_at(
    f: &mut std::fs::File,
    buf: &mut [u8],
    at: u64,
    _end: u64,
) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.read_exact_at(buf, at)
}

#[cfg(not(unix))]
pub(super) fn read_at(
    f: &mut std::fs::File,
    buf: &mut [u8],
    at: u64,
    end: u64,
) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    f.seek(SeekFrom::Start(at))?;
    f.read_exact(buf)?;
    f.seek(SeekFrom::Start(end))?;
    Ok(())
}

impl FileTexts {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &std::path::Path) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(path)?;
        Ok(FileTexts {
            file: std::cell::RefCell::new(std::io::BufWriter::with_capacity(1 << 20, file)),
            spans: Vec::new(),
            end: 0,
            failed: std::cell::RefCell::new(None),
            form_buf: Vec::new(),
        })
    }

    /// The first input/output error, if any: a caller checks it before trusting the results.
    pub fn error(&self) -> Option<String> {
        self.failed.borrow().as_ref().map(|e| e.to_string())
    }

    pub(super) fn read(&self, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
        use std::io::Write;
        let mut w = self.file.borrow_mut();
        // Flushed only when the bytes wanted may still sit in the write buffer.
        let buffered = w.buffer().len() as u64;
        if buffered > 0 && at + len as u64 > self.end - buffered {
            w.flush()?;
        }
        let mut buf = vec![0u8; len];
        read_at(w.get_mut(), &mut buf, at, self.end)?;
        Ok(buf)
    }

    /// Keeps `form` as the tokens of `slot`, only right after the slot's text, so that a form
    /// always sits where its span says.
    pub(super) fn keep_bytes(&mut self, slot: u32, form: &[u8]) {
        let Some(&(at, len, 0)) = self.spans.get(slot as usize) else {
            return;
        };
        if at + len as u64 != self.end || form.len() > u32::MAX as usize {
            return;
        }
        if self.write(form) {
            self.spans[slot as usize].2 = form.len() as u32;
        }
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> bool {
        use std::io::Write;
        if let Err(e) = self.file.get_mut().write_all(bytes) {
            self.failed.get_mut().get_or_insert(e);
            return false;
        }
        self.end += bytes.len() as u64;
        true
    }
}
