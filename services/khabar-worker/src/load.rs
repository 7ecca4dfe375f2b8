//! `khabar-worker load`: a bounded gRPC load generator (loopback use; request loops limited in
//! count and time). Mixes GetDocument, ListDocuments/ListEvents/ListEntities with filters,
//! SearchEntities and AnalyzeText, optionally while an ingest runs, and reports QPS, p50/p99
//! latency per RPC, errors by status code and the server's peak RSS. `--mix health=1` measures
//! the framework's ceiling with the trivial grpc.health.v1 Check RPC on the same server.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use khabar_proto::v1 as pb;
use pb::{document_service_client::DocumentServiceClient, entity_service_client::EntityServiceClient, event_service_client::EventServiceClient};
use tonic::transport::Channel;

/// Options of `load`.
#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// Server URL.
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    pub server: String,
    /// Concurrent clients (each sends its next request when the previous one is answered).
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// HTTP/2 connections the clients share.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// Stop after this many seconds.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Stop after this many requests in total.
    #[arg(long, default_value_t = 1_000_000)]
    pub max_requests: u64,
    /// Weights of the request kinds: get, get_full, list_docs, list_events, list_entities, search, analyze, health.
    #[arg(long, default_value = "get=40,list_events=20,list_docs=10,list_entities=10,search=10,analyze=10")]
    pub mix: String,
    /// Open loop: send this many requests per second in total, spread over the clients, and
    /// measure latency from each request's scheduled time (no coordinated omission). Without it,
    /// each client sends its next request as soon as the previous one is answered (closed loop).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Per-request deadline in milliseconds.
    #[arg(long, default_value_t = 2000)]
    pub deadline_ms: u64,
    /// Ingest this JSON Lines file through the server while the load runs.
    #[arg(long)]
    pub ingest: Option<PathBuf>,
    /// PID of the server, to report its peak RSS (Linux /proc).
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Get,
    GetFull,
    ListDocs,
    ListEvents,
    ListEntities,
    Search,
    Analyze,
    Health,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "get" => Kind::Get,
            "get_full" => Kind::GetFull,
            "list_docs" => Kind::ListDocs,
            "list_events" => Kind::ListEvents,
            "list_entities" => Kind::ListEntities,
            "search" => Kind::Search,
            "analyze" => Kind::Analyze,
            "health" => Kind::Health,
            _ => return None,
        })
    }
    fn name(self) -> &'static str {
        match self {
            Kind::Get => "GetDocument(BASIC)",
            Kind::GetFull => "GetDocument(FULL)",
            Kind::ListDocs => "ListDocuments(filter)",
            Kind::ListEvents => "ListEvents(filter)",
            Kind::ListEntities => "ListEntities(filter)",
            Kind::Search => "SearchEntities",
            Kind::Analyze => "AnalyzeText",
            Kind::Health => "Health/Check",
        }
    }
}

#[derive(Default)]
struct Stats {
    lat_us: Vec<u32>,
    errors: BTreeMap<String, u64>,
}

struct Corpus {
    docs: Vec<String>,
    entities: Vec<String>,
    texts: Vec<String>,
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

async fn prepare(ch: &Channel) -> anyhow::Result<Corpus> {
    let mut d = DocumentServiceClient::new(ch.clone()).max_decoding_message_size(64 << 20);
    let docs = d.list_documents(pb::ListDocumentsRequest { page_size: 1000, ..Default::default() }).await?.into_inner().documents;
    let mut texts = Vec::new();
    for doc in docs.iter().take(20) {
        let full = d.get_document(pb::GetDocumentRequest { name: doc.name.clone(), view: pb::DocumentView::Full as i32 }).await?.into_inner();
        // a paragraph-sized piece of real text for AnalyzeText
        let t: String = full.text.chars().take(1500).collect();
        if !t.trim().is_empty() {
            texts.push(t);
        }
    }
    let mut e = EntityServiceClient::new(ch.clone());
    let entities = e.list_entities(pb::ListEntitiesRequest { page_size: 200, ..Default::default() }).await?.into_inner().entities.into_iter().map(|x| x.name).collect();
    if texts.is_empty() {
        texts.push("التقى الرئيس في باكو يوم 13 يوليو 2024 بوزير الخارجية.".into());
    }
    Ok(Corpus { docs: docs.into_iter().map(|d| d.name).collect(), entities, texts })
}

async fn one(kind: Kind, i: usize, ch: &Channel, c: &Corpus, deadline: Duration) -> Result<(), tonic::Code> {
    fn req<T>(m: T, d: Duration) -> tonic::Request<T> {
        let mut r = tonic::Request::new(m);
        r.set_timeout(d);
        r
    }
    let pick = |v: &Vec<String>| v.get(i % v.len().max(1)).cloned().unwrap_or_default();
    let r: Result<(), tonic::Status> = match kind {
        Kind::Get | Kind::GetFull => {
            let view = if kind == Kind::Get { pb::DocumentView::Basic } else { pb::DocumentView::Full };
            DocumentServiceClient::new(ch.clone())
                .max_decoding_message_size(64 << 20)
                .get_document(req(pb::GetDocumentRequest { name: pick(&c.docs), view: view as i32 }, deadline))
                .await
                .map(|_| ())
        }
        Kind::ListDocs => {
            let filter = if i % 2 == 0 { "language_code = \"ar\"" } else { "language_code = \"fa\"" };
            DocumentServiceClient::new(ch.clone()).list_documents(req(pb::ListDocumentsRequest { page_size: 20, filter: filter.into(), ..Default::default() }, deadline)).await.map(|_| ())
        }
        Kind::ListEvents => {
            let filter = match i % 3 {
                0 => "type = ATTACK AND time >= \"2020-01-01\"".to_string(),
                1 if !c.docs.is_empty() => format!("document = \"{}\"", pick(&c.docs)),
                _ if !c.entities.is_empty() => format!("participant = \"{}\"", pick(&c.entities)),
                _ => "type = MEET".to_string(),
            };
            EventServiceClient::new(ch.clone()).list_events(req(pb::ListEventsRequest { page_size: 20, filter, ..Default::default() }, deadline)).await.map(|_| ())
        }
        Kind::ListEntities => {
            let filter = if i % 2 == 0 || c.docs.is_empty() { "type = PERSON".to_string() } else { format!("document = \"{}\"", pick(&c.docs)) };
            EntityServiceClient::new(ch.clone()).list_entities(req(pb::ListEntitiesRequest { page_size: 20, filter, ..Default::default() }, deadline)).await.map(|_| ())
        }
        Kind::Search => {
            let q = ["باكو", "أذربيجان", "قره باغ", "منظمة", "ایران", "علييف"][i % 6];
            EntityServiceClient::new(ch.clone()).search_entities(req(pb::SearchEntitiesRequest { query: q.into(), page_size: 10, r#type: 0 }, deadline)).await.map(|_| ())
        }
        Kind::Analyze => DocumentServiceClient::new(ch.clone())
            .analyze_text(req(pb::AnalyzeTextRequest { text: pick(&c.texts), ..Default::default() }, deadline))
            .await
            .map(|_| ()),
        Kind::Health => tonic_health::pb::health_client::HealthClient::new(ch.clone())
            .check(req(tonic_health::pb::HealthCheckRequest { service: String::new() }, deadline))
            .await
            .map(|_| ()),
    };
    r.map_err(|s| s.code())
}

/// Runs the load and prints the report.
pub async fn run(a: &LoadArgs) -> anyhow::Result<()> {
    let mut schedule = Vec::new();
    for part in a.mix.split(',').filter(|p| !p.trim().is_empty()) {
        let (k, w) = part.split_once('=').ok_or_else(|| anyhow::anyhow!("--mix: expected kind=weight, got {part:?}"))?;
        let kind = Kind::parse(k.trim()).ok_or_else(|| anyhow::anyhow!("--mix: unknown kind {k:?}"))?;
        let w: usize = w.trim().parse()?;
        schedule.extend(std::iter::repeat_n(kind, w));
    }
    anyhow::ensure!(!schedule.is_empty(), "--mix has no weight");
    let url = if a.server.contains("://") { a.server.clone() } else { format!("http://{}", a.server) };
    let mut channels = Vec::new();
    for _ in 0..a.connections.max(1) {
        channels.push(tonic::transport::Endpoint::from_shared(url.clone())?.connect().await?);
    }
    let corpus = Arc::new(prepare(&channels[0]).await?);
    let schedule = Arc::new(schedule);
    let budget = Arc::new(std::sync::atomic::AtomicU64::new(a.max_requests));
    let stop_at = Instant::now() + Duration::from_secs_f64(a.duration);
    let ingest = a.ingest.clone().map(|p| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<crate::local::Summary> {
            let (inputs, _) = crate::source::expand(&[p])?;
            let items = crate::source::read_inputs(inputs, crate::pipeline::DEFAULT_MAX_DOCUMENT_BYTES);
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            rt.block_on(crate::remote::ingest_remote(items, &url, &crate::remote::RemoteOptions { batch: 16, ..Default::default() }, &|_| {}, None))
        })
    });
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..a.clients.max(1) {
        let ch = channels[client % channels.len()].clone();
        let (corpus, schedule, budget) = (corpus.clone(), schedule.clone(), budget.clone());
        let deadline = Duration::from_millis(a.deadline_ms);
        // open loop: this client's interval, phase-shifted so clients do not fire together
        let interval = a.rate.filter(|r| *r > 0.0).map(|r| Duration::from_secs_f64(a.clients.max(1) as f64 / r));
        let first = started + interval.map_or(Duration::ZERO, |iv| iv.mul_f64(client as f64 / a.clients.max(1) as f64));
        tasks.push(tokio::spawn(async move {
            let mut stats: BTreeMap<Kind, Stats> = BTreeMap::new();
            let mut i = client * 7919;
            let mut scheduled = first;
            while Instant::now() < stop_at {
                if interval.is_some() {
                    tokio::time::sleep_until(scheduled.into()).await;
                }
                if budget.fetch_update(std::sync::atomic::Ordering::Relaxed, std::sync::atomic::Ordering::Relaxed, |b| b.checked_sub(1)).is_err() {
                    break;
                }
                let kind = schedule[i % schedule.len()];
                let t = if interval.is_some() { scheduled } else { Instant::now() };
                if let Some(iv) = interval {
                    scheduled += iv;
                }
                let r = one(kind, i, &ch, &corpus, deadline).await;
                let s = stats.entry(kind).or_default();
                match r {
                    Ok(()) => s.lat_us.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32),
                    Err(code) => *s.errors.entry(format!("{code:?}")).or_default() += 1,
                }
                i += 1;
            }
            stats
        }));
    }
    let mut all: BTreeMap<Kind, Stats> = BTreeMap::new();
    for t in tasks {
        for (k, s) in t.await? {
            let e = all.entry(k).or_default();
            e.lat_us.extend(s.lat_us);
            for (c, n) in s.errors {
                *e.errors.entry(c).or_default() += n;
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ingest_summary = match ingest {
        Some(j) => Some(j.await??),
        None => None,
    };
    let rss = a.server_pid.and_then(peak_rss_kib);
    let mut rows = Vec::new();
    let (mut ok_total, mut err_total) = (0usize, 0u64);
    for (k, s) in all.iter_mut() {
        s.lat_us.sort_unstable();
        let errs: u64 = s.errors.values().sum();
        ok_total += s.lat_us.len();
        err_total += errs;
        rows.push(serde_json::json!({
            "rpc": k.name(),
            "ok": s.lat_us.len(),
            "qps": (s.lat_us.len() as f64 / elapsed * 10.0).round() / 10.0,
            "p50_ms": (percentile(&s.lat_us, 0.50) * 100.0).round() / 100.0,
            "p99_ms": (percentile(&s.lat_us, 0.99) * 100.0).round() / 100.0,
            "errors": s.errors,
        }));
    }
    let report = serde_json::json!({
        "clients": a.clients, "connections": a.connections, "rate": a.rate, "seconds": (elapsed * 100.0).round() / 100.0,
        "total_qps": (ok_total as f64 / elapsed * 10.0).round() / 10.0, "ok": ok_total, "errors": err_total,
        "server_peak_rss_mib": rss.map(|k| k / 1024),
        "ingest_during_load": ingest_summary.as_ref().map(|s| s.report()),
        "rpcs": rows,
    });
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let mode = a.rate.map_or("closed loop".to_string(), |r| format!("open loop at {r} req/s"));
        println!("{} clients on {} connections, {mode}, {:.1}s: {} ok ({:.0} req/s), {} errors", a.clients, a.connections, elapsed, ok_total, ok_total as f64 / elapsed, err_total);
        println!("{:<24} {:>8} {:>9} {:>9} {:>9}  errors", "rpc", "ok", "req/s", "p50 ms", "p99 ms");
        for r in report["rpcs"].as_array().into_iter().flatten() {
            let f = |k: &str| r[k].as_f64().unwrap_or(0.0);
            println!("{:<24} {:>8} {:>9.1} {:>9.2} {:>9.2}  {}", r["rpc"].as_str().unwrap_or(""), r["ok"], f("qps"), f("p50_ms"), f("p99_ms"), r["errors"]);
        }
        if let Some(k) = rss {
            println!("server peak RSS: {} MiB", k / 1024);
        }
        if let Some(s) = &ingest_summary {
            println!("ingest during the load: {}", s.report());
        }
    }
    Ok(())
}
