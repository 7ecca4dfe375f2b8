//! This is where a mention's type is decided, and which entity a knowledge-base hit stands for.
//!
//! - A knowledge-base hit takes the type of the entity chosen for it. A key can stand for several
//!   entities; only those whose key variant is valid at the hit count (the article-less variant
//!   only after لل). The first *strong* one wins (curated before generated, countries and capitals
//!   before other places: [`crate::kb::KbEntity::rank`]).
//! - A nationality adjective is the NORP entity (whose `related` is the country), never the country:
//!   its form is a key of the NORP entity only, and being longer it beats the country name inside it.
//! - A hit whose form is weak for every entity needs support ([`supported_weak`]): one of its
//!   entities already matched with a strong form in the document (the most frequent such one is
//!   chosen: "علييف" after "إلهام علييف"), or, when the form has a single entity, a cue right
//!   before it: a title for a PERSON ("الرئيس علييف"), a place noun for a GPE or LOC ("مدينة X").
//! - A pattern's type is its cue's (titles: PERSON; organisation heads: ORG or FAC).
//! - A model span keeps the model's type (PERSON, ORG, LOC); where the knowledge base knows the
//!   name, the knowledge-base hit (same span, higher priority) decides instead.

use std::collections::HashMap;

use super::cues::{CueKind, Cues};
use super::matcher::KbHit;
use super::{Cand, Link};
use crate::kb::{Kb, KeyEntity, Variant};
use crate::model::{EntityType, Origin};
use crate::ner;
use crate::text::TextView;

/// Confidence of a knowledge-base hit with a strong form.
pub const KB_STRONG: f32 = 0.9;
/// Confidence of a supported weak form.
pub const KB_WEAK: f32 = 0.7;

/// A hit whose valid forms are all weak, with its entities (preferred first).
#[derive(Debug, Clone)]
pub struct WeakHit {
    pub hit: KbHit,
    pub entities: Vec<u32>,
}

fn valid(hit: &KbHit, k: &KeyEntity) -> bool {
    if hit.after_ll {
        k.variant == Variant::NoArticle
    } else {
        k.variant != Variant::NoArticle
    }
}

/// Splits the hits into strong candidates and weak hits.
pub fn kb_candidates(kb: &Kb, hits: &[KbHit]) -> (Vec<Cand>, Vec<WeakHit>) {
    let mut strong = Vec::new();
    let mut weak = Vec::new();
    for h in hits {
        let key = &kb.keys[h.key as usize];
        let ents: Vec<&KeyEntity> = key.entities.iter().filter(|k| valid(h, k)).collect();
        if let Some(k) = ents.iter().find(|k| !k.weak) {
            let e = &kb.entities[k.entity as usize];
            strong.push(Cand { span: h.span, toks: h.toks.clone(), etype: e.etype, link: Link::Kb(k.entity), origin: Origin::KnowledgeBase, confidence: KB_STRONG });
        } else if !ents.is_empty() {
            weak.push(WeakHit { hit: h.clone(), entities: ents.iter().map(|k| k.entity).collect() });
        }
    }
    (strong, weak)
}

/// The weak hits that have support, as candidates.
pub fn supported_weak(kb: &Kb, cues: &Cues, view: &TextView, strong: &[Cand], weak: Vec<WeakHit>) -> Vec<Cand> {
    let mut seen: HashMap<u32, usize> = HashMap::new();
    for c in strong {
        if let Link::Kb(i) = c.link {
            *seen.entry(i).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for w in weak {
        let by_doc = w.entities.iter().filter(|e| seen.contains_key(e)).max_by_key(|e| (seen[e], std::cmp::Reverse(**e)));
        let chosen = match by_doc {
            Some(&e) => Some(e),
            None if w.entities.len() == 1 => {
                let e = w.entities[0];
                let etype = kb.entities[e as usize].etype;
                let kind = match etype {
                    EntityType::Person => Some(CueKind::Title),
                    EntityType::Gpe | EntityType::Loc => Some(CueKind::Place),
                    _ => None,
                };
                kind.and_then(|k| cues.cue_before(&view.tokens, &view.chars, w.hit.toks.start, view.lang, k)).map(|_| e)
            }
            None => None,
        };
        if let Some(e) = chosen {
            let etype = kb.entities[e as usize].etype;
            out.push(Cand { span: w.hit.span, toks: w.hit.toks.clone(), etype, link: Link::Kb(e), origin: Origin::KnowledgeBase, confidence: KB_WEAK });
        }
    }
    out
}

/// Candidates from the NER model, with ids from their names.
pub fn model_candidates(_kb: &Kb, view: &TextView, models: &ner::Models, strong: &[Cand]) -> Vec<Cand> {
    let n = view.tokens.len();
    let mut cues = vec![ner::TokenCue::default(); n];
    for c in strong {
        for k in c.toks.clone() {
            cues[k] = ner::TokenCue { kb_type: Some(c.etype), kb_begin: k == c.toks.start };
        }
    }
    let tagger = models.get(view.lang);
    let mut out = Vec::new();
    for s in tagger.tag_with_cues(view, &cues) {
        if s.confidence < 0.5 || s.span.is_empty() {
            continue;
        }
        let key = crate::kb::match_key(&view.text_of(s.span));
        if key.chars().count() < 3 {
            continue;
        }
        out.push(Cand { span: s.span, toks: s.tokens.clone(), etype: s.etype, link: Link::Unknown(key), origin: Origin::Model, confidence: s.confidence * 0.8 });
    }
    out
}
