//! Entities II: a trained sequence labeller for names no list holds.
//!
//! An averaged structured perceptron over the text layer's tokens, decoded sentence by sentence
//! with first-order Viterbi under BIO constraints. One model per language (Arabic, Persian),
//! trained by `khabar-worker train-ner` from public human-annotated corpora and compiled into the
//! library (`models/ner-ar.bin`, `models/ner-fa.bin`).
//!
//! What it returns: [`NerSpan`]s, each with its span in the original text (code points, an
//! attached Arabic proclitic before the article stripped: "والعراق" gives "العراق"), the tokens it
//! covers, a type and a confidence (the smallest posterior marginal of its labels, from
//! forward-backward over the same scores with a temperature calibrated on the dev set).
//!
//! Types: the corpora's PER/PERS, ORG and LOC/GPE/FAC become [`EntityType::Person`],
//! [`EntityType::Org`] and [`EntityType::Loc`]. The labeller does not try to tell countries and
//! cities (GPE) from other places: ANERcorp and AQMAR do not distinguish them, and the entity
//! stage retypes a place through the knowledge base when it knows it. Other corpus types
//! (MISC, dates, numbers, events, ...) are not learnt.
//!
//! Knowledge-base cues: [`Tagger::tag_with_cues`] takes one [`TokenCue`] per token of the view
//! (filled by the entity stage from its matcher) and turns them into features. The shipped
//! models were trained without them, so today those features carry no weight; retraining with
//! cues computed on the corpora gives them weight without any change to this API.

pub mod cluster;
pub mod decode;
pub mod features;
pub mod train;
pub mod weights;

use std::ops::Range;
use std::sync::OnceLock;

use crate::model::{EntityType, Lang, Span};
use crate::text::{TextView, TokenKind};

pub use features::{Clusters, Gazetteer, Lexicon};
pub use weights::{Model, ModelError};

/// One entity found by the labeller.
#[derive(Debug, Clone, PartialEq)]
pub struct NerSpan {
    /// The mention in the original text (code points), without an attached proclitic.
    pub span: Span,
    /// Indices of the tokens of the view the mention covers.
    pub tokens: Range<usize>,
    pub etype: EntityType,
    /// In (0, 1]: the smallest posterior marginal of the mention's labels.
    pub confidence: f32,
}

/// What the knowledge base says about one token, for the cue features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenCue {
    /// Type of a knowledge-base match covering the token.
    pub kb_type: Option<EntityType>,
    /// True when the match starts at this token.
    pub kb_begin: bool,
}

/// A labeller for one language.
#[derive(Debug, Clone)]
pub struct Tagger {
    model: Model,
    lex: Lexicon,
    /// Label propagation: after tagging, other occurrences of a found name in the same text get
    /// its type too (see [`Tagger::tag_with_cues`]). On when the model file says so.
    pub propagate: bool,
}

/// Reusable buffers for tagging one sentence.
#[derive(Default)]
struct Scratch {
    feats: Vec<u32>,
    offsets: Vec<u32>,
    em: Vec<f32>,
}

impl Tagger {
    /// A labeller with the built-in cue lists of the model's language.
    pub fn new(model: Model) -> Tagger {
        let lex = Lexicon::builtin(model.lang());
        let propagate = model.propagate;
        Tagger { model, lex, propagate }
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Ok(Tagger::new(Model::from_bytes(bytes)?))
    }

    /// A fresh copy of the model compiled into the library for `lang` (`Und` gives Arabic).
    /// Prefer [`Models::embedded`], which loads both once per process.
    pub fn from_embedded(lang: Lang) -> Tagger {
        Models::embedded().get(lang).clone()
    }

    /// The model's parameters.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Language of the model.
    pub fn lang(&self) -> Lang {
        self.model.lang()
    }

    /// Finds the entities of every sentence of `view`.
    pub fn tag(&self, view: &TextView) -> Vec<NerSpan> {
        self.tag_with_cues(view, &[])
    }

    /// Like [`Tagger::tag`], with knowledge-base cues: `cues` is empty or has one entry per token
    /// of `view`.
    ///
    /// With [`Tagger::propagate`], a name found with confidence at least 0.5 is also found at its
    /// other occurrences in the text that no mention covers (same words, the first one compared
    /// without proclitics; single words of at least three letters), with half the confidence.
    pub fn tag_with_cues(&self, view: &TextView, cues: &[TokenCue]) -> Vec<NerSpan> {
        self.tag_and_ask(view, cues, &[]).0
    }

    /// [`Tagger::tag_with_cues`], also returning the posterior probability of "no name" (label O,
    /// at the model's temperature) of each token in `ask` (token indices of `view`), in the same
    /// pass: `(token, P(O))` in `ask`'s order.
    pub fn tag_and_ask(&self, view: &TextView, cues: &[TokenCue], ask: &[usize]) -> (Vec<NerSpan>, Vec<(usize, f32)>) {
        let mut out = Vec::new();
        let mut answers = Vec::with_capacity(ask.len());
        let mut scratch = Scratch::default();
        let ranges = sentence_ranges(view);
        for r in &ranges {
            let asked: Vec<usize> = ask.iter().copied().filter(|t| r.contains(t)).collect();
            self.tag_range(view, r.clone(), cues, &mut scratch, &mut out, &asked, &mut answers);
        }
        if self.propagate && !out.is_empty() {
            out = propagate(view, &ranges, out, self.model.lang);
        }
        let order: std::collections::HashMap<usize, usize> = ask.iter().enumerate().map(|(k, &t)| (t, k)).collect();
        answers.sort_by_key(|(t, _)| order[t]);
        (out, answers)
    }

    /// Finds the entities among the tokens `range` of `view` (normally one sentence).
    pub fn tag_sentence(&self, view: &TextView, range: Range<usize>, cues: &[TokenCue]) -> Vec<NerSpan> {
        let mut out = Vec::new();
        self.tag_range(view, range, cues, &mut Scratch::default(), &mut out, &[], &mut Vec::new());
        out
    }

    /// Emission scores of the tokens `range` (`n * n_labels`, row by row).
    fn emissions(&self, view: &TextView, range: Range<usize>, cues: &[TokenCue], s: &mut Scratch) {
        let l = self.model.n_labels();
        let infos = features::word_infos(view, range.clone(), &self.lex, &self.model.clusters, &self.model.gazetteer, cues);
        s.em.clear();
        s.em.resize(infos.len() * l, 0.0);
        s.feats.clear();
        s.offsets.clear();
        s.offsets.push(0);
        for i in 0..infos.len() {
            features::token_features(&infos, i, &mut s.feats);
            s.offsets.push(s.feats.len() as u32);
        }
        self.model.emissions(&s.feats, &s.offsets, &mut s.em);
    }

    /// Best labels of the tokens `range` (0 = O, 1 + 2k = B of type k, 2 + 2k = I of type k).
    pub fn labels(&self, view: &TextView, range: Range<usize>, cues: &[TokenCue]) -> Vec<u8> {
        let mut s = Scratch::default();
        let n = range.len();
        self.emissions(view, range, cues, &mut s);
        let m = &self.model;
        decode::viterbi(&s.em, n, m.n_labels(), &m.trans, &m.start, &m.end)
    }

    /// Posterior marginals of the tokens `range` at temperature `temp` (`n * n_labels`).
    pub fn marginals(&self, view: &TextView, range: Range<usize>, temp: f32) -> Vec<f32> {
        let mut s = Scratch::default();
        let n = range.len();
        self.emissions(view, range, &[], &mut s);
        let m = &self.model;
        decode::marginals(&s.em, n, m.n_labels(), &m.trans, &m.start, &m.end, temp)
    }

    /// Tags the tokens `range`, and answers P(O) for the tokens `ask` (all inside `range`).
    #[allow(clippy::too_many_arguments)]
    fn tag_range(&self, view: &TextView, range: Range<usize>, cues: &[TokenCue], s: &mut Scratch, out: &mut Vec<NerSpan>, ask: &[usize], answers: &mut Vec<(usize, f32)>) {
        let n = range.len();
        if n == 0 {
            return;
        }
        let m = &self.model;
        let l = m.n_labels();
        self.emissions(view, range.clone(), cues, s);
        let labels = decode::viterbi(&s.em, n, l, &m.trans, &m.start, &m.end);
        if labels.iter().all(|&y| y == 0) && ask.is_empty() {
            return;
        }
        let marg = decode::marginals(&s.em, n, l, &m.trans, &m.start, &m.end, m.temperature);
        answers.extend(ask.iter().map(|&t| (t, marg[(t - range.start) * l])));
        let mut i = 0;
        while i < n {
            let y = labels[i] as usize;
            if y == 0 {
                i += 1;
                continue;
            }
            let ty = (y - 1) / 2;
            let mut j = i + 1;
            while j < n && labels[j] as usize == 2 + 2 * ty {
                j += 1;
            }
            if let Some(etype) = EntityType::parse(&m.types[ty]) {
                let confidence = (i..j).map(|k| marg[k * l + labels[k] as usize]).fold(1f32, f32::min).max(1e-3);
                let first = &view.tokens[range.start + i];
                let last = &view.tokens[range.start + j - 1];
                let skip = if m.lang == Lang::Fa { 0 } else { proclitic_skip(view, range.start + i) };
                out.push(NerSpan {
                    span: Span { start: first.span.start + skip, end: last.span.end },
                    tokens: range.start + i..range.start + j,
                    etype,
                    confidence,
                });
            }
            i = j;
        }
    }
}

fn propagate(view: &TextView, ranges: &[Range<usize>], mut spans: Vec<NerSpan>, lang: Lang) -> Vec<NerSpan> {
    use std::collections::HashMap;
    use crate::lexicon::FxBuild;
    use features::{hash_str, name_key};
    const MAX: usize = 6;
    let norms: Vec<u64> = view.tokens.iter().map(|t| hash_str(&t.norm)).collect();
    // the first-token forms, computed lazily (readings are not free)
    let mut cores: Vec<Option<[u64; 2]>> = vec![None; view.tokens.len()];
    let mut core_of = |i: usize| -> [u64; 2] {
        *cores[i].get_or_insert_with(|| {
            let t = &view.tokens[i];
            if lang == Lang::Fa || t.kind != TokenKind::Word || !features::may_have_clitics(&t.norm) {
                // a single form (see core_forms)
                return [norms[i], 0];
            }
            let f = features::core_forms(view, i, lang);
            [hash_str(&f[0]), f.get(1).map_or(0, |x| hash_str(x))]
        })
    };
    // name key -> type -> (votes, best confidence)
    let mut names: HashMap<u64, HashMap<EntityType, (usize, f32)>, FxBuild> = HashMap::default();
    let mut covered = vec![false; view.tokens.len()];
    let mut first_forms: std::collections::HashSet<u64, FxBuild> = Default::default();
    for s in &spans {
        for i in s.tokens.clone() {
            covered[i] = true;
        }
        if s.confidence < 0.5 || s.tokens.len() > MAX {
            continue;
        }
        if s.tokens.len() == 1 && view.tokens[s.tokens.start].norm.chars().filter(|c| c.is_alphabetic()).count() < 3 {
            continue;
        }
        for c in core_of(s.tokens.start).into_iter().filter(|c| *c != 0) {
            first_forms.insert(c);
            let key = name_key(std::iter::once(c).chain(s.tokens.clone().skip(1).map(|i| norms[i])));
            let e = names.entry(key).or_default().entry(s.etype).or_insert((0, 0.0));
            e.0 += 1;
            e.1 = e.1.max(s.confidence);
        }
    }
    if names.is_empty() {
        return spans;
    }
    let best: HashMap<u64, (EntityType, f32), FxBuild> = names
        .into_iter()
        .map(|(k, v)| {
            let (t, (_, c)) = v.into_iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(&a.0))).unwrap();
            (k, (t, c))
        })
        .collect();
    // the first-token forms of the names found: a token none of whose forms is one of them
    // starts no name (most tokens), so the longer keys are not even computed
    let firsts = first_forms;
    let short = |i: usize| view.tokens[i].norm.chars().filter(|c| c.is_alphabetic()).count() < 3;
    let mut added = Vec::new();
    for r in ranges {
        let mut i = r.start;
        while i < r.end {
            if covered[i] {
                i += 1;
                continue;
            }
            let core = core_of(i);
            if !core.iter().any(|c| *c != 0 && firsts.contains(c)) {
                i += 1;
                continue;
            }
            let mut hit = None;
            'len: for len in (1..=MAX.min(r.end - i)).rev() {
                if (i..i + len).any(|j| covered[j]) {
                    continue;
                }
                for c in core.into_iter().filter(|c| *c != 0) {
                    if let Some(&(t, conf)) = best.get(&name_key(std::iter::once(c).chain(norms[i + 1..i + len].iter().copied()))) {
                        // one word needs three letters (checked only on a hit: it is not free)
                        if len == 1 && short(i) {
                            break 'len;
                        }
                        hit = Some((len, t, conf));
                        break 'len;
                    }
                }
            }
            if let Some((len, etype, c)) = hit {
                let skip = if lang == Lang::Fa { 0 } else { proclitic_skip(view, i) };
                added.push(NerSpan {
                    span: Span { start: view.tokens[i].span.start + skip, end: view.tokens[i + len - 1].span.end },
                    tokens: i..i + len,
                    etype,
                    confidence: c * 0.5,
                });
                i += len;
            } else {
                i += 1;
            }
        }
    }
    if !added.is_empty() {
        spans.extend(added);
        spans.sort_by_key(|s| s.tokens.start);
    }
    spans
}

/// Code points of proclitics (و ف ب ك, or و/ف followed by ب ك) attached before the article ال
/// at the start of token `ti`; 0 when there are none. "لل" (ل + ال) is left alone: stripping it
/// would also strip the article's first letter.
pub fn proclitic_skip(view: &TextView, ti: usize) -> u32 {
    let t = &view.tokens[ti];
    if t.kind != TokenKind::Word || !t.norm.contains("ال") {
        return 0;
    }
    t.readings(&view.chars)
        .iter()
        .filter(|r| !r.clitics.is_empty() && !r.clitics.ends_with("لل") && r.form.starts_with("ال") && r.form.chars().count() >= 4)
        .map(|r| r.skip)
        .max()
        .unwrap_or(0)
}

/// Token ranges of the sentences of `view`, in order.
pub fn sentence_ranges(view: &TextView) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=view.tokens.len() {
        if i == view.tokens.len() || view.tokens[i].sentence != view.tokens[start].sentence {
            out.push(start..i);
            start = i;
        }
    }
    if view.tokens.is_empty() {
        out.clear();
    }
    out
}

/// The compiled-in labellers of both languages.
#[derive(Debug, Clone)]
pub struct Models {
    pub ar: Tagger,
    pub fa: Tagger,
}

static EMBEDDED_AR: &[u8] = include_bytes!("../../models/ner-ar.bin");
static EMBEDDED_FA: &[u8] = include_bytes!("../../models/ner-fa.bin");

impl Models {
    /// The models compiled into the library, decoded once per process; `None` when a file does
    /// not decode (a placeholder, another format version).
    pub fn try_embedded() -> Option<&'static Models> {
        static MODELS: OnceLock<Option<Models>> = OnceLock::new();
        MODELS.get_or_init(|| Some(Models { ar: Tagger::from_bytes(EMBEDDED_AR).ok()?, fa: Tagger::from_bytes(EMBEDDED_FA).ok()? })).as_ref()
    }

    /// [`Models::try_embedded`], for callers that cannot work without them.
    pub fn embedded() -> &'static Models {
        Self::try_embedded().expect("embedded NER models decode")
    }

    /// The labeller for `lang` (Arabic for `Und`).
    pub fn get(&self, lang: Lang) -> &Tagger {
        match lang {
            Lang::Fa => &self.fa,
            _ => &self.ar,
        }
    }

    /// Tags `view` with the labeller of its language.
    pub fn tag(&self, view: &TextView) -> Vec<NerSpan> {
        self.get(view.lang).tag(view)
    }
}

#[cfg(test)]
mod tests;
