//! khabar.v1.EntityService.

use std::sync::Arc;

use khabar_annotate::EntityType;
use khabar_proto::v1::{self as pb, entity_service_server::EntityService};
use khabar_store::EntityFilter;
use tonic::{Request, Response, Status};

use super::{parse_name, query_key};
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::filter::{self, Op};
use crate::paging::{page_size, DEFAULT_PAGE_SIZE};
use crate::state::{blocking, Shared};

/// The entity service.
pub struct Entities {
    pub shared: Arc<Shared>,
}

/// Parses "PERSON" or "ENTITY_TYPE_PERSON".
pub fn parse_entity_type(field: &str, v: &str) -> ApiResult<EntityType> {
    EntityType::parse(v.trim_start_matches("ENTITY_TYPE_")).ok_or_else(|| {
        ApiError::invalid(field, format!("unknown entity type {v:?}; one of PERSON, ORG, GPE, LOC, FAC, EVENT, NORP, LAW"))
    })
}

fn entity_filter(f: &str) -> ApiResult<EntityFilter> {
    let mut out = EntityFilter::default();
    for c in filter::parse(f).map_err(|e| ApiError::invalid("filter", e))? {
        if c.op != Op::Eq {
            return Err(ApiError::invalid("filter", format!("{} supports only =", c.field)));
        }
        match c.field.as_str() {
            "type" => out.etype = Some(parse_entity_type("filter", &c.value)?),
            "document" => out.document = Some(parse_name("filter", "documents", &c.value)?.to_string()),
            other => return Err(ApiError::invalid("filter", format!("unknown field {other:?}; ListEntities filters on type, document"))),
        }
    }
    Ok(out)
}

impl Entities {
    async fn get(&self, req: pb::GetEntityRequest) -> ApiResult<pb::Entity> {
        let st = self.shared.ready()?;
        let id = parse_name("name", "entities", &req.name)?.to_string();
        blocking(move || {
            if let Some(r) = st.store.get_entity(&id)? {
                return Ok(convert::entity_record(&r));
            }
            // known to the knowledge base but not mentioned in any stored document yet
            match st.annotator.entity_info(&id) {
                Some(info) => Ok(convert::entity(&info, 0, 0)),
                None => Err(ApiError::NotFound { resource_type: "entity", name: convert::entity_name(&id) }),
            }
        })
        .await
    }

    async fn list(&self, req: pb::ListEntitiesRequest) -> ApiResult<pb::ListEntitiesResponse> {
        let st = self.shared.ready()?;
        let size = page_size(req.page_size, DEFAULT_PAGE_SIZE)?;
        let f = entity_filter(&req.filter)?;
        let q = query_key("ListEntities", &[&req.filter]);
        let after = st.tokens.verify(&q, &req.page_token)?;
        blocking(move || {
            let page = st.store.list_entities(&f, after.as_deref(), size)?;
            Ok(pb::ListEntitiesResponse {
                entities: page.items.iter().map(convert::entity_record).collect(),
                next_page_token: page.next.map(|c| st.tokens.issue(&q, &c)).unwrap_or_default(),
            })
        })
        .await
    }

    async fn mentions(&self, req: pb::ListEntityMentionsRequest) -> ApiResult<pb::ListEntityMentionsResponse> {
        let st = self.shared.ready()?;
        let size = page_size(req.page_size, DEFAULT_PAGE_SIZE)?;
        let q = query_key("ListEntityMentions", &[&req.parent]);
        let after = st.tokens.verify(&q, &req.page_token)?;
        if req.parent.starts_with("documents/") {
            let id = parse_name("parent", "documents", &req.parent)?.to_string();
            let after = match after {
                Some(c) => Some(u64::from_be_bytes(c.try_into().map_err(|_| ApiError::invalid("page_token", "malformed"))?) as usize),
                None => None,
            };
            blocking(move || {
                let (items, more) = st.store.list_document_mentions(&id, after, size)?.ok_or_else(|| ApiError::NotFound { resource_type: "document", name: convert::document_name(&id) })?;
                let next = if more { items.last().map(|(i, _)| st.tokens.issue(&q, &(*i as u64).to_be_bytes())).unwrap_or_default() } else { String::new() };
                Ok(pb::ListEntityMentionsResponse { entity_mentions: items.iter().map(|(_, m)| convert::stored_mention(m)).collect(), next_page_token: next })
            })
            .await
        } else if req.parent.starts_with("entities/") {
            let id = parse_name("parent", "entities", &req.parent)?.to_string();
            blocking(move || {
                let page = st.store.list_entity_mentions(&id, after.as_deref(), size)?;
                if page.items.is_empty() && after.is_none() && st.store.get_entity(&id)?.is_none() && st.annotator.entity_info(&id).is_none() {
                    return Err(ApiError::NotFound { resource_type: "entity", name: convert::entity_name(&id) });
                }
                Ok(pb::ListEntityMentionsResponse {
                    entity_mentions: page.items.iter().map(convert::stored_mention).collect(),
                    next_page_token: page.next.map(|c| st.tokens.issue(&q, &c)).unwrap_or_default(),
                })
            })
            .await
        } else {
            Err(ApiError::invalid("parent", "expected \"documents/{id}\" or \"entities/{id}\""))
        }
    }

    async fn search(&self, req: pb::SearchEntitiesRequest) -> ApiResult<pb::SearchEntitiesResponse> {
        let st = self.shared.ready()?;
        let size = page_size(req.page_size, 20)?;
        let query = req.query.trim().to_string();
        if query.is_empty() {
            return Err(ApiError::invalid("query", "must not be empty"));
        }
        if query.chars().count() > 200 {
            return Err(ApiError::invalid("query", "at most 200 characters"));
        }
        let etype = match req.r#type() {
            pb::EntityType::Unspecified => None,
            t => convert::entity_type_from(t),
        };
        blocking(move || {
            let hits = st.store.search_entities(&query, etype, size)?;
            let mut entities: Vec<pb::Entity> = hits.iter().map(|h| convert::entity_record(&h.entity)).collect();
            // knowledge-base entities not mentioned in any stored document come after the stored ones
            if entities.len() < size {
                for info in st.annotator.search_entities(&query, etype, size) {
                    let name = convert::entity_name(&info.id);
                    if entities.len() < size && !entities.iter().any(|e| e.name == name) {
                        entities.push(convert::entity(&info, 0, 0));
                    }
                }
            }
            Ok(pb::SearchEntitiesResponse { entities })
        })
        .await
    }
}

#[tonic::async_trait]
impl EntityService for Entities {
    async fn get_entity(&self, req: Request<pb::GetEntityRequest>) -> Result<Response<pb::Entity>, Status> {
        Ok(Response::new(self.get(req.into_inner()).await?))
    }
    async fn list_entities(&self, req: Request<pb::ListEntitiesRequest>) -> Result<Response<pb::ListEntitiesResponse>, Status> {
        Ok(Response::new(self.list(req.into_inner()).await?))
    }
    async fn list_entity_mentions(&self, req: Request<pb::ListEntityMentionsRequest>) -> Result<Response<pb::ListEntityMentionsResponse>, Status> {
        Ok(Response::new(self.mentions(req.into_inner()).await?))
    }
    async fn search_entities(&self, req: Request<pb::SearchEntitiesRequest>) -> Result<Response<pb::SearchEntitiesResponse>, Status> {
        Ok(Response::new(self.search(req.into_inner()).await?))
    }
}
