//! `khabar-worker ingest --server URL`: streams documents to a running server's
//! IngestDocuments in batches; each batch is acknowledged by the server only once it is durable.

use std::time::{Duration, Instant};

use khabar_proto::v1::{document_service_client::DocumentServiceClient, IngestDocumentsRequest, IngestStatus};
use tonic::transport::Channel;

use crate::local::Summary;
use crate::pipeline::{self, Ingested};
use crate::source::SourceItem;

/// Options of a remote ingest.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// Documents per IngestDocuments call (the unit of acknowledgement).
    pub batch: usize,
    /// Largest accepted document in bytes (checked before sending).
    pub max_document_bytes: usize,
    /// Bearer token for a server started with --write-token.
    pub token: Option<String>,
    /// Attempts per batch when the server is unavailable or overloaded.
    pub attempts: u32,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions { batch: 64, max_document_bytes: pipeline::DEFAULT_MAX_DOCUMENT_BYTES, token: None, attempts: 8 }
    }
}

/// Connects to `url` ("http://host:port" or "host:port").
pub async fn connect(url: &str) -> anyhow::Result<DocumentServiceClient<Channel>> {
    let url = if url.contains("://") { url.to_string() } else { format!("http://{url}") };
    let ch = tonic::transport::Endpoint::from_shared(url.clone())?.connect_timeout(Duration::from_secs(10)).connect().await.map_err(|e| anyhow::anyhow!("cannot connect to {url}: {e}"))?;
    Ok(DocumentServiceClient::new(ch).max_decoding_message_size(64 << 20).max_encoding_message_size(usize::MAX))
}

async fn send_batch(
    client: &mut DocumentServiceClient<Channel>,
    batch: &[(String, IngestDocumentsRequest, usize)],
    opts: &RemoteOptions,
    summary: &mut Summary,
    acks: crate::local::AckSink<'_>,
) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let msgs: Vec<IngestDocumentsRequest> = batch.iter().map(|(_, m, _)| m.clone()).collect();
        let mut req = tonic::Request::new(tokio_stream::iter(msgs));
        if let Some(t) = &opts.token {
            req.metadata_mut().insert("authorization", format!("Bearer {t}").parse()?);
        }
        match client.ingest_documents(req).await {
            Ok(resp) => {
                let resp = resp.into_inner();
                let mut lines = Vec::new();
                for r in resp.results {
                    let Some((origin, _, bytes)) = batch.get(r.index as usize) else { continue };
                    let outcome = match r.status() {
                        IngestStatus::Created => Ok(khabar_store::PutOutcome::Created),
                        IngestStatus::Unchanged => Ok(khabar_store::PutOutcome::Unchanged),
                        IngestStatus::Updated => Ok(khabar_store::PutOutcome::Updated),
                        _ => Err(if r.error.is_empty() { "failed".to_string() } else { r.error.clone() }),
                    };
                    let res = outcome.map(|o| Ingested {
                        id: r.name.trim_start_matches("documents/").to_string(),
                        outcome: o,
                        entity_mentions: r.entity_mention_count.max(0) as u32,
                        events: r.event_count.max(0) as u32,
                        changes: Vec::new(),
                    });
                    match &res {
                        Err(e) => tracing::warn!(%origin, error = %e, "document failed"),
                        Ok(i) => lines.push(crate::local::ack_line(i)),
                    }
                    summary.record(origin, &res, *bytes);
                }
                // the server answers only after its flush: these are durable
                crate::local::write_acks(acks, &lines)?;
                return Ok(());
            }
            Err(s) if matches!(s.code(), tonic::Code::Unavailable | tonic::Code::ResourceExhausted) && attempt < opts.attempts => {
                let wait = Duration::from_millis(200 << attempt.min(6));
                tracing::warn!(code = ?s.code(), message = s.message(), "server busy; retrying batch in {wait:?}");
                tokio::time::sleep(wait).await;
            }
            Err(s) => anyhow::bail!("IngestDocuments failed: {:?}: {}", s.code(), s.message()),
        }
    }
}

/// Streams every item to the server; reading problems and refused documents are counted as
/// failures with their origin.
pub async fn ingest_remote(
    items: impl Iterator<Item = SourceItem>,
    url: &str,
    opts: &RemoteOptions,
    progress: &(dyn Fn(&Summary) + Sync),
    acks: crate::local::AckSink<'_>,
) -> anyhow::Result<Summary> {
    let start = Instant::now();
    let mut client = connect(url).await?;
    let mut summary = Summary::default();
    let mut batch: Vec<(String, IngestDocumentsRequest, usize)> = Vec::new();
    for item in items {
        match item.doc {
            Err(e) => {
                tracing::warn!(origin = %item.origin, error = %e, "document failed");
                summary.record(&item.origin, &Err(e), 0);
            }
            Ok(raw) => {
                // refuse locally what the server would refuse, so one bad document never breaks a batch
                if let Err(e) = pipeline::prepare(raw.clone(), opts.max_document_bytes) {
                    summary.record(&item.origin, &Err(e.to_string()), 0);
                } else {
                    let bytes = raw.text.len();
                    batch.push((
                        item.origin,
                        IngestDocumentsRequest {
                            id: raw.id.unwrap_or_default(),
                            text: raw.text,
                            title: raw.title,
                            source_name: raw.source_name,
                            source_uri: raw.source_uri,
                            publish_date: raw.publish_date,
                        },
                        bytes,
                    ));
                }
            }
        }
        if batch.len() >= opts.batch.max(1) {
            send_batch(&mut client, &batch, opts, &mut summary, acks).await?;
            batch.clear();
        }
        summary.elapsed = start.elapsed();
        progress(&summary);
    }
    if !batch.is_empty() {
        send_batch(&mut client, &batch, opts, &mut summary, acks).await?;
    }
    summary.elapsed = start.elapsed();
    progress(&summary);
    Ok(summary)
}
