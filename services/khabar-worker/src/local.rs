//! Ingesting straight into a store this process holds (`khabar-worker ingest --db`, and the
//! server's `--ingest` at start-up): one reader, N annotating threads and one writer thread that
//! stores the annotated documents in batches (one transaction per batch: a crash leaves each
//! document whole or absent), one flush at the end before anything is reported as done.

use std::io::Write;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use khabar_annotate::Annotator;
use khabar_store::{PutOutcome, Store};

use crate::pipeline::{self, Annotated, IngestError};
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
    /// Documents per store transaction.
    pub write_batch: usize,
}

/// Default documents per store transaction.
pub const DEFAULT_WRITE_BATCH: usize = 256;

/// How long the writer gathers annotated documents into one batch after the first arrives.
pub const WRITE_LINGER: Duration = Duration::from_millis(250);

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_document_bytes: pipeline::DEFAULT_MAX_DOCUMENT_BYTES,
            flush_every: 1000,
            write_batch: DEFAULT_WRITE_BATCH,
        }
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

/// Why a document failed: reading its source, or validating, annotating or storing it.
enum Failure {
    Source(String),
    Ingest(IngestError),
}

/// What the reader hands an annotating thread.
enum Todo {
    Annotate(pipeline::Prepared),
    /// Nothing to annotate: unchanged in the store, or failed.
    Done(Result<Annotated, Failure>),
}

/// A document on its way from an annotating thread to the writer.
struct Job {
    origin: String,
    bytes: usize,
    work: Result<Annotated, Failure>,
}

/// Stores the annotated documents of `jobs` in one transaction; when that fails, one by one (so
/// that one bad document fails alone). Returns (origin, bytes, result) in the order of `jobs`.
fn write_jobs(store: &Store, jobs: Vec<Job>) -> Vec<(String, usize, Result<pipeline::Ingested, Failure>)> {
    let mut out = Vec::with_capacity(jobs.len());
    let (mut new, mut slots) = (Vec::new(), Vec::new());
    for j in jobs {
        let r = match j.work {
            Ok(Annotated::New(d)) => {
                slots.push(out.len());
                new.push(d);
                None
            }
            Ok(Annotated::Unchanged(i)) => Some(Ok(i)),
            Err(e) => Some(Err(e)),
        };
        out.push((j.origin, j.bytes, r));
    }
    if !new.is_empty() {
        let failed = |e: khabar_store::StoreError| Failure::Ingest(e.into());
        let results: Vec<Result<pipeline::Ingested, Failure>> = match store.put_encoded(&new) {
            Ok(rs) => new.iter().zip(rs).map(|(d, r)| Ok(pipeline::ingested(d.doc(), r))).collect(),
            Err(_) if new.len() > 1 => new.iter().map(|d| store.put_encoded_document(d).map(|r| pipeline::ingested(d.doc(), r)).map_err(failed)).collect(),
            Err(e) => vec![Err(failed(e))],
        };
        for (slot, r) in slots.into_iter().zip(results) {
            out[slot].2 = Some(r);
        }
    }
    out.into_iter().map(|(o, b, r)| (o, b, r.expect("every job has a result"))).collect()
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
    let batch = opts.write_batch.max(1);
    // deep enough to keep the annotators busy while a batch write holds up the reader
    let (tx, rx) = mpsc::sync_channel::<(String, usize, Todo)>(batch.max(threads * 4));
    let rx = Arc::new(Mutex::new(rx));
    let (wtx, wrx) = mpsc::sync_channel::<Job>(batch * 2);
    let fatal: Mutex<Option<IngestError>> = Mutex::new(None);
    let set_fatal = |e: IngestError| {
        let mut f = fatal.lock().unwrap_or_else(|p| p.into_inner());
        if f.is_none() {
            *f = Some(e);
        }
    };
    std::thread::scope(|s| {
        // the writer: batches of annotated documents, one transaction each
        let (summary, pending, flush_and_ack, set_fatal) = (&summary, &pending, &flush_and_ack, &set_fatal);
        s.spawn(move || {
            loop {
                // wait for one document, then gather more for at most WRITE_LINGER, up to a
                // batch: a busy input fills batches (fewer rewrites of popular entity records,
                // a smaller store), a quiet stream (`tail -f … | ingest -`) is written and
                // acknowledged within WRITE_LINGER instead of waiting for a full batch
                let Ok(first) = wrx.recv() else { return };
                let deadline = Instant::now() + WRITE_LINGER;
                let mut jobs = Vec::with_capacity(batch);
                jobs.push(first);
                while jobs.len() < batch {
                    let wait = deadline.saturating_duration_since(Instant::now());
                    match wrx.recv_timeout(wait) {
                        Ok(j) => jobs.push(j),
                        Err(_) => break,
                    }
                }
                for (origin, bytes, r) in write_jobs(store, jobs) {
                    let r = match r {
                        Ok(i) => Ok(i),
                        Err(Failure::Source(e)) => Err(e),
                        Err(Failure::Ingest(e)) if !e.is_caller_fault() => {
                            tracing::error!(origin = %origin, error = %e, "storage failure");
                            let msg = e.to_string();
                            set_fatal(e);
                            Err(msg)
                        }
                        Err(Failure::Ingest(e)) => Err(e.to_string()),
                    };
                    let flush_now = match &r {
                        Err(e) => {
                            tracing::warn!(origin = %origin, error = %e, "document failed");
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
                        set_fatal(e);
                    }
                    let mut sm = summary.lock().unwrap_or_else(|p| p.into_inner());
                    sm.record(&origin, &r, bytes);
                    sm.elapsed = start.elapsed();
                    progress(&sm);
                }
            }
        });
        let fatal_ref = &fatal;
        for _ in 0..threads {
            let (rx, wtx, fatal) = (rx.clone(), wtx.clone(), fatal_ref);
            s.spawn(move || {
                loop {
                    let (origin, bytes, todo) = match rx.lock().unwrap_or_else(|p| p.into_inner()).recv() {
                        Ok(i) => i,
                        Err(_) => return,
                    };
                    let work = match todo {
                        // after a storage failure nothing more is written: do not annotate
                        Todo::Annotate(_) if fatal.lock().unwrap_or_else(|p| p.into_inner()).is_some() => Err(Failure::Ingest(IngestError::Store(khabar_store::StoreError::Backend("not stored: the ingest stopped after a storage failure".into())))),
                        // (encoded here too: the writer only writes)
                        Todo::Annotate(d) => Ok(Annotated::New(store.encode(pipeline::annotate_new(annotator, d, pipeline::now_ms(), &mut |_| {})))),
                        Todo::Done(r) => r,
                    };
                    if wtx.send(Job { origin, bytes, work }).is_err() {
                        return;
                    }
                }
            });
        }
        drop(wtx);
        // the reader validates each document and asks the store whether it is unchanged; the
        // annotating threads never touch the store: sled blocks every read while the writer
        // applies a batch, and the queue keeps them busy through it. An id already sent to be
        // annotated in this run is annotated again whatever the store says: the store may not
        // hold that earlier version yet ("a" v2 then "a" v1 over a stored v1 ends with v1, and
        // the second is no "unchanged")
        let mut sent: std::collections::HashSet<String> = std::collections::HashSet::new();
        for item in items {
            if fatal.lock().unwrap_or_else(|p| p.into_inner()).is_some() {
                break;
            }
            // a storage failure of the check: send the document on (the writer records the error
            // as fatal and logs it) and read no further
            let mut stop = false;
            let (bytes, todo) = match item.doc {
                Err(e) => (0, Todo::Done(Err(Failure::Source(e)))),
                Ok(raw) => {
                    let bytes = raw.text.len();
                    let checked = pipeline::prepare(raw, opts.max_document_bytes).and_then(|d| {
                        let same = if sent.contains(&d.id) { None } else { pipeline::unchanged(store, &d)? };
                        Ok((same, d))
                    });
                    let todo = match checked {
                        Err(e) => {
                            stop = !e.is_caller_fault();
                            Todo::Done(Err(Failure::Ingest(e)))
                        }
                        Ok((Some(i), _)) => Todo::Done(Ok(Annotated::Unchanged(i))),
                        Ok((None, d)) => {
                            sent.insert(d.id.clone());
                            Todo::Annotate(d)
                        }
                    };
                    (bytes, todo)
                }
            };
            if tx.send((item.origin, bytes, todo)).is_err() || stop {
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
