//! This is where a mention's type is decided, and which entity a knowledge-base hit stands for.
//!
//! - A knowledge-base hit takes the type of the entity chosen for it. A key can stand for several
//!   entities; only those whose key variant is valid at the hit count (the article-less variant
//!   only after لل). The first *strong* one wins (curated before generated, countries and capitals
//!   before other places: [`crate::kb::KbEntity::rank`]).
//! - A nationality adjective is the NORP entity (whose `related` is the country), never the country:
//!   its form is a key of the NORP entity only, and being longer it beats the country name inside it.
//! - A known country followed by a directional or historical adjective ("أذربيجان الجنوبية",
//!   "روسيا القيصرية") is another place ([`super::patterns`]), and a known event followed by an
//!   ordinal ("مؤتمر القمة الإسلامي الحادي عشر") is one numbered instance, a new EVENT.
//! - A hit whose form is weak for every entity needs support ([`supported_weak`]): one of its
//!   entities already matched with a strong form in the document (the most frequent such one is
//!   chosen: "علييف" after "إلهام علييف"), or, when the form has a single entity, a cue right
//!   before it: a title for a PERSON ("الرئيس علييف"), a place noun for a GPE or LOC ("مدينة X").
//!   A place whose form is also an ordinary word ("المدينة": Medina, "the city") needs the cue.
//! - A pattern's or the model's name that is a knowledge-base name up to spelling
//!   ([`link_known`]: the same [`super::identity_key`]; one word only for entities not known
//!   from GeoNames alone) is that entity, and so is one the document itself spells one letter
//!   apart from a knowledge-base mention of the same type family ([`link_near`]).
//! - A pattern's type is its cue's (titles: PERSON; organisation heads: ORG or FAC).
//! - A one-word strong hit of a place known from GeoNames alone is dropped when the labeller
//!   reads that word as no name with probability at least [`VETO_O`] ([`overrulable`]:
//!   "باكورة" is not ب + Akure).
//! - A model span keeps the model's type (PERSON, ORG, LOC); where the knowledge base knows the
//!   name, the knowledge-base hit (same span, higher priority) decides instead, except for a
//!   city the model reads as an organisation on the same words with confidence at least
//!   [`METONYMY_MIN`] (a club named after its city): an unlinked ORG.

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
///
/// A one-word form with the article of a place known only from GeoNames that is also a frequent
/// ordinary word ("العمارة": Amarah, and "architecture") counts as weak even when the knowledge
/// base did not flag it. (Without the article the frequency lists cannot tell: foreign city
/// names such as ليما or جاكرتا are frequent in news too.)
pub fn kb_candidates(kb: &Kb, cues: &Cues, hits: &[KbHit]) -> (Vec<Cand>, Vec<WeakHit>) {
    let mut strong = Vec::new();
    let mut weak = Vec::new();
    for h in hits {
        let key = &kb.keys[h.key as usize];
        let common = key.tokens == 1 && key.text.starts_with("ال") && cues.is_common(&key.text, crate::model::Lang::Und);
        let is_weak = |k: &KeyEntity| k.weak || (common && kb.entities[k.entity as usize].source == "geonames");
        let ents: Vec<&KeyEntity> = key.entities.iter().filter(|k| valid(h, k)).collect();
        if let Some(k) = ents.iter().find(|k| !is_weak(k)) {
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
        // a place whose form here is also an ordinary word ("المدينة": Medina, and "the city")
        // is not that place just because the document names it elsewhere; a surname is the
        // person the document named in full ("روحاني" after "حسن روحاني")
        let common = cues.is_common(&kb.keys[w.hit.key as usize].text, view.lang);
        let by_doc = w
            .entities
            .iter()
            .filter(|e| seen.contains_key(e) && !(common && matches!(kb.entities[**e as usize].etype, EntityType::Gpe | EntityType::Loc)))
            .max_by_key(|e| (seen[e], std::cmp::Reverse(**e)));
        let chosen = match by_doc {
            Some(&e) => Some(e),
            None if w.entities.len() == 1 => {
                let e = w.entities[0];
                let etype = kb.entities[e as usize].etype;
                let kind = match etype {
                    EntityType::Person => Some(CueKind::Title),
                    EntityType::Gpe | EntityType::Loc => Some(CueKind::Place),
                    EntityType::Org => Some(CueKind::Source),
                    _ => None,
                };
                let cue = kind.and_then(|k| cues.cue_before(&view.tokens, &view.chars, w.hit.toks.start, view.lang, k)).is_some();
                let listed = matches!(etype, EntityType::Gpe | EntityType::Loc) && in_place_list(view, strong, &w.hit);
                (cue || listed).then_some(e)
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
///
/// A model span adds something only where the knowledge base has no match (`known`: the strong
/// and the supported weak ones): a span all of whose tokens are covered by knowledge-base matches
/// is dropped (the knowledge base links and types it), and so is one that contains a known place
/// (for a place) or a known name of its own type. An organisation after a determiner is dropped,
/// and so is one after a title that holds a known country and does not start with an organisation
/// head (the country is the entity; a chamber of commerce named by its head stays; a ministry,
/// office or provincial department without one stays an organisation). An Arabic conjunction و/ف
/// glued to the first word is left out of the span, and so is a preposition ب/ل/ك when the rest is
/// a knowledge-base name or a common word (for a person: a given name or a word the text has on
/// its own).
///
/// Metonymy: a city the knowledge base matched that the model, sure of it, reads as an
/// organisation on exactly the same words ("فاز ليون على بورتو": the clubs) is returned among the
/// metonyms, as an unlinked ORG candidate to put in place of the city; and a one-word GeoNames
/// place the labeller reads as no name is returned among the overruled ([`overrulable`]).
pub fn model_candidates(kb: &Kb, cues: &Cues, view: &TextView, models: &ner::Models, strong: &[Cand]) -> ModelCandidates {
    let n = view.tokens.len();
    let mut tcues = vec![ner::TokenCue::default(); n];
    let mut covered = vec![false; n];
    for c in strong {
        for k in c.toks.clone() {
            tcues[k] = ner::TokenCue { kb_type: Some(c.etype), kb_begin: k == c.toks.start };
            covered[k] = true;
        }
    }
    let tagger = models.get(view.lang);
    let words: std::collections::HashSet<&str> = view.tokens.iter().map(|t| t.norm.as_str()).collect();
    let mut out = Vec::new();
    let mut metonyms = Vec::new();
    let ask: Vec<usize> = strong.iter().filter(|c| overrulable(kb, c)).map(|c| c.toks.start).collect();
    let (spans, answers) = tagger.tag_and_ask(view, &tcues, &ask);
    let overruled: Vec<usize> = answers.into_iter().filter(|&(_, p_o)| p_o >= VETO_O).map(|(t, _)| t).collect();
    for s in spans {
        if s.confidence < MODEL_MIN || s.span.is_empty() || s.tokens.is_empty() {
            continue;
        }
        if s.tokens.clone().all(|k| covered[k]) {
            let city = strong.iter().find(|c| c.toks == s.tokens && matches!(c.link, Link::Kb(i) if kb.entities[i as usize].subtype == "city"));
            if let (Some(c), EntityType::Org) = (city, s.etype)
                && s.confidence >= METONYMY_MIN
            {
                let key = crate::kb::match_key(&view.text_of(c.span));
                metonyms.push(Cand { span: c.span, toks: c.toks.clone(), etype: EntityType::Org, link: Link::Unknown(key), origin: Origin::Model, confidence: s.confidence * 0.8 });
            }
            continue;
        }
        // a place or person the knowledge base matched inside the span: the knowledge base decides
        // ("محافظة فضولي" is Fuzuli)
        let inner = strong.iter().filter(|c| c.toks.start < s.tokens.end && s.tokens.start < c.toks.end).map(|c| c.etype);
        let mut inner = inner.peekable();
        if inner.peek().is_some() && inner.any(|t| t == s.etype || matches!((t, s.etype), (EntityType::Gpe | EntityType::Loc, EntityType::Gpe | EntityType::Loc))) {
            continue;
        }
        // after a determiner an organisation is a common noun ("هر سازمان بین المللی"); after a
        // title, a complement that holds a known country is that country's ministry ("وزیر امور
        // خارجه جمهوری آذربایجان": the country is the entity), while one without ("وزیر نفت") or
        // with a province or city ("مدیرکل محیط زیست استان البرز": a provincial office) names
        // the office, as news corpora tag it
        if s.etype == EntityType::Org {
            let before = |k: CueKind| cues.cue_before(&view.tokens, &view.chars, s.tokens.start, view.lang, k).is_some();
            let country_inside = || strong.iter().any(|c| matches!(c.link, Link::Kb(i) if kb.entities[i as usize].subtype == "country") && c.toks.start >= s.tokens.start && c.toks.end <= s.tokens.end);
            // (a name that starts with an organisation head is that organisation: "رئیس اتاق
            // بازرگانی و صنایع و معادن ایران")
            let headed = || cues.cue_at(&view.tokens, &view.chars, s.tokens.start, view.lang, CueKind::Head).is_some();
            if before(CueKind::Determiner) || (before(CueKind::Title) && country_inside() && !headed()) {
                continue;
            }
        }
        // one ordinary word in the indefinite accusative ("بندا") is no name
        if s.tokens.len() == 1 && view.tokens[s.tokens.start].norm.strip_suffix('ا').is_some_and(|w| cues.is_common(w, view.lang)) {
            continue;
        }
        let mut span = s.span;
        let mut toks = s.tokens.clone();
        // no punctuation inside a name ("امام حسين(ع")
        if let Some(p) = toks.clone().find(|&k| view.tokens[k].kind == crate::text::TokenKind::Punct) {
            if p == toks.start {
                continue;
            }
            toks.end = p;
            span.end = view.tokens[p - 1].span.end;
        }
        let mut etype = s.etype;
        // a head noun decides the type ("خیابان آزادی" is a facility, "بنك ..." an organisation)
        if let Some((_, cue, _)) = cues.cue_at(&view.tokens, &view.chars, toks.start, view.lang, CueKind::Head) {
            etype = cue.etype;
        }
        let first = &view.tokens[toks.start];
        if view.lang != crate::model::Lang::Fa && first.kind == crate::text::TokenKind::Word && span.start == first.span.start && !cues.is_given(&first.norm) {
            for r in first.readings(&view.chars).iter().skip(1) {
                // a conjunction only when the rest is a word of its own ("وميلوش" with "ميلوش"
                // elsewhere), not the start of a name ("فونيس")
                let conj = matches!(r.clitics.as_str(), "و" | "ف") && (cues.is_given(&r.form) || words.contains(r.form.as_str()));
                // a common word after the clitic starts an organisation's or a place's name
                // ("بالاتحاد الأوروبي"); for a person's name the rest must be a given name or a
                // word the text has on its own ("لطارق" with "طارق" elsewhere), so "بانو ناتوان"
                // keeps its first letter ("انو" is a common word too)
                let common = cues.is_common(&r.form, view.lang) && (etype != EntityType::Person || cues.is_given(&r.form) || words.contains(r.form.as_str()));
                if r.form.chars().count() >= 3 && (conj || kb.key(&r.form).is_some() || common) {
                    span.start = first.span.start + r.skip;
                    break;
                }
            }
        }
        if span.is_empty() {
            continue;
        }
        let key = crate::kb::match_key(&view.text_of(span));
        if key.chars().count() < 3 {
            continue;
        }
        // one ordinary word in the indefinite accusative ("بندا") is no name
        if s.tokens.len() == 1 && key.strip_suffix('ا').is_some_and(|w| cues.is_common(w, view.lang)) {
            continue;
        }
        out.push(Cand { span, toks, etype, link: Link::Unknown(key), origin: Origin::Model, confidence: s.confidence * 0.8 });
    }
    ModelCandidates { found: out, metonyms, overruled }
}

/// What [`model_candidates`] returns.
#[derive(Debug, Clone, Default)]
pub struct ModelCandidates {
    /// The model's names.
    pub found: Vec<Cand>,
    /// Unlinked organisations to put in place of the same words' city (a club named after it).
    pub metonyms: Vec<Cand>,
    /// Tokens of one-word GeoNames places the labeller reads as no name ([`overrulable`]).
    pub overruled: Vec<usize>,
}

/// Persian names a place with its designator ("استان البرز", "شهر کرج", "کشور روسیه"): a place
/// noun right before a place the knowledge base matched (`known`: strong and supported weak hits) makes one mention of that place, linked
/// to it, whose span includes the noun (the convention of Persian NER corpora such as PEYMA;
/// Arabic corpora tag "مدينة بغداد" without the noun, so Arabic is left as it is).
pub fn designated_places(cues: &Cues, view: &TextView, known: &[Cand]) -> Vec<Cand> {
    if view.lang != crate::model::Lang::Fa {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in known.iter().filter(|c| matches!(c.etype, EntityType::Gpe | EntityType::Loc) && c.toks.start > 0) {
        let Some(first) = (c.toks.start.saturating_sub(2)..c.toks.start).find(|&k| cues.cue_at(&view.tokens, &view.chars, k, view.lang, CueKind::Place).is_some_and(|(e, _, _)| e == c.toks.start)) else {
            continue;
        };
        if view.tokens[first].sentence != view.tokens[c.toks.start].sentence || known.iter().any(|o| o.toks.start < c.toks.start && o.toks.end > first) {
            continue;
        }
        let span = crate::model::Span { start: view.tokens[first].span.start, end: c.span.end };
        out.push(Cand { span, toks: first..c.toks.end, etype: c.etype, link: c.link.clone(), origin: c.origin, confidence: c.confidence });
    }
    out
}

/// Knowledge-base places the labeller may overrule: one-word strong hits of a place known from
/// GeoNames alone (thousands of small towns, many of them named by ordinary words: "رهط",
/// "لفيف", "باكورة"). [`model_candidates`] asks the labeller, in its tagging pass, how likely
/// such a word is to be no name at all; from [`VETO_O`] the hit is dropped. Places with a cue or
/// another support are weak hits and not asked about; curated and CLDR places never are.
fn overrulable(kb: &Kb, c: &Cand) -> bool {
    let Link::Kb(e) = c.link else { return false };
    let ent = &kb.entities[e as usize];
    c.origin == Origin::KnowledgeBase && c.confidence >= KB_STRONG && c.toks.len() == 1 && ent.source == "geonames" && matches!(ent.etype, EntityType::Gpe | EntityType::Loc)
}

/// Least probability of "no name" with which the labeller overrules a place ([`overrulable`]). Chosen on the dev splits through the entity stage: F1 ar 0.6206 ->
/// 0.6225 and fa 0.7477 -> 0.7484 at 0.95; at 0.9 Arabic gains more (0.6240) but Persian loses
/// (0.7472), as PEYMA tags small Iranian towns the labeller is less sure of.
pub const VETO_O: f32 = 0.95;

/// Persian pattern names end where the model ends them: a pattern's unlinked name (head and
/// plain words, which Persian does not mark) that runs on past the end of a model name of the
/// same type starting at the same word is dropped from `cands`, so the model's shorter name is
/// the mention ("حزب جمهوریخواه" | "بار دیگر"). Measured on PEYMA dev through the entity stage:
/// F1 0.7484 -> 0.7523 (ORG 0.6627 -> 0.6723); the same rule for Arabic, whose patterns see the
/// article and the construct state, lost 0.0002 on the Arabic dev split and one seed ORG.
pub fn model_ends_persian_patterns(cands: &mut Vec<Cand>, model: &[Cand]) {
    cands.retain(|p| !(p.origin == Origin::Pattern && matches!(p.link, Link::Unknown(_)) && model.iter().any(|m| m.toks.start == p.toks.start && m.toks.end < p.toks.end && m.etype == p.etype)));
}

/// Least model confidence for a mention (the smallest label marginal of the span, at the
/// temperature fitted on dev). Chosen on the dev splits through the entity stage
/// (`khabar-worker train-ner`'s "through the entity stage" line): 0.5 gave F1 fa 0.7394 and ar
/// 0.6077, 0.4 gives 0.7477 and 0.6206; lower thresholds add little (0.2: 0.7491, 0.6235)
/// and let more of the model's partial names through.
pub const MODEL_MIN: f32 = 0.4;
/// Least model confidence to read a known city as an organisation (metonymy).
pub const METONYMY_MIN: f32 = 0.6;

/// Links pattern and model names the knowledge base knows under another spelling ("منظمة الأمن
/// والتعاون الأوروبية" for "منظمة الأمن والتعاون الأوروبي", "قيرغزستان" for "قيرغيزستان"): the
/// same type (any place type for a place) and the same [`super::identity_key`] as one of the
/// entity's names ([`Kb::fuzzy`]); the mention takes the entity's type.
pub fn link_known(kb: &Kb, view: &TextView, cands: &mut [Cand]) {
    for c in cands.iter_mut() {
        if !matches!(c.link, Link::Unknown(_)) {
            continue;
        }
        let key = crate::kb::match_key(&view.text_of(c.span));
        if let Some(e) = kb.fuzzy(&super::identity_key(&key), c.etype) {
            let ent = &kb.entities[e as usize];
            let place = |t: EntityType| matches!(t, EntityType::Gpe | EntityType::Loc);
            if ent.etype == c.etype || (place(ent.etype) && place(c.etype)) {
                c.link = Link::Kb(e);
                c.etype = ent.etype;
            }
        }
    }
}

/// Links names the document itself spells a letter apart from a name the knowledge base matched
/// in it ("هيلغا شميت" after "هيلغا شميدت"): an unlinked pattern or model name whose
/// [`super::identity_key`] is at least [`NEAR_MIN`] letters long and one letter (added, dropped
/// or changed) from the key of a knowledge-base mention of `known` of the same type family
/// becomes that entity, when exactly one entity is that near. The knowledge base alone is never
/// searched this way: a near spelling is only trusted inside the document that has the name.
pub fn link_near(kb: &Kb, view: &TextView, cands: &mut [Cand], known: &[Cand]) {
    let place = |t: EntityType| matches!(t, EntityType::Gpe | EntityType::Loc | EntityType::Fac);
    let family = |a: EntityType, b: EntityType| a == b || (place(a) && place(b));
    let keys: Vec<(Vec<char>, u32, EntityType)> = known
        .iter()
        .filter_map(|c| match c.link {
            Link::Kb(e) => Some((super::identity_key(&crate::kb::match_key(&view.text_of(c.span))).chars().collect::<Vec<char>>(), e, c.etype)),
            Link::Unknown(_) => None,
        })
        .filter(|(k, _, _)| k.len() >= NEAR_MIN)
        .collect();
    if keys.is_empty() {
        return;
    }
    for c in cands.iter_mut().filter(|c| matches!(c.link, Link::Unknown(_))) {
        let key: Vec<char> = super::identity_key(&crate::kb::match_key(&view.text_of(c.span))).chars().collect();
        if key.len() < NEAR_MIN {
            continue;
        }
        let mut near = keys.iter().filter(|(k, _, t)| family(*t, c.etype) && one_edit(k, &key)).map(|(_, e, _)| *e);
        let Some(e) = near.next() else { continue };
        if near.all(|o| o == e) {
            c.link = Link::Kb(e);
            c.etype = kb.entities[e as usize].etype;
        }
    }
}

/// Least length of an identity key for [`link_near`].
pub const NEAR_MIN: usize = 5;

/// `a` and `b` differ by at most one added, dropped or changed letter.
pub fn one_edit(a: &[char], b: &[char]) -> bool {
    let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if l.len() - s.len() > 1 {
        return false;
    }
    let p = s.iter().zip(l).take_while(|(x, y)| x == y).count();
    if s.len() == l.len() {
        s[p..].len() <= 1 || s[p + 1..] == l[p + 1..]
    } else {
        s[p..] == l[p + 1..]
    }
}

/// The hit is an item of a comma-separated list of places: a strong GPE or LOC match is its
/// neighbour with only a comma between ("أغدام، فضولي، جبرائيل، زنقيلان").
fn in_place_list(view: &TextView, strong: &[Cand], hit: &KbHit) -> bool {
    let place = |c: &&Cand| matches!(c.etype, EntityType::Gpe | EntityType::Loc);
    let sep = |k: usize| matches!(view.tokens[k].norm.as_str(), "،" | ",");
    let t0 = hit.toks.start;
    let t1 = hit.toks.end;
    // before: "X، hit", "X و hit", "X وhit"
    let before = strong.iter().filter(place).any(|c| c.toks.end + 1 == t0 && sep(c.toks.end));
    let after = strong.iter().filter(place).any(|c| t1 + 1 == c.toks.start && sep(t1));
    before || after
}
