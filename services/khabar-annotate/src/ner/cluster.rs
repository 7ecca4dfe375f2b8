//! Word clusters from unlabelled text, for the labeller's cluster features.
//!
//! Every frequent word gets a vector: its positive PMI with the frequent words one and two
//! positions to its left and right (four directional context slots, context distribution
//! smoothed with exponent 0.75), projected to a few hundred dimensions with fixed random ±1
//! vectors. Hierarchical spherical k-means then splits the words into coarse clusters, each of
//! those into finer ones, and so on; the cluster at every level is a feature. Deterministic for a
//! given input and seed.

use std::collections::HashMap;

use super::features::{Clusters, CLUSTER_LEVELS};
use super::train::SplitMix64;

/// Clustering options.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Words seen fewer times are not clustered.
    pub min_count: u32,
    /// At most this many words (the most frequent) are clustered.
    pub max_words: usize,
    /// This many of the most frequent words serve as contexts.
    pub contexts: usize,
    /// Dimension of the projected vectors.
    pub dims: usize,
    /// Branching at each level: the first level has `branching[0]` clusters, and each cluster
    /// of level k is split into `branching[k]`.
    pub branching: [usize; CLUSTER_LEVELS],
    /// k-means iterations at each split.
    pub iterations: usize,
    pub seed: u64,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions { min_count: 4, max_words: 80_000, contexts: 5_000, dims: 128, branching: [32, 8, 8], iterations: 10, seed: 17 }
    }
}

/// Learns clusters from sentences of normalised words (see [`crate::text::normalize`]).
pub fn learn(sentences: &[Vec<String>], opts: &ClusterOptions) -> Clusters {
    // vocabulary, ids by first appearance, then ranks by frequency (ties by first appearance)
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut words: Vec<&str> = Vec::new();
    let mut counts: Vec<u64> = Vec::new();
    let mut corpus: Vec<Vec<u32>> = Vec::with_capacity(sentences.len());
    for s in sentences {
        let mut ids_s = Vec::with_capacity(s.len());
        for w in s {
            let id = *ids.entry(w.as_str()).or_insert_with(|| {
                words.push(w.as_str());
                counts.push(0);
                words.len() as u32 - 1
            });
            counts[id as usize] += 1;
            ids_s.push(id);
        }
        corpus.push(ids_s);
    }
    let mut by_freq: Vec<u32> = (0..words.len() as u32).collect();
    by_freq.sort_by(|a, b| counts[*b as usize].cmp(&counts[*a as usize]).then(a.cmp(b)));
    const NONE: u32 = u32::MAX;
    let mut row = vec![NONE; words.len()]; // word id -> clustered row
    let mut ctx = vec![NONE; words.len()]; // word id -> context index
    let mut n_rows = 0usize;
    for (rank, &w) in by_freq.iter().enumerate() {
        if rank < opts.contexts {
            ctx[w as usize] = rank as u32;
        }
        if n_rows < opts.max_words && counts[w as usize] >= opts.min_count as u64 && words[w as usize].chars().any(|c| c.is_alphabetic()) {
            row[w as usize] = n_rows as u32;
            n_rows += 1;
        }
    }
    if n_rows == 0 {
        return Clusters::default();
    }
    let n_ctx = opts.contexts.min(words.len()) * 4 + 4;
    // (row, context slot) pairs, counted by sorting
    let mut pairs: Vec<u64> = Vec::new();
    for s in &corpus {
        for (i, &w) in s.iter().enumerate() {
            let r = row[w as usize];
            if r == NONE {
                continue;
            }
            for (slot, d) in [(0usize, -2isize), (1, -1), (2, 1), (3, 2)] {
                let j = i as isize + d;
                let c = if j < 0 || j >= s.len() as isize {
                    n_ctx - 4 + slot // sentence boundary
                } else {
                    let c = ctx[s[j as usize] as usize];
                    if c == NONE {
                        continue;
                    }
                    c as usize * 4 + slot
                };
                pairs.push(((r as u64) << 32) | c as u64);
            }
        }
    }
    pairs.sort_unstable();
    let mut triples: Vec<(u32, u32, f32)> = Vec::new();
    let mut row_tot = vec![0f64; n_rows];
    let mut ctx_tot = vec![0f64; n_ctx];
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i + 1;
        while j < pairs.len() && pairs[j] == pairs[i] {
            j += 1;
        }
        let (r, c) = ((pairs[i] >> 32) as u32, pairs[i] as u32);
        let n = (j - i) as f32;
        triples.push((r, c, n));
        row_tot[r as usize] += n as f64;
        ctx_tot[c as usize] += n as f64;
        i = j;
    }
    drop(pairs);
    let ctx_a: Vec<f64> = ctx_tot.iter().map(|x| x.powf(0.75)).collect();
    let z: f64 = ctx_a.iter().sum();
    // random ±1 projection of every context slot
    let d = opts.dims;
    let mut rng = SplitMix64(opts.seed);
    let mut proj = vec![0f32; n_ctx * d];
    for x in proj.iter_mut() {
        *x = if rng.next_u64() & 1 == 0 { 1.0 } else { -1.0 };
    }
    let mut vecs = vec![0f32; n_rows * d];
    for &(r, c, n) in &triples {
        let pmi = ((n as f64) * z / (row_tot[r as usize] * ctx_a[c as usize])).ln();
        if pmi <= 0.0 {
            continue;
        }
        let v = &mut vecs[r as usize * d..(r as usize + 1) * d];
        for (x, p) in v.iter_mut().zip(&proj[c as usize * d..(c as usize + 1) * d]) {
            *x += pmi as f32 * p;
        }
    }
    for r in 0..n_rows {
        let v = &mut vecs[r * d..(r + 1) * d];
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        }
    }
    // hierarchical spherical k-means
    let mut assign = vec![[0u16; CLUSTER_LEVELS]; n_rows];
    let mut groups: Vec<Vec<usize>> = vec![(0..n_rows).collect()];
    for level in 0..CLUSTER_LEVELS {
        let k = opts.branching[level];
        let mut next = Vec::new();
        for (g, members) in groups.iter().enumerate() {
            let labels = kmeans(&vecs, d, members, k, opts.iterations, &mut rng);
            let mut sub = vec![Vec::new(); k];
            for (m, &lab) in members.iter().zip(&labels) {
                assign[*m][level] = (g * k + lab) as u16;
                sub[lab].push(*m);
            }
            next.extend(sub);
        }
        groups = next;
    }
    let mut map = HashMap::with_capacity_and_hasher(n_rows, Default::default());
    for (w, &r) in row.iter().enumerate() {
        if r != NONE {
            map.insert(super::features::cluster_key(words[w]), assign[r as usize]);
        }
    }
    Clusters { map }
}

/// Spherical k-means of the rows `members` of `vecs`; returns a cluster per member.
fn kmeans(vecs: &[f32], d: usize, members: &[usize], k: usize, iterations: usize, rng: &mut SplitMix64) -> Vec<usize> {
    let n = members.len();
    if n <= k {
        // too few to split further
        return vec![0; n];
    }
    // distinct random members as initial centroids
    let mut picks: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut picks);
    let mut cent: Vec<f32> = picks[..k].iter().flat_map(|&i| vecs[members[i] * d..(members[i] + 1) * d].iter().copied()).collect();
    let mut labels = vec![0usize; n];
    for _ in 0..iterations {
        let mut changed = false;
        for (i, &m) in members.iter().enumerate() {
            let v = &vecs[m * d..(m + 1) * d];
            let mut best = (f32::NEG_INFINITY, 0usize);
            for c in 0..k {
                let s: f32 = v.iter().zip(&cent[c * d..(c + 1) * d]).map(|(a, b)| a * b).sum();
                if s > best.0 {
                    best = (s, c);
                }
            }
            if labels[i] != best.1 {
                labels[i] = best.1;
                changed = true;
            }
        }
        let mut sums = vec![0f32; k * d];
        let mut sizes = vec![0usize; k];
        for (i, &m) in members.iter().enumerate() {
            sizes[labels[i]] += 1;
            for (s, x) in sums[labels[i] * d..(labels[i] + 1) * d].iter_mut().zip(&vecs[m * d..(m + 1) * d]) {
                *s += x;
            }
        }
        for c in 0..k {
            let s = &mut sums[c * d..(c + 1) * d];
            let norm = s.iter().map(|x| x * x).sum::<f32>().sqrt();
            if sizes[c] == 0 || norm == 0.0 {
                // an empty cluster takes a random member
                let m = members[rng.below(n)];
                s.copy_from_slice(&vecs[m * d..(m + 1) * d]);
            } else {
                s.iter_mut().for_each(|x| *x /= norm);
            }
        }
        cent = sums;
        if !changed {
            break;
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_clusters() {
        let mut sents = Vec::new();
        for i in 0..200 {
            let city = ["بغداد", "دمشق", "القاهرة"][i % 3];
            let name = ["محمد", "علي", "خالد"][i % 3];
            sents.push(format!("وصل الوفد إلى {city} أمس").split(' ').map(String::from).collect());
            sents.push(format!("قال الرئيس {name} إن").split(' ').map(String::from).collect());
        }
        let opts = ClusterOptions { min_count: 2, branching: [6, 2, 2], ..ClusterOptions::default() };
        let c = learn(&sents, &opts);
        let get = |w: &str| c.map[&crate::ner::features::cluster_key(w)];
        assert_eq!(get("بغداد"), get("دمشق"));
        assert_eq!(get("محمد"), get("علي"));
        assert_ne!(get("بغداد"), get("محمد"));
        assert_eq!(learn(&sents, &opts).map, c.map, "deterministic");
    }
}
