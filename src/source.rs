//! Stage 1 of the pipeline: **source**. Reads a file (or stdin) as bytes, recognises what it
//! is before any parsing, and hands the parser valid UTF-8 text.
//!
//! Things that are not FortiOS CLI text are refused here with a named, located reason:
//! encrypted backups (readable header, binary body), YAML backups, binary files, NUL bytes,
//! invalid UTF-8, empty files, files too large for 32-bit spans. A UTF-8 byte order mark is
//! kept in the text (lossless) and skipped by the parser.

use std::fmt;
use std::path::{Path, PathBuf};

/// A byte range `start..end` in a source text. 32-bit offsets keep the tree small; inputs of
/// 4 GiB or more are refused by [`SourceFile::from_bytes`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end}");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// Largest input accepted (spans are `u32`).
pub const MAX_INPUT: usize = u32::MAX as usize;

/// Most bytes read from one input. The largest real backups are a few hundred megabytes.
pub const READ_LIMIT: usize = 1 << 30;

/// How much of an input is read before deciding whether it is text at all.
const SNIFF_LEN: usize = 64 << 10;

/// The first block of a judged input (see [`SourceFile::load_if`]): a configuration shows its
/// `config` line or `#config-version=` header within it, so most judgements need no more.
const FIRST_LEN: usize = 8 << 10;

/// Reads at most `limit` bytes of `r` (more is [`SourceErrorKind::TooLarge`]). The first
/// [`SNIFF_LEN`] bytes are judged first: input that is plainly not text (`/dev/zero`, a binary,
/// an encrypted backup) is refused there, without reading the rest.
fn read_bounded(
    path: &Path,
    r: impl std::io::Read,
    limit: usize,
    size: Option<u64>,
) -> Result<Vec<u8>, SourceError> {
    if size.is_some_and(|n| n > limit as u64) {
        return Err(SourceError::whole(SourceErrorKind::TooLarge));
    }
    let buf = Vec::with_capacity(capacity(limit, size));
    read_rest(path, r, limit, buf, false)
}

/// [`read_bounded`], with the head first put to `wanted`: it sees the first [`FIRST_LEN`]
/// bytes and, if it says no and the input goes on, the first [`SNIFF_LEN`]; `Ok(None)` when it
/// says no then, without reading further. Its judgement comes before any other: an unwanted
/// input is skipped even if it is binary or too large.
fn read_judged(
    path: &Path,
    r: impl std::io::Read,
    limit: usize,
    size: Option<u64>,
    wanted: &dyn Fn(&[u8]) -> bool,
) -> Result<Option<Vec<u8>>, SourceError> {
    let io = |e: std::io::Error| SourceError::whole(SourceErrorKind::Io(e.to_string()));
    let mut r = r;
    let capacity = capacity(limit, size);
    // A skipped file costs no more than its head, allocation included.
    let mut buf = Vec::with_capacity(capacity.min(FIRST_LEN));
    let mut eof = fill(&mut r, &mut buf, FIRST_LEN).map_err(io)?;
    let mut yes = wanted(&buf);
    if !yes && !eof {
        eof = fill(&mut r, &mut buf, SNIFF_LEN).map_err(io)?;
        yes = wanted(&buf);
    }
    if !yes {
        return Ok(None);
    }
    if size.is_some_and(|n| n > limit as u64) {
        return Err(SourceError::whole(SourceErrorKind::TooLarge));
    }
    buf.reserve_exact(capacity.saturating_sub(buf.len()));
    read_rest(path, r, limit, buf, eof).map(Some)
}

/// The buffer to read an input of `size` bytes (if known) into.
fn capacity(limit: usize, size: Option<u64>) -> usize {
    size.map_or(SNIFF_LEN, |n| n as usize + 1).min(limit + 1)
}

/// Reads on after the bytes in `buf` (`eof`: the input has ended): up to [`SNIFF_LEN`] bytes,
/// refused there if plainly not text, then the rest, up to `limit`.
fn read_rest(
    path: &Path,
    mut r: impl std::io::Read,
    limit: usize,
    mut buf: Vec<u8>,
    mut eof: bool,
) -> Result<Vec<u8>, SourceError> {
    let io = |e: std::io::Error| SourceError::whole(SourceErrorKind::Io(e.to_string()));
    if !eof {
        eof = fill(&mut r, &mut buf, SNIFF_LEN).map_err(io)?;
    }
    if buf.len() == SNIFF_LEN && mostly_binary(&buf[header_end(&buf)..]) {
        // Not text: name the problem from the head alone when it shows it.
        SourceFile::from_bytes(path.to_path_buf(), buf.clone())?;
    }
    if !eof {
        fill(&mut r, &mut buf, limit + 1).map_err(io)?;
    }
    if buf.len() > limit {
        return Err(SourceError::whole(SourceErrorKind::TooLarge));
    }
    Ok(buf)
}

/// Reads on until `buf` holds `upto` bytes or the input ends; `true` at the end of the input.
fn fill(r: &mut impl std::io::Read, buf: &mut Vec<u8>, upto: usize) -> std::io::Result<bool> {
    use std::io::Read;
    let want = upto.saturating_sub(buf.len());
    let got = r.by_ref().take(want as u64).read_to_end(buf)?;
    Ok(got < want)
}

/// A loaded, validated configuration text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given by the user (`-` for stdin).
    pub path: PathBuf,
    /// The whole file, unchanged (BOM, CR, tabs and all).
    pub text: String,
}

/// Why a file was refused before parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceErrorKind {
    /// The file could not be read at all.
    Io(String),
    /// Zero bytes, or nothing but blanks and line breaks.
    Empty,
    /// `#config-version` header followed by a body that is not text.
    Encrypted,
    /// A YAML-format backup (FortiOS 7.2+ option), not CLI syntax.
    Yaml,
    /// A NUL byte in a file that is not an encrypted backup.
    Nul,
    /// Bytes that are not UTF-8 (and the file is not an encrypted backup).
    InvalidUtf8,
    /// Larger than [`READ_LIMIT`] (or, from memory, [`MAX_INPUT`]).
    TooLarge,
    /// A JSON document (REST API or FortiManager export), not CLI syntax.
    Json,
    /// A `#config-version` header and nothing after it: a truncated backup.
    HeaderOnly,
}

/// A refusal with the byte offset it points at (if any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub kind: SourceErrorKind,
    /// Byte offset of the offending byte, if the problem has a location.
    pub offset: Option<usize>,
    /// 1-based line and column of `offset` (columns count bytes in invalid text).
    pub line_col: Option<(usize, usize)>,
}

impl SourceError {
    fn at(kind: SourceErrorKind, bytes: &[u8], offset: usize) -> SourceError {
        SourceError {
            kind,
            offset: Some(offset),
            line_col: Some(byte_line_col(bytes, offset)),
        }
    }

    fn whole(kind: SourceErrorKind) -> SourceError {
        SourceError {
            kind,
            offset: None,
            line_col: None,
        }
    }

    /// `unsupported` for inputs that are some other format, `parse-error` for broken text,
    /// `unreadable` for I/O failures (the JSON `files[].status`).
    pub fn status(&self) -> &'static str {
        match self.kind {
            SourceErrorKind::Io(_) => "unreadable",
            SourceErrorKind::Encrypted | SourceErrorKind::Yaml | SourceErrorKind::Json => {
                "unsupported"
            }
            SourceErrorKind::Empty
            | SourceErrorKind::Nul
            | SourceErrorKind::InvalidUtf8
            | SourceErrorKind::TooLarge
            | SourceErrorKind::HeaderOnly => "parse-error",
        }
    }

    /// One-line message naming the problem.
    pub fn message(&self) -> String {
        match &self.kind {
            SourceErrorKind::Io(e) => format!("cannot read file: {e}"),
            SourceErrorKind::Empty => "empty file: no configuration to lint".to_owned(),
            SourceErrorKind::Encrypted => {
                "encrypted backup: the header is readable but the body is binary".to_owned()
            }
            SourceErrorKind::Yaml => {
                "YAML-format backup: fortilint reads FortiOS CLI backups, not YAML".to_owned()
            }
            SourceErrorKind::Nul => "binary file: NUL byte in the text".to_owned(),
            SourceErrorKind::InvalidUtf8 => "invalid UTF-8 in the text".to_owned(),
            SourceErrorKind::TooLarge => "file too large (more than 1 GiB)".to_owned(),
            SourceErrorKind::Json => {
                "JSON document: fortilint reads FortiOS CLI backups, not JSON".to_owned()
            }
            SourceErrorKind::HeaderOnly => {
                "truncated backup: a `#config-version` header and no configuration after it"
                    .to_owned()
            }
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self.kind {
            SourceErrorKind::Io(_) => "check that the path exists and is readable",
            SourceErrorKind::Empty => "back up the configuration again; the file has no content",
            SourceErrorKind::Encrypted => {
                "restore it on a FortiGate (or decrypt it there) and back it up without a password"
            }
            SourceErrorKind::Yaml => {
                "back up the configuration in the default (FortiOS CLI) format instead of YAML"
            }
            SourceErrorKind::Nul | SourceErrorKind::InvalidUtf8 => {
                "this is not a FortiOS text backup; if it was re-encoded, save it as UTF-8"
            }
            SourceErrorKind::TooLarge => "split the file by VDOM or top-level block",
            SourceErrorKind::Json => {
                "back up the configuration as CLI text (System > Configuration > Backup, or \
                 `execute backup config`) instead of a REST API / FortiManager JSON export"
            }
            SourceErrorKind::HeaderOnly => {
                "the backup was cut off after its header: back up the configuration again"
            }
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_col {
            Some((l, c)) => write!(f, "{} (line {l}, column {c})", self.message()),
            None => f.write_str(&self.message()),
        }
    }
}

impl SourceFile {
    /// Reads `path` (`-` = stdin) and validates it. At most [`READ_LIMIT`] bytes are read: an
    /// endless stream (`/dev/zero`, a pipe that never closes) is refused, not buffered.
    pub fn load(path: &Path) -> Result<SourceFile, SourceError> {
        let bytes = open(path, |r, size| read_bounded(path, r, READ_LIMIT, size))?;
        SourceFile::from_bytes(path.to_path_buf(), bytes)
    }

    /// [`SourceFile::load`] of an input read only if its head is `wanted`: the predicate sees
    /// the first 8 KiB and, if it says no and the input goes on, the first 64 KiB. When it says
    /// no then, the result is `Ok(None)` and nothing more is read. It should look for a sign
    /// of the right content (a sign in a shorter head is in every longer one). Its judgement
    /// comes first: an unwanted binary or huge file is `Ok(None)`, not an error; a file that
    /// cannot be opened or read is an error.
    pub fn load_if(
        path: &Path,
        wanted: &dyn Fn(&[u8]) -> bool,
    ) -> Result<Option<SourceFile>, SourceError> {
        open(path, |r, size| {
            read_judged(path, r, READ_LIMIT, size, wanted)
        })?
        .map(|bytes| SourceFile::from_bytes(path.to_path_buf(), bytes))
        .transpose()
    }

    /// Validates raw bytes: recognises encrypted, YAML, binary and empty inputs.
    pub fn from_bytes(path: PathBuf, bytes: Vec<u8>) -> Result<SourceFile, SourceError> {
        if bytes.len() >= MAX_INPUT {
            return Err(SourceError::whole(SourceErrorKind::TooLarge));
        }
        let body = header_end(&bytes);
        let has_version_header = starts_with_config_version(&bytes);
        // Encrypted means a readable header and a body that is mostly not text; one stray
        // NUL or a Latin-1 `é` in a text backup is located instead.
        if has_version_header && mostly_binary(&bytes[body..]) {
            return Err(SourceError::at(SourceErrorKind::Encrypted, &bytes, body));
        }
        let nul = memchr_nul(&bytes);
        if let Some(n) = nul {
            return Err(SourceError::at(SourceErrorKind::Nul, &bytes, n));
        }
        // UTF-8 is checked once, while taking ownership.
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                return Err(SourceError::at(SourceErrorKind::InvalidUtf8, &bytes, at));
            }
        };
        if text
            .trim_start_matches('\u{feff}')
            .bytes()
            .all(|b| b.is_ascii_whitespace())
        {
            return Err(SourceError::whole(SourceErrorKind::Empty));
        }
        if let Some(at) = yaml_start(&text, body) {
            return Err(SourceError::at(SourceErrorKind::Yaml, text.as_bytes(), at));
        }
        if let Some(at) = json_start(&text, body) {
            return Err(SourceError::at(SourceErrorKind::Json, text.as_bytes(), at));
        }
        if has_version_header && text[body..].bytes().all(|b| b.is_ascii_whitespace()) {
            return Err(SourceError::at(
                SourceErrorKind::HeaderOnly,
                text.as_bytes(),
                body.min(text.len()),
            ));
        }
        Ok(SourceFile { path, text })
    }

    /// Path for display (`-` shown as `<stdin>`).
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }
}

/// Opens `path` (`-` = stdin) and hands `read` the reader and, for a regular file, its size
/// (a huge file is refused before reading a byte of it).
fn open<T>(
    path: &Path,
    read: impl FnOnce(&mut dyn std::io::Read, Option<u64>) -> Result<T, SourceError>,
) -> Result<T, SourceError> {
    if path == Path::new("-") {
        return read(&mut std::io::stdin().lock(), None);
    }
    let io = |e: std::io::Error| SourceError::whole(SourceErrorKind::Io(e.to_string()));
    let mut file = std::fs::File::open(path).map_err(io)?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    read(&mut file, size)
}

/// A path as shown in reports: `<stdin>` for `-`, otherwise as given.
pub fn display_path(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// A path without `.` components (`./site/./fw.conf` → `site/fw.conf`), so that the same
/// file named two ways gets the same baseline key, fingerprint and glob match.
pub fn normalized(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

fn starts_with_config_version(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.starts_with(b"#config-version=")
}

/// Offset of the first byte after the leading `#` header lines (and the BOM).
fn header_end(bytes: &[u8]) -> usize {
    let mut pos = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    while pos < bytes.len() && bytes[pos] == b'#' {
        match bytes[pos..].iter().position(|&b| b == b'\n') {
            Some(n) => pos += n + 1,
            None => return bytes.len(),
        }
    }
    pos
}

/// Whether the first 4 KiB of a body are mostly not text: more than a quarter of the bytes are
/// control characters (other than tab, CR, LF) or not part of valid UTF-8.
fn mostly_binary(body: &[u8]) -> bool {
    let head = &body[..body.len().min(4096)];
    if head.is_empty() {
        return false;
    }
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s.len(),
        Err(e) => e.valid_up_to(),
    };
    let mut bad = head.len() - valid;
    // Past the first invalid byte, count bytes that cannot be text at all.
    bad = bad.min(
        head[valid..]
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || b >= 0x80)
            .count(),
    );
    bad += head[..valid]
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        .count();
    bad * 4 > head.len()
}

/// A JSON document: the first thing after the header is `{` or `[` followed by a quoted key
/// or a value, as FortiOS REST API and FortiManager exports are.
fn json_start(text: &str, body: usize) -> Option<usize> {
    let rest = &text[body..];
    let lead = rest.len()
        - rest
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .len();
    let t = &rest[lead..];
    let after = t.strip_prefix('{').or_else(|| t.strip_prefix('['))?;
    let next = after.trim_start().chars().next()?;
    matches!(next, '"' | '{' | '[' | '}' | ']').then_some(body + lead)
}

/// A YAML backup has the `#` header and then `key:` lines instead of `config …`.
fn yaml_start(text: &str, body: usize) -> Option<usize> {
    let mut offset = body;
    for line in text[body..].split_inclusive('\n') {
        let t = line.trim_end();
        if t.is_empty() || t.starts_with('#') {
            offset += line.len();
            continue;
        }
        let yamlish = t.strip_suffix(':').is_some_and(|k| {
            // YAML backup keys are lower case (`system_global:`); `Password:` is a login line.
            !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }) || t == "---";
        return yamlish.then_some(offset);
    }
    None
}

/// 1-based line and byte column of `offset` in raw bytes (LF, CRLF and lone CR end lines).
pub fn byte_line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let mut line = 1;
    let mut line_start = 0;
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    (line, offset - line_start + 1)
}

/// Line starts of a text, for turning byte offsets into 1-based line and column numbers.
/// Lines end at LF, CRLF or a lone CR, as in the grammar. Columns count characters.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        let mut skip_lf = None;
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if skip_lf == Some(at) {
                continue;
            }
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                skip_lf = Some(at + 1);
                starts.push((at + 2) as u32);
            } else {
                starts.push((at + 1) as u32);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s as usize <= offset);
        let start = self.starts[line - 1] as usize;
        let end = offset.min(text.len());
        let col = text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count())
            + 1;
        (line, col)
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.saturating_sub(1).min(self.starts.len() - 1)] as usize
    }
}

/// Line and column of chosen byte offsets, worked out in one pass over the text, so that the
/// text can be dropped afterwards (12 bytes per offset).
#[derive(Clone, Debug, Default)]
pub struct Positions {
    /// `(offset, line, column)`, sorted by offset, no duplicates.
    at: Vec<(u32, u32, u32)>,
}

impl Positions {
    /// The positions of `offsets` in `text` (offsets past the end count as the end).
    pub fn compute(text: &str, mut offsets: Vec<u32>) -> Positions {
        offsets.sort_unstable();
        offsets.dedup();
        let bytes = text.as_bytes();
        let mut at = Vec::with_capacity(offsets.len());
        let (mut line, mut line_start) = (1usize, 0usize);
        // Line breaks are counted up to here.
        let mut pos = 0usize;
        for o in offsets {
            let end = (o as usize).min(bytes.len());
            // Move to the line holding `end`: a break before it starts a new line (a CRLF
            // counts once, at its LF).
            let seg = &bytes[pos..end];
            if memchr::memchr(b'\r', seg).is_none() {
                // LF only (nearly every backup): counted with SIMD.
                let n = memchr::memchr_iter(b'\n', seg).count();
                if n > 0 {
                    line += n;
                    line_start = pos + memchr::memrchr(b'\n', seg).map_or(0, |i| i + 1);
                }
            } else {
                for b in memchr::memchr2_iter(b'\n', b'\r', seg).map(|i| pos + i) {
                    if bytes[b] == b'\r' && bytes.get(b + 1) == Some(&b'\n') {
                        continue;
                    }
                    line += 1;
                    line_start = b + 1;
                }
            }
            pos = end;
            let col = text
                .get(line_start..end)
                .map_or(end - line_start, |s| s.chars().count())
                + 1;
            at.push((o, line as u32, col as u32));
        }
        Positions { at }
    }

    /// The position of `offset`, if it was computed.
    pub fn get(&self, offset: u32) -> Option<(usize, usize)> {
        self.at
            .binary_search_by_key(&offset, |e| e.0)
            .ok()
            .map(|i| (self.at[i].1 as usize, self.at[i].2 as usize))
    }

    /// Adds the positions of `other`.
    pub fn merge(&mut self, other: Positions) {
        if self.at.is_empty() {
            self.at = other.at;
            return;
        }
        self.at.extend(other.at);
        self.at.sort_unstable_by_key(|e| e.0);
        self.at.dedup_by_key(|e| e.0);
    }

    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that never ends and counts what was taken from it.
    struct Endless {
        byte: u8,
        read: usize,
    }

    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(self.byte);
            self.read += buf.len();
            Ok(buf.len())
        }
    }

    #[test]
    fn positions_agree_with_the_line_index() {
        let lf_only = "a\nbé c\n\n\nxyz\n  é\n\nend";
        for text in ["a\r\nbé c\rd\n\nxyz\r\n\r\né", lf_only] {
            // Every offset, then every third (segments with several line breaks).
            for step in [1, 3] {
                let all: Vec<u32> = (0..=text.len() as u32 + 2).step_by(step).collect();
                let p = Positions::compute(text, all.iter().rev().copied().collect());
                let ix = LineIndex::new(text);
                for o in all {
                    let want = ix.line_col(text, o as usize);
                    assert_eq!(p.get(o), Some(want), "offset {o} of {text:?}");
                    assert_eq!(byte_line_col(text.as_bytes(), o as usize).0, want.0);
                }
            }
        }
        let text = "a\r\nbé c\rd\n\nxyz\r\n\r\né";
        let mut q = Positions::compute(text, vec![1]);
        q.merge(Positions::compute(text, vec![4, 1]));
        assert_eq!(q.len(), 2);
        assert_eq!(q.get(4), Some((2, 2)));
        assert_eq!(q.get(3), None);
    }

    #[test]
    fn endless_input_is_read_with_a_bound() {
        let p = Path::new("-");
        // Endless zeros: refused as binary from the head, without reading on.
        let mut zeros = Endless { byte: 0, read: 0 };
        let e = read_bounded(p, &mut zeros, 1 << 24, None).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::Nul);
        assert_eq!(e.line_col, Some((1, 1)));
        assert!(zeros.read <= 2 * SNIFF_LEN, "read {} bytes", zeros.read);
        // Endless text: read up to the limit, then refused.
        let mut text = Endless {
            byte: b'\n',
            read: 0,
        };
        let e = read_bounded(p, &mut text, 1 << 20, None).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::TooLarge);
        assert!(
            text.read <= (1 << 20) + SNIFF_LEN + 8192,
            "read {}",
            text.read
        );
        // A regular file larger than the limit is refused before reading.
        let mut untouched = Endless {
            byte: b'a',
            read: 0,
        };
        let e = read_bounded(p, &mut untouched, 10, Some(11)).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::TooLarge);
        assert_eq!(untouched.read, 0);
        // Input within the limit is read whole.
        let ok = read_bounded(p, &b"config a\nend\n"[..], 14, Some(13)).unwrap();
        assert_eq!(ok, b"config a\nend\n");
    }

    #[test]
    fn a_judged_read_stops_at_the_head_of_what_is_not_wanted() {
        use std::cell::RefCell;
        use std::io::Read;
        let p = Path::new("t.conf");
        let heads = RefCell::new(Vec::new());
        // A sign of configuration: a `config ` line (found in a longer head if in a shorter).
        let wanted = |h: &[u8]| {
            heads.borrow_mut().push(h.len());
            h.split(|&b| b == b'\n').any(|l| l.starts_with(b"config "))
        };
        // Notes followed by endless text: skipped after the 64 KiB head, nothing more read.
        let mut rest = Endless {
            byte: b'a',
            read: 0,
        };
        let r = (&b"just notes\n"[..]).chain(&mut rest);
        assert_eq!(read_judged(p, r, 1 << 24, None, &wanted).unwrap(), None);
        assert!(rest.read <= SNIFF_LEN, "read {} bytes", rest.read);
        assert_eq!(*heads.borrow(), [FIRST_LEN, SNIFF_LEN]);
        // A binary stream is skipped too, not refused: the judgement comes first.
        let mut zeros = Endless { byte: 0, read: 0 };
        assert_eq!(
            read_judged(p, &mut zeros, 1 << 24, None, &wanted).unwrap(),
            None
        );
        assert!(zeros.read <= SNIFF_LEN, "read {} bytes", zeros.read);
        // So is a file too large to read, when it is not wanted; when it is, it is refused.
        heads.borrow_mut().clear();
        assert_eq!(
            read_judged(p, &b"notes\n"[..], 4, Some(6), &wanted).unwrap(),
            None
        );
        assert_eq!(*heads.borrow(), [6], "a short input is judged once, whole");
        let e = read_judged(p, &b"config a\n"[..], 4, Some(9), &wanted).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::TooLarge);
        // A configuration is judged from its first 8 KiB and read on, whole.
        heads.borrow_mut().clear();
        let mut text = b"config system global\n".to_vec();
        text.resize(200_000, b'\n');
        let got = read_judged(p, &text[..], 1 << 24, Some(200_000), &wanted).unwrap();
        assert_eq!(got.as_deref(), Some(&text[..]));
        assert_eq!(*heads.borrow(), [FIRST_LEN]);
        // A `config` line past the first block is found in the 64 KiB head; one past that is
        // not (as in directory discovery).
        for (at, found) in [(20_000, true), (100_000, false)] {
            let mut text = vec![b'\n'; 200_000];
            text[at..at + 9].copy_from_slice(b"config a\n");
            let got = read_judged(p, &text[..], 1 << 24, None, &wanted).unwrap();
            assert_eq!(got.is_some(), found, "config line at {at}");
        }
    }

    fn load(bytes: &[u8]) -> Result<SourceFile, SourceError> {
        SourceFile::from_bytes(PathBuf::from("t.conf"), bytes.to_vec())
    }

    #[test]
    fn refuses_empty_and_blank() {
        assert_eq!(load(b"").unwrap_err().kind, SourceErrorKind::Empty);
        assert_eq!(load(b" \n\r\n\t").unwrap_err().kind, SourceErrorKind::Empty);
    }

    #[test]
    fn recognises_encrypted_backup() {
        let mut b =
            b"#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin\n"
                .to_vec();
        b.extend_from_slice(&[0x93, 0x00, 0xff, 0x10, 0x41]);
        let e = load(&b).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::Encrypted);
        assert_eq!(e.line_col, Some((2, 1)));
    }

    #[test]
    fn locates_invalid_utf8_and_nul() {
        let e = load(b"config system global\n    set alias \"caf\xe9\"\nend\n").unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::InvalidUtf8);
        assert_eq!(e.line_col, Some((2, 19)));
        let e = load(b"config x\n\0end\n").unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::Nul);
        assert_eq!(e.line_col, Some((2, 1)));
    }

    #[test]
    fn a_stray_nul_or_latin1_in_a_backup_is_located_not_encrypted() {
        let header =
            b"#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin\n";
        let mut b = header.to_vec();
        b.extend_from_slice(b"config system global\n    set alias \"caf\xe9\"\nend\n");
        let e = load(&b).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::InvalidUtf8);
        assert_eq!(e.line_col, Some((3, 19)));
        let mut b = header.to_vec();
        b.extend_from_slice(b"config system global\n    set alias \"x\0\"\nend\n");
        let e = load(&b).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::Nul);
        assert_eq!(e.line_col, Some((3, 17)));
    }

    #[test]
    fn recognises_json_and_header_only_backups() {
        let e = load(b"{\"results\": [{\"name\": \"FTKMOB0000000001\"}]}\n").unwrap_err();
        assert_eq!((e.kind, e.line_col), (SourceErrorKind::Json, Some((1, 1))));
        let e = load(
            b"#config-version=FGT60F-7.2.5-FW-build1517:opmode=0:vdom=0:user=a\n#buildno=1517\n\n",
        )
        .unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::HeaderOnly);
        // A `[` that opens no JSON is left to the parser.
        assert!(load(b"[not json\n").is_ok());
    }

    #[test]
    fn recognises_yaml() {
        let e = load(b"#config-version=FGT60F-7.2.5-FW-build1517:opmode=0:vdom=0:user=a\n#buildno=1517\nsystem_global:\n    hostname: \"x\"\n").unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::Yaml);
        assert_eq!(e.line_col, Some((3, 1)));
    }

    #[test]
    fn line_index_handles_all_line_endings() {
        let t = "a\r\nb\rc\nd";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(t, 0), (1, 1));
        assert_eq!(idx.line_col(t, 3), (2, 1));
        assert_eq!(idx.line_col(t, 5), (3, 1));
        assert_eq!(idx.line_col(t, 7), (4, 1));
        assert_eq!(byte_line_col(t.as_bytes(), 7), (4, 1));
    }
}
