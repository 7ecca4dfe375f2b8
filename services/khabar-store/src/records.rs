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
