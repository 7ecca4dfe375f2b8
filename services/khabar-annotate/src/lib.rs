//! Khabar's annotation core: Arabic and Persian news text in, annotations out.
//!
//! Pure and deterministic: no I/O, no async, no clocks, no randomness. All data (knowledge base,
//! lexicons, model weights) is compiled into the library. The server and the worker wrap it.
//!
//! Where things are decided:
//! - [`text`]: normalisation, tokens, sentences, zones, language, dateline/title/source;
//! - [`time`], [`quantity`], [`numbers`]: dates (with calendar conversion), amounts, number words;
//! - [`lexicon`]: the word lists under `lexicon/`;
//! - [`model`]: the output types;
//! - [`kb`]: the knowledge base (`kb/kb.jsonl`) and its name automaton;
//! - [`entities`]: entity mentions and canonical ids (matching, overlap policy, types, coreference);
//! - [`ner`]: the trained sequence labeller (Entities II);
//! - [`events`]: typed events with arguments, realis and a deterministic id (`events::key`).

pub mod entities;
pub mod events;
pub mod kb;
pub mod lexicon;
pub mod model;
pub mod ner;
pub mod numbers;
pub mod quantity;
pub mod text;
pub mod time;

pub use model::*;

/// Version of the annotator: the crate version plus a fingerprint of its sources, knowledge base,
/// lexicons and models (see build.rs). Stored with every document, so that re-ingesting a document
/// annotated by another annotator re-annotates it.
pub const ANNOTATOR_VERSION: &str = concat!("khabar-annotate/", env!("CARGO_PKG_VERSION"), "+", env!("KHABAR_ANNOTATOR_FINGERPRINT"));

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
#[derive(Debug, Clone, Copy)]
pub struct Annotator {
    entities: entities::EntityStage,
}

impl Default for Annotator {
    fn default() -> Self {
        Annotator::new()
    }
}

impl Annotator {
    /// Builds the pipeline from the data compiled into the library (the knowledge base and its
    /// automaton are built once per process and shared).
    pub fn new() -> Annotator {
        Annotator { entities: entities::EntityStage::embedded() }
    }

    /// The knowledge-base entity with this id.
    pub fn entity_info(&self, id: &str) -> Option<EntityInfo> {
        self.entities.kb.get(id).map(|e| e.info())
    }

    /// Knowledge-base entities whose normalised name or alias equals or starts with the
    /// normalised `query` (any spelling the matcher folds), exact matches first.
    pub fn search_entities(&self, query: &str, etype: Option<EntityType>, limit: usize) -> Vec<EntityInfo> {
        self.entities.kb.search(query, etype, limit)
    }

    /// Annotates one text.
    pub fn annotate(&self, input: &Input<'_>) -> Annotations {
        self.annotate_probed(input, &mut |_| {})
    }

    /// [`Annotator::annotate`] (same output), calling `mark(stage)` each time a piece of work
    /// belonging to `stage` ends: the work since the previous call (or the start) is that
    /// stage's. The library reads no clock; a profiler passes a closure that does, e.g.
    ///
    /// ```
    /// # use khabar_annotate::{Annotator, Input, Stage};
    /// let mut spent = [std::time::Duration::ZERO; Stage::ALL.len()];
    /// let mut last = std::time::Instant::now();
    /// Annotator::new().annotate_probed(&Input { text: "وصل الوزير إلى طهران.", ..Default::default() }, &mut |s: Stage| {
    ///     let now = std::time::Instant::now();
    ///     spent[s as usize] += now - last;
    ///     last = now;
    /// });
    /// ```
    pub fn annotate_probed(&self, input: &Input<'_>, mark: &mut impl FnMut(Stage)) -> Annotations {
        let view = text::TextView::new_probed(input.text, input.lang_hint, mark);
        let mut text_layer = annotate_text_layer(&view, input);
        mark(Stage::TimeQuantity);
        let (mentions, entities) = self.entities.run_probed(&view, mark);
        if let Some(d) = text_layer.dateline.as_mut() {
            if d.place_entity.is_none() {
                d.place_entity = mentions.iter().find(|m| d.span.contains(&m.span) && matches!(m.etype, EntityType::Gpe | EntityType::Loc)).and_then(|m| m.entity.clone());
            }
        }
        let mut ann = Annotations {
            mentions,
            entities,
            annotator_version: ANNOTATOR_VERSION.to_string(),
            lang: view.lang,
            sentences: view.sentences.clone(),
            zones: view.zones.clone(),
            ..text_layer
        };
        mark(Stage::Entities);
        ann.events = events::extract(&view, &ann, input.publish_date.or(ann.publish_date.as_deref()));
        mark(Stage::Events);
        ann
    }
}

/// The stages of [`Annotator::annotate`], as reported to [`Annotator::annotate_probed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Language identification (document, and zones in another language).
    LangId,
    /// Code points, normalisation and tokens, sentences, zones.
    Text,
    /// Dateline, title and source, time expressions and quantities.
    TimeQuantity,
    /// Knowledge-base matching and resolution, name patterns, overlap policy, coreference,
    /// entity output.
    Entities,
    /// The learned sequence labeller ([`ner`]) and its candidates.
    Ner,
    /// Event extraction.
    Events,
}

impl Stage {
    /// Every stage, in pipeline order (`Stage::ALL[s as usize] == s`).
    pub const ALL: [Stage; 6] = [Stage::LangId, Stage::Text, Stage::TimeQuantity, Stage::Entities, Stage::Ner, Stage::Events];

    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::LangId => "lang_id",
            Stage::Text => "text",
            Stage::TimeQuantity => "time_quantity",
            Stage::Entities => "entities",
            Stage::Ner => "ner",
            Stage::Events => "events",
        }
    }
}

/// The text layer's part of the annotations: dateline, title, source, publication date, time
/// expressions and quantities. Yearless dates are completed from `input.publish_date`, or else
/// from a dateline date that has a year.
fn annotate_text_layer(view: &text::TextView, input: &Input<'_>) -> Annotations {
    let md = text::metadata::extract(&view.chars, &view.tokens, &view.zones, view.dateline.as_ref());
    let dateline_date = md.dateline.as_ref().and_then(|d| d.date.clone());
    let doc = input.publish_date.and_then(time::DocDate::parse).or_else(|| dateline_date.as_deref().and_then(time::DocDate::parse));
    let times = time::find_times(&view.chars, &view.tokens, view.lang, doc.as_ref());
    let taken: Vec<Span> = times.iter().map(|t| t.span).collect();
    let quantities = quantity::find_quantities(&view.chars, &view.tokens, view.lang, &taken);
    Annotations {
        dateline: md.dateline,
        title: md.title,
        source_name: md.source_name,
        publish_date: if input.publish_date.is_none() { dateline_date } else { None },
        times,
        quantities,
        ..Annotations::default()
    }
}
