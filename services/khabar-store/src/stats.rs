//! Where a store's keys and bytes go: per table (key prefix up to the first '/'), the number of
//! keys, the bytes of the keys and of the values, plus the size on disk and the document count.
//! `khabar-worker stats --db DIR` prints it. And a compacting copy (`khabar-worker compact`).

use std::collections::BTreeMap;

use crate::kv::{Kv, Pair};
use crate::{Store, StoreError};

/// One table of the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableStats {
    /// The key prefix, up to and including the first '/' (the whole key when it has none).
    pub prefix: String,
    pub keys: u64,
    pub key_bytes: u64,
    pub value_bytes: u64,
}

/// Every table of a store, in prefix order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// The document counter (`meta/docs`).
    pub documents: u64,
    pub size_on_disk: u64,
    /// The backend compresses what it writes (a store created with zstd compression).
    pub compressed: bool,
    pub tables: Vec<TableStats>,
}

impl StoreStats {
    /// Keys over every table.
    pub fn keys(&self) -> u64 {
        self.tables.iter().map(|t| t.keys).sum()
    }
    /// Key and value bytes over every table.
    pub fn logical_bytes(&self) -> u64 {
        self.tables.iter().map(|t| t.key_bytes + t.value_bytes).sum()
    }
    /// The table with this prefix.
    pub fn table(&self, prefix: &str) -> Option<&TableStats> {
        self.tables.iter().find(|t| t.prefix == prefix)
    }
}

/// The table a key belongs to.
fn table_of(key: &[u8]) -> &[u8] {
    match key.iter().position(|&b| b == b'/') {
        Some(i) => &key[..=i],
        None => key,
    }
}

impl Store {
    /// Calls `f` with every pair of the store in key order, a batch at a time.
    fn for_each_batch(&self, mut f: impl FnMut(&[Pair]) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let end = vec![0xff; 8];
        let mut cursor = Vec::new();
        let mut exclusive = false;
        loop {
            let batch = self.kv.scan(&cursor, exclusive, &end, 4096)?;
            let Some((last, _)) = batch.last() else { return Ok(()) };
            cursor = last.clone();
            exclusive = true;
            f(&batch)?;
        }
    }

    /// Scans every key of the store (reads the whole store once, a batch at a time).
    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        let mut tables: BTreeMap<Vec<u8>, TableStats> = BTreeMap::new();
        self.for_each_batch(|batch| {
            for (k, v) in batch {
                let t = tables.entry(table_of(k).to_vec()).or_default();
                t.keys += 1;
                t.key_bytes += k.len() as u64;
                t.value_bytes += v.len() as u64;
            }
            Ok(())
        })?;
        let tables = tables
            .into_iter()
            .map(|(p, t)| TableStats { prefix: String::from_utf8_lossy(&p).into_owned(), ..t })
            .collect();
        Ok(StoreStats { documents: self.document_count()?, size_on_disk: self.size_on_disk(), compressed: self.compressed(), tables })
    }
}

impl Store {
    /// Copies every key of this store, in key order, into a new sled store in `dir` (which must
    /// not hold a store yet) and returns it. sled 0.34 never gives back the space of pages it
    /// rewrote; a copy holds the live keys only, written once. The copy keeps the page-token
    /// secret, so tokens issued by the original stay valid.
    ///
    /// `compression`: the copy's zstd level (1-22), or 0 for an uncompressed copy; `None`
    /// copies this store's setting. When the copy compresses and this store does not, or the
    /// other way round, document bodies are re-encoded for it (deflated only where the backend
    /// does not compress).
    pub fn compact_into(&self, dir: &std::path::Path, compression: Option<i32>) -> Result<Store, StoreError> {
        let level = match compression {
            Some(_) => crate::kv::check_level(compression)?,
            None => self.compressed().then_some(crate::kv::DEFAULT_ZSTD_LEVEL),
        };
        let recode = level.is_some() != self.compressed();
        if dir.exists() && std::fs::read_dir(dir).map_err(|e| StoreError::Backend(format!("{}: {e}", dir.display())))?.next().is_some() {
            return Err(StoreError::Invalid(format!("{} is not empty: compact writes a new store", dir.display())));
        }
        // written beside `dir` and renamed into place once complete: an interrupted copy is
        // never mistaken for a store (it would open as an empty one with a new secret)
        let mut partial = dir.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let io = |what: &str, p: &std::path::Path, e: std::io::Error| StoreError::Backend(format!("cannot {what} {}: {e}", p.display()));
        if partial.exists() {
            std::fs::remove_dir_all(&partial).map_err(|e| io("remove the interrupted copy", &partial, e))?;
        }
        std::fs::create_dir_all(&partial).map_err(|e| io("create", &partial, e))?;
        {
            let dst = crate::kv::SledKv::open_with(&partial, level)?;
            self.for_each_batch(|batch| {
                let recoded: Vec<Option<Vec<u8>>> = batch
                    .iter()
                    .map(|(k, v)| match recode && k.starts_with(crate::keys::BODIES.as_bytes()) {
                        true => crate::records::decode_body(v).map(|b| Some(crate::records::encode_body_parts(&b.text, &b.annotations, level.is_none()))),
                        false => Ok(None),
                    })
                    .collect::<Result<_, _>>()?;
                dst.transact(&|tx| {
                    for ((k, v), r) in batch.iter().zip(&recoded) {
                        tx.put(k, r.as_deref().unwrap_or(v))?;
                    }
                    Ok(())
                })
            })?;
            dst.flush()?;
        }
        if dir.exists() {
            std::fs::remove_dir(dir).map_err(|e| io("replace", dir, e))?;
        }
        std::fs::rename(&partial, dir).map_err(|e| io("move the copy to", dir, e))?;
        Store::open(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::table_of;

    #[test]
    fn tables_end_at_the_first_slash() {
        assert_eq!(table_of(b"im/baku/d1"), b"im/");
        assert_eq!(table_of(b"meta/seq"), b"meta/");
        assert_eq!(table_of(b"odd"), b"odd");
    }
}
