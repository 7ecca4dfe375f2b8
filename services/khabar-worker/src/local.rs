//! Ingesting straight into a store this process holds (`khabar-worker ingest --db`, and the
//! server's `--ingest` at start-up): one reader, N annotating threads, one transaction per
//! document, one flush at the end before anything is reported as done.

use std::io::Write;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use khabar_annotate::Annotator;
use khabar_store::{PutOutcome, Store};

use crate::pipeline::{self, IngestError};
use crate::source::SourceItem;

/// Options of a local ingest.
#[derive(Debug, Clone)]
pub struct LocalOptions {
    /// Annotating threads.
    pub threads: usize,
    /// Largest accepted document in bytes.
    pub max_document_bytes: usize,
    /// Flush the store (and acknowledge) after this many documents.
    pub flush_every: usize,
}

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions { threads: std::thread::available_parallelism().map_or(2, |n| n.get()), max_document_bytes: pipeline::DEFAULT_MAX_DOCUMENT_BYTES, flush_every: 1000 }
    }
}

/// Where acknowledgements go: one line per durable document, "documents/{id}<TAB>{outcome}",
/// written only after the store flush that made the document durable.
pub type AckSink<'a> = Option<&'a Mutex<Box<dyn std::io::Write + Send>>>;

/// Writes acknowledgement lines and syncs them.
pub fn write_acks(sink: AckSink<'_>, lines: &[String]) -> std::io::Result<()> {
    if let Some(s) = sink
        && !lines.is_empty()
    {
        let mut w = s.lock().unwrap_or_else(|p| p.into_inner());
        for l in lines {
            writeln!(w, "{l}")?;
        }
        w.flush()?;
    }
    Ok(())
}

/// The acknowledgement line of an ingested document.
pub fn ack_line(i: &pipeline::Ingested) -> String {
    let outcome = match i.outcome {
        PutOutcome::Created => "created",
        PutOutcome::Unchanged => "unchanged",
        PutOutcome::Updated => "updated",
    };
    format!("documents/{}\t{outcome}", i.id)
}

/// What an ingest run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub created: u64,
    pub unchanged: u64,
    pub updated: u64,
    pub failed: u64,
    pub entity_mentions: u64,
    pub events: u64,
    /// Bytes of text ingested (created or updated documents).
    pub bytes: u64,
    pub elapsed: Duration,
    /// (origin, error) of every failed document.
    pub failures: Vec<(String, String)>,
}

impl Summary {
    /// Documents seen.
    pub fn documents(&self) -> u64 {
        self.created + self.unchanged + self.updated + self.failed
    }

    /// Adds one result.
    pub fn record(&mut self, origin: &str, r: &Result<pipeline::Ingested, String>, bytes: usize) {
        match r {
            Ok(i) => {
                match i.outcome {
                    PutOutcome::Created => self.created += 1,
                    PutOutcome::Unchanged => self.unchanged += 1,
                    PutOutcome::Updated => self.updated += 1,
                }
                if i.outcome != PutOutcome::Unchanged {
                    self.bytes += bytes as u64;
                }
                self.entity_mentions += i.entity_mentions as u64;
                self.events += i.events as u64;
            }
            Err(e) => {
                self.failed += 1;
                self.failures.push((origin.to_string(), e.clone()));
            }
        }
    }

    /// A one-paragraph report.
    pub fn report(&self) -> String {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        format!(
            "documents: {} created, {} unchanged, {} updated, {} failed; {} entity mentions, {} events; {:.1}s, {:.1} docs/s, {:.2} MB/s of new text",
            self.created,
            self.unchanged,
            self.updated,
            self.failed,
            self.entity_mentions,
            self.events,
            secs,
            self.documents() as f64 / secs,
            self.bytes as f64 / 1e6 / secs
        )
    }
}

/// Ingests every item into `store`; `progress` is called after each document with the
/// running summary. Flushes the store every `opts.flush_every` documents and before returning,
/// and writes the acknowledgement of each document to `acks` once it is durable.
pub fn ingest_local(
    items: impl Iterator<Item = SourceItem>,
    annotator: &Annotator,
    store: &Store,
    opts: &LocalOptions,
    progress: &(dyn Fn(&Summary) + Sync),
    acks: AckSink<'_>,
) -> Result<Summary, IngestError> {
    let start = Instant::now();
    // ingested but not yet flushed
    let pending: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let flush_and_ack = || -> Result<(), IngestError> {
        let lines = std::mem::take(&mut *pending.lock().unwrap_or_else(|p| p.into_inner()));
        store.flush()?;
        write_acks(acks, &lines).map_err(|e| IngestError::Store(khabar_store::StoreError::Backend(format!("writing acknowledgements: {e}"))))
    };
    let summary = Mutex::new(Summary::default());
    let threads = opts.threads.max(1);
    let (tx, rx) = mpsc::sync_channel::<SourceItem>(threads * 4);
    let rx = Arc::new(Mutex::new(rx));
    let fatal: Mutex<Option<IngestError>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let rx = rx.clone();
            let (summary, fatal, pending, flush_and_ack) = (&summary, &fatal, &pending, &flush_and_ack);
            s.spawn(move || {
                loop {
                    let item = match rx.lock().unwrap_or_else(|p| p.into_inner()).recv() {
                        Ok(i) => i,
                        Err(_) => return,
                    };
                    let (r, bytes) = match item.doc {
                        Err(e) => (Err(e), 0),
                        Ok(raw) => {
                            let bytes = raw.text.len();
                            let r = pipeline::prepare(raw, opts.max_document_bytes).and_then(|d| pipeline::ingest(annotator, store, d, pipeline::now_ms()));
                            match r {
                                Err(e) if !e.is_caller_fault() => {
                                    tracing::error!(origin = %item.origin, error = %e, "storage failure");
                                    let mut f = fatal.lock().unwrap_or_else(|p| p.into_inner());
                                    let msg = e.to_string();
                                    if f.is_none() {
                                        *f = Some(e);
                                    }
                                    (Err(msg), bytes)
                                }
                                r => (r.map_err(|e| e.to_string()), bytes),
                            }
                        }
                    };
                    let flush_now = match &r {
                        Err(e) => {
                            tracing::warn!(origin = %item.origin, error = %e, "document failed");
                            false
                        }
                        Ok(i) => {
                            let mut p = pending.lock().unwrap_or_else(|p| p.into_inner());
                            p.push(ack_line(i));
                            p.len() >= opts.flush_every.max(1)
                        }
                    };
                    if flush_now && let Err(e) = flush_and_ack() {
                        tracing::error!(error = %e, "flush failed");
                        let mut f = fatal.lock().unwrap_or_else(|p| p.into_inner());
                        if f.is_none() {
                            *f = Some(e);
                        }
                    }
                    let mut sm = summary.lock().unwrap_or_else(|p| p.into_inner());
                    sm.record(&item.origin, &r, bytes);
                    sm.elapsed = start.elapsed();
                    progress(&sm);
                }
            });
        }
        for item in items {
            if fatal.lock().unwrap_or_else(|p| p.into_inner()).is_some() || tx.send(item).is_err() {
                break;
            }
        }
        drop(tx);
    });
    flush_and_ack()?;
    if let Some(e) = fatal.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    let mut s = summary.into_inner().unwrap_or_else(|p| p.into_inner());
    s.elapsed = start.elapsed();
    Ok(s)
}
