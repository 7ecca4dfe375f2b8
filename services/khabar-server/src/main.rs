//! `khabar-server`: serve the khabar.v1 API over a sled store.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// Khabar gRPC server: annotated Arabic and Persian news over typed RPCs.
#[derive(Debug, Parser)]
#[command(name = "khabar-server", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Ask a running server for its health (grpc.health.v1); exit 0 when SERVING. For container
    /// HEALTHCHECKs (the image has no grpc_health_probe).
    Healthcheck {
        /// Server address.
        #[arg(long, env = "KHABAR_ADDR", default_value = "127.0.0.1:50051")]
        addr: String,
        /// Service to check ("" is the whole server).
        #[arg(long, default_value = "")]
        service: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 3)]
        timeout: u64,
    },
}

#[derive(Debug, Clone, clap::Args)]
struct ServeArgs {
    /// Store directory (created when missing).
    #[arg(long, env = "KHABAR_DB", default_value = "khabar-data")]
    db: PathBuf,
    /// Listen address. The default binds loopback only; containers pass 0.0.0.0:50051.
    #[arg(long, env = "KHABAR_ADDR", default_value = "127.0.0.1:50051")]
    addr: SocketAddr,
    /// When the store is created: compress its pages with zstd at this level (1-22; 3 is a good
    /// start; 0: uncompressed, the default): about 40% smaller, with a slower write (README,
    /// Performance). An existing store stays compressed or not as it was created.
    #[arg(long, env = "KHABAR_STORE_COMPRESSION", value_parser = clap::value_parser!(i32).range(0..=22))]
    store_compression: Option<i32>,
    /// Files or folders to ingest at start-up (.txt, .jsonl), before reporting SERVING.
    #[arg(long, num_args = 1..)]
    ingest: Vec<PathBuf>,
    /// Largest document (and AnalyzeText text) in bytes; the gRPC message limit follows it.
    #[arg(long, env = "KHABAR_MAX_DOCUMENT_BYTES", default_value_t = khabar_worker::pipeline::DEFAULT_MAX_DOCUMENT_BYTES)]
    max_document_bytes: usize,
    /// Unary requests served at once; more are refused with RESOURCE_EXHAUSTED.
    #[arg(long, env = "KHABAR_MAX_IN_FLIGHT", default_value_t = 256)]
    max_in_flight: usize,
    /// Documents annotated at once (default: number of cores).
    #[arg(long, env = "KHABAR_ANNOTATE_THREADS")]
    annotate_threads: Option<usize>,
    /// Bearer token required by IngestDocuments (off when unset).
    #[arg(long, env = "KHABAR_WRITE_TOKEN", hide_env_values = true)]
    write_token: Option<String>,
    /// PEM certificate for TLS (with --tls-key).
    #[arg(long, env = "KHABAR_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for TLS (with --tls-cert).
    #[arg(long, env = "KHABAR_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "KHABAR_LOG_JSON")]
    log_json: bool,
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    use std::io::IsTerminal;
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal());
    if json { b.json().init() } else { b.init() }
}

async fn healthcheck(addr: String, service: String, timeout: u64) -> anyhow::Result<()> {
    use tonic_health::pb::{health_client::HealthClient, HealthCheckRequest};
    let url = if addr.contains("://") { addr } else { format!("http://{addr}") };
    let fut = async {
        let ch = tonic::transport::Endpoint::from_shared(url)?.connect_timeout(Duration::from_secs(timeout)).connect().await?;
        let r = HealthClient::new(ch).check(HealthCheckRequest { service }).await?;
        anyhow::Ok(r.into_inner().status())
    };
    let status = tokio::time::timeout(Duration::from_secs(timeout), fut).await.map_err(|_| anyhow::anyhow!("no answer within {timeout}s"))??;
    println!("{}", status.as_str_name());
    anyhow::ensure!(status == tonic_health::pb::health_check_response::ServingStatus::Serving, "not serving");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Healthcheck { addr, service, timeout }) => return healthcheck(addr, service, timeout).await,
        Some(Command::Serve(a)) => a,
        None => cli.serve,
    };
    init_logs(args.log_json);
    let mut cfg = khabar_server::Config::new(args.db);
    cfg.ingest = args.ingest;
    cfg.store_compression = args.store_compression;
    cfg.limits.max_document_bytes = args.max_document_bytes;
    if let Some(n) = args.annotate_threads {
        cfg.limits.annotate_parallelism = n.max(1);
    }
    cfg.max_in_flight = args.max_in_flight;
    cfg.write_token = args.write_token.filter(|t| !t.is_empty());
    cfg.tls = args.tls_cert.zip(args.tls_key);
    let listener = tokio::net::TcpListener::bind(args.addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
    khabar_server::serve(cfg, listener, khabar_server::shutdown_signal()).await
}
