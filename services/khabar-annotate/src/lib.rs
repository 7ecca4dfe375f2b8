//! Khabar's annotation core: Arabic and Persian news text in, annotations out.
//!
//! Pure and deterministic: no I/O, no async, no clocks, no randomness. All data (knowledge base,
//! lexicons, model weights) is compiled into the library. The server and the worker wrap it.
//!
//! Where things are decided:
//! - [`text`]: normalisation, tokens, sentences, zones, language;
//! - [`model`]: the output types;
//! - [`ner`]: the trained sequence labeller (Entities II).

pub mod model;
pub mod ner;
pub mod text;

pub use model::*;

/// Version of the annotator; stored with every document so that re-annotation can be detected.
pub const ANNOTATOR_VERSION: &str = concat!("khabar-annotate/", env!("CARGO_PKG_VERSION"));

/// One text to annotate, with what the caller knows about it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    /// The text.
    pub text: &'a str,
    /// Language given by the caller; detected when `None` or `Und`.
    pub lang_hint: Option<Lang>,
    /// Publication date given by the caller (ISO-8601, partial precision allowed).
    pub publish_date: Option<&'a str>,
}

/// The annotation pipeline. Build it once (it holds the compiled knowledge base and models)
/// and share it across threads: `annotate` takes `&self`.
#[derive(Debug, Default)]
pub struct Annotator {}

impl Annotator {
    /// Builds the pipeline from the data compiled into the library.
    pub fn new() -> Annotator {
        Annotator {}
    }

    /// Annotates one text.
    pub fn annotate(&self, input: &Input<'_>) -> Annotations {
        let view = text::TextView::new(input.text, input.lang_hint);
        Annotations {
            annotator_version: ANNOTATOR_VERSION.to_string(),
            lang: view.lang,
            sentences: view.sentences.clone(),
            zones: view.zones.clone(),
            ..Annotations::default()
        }
    }
}
