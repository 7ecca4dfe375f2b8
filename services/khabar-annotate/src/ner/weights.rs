//! The compact model: quantised feature weights, transitions and word clusters, with its file
//! format.
//!
//! File layout: the magic `KNER`, a format byte, then a DEFLATE (zlib) stream of:
//! feature version (u32), language code, entity type names, weight scale, confidence
//! temperature, the propagation flag (u8), transition/start/end scores (f32), the sorted feature keys (delta varints), the
//! weights label by label (zigzag varints of i16), the word clusters (sorted word hashes as
//! delta varints plus their ids) and the gazetteer (sorted name keys as delta varints plus a
//! type byte each). Everything is little-endian.

use std::collections::HashMap;
use std::fmt;

use crate::model::Lang;

use super::features::{Clusters, Gazetteer, CLUSTER_LEVELS, FEATURE_VERSION};

const MAGIC: &[u8; 4] = b"KNER";
const FORMAT: u8 = 1;

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// Not a model file.
    BadMagic,
    /// A format or feature version this build does not know.
    Version(u32),
    /// Truncated or corrupt content.
    Corrupt(&'static str),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a Khabar NER model"),
            ModelError::Version(v) => write!(f, "unsupported NER model version {v}"),
            ModelError::Corrupt(what) => write!(f, "corrupt NER model: {what}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// A trained labeller's parameters, ready for tagging.
#[derive(Clone)]
pub struct Model {
    pub(crate) lang: Lang,
    /// Entity type names; label 0 is O, label 1+2k is B of type k, 2+2k is I of type k.
    pub(crate) types: Vec<String>,
    /// Weight of one quantisation step.
    pub(crate) scale: f32,
    /// Temperature applied to scores when computing confidences.
    pub(crate) temperature: f32,
    /// Whether taggers built from this model propagate names to their other occurrences.
    pub propagate: bool,
    /// `trans[prev * L + next]`.
    pub(crate) trans: Vec<f32>,
    pub(crate) start: Vec<f32>,
    pub(crate) end: Vec<f32>,
    /// Sorted feature keys.
    keys: Vec<u32>,
    /// `weights[f * L + label]`, in units of `scale`.
    weights: Vec<i16>,
    /// Open-addressing table of the feature keys (linear probing; 0 = empty, a real key 0 is
    /// [`Model::key0`]), its weights in `rows` at the same slot: one cache miss per lookup.
    slot_keys: Vec<u32>,
    /// `rows[slot * L + label]`, in units of `scale`.
    rows: Vec<i16>,
    /// Slot of the feature whose key is 0, if it has weights.
    key0: Option<usize>,
    shift: u32,
    pub(crate) clusters: Clusters,
    /// Names seen in the training data.
    pub gazetteer: Gazetteer,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("lang", &self.lang)
            .field("types", &self.types)
            .field("features", &self.keys.len())
            .field("cluster_words", &self.clusters.map.len())
            .finish()
    }
}

impl Model {
    /// Number of labels (O plus B and I of every type).
    #[inline]
    pub fn n_labels(&self) -> usize {
        1 + 2 * self.types.len()
    }

    /// Number of features with a weight.
    pub fn n_features(&self) -> usize {
        self.keys.len()
    }

    /// Language the model was trained for.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Entity type names of the model, in label order.
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// Builds a model from real-valued weights: features whose largest absolute weight is below
    /// `prune` are dropped, the rest quantised to 16 bits.
    #[allow(clippy::too_many_arguments)]
    pub fn from_weights(
        lang: Lang,
        types: Vec<String>,
        features: Vec<(u32, Vec<f32>)>,
        trans: Vec<f32>,
        start: Vec<f32>,
        end: Vec<f32>,
        prune: f32,
        clusters: Clusters,
    ) -> Model {
        let l = 1 + 2 * types.len();
        assert_eq!(trans.len(), l * l);
        let mut kept: Vec<(u32, Vec<f32>)> = features
            .into_iter()
            .filter(|(_, w)| w.iter().any(|x| x.abs() >= prune && x.abs() > 0.0))
            .collect();
        kept.sort_by_key(|(k, _)| *k);
        kept.dedup_by_key(|(k, _)| *k);
        let max = kept.iter().flat_map(|(_, w)| w.iter()).fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut keys = Vec::with_capacity(kept.len());
        let mut weights = Vec::with_capacity(kept.len() * l);
        for (k, w) in kept {
            keys.push(k);
            weights.extend(w.iter().map(|x| (x / scale).round().clamp(-32767.0, 32767.0) as i16));
        }
        let mut m = Model { lang, types, scale, temperature: 1.0, propagate: false, trans, start, end, keys, weights, slot_keys: Vec::new(), rows: Vec::new(), key0: None, shift: 0, clusters, gazetteer: Gazetteer::default() };
        m.build_table();
        m
    }

    fn build_table(&mut self) {
        let l = self.n_labels();
        let n = self.keys.len().max(1);
        // load at most 2/3: probes stay short and mostly within one cache line of keys
        let bits = (usize::BITS - (n * 3 / 2).max(1).leading_zeros()).max(4);
        self.shift = 64 - bits;
        let size = 1usize << bits;
        let mask = size - 1;
        let mut slot_keys = vec![0u32; size];
        let mut rows = vec![0i16; size * l + l];
        self.key0 = None;
        for (i, &k) in self.keys.iter().enumerate() {
            let s = if k == 0 {
                // kept apart: key 0 marks an empty slot; its row is the extra one at the end
                size
            } else {
                let mut s = self.slot(k);
                while slot_keys[s] != 0 {
                    s = (s + 1) & mask;
                }
                slot_keys[s] = k;
                s
            };
            if k == 0 {
                self.key0 = Some(size);
            }
            rows[s * l..s * l + l].copy_from_slice(&self.weights[i * l..i * l + l]);
        }
        self.slot_keys = slot_keys;
        self.rows = rows;
    }

    #[inline]
    fn slot(&self, key: u32) -> usize {
        ((key as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// Slot (row) of a feature, if it has weights.
    #[inline]
    fn find(&self, key: u32) -> Option<usize> {
        if key == 0 {
            return self.key0;
        }
        let mask = self.slot_keys.len() - 1;
        let mut s = self.slot(key);
        loop {
            let k = self.slot_keys[s];
            if k == key {
                return Some(s);
            }
            if k == 0 {
                return None;
            }
            s = (s + 1) & mask;
        }
    }

    /// Hints the memory of the slot where `key` is looked up first.
    #[inline(always)]
    fn prefetch(&self, key: u32) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let s = self.slot(key);
            let l = self.n_labels();
            // SAFETY: prefetching is a hint and never faults; both pointers are in bounds.
            #[allow(unused_unsafe)]
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>(self.slot_keys.as_ptr().add(s) as *const i8);
                _mm_prefetch::<_MM_HINT_T0>(self.rows.as_ptr().add(s * l) as *const i8);
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    /// Emission scores of several tokens at once: token `t` has the features
    /// `feats[offsets[t]..offsets[t + 1]]` and gets the scores `out[t * L..(t + 1) * L]`.
    /// The table slots are prefetched a few features ahead, so that the cache misses of the
    /// lookups overlap instead of following one another.
    pub(crate) fn emissions(&self, feats: &[u32], offsets: &[u32], out: &mut [f32]) {
        const AHEAD: usize = 12;
        let l = self.n_labels();
        debug_assert!(l <= 16);
        for &f in feats.iter().take(AHEAD) {
            self.prefetch(f);
        }
        for (t, w) in offsets.windows(2).enumerate() {
            let mut acc = [0i32; 16];
            let acc = &mut acc[..l];
            for j in w[0] as usize..w[1] as usize {
                if let Some(&f) = feats.get(j + AHEAD) {
                    self.prefetch(f);
                }
                if let Some(s) = self.find(feats[j]) {
                    for (a, &x) in acc.iter_mut().zip(&self.rows[s * l..s * l + l]) {
                        *a += x as i32;
                    }
                }
            }
            for (o, a) in out[t * l..t * l + l].iter_mut().zip(acc.iter()) {
                *o = *a as f32 * self.scale;
            }
        }
    }

    /// Serialises the model (compressed).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut p = Vec::new();
        put_u32(&mut p, FEATURE_VERSION);
        let code = self.lang.code().as_bytes();
        p.push(code.len() as u8);
        p.extend_from_slice(code);
        p.push(self.types.len() as u8);
        for t in &self.types {
            p.push(t.len() as u8);
            p.extend_from_slice(t.as_bytes());
        }
        put_f32(&mut p, self.scale);
        put_f32(&mut p, self.temperature);
        p.push(self.propagate as u8);
        for &x in self.trans.iter().chain(&self.start).chain(&self.end) {
            put_f32(&mut p, x);
        }
        put_u32(&mut p, self.keys.len() as u32);
        let mut prev = 0u32;
        for &k in &self.keys {
            put_var(&mut p, (k - prev) as u64);
            prev = k;
        }
        let l = self.n_labels();
        for label in 0..l {
            for f in 0..self.keys.len() {
                let w = self.weights[f * l + label] as i64;
                put_var(&mut p, ((w << 1) ^ (w >> 63)) as u64);
            }
        }
        let mut words: Vec<(&u32, &[u16; CLUSTER_LEVELS])> = self.clusters.map.iter().collect();
        words.sort();
        put_u32(&mut p, words.len() as u32);
        let mut prev = 0u32;
        for (h, _) in &words {
            put_var(&mut p, (**h - prev) as u64);
            prev = **h;
        }
        for g in 0..CLUSTER_LEVELS {
            for (_, ids) in &words {
                put_var(&mut p, ids[g] as u64);
            }
        }
        let mut names: Vec<(&u64, &u8)> = self.gazetteer.map.iter().collect();
        names.sort();
        put_u32(&mut p, names.len() as u32);
        let mut prev = 0u64;
        for (k, _) in &names {
            put_var(&mut p, **k - prev);
            prev = **k;
        }
        p.extend(names.iter().map(|(_, v)| **v));
        let mut out = Vec::with_capacity(p.len() / 2);
        out.extend_from_slice(MAGIC);
        out.push(FORMAT);
        out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(&p, 9));
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < 5 || &bytes[..4] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        if bytes[4] != FORMAT {
            return Err(ModelError::Version(bytes[4] as u32));
        }
        let p = miniz_oxide::inflate::decompress_to_vec_zlib(&bytes[5..]).map_err(|_| ModelError::Corrupt("deflate stream"))?;
        let mut r = Reader { b: &p, at: 0 };
        let fv = r.u32()?;
        if fv != FEATURE_VERSION {
            return Err(ModelError::Version(fv));
        }
        let n = r.u8()? as usize;
        let lang = Lang::from_code(std::str::from_utf8(r.take(n)?).map_err(|_| ModelError::Corrupt("language"))?).ok_or(ModelError::Corrupt("language"))?;
        let nt = r.u8()? as usize;
        let mut types = Vec::with_capacity(nt);
        for _ in 0..nt {
            let n = r.u8()? as usize;
            types.push(String::from_utf8(r.take(n)?.to_vec()).map_err(|_| ModelError::Corrupt("type name"))?);
        }
        let l = 1 + 2 * nt;
        if l > 16 {
            return Err(ModelError::Corrupt("too many labels"));
        }
        let scale = r.f32()?;
        let temperature = r.f32()?;
        let propagate = r.u8()? != 0;
        let mut fl = |n: usize| -> Result<Vec<f32>, ModelError> { (0..n).map(|_| r.f32()).collect() };
        let trans = fl(l * l)?;
        let start = fl(l)?;
        let end = fl(l)?;
        let nf = r.u32()? as usize;
        let mut keys = Vec::with_capacity(nf);
        let mut prev = 0u64;
        for _ in 0..nf {
            prev += r.var()?;
            keys.push(u32::try_from(prev).map_err(|_| ModelError::Corrupt("feature key"))?);
        }
        let mut weights = vec![0i16; nf * l];
        for label in 0..l {
            for f in 0..nf {
                let z = r.var()?;
                let w = ((z >> 1) as i64) ^ -((z & 1) as i64);
                weights[f * l + label] = i16::try_from(w).map_err(|_| ModelError::Corrupt("weight"))?;
            }
        }
        let nw = r.u32()? as usize;
        let mut hashes = Vec::with_capacity(nw);
        let mut prev = 0u64;
        for _ in 0..nw {
            prev += r.var()?;
            hashes.push(u32::try_from(prev).map_err(|_| ModelError::Corrupt("cluster key"))?);
        }
        let mut ids = vec![[0u16; CLUSTER_LEVELS]; nw];
        for g in 0..CLUSTER_LEVELS {
            for id in ids.iter_mut() {
                id[g] = u16::try_from(r.var()?).map_err(|_| ModelError::Corrupt("cluster id"))?;
            }
        }
        let mut map = HashMap::with_capacity_and_hasher(nw, Default::default());
        map.extend(hashes.into_iter().zip(ids));
        let nn = r.u32()? as usize;
        let mut gkeys = Vec::with_capacity(nn);
        let mut prev = 0u64;
        for _ in 0..nn {
            prev = prev.checked_add(r.var()?).ok_or(ModelError::Corrupt("name key"))?;
            gkeys.push(prev);
        }
        let gvals = r.take(nn)?;
        let mut gmap = HashMap::with_capacity_and_hasher(nn, Default::default());
        gmap.extend(gkeys.into_iter().zip(gvals.iter().copied()));
        if r.at != p.len() {
            return Err(ModelError::Corrupt("trailing bytes"));
        }
        let mut m = Model { lang, types, scale, temperature, propagate, trans, start, end, keys, weights, slot_keys: Vec::new(), rows: Vec::new(), key0: None, shift: 0, clusters: Clusters { map }, gazetteer: Gazetteer { map: gmap } };
        m.build_table();
        Ok(m)
    }

    /// Sets the temperature used for confidences (scores are divided by it).
    pub fn set_temperature(&mut self, t: f32) {
        self.temperature = t.max(1e-3);
    }

    /// Temperature used for confidences.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }
}

fn put_u32(p: &mut Vec<u8>, x: u32) {
    p.extend_from_slice(&x.to_le_bytes());
}

fn put_f32(p: &mut Vec<u8>, x: f32) {
    p.extend_from_slice(&x.to_le_bytes());
}

fn put_var(p: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        p.push((x as u8) | 0x80);
        x >>= 7;
    }
    p.push(x as u8);
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.at + n > self.b.len() {
            return Err(ModelError::Corrupt("truncated"));
        }
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn var(&mut self) -> Result<u64, ModelError> {
        let mut x = 0u64;
        let mut shift = 0;
        loop {
            let b = self.u8()?;
            if shift >= 64 {
                return Err(ModelError::Corrupt("varint"));
            }
            x |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(x);
            }
            shift += 7;
        }
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn every_feature_finds_its_own_weights() {
        let l = 7;
        // keys with collisions in the slot hash, and the key 0 that marks empty slots
        let keys: Vec<u32> = (0..5000u32).map(|i| i.wrapping_mul(2_654_435_761) ^ (i << 7)).chain([0, 1, u32::MAX]).collect();
        let feats: Vec<(u32, Vec<f32>)> = keys.iter().map(|&k| (k, (0..l).map(|y| ((k as u64 * 31 + y as u64) % 97) as f32 - 48.0).collect())).collect();
        let types = vec!["PER".to_string(), "ORG".to_string(), "LOC".to_string()];
        let m = Model::from_weights(Lang::Ar, types, feats, vec![0.0; l * l], vec![0.0; l], vec![0.0; l], 0.0, Clusters::default());
        for (f, &k) in m.keys.iter().enumerate() {
            let s = m.find(k).expect("a kept feature is found");
            assert_eq!(&m.rows[s * l..s * l + l], &m.weights[f * l..f * l + l], "key {k}");
        }
        for k in [2u32, 3, 12345, 0xdead_beef] {
            if m.keys.binary_search(&k).is_err() {
                assert!(m.find(k).is_none());
            }
        }
        // several tokens at once = one at a time
        let all: Vec<u32> = keys.iter().copied().take(40).chain([7, 9]).collect();
        let offsets = [0u32, 10, 11, 30, 42];
        let mut out = vec![0f32; 4 * l];
        m.emissions(&all, &offsets, &mut out);
        for t in 0..4 {
            let mut one = vec![0f32; l];
            m.emissions(&all[offsets[t] as usize..offsets[t + 1] as usize], &[0, offsets[t + 1] - offsets[t]], &mut one);
            assert_eq!(&out[t * l..t * l + l], &one[..]);
        }
    }
}
