//! Consistency check and rebuild. The derived tables (indexes, entities, events) are a function
//! of the stored documents: `check` recomputes them by replaying the write path over every
//! document into memory and compares; `repair` writes the difference; `reindex` rebuilds them.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::keys::{self, prefix_end, DERIVED};
use crate::kv::{Kv, MemKv};
use crate::records::{decode, decode_body, DocBody, DocMeta};
use crate::write::{apply, DocState};
use crate::{Store, StoreError};

/// What `check` found (and repaired).
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub documents: u64,
    pub derived_keys_expected: u64,
    pub derived_keys_found: u64,
    /// Derived keys that should exist but do not, or hold a different value.
    pub missing_or_wrong: u64,
    /// Derived keys that should not exist.
    pub unexpected: u64,
    /// Documents without a readable body (they must be re-ingested from their source).
    pub broken_documents: Vec<String>,
    /// Whether the document counter was right.
    pub counter_ok: bool,
    /// Up to 20 examples of problems.
    pub examples: Vec<String>,
    /// True when the problems were repaired.
    pub repaired: bool,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.missing_or_wrong == 0 && self.unexpected == 0 && self.broken_documents.is_empty() && self.counter_ok
    }
}

const BATCH: usize = 512;

impl Store {
    /// Visits every stored document (meta and body) in id order.
    fn for_each_document(&self, mut f: impl FnMut(&str, Result<(DocMeta, DocBody), StoreError>) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let end = prefix_end(b"d/");
        let mut cursor = b"d/".to_vec();
        let mut exclusive = false;
        loop {
            let batch = self.kv.scan(&cursor, exclusive, &end, BATCH)?;
            if batch.is_empty() {
                return Ok(());
            }
            for (k, v) in batch {
                let id = String::from_utf8_lossy(&k[2..]).to_string();
                let doc = decode::<DocMeta>(&v, "document").and_then(|m| match self.kv.get(&keys::body(&id))? {
                    Some(b) => Ok((m, decode_body(&b)?)),
                    None => Err(StoreError::Corrupt(format!("document {id} has no body"))),
                });
                f(&id, doc)?;
                cursor = k;
                exclusive = true;
            }
        }
    }

    /// All derived pairs of the live store.
    fn derived_pairs(kv: &dyn Kv) -> Result<BTreeMap<Vec<u8>, Vec<u8>>, StoreError> {
        let mut out = BTreeMap::new();
        for p in DERIVED {
            let end = prefix_end(p.as_bytes());
            let mut cursor = p.as_bytes().to_vec();
            let mut exclusive = false;
            loop {
                let batch = kv.scan(&cursor, exclusive, &end, 4096)?;
                if batch.is_empty() {
                    break;
                }
                for (k, v) in batch {
                    cursor = k.clone();
                    exclusive = true;
                    out.insert(k, v);
                }
            }
        }
        Ok(out)
    }

    /// Checks that every index, entity and event agrees with the stored documents; with
    /// `repair`, writes the expected state where it differs. Holds the derived state in memory.
    pub fn check(&self, repair: bool) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        let expected = Arc::new(MemKv::default());
        let mut broken = Vec::new();
        self.for_each_document(|id, doc| {
            match doc {
                Ok((meta, body)) => {
                    report.documents += 1;
                    let st = DocState::new(&meta, &body);
                    expected.transact(&|tx| apply(tx, id, None, Some(&st)).map(|_| ()))?;
                }
                Err(e) => {
                    broken.push(id.to_string());
                    if report.examples.len() < 20 {
                        report.examples.push(e.to_string());
                    }
                }
            }
            Ok(())
        })?;
        let want = Store::derived_pairs(expected.as_ref())?;
        let have = Store::derived_pairs(self.kv.as_ref())?;
        report.derived_keys_expected = want.len() as u64;
        report.derived_keys_found = have.len() as u64;
        let mut fix_put = Vec::new();
        let mut fix_del = Vec::new();
        for (k, v) in &want {
            if have.get(k) != Some(v) {
                report.missing_or_wrong += 1;
                if report.examples.len() < 20 {
                    report.examples.push(format!("{} {}", if have.contains_key(k) { "wrong value:" } else { "missing:" }, String::from_utf8_lossy(k)));
                }
                fix_put.push((k.clone(), v.clone()));
            }
        }
        for k in have.keys() {
            if !want.contains_key(k) {
                report.unexpected += 1;
                if report.examples.len() < 20 {
                    report.examples.push(format!("unexpected: {}", String::from_utf8_lossy(k)));
                }
                fix_del.push(k.clone());
            }
        }
        let live_docs = report.documents;
        report.counter_ok = self.document_count()? == live_docs + broken.len() as u64;
        report.broken_documents = broken;
        if repair && !report.is_clean() {
            for chunk in fix_put.chunks(BATCH) {
                self.kv.transact(&|tx| {
                    for (k, v) in chunk {
                        tx.put(k, v)?;
                    }
                    Ok(())
                })?;
            }
            for chunk in fix_del.chunks(BATCH) {
                self.kv.transact(&|tx| {
                    for k in chunk {
                        tx.delete(k)?;
                    }
                    Ok(())
                })?;
            }
            // documents without a body cannot be repaired: remove them so that they are absent,
            // not half-present; re-ingesting their source restores them.
            for id in &report.broken_documents {
                let (d, b) = (keys::doc(id), keys::body(id));
                self.kv.transact(&|tx| {
                    tx.delete(&d)?;
                    tx.delete(&b)?;
                    Ok(())
                })?;
            }
            self.kv.transact(&|tx| tx.put(keys::DOCS, &live_docs.to_be_bytes()))?;
            self.kv.flush()?;
            report.repaired = true;
        }
        Ok(report)
    }

    /// Deletes every derived table and rebuilds it from the stored documents, one transaction
    /// per document. Returns the number of documents reindexed. Interrupted runs leave a flag
    /// that is reported at open; run it again.
    pub fn reindex(&self, mut progress: impl FnMut(u64)) -> Result<u64, StoreError> {
        self.kv.transact(&|tx| tx.put(keys::REINDEXING, b"1"))?;
        for p in DERIVED {
            let end = prefix_end(p.as_bytes());
            loop {
                let batch = self.kv.scan(p.as_bytes(), false, &end, 4096)?;
                if batch.is_empty() {
                    break;
                }
                self.kv.transact(&|tx| {
                    for (k, _) in &batch {
                        tx.delete(k)?;
                    }
                    Ok(())
                })?;
            }
        }
        let mut n = 0u64;
        self.for_each_document(|id, doc| {
            let (meta, body) = doc?;
            let st = DocState::new(&meta, &body);
            self.kv.transact(&|tx| apply(tx, id, None, Some(&st)).map(|_| ()))?;
            n += 1;
            progress(n);
            Ok(())
        })?;
        self.kv.transact(&|tx| {
            tx.put(keys::DOCS, &n.to_be_bytes())?;
            tx.delete(keys::REINDEXING)
        })?;
        self.kv.flush()?;
        Ok(n)
    }
}
