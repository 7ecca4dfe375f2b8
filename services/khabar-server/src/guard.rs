//! The server's outer tower layer: a global concurrency limit with load shedding
//! (RESOURCE_EXHAUSTED at once instead of an unbounded queue) and deadlines reported as
//! DEADLINE_EXCEEDED (tonic's own grpc-timeout handling answers CANCELLED; this layer answers
//! just before it, and at once for deadlines that have already passed).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::Semaphore;
use tonic::Status;

/// Builds [`Guard`]s sharing one permit pool.
#[derive(Clone)]
pub struct GuardLayer {
    permits: Arc<Semaphore>,
}

impl GuardLayer {
    /// At most `max_in_flight` unary requests are served at once.
    pub fn new(max_in_flight: usize) -> GuardLayer {
        GuardLayer { permits: Arc::new(Semaphore::new(max_in_flight.max(1))) }
    }
}

impl<S> tower::Layer<S> for GuardLayer {
    type Service = Guard<S>;
    fn layer(&self, inner: S) -> Guard<S> {
        Guard { inner, permits: self.permits.clone() }
    }
}

/// See the module documentation.
#[derive(Clone)]
pub struct Guard<S> {
    inner: S,
    permits: Arc<Semaphore>,
}

/// Parses a `grpc-timeout` header value ("100m", "5S", "1H"...).
pub fn parse_grpc_timeout(v: &str) -> Option<Duration> {
    if v.len() < 2 || v.len() > 9 {
        return None;
    }
    let (digits, unit) = v.split_at(v.len() - 1);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.saturating_mul(3600)),
        "M" => Duration::from_secs(n.saturating_mul(60)),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// Streaming RPCs are long-lived and limited by their own slots; probes and reflection must
/// answer under load.
fn exempt(path: &str) -> bool {
    path.starts_with("/grpc.health.v1.Health/")
        || path.starts_with("/grpc.reflection.")
        || path == "/khabar.v1.EventService/WatchEvents"
        || path == "/khabar.v1.DocumentService/IngestDocuments"
}

fn margin(d: Duration) -> Duration {
    (d / 50).clamp(Duration::from_millis(2), Duration::from_millis(50))
}

type BoxFut<R, E> = Pin<Box<dyn Future<Output = Result<R, E>> + Send>>;

impl<S, B> tower::Service<http::Request<B>> for Guard<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFut<S::Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let path = req.uri().path().to_string();
        let deadline = req.headers().get("grpc-timeout").and_then(|v| v.to_str().ok()).and_then(parse_grpc_timeout);
        let permit = if exempt(&path) {
            None
        } else {
            match self.permits.clone().try_acquire_owned() {
                Ok(p) => Some(p),
                Err(_) => {
                    tracing::debug!(%path, "shedding load");
                    let s = crate::error::ApiError::ResourceExhausted("the server is at its concurrency limit; retry with backoff".into());
                    return Box::pin(std::future::ready(Ok(Status::from(s).into_http())));
                }
            }
        };
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            let _permit = permit;
            let expired = || Status::deadline_exceeded(format!("deadline exceeded before {path} finished")).into_http();
            match deadline {
                Some(d) if d <= margin(d) => Ok(expired()),
                Some(d) => match tokio::time::timeout(d - margin(d), inner.call(req)).await {
                    Ok(r) => r,
                    Err(_) => Ok(expired()),
                },
                None => inner.call(req).await,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts() {
        assert_eq!(parse_grpc_timeout("100m"), Some(Duration::from_millis(100)));
        assert_eq!(parse_grpc_timeout("5S"), Some(Duration::from_secs(5)));
        assert_eq!(parse_grpc_timeout("1H"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_grpc_timeout("5x"), None);
        assert_eq!(parse_grpc_timeout("m"), None);
        assert_eq!(parse_grpc_timeout("123456789m"), None);
    }
}
