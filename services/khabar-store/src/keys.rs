//! Every key the store writes. One keyspace, one prefix per table; ids are `[a-z0-9_-]`
//! so '/' is a safe separator.
//!
//! | prefix | key | value | what |
//! |---|---|---|---|
//! | `meta/` | `meta/schema`, `meta/secret`, `meta/seq`, `meta/docs`, `meta/reindexing` | | schema version, page-token key, change sequence, document count, interrupted-reindex flag |
//! | `d/` | `d/{doc}` | `DocMeta` | document metadata and counts (BASIC view) |
//! | `b/` | `b/{doc}` | `DocBody` | text and annotations (FULL view) |
//! | `il/` | `il/{lang}/{doc}` | empty | documents by language |
//! | `is/` | `is/{sha(source)}/{doc}` | empty | documents by source name |
//! | `ip/` | `ip/{date}/{doc}` | empty | documents by publication date |
//! | `e/` | `e/{ent}` | `EntityRecord` | entity and its counts |
//! | `it/` | `it/{TYPE}/{ent}` | empty | entities by type |
//! | `im/` | `im/{ent}/{doc}` | `Vec<u32>` | mentions of an entity in a document: their indexes in the document's mention list (the mentions and their texts are read from the body) |
//! | `ia/` | `ia/{normalised alias}\0{ent}` | empty | alias search |
//! | `v/` | `v/{evt}` | `EventRecord` | event with every report of it |
//! | `jt/` | `jt/{TYPE}/{end}/{evt}` | empty | events by type, then time (end of interval) |
//! | `jm/` | `jm/{end}/{evt}` | empty | events by time (end of interval) |
//! | `jp/` | `jp/{ent}/{evt}` | empty | events by participant |
//! | `jl/` | `jl/{ent}/{evt}` | empty | events by place |
//! | `c/` | `c/{seq:016x}` | `Change` | event change log (WatchEvents) |
//!
//! The entities and the events of one document have no index of their own: the document's body
//! lists them (ListEntities and ListEvents filtered by document read it; their page cursors are
//! `ie/{doc}/{ent}` and `jd/{doc}/{evt}`, keys that are never written).

use sha2::{Digest, Sha256};

pub const SCHEMA: &[u8] = b"meta/schema";
pub const SECRET: &[u8] = b"meta/secret";
pub const SEQ: &[u8] = b"meta/seq";
pub const DOCS: &[u8] = b"meta/docs";
pub const REINDEXING: &[u8] = b"meta/reindexing";

/// Prefixes of the tables derived from documents (rebuilt by reindex).
pub const DERIVED: &[&str] = &["il/", "is/", "ip/", "e/", "it/", "im/", "ia/", "v/", "jt/", "jm/", "jp/", "jl/"];

/// The first key after every key starting with `prefix`.
pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0xff; 8]
}

fn k(parts: &[&str]) -> Vec<u8> {
    parts.concat().into_bytes()
}

pub fn doc(id: &str) -> Vec<u8> {
    k(&["d/", id])
}
/// Prefix of the document bodies.
pub const BODIES: &str = "b/";
pub fn body(id: &str) -> Vec<u8> {
    k(&[BODIES, id])
}
pub fn doc_by_lang(lang: &str, id: &str) -> Vec<u8> {
    k(&["il/", lang, "/", id])
}
pub fn doc_by_lang_prefix(lang: &str) -> Vec<u8> {
    k(&["il/", lang, "/"])
}
/// Source names are free text: the index uses a hash of the trimmed, case-folded name.
pub fn source_hash(source: &str) -> String {
    let folded = khabar_annotate::text::normalize(source.trim());
    hex::encode(&Sha256::digest(folded.as_bytes())[..8])
}
pub fn doc_by_source(source: &str, id: &str) -> Vec<u8> {
    k(&["is/", &source_hash(source), "/", id])
}
pub fn doc_by_source_prefix(source: &str) -> Vec<u8> {
    k(&["is/", &source_hash(source), "/"])
}
pub fn doc_by_date(date: &str, id: &str) -> Vec<u8> {
    k(&["ip/", date, "/", id])
}
pub fn entity(id: &str) -> Vec<u8> {
    k(&["e/", id])
}
pub fn entity_by_type(t: &str, id: &str) -> Vec<u8> {
    k(&["it/", t, "/", id])
}
/// Page cursor prefix of the entities of a document (no such keys are written).
pub fn doc_entity_prefix(doc: &str) -> String {
    ["ie/", doc, "/"].concat()
}
pub fn mention(ent: &str, doc: &str) -> Vec<u8> {
    k(&["im/", ent, "/", doc])
}
pub fn mention_prefix(ent: &str) -> Vec<u8> {
    k(&["im/", ent, "/"])
}
pub fn alias(norm: &str, ent: &str) -> Vec<u8> {
    let mut v = k(&["ia/", norm]);
    v.push(0);
    v.extend_from_slice(ent.as_bytes());
    v
}
pub fn event(id: &str) -> Vec<u8> {
    k(&["v/", id])
}
pub fn event_by_type(t: &str, end: &str, id: &str) -> Vec<u8> {
    k(&["jt/", t, "/", end, "/", id])
}
pub fn event_by_time(end: &str, id: &str) -> Vec<u8> {
    k(&["jm/", end, "/", id])
}
/// Page cursor prefix of the events of a document (no such keys are written).
pub fn doc_event_prefix(doc: &str) -> String {
    ["jd/", doc, "/"].concat()
}
pub fn event_by_participant(ent: &str, id: &str) -> Vec<u8> {
    k(&["jp/", ent, "/", id])
}
pub fn event_by_place(ent: &str, id: &str) -> Vec<u8> {
    k(&["jl/", ent, "/", id])
}
pub fn change(seq: u64) -> Vec<u8> {
    k(&["c/", &format!("{seq:016x}")])
}

/// The last '/'-separated component of a key (the id of index keys).
pub fn last_component(key: &[u8]) -> &str {
    let s = std::str::from_utf8(key).unwrap_or("");
    s.rsplit('/').next().unwrap_or("")
}
