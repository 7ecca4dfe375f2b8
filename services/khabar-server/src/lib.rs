//! Khabar's gRPC server: `khabar.v1` document, entity and event services over the store and
//! the annotator, plus `grpc.health.v1.Health` and server reflection (v1 and v1alpha).
//!
//! Layout (after qdrant): thin handlers in [`api`], one error type in [`error`] mapped to
//! `tonic::Status` in one place, conversions in [`convert`], filters in [`filter`], page tokens
//! in [`paging`], the load-shedding and deadline layer in [`guard`].

pub mod api;
pub mod convert;
pub mod error;
pub mod filter;
pub mod guard;
pub mod paging;
pub mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use khabar_annotate::Annotator;
use khabar_proto::v1::{
    document_service_server::DocumentServiceServer, entity_service_server::EntityServiceServer, event_service_server::EventServiceServer,
};
use khabar_store::Store;
use tokio::net::TcpListener;
use tonic_health::ServingStatus;

use crate::state::{AppState, Limits, Shared};

/// Server configuration (flags and environment variables of `khabar-server`).
#[derive(Debug, Clone)]
pub struct Config {
    /// Store directory.
    pub db: PathBuf,
    /// zstd level of a store created now (`None`: uncompressed); see [`Store::open_with`].
    pub store_compression: Option<i32>,
    /// Files or folders to ingest at start-up, before reporting SERVING.
    pub ingest: Vec<PathBuf>,
    pub limits: Limits,
    /// Unary requests served at once before shedding load with RESOURCE_EXHAUSTED.
    pub max_in_flight: usize,
    /// Live WatchEvents streams at once.
    pub max_watchers: usize,
    /// Bearer token required by IngestDocuments, when set.
    pub write_token: Option<String>,
    /// PEM certificate and key for TLS, when set.
    pub tls: Option<(PathBuf, PathBuf)>,
}

impl Config {
    /// A configuration with defaults for the given store directory.
    pub fn new(db: impl Into<PathBuf>) -> Config {
        Config { db: db.into(), store_compression: None, ingest: Vec::new(), limits: Limits::default(), max_in_flight: 256, max_watchers: 256, write_token: None, tls: None }
    }
}

const SERVICES: [&str; 3] = ["khabar.v1.DocumentService", "khabar.v1.EntityService", "khabar.v1.EventService"];

/// Opens the store, builds the annotator, runs the start-up ingest, and returns the state.
fn open_state(cfg: &Config) -> anyhow::Result<Arc<AppState>> {
    let t = std::time::Instant::now();
    let store = Store::open_with(&cfg.db, cfg.store_compression)?;
    let annotator = Arc::new(Annotator::new());
    tracing::info!(db = %cfg.db.display(), documents = store.document_count()?, compressed = store.compressed(), elapsed_ms = t.elapsed().as_millis() as u64, "store open, annotator ready");
    if !cfg.ingest.is_empty() {
        let (inputs, skipped) = khabar_worker::source::expand(&cfg.ingest)?;
        for s in skipped {
            tracing::info!(file = %s.display(), "skipped (not .txt or .jsonl)");
        }
        let opts = khabar_worker::local::LocalOptions { max_document_bytes: cfg.limits.max_document_bytes, ..Default::default() };
        let items = khabar_worker::source::read_inputs(inputs, cfg.limits.max_document_bytes);
        let summary = khabar_worker::local::ingest_local(items, &annotator, &store, &opts, &|_| {}, None)?;
        for (origin, err) in &summary.failures {
            tracing::warn!(%origin, error = %err, "start-up ingest: document failed");
        }
        tracing::info!("start-up ingest: {}", summary.report());
    }
    let last = store.last_change()?;
    let (changes, _) = tokio::sync::watch::channel(last);
    Ok(Arc::new(AppState {
        tokens: paging::Tokens::new(*store.secret()),
        annotate_slots: Arc::new(tokio::sync::Semaphore::new(cfg.limits.annotate_parallelism.max(1))),
        store,
        annotator,
        limits: cfg.limits.clone(),
        changes,
        write_token: cfg.write_token.clone(),
    }))
}

/// Serves on `listener` until `shutdown` completes, then stops gracefully and flushes the store.
/// Health answers NOT_SERVING until the store is open and the start-up ingest is done.
pub async fn serve(cfg: Config, listener: TcpListener, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_service_status("", ServingStatus::NotServing).await;
    for s in SERVICES {
        health.set_service_status(s, ServingStatus::NotServing).await;
    }
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(khabar_proto::v1::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(khabar_proto::v1::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;

    let shared = Arc::new(Shared::default());
    let msg_limit = cfg.limits.max_document_bytes + (1 << 20);
    let docs = DocumentServiceServer::new(api::documents::Documents { shared: shared.clone() })
        .max_decoding_message_size(msg_limit)
        .max_encoding_message_size(usize::MAX);
    let ents = EntityServiceServer::new(api::entities::Entities { shared: shared.clone() }).max_decoding_message_size(1 << 20);
    let evs = EventServiceServer::new(api::events::Events { shared: shared.clone(), watch_slots: Arc::new(tokio::sync::Semaphore::new(cfg.max_watchers.max(1))) })
        .max_decoding_message_size(1 << 20);

    let local_addr = listener.local_addr()?;
    let mut builder = tonic::transport::Server::builder().http2_keepalive_interval(Some(Duration::from_secs(30)));
    if let Some((cert, key)) = &cfg.tls {
        let identity = tonic::transport::Identity::from_pem(std::fs::read(cert)?, std::fs::read(key)?);
        builder = builder.tls_config(tonic::transport::ServerTlsConfig::new().identity(identity))?;
    }
    let router = builder
        .layer(guard::GuardLayer::new(cfg.max_in_flight))
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(docs)
        .add_service(ents)
        .add_service(evs);

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    // TCP_NODELAY on every accepted connection: without it small responses written in several
    // segments wait for the peer's delayed ACK (~40 ms per call)
    let incoming = tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true)).with_keepalive(Some(Duration::from_secs(60)));
    let server = tokio::spawn(router.serve_with_incoming_shutdown(incoming, async {
        let _ = stop_rx.await;
    }));
    tracing::info!(addr = %local_addr, "listening (NOT_SERVING until the store is open)");

    // open the store (and ingest) while the listener already answers health checks
    let cfg2 = cfg.clone();
    let opened = tokio::task::spawn_blocking(move || open_state(&cfg2)).await;
    let state = match opened {
        Ok(Ok(s)) => s,
        failed => {
            let _ = stop_tx.send(());
            let _ = server.await;
            return Err(match failed {
                Ok(Err(e)) => e,
                Err(e) => e.into(),
                Ok(Ok(_)) => unreachable!(),
            });
        }
    };
    shared.set(state.clone());
    for s in SERVICES {
        health.set_service_status(s, ServingStatus::Serving).await;
    }
    health.set_service_status("", ServingStatus::Serving).await;
    tracing::info!(addr = %local_addr, "serving");

    shutdown.await;
    tracing::info!("shutting down");
    health.set_service_status("", ServingStatus::NotServing).await;
    let _ = stop_tx.send(());
    // streams (WatchEvents) would keep a graceful shutdown waiting: give them a moment
    match tokio::time::timeout(Duration::from_secs(5), server).await {
        Ok(r) => r??,
        Err(_) => tracing::warn!("connections still open after 5s; closing"),
    }
    let s2 = state.clone();
    tokio::task::spawn_blocking(move || s2.store.flush()).await??;
    tracing::info!("store flushed; bye");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("SIGINT"),
        _ = term => tracing::info!("SIGTERM"),
    }
}

/// A server started in the background (for tests and embedding): bound to a port-0 listener
/// before it starts, so the address is known at once.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Running {
    /// Starts a server on 127.0.0.1 port 0.
    pub async fn start(cfg: Config) -> anyhow::Result<Running> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(cfg, listener, async {
            let _ = rx.await;
        }));
        Ok(Running { addr, stop: Some(tx), task })
    }

    /// The http URL of the server.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server gracefully and waits for it (store flushed and closed).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await?
    }
}
