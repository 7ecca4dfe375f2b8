//! khabar.v1.DocumentService.

use std::collections::VecDeque;
use std::sync::Arc;

use khabar_annotate::{Input, Lang};
use khabar_proto::v1::{self as pb, document_service_server::DocumentService};
use khabar_store::{DocFilter, PutOutcome};
use khabar_worker::pipeline::{self, RawDocument};
use tonic::{Request, Response, Status, Streaming};

use super::{parse_name, query_key};
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::filter::{self, Op};
use crate::paging::{page_size, DEFAULT_PAGE_SIZE};
use crate::state::{blocking, AppState, Shared};

/// The document service.
pub struct Documents {
    pub shared: Arc<Shared>,
}

fn doc_filter(f: &str) -> ApiResult<DocFilter> {
    let mut out = DocFilter::default();
    for c in filter::parse(f).map_err(|e| ApiError::invalid("filter", e))? {
        match (c.field.as_str(), c.op) {
            ("language_code", Op::Eq) => {
                out.lang = Some(Lang::from_code(&c.value).ok_or_else(|| ApiError::invalid("filter", format!("language_code must be \"ar\", \"fa\" or \"und\", got {:?}", c.value)))?)
            }
            ("source_name", Op::Eq) => out.source = Some(c.value),
            ("publish_date", op) => {
                if !pipeline::is_iso_partial_date(&c.value) || c.value.starts_with('X') {
                    return Err(ApiError::invalid("filter", format!("publish_date needs an ISO-8601 date such as \"2024-07-13\", got {:?}", c.value)));
                }
                match op {
                    Op::Ge => out.date_from = Some(c.value),
                    Op::Le => out.date_to = Some(c.value),
                    Op::Eq => {
                        out.date_from = Some(c.value.clone());
                        out.date_to = Some(c.value);
                    }
                    _ => return Err(ApiError::invalid("filter", "publish_date supports =, >= and <=")),
                }
            }
            ("language_code" | "source_name", op) => return Err(ApiError::invalid("filter", format!("{} supports only =, not {}", c.field, op.as_str()))),
            (other, _) => return Err(ApiError::invalid("filter", format!("unknown field {other:?}; ListDocuments filters on language_code, source_name, publish_date"))),
        }
    }
    Ok(out)
}

/// Checks the optional bearer token of write RPCs.
fn check_write_token<T>(state: &AppState, req: &Request<T>) -> ApiResult<()> {
    let Some(want) = &state.write_token else { return Ok(()) };
    let got = req.metadata().get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match got {
        Some(t) if constant_time_eq(t.as_bytes(), want.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::Unauthenticated("invalid bearer token".into())),
        None => Err(ApiError::Unauthenticated("IngestDocuments needs an \"authorization: Bearer <token>\" header".into())),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Documents {
    async fn get(&self, req: pb::GetDocumentRequest) -> ApiResult<pb::Document> {
        let st = self.shared.ready()?;
        let id = parse_name("name", "documents", &req.name)?.to_string();
        let full = req.view() == pb::DocumentView::Full;
        let get = move || {
            let meta = st.store.get_document(&id)?.ok_or_else(|| ApiError::NotFound { resource_type: "document", name: convert::document_name(&id) })?;
            let body = if full { st.store.get_body(&id)? } else { None };
            Ok(convert::document(&meta, body.as_ref()))
        };
        // a BASIC view is one small point read from the store's cache: cheaper inline than a hop to
        // the blocking pool; the FULL view decodes the text and annotations there
        if full { blocking(get).await } else { get() }
    }

    async fn list(&self, req: pb::ListDocumentsRequest) -> ApiResult<pb::ListDocumentsResponse> {
        let st = self.shared.ready()?;
        let size = page_size(req.page_size, DEFAULT_PAGE_SIZE)?;
        let f = doc_filter(&req.filter)?;
        let q = query_key("ListDocuments", &[&req.filter]);
        let after = st.tokens.verify(&q, &req.page_token)?;
        let full = req.view() == pb::DocumentView::Full;
        blocking(move || {
            let page = st.store.list_documents(&f, after.as_deref(), size)?;
            let mut documents = Vec::with_capacity(page.items.len());
            for m in &page.items {
                let body = if full { st.store.get_body(&m.id)? } else { None };
                documents.push(convert::document(m, body.as_ref()));
            }
            Ok(pb::ListDocumentsResponse { documents, next_page_token: page.next.map(|c| st.tokens.issue(&q, &c)).unwrap_or_default() })
        })
        .await
    }

    async fn analyze(&self, req: pb::AnalyzeTextRequest) -> ApiResult<pb::AnalyzeTextResponse> {
        let st = self.shared.ready()?;
        if req.text.len() > st.limits.max_document_bytes {
            return Err(ApiError::invalid("text", format!("{} bytes, over the limit of {} bytes", req.text.len(), st.limits.max_document_bytes)));
        }
        let lang = match req.language_code.trim() {
            "" => None,
            code => Some(Lang::from_code(code).ok_or_else(|| ApiError::invalid("language_code", format!("must be \"ar\", \"fa\" or empty, got {code:?}")))?),
        };
        if !req.publish_date.is_empty() && !pipeline::is_iso_partial_date(&req.publish_date) {
            return Err(ApiError::invalid("publish_date", format!("expected ISO-8601 such as 2024-07-13, got {:?}", req.publish_date)));
        }
        let _slot = st.annotate_slot().await?;
        blocking(move || {
            let date = (!req.publish_date.is_empty()).then_some(req.publish_date.as_str());
            let a = st.annotator.annotate(&Input { text: &req.text, lang_hint: lang, publish_date: date });
            let chars: Vec<char> = req.text.chars().collect();
            Ok(pb::AnalyzeTextResponse {
                language_code: a.lang.code().to_string(),
                entity_mentions: a.mentions.iter().map(|m| convert::mention(m, "", convert::span(m.span, &chars).content)).collect(),
                time_expressions: a.times.iter().map(|t| convert::time_expr(t, &chars)).collect(),
                quantities: a.quantities.iter().map(|q| convert::quantity(q, &chars)).collect(),
                events: a.events.iter().map(|e| convert::analyzed_event(e, &chars)).collect(),
                sentences: a.sentences.iter().map(|s| convert::span(*s, &chars)).collect(),
                zones: a.zones.iter().map(|z| convert::zone(z, &chars)).collect(),
                annotator_version: a.annotator_version,
            })
        })
        .await
    }

    async fn ingest(&self, req: Request<Streaming<pb::IngestDocumentsRequest>>) -> ApiResult<pb::IngestDocumentsResponse> {
        let st = self.shared.ready()?;
        check_write_token(&st, &req)?;
        let mut stream = req.into_inner();
        let mut out = pb::IngestDocumentsResponse::default();
        type Job = tokio::task::JoinHandle<Result<pipeline::Ingested, pipeline::IngestError>>;
        let mut inflight: VecDeque<(i32, String, Job)> = VecDeque::new();
        let max_inflight = st.limits.annotate_parallelism.max(1) * 2;
        let mut index = 0i32;
        let finish = |out: &mut pb::IngestDocumentsResponse, index: i32, name: String, r: Result<pipeline::Ingested, String>| {
            let res = match r {
                Ok(i) => {
                    let status = match i.outcome {
                        PutOutcome::Created => {
                            out.created_count += 1;
                            pb::IngestStatus::Created
                        }
                        PutOutcome::Unchanged => {
                            out.unchanged_count += 1;
                            pb::IngestStatus::Unchanged
                        }
                        PutOutcome::Updated => {
                            out.updated_count += 1;
                            pb::IngestStatus::Updated
                        }
                    };
                    pb::IngestResult { index, name, status: status as i32, error: String::new(), entity_mention_count: i.entity_mentions as i32, event_count: i.events as i32 }
                }
                Err(e) => {
                    out.failed_count += 1;
                    pb::IngestResult { index, name, status: pb::IngestStatus::Failed as i32, error: e, ..Default::default() }
                }
            };
            out.results.push(res);
        };
        loop {
            let msg = match stream.message().await {
                Ok(Some(m)) => m,
                Ok(None) => break,
                Err(status) => {
                    // the client stream broke: what was already written stays written
                    for (_, _, job) in inflight.drain(..) {
                        let _ = job.await;
                    }
                    st.notify_changes();
                    return Err(ApiError::InvalidArgument { field: "stream".into(), description: status.message().to_string() });
                }
            };
            let raw = RawDocument {
                id: (!msg.id.trim().is_empty()).then_some(msg.id),
                text: msg.text,
                title: msg.title,
                source_name: msg.source_name,
                source_uri: msg.source_uri,
                publish_date: msg.publish_date,
            };
            match pipeline::prepare(raw, st.limits.max_document_bytes) {
                Err(e) => {
                    // keep results in stream order
                    while let Some((i, n, job)) = inflight.pop_front() {
                        let r = job.await.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string()));
                        finish(&mut out, i, n, r);
                    }
                    finish(&mut out, index, String::new(), Err(e.to_string()));
                }
                Ok(doc) => {
                    let name = convert::document_name(&doc.id);
                    let slot = st.annotate_slot().await?;
                    let s2 = st.clone();
                    let job = tokio::task::spawn_blocking(move || {
                        let _slot = slot;
                        pipeline::ingest(&s2.annotator, &s2.store, doc, pipeline::now_ms())
                    });
                    inflight.push_back((index, name, job));
                    while inflight.len() >= max_inflight {
                        let (i, n, job) = inflight.pop_front().expect("non-empty");
                        let r = job.await.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string()));
                        finish(&mut out, i, n, r);
                    }
                }
            }
            index = index.saturating_add(1);
        }
        while let Some((i, n, job)) = inflight.pop_front() {
            let r = job.await.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string()));
            finish(&mut out, i, n, r);
        }
        // acknowledge only what is durable
        let s2 = st.clone();
        blocking(move || Ok(s2.store.flush()?)).await?;
        st.notify_changes();
        Ok(out)
    }
}

#[tonic::async_trait]
impl DocumentService for Documents {
    async fn get_document(&self, req: Request<pb::GetDocumentRequest>) -> Result<Response<pb::Document>, Status> {
        Ok(Response::new(self.get(req.into_inner()).await?))
    }
    async fn list_documents(&self, req: Request<pb::ListDocumentsRequest>) -> Result<Response<pb::ListDocumentsResponse>, Status> {
        Ok(Response::new(self.list(req.into_inner()).await?))
    }
    async fn analyze_text(&self, req: Request<pb::AnalyzeTextRequest>) -> Result<Response<pb::AnalyzeTextResponse>, Status> {
        Ok(Response::new(self.analyze(req.into_inner()).await?))
    }
    async fn ingest_documents(&self, req: Request<Streaming<pb::IngestDocumentsRequest>>) -> Result<Response<pb::IngestDocumentsResponse>, Status> {
        Ok(Response::new(self.ingest(req).await?))
    }
}
