//! Thin RPC handlers: validate, call the store or the annotator, convert. Errors are
//! [`crate::error::ApiError`] and become `tonic::Status` in one place.

pub mod documents;
pub mod entities;
pub mod events;

use crate::error::{ApiError, ApiResult};

/// Parses "{collection}/{id}" into the id.
pub fn parse_name<'a>(field: &str, collection: &str, name: &'a str) -> ApiResult<&'a str> {
    let Some(id) = name.strip_prefix(collection).and_then(|r| r.strip_prefix('/')) else {
        return Err(ApiError::invalid(field, format!("expected \"{collection}/{{id}}\", got {:?}", preview(name))));
    };
    if !khabar_store::is_valid_id(id) {
        return Err(ApiError::invalid(field, format!("{:?} is not a valid id: ids are 1-128 characters of [a-z0-9_-]", preview(id))));
    }
    Ok(id)
}

fn preview(s: &str) -> String {
    let p: String = s.chars().take(80).collect();
    if p.len() < s.len() { format!("{p}…") } else { p }
}

/// The canonical description of a list query, for page-token fingerprints.
pub fn query_key(rpc: &str, parts: &[&str]) -> String {
    let mut s = rpc.to_string();
    for p in parts {
        s.push('\u{1f}');
        s.push_str(p);
    }
    s
}
