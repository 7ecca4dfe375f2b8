//! `khabar-worker bench`: end-to-end ingest benchmark on real articles. Reports annotation-only
//! and ingest (annotate + store) throughput with one thread and with all cores, the ingest /
//! annotation ratio, the share of each stage (annotation stages through
//! [`Annotator::annotate_probed`], plus the store write), the store size on disk against the raw
//! text, and the peak RSS.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use std::time::Duration;

use khabar_annotate::{Annotator, Input, Stage};

use crate::local::{ingest_local, LocalOptions};
use crate::pipeline::{self, RawDocument};
use crate::source::{self, SourceItem};

/// Options of `bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Files or folders (.jsonl, .txt) with the articles.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Use at most this many articles.
    #[arg(long, default_value_t = 2000)]
    pub limit: usize,
    /// Thread counts to measure (comma-separated; default 1 and all cores).
    #[arg(long, value_delimiter = ',')]
    pub threads: Vec<usize>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Only measure the store write: annotate every article once, time encoding them for the
    /// store (text hash, compressed body: the annotating threads' share), then time writing
    /// them into a fresh store from one thread (the writer's share), one document per
    /// transaction and in batches as `ingest --db` writes them.
    #[arg(long)]
    pub store_only: bool,
    /// Create the benchmark's stores compressed with zstd at this level (1-22; 0: uncompressed,
    /// the default).
    #[arg(long, value_parser = clap::value_parser!(i32).range(0..=22))]
    pub store_compression: Option<i32>,
}

fn peak_rss_mib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn dir_size(p: &std::path::Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let m = match e.metadata() {
                Ok(m) => m,
                Err(_) => continue,
            };
            n += if m.is_dir() { dir_size(&e.path()) } else { m.len() };
        }
    }
    n
}

/// Annotates every document with `threads` threads; returns seconds.
fn annotate_all(annotator: &Annotator, docs: &[RawDocument], threads: usize) -> f64 {
    let next = AtomicUsize::new(0);
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(d) = docs.get(i) else { return };
                    let date = (!d.publish_date.is_empty()).then_some(d.publish_date.as_str());
                    std::hint::black_box(annotator.annotate(&Input { text: &d.text, lang_hint: None, publish_date: date }));
                }
            });
        }
    });
    t.elapsed().as_secs_f64()
}

/// Time spent per stage: the annotation stages, then the store write (index `Stage::ALL.len()`).
type StageTimes = [Duration; STAGES];
const STAGES: usize = Stage::ALL.len() + 1;

fn stage_names() -> Vec<&'static str> {
    Stage::ALL.iter().map(|s| s.name()).chain(std::iter::once("store_write")).collect()
}

/// Annotates (probed) and stores every document into `store` with `threads` threads; returns
/// the time spent per stage summed over the threads, and the wall-clock seconds.
fn profile_all(annotator: &Annotator, docs: &[RawDocument], threads: usize, store: &khabar_store::Store) -> anyhow::Result<StageTimes> {
    let next = AtomicUsize::new(0);
    let per_thread: Vec<anyhow::Result<StageTimes>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> anyhow::Result<StageTimes> {
                    let mut spent = [Duration::ZERO; STAGES];
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(d) = docs.get(i) else { return Ok(spent) };
                        let doc = pipeline::prepare(d.clone(), pipeline::DEFAULT_MAX_DOCUMENT_BYTES)?;
                        let mut last = Instant::now();
                        // the real write path; the time after the last stage mark is the store write
                        pipeline::ingest_probed(annotator, store, doc, pipeline::now_ms(), &mut |st: Stage| {
                            let now = Instant::now();
                            spent[st as usize] += now - last;
                            last = now;
                        })?;
                        spent[Stage::ALL.len()] += last.elapsed();
                    }
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("bench thread panicked")).collect()
    });
    let f = Instant::now();
    store.flush()?;
    let mut total = [Duration::ZERO; STAGES];
    total[Stage::ALL.len()] += f.elapsed();
    for p in per_thread {
        for (t, x) in total.iter_mut().zip(p?) {
            *t += x;
        }
    }
    Ok(total)
}

/// `--store-only`: the store write alone, from one thread, on documents annotated beforehand.
fn store_only(annotator: &Annotator, docs: &[RawDocument], bytes: usize, compression: Option<i32>, json: bool) -> anyhow::Result<()> {
    let mut prepared = Vec::with_capacity(docs.len());
    for d in docs {
        let p = pipeline::prepare(d.clone(), pipeline::DEFAULT_MAX_DOCUMENT_BYTES)?;
        let date = (!p.given.publish_date.is_empty()).then_some(p.given.publish_date.as_str());
        let annotations = annotator.annotate(&Input { text: &p.text, lang_hint: None, publish_date: date });
        prepared.push(khabar_store::NewDocument { id: p.id, text: p.text, given: p.given, annotations, now_ms: pipeline::now_ms() });
    }
    let mut report = serde_json::json!({ "documents": docs.len(), "store_compression": compression });
    for (name, batch) in [("one_per_transaction", 1), ("batched", crate::local::DEFAULT_WRITE_BATCH)] {
        let tmp = tempfile::tempdir()?;
        let store = khabar_store::Store::open_with(&tmp.path().join("db"), compression)?;
        // the encoding (text hash, body), done on the annotating threads in an ingest
        let copies = prepared.clone();
        let t = Instant::now();
        let encoded: Vec<khabar_store::EncodedDocument> = copies.into_iter().map(|d| store.encode(d)).collect();
        let encode_ms = t.elapsed().as_secs_f64() * 1000.0 / docs.len() as f64;
        // then the writer's work
        let t = Instant::now();
        for chunk in encoded.chunks(batch) {
            store.put_encoded(chunk)?;
        }
        store.flush()?;
        let secs = t.elapsed().as_secs_f64();
        let stats = store.stats()?;
        drop(store);
        let disk = dir_size(&tmp.path().join("db"));
        report[name] = serde_json::json!({
            "documents_per_transaction": batch,
            "encode_ms_per_doc": (encode_ms * 1000.0).round() / 1000.0,
            "store_write_ms_per_doc": ((secs * 1000.0 / docs.len() as f64) * 1000.0).round() / 1000.0,
            "store_write_docs_per_s": (docs.len() as f64 / secs).round(),
            "keys_per_doc": ((stats.keys() as f64 / docs.len() as f64) * 10.0).round() / 10.0,
            "logical_vs_raw_text": ((stats.logical_bytes() as f64 / bytes as f64) * 100.0).round() / 100.0,
            "store_bytes_on_disk": disk,
            "store_vs_raw_text": ((disk as f64 / bytes as f64) * 100.0).round() / 100.0,
        });
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{report}");
    }
    Ok(())
}

/// Runs the benchmark.
pub fn run(a: &BenchArgs) -> anyhow::Result<()> {
    let (inputs, _) = source::expand(&a.paths)?;
    let docs: Vec<RawDocument> = source::read_inputs(inputs, pipeline::DEFAULT_MAX_DOCUMENT_BYTES)
        .filter_map(|i| i.doc.ok())
        .filter(|d| !d.text.trim().is_empty())
        .take(a.limit)
        .collect();
    anyhow::ensure!(!docs.is_empty(), "no documents");
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let t = Instant::now();
    let annotator = Annotator::new();
    let startup = t.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let threads = if a.threads.is_empty() { vec![1, cores] } else { a.threads.clone() };
    // warm-up (lazy tables, page cache)
    annotate_all(&annotator, &docs[..docs.len().min(50)], 1);
    if a.store_only {
        return store_only(&annotator, &docs, bytes, a.store_compression, a.json);
    }
    let mut rows = Vec::new();
    for &th in &threads {
        let secs = annotate_all(&annotator, &docs, th.max(1));
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().to_path_buf();
        let store = khabar_store::Store::open_with(&dir.join("db"), a.store_compression)?;
        let items = docs.iter().enumerate().map(|(i, d)| SourceItem { origin: format!("#{i}"), doc: Ok(d.clone()) });
        let opts = LocalOptions { threads: th.max(1), flush_every: 1000, ..Default::default() };
        let t = Instant::now();
        let sum = ingest_local(items, &annotator, &store, &opts, &|_| {}, None)?;
        let ingest_secs = t.elapsed().as_secs_f64();
        drop(store);
        let disk = dir_size(&dir.join("db"));
        // the stage shares, from a separate probed run into another fresh store
        let ptmp = tempfile::tempdir()?;
        let pstore = khabar_store::Store::open_with(&ptmp.path().join("db"), a.store_compression)?;
        let spent = profile_all(&annotator, &docs, th.max(1), &pstore)?;
        drop(pstore);
        let total: f64 = spent.iter().map(|d| d.as_secs_f64()).sum::<f64>().max(1e-9);
        let shares: serde_json::Map<String, serde_json::Value> =
            stage_names().into_iter().zip(spent).map(|(n, d)| (n.to_string(), serde_json::json!(((d.as_secs_f64() / total) * 1000.0).round() / 10.0))).collect();
        let ms_per_doc: serde_json::Map<String, serde_json::Value> =
            stage_names().into_iter().zip(spent).map(|(n, d)| (n.to_string(), serde_json::json!(((d.as_secs_f64() * 1000.0 / docs.len() as f64) * 1000.0).round() / 1000.0))).collect();
        rows.push(serde_json::json!({
            "threads": th,
            "annotate_docs_per_s": (docs.len() as f64 / secs).round(),
            "annotate_mb_per_s": ((bytes as f64 / 1e6 / secs) * 100.0).round() / 100.0,
            "ingest_docs_per_s": (docs.len() as f64 / ingest_secs).round(),
            "ingest_mb_per_s": ((bytes as f64 / 1e6 / ingest_secs) * 100.0).round() / 100.0,
            "ingest_vs_annotate": ((secs / ingest_secs) * 100.0).round() / 100.0,
            "store_bytes_on_disk": disk,
            "store_vs_raw_text": ((disk as f64 / bytes as f64) * 100.0).round() / 100.0,
            "failed": sum.failed,
            "entity_mentions": sum.entity_mentions,
            "events": sum.events,
            "stage_share_percent": shares,
            "stage_ms_per_doc": ms_per_doc,
        }));
    }
    let report = serde_json::json!({
        "documents": docs.len(),
        "text_mb": ((bytes as f64 / 1e6) * 100.0).round() / 100.0,
        "annotator_startup_s": (startup * 1000.0).round() / 1000.0,
        "cores": cores,
        "store_compression": a.store_compression,
        "runs": rows,
        "peak_rss_mib": peak_rss_mib(),
    });
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{} documents, {:.2} MB of text; annotator start-up {:.2}s; {} cores", docs.len(), bytes as f64 / 1e6, startup, cores);
        println!("{:>7} {:>12} {:>12} {:>12} {:>12} {:>10} {:>12}", "threads", "annot doc/s", "annot MB/s", "ingest doc/s", "ingest MB/s", "ing/annot", "store/text");
        for r in report["runs"].as_array().into_iter().flatten() {
            println!(
                "{:>7} {:>12} {:>12} {:>12} {:>12} {:>10} {:>12}",
                r["threads"], r["annotate_docs_per_s"], r["annotate_mb_per_s"], r["ingest_docs_per_s"], r["ingest_mb_per_s"], r["ingest_vs_annotate"], r["store_vs_raw_text"]
            );
        }
        println!("stage shares (% of time summed over threads; ms per document per thread in brackets):");
        print!("{:>7}", "threads");
        for n in stage_names() {
            print!(" {n:>18}");
        }
        println!();
        for r in report["runs"].as_array().into_iter().flatten() {
            print!("{:>7}", r["threads"]);
            for n in stage_names() {
                print!(" {:>18}", format!("{:.1}% ({:.2})", r["stage_share_percent"][n].as_f64().unwrap_or(0.0), r["stage_ms_per_doc"][n].as_f64().unwrap_or(0.0)));
            }
            println!();
        }
        if let Some(m) = peak_rss_mib() {
            println!("peak RSS {m} MiB");
        }
    }
    Ok(())
}
