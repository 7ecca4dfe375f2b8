//! Queries. Every list is served from an index: the most selective index a filter allows drives
//! the scan and the other clauses are checked on the records it yields. A call examines a
//! bounded number of index entries; when it stops early it returns a cursor and the caller gets
//! a short page with a next-page token (AIP-158 allows that).

use std::collections::BTreeSet;

use khabar_annotate::{text::normalize, EntityType, EventType, Lang, Mention, Realis};

use crate::events::{interval, merge, EventView};
use crate::keys::{self, prefix_end};
use crate::records::{decode, Change, DocBody, DocMeta, EntityRecord, EventRecord, StoredMention};
use crate::{Store, StoreError};

/// At most this many index entries are examined per call.
const MAX_EXAMINED: usize = 20_000;

/// One page of results; `next` is the cursor to continue from, `None` at the end.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Vec<u8>>,
}

/// Filter of ListDocuments.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DocFilter {
    pub lang: Option<Lang>,
    pub source: Option<String>,
    /// Inclusive bounds on the publication date (ISO-8601, partial precision allowed).
    pub date_from: Option<String>,
    pub date_to: Option<String>,
}

/// Filter of ListEntities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EntityFilter {
    pub etype: Option<EntityType>,
    pub document: Option<String>,
}

/// Filter of ListEvents and WatchEvents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EventFilter {
    pub etype: Option<EventType>,
    pub document: Option<String>,
    pub participant: Option<String>,
    pub place: Option<String>,
    /// Inclusive bounds: an event matches when its time interval overlaps [from, to].
    pub time_from: Option<String>,
    pub time_to: Option<String>,
    pub realis: Option<Realis>,
}

/// A search result.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub entity: EntityRecord,
    /// True when the query equals a whole name (after normalisation), false for a prefix match.
    pub exact: bool,
}

fn overlaps(value: &str, from: Option<&str>, to: Option<&str>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some((lo, hi)) = interval(value) else { return false };
    let from = from.and_then(|f| interval(f)).map(|(a, _)| a);
    let to = to.and_then(|t| interval(t)).map(|(_, b)| b);
    from.is_none_or(|f| hi >= f) && to.is_none_or(|t| lo <= t)
}

impl EventFilter {
    /// True when the merged event satisfies every clause.
    pub fn matches(&self, v: &EventView) -> bool {
        self.etype.is_none_or(|t| v.etype == t)
            && self.document.as_ref().is_none_or(|d| v.mentions.iter().any(|m| &m.document == d))
            && self.participant.as_ref().is_none_or(|p| v.participants.iter().any(|q| &q.entity == p))
            && self.place.as_ref().is_none_or(|p| v.place.as_ref().and_then(|x| x.entity.as_ref()) == Some(p))
            && ((self.time_from.is_none() && self.time_to.is_none())
                || v.time.as_ref().is_some_and(|t| overlaps(&t.value, self.time_from.as_deref(), self.time_to.as_deref())))
            && self.realis.is_none_or(|r| v.realis == r)
    }
}

impl DocFilter {
    fn matches(&self, m: &DocMeta) -> bool {
        self.lang.is_none_or(|l| m.lang == l)
            && self.source.as_ref().is_none_or(|s| keys::source_hash(s) == keys::source_hash(&m.source_name))
            && ((self.date_from.is_none() && self.date_to.is_none()) || overlaps(&m.publish_date, self.date_from.as_deref(), self.date_to.as_deref()))
    }
}

/// Pages through `ids` (a document's entities or events, from its body) as if they were index
/// keys `{prefix}{id}`: the cursor is the key of the last id examined.
fn page_ids<T>(
    prefix: &str,
    ids: BTreeSet<&str>,
    after: Option<&[u8]>,
    limit: usize,
    mut f: impl FnMut(&str) -> Result<Option<T>, StoreError>,
) -> Result<Page<T>, StoreError> {
    let after = match after {
        None => None,
        Some(a) => match a.strip_prefix(prefix.as_bytes()).map(std::str::from_utf8) {
            Some(Ok(id)) if !id.is_empty() => Some(id),
            _ => return Err(StoreError::Invalid("page token does not belong to this query".into())),
        },
    };
    let mut items = Vec::new();
    let mut rest = ids.into_iter().filter(|id| after.is_none_or(|a| *id > a)).peekable();
    while let Some(id) = rest.next() {
        if let Some(t) = f(id)? {
            items.push(t);
            if items.len() >= limit {
                let next = rest.peek().is_some().then(|| format!("{prefix}{id}").into_bytes());
                return Ok(Page { items, next });
            }
        }
    }
    Ok(Page { items, next: None })
}

/// The range a driving index covers, and where the scan starts.
struct Range {
    from: Vec<u8>,
    to: Vec<u8>,
}

impl Range {
    fn prefix(p: Vec<u8>) -> Range {
        let to = prefix_end(&p);
        Range { from: p, to }
    }
}

impl Store {
    /// Scans `range` from `after` (exclusive) and maps each key with `f` until `limit` items are
    /// collected or the examination budget is spent.
    fn scan_page<T>(
        &self,
        range: &Range,
        after: Option<&[u8]>,
        limit: usize,
        mut f: impl FnMut(&[u8], &[u8]) -> Result<Option<T>, StoreError>,
    ) -> Result<Page<T>, StoreError> {
        if let Some(a) = after
            && (a < range.from.as_slice() || a >= range.to.as_slice())
        {
            return Err(StoreError::Invalid("page token does not belong to this query".into()));
        }
        let mut items = Vec::new();
        let mut cursor: Vec<u8> = after.map(|a| a.to_vec()).unwrap_or_else(|| range.from.clone());
        let mut exclusive = after.is_some();
        let mut examined = 0usize;
        loop {
            let batch = self.kv.scan(&cursor, exclusive, &range.to, 256.min(limit.max(16) * 2))?;
            if batch.is_empty() {
                return Ok(Page { items, next: None });
            }
            for (k, v) in &batch {
                examined += 1;
                cursor = k.clone();
                exclusive = true;
                if let Some(t) = f(k, v)? {
                    items.push(t);
                    if items.len() >= limit {
                        // more only if another key exists after the cursor
                        let more = !self.kv.scan(&cursor, true, &range.to, 1)?.is_empty();
                        return Ok(Page { items, next: more.then_some(cursor) });
                    }
                }
                if examined >= MAX_EXAMINED {
                    let more = !self.kv.scan(&cursor, true, &range.to, 1)?.is_empty();
                    return Ok(Page { items, next: more.then_some(cursor) });
                }
            }
        }
    }

    // ---------------------------------------------------------------- documents

    /// A document's metadata.
    pub fn get_document(&self, id: &str) -> Result<Option<DocMeta>, StoreError> {
        self.kv.get(&keys::doc(id))?.map(|b| decode(&b, "document")).transpose()
    }

    /// A document's text and annotations.
    pub fn get_body(&self, id: &str) -> Result<Option<DocBody>, StoreError> {
        self.kv.get(&keys::body(id))?.map(|b| crate::records::decode_body(&b)).transpose()
    }

    /// Lists documents in id order within the driving index.
    pub fn list_documents(&self, f: &DocFilter, after: Option<&[u8]>, limit: usize) -> Result<Page<DocMeta>, StoreError> {
        let (range, direct) = if let Some(l) = f.lang {
            (Range::prefix(keys::doc_by_lang_prefix(l.code())), false)
        } else if let Some(s) = &f.source {
            (Range::prefix(keys::doc_by_source_prefix(s)), false)
        } else if f.date_from.is_some() || f.date_to.is_some() {
            let from = f.date_from.as_deref().map(|d| format!("ip/{}", d.chars().take(4).collect::<String>()).into_bytes()).unwrap_or_else(|| b"ip/".to_vec());
            let to = f.date_to.as_deref().map(|d| prefix_end(format!("ip/{d}").as_bytes())).unwrap_or_else(|| prefix_end(b"ip/"));
            (Range { from, to }, false)
        } else {
            (Range::prefix(b"d/".to_vec()), true)
        };
        self.scan_page(&range, after, limit, |k, v| {
            let meta: DocMeta = if direct {
                decode(v, "document")?
            } else {
                match self.get_document(keys::last_component(k))? {
                    Some(m) => m,
                    None => return Ok(None),
                }
            };
            Ok(f.matches(&meta).then_some(meta))
        })
    }

    /// Mentions of a document in text order, from index `after` (exclusive).
    pub fn list_document_mentions(&self, doc: &str, after: Option<usize>, limit: usize) -> Result<Option<(Vec<(usize, StoredMention)>, bool)>, StoreError> {
        let Some(body) = self.get_body(doc)? else { return Ok(None) };
        let chars: Vec<char> = body.text.chars().collect();
        let start = after.map_or(0, |a| a + 1);
        let ms: &[Mention] = &body.annotations.mentions;
        let items: Vec<(usize, StoredMention)> = ms
            .iter()
            .enumerate()
            .skip(start)
            .take(limit)
            .map(|(i, m)| (i, StoredMention { document: doc.to_string(), mention: m.clone(), text: crate::write::slice(&chars, m.span.start, m.span.end) }))
            .collect();
        let more = start + items.len() < ms.len();
        Ok(Some((items, more)))
    }

    // ---------------------------------------------------------------- entities

    /// One entity with its counts.
    pub fn get_entity(&self, id: &str) -> Result<Option<EntityRecord>, StoreError> {
        self.kv.get(&keys::entity(id))?.map(|b| decode(&b, "entity")).transpose()
    }

    /// Lists entities in id order within the driving index.
    pub fn list_entities(&self, f: &EntityFilter, after: Option<&[u8]>, limit: usize) -> Result<Page<EntityRecord>, StoreError> {
        let keep = |rec: EntityRecord| f.etype.is_none_or(|t| rec.info.etype == t).then_some(rec);
        if let Some(d) = &f.document {
            let body = self.get_body(d)?;
            let ids: BTreeSet<&str> = body.iter().flat_map(|b| b.annotations.mentions.iter().filter_map(|m| m.entity.as_deref())).collect();
            return page_ids(&keys::doc_entity_prefix(d), ids, after, limit, |id| Ok(self.get_entity(id)?.and_then(keep)));
        }
        let (range, direct) = if let Some(t) = f.etype {
            (Range::prefix(format!("it/{}/", t.as_str()).into_bytes()), false)
        } else {
            (Range::prefix(b"e/".to_vec()), true)
        };
        self.scan_page(&range, after, limit, |k, v| {
            let rec: EntityRecord = if direct {
                decode(v, "entity")?
            } else {
                match self.get_entity(keys::last_component(k))? {
                    Some(r) => r,
                    None => return Ok(None),
                }
            };
            Ok(keep(rec))
        })
    }

    /// Mentions of an entity across documents (by document id, then text order). The index
    /// gives, per document, the indexes of the entity's mentions; the mentions and their texts
    /// come from the document's body. The cursor is the index key of the last document read,
    /// a NUL byte and the big-endian index of the last mention returned from it.
    pub fn list_entity_mentions(&self, ent: &str, after: Option<&[u8]>, limit: usize) -> Result<Page<StoredMention>, StoreError> {
        let range = Range::prefix(keys::mention_prefix(ent));
        let (from, skip_upto) = match after {
            None => (range.from.clone(), None),
            Some(c) => {
                let bad = || StoreError::Invalid("page token does not belong to this query".into());
                let (key, tail) = c.split_at_checked(c.len().checked_sub(5).ok_or_else(bad)?).ok_or_else(bad)?;
                if tail[0] != 0 || key.len() <= range.from.len() || !key.starts_with(&range.from) || key >= range.to.as_slice() {
                    return Err(bad());
                }
                (key.to_vec(), Some((key.to_vec(), u32::from_be_bytes(tail[1..].try_into().expect("4 bytes")))))
            }
        };
        let cursor_of = |key: &[u8], i: u32| [key, &[0], &i.to_be_bytes()].concat();
        let mut items = Vec::new();
        let (mut cursor, mut exclusive, mut examined) = (from, false, 0usize);
        loop {
            let batch = self.kv.scan(&cursor, exclusive, &range.to, 64)?;
            let Some((last, _)) = batch.last() else { return Ok(Page { items, next: None }) };
            let last = last.clone();
            for (n, (k, v)) in batch.iter().enumerate() {
                examined += 1;
                let doc = &k[range.from.len()..];
                let doc = std::str::from_utf8(doc).map_err(|_| StoreError::Corrupt("mention index key is not UTF-8".into()))?;
                let mut ix: Vec<u32> = decode(v, "mention index")?;
                if let Some((key, upto)) = &skip_upto
                    && key == k
                {
                    ix.retain(|i| i > upto);
                }
                let more_keys = |s: &Store| -> Result<bool, StoreError> { Ok(n + 1 < batch.len() || !s.kv.scan(&last, true, &range.to, 1)?.is_empty()) };
                if !ix.is_empty()
                    && let Some(body) = self.get_body(doc)?
                {
                    let chars: Vec<char> = body.text.chars().collect();
                    for (j, &i) in ix.iter().enumerate() {
                        // (the index and the body are two reads: a document replaced in between
                        // must not lend another entity's mention)
                        let Some(m) = body.annotations.mentions.get(i as usize).filter(|m| m.entity.as_deref() == Some(ent)) else { continue };
                        items.push(StoredMention { document: doc.to_string(), mention: m.clone(), text: crate::write::slice(&chars, m.span.start, m.span.end) });
                        if items.len() >= limit {
                            let more = j + 1 < ix.len() || more_keys(self)?;
                            return Ok(Page { items, next: more.then(|| cursor_of(k, i)) });
                        }
                    }
                }
                if examined >= MAX_EXAMINED {
                    let more = more_keys(self)?;
                    return Ok(Page { items, next: more.then(|| cursor_of(k, u32::MAX)) });
                }
            }
            cursor = last;
            exclusive = true;
        }
    }

    /// Entities whose normalised name or alias equals or starts with the normalised query.
    pub fn search_entities(&self, query: &str, etype: Option<EntityType>, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let q = normalize(query);
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let prefix = format!("ia/{q}").into_bytes();
        let end = prefix_end(&prefix);
        let mut seen = BTreeSet::new();
        let mut hits = Vec::new();
        for (k, _) in self.kv.scan(&prefix, false, &end, 5_000)? {
            let Some(nul) = k.iter().position(|&b| b == 0) else { continue };
            let alias = &k[3..nul];
            let ent = String::from_utf8_lossy(&k[nul + 1..]).to_string();
            let exact = alias == q.as_bytes();
            if !seen.insert((ent.clone(), exact)) {
                continue;
            }
            if let Some(rec) = self.get_entity(&ent)?
                && etype.is_none_or(|t| rec.info.etype == t)
            {
                hits.push(SearchHit { entity: rec, exact });
            }
        }
        // an entity found both ways counts as exact
        hits.sort_by(|a, b| (a.entity.info.id.as_str(), !a.exact).cmp(&(b.entity.info.id.as_str(), !b.exact)));
        hits.dedup_by(|a, b| a.entity.info.id == b.entity.info.id);
        hits.sort_by(|a, b| (!a.exact, std::cmp::Reverse(a.entity.mention_count), &a.entity.info.id).cmp(&(!b.exact, std::cmp::Reverse(b.entity.mention_count), &b.entity.info.id)));
        hits.truncate(limit);
        Ok(hits)
    }

    // ---------------------------------------------------------------- events

    /// One event merged over its reports.
    pub fn get_event(&self, id: &str) -> Result<Option<EventView>, StoreError> {
        let Some(b) = self.kv.get(&keys::event(id))? else { return Ok(None) };
        let rec: EventRecord = decode(&b, "event")?;
        Ok(merge(&rec))
    }

    /// Lists events matching the filter, in the order of the driving index.
    pub fn list_events(&self, f: &EventFilter, after: Option<&[u8]>, limit: usize) -> Result<Page<EventView>, StoreError> {
        let time_from = f.time_from.as_deref().and_then(|t| interval(t)).map(|(a, _)| a);
        if let Some(d) = &f.document {
            let body = self.get_body(d)?;
            let ids: BTreeSet<&str> = body.iter().flat_map(|b| b.annotations.events.iter().map(|e| e.id.as_str())).collect();
            return page_ids(&keys::doc_event_prefix(d), ids, after, limit, |id| Ok(self.get_event(id)?.filter(|v| f.matches(v))));
        }
        let range = if let Some(p) = &f.participant {
            Range::prefix(format!("jp/{p}/").into_bytes())
        } else if let Some(p) = &f.place {
            Range::prefix(format!("jl/{p}/").into_bytes())
        } else if let Some(t) = f.etype {
            let p = format!("jt/{}/", t.as_str());
            match &time_from {
                Some(from) => Range { from: format!("{p}{from}").into_bytes(), to: prefix_end(p.as_bytes()) },
                None => Range::prefix(p.into_bytes()),
            }
        } else if let Some(from) = &time_from {
            Range { from: format!("jm/{from}").into_bytes(), to: prefix_end(b"jm/") }
        } else if f.time_to.is_some() {
            Range::prefix(b"jm/".to_vec())
        } else {
            Range::prefix(b"v/".to_vec())
        };
        self.scan_page(&range, after, limit, |k, v| {
            let view = if k.starts_with(b"v/") {
                merge(&decode::<EventRecord>(v, "event")?)
            } else {
                self.get_event(keys::last_component(k))?
            };
            Ok(view.filter(|v| f.matches(v)))
        })
    }

    /// Event changes after sequence number `after`, oldest first.
    pub fn changes_after(&self, after: u64, limit: usize) -> Result<Vec<Change>, StoreError> {
        let from = keys::change(after);
        self.kv.scan(&from, true, &prefix_end(b"c/"), limit)?.into_iter().map(|(_, v)| decode(&v, "change")).collect()
    }

    /// The sequence number of the last recorded event change (0 when none).
    pub fn last_change(&self) -> Result<u64, StoreError> {
        Ok(self.kv.get(keys::SEQ)?.and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).unwrap_or(0))
    }
}
