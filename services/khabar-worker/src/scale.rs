//! `khabar-worker scale`: grows a store to large document counts (the corpus repeated with fresh
//! ids) and measures, at each checkpoint, read latency through the store's read API (the same
//! calls the server's handlers make): GetDocument, ListDocuments (filtered by language), and
//! ListEvents filtered by type and time, by participant and by document; plus the store size on
//! disk and this process's RSS.
//!
//! Each corpus document is annotated once; copy `k` of it gets the id `{id}-r{k}` and fresh
//! event ids (`ev-` + 16 hex of SHA-256 of the original id and `k`), so the copies are distinct
//! documents reporting distinct events, written through [`Store::put_documents`] in batches of
//! `--write-batch` documents per transaction, as `ingest --db` writes them. Entities (knowledge-base and found in text) are
//! shared by the copies, as the same people and places recur in real news.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use khabar_annotate::{Annotations, Annotator, EventType, Input, Lang};
use khabar_store::{DocFilter, EventFilter, NewDocument, Store};

use crate::pipeline::{self, Prepared};
use crate::source;

/// Options of `scale`.
#[derive(Debug, Clone, clap::Args)]
pub struct ScaleArgs {
    /// Files or folders (.jsonl, .txt) with the articles (repeated with fresh ids).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Store directory (created; keep it to serve it with khabar-server afterwards).
    #[arg(long)]
    pub db: PathBuf,
    /// Document counts at which to measure (comma-separated, increasing).
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
    pub sizes: Vec<u64>,
    /// Writing threads.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Stop growing (and measure what there is) when the store reaches this many GB on disk.
    #[arg(long, default_value_t = 18.0)]
    pub max_disk_gb: f64,
    /// Stop growing (and measure what there is) after this many seconds of writing.
    #[arg(long, default_value_t = 3600.0)]
    pub max_seconds: f64,
    /// Requests per measured call at each checkpoint.
    #[arg(long, default_value_t = 2000)]
    pub samples: usize,
    /// Documents per store transaction (as `ingest --db` writes them); 1 = one per transaction.
    #[arg(long, default_value_t = 256)]
    pub write_batch: usize,
}

fn rss_mib() -> (Option<u64>, Option<u64>) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get = |k: &str| s.lines().find(|l| l.starts_with(k)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<u64>().ok()).map(|kib| kib / 1024);
    (get("VmRSS:"), get("VmHWM:"))
}

/// Fresh ids for copy `k` of an annotated document (copy 0 keeps the original ids).
fn copy_of(doc: &Prepared, ann: &Annotations, k: u64) -> NewDocument {
    let mut annotations = ann.clone();
    let mut id = doc.id.clone();
    if k > 0 {
        id = format!("{}-r{k}", doc.id);
        for e in annotations.events.iter_mut() {
            e.id = format!("ev-{}", &khabar_store::content_sha256(&format!("{}/{k}", e.id))[..16]);
        }
    }
    NewDocument { id, text: doc.text.clone(), given: doc.given.clone(), annotations, now_ms: pipeline::now_ms() }
}

/// p50 and p99 in milliseconds of `n` calls of `f(i)`.
fn latency(n: usize, mut f: impl FnMut(usize) -> anyhow::Result<()>) -> anyhow::Result<(f64, f64)> {
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i)?;
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 * q) as usize).min(v.len() - 1)];
    Ok((at(0.5), at(0.99)))
}

/// A small deterministic generator for picking documents to read.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Read latencies at the current size.
fn measure(store: &Store, corpus: &[(Prepared, Annotations)], written: u64, samples: usize) -> anyhow::Result<serde_json::Value> {
    let n = corpus.len() as u64;
    let copies = written.div_ceil(n);
    let mut rng = Lcg(written);
    let pick = |rng: &mut Lcg| -> (usize, u64) {
        let j = rng.below(written);
        ((j % n) as usize, j / n)
    };
    let id_of = |i: usize, k: u64| if k == 0 { corpus[i].0.id.clone() } else { format!("{}-r{k}", corpus[i].0.id) };
    // warm the paths once
    store.get_document(&corpus[0].0.id)?;
    let get = latency(samples, |_| {
        let (i, k) = pick(&mut rng);
        anyhow::ensure!(store.get_document(&id_of(i, k))?.is_some(), "document missing");
        Ok(())
    })?;
    let get_full = latency(samples / 4, |_| {
        let (i, k) = pick(&mut rng);
        anyhow::ensure!(store.get_body(&id_of(i, k))?.is_some(), "body missing");
        Ok(())
    })?;
    let langs = [Lang::Ar, Lang::Fa];
    let list_docs = latency(samples, |s| {
        let f = DocFilter { lang: Some(langs[s % 2]), ..Default::default() };
        let p = store.list_documents(&f, None, 50)?;
        std::hint::black_box(p.items.len());
        Ok(())
    })?;
    // ListEvents: by type and time, by participant (an entity of a random document), by document
    let types = [EventType::Attack, EventType::Meet, EventType::Visit, EventType::Agreement];
    let list_events_type_time = latency(samples, |s| {
        let f = EventFilter { etype: Some(types[s % types.len()]), time_from: Some("2015-01-01".into()), time_to: Some("2016-12-31".into()), ..Default::default() };
        std::hint::black_box(store.list_events(&f, None, 50)?.items.len());
        Ok(())
    })?;
    let participants: Vec<String> = corpus.iter().flat_map(|(_, a)| a.events.iter().flat_map(|e| e.participants.iter().filter(|p| !p.entity.is_empty()).map(|p| p.entity.clone()))).take(500).collect();
    let list_events_participant = if participants.is_empty() {
        (0.0, 0.0)
    } else {
        latency(samples, |s| {
            let f = EventFilter { participant: Some(participants[s % participants.len()].clone()), ..Default::default() };
            std::hint::black_box(store.list_events(&f, None, 50)?.items.len());
            Ok(())
        })?
    };
    let list_events_document = latency(samples, |_| {
        let (i, k) = pick(&mut rng);
        let f = EventFilter { document: Some(id_of(i, k)), ..Default::default() };
        std::hint::black_box(store.list_events(&f, None, 50)?.items.len());
        Ok(())
    })?;
    let (rss, hwm) = rss_mib();
    let ms = |(a, b): (f64, f64)| serde_json::json!({"p50_ms": (a * 1000.0).round() / 1000.0, "p99_ms": (b * 1000.0).round() / 1000.0});
    Ok(serde_json::json!({
        "documents": store.document_count()?,
        "copies": copies,
        "store_bytes_on_disk": store.size_on_disk(),
        "get_document": ms(get),
        "get_document_body": ms(get_full),
        "list_documents_lang_50": ms(list_docs),
        "list_events_type_time_50": ms(list_events_type_time),
        "list_events_participant_50": ms(list_events_participant),
        "list_events_document": ms(list_events_document),
        "rss_mib": rss,
        "peak_rss_mib": hwm,
    }))
}

/// Runs the scale test.
pub fn run(a: &ScaleArgs) -> anyhow::Result<()> {
    let (inputs, _) = source::expand(&a.paths)?;
    let raws: Vec<_> = source::read_inputs(inputs, pipeline::DEFAULT_MAX_DOCUMENT_BYTES).filter_map(|i| i.doc.ok()).collect();
    let mut docs: Vec<Prepared> = raws.into_iter().filter_map(|r| pipeline::prepare(r, pipeline::DEFAULT_MAX_DOCUMENT_BYTES).ok()).collect();
    // ids collide across sources: keep the first of each
    let mut seen = std::collections::HashSet::new();
    docs.retain(|d| seen.insert(d.id.clone()));
    anyhow::ensure!(!docs.is_empty(), "no documents");
    let text_bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    eprintln!("annotating {} documents once ({:.1} MB of text)...", docs.len(), text_bytes as f64 / 1e6);
    let annotator = Annotator::new();
    let t = Instant::now();
    let next = AtomicU64::new(0);
    let threads = a.threads.max(1);
    let mut corpus: Vec<(Prepared, Annotations)> = Vec::with_capacity(docs.len());
    let parts: Vec<Vec<(usize, Annotations)>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                        let Some(d) = docs.get(i) else { return out };
                        let date = (!d.given.publish_date.is_empty()).then_some(d.given.publish_date.as_str());
                        out.push((i, annotator.annotate(&Input { text: &d.text, lang_hint: None, publish_date: date })));
                    }
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("annotating thread panicked")).collect()
    });
    let mut anns: Vec<Option<Annotations>> = vec![None; docs.len()];
    for (i, x) in parts.into_iter().flatten() {
        anns[i] = Some(x);
    }
    for (d, x) in docs.into_iter().zip(anns) {
        corpus.push((d, x.expect("every document annotated")));
    }
    eprintln!("annotated in {:.1}s", t.elapsed().as_secs_f64());

    let store = Store::open(&a.db)?;
    let n = corpus.len() as u64;
    let written = AtomicU64::new(store.document_count()?);
    let stop = AtomicBool::new(false);
    let start = Instant::now();
    let mut sizes = a.sizes.clone();
    sizes.sort_unstable();
    for &target in &sizes {
        let from = written.load(Ordering::Relaxed);
        if from < target && !stop.load(Ordering::Relaxed) {
            let t = Instant::now();
            let next = AtomicU64::new(from);
            let batch = a.write_batch.max(1) as u64;
            let failed: std::sync::Mutex<Option<anyhow::Error>> = std::sync::Mutex::new(None);
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| {
                        loop {
                            if stop.load(Ordering::Relaxed) {
                                return;
                            }
                            let j0 = next.fetch_add(batch, Ordering::Relaxed);
                            if j0 >= target {
                                return;
                            }
                            let docs: Vec<NewDocument> = (j0..(j0 + batch).min(target)).map(|j| {
                                let (d, ann) = &corpus[(j % n) as usize];
                                copy_of(d, ann, j / n)
                            }).collect();
                            if let Err(e) = store.put_documents(&docs) {
                                *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.into());
                                stop.store(true, Ordering::Relaxed);
                                return;
                            }
                            let w = written.fetch_add(docs.len() as u64, Ordering::Relaxed) + docs.len() as u64;
                            if w / 10_000 != (w - docs.len() as u64) / 10_000 {
                                let disk = store.size_on_disk();
                                eprintln!("{w} documents, {:.2} GB on disk, {:.0} docs/s", disk as f64 / 1e9, (w - from) as f64 / t.elapsed().as_secs_f64());
                                if disk as f64 > a.max_disk_gb * 1e9 || start.elapsed() > Duration::from_secs_f64(a.max_seconds) {
                                    eprintln!("stopping: disk or time limit reached");
                                    stop.store(true, Ordering::Relaxed);
                                }
                            }
                        }
                    });
                }
            });
            store.flush()?;
            if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
                return Err(e);
            }
            let w = written.load(Ordering::Relaxed);
            eprintln!("{w} documents written ({:.0} docs/s); measuring...", (w - from) as f64 / t.elapsed().as_secs_f64().max(1e-9));
        }
        let w = written.load(Ordering::Relaxed).min(target);
        let mut row = measure(&store, &corpus, w, a.samples)?;
        row["target"] = serde_json::json!(target);
        let text: u64 = (0..w).map(|j| corpus[(j % n) as usize].0.text.len() as u64).sum();
        row["raw_text_bytes"] = serde_json::json!(text);
        row["store_vs_raw_text"] = serde_json::json!(((store.size_on_disk() as f64 / text as f64) * 100.0).round() / 100.0);
        println!("{}", serde_json::to_string(&row)?);
        if stop.load(Ordering::Relaxed) {
            break;
        }
    }
    Ok(())
}
