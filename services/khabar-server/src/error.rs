//! The server's one error type and its one mapping to `tonic::Status`, with `google.rpc`
//! details (BadRequest, ResourceInfo, ErrorInfo, RetryInfo) so clients see which field and why.

use khabar_store::StoreError;
use khabar_worker::pipeline::IngestError;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// Error domain used in `google.rpc.ErrorInfo`.
pub const DOMAIN: &str = "khabar.v1";

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A request field is malformed.
    #[error("invalid {field}: {description}")]
    InvalidArgument { field: String, description: String },
    /// A resource does not exist.
    #[error("{resource_type} {name} not found")]
    NotFound { resource_type: &'static str, name: String },
    /// The server cannot serve yet (the store is not open) or is shutting down.
    #[error("{0}")]
    Unavailable(String),
    /// The server is at its concurrency limit; retry later.
    #[error("{0}")]
    ResourceExhausted(String),
    /// The client's deadline passed before the work finished.
    #[error("deadline exceeded before {0} finished")]
    DeadlineExceeded(&'static str),
    /// Write RPCs need a bearer token and the request had no valid one.
    #[error("{0}")]
    Unauthenticated(String),
    /// A storage failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or an unexpected condition.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A BadRequest error for `field`.
    pub fn invalid(field: impl Into<String>, description: impl Into<String>) -> ApiError {
        ApiError::InvalidArgument { field: field.into(), description: description.into() }
    }
}

impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        match e {
            IngestError::Store(s) => ApiError::Store(s),
            IngestError::TooLarge { .. } => ApiError::invalid("text", e.to_string()),
            IngestError::Empty | IngestError::Binary => ApiError::invalid("text", e.to_string()),
            IngestError::BadDate(_) => ApiError::invalid("publish_date", e.to_string()),
            IngestError::FieldTooLong { field, .. } => ApiError::invalid(field, e.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::Internal(format!("worker task failed: {e}"))
    }
}

fn info(reason: &str) -> ErrorDetails {
    ErrorDetails::with_error_info(reason, DOMAIN, std::collections::HashMap::<String, String>::new())
}

impl From<ApiError> for Status {
    fn from(e: ApiError) -> Status {
        let msg = e.to_string();
        match e {
            ApiError::InvalidArgument { field, description } => {
                Status::with_error_details(Code::InvalidArgument, msg, ErrorDetails::with_bad_request_violation(field, description))
            }
            ApiError::NotFound { resource_type, name } => Status::with_error_details(
                Code::NotFound,
                msg,
                ErrorDetails::with_resource_info(resource_type, name, "", format!("no such {resource_type}")),
            ),
            ApiError::Unavailable(_) => {
                let mut d = info("UNAVAILABLE");
                d.set_retry_info(Some(std::time::Duration::from_secs(1)));
                Status::with_error_details(Code::Unavailable, msg, d)
            }
            ApiError::ResourceExhausted(_) => {
                let mut d = info("OVERLOADED");
                d.set_retry_info(Some(std::time::Duration::from_millis(100)));
                Status::with_error_details(Code::ResourceExhausted, msg, d)
            }
            ApiError::DeadlineExceeded(_) => Status::new(Code::DeadlineExceeded, msg),
            ApiError::Unauthenticated(_) => Status::with_error_details(Code::Unauthenticated, msg, info("UNAUTHENTICATED")),
            ApiError::Store(s) => match s {
                StoreError::Invalid(d) => Status::with_error_details(Code::InvalidArgument, d.clone(), ErrorDetails::with_bad_request_violation("page_token", d)),
                StoreError::Locked(_) => Status::with_error_details(Code::Unavailable, msg, info("STORE_LOCKED")),
                StoreError::Corrupt(_) => {
                    tracing::error!(error = %msg, "corrupt store");
                    Status::with_error_details(Code::DataLoss, msg, info("STORE_CORRUPT"))
                }
                StoreError::Schema { .. } => Status::with_error_details(Code::FailedPrecondition, msg, info("STORE_SCHEMA")),
                StoreError::Backend(_) => {
                    tracing::error!(error = %msg, "storage backend error");
                    Status::with_error_details(Code::Internal, msg, info("STORE_BACKEND"))
                }
            },
            ApiError::Internal(_) => {
                tracing::error!(error = %msg, "internal error");
                Status::with_error_details(Code::Internal, msg, info("INTERNAL"))
            }
        }
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
