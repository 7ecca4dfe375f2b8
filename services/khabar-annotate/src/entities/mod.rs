//! Entities I: mentions of people, organisations, places, events, nationalities and laws, linked
//! to canonical ids across documents, spellings and languages.
//!
//! The stage, in order:
//! 1. [`matcher`]: every knowledge-base key in the text (one automaton pass), with proclitics,
//!    the لل contraction and Persian endings handled at the boundaries;
//! 2. [`resolve`]: which entity a hit stands for and whether a weak form is supported
//!    (this is where a mention's type is decided);
//! 3. [`patterns`]: names the knowledge base does not hold, from titles and organisation heads;
//! 4. the NER model ([`crate::ner`]) for whatever else looks like a name (it also overrules
//!    a one-word GeoNames town it reads as an ordinary word: [`resolve::ModelCandidates`]);
//! 5. [`select`]: the overlap policy below;
//! 6. [`coref`]: short forms and repeats of names found in the same document.
//!
//! Ids: knowledge-base entities keep their `kb.jsonl` id; any other entity gets
//! [`unknown_id`]: `x-<type>-<12 hex of SHA-256(TYPE, name key)>` where the key folds the
//! spelling differences between Arabic and Persian script and between transliterations, so the
//! same unknown name in two documents is one entity.

pub mod coref;
pub mod cues;
pub mod matcher;
pub mod patterns;
pub mod resolve;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::kb::Kb;
use crate::model::{EntityInfo, EntityType, Mention, Origin, Span};
use crate::ner;
use crate::text::TextView;
use crate::Stage;

pub use cues::Cues;

/// What a candidate mention is linked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A knowledge-base entity (index into [`Kb::entities`]).
    Kb(u32),
    /// An entity outside the knowledge base, by its name key ([`crate::kb::match_key`] of its
    /// name); the id is [`unknown_id`] of the type and this key.
    Unknown(String),
}

/// A candidate mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Cand {
    /// The mention in the original text, without proclitics.
    pub span: Span,
    /// Tokens of the view it touches.
    pub toks: Range<usize>,
    pub etype: EntityType,
    pub link: Link,
    pub origin: Origin,
    pub confidence: f32,
}

impl Cand {
    /// Rank among candidates of equal length (smaller wins): knowledge base with a strong form,
    /// pattern, knowledge base with a weak form, model, coreference.
    pub fn priority(&self) -> u8 {
        match self.origin {
            Origin::KnowledgeBase if self.confidence >= 0.85 => 0,
            Origin::Pattern => 1,
            Origin::KnowledgeBase => 2,
            Origin::Model => 3,
            Origin::Coreference => 4,
        }
    }
}

/// The overlap policy: **longest match wins**, and nested names keep the outer entity.
///
/// Candidates are taken longest first (in code points of the original text); among equally long
/// ones the higher [`Cand::priority`] first (knowledge base > pattern > weak knowledge-base form >
/// model > coreference), then the earlier one. A candidate that shares any code point with an
/// already taken one is dropped, so the result never overlaps: "مؤسسة حيدر علييف" (ORG) hides the
/// PERSON inside it, "ناغورنو كاراباخ" beats "كاراباخ", "الأذربيجاني" (NORP) beats the country
/// name inside it. The result is in text order.
pub fn select(mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.sort_by(|a, b| b.span.len().cmp(&a.span.len()).then(a.priority().cmp(&b.priority())).then(a.span.start.cmp(&b.span.start)).then(b.confidence.total_cmp(&a.confidence)));
    let mut taken: Vec<Cand> = Vec::new();
    // spans taken, kept sorted by start for the overlap test
    let mut spans: Vec<Span> = Vec::new();
    for c in cands {
        if c.span.is_empty() {
            continue;
        }
        let at = spans.partition_point(|s| s.start < c.span.start);
        let clash = (at > 0 && spans[at - 1].end > c.span.start) || (at < spans.len() && spans[at].start < c.span.end);
        if clash {
            continue;
        }
        spans.insert(at, c.span);
        taken.push(c);
    }
    taken.sort_by_key(|c| (c.span.start, c.span.end));
    taken
}

/// The id of an entity outside the knowledge base: `x-<type>-<12 hex>` of SHA-256 over the
/// type and [`identity_key`] of its name key.
pub fn unknown_id(etype: EntityType, key: &str) -> String {
    let mut h = Sha256::new();
    h.update(etype.as_str().as_bytes());
    h.update([0u8]);
    h.update(identity_key(key).as_bytes());
    let d = h.finalize();
    format!("x-{}-{}", etype.as_str().to_ascii_lowercase(), &hex::encode(d)[..12])
}

/// The spelling-independent form of a normalised name: Persian-only letters folded to their
/// Arabic counterparts in transliteration (گ→غ, پ→ب, چ→ج, ژ→ز, ڤ→ف), the long vowels ا و ي
/// dropped except at the start of a word, doubled letters merged, a word-initial article ال and a
/// word-final ه (ة) dropped, spaces removed. "هيلغا شميدت"
/// and "هیلگا شمیدت", "علييف" and "علیاف" give one key.
pub fn identity_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for word in key.split([' ', '-']).filter(|w| !w.is_empty()) {
        // the article comes and goes with the syntax ("الاتحاد البرلماني" / "اتحاد البرلماني")
        let word = if word.chars().count() >= 5 { word.strip_prefix("ال").unwrap_or(word) } else { word };
        let mut w = String::with_capacity(word.len());
        let mut last: Option<char> = None;
        for (i, c) in word.chars().enumerate() {
            let c = match c {
                'گ' => 'غ',
                'پ' => 'ب',
                'چ' => 'ج',
                'ژ' => 'ز',
                'ڤ' => 'ف',
                'ڨ' => 'ق',
                c => c,
            };
            if i > 0 && matches!(c, 'ا' | 'و' | 'ي') {
                continue;
            }
            if last == Some(c) {
                continue;
            }
            w.push(c);
            last = Some(c);
        }
        // a final teh marbuta / heh (feminine ending) is written or not
        if w.chars().count() > 2 && w.ends_with('ه') {
            w.pop();
        }
        out.push_str(&w);
    }
    out
}

/// The NER labellers compiled into the library, when both load and have learnt at least one type.
///
/// The hook to the NER stage ([`crate::ner`]): its model files are read here without panicking
/// (a placeholder or a model of another format version gives `None`, and the stage runs on the
/// knowledge base and patterns alone).
pub fn trained_models() -> Option<&'static ner::Models> {
    ner::Models::try_embedded().filter(|m| !m.ar.model().types.is_empty() && !m.fa.model().types.is_empty())
}

/// The entity stage with its compiled resources; build once, share across threads.
#[derive(Debug, Clone, Copy)]
pub struct EntityStage {
    pub kb: &'static Kb,
    pub cues: &'static Cues,
    /// The NER labellers, when the compiled-in models have learnt any type.
    pub ner: Option<&'static ner::Models>,
}

impl EntityStage {
    /// The stage over the data compiled into the library.
    pub fn embedded() -> EntityStage {
        EntityStage { kb: Kb::embedded(), cues: Cues::embedded(), ner: trained_models() }
    }

    /// Mentions (text order) and the entities they reference (sorted by id).
    pub fn run(&self, view: &TextView) -> (Vec<Mention>, Vec<EntityInfo>) {
        self.run_probed(view, &mut |_| {})
    }

    /// [`EntityStage::run`], calling `mark` at the end of each piece of work with its stage
    /// ([`Stage::Entities`] for matching, resolution, patterns, coreference and output,
    /// [`Stage::Ner`] for the sequence labeller and its candidates), for profiling.
    pub fn run_probed(&self, view: &TextView, mark: &mut impl FnMut(Stage)) -> (Vec<Mention>, Vec<EntityInfo>) {
        let cands = self.candidates_probed(view, mark);
        let out = self.output(view, &cands);
        mark(Stage::Entities);
        out
    }

    /// The chosen candidates, in text order.
    pub fn candidates(&self, view: &TextView) -> Vec<Cand> {
        self.candidates_probed(view, &mut |_| {})
    }

    fn candidates_probed(&self, view: &TextView, mark: &mut impl FnMut(Stage)) -> Vec<Cand> {
        let hits = matcher::kb_hits(view, self.kb);
        let (strong, weak) = resolve::kb_candidates(self.kb, self.cues, &hits);
        let mut strong = select(strong);
        let n = view.tokens.len();
        let mut kb_at: Vec<Option<patterns::KbUnit>> = vec![None; n];
        let mut covered = vec![false; n];
        for c in &strong {
            let clitic = c.span.start > view.tokens[c.toks.start].span.start;
            let id = match c.link {
                Link::Kb(i) => self.kb.entities[i as usize].id.as_str(),
                Link::Unknown(_) => "",
            };
            kb_at[c.toks.start] = Some(patterns::KbUnit { end: c.toks.end, etype: c.etype, start: c.span.start, span_end: c.span.end, clitic, id });
            for k in c.toks.clone() {
                covered[k] = true;
            }
        }
        let mut all = resolve::supported_weak(self.kb, self.cues, view, &strong, weak);
        let mut found = patterns::find(view, self.cues, &kb_at, &covered);
        resolve::link_known(self.kb, view, &mut found);
        // what the knowledge base matched: strong hits and supported weak ones
        let mut known: Vec<Cand> = strong.iter().chain(all.iter().filter(|c| c.origin == Origin::KnowledgeBase)).cloned().collect();
        resolve::link_near(self.kb, view, &mut found, &known);
        all.extend(found);
        if let Some(models) = self.ner {
            mark(Stage::Entities);
            let resolve::ModelCandidates { mut found, metonyms, overruled } = resolve::model_candidates(self.kb, self.cues, view, models, &known);
            mark(Stage::Ner);
            let gone = |c: &Cand| metonyms.iter().any(|m| m.toks == c.toks) || (c.origin == Origin::KnowledgeBase && c.toks.len() == 1 && overruled.contains(&c.toks.start));
            strong.retain(|c| !gone(c));
            known.retain(|c| !gone(c));
            resolve::link_known(self.kb, view, &mut found);
            resolve::link_near(self.kb, view, &mut found, &known);
            if view.lang == crate::model::Lang::Fa {
                resolve::model_ends_persian_patterns(&mut all, &found);
            }
            all.extend(found);
            all.extend(metonyms);
        }
        all.extend(resolve::designated_places(self.cues, view, &known));
        all.extend(strong);
        let mut chosen = select(all);
        coref::extend(view, self.cues, &mut chosen);
        chosen
    }

    fn output(&self, view: &TextView, cands: &[Cand]) -> (Vec<Mention>, Vec<EntityInfo>) {
        let mut infos: BTreeMap<String, EntityInfo> = BTreeMap::new();
        let mut mentions = Vec::with_capacity(cands.len());
        for c in cands {
            let id = match &c.link {
                Link::Kb(i) => {
                    let e = &self.kb.entities[*i as usize];
                    infos.entry(e.id.clone()).or_insert_with(|| e.info());
                    e.id.clone()
                }
                Link::Unknown(key) => {
                    let id = unknown_id(c.etype, key);
                    let surface = view.text_of(c.span);
                    let info = infos.entry(id.clone()).or_insert_with(|| EntityInfo {
                        id: id.clone(),
                        etype: c.etype,
                        display_name: crate::kb::match_key(&surface),
                        labels: BTreeMap::from([(view.lang.code().to_string(), surface.clone())]),
                        aliases: Vec::new(),
                        subtype: String::new(),
                        wikidata: String::new(),
                        related: None,
                        origin: c.origin,
                        source: match c.origin {
                            Origin::Model => "model".to_string(),
                            _ => "pattern".to_string(),
                        },
                    });
                    if info.origin == Origin::Coreference && c.origin != Origin::Coreference {
                        info.origin = c.origin;
                    }
                    if !info.labels.values().any(|l| *l == surface) && !info.aliases.contains(&surface) && info.aliases.len() < 16 {
                        info.aliases.push(surface);
                    }
                    id
                }
            };
            mentions.push(Mention { span: c.span, entity: Some(id), etype: c.etype, confidence: c.confidence.clamp(0.0, 1.0), origin: c.origin });
        }
        (mentions, infos.into_values().collect())
    }
}
