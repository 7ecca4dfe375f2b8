//! The narrow ordered key-value interface the store is written against, and its backends.
//!
//! Everything Khabar stores goes through [`Kv`]: point reads, ordered range scans and
//! serializable multi-key transactions with read-your-writes. A distributed ordered KV (TiKV)
//! or PostgreSQL (one `(key bytea primary key, value bytea)` table) can implement it without
//! touching the API or the annotator.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use crate::StoreError;

/// A key-value pair as owned bytes.
pub type Pair = (Vec<u8>, Vec<u8>);

/// Error inside a transaction closure.
#[derive(Debug)]
pub enum TxnError {
    /// A concurrent transaction conflicted: the backend re-runs the closure.
    Conflict,
    /// Stop and return this error.
    Abort(StoreError),
}

impl From<StoreError> for TxnError {
    fn from(e: StoreError) -> Self {
        TxnError::Abort(e)
    }
}

/// Operations available inside a transaction.
pub trait KvTxn {
    /// Reads a key, seeing this transaction's own writes.
    fn get(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, TxnError>;
    /// Writes a key.
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), TxnError>;
    /// Deletes a key (no error when absent).
    fn delete(&mut self, key: &[u8]) -> Result<(), TxnError>;
}

/// An ordered key-value store.
pub trait Kv: Send + Sync {
    /// Reads one key.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// Up to `limit` pairs with `from <= key < to` in key order (after `from` exclusive when `exclusive`).
    fn scan(&self, from: &[u8], exclusive: bool, to: &[u8], limit: usize) -> Result<Vec<Pair>, StoreError>;
    /// Runs `f` atomically and serializably; `f` may be run several times when transactions conflict,
    /// so it must not have side effects outside the transaction other than recording its result.
    fn transact(&self, f: &dyn Fn(&mut dyn KvTxn) -> Result<(), TxnError>) -> Result<(), StoreError>;
    /// Makes every committed transaction durable.
    fn flush(&self) -> Result<(), StoreError>;
    /// Bytes used on disk (0 for memory backends).
    fn size_on_disk(&self) -> u64;
    /// True when the backend compresses what it writes (the store then leaves document bodies
    /// uncompressed: compressing twice costs time and saves nothing).
    fn compresses(&self) -> bool {
        false
    }
}

// ---------------------------------------------------------------- sled

/// The sled backend: one sled tree holding every table under its key prefix.
///
/// Transactions do not use sled's transactions: sled 0.34 runs every transaction under one
/// global write lock anyway, and its transactional insert reads each key before writing it.
/// Here a transaction holds [`SledKv::writer`] (so transactions are serial and never conflict),
/// reads the tree directly and buffers its writes, then applies them with one `apply_batch`,
/// which sled makes atomic on recovery and invisible to readers until complete.
pub struct SledKv {
    db: sled::Db,
    tree: sled::Tree,
    writer: Mutex<()>,
    compressed: bool,
}

/// The zstd level of a compressed store when none is given.
pub const DEFAULT_ZSTD_LEVEL: i32 = 3;

/// The zstd level asked for (`None` for 0 or nothing), or an error for a level outside 0..=22.
pub fn check_level(compression: Option<i32>) -> Result<Option<i32>, StoreError> {
    match compression {
        Some(l) if !(0..=22).contains(&l) => Err(StoreError::Invalid(format!("zstd level {l} is not in 0..=22 (0: uncompressed)"))),
        Some(0) | None => Ok(None),
        Some(l) => Ok(Some(l)),
    }
}

/// Whether the sled store in `dir` was created compressed, from the `conf` file sled writes
/// at creation (`None` when there is no store yet). sled refuses to open a store with another
/// setting than the one it was created with.
fn created_compressed(dir: &Path) -> Option<bool> {
    // (text lines, then a 4-byte checksum)
    let conf = std::fs::read(dir.join("conf")).ok()?;
    String::from_utf8_lossy(&conf).lines().find_map(|l| l.strip_prefix("use_compression: ")).map(|v| v.trim() == "true")
}

impl SledKv {
    /// Opens or creates the database in `dir`. Fails with [`StoreError::Locked`] when another
    /// holder keeps it locked for longer than [`LOCK_WAIT`] (sled locks its directory to one
    /// process).
    ///
    /// A `sled::Db` dropped in this process releases its lock only when sled's background
    /// threads let go of the file, a few milliseconds later; reopening at once (compact, then
    /// open the copy; a test that reopens its store) would see the directory locked by itself.
    /// So a lock error is retried for a short, bounded time before it is reported.
    pub fn open(dir: &Path) -> Result<SledKv, StoreError> {
        SledKv::open_with(dir, None)
    }

    /// [`SledKv::open`], creating a new store with zstd compression of its pages at `level`
    /// (1-22; 0 or `None`: uncompressed) when `compression` asks for it. A store that exists
    /// stays compressed or uncompressed as it was created, whatever is asked (a warning says
    /// so when the request differs). sled records only whether a store compresses, not the
    /// level: a compressed store is written at the level asked now, or
    /// [`DEFAULT_ZSTD_LEVEL`].
    pub fn open_with(dir: &Path, compression: Option<i32>) -> Result<SledKv, StoreError> {
        let asked = check_level(compression)?;
        let level = match created_compressed(dir) {
            Some(true) => {
                if compression == Some(0) {
                    tracing::warn!(store = %dir.display(), "the store was created compressed and stays so (compact --store-compression 0 copies it into an uncompressed one)");
                }
                Some(asked.unwrap_or(DEFAULT_ZSTD_LEVEL))
            }
            Some(false) => {
                if asked.is_some() {
                    tracing::warn!(store = %dir.display(), "the store was created uncompressed and stays so (compact --store-compression LEVEL copies it into a compressed one)");
                }
                None
            }
            None => asked,
        };
        let config = sled::Config::new()
            .path(dir)
            .cache_capacity(256 << 20)
            .mode(sled::Mode::HighThroughput)
            .use_compression(level.is_some())
            .compression_factor(level.unwrap_or(DEFAULT_ZSTD_LEVEL));
        let started = std::time::Instant::now();
        let db = loop {
            match config.open() {
                Ok(db) => break db,
                Err(e) => {
                    let msg = e.to_string();
                    if !(msg.contains("lock") || msg.contains("WouldBlock") || msg.contains("Resource temporarily unavailable")) {
                        return Err(StoreError::Backend(msg));
                    }
                    if started.elapsed() >= LOCK_WAIT {
                        return Err(StoreError::Locked(dir.display().to_string()));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
            }
        };
        let tree = db.open_tree("khabar").map_err(backend)?;
        Ok(SledKv { db, tree, writer: Mutex::new(()), compressed: level.is_some() })
    }
}

/// How long [`SledKv::open`] waits for a lock held by a store being closed before it reports
/// [`StoreError::Locked`].
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

fn backend(e: sled::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// A transaction over the sled tree: reads see the tree and this transaction's own writes.
struct SledTxn<'a> {
    tree: &'a sled::Tree,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl KvTxn for SledTxn<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, TxnError> {
        match self.writes.get(key) {
            Some(v) => Ok(v.clone()),
            None => Ok(self.tree.get(key).map_err(backend)?.map(|v| v.to_vec())),
        }
    }
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), TxnError> {
        self.writes.insert(key.to_vec(), Some(value.to_vec()));
        Ok(())
    }
    fn delete(&mut self, key: &[u8]) -> Result<(), TxnError> {
        self.writes.insert(key.to_vec(), None);
        Ok(())
    }
}

impl Kv for SledKv {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.tree.get(key).map_err(backend)?.map(|v| v.to_vec()))
    }

    fn scan(&self, from: &[u8], exclusive: bool, to: &[u8], limit: usize) -> Result<Vec<Pair>, StoreError> {
        let lo = if exclusive { Bound::Excluded(from) } else { Bound::Included(from) };
        let mut out = Vec::with_capacity(limit.min(1024));
        for item in self.tree.range::<&[u8], _>((lo, Bound::Excluded(to))) {
            if out.len() >= limit {
                break;
            }
            let (k, v) = item.map_err(backend)?;
            out.push((k.to_vec(), v.to_vec()));
        }
        Ok(out)
    }

    fn transact(&self, f: &dyn Fn(&mut dyn KvTxn) -> Result<(), TxnError>) -> Result<(), StoreError> {
        let _serial = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut t = SledTxn { tree: &self.tree, writes: BTreeMap::new() };
        match f(&mut t) {
            Ok(()) => {}
            Err(TxnError::Abort(e)) => return Err(e),
            Err(TxnError::Conflict) => return Err(StoreError::Backend("conflict in a serial backend".into())),
        }
        if t.writes.is_empty() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        for (k, v) in t.writes {
            match v {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        self.tree.apply_batch(batch).map_err(backend)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(backend)?;
        Ok(())
    }

    fn compresses(&self) -> bool {
        self.compressed
    }

    fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }
}

// ---------------------------------------------------------------- memory

/// An in-memory backend (a `BTreeMap` behind a mutex; transactions run one at a time).
/// Used by tests to show that the store needs nothing beyond [`Kv`].
#[derive(Default)]
pub struct MemKv {
    map: Mutex<BTreeMap<Vec<u8>, Vec<u8>>>,
}

impl MemKv {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<Vec<u8>, Vec<u8>>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct MemTxn<'a> {
    base: &'a BTreeMap<Vec<u8>, Vec<u8>>,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl KvTxn for MemTxn<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, TxnError> {
        Ok(match self.writes.get(key) {
            Some(v) => v.clone(),
            None => self.base.get(key).cloned(),
        })
    }
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), TxnError> {
        self.writes.insert(key.to_vec(), Some(value.to_vec()));
        Ok(())
    }
    fn delete(&mut self, key: &[u8]) -> Result<(), TxnError> {
        self.writes.insert(key.to_vec(), None);
        Ok(())
    }
}

impl Kv for MemKv {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.lock().get(key).cloned())
    }

    fn scan(&self, from: &[u8], exclusive: bool, to: &[u8], limit: usize) -> Result<Vec<Pair>, StoreError> {
        let lo = if exclusive { Bound::Excluded(from) } else { Bound::Included(from) };
        let map = self.lock();
        Ok(map.range::<[u8], _>((lo, Bound::Excluded(to))).take(limit).map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    fn transact(&self, f: &dyn Fn(&mut dyn KvTxn) -> Result<(), TxnError>) -> Result<(), StoreError> {
        let mut map = self.lock();
        let writes = {
            let mut t = MemTxn { base: &map, writes: BTreeMap::new() };
            match f(&mut t) {
                Ok(()) => t.writes,
                Err(TxnError::Abort(e)) => return Err(e),
                Err(TxnError::Conflict) => return Err(StoreError::Backend("conflict in a serial backend".into())),
            }
        };
        for (k, v) in writes {
            match v {
                Some(v) => map.insert(k, v),
                None => map.remove(&k),
            };
        }
        Ok(())
    }

    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn size_on_disk(&self) -> u64 {
        0
    }
}
