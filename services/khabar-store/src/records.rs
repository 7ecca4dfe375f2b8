//! The values the store keeps, and their codec (postcard; the layout is covered by the
//! schema version in `meta/schema`).

use khabar_annotate::{Annotations, Dateline, EntityInfo, EventReport, Lang, Mention};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::StoreError;

/// Encodes a record.
pub fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    postcard::to_allocvec(v).expect("postcard encoding into a Vec cannot fail")
}

/// Decodes a record; `what` names it in the error.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// What the caller gave with a document (kept to tell a re-ingest of the same input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Given {
    pub title: String,
    pub source_name: String,
    pub source_uri: String,
    pub publish_date: String,
}

/// A document's metadata and counts: everything of the BASIC view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocMeta {
    pub id: String,
    pub lang: Lang,
    pub title: String,
    pub source_name: String,
    pub source_uri: String,
    pub publish_date: String,
    pub content_sha256: String,
    pub annotator_version: String,
    pub create_time_ms: i64,
    pub update_time_ms: i64,
    pub char_count: u32,
    pub entity_mention_count: u32,
    pub event_count: u32,
    pub dateline: Option<Dateline>,
    pub given: Given,
}

/// Marks a compressed document body: a plain postcard body starts with the varint length of a
/// non-empty text, never with these bytes.
const BODY_DEFLATE: &[u8] = &[0x00, 0xff, b'K', b'Z'];

/// Encodes a document body: postcard, then raw deflate (level 1) behind [`BODY_DEFLATE`].
/// Arabic and Persian text and its annotations shrink to about a third; the body is most of a
/// store's bytes, and sled rewrites whole leaves, so every byte saved here is saved several
/// times on disk.
pub fn encode_body(body: &DocBody) -> Vec<u8> {
    encode_body_parts(&body.text, &body.annotations, true)
}

/// [`encode_body`] of a text and its annotations, without assembling a [`DocBody`]; plain
/// postcard when not `deflate` (for a backend that compresses what it writes).
pub fn encode_body_parts(text: &str, annotations: &Annotations, deflate: bool) -> Vec<u8> {
    /// Encodes exactly as [`DocBody`] (postcard writes `&str` as `String`).
    #[derive(Serialize)]
    struct BodyRef<'a> {
        text: &'a str,
        annotations: &'a Annotations,
    }
    let plain = encode(&BodyRef { text, annotations });
    if !deflate {
        return plain;
    }
    let mut out = Vec::with_capacity(plain.len() / 3 + BODY_DEFLATE.len());
    out.extend_from_slice(BODY_DEFLATE);
    deflate_into(&plain, &mut out);
    out
}

/// Raw deflate (level 1) of `input`, appended to `out`. The compressor (≈310 KB of tables and
/// buffers) is kept per thread and reset between bodies, which saves allocating it (and the
/// page faults of fresh memory) for every body; reset still clears its tables.
fn deflate_into(mut input: &[u8], out: &mut Vec<u8>) {
    use miniz_oxide::deflate::core::{compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus};
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<Box<CompressorOxide>> =
            std::cell::RefCell::new(Box::new(CompressorOxide::new(create_comp_flags_from_zip_params(1, -15, 0))));
    }
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        let start = out.len();
        out.resize(start + (input.len() / 2).max(64), 0);
        let mut pos = start;
        loop {
            let (status, consumed, written) = compress(&mut c, input, &mut out[pos..], TDEFLFlush::Finish);
            pos += written;
            match status {
                TDEFLStatus::Done => break,
                TDEFLStatus::Okay => {
                    input = &input[consumed..];
                    if out.len() - pos < 64 {
                        let grow = out.len();
                        out.resize(grow * 2, 0);
                    }
                }
                s => unreachable!("deflate into a growing buffer cannot fail: {s:?}"),
            }
        }
        out.truncate(pos);
    });
}

/// Decodes a document body written by [`encode_body`] or as plain postcard (older stores).
pub fn decode_body(bytes: &[u8]) -> Result<DocBody, StoreError> {
    match bytes.strip_prefix(BODY_DEFLATE) {
        Some(z) => {
            let plain = miniz_oxide::inflate::decompress_to_vec_with_limit(z, 1 << 30).map_err(|e| StoreError::Corrupt(format!("document body: inflate: {e:?}")))?;
            decode(&plain, "document body")
        }
        None => decode(bytes, "document body"),
    }
}

/// A document's text and annotations: the rest of the FULL view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocBody {
    pub text: String,
    pub annotations: Annotations,
}

/// An entity with its counts over every stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord {
    pub info: EntityInfo,
    pub mention_count: u64,
    pub document_count: u64,
}

/// A mention as stored in the entity's mention index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMention {
    pub document: String,
    pub mention: Mention,
    /// The mention's text.
    pub text: String,
}

/// One report of an event with the texts of its spans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReport {
    pub document: String,
    pub report: EventReport,
    pub trigger_text: String,
    pub evidence_text: String,
}

/// Every report of one event, sorted by (document, trigger start).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EventRecord {
    pub id: String,
    pub reports: Vec<StoredReport>,
}

/// What happened to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
}

/// One entry of the event change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    pub event: String,
    pub kind: ChangeKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_compressed_and_plain_bodies_still_decode() {
        let body = DocBody { text: "وصل وزير الخارجية إلى طهران. ".repeat(40), annotations: Annotations::default() };
        let z = encode_body(&body);
        let plain = encode(&body);
        assert!(z.len() * 3 < plain.len(), "{} vs {}", z.len(), plain.len());
        assert_eq!(decode_body(&z).unwrap(), body);
        // bodies written before compression
        assert_eq!(decode_body(&plain).unwrap(), body);
        assert!(decode_body(&[0x00, 0xff, b'K', b'Z', 1, 2, 3]).is_err());
    }

    #[test]
    fn the_reused_compressor_writes_what_a_fresh_one_writes() {
        // a long incompressible-ish body makes the output buffer grow; short ones follow it
        let long: String = (0..20_000u32).map(|i| char::from_u32(0x0621 + (i * 7919 % 40)).unwrap()).collect();
        for text in [long.as_str(), "قصير", "", "وصل وزير الخارجية إلى طهران."] {
            let body = DocBody { text: text.to_string(), annotations: Annotations::default() };
            let z = encode_body(&body);
            let fresh = miniz_oxide::deflate::compress_to_vec(&encode(&body), 1);
            assert_eq!(&z[BODY_DEFLATE.len()..], &fresh[..], "{}", text.chars().count());
            assert_eq!(decode_body(&z).unwrap(), body);
        }
    }
}
