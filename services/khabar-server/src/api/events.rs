//! khabar.v1.EventService.

use std::sync::Arc;

use khabar_annotate::Realis;
use khabar_proto::v1::{self as pb, event_service_server::EventService};
use khabar_store::{ChangeKind, EventFilter};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::{parse_name, query_key};
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::filter::{self, Op};
use crate::paging::{page_size, DEFAULT_PAGE_SIZE};
use crate::state::{blocking, Shared};

/// The event service.
pub struct Events {
    pub shared: Arc<Shared>,
    /// Live WatchEvents streams allowed at once.
    pub watch_slots: Arc<tokio::sync::Semaphore>,
}

fn date_value(v: &str) -> ApiResult<String> {
    if khabar_worker::pipeline::is_iso_partial_date(v) && !v.starts_with('X') && !v.contains('/') {
        Ok(v.to_string())
    } else {
        Err(ApiError::invalid("filter", format!("time needs an ISO-8601 date such as \"2020-01-01\", \"2020-01\" or \"2020\", got {v:?}")))
    }
}

/// Parses the ListEvents / WatchEvents filter.
pub fn event_filter(f: &str) -> ApiResult<EventFilter> {
    let mut out = EventFilter::default();
    for c in filter::parse(f).map_err(|e| ApiError::invalid("filter", e))? {
        let eq_only = || -> ApiResult<()> {
            if c.op == Op::Eq { Ok(()) } else { Err(ApiError::invalid("filter", format!("{} supports only =", c.field))) }
        };
        match c.field.as_str() {
            "type" => {
                eq_only()?;
                out.etype = Some(khabar_store::parse_event_type(&c.value).ok_or_else(|| {
                    ApiError::invalid("filter", format!("unknown event type {:?}; one of MEET, VISIT, CONFERENCE, RESOLUTION, AGREEMENT, ESTABLISH, PROTEST, ATTACK, CASUALTIES, ACCUSE, REQUEST, SUPPORT, AID", c.value))
                })?)
            }
            "document" => {
                eq_only()?;
                out.document = Some(parse_name("filter", "documents", &c.value)?.to_string())
            }
            "participant" => {
                eq_only()?;
                out.participant = Some(parse_name("filter", "entities", &c.value)?.to_string())
            }
            "place" => {
                eq_only()?;
                out.place = Some(parse_name("filter", "entities", &c.value)?.to_string())
            }
            "realis" => {
                eq_only()?;
                out.realis = Some(match c.value.trim_start_matches("REALIS_") {
                    "ACTUAL" => Realis::Actual,
                    "FUTURE" => Realis::Future,
                    "NEGATED" => Realis::Negated,
                    "HYPOTHETICAL" => Realis::Hypothetical,
                    v => return Err(ApiError::invalid("filter", format!("unknown realis {v:?}; one of ACTUAL, FUTURE, NEGATED, HYPOTHETICAL"))),
                })
            }
            "time" => {
                let v = date_value(&c.value)?;
                match c.op {
                    Op::Ge | Op::Gt => out.time_from = Some(v),
                    Op::Le | Op::Lt => out.time_to = Some(v),
                    Op::Eq => {
                        out.time_from = Some(v.clone());
                        out.time_to = Some(v);
                    }
                    Op::Ne => return Err(ApiError::invalid("filter", "time supports =, >=, <=, > and <")),
                }
            }
            other => {
                return Err(ApiError::invalid("filter", format!("unknown field {other:?}; ListEvents filters on type, document, participant, place, time, realis")));
            }
        }
    }
    Ok(out)
}

impl Events {
    async fn get(&self, req: pb::GetEventRequest) -> ApiResult<pb::Event> {
        let st = self.shared.ready()?;
        let id = parse_name("name", "events", &req.name)?.to_string();
        blocking(move || {
            let v = st.store.get_event(&id)?.ok_or_else(|| ApiError::NotFound { resource_type: "event", name: convert::event_name(&id) })?;
            Ok(convert::event(&v))
        })
        .await
    }

    async fn list(&self, req: pb::ListEventsRequest) -> ApiResult<pb::ListEventsResponse> {
        let st = self.shared.ready()?;
        let size = page_size(req.page_size, DEFAULT_PAGE_SIZE)?;
        let f = event_filter(&req.filter)?;
        let q = query_key("ListEvents", &[&req.filter]);
        let after = st.tokens.verify(&q, &req.page_token)?;
        blocking(move || {
            let page = st.store.list_events(&f, after.as_deref(), size)?;
            Ok(pb::ListEventsResponse {
                events: page.items.iter().map(convert::event).collect(),
                next_page_token: page.next.map(|c| st.tokens.issue(&q, &c)).unwrap_or_default(),
            })
        })
        .await
    }

    async fn watch(&self, req: pb::WatchEventsRequest) -> ApiResult<ReceiverStream<Result<pb::WatchEventsResponse, Status>>> {
        let st = self.shared.ready()?;
        let f = event_filter(&req.filter)?;
        let permit = self.watch_slots.clone().try_acquire_owned().map_err(|_| ApiError::ResourceExhausted("too many WatchEvents streams".into()))?;
        let mut cursor = if req.cursor.is_empty() {
            if req.replay { 0 } else { st.store.last_change()? }
        } else {
            req.cursor.parse::<u64>().map_err(|_| ApiError::invalid("cursor", "not a cursor from WatchEventsResponse.cursor"))?
        };
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let mut changed = st.changes.subscribe();
        tokio::spawn(async move {
            let _permit = permit;
            loop {
                let (s2, from) = (st.clone(), cursor);
                let batch = match blocking(move || Ok(s2.store.changes_after(from, 256)?)).await {
                    Ok(b) => b,
                    Err(e) => {
                        let _ = tx.send(Err(e.into())).await;
                        return;
                    }
                };
                let full = batch.len() == 256;
                for ch in batch {
                    cursor = ch.seq;
                    let s2 = st.clone();
                    let id = ch.event.clone();
                    let view = blocking(move || Ok(s2.store.get_event(&id)?)).await.ok().flatten();
                    let msg = match (ch.kind, view) {
                        (ChangeKind::Deleted, _) | (_, None) => pb::WatchEventsResponse {
                            event: Some(pb::Event { name: convert::event_name(&ch.event), ..Default::default() }),
                            change: pb::ChangeType::Deleted as i32,
                            cursor: ch.seq.to_string(),
                        },
                        (kind, Some(v)) => {
                            if !f.matches(&v) {
                                continue;
                            }
                            let change = if kind == ChangeKind::Created { pb::ChangeType::Created } else { pb::ChangeType::Updated };
                            pb::WatchEventsResponse { event: Some(convert::event(&v)), change: change as i32, cursor: ch.seq.to_string() }
                        }
                    };
                    if tx.send(Ok(msg)).await.is_err() {
                        return;
                    }
                }
                if !full {
                    tokio::select! {
                        r = changed.changed() => if r.is_err() { return },
                        _ = tx.closed() => return,
                    }
                }
            }
        });
        Ok(ReceiverStream::new(rx))
    }
}

#[tonic::async_trait]
impl EventService for Events {
    async fn get_event(&self, req: Request<pb::GetEventRequest>) -> Result<Response<pb::Event>, Status> {
        Ok(Response::new(self.get(req.into_inner()).await?))
    }
    async fn list_events(&self, req: Request<pb::ListEventsRequest>) -> Result<Response<pb::ListEventsResponse>, Status> {
        Ok(Response::new(self.list(req.into_inner()).await?))
    }
    type WatchEventsStream = ReceiverStream<Result<pb::WatchEventsResponse, Status>>;
    async fn watch_events(&self, req: Request<pb::WatchEventsRequest>) -> Result<Response<Self::WatchEventsStream>, Status> {
        Ok(Response::new(self.watch(req.into_inner()).await?))
    }
}
