//! Where a store's keys and bytes go: per table (key prefix up to the first '/'), the number of
//! keys, the bytes of the keys and of the values, plus the size on disk and the document count.
//! `khabar-worker stats --db DIR` prints it.

use std::collections::BTreeMap;

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
    /// Scans every key of the store (reads the whole store once, a batch at a time).
    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        let mut tables: BTreeMap<Vec<u8>, TableStats> = BTreeMap::new();
        let end = vec![0xff; 8];
        let mut cursor = Vec::new();
        let mut exclusive = false;
        loop {
            let batch = self.kv.scan(&cursor, exclusive, &end, 4096)?;
            let Some((last, _)) = batch.last() else { break };
            let last = last.clone();
            for (k, v) in &batch {
                let t = tables.entry(table_of(k).to_vec()).or_default();
                t.keys += 1;
                t.key_bytes += k.len() as u64;
                t.value_bytes += v.len() as u64;
            }
            cursor = last;
            exclusive = true;
        }
        let tables = tables
            .into_iter()
            .map(|(p, t)| TableStats { prefix: String::from_utf8_lossy(&p).into_owned(), ..t })
            .collect();
        Ok(StoreStats { documents: self.document_count()?, size_on_disk: self.size_on_disk(), tables })
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
