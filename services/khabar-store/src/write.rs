//! Writing one document: every key it touches (document, body, indexes, entity counts,
//! mention index, merged events, change log) changes in ONE transaction, so after a crash a
//! document is either fully present and indexed or absent.
//!
//! Replacing a document removes its old contributions and adds the new ones in the same
//! transaction; the derived state is a function of the set of stored documents, not of the order
//! they arrived in.

use std::collections::{BTreeMap, BTreeSet};

use khabar_annotate::{text::normalize, Annotations, EntityInfo, Origin};

use crate::events::{index_time_end, merge, EventView};
use crate::keys;
use crate::kv::{KvTxn, TxnError};
use crate::records::{decode, encode, Change, ChangeKind, DocBody, DocMeta, EntityRecord, EventRecord, StoredReport};
use crate::StoreError;

/// A stored document as the write path sees it.
pub(crate) struct DocState<'a> {
    pub meta: &'a DocMeta,
    pub text: &'a str,
    pub ann: &'a Annotations,
}

impl<'a> DocState<'a> {
    pub fn new(meta: &'a DocMeta, body: &'a DocBody) -> DocState<'a> {
        DocState { meta, text: &body.text, ann: &body.annotations }
    }
}

/// Keys of the document indexes (language, source, date).
fn doc_index_keys(meta: &DocMeta) -> BTreeSet<Vec<u8>> {
    let mut keys = BTreeSet::new();
    keys.insert(keys::doc_by_lang(meta.lang.code(), &meta.id));
    if !meta.source_name.trim().is_empty() {
        keys.insert(keys::doc_by_source(&meta.source_name, &meta.id));
    }
    if meta.publish_date.as_bytes().first().is_some_and(|b| b.is_ascii_digit() || *b == b'X') {
        keys.insert(keys::doc_by_date(&meta.publish_date, &meta.id));
    }
    keys
}

/// Mentions per linked entity in a document.
fn entity_counts(ann: &Annotations) -> BTreeMap<&str, u32> {
    let mut m = BTreeMap::new();
    for x in &ann.mentions {
        if let Some(e) = &x.entity {
            *m.entry(e.as_str()).or_insert(0) += 1;
        }
    }
    m
}

/// Mention index entries of a document: per linked entity, the indexes of its mentions.
fn mention_entries(meta: &DocMeta, ann: &Annotations) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut by_entity: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (i, m) in ann.mentions.iter().enumerate() {
        if let Some(e) = &m.entity {
            by_entity.entry(e.as_str()).or_default().push(i as u32);
        }
    }
    by_entity.into_iter().map(|(e, ix)| (keys::mention(e, &meta.id), encode(&ix))).collect()
}

pub(crate) fn slice(chars: &[char], start: u32, end: u32) -> String {
    let (s, e) = ((start as usize).min(chars.len()), (end as usize).min(chars.len()));
    chars[s..e.max(s)].iter().collect()
}

/// Index keys of a merged event.
pub(crate) fn event_index_keys(v: &EventView) -> BTreeSet<Vec<u8>> {
    let end = index_time_end(v);
    let mut k = BTreeSet::new();
    k.insert(keys::event_by_type(v.etype.as_str(), &end, &v.id));
    if !end.is_empty() {
        k.insert(keys::event_by_time(&end, &v.id));
    }
    for p in &v.participants {
        k.insert(keys::event_by_participant(&p.entity, &v.id));
    }
    if let Some(e) = v.place.as_ref().and_then(|p| p.entity.as_ref()) {
        k.insert(keys::event_by_place(e, &v.id));
    }
    k
}

/// Normalised names under which an entity is found by search.
pub(crate) fn alias_forms(info: &EntityInfo) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    for n in std::iter::once(&info.display_name).chain(info.labels.values()).chain(info.aliases.iter()) {
        let f = normalize(n);
        if !f.is_empty() && f.len() <= 200 {
            s.insert(f);
        }
    }
    s
}

/// Most aliases kept for an entity found in text only (the smallest, in code-point order).
pub const MAX_TEXT_ALIASES: usize = 64;

/// Merges what a new document says about an entity into the stored info. The merge is
/// commutative and associative, so the stored info is a function of the SET of documents (the
/// order of ingestion and of parallel workers does not matter, and `check` can replay it):
/// knowledge-base info is the same from every document and wins over text-only info; for
/// entities found in text only, every field is a lattice join: the smallest display name, per
/// language the smallest label, the smallest non-empty subtype, wikidata id and related entity,
/// the first origin in `Origin`'s order, and as aliases the smallest [`MAX_TEXT_ALIASES`] names
/// seen (display names included), less the display name.
/// Returns the info as it was when the merge changed it.
fn merge_info(stored: &mut EntityInfo, new: &EntityInfo) -> Option<EntityInfo> {
    if stored.origin == Origin::KnowledgeBase {
        return None; // the same from every document
    }
    let before = stored.clone();
    if new.origin == Origin::KnowledgeBase {
        *stored = new.clone();
    } else {
        let mut names: BTreeSet<String> = stored.aliases.iter().chain(&new.aliases).cloned().collect();
        names.insert(stored.display_name.clone());
        names.insert(new.display_name.clone());
        if new.display_name < stored.display_name {
            stored.display_name = new.display_name.clone();
        }
        // the smallest names first, then the display name out: exact under any merge order
        // (the stored aliases plus the display name always hold the smallest names seen)
        stored.aliases = names.into_iter().take(MAX_TEXT_ALIASES).filter(|n| *n != stored.display_name).collect();
        for (k, v) in &new.labels {
            let e = stored.labels.entry(k.clone()).or_insert_with(|| v.clone());
            if v < e {
                *e = v.clone();
            }
        }
        let min_non_empty = |a: &mut String, b: &String| {
            if !b.is_empty() && (a.is_empty() || b < a) {
                *a = b.clone();
            }
        };
        min_non_empty(&mut stored.subtype, &new.subtype);
        min_non_empty(&mut stored.wikidata, &new.wikidata);
        min_non_empty(&mut stored.source, &new.source);
        if new.related.is_some() && (stored.related.is_none() || new.related < stored.related) {
            stored.related = new.related.clone();
        }
        stored.origin = stored.origin.min(new.origin);
        stored.etype = stored.etype.min(new.etype);
    }
    (*stored != before).then_some(before)
}

fn get<T: serde::de::DeserializeOwned>(tx: &mut dyn KvTxn, key: &[u8], what: &str) -> Result<Option<T>, TxnError> {
    match tx.get(key)? {
        Some(b) => Ok(Some(decode(&b, what)?)),
        None => Ok(None),
    }
}

fn get_u64(tx: &mut dyn KvTxn, key: &[u8]) -> Result<u64, TxnError> {
    Ok(match tx.get(key)? {
        Some(b) if b.len() == 8 => u64::from_be_bytes(b.try_into().expect("8 bytes")),
        Some(_) => return Err(StoreError::Corrupt(format!("{}: not a counter", String::from_utf8_lossy(key))).into()),
        None => 0,
    })
}

pub(crate) fn add_u64(tx: &mut dyn KvTxn, key: &[u8], delta: i64) -> Result<u64, TxnError> {
    let v = (get_u64(tx, key)? as i64 + delta).max(0) as u64;
    tx.put(key, &v.to_be_bytes())?;
    Ok(v)
}

/// Applies the change from `old` to `new` (either may be absent) of document `id` to every
/// derived table. Returns the event changes it recorded.
pub(crate) fn apply(tx: &mut dyn KvTxn, id: &str, old: Option<&DocState<'_>>, new: Option<&DocState<'_>>) -> Result<Vec<Change>, TxnError> {
    // ---- document indexes
    let old_keys = old.map(|d| doc_index_keys(d.meta)).unwrap_or_default();
    let new_keys = new.map(|d| doc_index_keys(d.meta)).unwrap_or_default();
    for k in old_keys.difference(&new_keys) {
        tx.delete(k)?;
    }
    for k in new_keys.difference(&old_keys) {
        tx.put(k, b"")?;
    }

    // ---- mention index
    let old_m = old.map(|d| mention_entries(d.meta, d.ann)).unwrap_or_default();
    let new_m = new.map(|d| mention_entries(d.meta, d.ann)).unwrap_or_default();
    for k in old_m.keys() {
        if !new_m.contains_key(k) {
            tx.delete(k)?;
        }
    }
    for (k, v) in &new_m {
        if old_m.get(k) != Some(v) {
            tx.put(k, v)?;
        }
    }

    // ---- entities: counts, per-document index, type and alias indexes
    let old_c = old.map(|d| entity_counts(d.ann)).unwrap_or_default();
    let new_c = new.map(|d| entity_counts(d.ann)).unwrap_or_default();
    let new_info: BTreeMap<&str, &EntityInfo> = new.map(|d| d.ann.entities.iter().map(|e| (e.id.as_str(), e)).collect()).unwrap_or_default();
    let ents: BTreeSet<&str> = old_c.keys().chain(new_c.keys()).copied().collect();
    for ent in ents {
        let (o, n) = (old_c.get(ent).copied().unwrap_or(0), new_c.get(ent).copied().unwrap_or(0));
        if o == n && !new_info.contains_key(ent) {
            continue;
        }
        let ekey = keys::entity(ent);
        let stored: Option<EntityRecord> = get(tx, &ekey, "entity")?;
        let dm = n as i64 - o as i64;
        let dd = (n > 0) as i64 - (o > 0) as i64;
        match stored {
            None => {
                if n == 0 {
                    continue;
                }
                let Some(info) = new_info.get(ent) else {
                    return Err(StoreError::Corrupt(format!("mention of entity {ent} without entity info")).into());
                };
                let mut rec = EntityRecord { info: (*info).clone(), mention_count: n as u64, document_count: 1 };
                merge_info(&mut rec.info, info); // the canonical form a merge would give

                tx.put(&ekey, &encode(&rec))?;
                tx.put(&keys::entity_by_type(rec.info.etype.as_str(), ent), b"")?;
                for a in alias_forms(&rec.info) {
                    tx.put(&keys::alias(&a, ent), b"")?;
                }
            }
            Some(mut rec) => {
                rec.mention_count = (rec.mention_count as i64 + dm).max(0) as u64;
                rec.document_count = (rec.document_count as i64 + dd).max(0) as u64;
                if rec.mention_count == 0 || rec.document_count == 0 {
                    tx.delete(&ekey)?;
                    tx.delete(&keys::entity_by_type(rec.info.etype.as_str(), ent))?;
                    for a in alias_forms(&rec.info) {
                        tx.delete(&keys::alias(&a, ent))?;
                    }
                    continue;
                }
                if let Some(info) = new_info.get(ent) {
                    if let Some(old_info) = merge_info(&mut rec.info, info) {
                        let old_type = old_info.etype;
                        let before = alias_forms(&old_info);
                        let after = alias_forms(&rec.info);
                        for a in before.difference(&after) {
                            tx.delete(&keys::alias(a, ent))?;
                        }
                        for a in after.difference(&before) {
                            tx.put(&keys::alias(a, ent), b"")?;
                        }
                        if old_type != rec.info.etype {
                            tx.delete(&keys::entity_by_type(old_type.as_str(), ent))?;
                            tx.put(&keys::entity_by_type(rec.info.etype.as_str(), ent), b"")?;
                        }
                    }
                }
                tx.put(&ekey, &encode(&rec))?;
            }
        }
    }

    // ---- events: merge this document's reports into the stored events
    let reports_of = |d: Option<&DocState<'_>>| -> BTreeMap<String, Vec<StoredReport>> {
        let mut m: BTreeMap<String, Vec<StoredReport>> = BTreeMap::new();
        if let Some(d) = d {
            let chars: Vec<char> = d.text.chars().collect();
            for r in &d.ann.events {
                m.entry(r.id.clone()).or_default().push(StoredReport {
                    document: id.to_string(),
                    report: r.clone(),
                    trigger_text: slice(&chars, r.trigger.start, r.trigger.end),
                    evidence_text: slice(&chars, r.evidence.start, r.evidence.end),
                });
            }
        }
        m
    };
    let old_r = reports_of(old);
    let new_r = reports_of(new);
    let ids: BTreeSet<&String> = old_r.keys().chain(new_r.keys()).collect();
    let mut changes = Vec::new();
    for eid in ids {
        if old_r.get(eid) == new_r.get(eid) {
            continue;
        }
        let vkey = keys::event(eid);
        let mut rec: EventRecord = get(tx, &vkey, "event")?.unwrap_or_else(|| EventRecord { id: eid.clone(), reports: Vec::new() });
        let before = merge(&rec);
        rec.reports.retain(|r| r.document != id);
        rec.reports.extend(new_r.get(eid).into_iter().flatten().cloned());
        rec.reports.sort_by(|a, b| (&a.document, a.report.trigger, a.report.evidence).cmp(&(&b.document, b.report.trigger, b.report.evidence)));
        let after = merge(&rec);
        let kb = before.as_ref().map(event_index_keys).unwrap_or_default();
        let ka = after.as_ref().map(event_index_keys).unwrap_or_default();
        for k in kb.difference(&ka) {
            tx.delete(k)?;
        }
        for k in ka.difference(&kb) {
            tx.put(k, b"")?;
        }
        let kind = match (&before, &after) {
            (None, Some(_)) => ChangeKind::Created,
            (Some(_), None) => ChangeKind::Deleted,
            (Some(a), Some(b)) if a == b => {
                // same merged view: only the stored reports changed order-insensitively
                tx.put(&vkey, &encode(&rec))?;
                continue;
            }
            _ => ChangeKind::Updated,
        };
        if rec.reports.is_empty() {
            tx.delete(&vkey)?;
        } else {
            tx.put(&vkey, &encode(&rec))?;
        }
        let seq = add_u64(tx, keys::SEQ, 1)?;
        let ch = Change { seq, event: eid.clone(), kind };
        tx.put(&keys::change(seq), &encode(&ch))?;
        changes.push(ch);
    }
    Ok(changes)
}
