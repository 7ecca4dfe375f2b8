//! `khabar-worker`: batch ingest, consistency checks, reindexing and NER training.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use khabar_worker::{local, pipeline, remote, source};

/// mimalloc instead of the system allocator: sled clones and drops tree nodes on every write and
/// annotation allocates many small strings; glibc malloc was a fifth of the write path's time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Khabar's batch worker.
#[derive(Debug, Parser)]
#[command(name = "khabar-worker", version, about)]
struct Cli {
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, global = true, env = "KHABAR_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest .txt files, folders (recursively) and .jsonl files ('-' reads JSON Lines from stdin),
    /// through a running server (--server) or straight into a store no server holds (--db).
    Ingest(IngestArgs),
    /// Check that every index, entity and event agrees with the stored documents.
    Check {
        /// Store directory (no server may hold it).
        #[arg(long, env = "KHABAR_DB")]
        db: PathBuf,
        /// Write the expected state where it differs.
        #[arg(long)]
        repair: bool,
    },
    /// Rebuild every index, entity and event from the stored documents.
    Reindex {
        /// Store directory (no server may hold it).
        #[arg(long, env = "KHABAR_DB")]
        db: PathBuf,
    },
    /// Where a store's keys and bytes go: per table, keys, key bytes and value bytes (totals and
    /// per document), with the size on disk.
    Stats {
        /// Store directory (no server may hold it).
        #[arg(long, env = "KHABAR_DB")]
        db: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy a store, key by key in key order, into a new directory: the copy holds the live keys
    /// only, written once (sled never gives back the space of the pages it rewrote).
    Compact {
        /// Store directory to copy (no server may hold it).
        #[arg(long, env = "KHABAR_DB")]
        db: PathBuf,
        /// New store directory (must not exist or be empty).
        #[arg(long)]
        out: PathBuf,
        /// zstd level (1-22) of the copy's pages, 0 for an uncompressed copy (default: as the
        /// store copied). Bodies are re-encoded when the setting changes.
        #[arg(long, value_parser = clap::value_parser!(i32).range(0..=22))]
        store_compression: Option<i32>,
    },
    /// End-to-end ingest benchmark: annotation-only and ingest throughput (1 thread, all cores),
    /// store size against raw text, peak RSS.
    Bench(khabar_worker::bench::BenchArgs),
    /// Grow a store to large document counts (the corpus annotated once, repeated with fresh ids
    /// through the normal write path) and measure get/list/ListEvents latency, size on disk and
    /// RSS at each checkpoint.
    Scale(khabar_worker::scale::ScaleArgs),
    /// A bounded gRPC load test against a running server (QPS, p50/p99 per RPC, errors by code).
    Load(khabar_worker::load::LoadArgs),
    /// Train the named-entity sequence labeller from CoNLL/TSV files and write a model file.
    TrainNer(khabar_worker::train_ner::TrainNerArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["server", "db"])))]
struct IngestArgs {
    /// Files, folders, or '-' for JSON Lines on stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Stream to this server's IngestDocuments (e.g. http://127.0.0.1:50051).
    #[arg(long, env = "KHABAR_SERVER")]
    server: Option<String>,
    /// Annotate here and write into this store directory (fails if a server holds it).
    /// Deliberately not read from KHABAR_DB: the target must be chosen on the command line.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Annotating threads with --db (default: number of cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Documents per IngestDocuments call with --server (the unit the server acknowledges).
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// Largest accepted document in bytes.
    #[arg(long, env = "KHABAR_MAX_DOCUMENT_BYTES", default_value_t = pipeline::DEFAULT_MAX_DOCUMENT_BYTES)]
    max_document_bytes: usize,
    /// Bearer token for a server started with --write-token.
    #[arg(long, env = "KHABAR_WRITE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Append "documents/{id}<TAB>{created|unchanged|updated}" for every document once it is
    /// durable (after the server's or the store's flush): what survives a crash.
    #[arg(long)]
    ack_file: Option<PathBuf>,
    /// Prefix every given id (JSON Lines `id`, file stem) with this, e.g. "fars-", so that
    /// sources numbering their articles from 0 do not overwrite each other.
    #[arg(long, default_value = "")]
    id_prefix: String,
    /// With --db: flush the store and acknowledge every this many documents.
    #[arg(long, default_value_t = 1000)]
    flush_every: usize,
    /// With --db: documents per store transaction (each document stays whole or absent after a
    /// crash; larger batches write shared entity records and counters less often).
    #[arg(long, default_value_t = local::DEFAULT_WRITE_BATCH)]
    write_batch: usize,
    /// With --db, when it creates the store: compress its pages with zstd at this level (1-22;
    /// 3 is a good start; 0: uncompressed, the default). About 40% smaller, with a slower write
    /// (README, Performance). An existing store stays compressed or not as it was created.
    #[arg(long, env = "KHABAR_STORE_COMPRESSION", value_parser = clap::value_parser!(i32).range(0..=22))]
    store_compression: Option<i32>,
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn,khabar_worker=info".into());
    use std::io::IsTerminal;
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal());
    if json { b.json().init() } else { b.init() }
}

fn progress_bar() -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}").expect("valid template"));
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

fn ingest(a: IngestArgs) -> anyhow::Result<bool> {
    let (inputs, skipped) = source::expand(&a.paths)?;
    for s in &skipped {
        tracing::info!(file = %s.display(), "skipped (not .txt or .jsonl)");
    }
    let prefix = a.id_prefix.clone();
    let items = source::read_inputs(inputs, a.max_document_bytes).map(move |mut item| {
        if let Ok(doc) = &mut item.doc
            && !prefix.is_empty()
        {
            doc.id = doc.id.take().map(|id| format!("{prefix}{id}"));
        }
        item
    });
    let pb = progress_bar();
    let show = |s: &local::Summary| {
        pb.set_message(format!("{} documents ({} failed), {:.1} docs/s", s.documents(), s.failed, s.documents() as f64 / s.elapsed.as_secs_f64().max(1e-3)));
    };
    let ack_file: Option<std::sync::Mutex<Box<dyn std::io::Write + Send>>> = match &a.ack_file {
        Some(p) => Some(std::sync::Mutex::new(Box::new(AckFile(std::fs::OpenOptions::new().create(true).append(true).open(p)?)))),
        None => None,
    };
    let summary = if let Some(url) = &a.server {
        let opts = remote::RemoteOptions { batch: a.batch, max_document_bytes: a.max_document_bytes, token: a.token.clone(), ..Default::default() };
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        rt.block_on(remote::ingest_remote(items, url, &opts, &show, ack_file.as_ref()))?
    } else {
        let db = a.db.as_ref().expect("clap requires --server or --db");
        let store = khabar_store::Store::open_with(db, a.store_compression)?;
        let annotator = khabar_annotate::Annotator::new();
        let opts = local::LocalOptions { threads: a.threads.unwrap_or(local::LocalOptions::default().threads), max_document_bytes: a.max_document_bytes, flush_every: a.flush_every, write_batch: a.write_batch };
        local::ingest_local(items, &annotator, &store, &opts, &show, ack_file.as_ref())?
    };
    pb.finish_and_clear();
    for (origin, err) in &summary.failures {
        eprintln!("failed: {origin}: {err}");
    }
    if !skipped.is_empty() {
        eprintln!("skipped {} files that are not .txt or .jsonl", skipped.len());
    }
    println!("{}", summary.report());
    Ok(summary.failed == 0)
}

/// An append-only file whose every flush is synced to disk.
struct AckFile(std::fs::File);

impl std::io::Write for AckFile {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.write(b)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()?;
        self.0.sync_data()
    }
}

fn print_stats(s: &khabar_store::StoreStats, json: bool) -> anyhow::Result<()> {
    let per_doc = |x: u64| x as f64 / s.documents.max(1) as f64;
    if json {
        let tables: Vec<serde_json::Value> = s
            .tables
            .iter()
            .map(|t| serde_json::json!({"prefix": t.prefix, "keys": t.keys, "key_bytes": t.key_bytes, "value_bytes": t.value_bytes}))
            .collect();
        let report = serde_json::json!({
            "documents": s.documents,
            "size_on_disk": s.size_on_disk,
            "compressed": s.compressed,
            "keys": s.keys(),
            "logical_bytes": s.logical_bytes(),
            "tables": tables,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "{} documents; {} keys ({:.1} per document); {:.2} MB of keys and values ({:.0} bytes per document); {:.2} MB on disk ({:.0} bytes per document{})",
        s.documents,
        s.keys(),
        per_doc(s.keys()),
        s.logical_bytes() as f64 / 1e6,
        per_doc(s.logical_bytes()),
        s.size_on_disk as f64 / 1e6,
        per_doc(s.size_on_disk),
        if s.compressed { ", zstd-compressed" } else { "" }
    );
    println!("{:<8} {:>12} {:>10} {:>14} {:>14} {:>10}", "table", "keys", "keys/doc", "key bytes", "value bytes", "bytes/doc");
    for t in &s.tables {
        println!(
            "{:<8} {:>12} {:>10.2} {:>14} {:>14} {:>10.0}",
            t.prefix,
            t.keys,
            per_doc(t.keys),
            t.key_bytes,
            t.value_bytes,
            per_doc(t.key_bytes + t.value_bytes)
        );
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logs(cli.log_json);
    match cli.command {
        Command::Ingest(a) => {
            if !ingest(a)? {
                std::process::exit(1);
            }
        }
        Command::Check { db, repair } => {
            let store = open_existing(&db)?;
            let r = store.check(repair)?;
            println!(
                "documents: {}; derived keys expected {}, found {}; missing or wrong {}, unexpected {}; broken documents {}; document counter {}{}",
                r.documents,
                r.derived_keys_expected,
                r.derived_keys_found,
                r.missing_or_wrong,
                r.unexpected,
                r.broken_documents.len(),
                if r.counter_ok { "ok" } else { "wrong" },
                if r.repaired { "; repaired" } else { "" }
            );
            for e in &r.examples {
                println!("  {e}");
            }
            for d in &r.broken_documents {
                println!("  broken document (re-ingest it): documents/{d}");
            }
            if !r.is_clean() && !r.repaired {
                std::process::exit(1);
            }
        }
        Command::Reindex { db } => {
            let store = open_existing(&db)?;
            let pb = progress_bar();
            let n = store.reindex(|n| pb.set_message(format!("{n} documents")))?;
            pb.finish_and_clear();
            println!("reindexed {n} documents");
        }
        Command::Stats { db, json } => print_stats(&open_existing(&db)?.stats()?, json)?,
        Command::Compact { db, out, store_compression } => {
            let store = open_existing(&db)?;
            let before = store.size_on_disk();
            let copy = store.compact_into(&out, store_compression)?;
            let (docs, after) = (copy.document_count()?, copy.size_on_disk());
            drop(copy);
            println!("copied {docs} documents: {:.2} MB on disk -> {:.2} MB in {}", before as f64 / 1e6, after as f64 / 1e6, out.display());
        }
        Command::Bench(a) => khabar_worker::bench::run(&a)?,
        Command::Scale(a) => khabar_worker::scale::run(&a)?,
        Command::Load(a) => {
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
            rt.block_on(khabar_worker::load::run(&a))?;
        }
        Command::TrainNer(a) => khabar_worker::train_ner::run(&a)?,
    }
    Ok(())
}

/// Opens the store of a maintenance command; a path that holds nothing is an error (opening
/// it would create an empty store).
fn open_existing(db: &std::path::Path) -> anyhow::Result<khabar_store::Store> {
    if !db.is_dir() {
        anyhow::bail!("no store at {}", db.display());
    }
    Ok(khabar_store::Store::open(db)?)
}
