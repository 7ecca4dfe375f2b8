//! Training the labeller: corpus labels projected onto Khabar's own tokens, and an averaged
//! structured perceptron (Collins 2002) with the same Viterbi decoder as tagging.
//!
//! Pure and deterministic: the caller reads the files and supplies the seed; the same examples,
//! options and seed give the same model, bit for bit.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use crate::model::Lang;
use crate::text::{TextView, TokenKind};

use super::decode;
use super::features::{self, Clusters, Gazetteer, Lexicon};
use super::weights::Model;
use super::TokenCue;

/// Entity types the shipped models learn, in label order.
pub const TYPES: [&str; 3] = ["PER", "ORG", "LOC"];

/// Entity types with MISC (names that are none of the three: ANERcorp MISC, AQMAR MIS0-3,
/// Wojood NORP/EVENT/LAW/PRODUCT/LANGUAGE). MISC is learnt so that such names are not forced
/// into O; the labeller never returns it.
pub const TYPES_MISC: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// Maps a corpus type name to a learnt type: PER/PERS/PERSON, ORG/ORGANIZATION,
/// LOC/GPE/FAC/LOCATION (folded to LOC), and the MISC family (see [`TYPES_MISC`]). Dates,
/// numbers, occupations and the like are not learnt.
pub fn corpus_type(t: &str) -> Option<&'static str> {
    match t.to_ascii_uppercase().as_str() {
        "PER" | "PERS" | "PERSON" => Some("PER"),
        "ORG" | "ORGANIZATION" => Some("ORG"),
        "LOC" | "GPE" | "FAC" | "LOCATION" => Some("LOC"),
        "MISC" | "MIS" | "MIS0" | "MIS1" | "MIS2" | "MIS3" | "NORP" | "EVENT" | "LAW" | "PRODUCT" | "LANGUAGE" => Some("MISC"),
        _ => None,
    }
}

/// Splits a BIO tag ("B-PERS", "I-LOC", "O") into its prefix and learnt type.
pub fn parse_tag(tag: &str) -> (char, Option<&'static str>) {
    match tag.split_once('-') {
        Some((b, t)) if b == "B" || b == "I" => match corpus_type(t) {
            Some(t) => (b.chars().next().unwrap(), Some(t)),
            None => ('O', None),
        },
        _ => ('O', None),
    }
}

/// Entity chunks `(type, first token, end token)` of a tag sequence, the conlleval way: an I
/// after O or after another type starts a chunk.
pub fn chunks(tags: &[(char, Option<&'static str>)]) -> Vec<(&'static str, usize, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(&'static str, usize)> = None;
    for (i, &(b, t)) in tags.iter().chain(std::iter::once(&('O', None))).enumerate() {
        if let Some((ct, cs)) = cur {
            if b != 'I' || t != Some(ct) {
                out.push((ct, cs, i));
                cur = None;
            }
        }
        if (b == 'B' || b == 'I') && cur.is_none() {
            cur = Some((t.unwrap(), i));
        }
    }
    out
}

/// A corpus sentence turned into Khabar's tokens: the text is the corpus tokens joined with
/// single spaces (as the evaluation sends it), and every sentence of its view gets labels.
#[derive(Debug, Clone)]
pub struct Projected {
    pub view: TextView,
    /// Token range of each sentence of the view, with one label per token.
    pub sentences: Vec<(Range<usize>, Vec<u8>)>,
}

/// Projects the BIO tags of corpus tokens onto the text layer's tokens: a corpus entity covers
/// the tokens inside its corpus tokens, minus punctuation at either end ("(د" → "(" "د").
pub fn project(tokens: &[&str], tags: &[&str], lang: Lang, types: &[&str]) -> Projected {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(tokens.len());
    let mut at = 0usize;
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 {
            text.push(' ');
            at += 1;
        }
        let n = t.chars().count();
        spans.push((at, at + n));
        text.push_str(t);
        at += n;
    }
    let view = TextView::new(&text, Some(lang));
    let mut labels = vec![0u8; view.tokens.len()];
    let parsed: Vec<(char, Option<&'static str>)> = tags.iter().map(|t| parse_tag(t)).collect();
    for (ty, a, b) in chunks(&parsed) {
        let Some(k) = types.iter().position(|x| *x == ty) else { continue };
        let (cs, ce) = (spans[a].0 as u32, spans[b - 1].1 as u32);
        let mut inside: Vec<usize> = (0..view.tokens.len()).filter(|&i| view.tokens[i].span.start >= cs && view.tokens[i].span.end <= ce).collect();
        while inside.first().is_some_and(|&i| matches!(view.tokens[i].kind, TokenKind::Punct | TokenKind::Symbol)) {
            inside.remove(0);
        }
        while inside.last().is_some_and(|&i| matches!(view.tokens[i].kind, TokenKind::Punct | TokenKind::Symbol)) {
            inside.pop();
        }
        for (j, &i) in inside.iter().enumerate() {
            labels[i] = if j == 0 { 1 + 2 * k as u8 } else { 2 + 2 * k as u8 };
        }
    }
    let mut sentences = Vec::new();
    for r in super::sentence_ranges(&view) {
        let mut l: Vec<u8> = labels[r.clone()].to_vec();
        // an entity cut by a sentence break starts again with B
        for i in 0..l.len() {
            let prev = if i == 0 { None } else { Some(l[i - 1] as usize) };
            if !decode::allowed(prev, l[i] as usize) {
                l[i] -= 1;
            }
        }
        sentences.push((r, l));
    }
    Projected { view, sentences }
}

/// Name keys ([`features::name_key`]) of every token n-gram of the tokens `range`, up to
/// [`features::GAZ_MAX`] tokens: `(start, length, key)`.
/// (Several keys per n-gram when its first token has several [`features::core_forms`].)
pub fn ngram_keys(view: &TextView, range: Range<usize>, lang: Lang) -> Vec<(usize, usize, u64)> {
    let core: Vec<Vec<u64>> = range.clone().map(|i| features::core_forms(view, i, lang).iter().map(|f| features::hash_str(f)).collect()).collect();
    let norm: Vec<u64> = range.clone().map(|i| features::hash_str(&view.tokens[i].norm)).collect();
    let mut out = Vec::new();
    for i in 0..core.len() {
        for len in 1..=features::GAZ_MAX.min(core.len() - i) {
            for &c in &core[i] {
                out.push((i, len, features::name_key(std::iter::once(c).chain(norm[i + 1..i + len].iter().copied()))));
            }
        }
    }
    out
}

/// The names of a labelled sentence: `(key, type index)` of every entity of at most
/// [`features::GAZ_MAX`] tokens.
pub fn sentence_names(keys: &[(usize, usize, u64)], labels: &[u8]) -> Vec<(u64, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        if labels[i] % 2 == 1 {
            let mut j = i + 1;
            while j < labels.len() && labels[j] == labels[i] + 1 {
                j += 1;
            }
            for &(_, _, k) in keys.iter().filter(|(s, l, _)| *s == i && *l == j - i) {
                out.push((k, (labels[i] as usize - 1) / 2));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// A gazetteer of `names`, keeping a name only when at least `min_ratio` of its occurrences
/// (`occurrences`: how often each token sequence occurs in the training text) are tagged as a
/// name.
pub fn gazetteer<'a>(names: impl Iterator<Item = &'a (u64, usize)>, occurrences: &HashMap<u64, u32>, min_ratio: f32) -> Gazetteer {
    let mut counts: HashMap<u64, (u32, u8)> = HashMap::new();
    for &(k, t) in names {
        let e = counts.entry(k).or_insert((0, 0));
        e.0 += 1;
        e.1 |= 1 << t;
    }
    let map = counts
        .into_iter()
        .filter(|(k, (n, _))| *n as f32 >= min_ratio * occurrences.get(k).copied().unwrap_or(*n) as f32)
        .map(|(k, (_, bits))| (k, bits))
        .collect();
    Gazetteer { map }
}

/// One training sentence: feature keys of every token and gold labels.
#[derive(Debug, Clone, Default)]
pub struct Example {
    /// Features of token i are `feats[offsets[i]..offsets[i + 1]]`.
    pub feats: Vec<u32>,
    pub offsets: Vec<u32>,
    pub gold: Vec<u8>,
}

/// Extracts the features of the tokens `range` of `view` with gold `labels`.
pub fn example(view: &TextView, range: Range<usize>, labels: Vec<u8>, lex: &Lexicon, clusters: &Clusters, gaz: &Gazetteer, cues: &[TokenCue]) -> Example {
    let infos = features::word_infos(view, range, lex, clusters, gaz, cues);
    let mut ex = Example { offsets: vec![0], gold: labels, ..Example::default() };
    for i in 0..infos.len() {
        features::token_features(&infos, i, &mut ex.feats);
        ex.offsets.push(ex.feats.len() as u32);
    }
    ex
}

/// A small deterministic PRNG (SplitMix64).
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        features::fmix(self.0)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as u128 * n as u128 >> 53) as usize
    }
    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, x: u32) {
        self.0 = (x as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type IdMap = HashMap<u32, u32, BuildHasherDefault<IdHasher>>;

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Features seen fewer times than this in the training examples are ignored.
    pub min_count: u32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { min_count: 1 }
    }
}

/// An averaged structured perceptron over interned features.
pub struct Trainer {
    lang: Lang,
    types: Vec<String>,
    l: usize,
    /// Interned examples: features as dense ids.
    examples: Vec<Example>,
    keys: Vec<u32>,
    w: Vec<f32>,
    u: Vec<f64>,
    tw: Vec<f32>,
    tu: Vec<f64>,
    /// Updates made so far (the averaging clock).
    c: f64,
    clusters: Clusters,
    gazetteer: Gazetteer,
}

/// What one epoch did.
#[derive(Debug, Clone, Copy, Default)]
pub struct EpochStats {
    pub sentences: usize,
    pub tokens: usize,
    /// Tokens whose predicted label differed from the gold one.
    pub token_errors: usize,
}

impl Trainer {
    /// Interns the features of `examples`.
    pub fn new(lang: Lang, types: &[&str], examples: Vec<Example>, clusters: Clusters, gazetteer: Gazetteer, opts: &TrainOptions) -> Trainer {
        let l = 1 + 2 * types.len();
        let mut counts: IdMap = IdMap::default();
        for ex in &examples {
            for &f in &ex.feats {
                *counts.entry(f).or_insert(0) += 1;
            }
        }
        let mut ids: IdMap = IdMap::default();
        let mut keys = Vec::new();
        let mut interned = Vec::with_capacity(examples.len());
        for ex in examples {
            if ex.gold.is_empty() {
                continue;
            }
            let mut out = Example { feats: Vec::with_capacity(ex.feats.len()), offsets: vec![0], gold: ex.gold };
            for i in 0..out.gold.len() {
                for &f in &ex.feats[ex.offsets[i] as usize..ex.offsets[i + 1] as usize] {
                    if counts[&f] < opts.min_count {
                        continue;
                    }
                    let id = *ids.entry(f).or_insert_with(|| {
                        keys.push(f);
                        keys.len() as u32 - 1
                    });
                    out.feats.push(id);
                }
                out.offsets.push(out.feats.len() as u32);
            }
            interned.push(out);
        }
        let n = keys.len();
        // transitions: l*l, then start (l), then end (l)
        let nt = l * l + 2 * l;
        Trainer {
            lang,
            types: types.iter().map(|s| s.to_string()).collect(),
            l,
            examples: interned,
            keys,
            w: vec![0.0; n * l],
            u: vec![0.0; n * l],
            tw: vec![0.0; nt],
            tu: vec![0.0; nt],
            c: 1.0,
            clusters,
            gazetteer,
        }
    }

    /// Number of distinct features.
    pub fn n_features(&self) -> usize {
        self.keys.len()
    }

    /// Number of training sentences.
    pub fn n_examples(&self) -> usize {
        self.examples.len()
    }

    fn decode(&self, ex: &Example, em: &mut Vec<f32>) -> Vec<u8> {
        let l = self.l;
        let n = ex.gold.len();
        em.clear();
        em.resize(n * l, 0.0);
        for i in 0..n {
            let row = &mut em[i * l..(i + 1) * l];
            for &f in &ex.feats[ex.offsets[i] as usize..ex.offsets[i + 1] as usize] {
                let w = &self.w[f as usize * l..f as usize * l + l];
                for (r, x) in row.iter_mut().zip(w) {
                    *r += x;
                }
            }
        }
        let (tr, rest) = self.tw.split_at(l * l);
        let (st, en) = rest.split_at(l);
        decode::viterbi(em, n, l, tr, st, en)
    }

    #[inline]
    fn bump(w: &mut [f32], u: &mut [f64], i: usize, d: f32, c: f64) {
        w[i] += d;
        u[i] += c * d as f64;
    }

    /// One pass over the training sentences in an order drawn from `rng`.
    pub fn epoch(&mut self, rng: &mut SplitMix64) -> EpochStats {
        let mut order: Vec<usize> = (0..self.examples.len()).collect();
        rng.shuffle(&mut order);
        let mut stats = EpochStats::default();
        let mut em = Vec::new();
        let l = self.l;
        let examples = std::mem::take(&mut self.examples);
        for &k in &order {
            let ex = &examples[k];
            let pred = self.decode(ex, &mut em);
            let n = ex.gold.len();
            stats.sentences += 1;
            stats.tokens += n;
            if pred != ex.gold {
                let c = self.c;
                for i in 0..n {
                    let (g, p) = (ex.gold[i] as usize, pred[i] as usize);
                    if g != p {
                        stats.token_errors += 1;
                        for &f in &ex.feats[ex.offsets[i] as usize..ex.offsets[i + 1] as usize] {
                            let f = f as usize * l;
                            Self::bump(&mut self.w, &mut self.u, f + g, 1.0, c);
                            Self::bump(&mut self.w, &mut self.u, f + p, -1.0, c);
                        }
                    }
                    let (gi, pi) = if i == 0 { (l * l + g, l * l + p) } else { (ex.gold[i - 1] as usize * l + g, pred[i - 1] as usize * l + p) };
                    if gi != pi {
                        Self::bump(&mut self.tw, &mut self.tu, gi, 1.0, c);
                        Self::bump(&mut self.tw, &mut self.tu, pi, -1.0, c);
                    }
                }
                let (ge, pe) = (l * l + l + ex.gold[n - 1] as usize, l * l + l + pred[n - 1] as usize);
                if ge != pe {
                    Self::bump(&mut self.tw, &mut self.tu, ge, 1.0, c);
                    Self::bump(&mut self.tw, &mut self.tu, pe, -1.0, c);
                }
            }
            self.c += 1.0;
        }
        self.examples = examples;
        stats
    }

    /// The averaged weights as a model; features whose largest averaged weight is below
    /// `prune` are dropped.
    pub fn model(&self, prune: f32) -> Model {
        let l = self.l;
        let c = self.c;
        let avg = |w: f32, u: f64| (w as f64 - u / c) as f32;
        let feats: Vec<(u32, Vec<f32>)> = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, (0..l).map(|y| avg(self.w[i * l + y], self.u[i * l + y])).collect()))
            .collect();
        let t: Vec<f32> = self.tw.iter().zip(&self.tu).map(|(&w, &u)| avg(w, u)).collect();
        let mut m = Model::from_weights(
            self.lang,
            self.types.clone(),
            feats,
            t[..l * l].to_vec(),
            t[l * l..l * l + l].to_vec(),
            t[l * l + l..].to_vec(),
            prune,
            self.clusters.clone(),
        );
        m.gazetteer = self.gazetteer.clone();
        m
    }
}
