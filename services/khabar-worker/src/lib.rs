//! The batch worker's commands, as a library so that tests can call them.

pub mod train_ner;
