//! Khabar's store: the only crate that knows keys, indexes and codecs.
//!
//! All of it is written against the narrow ordered key-value interface in [`kv`] (sled by
//! default). The key layout is documented in [`keys`]; values and their codec in [`records`];
//! the write path (one transaction per document, or per batch of documents) in `write.rs`; queries in `read.rs`;
//! consistency checks and rebuilding in `check.rs`; where the keys and bytes go in `stats.rs`.
//!
//! sled 0.34 is beta: everything derived (indexes, entities, events) can be rebuilt from the
//! stored documents with [`Store::reindex`], and the documents themselves from their sources by
//! re-ingesting.

pub mod events;
pub mod keys;
pub mod kv;
pub mod records;

mod check;
mod read;
mod stats;
mod write;

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use khabar_annotate::{Annotations, EventType, Lang};

pub use check::CheckReport;
pub use events::{EventMentionView, EventView};
pub use kv::{Kv, MemKv, SledKv};
pub use read::{DocFilter, EntityFilter, EventFilter, Page, SearchHit};
pub use stats::{StoreStats, TableStats};
pub use records::{Change, ChangeKind, DocBody, DocMeta, EntityRecord, Given, StoredMention};

/// Version of the key layout and codecs. A store written with another version is refused
/// with [`StoreError::Schema`]; rebuild it by re-ingesting the sources.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the database (sled locks its directory to one process).
    #[error("the store at {0} is in use by another process (a running khabar-server?); stop it or ingest through it with --server")]
    Locked(String),
    /// The store was written with another schema version.
    #[error("the store has schema version {found}, this build needs {expected}; re-ingest the sources into a new store")]
    Schema { found: String, expected: u32 },
    /// A stored value could not be decoded.
    #[error("corrupt record: {0}; run `khabar-worker check --repair` or rebuild the store")]
    Corrupt(String),
    /// The backend failed.
    #[error("storage backend error: {0}")]
    Backend(String),
    /// The caller asked for something invalid (bad id, bad cursor).
    #[error("{0}")]
    Invalid(String),
}

/// What happened when a document was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// A new document.
    Created,
    /// Same text, same metadata, same annotator version: nothing written.
    Unchanged,
    /// The id existed with different content or an older annotator: replaced atomically.
    Updated,
}

/// A document to store, already annotated.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub id: String,
    pub text: String,
    pub given: Given,
    pub annotations: Annotations,
    /// Wall-clock time of the write, in milliseconds since the Unix epoch.
    pub now_ms: i64,
}

/// A document with what the store derives from it alone, its text's hash and its encoded
/// body, computed outside any transaction on the caller's thread ([`Store::encode`]). The
/// ingest encodes on its annotating threads so that its single writer only writes.
#[derive(Debug, Clone)]
pub struct EncodedDocument {
    doc: NewDocument,
    sha256: String,
    body: Vec<u8>,
}

impl EncodedDocument {
    /// The document (read-only: the hash and the body were computed from it).
    pub fn doc(&self) -> &NewDocument {
        &self.doc
    }
}

/// Hex SHA-256 of a text.
pub fn content_sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl NewDocument {
    /// The metadata the document will be stored with: what the caller gave wins over what
    /// the text layer found.
    fn meta(&self, create_time_ms: i64, sha256: &str) -> DocMeta {
        let a = &self.annotations;
        let pick = |given: &str, found: &Option<String>| if given.trim().is_empty() { found.clone().unwrap_or_default() } else { given.trim().to_string() };
        let mut events: Vec<&str> = a.events.iter().map(|e| e.id.as_str()).collect();
        events.sort_unstable();
        events.dedup();
        DocMeta {
            id: self.id.clone(),
            lang: a.lang,
            title: pick(&self.given.title, &a.title),
            source_name: pick(&self.given.source_name, &a.source_name),
            source_uri: self.given.source_uri.trim().to_string(),
            publish_date: pick(&self.given.publish_date, &a.publish_date),
            content_sha256: sha256.to_string(),
            annotator_version: a.annotator_version.clone(),
            create_time_ms,
            update_time_ms: self.now_ms,
            char_count: self.text.chars().count() as u32,
            entity_mention_count: a.mentions.len() as u32,
            event_count: events.len() as u32,
            dateline: a.dateline.clone(),
            given: self.given.clone(),
        }
    }
}

/// Makes a document id from what a caller or a file name gives: lowercase ASCII `[a-z0-9_-]`,
/// other characters become '-', runs of '-' collapse, at most 128 characters.
/// Returns `None` when nothing usable is left (the caller then falls back to a content hash).
pub fn sanitize_id(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.trim().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    let out: String = out.chars().take(128).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { None } else { Some(out) }
}

/// True when `id` is a valid stored id (`[a-z0-9_-]`, 1 to 128 characters).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// The store.
#[derive(Clone)]
pub struct Store {
    kv: Arc<dyn Kv>,
    secret: [u8; 32],
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens or creates a sled store in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, None)
    }

    /// [`Store::open`], creating a new store compressed with zstd at level `compression`
    /// (1-22; 0: uncompressed) when it is given; an existing store stays compressed or not as
    /// it was created (see [`SledKv::open_with`]).
    pub fn open_with(dir: &Path, compression: Option<i32>) -> Result<Store, StoreError> {
        kv::check_level(compression)?;
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", dir.display())))?;
        Store::with_backend(Arc::new(SledKv::open_with(dir, compression)?))
    }

    /// True when the backend compresses what it writes.
    pub fn compressed(&self) -> bool {
        self.kv.compresses()
    }

    /// Encodes a document for [`Store::put_encoded`] (no store access: any thread may call it).
    /// Bodies are deflated unless the backend compresses.
    pub fn encode(&self, doc: NewDocument) -> EncodedDocument {
        let (sha256, body) = self.encode_parts(&doc);
        EncodedDocument { doc, sha256, body }
    }

    /// A document's text hash and its body as this store writes it.
    fn encode_parts(&self, doc: &NewDocument) -> (String, Vec<u8>) {
        (content_sha256(&doc.text), records::encode_body_parts(&doc.text, &doc.annotations, !self.kv.compresses()))
    }

    /// Opens a store over any ordered key-value backend.
    pub fn with_backend(kv: Arc<dyn Kv>) -> Result<Store, StoreError> {
        match kv.get(keys::SCHEMA)? {
            Some(v) => {
                let found = String::from_utf8_lossy(&v).to_string();
                if found != SCHEMA_VERSION.to_string() {
                    return Err(StoreError::Schema { found, expected: SCHEMA_VERSION });
                }
            }
            None => {
                let mut seed = [0u8; 32];
                getrandom_fill(&mut seed);
                kv.transact(&|tx| {
                    if tx.get(keys::SCHEMA)?.is_none() {
                        tx.put(keys::SCHEMA, SCHEMA_VERSION.to_string().as_bytes())?;
                        tx.put(keys::SECRET, &seed)?;
                    }
                    Ok(())
                })?;
                kv.flush()?;
            }
        }
        let secret: [u8; 32] = kv.get(keys::SECRET)?.and_then(|v| v.try_into().ok()).ok_or_else(|| StoreError::Corrupt("meta/secret missing".into()))?;
        if kv.get(keys::REINDEXING)?.is_some() {
            tracing::warn!("a reindex was interrupted: indexes may be incomplete; run `khabar-worker reindex --db DIR`");
        }
        Ok(Store { kv, secret })
    }

    /// A per-store secret used to authenticate page tokens.
    pub fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    /// Makes every acknowledged write durable.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.kv.flush()
    }

    /// Bytes on disk.
    pub fn size_on_disk(&self) -> u64 {
        self.kv.size_on_disk()
    }

    /// Number of stored documents.
    pub fn document_count(&self) -> Result<u64, StoreError> {
        Ok(self.kv.get(keys::DOCS)?.and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).unwrap_or(0))
    }

    /// The stored document when one with this id, text hash, caller metadata and annotator
    /// version is already stored (the caller can skip annotating it), in one read.
    pub fn unchanged(&self, id: &str, sha256: &str, given: &Given, annotator_version: &str) -> Result<Option<DocMeta>, StoreError> {
        Ok(self.get_document(id)?.filter(|m| m.content_sha256 == sha256 && &m.given == given && m.annotator_version == annotator_version))
    }

    /// Stores a document atomically with everything derived from it.
    pub fn put_document(&self, doc: &NewDocument) -> Result<(PutOutcome, Vec<Change>), StoreError> {
        Ok(self.put_documents(std::slice::from_ref(doc))?.pop().expect("one result per document"))
    }

    /// Stores several documents in ONE transaction (all of them or none, each with everything
    /// derived from it), in order: a later document with the same id replaces an earlier one.
    /// Batching saves the writes of the keys documents share (entity records, counters) and
    /// the per-transaction cost; the encoding work happens before the transaction.
    pub fn put_documents(&self, docs: &[NewDocument]) -> Result<Vec<(PutOutcome, Vec<Change>)>, StoreError> {
        if let Some(d) = docs.iter().find(|d| !is_valid_id(&d.id)) {
            return Err(StoreError::Invalid(format!("invalid document id {:?}", d.id)));
        }
        // what depends on the new document alone is computed outside the transaction
        let encoded: Vec<(String, Vec<u8>)> = docs.iter().map(|d| self.encode_parts(d)).collect();
        self.put_parts(&docs.iter().zip(&encoded).map(|(d, (sha, body))| (d, sha.as_str(), body.as_slice())).collect::<Vec<_>>())
    }

    /// [`Store::put_document`] of a document encoded beforehand ([`Store::encode`]).
    pub fn put_encoded_document(&self, doc: &EncodedDocument) -> Result<(PutOutcome, Vec<Change>), StoreError> {
        Ok(self.put_encoded(std::slice::from_ref(doc))?.pop().expect("one result per document"))
    }

    /// [`Store::put_documents`] of documents encoded beforehand ([`Store::encode`]).
    pub fn put_encoded(&self, docs: &[EncodedDocument]) -> Result<Vec<(PutOutcome, Vec<Change>)>, StoreError> {
        if let Some(d) = docs.iter().find(|d| !is_valid_id(&d.doc.id)) {
            return Err(StoreError::Invalid(format!("invalid document id {:?}", d.doc.id)));
        }
        self.put_parts(&docs.iter().map(|d| (&d.doc, d.sha256.as_str(), d.body.as_slice())).collect::<Vec<_>>())
    }

    /// The transaction of [`Store::put_documents`]: each document with its text's hash and its
    /// encoded body.
    fn put_parts(&self, docs: &[(&NewDocument, &str, &[u8])]) -> Result<Vec<(PutOutcome, Vec<Change>)>, StoreError> {
        let result = RefCell::new(Vec::new());
        self.kv.transact(&|tx| {
            let mut out = Vec::with_capacity(docs.len());
            let mut created = 0;
            for &(doc, sha, body) in docs {
                let r = put_one(tx, doc, sha, body)?;
                created += (r.0 == PutOutcome::Created) as i64;
                out.push(r);
            }
            if created > 0 {
                write::add_u64(tx, keys::DOCS, created)?;
            }
            *result.borrow_mut() = out;
            Ok(())
        })?;
        Ok(result.into_inner())
    }

    /// Removes a document and everything derived from it. Returns false when it did not exist.
    pub fn delete_document(&self, id: &str) -> Result<bool, StoreError> {
        let found = RefCell::new(false);
        let (dkey, bkey) = (keys::doc(id), keys::body(id));
        self.kv.transact(&|tx| {
            let (Some(m), Some(b)) = (tx.get(&dkey)?, tx.get(&bkey)?) else {
                *found.borrow_mut() = false;
                return Ok(());
            };
            let meta: DocMeta = records::decode(&m, "document")?;
            let body: DocBody = records::decode_body(&b)?;
            write::apply(tx, id, Some(&write::DocState::new(&meta, &body)), None)?;
            tx.delete(&dkey)?;
            tx.delete(&bkey)?;
            write::add_u64(tx, keys::DOCS, -1)?;
            *found.borrow_mut() = true;
            Ok(())
        })?;
        Ok(found.into_inner())
    }
}

/// Writes one document inside a transaction: `sha` is its text's hash and `body` its encoded body.
fn put_one(tx: &mut dyn kv::KvTxn, doc: &NewDocument, sha: &str, body: &[u8]) -> Result<(PutOutcome, Vec<Change>), kv::TxnError> {
    let dkey = keys::doc(&doc.id);
    let old_meta: Option<DocMeta> = match tx.get(&dkey)? {
        Some(b) => Some(records::decode(&b, "document")?),
        None => None,
    };
    if let Some(m) = &old_meta
        && m.content_sha256 == sha
        && m.given == doc.given
        && m.annotator_version == doc.annotations.annotator_version
    {
        return Ok((PutOutcome::Unchanged, Vec::new()));
    }
    let bkey = keys::body(&doc.id);
    let old_body: Option<DocBody> = match (&old_meta, tx.get(&bkey)?) {
        (Some(_), Some(b)) => Some(records::decode_body(&b)?),
        _ => None,
    };
    let meta = doc.meta(old_meta.as_ref().map_or(doc.now_ms, |m| m.create_time_ms), sha);
    let old_state = match (&old_meta, &old_body) {
        (Some(m), Some(b)) => Some(write::DocState::new(m, b)),
        _ => None,
    };
    let new_state = write::DocState { meta: &meta, text: &doc.text, ann: &doc.annotations };
    let changes = write::apply(tx, &doc.id, old_state.as_ref(), Some(&new_state))?;
    tx.put(&dkey, &records::encode(&meta))?;
    tx.put(&bkey, body)?;
    Ok((if old_meta.is_some() { PutOutcome::Updated } else { PutOutcome::Created }, changes))
}

/// Seeds the page-token secret from the OS (no extra dependency: /dev/urandom, falling back to
/// time and address entropy where it does not exist).
fn getrandom_fill(buf: &mut [u8; 32]) {
    use std::io::Read;
    if let Ok(mut f) = std::fs::File::open("/dev/urandom")
        && f.read_exact(buf).is_ok()
    {
        return;
    }
    use sha2::{Digest, Sha256};
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let h = Sha256::digest(format!("{t}:{:p}:{}", buf as *const _, std::process::id()).as_bytes());
    buf.copy_from_slice(&h);
}

/// Parses a filter value for an event type ("ATTACK", "EVENT_TYPE_ATTACK").
pub fn parse_event_type(s: &str) -> Option<EventType> {
    EventType::parse(s.trim_start_matches("EVENT_TYPE_"))
}

/// Parses a language filter value.
pub fn parse_lang(s: &str) -> Option<Lang> {
    Lang::from_code(s)
}
