//! Reading documents from files: `.txt` files (id = file stem), folders (recursively, in name
//! order), JSON Lines files (one article a line: `id`, `text`, optional `title`, `source`, `url`,
//! `date`) and `-` for JSON Lines on standard input.
//!
//! Every problem is reported per document with its file (and line) and never stops the others.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::pipeline::RawDocument;

/// One document read from a source, or why it could not be read.
#[derive(Debug)]
pub struct SourceItem {
    /// Where it came from: "path", "path:line" or "stdin:line".
    pub origin: String,
    pub doc: Result<RawDocument, String>,
}

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text(PathBuf),
    JsonLines(PathBuf),
    Stdin,
}

/// Expands paths: folders recursively (hidden entries skipped, only `.txt`, `.jsonl` and
/// `.ndjson` files), in name order. Returns the inputs and the files skipped in folders.
pub fn expand(paths: &[PathBuf]) -> std::io::Result<(Vec<Input>, Vec<PathBuf>)> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, &mut out, &mut skipped)?;
        } else if p.exists() {
            out.push(classify(p));
        } else {
            return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{}: no such file or folder", p.display())));
        }
    }
    Ok((out, skipped))
}

fn classify(p: &Path) -> Input {
    match p.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("jsonl") | Some("ndjson") => Input::JsonLines(p.to_path_buf()),
        _ => Input::Text(p.to_path_buf()),
    }
}

fn walk(dir: &Path, out: &mut Vec<Input>, skipped: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, skipped)?;
        } else {
            match p.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
                Some("txt") | Some("jsonl") | Some("ndjson") => out.push(classify(&p)),
                _ => skipped.push(p),
            }
        }
    }
    Ok(())
}

/// Decodes file bytes: UTF-8 (a BOM is dropped), or UTF-16 LE/BE when the file starts with
/// its BOM. Anything else that is not valid UTF-8 is refused with the byte offset.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(str::to_owned).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to() + 3));
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String, String> {
        if rest.len() % 2 != 0 {
            return Err("invalid UTF-16: odd number of bytes".into());
        }
        let units = rest.chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        char::decode_utf16(units).collect::<Result<String, _>>().map_err(|e| format!("invalid UTF-16: {e}"))
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| format!("invalid UTF-8 at byte {} (not UTF-8 text; UTF-16 needs a byte-order mark)", e.valid_up_to()))
}

/// Reads one `.txt` file as a document whose id is the file stem.
pub fn read_text_file(path: &Path, max_bytes: usize) -> SourceItem {
    let origin = path.display().to_string();
    let doc = (|| {
        let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
        if meta.len() as usize > max_bytes.saturating_mul(2).saturating_add(4) {
            return Err(format!("file is {} bytes, over the document limit of {max_bytes} bytes", meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(|e| e.to_string())?;
        let text = decode_text(&bytes)?;
        Ok(RawDocument {
            id: path.file_stem().map(|s| s.to_string_lossy().to_string()),
            text,
            source_uri: path.file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_default(),
            ..Default::default()
        })
    })();
    SourceItem { origin, doc }
}

fn str_field(v: &serde_json::Value, names: &[&str]) -> Result<String, String> {
    for n in names {
        match v.get(*n) {
            None | Some(serde_json::Value::Null) => continue,
            Some(serde_json::Value::String(s)) => return Ok(s.clone()),
            Some(serde_json::Value::Number(x)) => return Ok(x.to_string()),
            Some(_) => return Err(format!("field {n:?} must be a string")),
        }
    }
    Ok(String::new())
}

/// Parses one JSON Lines record.
pub fn parse_json_line(line: &str) -> Result<RawDocument, String> {
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    if !v.is_object() {
        return Err("not a JSON object".into());
    }
    let text = match v.get("text") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => return Err("field \"text\" must be a string".into()),
        None => return Err("missing field \"text\"".into()),
    };
    let id = str_field(&v, &["id"])?;
    Ok(RawDocument {
        id: (!id.is_empty()).then_some(id),
        text,
        title: str_field(&v, &["title"])?,
        source_name: str_field(&v, &["source", "source_name"])?,
        source_uri: str_field(&v, &["url", "source_uri"])?,
        publish_date: str_field(&v, &["date", "publish_date"])?,
    })
}

/// Iterates over the documents of a JSON Lines stream; a line longer than `max_line` bytes is
/// skipped and reported without being held in memory.
pub struct JsonLines<R> {
    reader: R,
    name: String,
    line_no: usize,
    max_line: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> JsonLines<R> {
    pub fn new(reader: R, name: String, max_line: usize) -> Self {
        JsonLines { reader, name, line_no: 0, max_line, buf: Vec::new() }
    }

    /// Reads one line into `buf`, up to `max_line` bytes; returns (bytes seen, truncated).
    fn read_line(&mut self) -> std::io::Result<(usize, bool)> {
        self.buf.clear();
        let mut seen = 0;
        let mut truncated = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok((seen, truncated));
            }
            let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            let n = chunk.len();
            if !truncated {
                if self.buf.len() + n > self.max_line {
                    truncated = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(chunk);
                }
            }
            seen += n;
            self.reader.consume(n);
            if done {
                return Ok((seen, truncated));
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = SourceItem;
    fn next(&mut self) -> Option<SourceItem> {
        loop {
            let (seen, truncated) = match self.read_line() {
                Ok(x) => x,
                Err(e) => {
                    self.line_no += 1;
                    return Some(SourceItem { origin: format!("{}:{}", self.name, self.line_no), doc: Err(format!("read error: {e}")) });
                }
            };
            if seen == 0 {
                return None;
            }
            self.line_no += 1;
            let origin = format!("{}:{}", self.name, self.line_no);
            if truncated {
                return Some(SourceItem { origin, doc: Err(format!("line is longer than {} bytes", self.max_line)) });
            }
            let line = match std::str::from_utf8(&self.buf) {
                Ok(s) => s.trim_start_matches('\u{feff}').trim(),
                Err(e) => return Some(SourceItem { origin, doc: Err(format!("invalid UTF-8 at byte {} of the line", e.valid_up_to())) }),
            };
            if line.is_empty() {
                continue;
            }
            return Some(SourceItem { origin, doc: parse_json_line(line) });
        }
    }
}

/// Every document of every input, lazily, in order.
pub fn read_inputs(inputs: Vec<Input>, max_bytes: usize) -> impl Iterator<Item = SourceItem> {
    let max_line = max_bytes.saturating_mul(4).saturating_add(64 * 1024);
    inputs.into_iter().flat_map(move |input| -> Box<dyn Iterator<Item = SourceItem>> {
        match input {
            Input::Text(p) => Box::new(std::iter::once(read_text_file(&p, max_bytes))),
            Input::JsonLines(p) => match File::open(&p) {
                Ok(f) => Box::new(JsonLines::new(BufReader::with_capacity(1 << 20, f), p.display().to_string(), max_line)),
                Err(e) => Box::new(std::iter::once(SourceItem { origin: p.display().to_string(), doc: Err(e.to_string()) })),
            },
            Input::Stdin => Box::new(JsonLines::new(BufReader::new(std::io::stdin()), "stdin".into(), max_line)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_and_utf16_with_bom() {
        assert_eq!(decode_text("سلام".as_bytes()).unwrap(), "سلام");
        assert_eq!(decode_text(b"\xEF\xBB\xBFab").unwrap(), "ab");
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("سلام".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode_text(&le).unwrap(), "سلام");
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("ab".encode_utf16().flat_map(|u| u.to_be_bytes())).collect();
        assert_eq!(decode_text(&be).unwrap(), "ab");
        assert!(decode_text(b"ab\xff\xfe").unwrap_err().contains("byte 2"));
    }

    #[test]
    fn json_lines_report_bad_lines_and_go_on() {
        let data = "{\"id\": 7, \"text\": \"نص\", \"source\": \"x\"}\nnot json\n\n{\"id\": \"a\"}\n{\"text\": 5}\n".to_string() + &"x".repeat(100) + "\n{\"text\": \"b\"}\n";
        let items: Vec<SourceItem> = JsonLines::new(std::io::Cursor::new(data), "f.jsonl".into(), 50).collect();
        assert_eq!(items.len(), 6);
        assert_eq!(items[0].doc.as_ref().unwrap().id.as_deref(), Some("7"));
        assert_eq!(items[0].doc.as_ref().unwrap().source_name, "x");
        assert!(items[1].doc.as_ref().unwrap_err().starts_with("not JSON"));
        assert_eq!(items[1].origin, "f.jsonl:2");
        assert!(items[2].doc.as_ref().unwrap_err().contains("missing field"));
        assert_eq!(items[2].origin, "f.jsonl:4");
        assert!(items[3].doc.as_ref().unwrap_err().contains("must be a string"));
        assert!(items[4].doc.as_ref().unwrap_err().contains("longer than"));
        assert_eq!(items[5].doc.as_ref().unwrap().text, "b");
        assert_eq!(items[5].origin, "f.jsonl:7");
    }
}
