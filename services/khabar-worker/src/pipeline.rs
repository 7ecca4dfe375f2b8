//! The ingest pipeline shared by the worker (`--db`) and the server (IngestDocuments, `--ingest`):
//! validate a raw document, derive its id, annotate it and store it atomically.

use khabar_annotate::{Annotator, Input};
use khabar_store::{content_sha256, sanitize_id, Change, EncodedDocument, Given, NewDocument, PutOutcome, Store, StoreError};

/// Default largest accepted document, in bytes of UTF-8 text.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 8 << 20;

/// A document as it arrives, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawDocument {
    /// Id given by the caller or derived from a file name; sanitised before use.
    pub id: Option<String>,
    pub text: String,
    pub title: String,
    pub source_name: String,
    pub source_uri: String,
    pub publish_date: String,
}

/// Why a document was refused.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("the text is empty or whitespace only")]
    Empty,
    #[error("the text is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("the text looks binary (it contains NUL or mostly control characters)")]
    Binary,
    #[error("invalid publish_date {0:?}: expected ISO-8601 such as 2024-07-13, 2024-07 or 2024")]
    BadDate(String),
    #[error("field {field} is {size} bytes, over the limit of {limit} bytes")]
    FieldTooLong { field: &'static str, size: usize, limit: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IngestError {
    /// True when the fault is the document's (the caller can fix it), false for server faults.
    pub fn is_caller_fault(&self) -> bool {
        !matches!(self, IngestError::Store(StoreError::Backend(_) | StoreError::Corrupt(_) | StoreError::Locked(_) | StoreError::Schema { .. }))
    }
}

/// A validated document.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub id: String,
    pub text: String,
    pub given: Given,
    pub sha256: String,
}

/// What happened to one document.
#[derive(Debug, Clone)]
pub struct Ingested {
    pub id: String,
    pub outcome: PutOutcome,
    pub entity_mentions: u32,
    pub events: u32,
    pub changes: Vec<Change>,
}

const MAX_FIELD_BYTES: usize = 4096;

/// True for "2024", "2024-07", "2024-07-13", "XXXX-07-13" and ranges of those ("a/b").
pub fn is_iso_partial_date(s: &str) -> bool {
    s.split('/').all(|p| {
        let parts: Vec<&str> = p.split('-').collect();
        let year_ok = parts[0].len() == 4 && (parts[0].bytes().all(|b| b.is_ascii_digit()) || parts[0] == "XXXX");
        let rest_ok = parts.len() <= 3 && parts[1..].iter().all(|x| x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()));
        let month_ok = parts.get(1).is_none_or(|m| ("01"..="12").contains(m));
        let day_ok = parts.get(2).is_none_or(|d| ("01"..="31").contains(d));
        year_ok && rest_ok && month_ok && day_ok
    })
}

/// Accepts RFC 3339 timestamps too, keeping their date part.
fn normalize_date(s: &str) -> Result<String, IngestError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let candidate = if s.len() > 10 && s.as_bytes().get(10).is_some_and(|b| *b == b'T' || *b == b' ') { &s[..10] } else { s };
    if is_iso_partial_date(candidate) { Ok(candidate.to_string()) } else { Err(IngestError::BadDate(s.to_string())) }
}

/// Validates a raw document and derives its id (sanitised given id, else a content hash).
pub fn prepare(raw: RawDocument, max_bytes: usize) -> Result<Prepared, IngestError> {
    if raw.text.len() > max_bytes {
        return Err(IngestError::TooLarge { size: raw.text.len(), limit: max_bytes });
    }
    if raw.text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    let controls = raw.text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
    if raw.text.contains('\0') || controls * 10 > raw.text.chars().count() {
        return Err(IngestError::Binary);
    }
    for (field, v) in [("title", &raw.title), ("source_name", &raw.source_name), ("source_uri", &raw.source_uri), ("publish_date", &raw.publish_date)] {
        if v.len() > MAX_FIELD_BYTES {
            return Err(IngestError::FieldTooLong { field, size: v.len(), limit: MAX_FIELD_BYTES });
        }
    }
    let sha256 = content_sha256(&raw.text);
    let id = raw
        .id
        .as_deref()
        .map(|given| sanitize_id(given).unwrap_or_else(|| format!("id-{}", &content_sha256(given)[..16])))
        .unwrap_or_else(|| sha256[..16].to_string());
    let given = Given {
        title: raw.title.trim().to_string(),
        source_name: raw.source_name.trim().to_string(),
        source_uri: raw.source_uri.trim().to_string(),
        publish_date: normalize_date(&raw.publish_date)?,
    };
    Ok(Prepared { id, text: raw.text, given, sha256 })
}

/// Annotates and stores one prepared document. Skips annotation when the store already holds
/// the same text and metadata annotated by this annotator version.
pub fn ingest(annotator: &Annotator, store: &Store, doc: Prepared, now_ms: i64) -> Result<Ingested, IngestError> {
    ingest_probed(annotator, store, doc, now_ms, &mut |_| {})
}

/// A prepared document after [`annotate_for_store`] (or [`unchanged`], then [`annotate_new`]).
#[derive(Debug)]
pub enum Annotated {
    /// The store already holds it as it is: nothing to write.
    Unchanged(Ingested),
    /// Annotated and encoded (on the annotating thread), to be written with
    /// [`Store::put_encoded`].
    New(EncodedDocument),
}

/// Annotates a prepared document for the store, calling `mark` at the end of each annotation
/// stage (see [`Annotator::annotate_probed`]). Skips annotation when the store already holds the
/// same text and metadata annotated by this annotator version.
pub fn annotate_for_store(annotator: &Annotator, store: &Store, doc: Prepared, now_ms: i64, mark: &mut impl FnMut(khabar_annotate::Stage)) -> Result<Annotated, IngestError> {
    if let Some(i) = unchanged(store, &doc)? {
        return Ok(Annotated::Unchanged(i));
    }
    Ok(Annotated::New(store.encode(annotate_new(annotator, doc, now_ms, mark))))
}

/// What ingesting `doc` did when the store already holds the same text and metadata annotated
/// by this annotator version (nothing to annotate or write); `None` when it must be annotated.
pub fn unchanged(store: &Store, doc: &Prepared) -> Result<Option<Ingested>, IngestError> {
    let Some(meta) = store.unchanged(&doc.id, &doc.sha256, &doc.given, khabar_annotate::ANNOTATOR_VERSION)? else { return Ok(None) };
    Ok(Some(Ingested { id: doc.id.clone(), outcome: PutOutcome::Unchanged, entity_mentions: meta.entity_mention_count, events: meta.event_count, changes: Vec::new() }))
}

/// Annotates a prepared document (no store access), calling `mark` at the end of each stage.
pub fn annotate_new(annotator: &Annotator, doc: Prepared, now_ms: i64, mark: &mut impl FnMut(khabar_annotate::Stage)) -> NewDocument {
    let input = Input { text: &doc.text, lang_hint: None, publish_date: (!doc.given.publish_date.is_empty()).then_some(doc.given.publish_date.as_str()) };
    let annotations = annotator.annotate_probed(&input, mark);
    NewDocument { id: doc.id, text: doc.text, given: doc.given, annotations, now_ms }
}

/// What storing `doc` did, from the store's answer.
pub fn ingested(doc: &NewDocument, (outcome, changes): (PutOutcome, Vec<Change>)) -> Ingested {
    let mut ids: Vec<&str> = doc.annotations.events.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    Ingested { id: doc.id.clone(), outcome, entity_mentions: doc.annotations.mentions.len() as u32, events: ids.len() as u32, changes }
}

/// [`ingest`], calling `mark` at the end of each annotation stage (see
/// [`Annotator::annotate_probed`]); what follows the last mark is the store write.
pub fn ingest_probed(annotator: &Annotator, store: &Store, doc: Prepared, now_ms: i64, mark: &mut impl FnMut(khabar_annotate::Stage)) -> Result<Ingested, IngestError> {
    match annotate_for_store(annotator, store, doc, now_ms, mark)? {
        Annotated::Unchanged(i) => Ok(i),
        Annotated::New(new) => {
            let r = store.put_encoded_document(&new)?;
            Ok(ingested(new.doc(), r))
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sanitised_or_hashed() {
        let p = prepare(RawDocument { id: Some("Doc #1/ÄB".into()), text: "نص".into(), ..Default::default() }, 100).unwrap();
        assert_eq!(p.id, "doc-1-b");
        let p = prepare(RawDocument { id: Some("خبر".into()), text: "نص".into(), ..Default::default() }, 100).unwrap();
        assert!(p.id.starts_with("id-") && p.id.len() == 19);
        let p = prepare(RawDocument { id: None, text: "نص".into(), ..Default::default() }, 100).unwrap();
        assert_eq!(p.id.len(), 16);
    }

    #[test]
    fn refuses_bad_documents() {
        assert!(matches!(prepare(RawDocument { text: " \n\t".into(), ..Default::default() }, 100), Err(IngestError::Empty)));
        assert!(matches!(prepare(RawDocument { text: "x".repeat(101), ..Default::default() }, 100), Err(IngestError::TooLarge { .. })));
        assert!(matches!(prepare(RawDocument { text: "a\0b".into(), ..Default::default() }, 100), Err(IngestError::Binary)));
        assert!(matches!(prepare(RawDocument { text: "a".into(), publish_date: "yesterday".into(), ..Default::default() }, 100), Err(IngestError::BadDate(_))));
        let ok = prepare(RawDocument { text: "a".into(), publish_date: "2024-07-13T10:00:00Z".into(), ..Default::default() }, 100).unwrap();
        assert_eq!(ok.given.publish_date, "2024-07-13");
    }

    #[test]
    fn partial_dates() {
        for ok in ["2024", "2024-07", "2024-07-13", "XXXX-07-13", "1994-12-05/1994-12-06"] {
            assert!(is_iso_partial_date(ok), "{ok}");
        }
        for bad in ["24", "2024-13", "2024-7-1", "July 2024", "2024-07-32", ""] {
            assert!(!is_iso_partial_date(bad), "{bad}");
        }
    }
}
