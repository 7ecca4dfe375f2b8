//! What the handlers share: the store, the annotator, limits and the change notifier.
//! Handlers get it through [`Shared::ready`], which fails with UNAVAILABLE until the store is open.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use khabar_annotate::Annotator;
use khabar_store::Store;
use tokio::sync::{watch, Semaphore};

use crate::error::{ApiError, ApiResult};
use crate::paging::Tokens;

/// Limits that protect the server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest document or AnalyzeText text, in bytes; the gRPC message limit follows it.
    pub max_document_bytes: usize,
    /// Documents annotated at once across all IngestDocuments streams and AnalyzeText calls.
    pub annotate_parallelism: usize,
    /// How long a request may wait for an annotation slot before RESOURCE_EXHAUSTED.
    pub queue_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: khabar_worker::pipeline::DEFAULT_MAX_DOCUMENT_BYTES,
            annotate_parallelism: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue_timeout: Duration::from_secs(10),
        }
    }
}

/// The open store and everything that comes with it.
pub struct AppState {
    pub store: Store,
    pub annotator: Arc<Annotator>,
    pub tokens: Tokens,
    pub limits: Limits,
    /// Sequence number of the last event change; watchers wait on it.
    pub changes: watch::Sender<u64>,
    /// Annotation slots.
    pub annotate_slots: Arc<Semaphore>,
    /// Bearer token required by write RPCs, when set.
    pub write_token: Option<String>,
}

impl AppState {
    /// Waits for an annotation slot, or fails with RESOURCE_EXHAUSTED after the queue timeout.
    pub async fn annotate_slot(&self) -> ApiResult<tokio::sync::OwnedSemaphorePermit> {
        match tokio::time::timeout(self.limits.queue_timeout, self.annotate_slots.clone().acquire_owned()).await {
            Ok(Ok(p)) => Ok(p),
            Ok(Err(_)) => Err(ApiError::Unavailable("shutting down".into())),
            Err(_) => Err(ApiError::ResourceExhausted("all annotation slots are busy; retry later".into())),
        }
    }

    /// Tells watchers that events may have changed.
    pub fn notify_changes(&self) {
        if let Ok(seq) = self.store.last_change() {
            self.changes.send_if_modified(|v| {
                let changed = *v != seq;
                *v = seq;
                changed
            });
        }
    }
}

/// The state, once ready.
#[derive(Default)]
pub struct Shared {
    state: OnceLock<Arc<AppState>>,
}

impl Shared {
    /// The state, or UNAVAILABLE while the store is opening.
    pub fn ready(&self) -> ApiResult<Arc<AppState>> {
        self.state.get().cloned().ok_or_else(|| ApiError::Unavailable("the store is still opening; retry shortly".into()))
    }

    /// Makes the state available (once).
    pub fn set(&self, s: Arc<AppState>) {
        let _ = self.state.set(s);
    }

    /// The state if ready.
    pub fn get(&self) -> Option<Arc<AppState>> {
        self.state.get().cloned()
    }
}

/// Runs blocking work (annotation, store access) on the blocking pool.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> ApiResult<T> + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(f).await?
}
