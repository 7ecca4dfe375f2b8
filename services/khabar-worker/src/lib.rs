//! The batch worker's building blocks, shared with the server: reading sources, the ingest
//! pipeline, local parallel ingestion, and NER training.

pub mod bench;
pub mod load;
pub mod local;
pub mod pipeline;
pub mod remote;
pub mod scale;
pub mod source;
pub mod train_ner;
