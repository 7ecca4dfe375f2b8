//! First-order Viterbi decoding under BIO constraints, and label marginals for confidences.
//!
//! Labels: 0 is O, `1 + 2k` is B of type k, `2 + 2k` is I of type k. An I label may only follow
//! the B or I of its own type; a sentence never starts with I.

/// True when label `next` may follow label `prev` (`None` = sentence start).
#[inline]
pub fn allowed(prev: Option<usize>, next: usize) -> bool {
    if next == 0 || next % 2 == 1 {
        return true;
    }
    match prev {
        None => false,
        Some(p) => p != 0 && (p + 1) / 2 == next / 2,
    }
}

/// Best label sequence for emission scores `em[i * l + label]` of `n` tokens.
pub fn viterbi(em: &[f32], n: usize, l: usize, trans: &[f32], start: &[f32], end: &[f32]) -> Vec<u8> {
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut score = vec![NEG; n * l];
    let mut back = vec![0u8; n * l];
    for y in 0..l {
        if allowed(None, y) {
            score[y] = start[y] + em[y];
        }
    }
    for i in 1..n {
        for y in 0..l {
            let mut best = NEG;
            let mut arg = 0u8;
            for p in 0..l {
                let s = score[(i - 1) * l + p];
                if s == NEG || !allowed(Some(p), y) {
                    continue;
                }
                let v = s + trans[p * l + y];
                if v > best {
                    best = v;
                    arg = p as u8;
                }
            }
            if best > NEG {
                score[i * l + y] = best + em[i * l + y];
                back[i * l + y] = arg;
            }
        }
    }
    let mut best = NEG;
    let mut y = 0usize;
    for k in 0..l {
        let v = score[(n - 1) * l + k] + end[k];
        if v > best {
            best = v;
            y = k;
        }
    }
    let mut out = vec![0u8; n];
    out[n - 1] = y as u8;
    for i in (1..n).rev() {
        y = back[i * l + y] as usize;
        out[i - 1] = y as u8;
    }
    out
}

/// Posterior label marginals `p[i * l + label]` when scores divided by `temp` are read as a
/// linear-chain CRF's log-potentials.
///
/// Forward-backward in probability space: the transition potentials are exponentiated once,
/// each token's emission potentials once (relative to its best label, so nothing overflows),
/// and every row of the forward and backward tables is rescaled to sum to 1; a marginal only
/// needs the product of the two rows at its position up to a constant, so the scales never
/// have to be tracked. That is `n * l` exponentials instead of `2 * n * l * l` plus as many
/// logarithms in log space.
pub fn marginals(em: &[f32], n: usize, l: usize, trans: &[f32], start: &[f32], end: &[f32], temp: f32) -> Vec<f32> {
    if n == 0 {
        return Vec::new();
    }
    let t = 1.0 / temp as f64;
    // potentials; a forbidden transition has potential 0
    let mut tr = vec![0f64; l * l];
    for p in 0..l {
        for y in 0..l {
            if allowed(Some(p), y) {
                tr[p * l + y] = (trans[p * l + y] as f64 * t).exp();
            }
        }
    }
    let mut e = vec![0f64; n * l];
    for i in 0..n {
        let row = &em[i * l..(i + 1) * l];
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for y in 0..l {
            e[i * l + y] = ((row[y] - m) as f64 * t).exp();
        }
    }
    let normalize = |row: &mut [f64]| {
        let s: f64 = row.iter().sum();
        if s > 0.0 && s.is_finite() {
            let k = 1.0 / s;
            row.iter_mut().for_each(|x| *x *= k);
        }
    };
    let mut alpha = vec![0f64; n * l];
    // start and end potentials relative to their best, like the emissions
    let sm = (0..l).filter(|&y| allowed(None, y)).map(|y| start[y]).fold(f32::NEG_INFINITY, f32::max);
    for y in 0..l {
        if allowed(None, y) {
            alpha[y] = ((start[y] - sm) as f64 * t).exp() * e[y];
        }
    }
    normalize(&mut alpha[..l]);
    for i in 1..n {
        let (prev, cur) = alpha.split_at_mut(i * l);
        let prev = &prev[(i - 1) * l..];
        let cur = &mut cur[..l];
        for p in 0..l {
            let a = prev[p];
            if a == 0.0 {
                continue;
            }
            for y in 0..l {
                cur[y] += a * tr[p * l + y];
            }
        }
        for y in 0..l {
            cur[y] *= e[i * l + y];
        }
        normalize(cur);
    }
    let mut beta = vec![0f64; n * l];
    let em_ = end.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    for y in 0..l {
        beta[(n - 1) * l + y] = ((end[y] - em_) as f64 * t).exp();
    }
    normalize(&mut beta[(n - 1) * l..]);
    let mut tmp = vec![0f64; l];
    for i in (0..n - 1).rev() {
        for y in 0..l {
            tmp[y] = e[(i + 1) * l + y] * beta[(i + 1) * l + y];
        }
        let cur = &mut beta[i * l..(i + 1) * l];
        for p in 0..l {
            cur[p] = (0..l).map(|y| tr[p * l + y] * tmp[y]).sum();
        }
        normalize(cur);
    }
    let mut p = vec![0f32; n * l];
    let mut row = vec![0f64; l];
    for i in 0..n {
        for y in 0..l {
            row[y] = alpha[i * l + y] * beta[i * l + y];
        }
        normalize(&mut row);
        for y in 0..l {
            p[i * l + y] = (row[y] as f32).min(1.0);
        }
    }
    p
}

/// [`marginals`] computed in log space (the reference the fast version is tested against).
#[cfg(test)]
fn marginals_log(em: &[f32], n: usize, l: usize, trans: &[f32], start: &[f32], end: &[f32], temp: f32) -> Vec<f32> {
    fn log_sum_exp(xs: impl Iterator<Item = f32>) -> f32 {
        let v: Vec<f32> = xs.collect();
        let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        if m == f32::NEG_INFINITY {
            return m;
        }
        m + v.iter().map(|x| (x - m).exp()).sum::<f32>().ln()
    }
    let t = 1.0 / temp;
    const NEG: f32 = f32::NEG_INFINITY;
    let mut alpha = vec![NEG; n * l];
    let mut beta = vec![NEG; n * l];
    for y in 0..l {
        if allowed(None, y) {
            alpha[y] = (start[y] + em[y]) * t;
        }
    }
    for i in 1..n {
        for y in 0..l {
            let a = log_sum_exp((0..l).filter(|&p| allowed(Some(p), y)).map(|p| alpha[(i - 1) * l + p] + trans[p * l + y] * t));
            alpha[i * l + y] = a + em[i * l + y] * t;
        }
    }
    for y in 0..l {
        beta[(n - 1) * l + y] = end[y] * t;
    }
    for i in (0..n - 1).rev() {
        for y in 0..l {
            beta[i * l + y] = log_sum_exp((0..l).filter(|&nx| allowed(Some(y), nx)).map(|nx| trans[y * l + nx] * t + em[(i + 1) * l + nx] * t + beta[(i + 1) * l + nx]));
        }
    }
    let z = log_sum_exp((0..l).map(|y| alpha[(n - 1) * l + y] + beta[(n - 1) * l + y]));
    (0..n * l)
        .map(|i| {
            let v = alpha[i] + beta[i] - z;
            if v == NEG { 0.0 } else { v.exp().min(1.0) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_constraints() {
        // labels: O, B-A, I-A, B-B, I-B
        assert!(allowed(None, 0) && allowed(None, 1) && !allowed(None, 2));
        assert!(allowed(Some(1), 2) && allowed(Some(2), 2));
        assert!(!allowed(Some(0), 2) && !allowed(Some(3), 2) && !allowed(Some(4), 2));
        assert!(allowed(Some(3), 4) && !allowed(Some(1), 4));
    }

    #[test]
    fn viterbi_never_emits_an_orphan_inside_label() {
        let l = 5;
        let zero = vec![0f32; l * l];
        let z = vec![0f32; l];
        // I-A strongly preferred everywhere: the best legal path is B-A I-A I-A.
        let em: Vec<f32> = (0..3).flat_map(|_| [0.0, 1.0, 5.0, 0.0, 0.0]).collect();
        assert_eq!(viterbi(&em, 3, l, &zero, &z, &z), vec![1, 2, 2]);
        // I-B after a B-A is illegal even if the emission wants it.
        let em = vec![0.0, 9.0, 0.0, 0.0, 0.0, /**/ 0.0, 0.0, 0.0, 0.0, 9.0];
        let p = viterbi(&em, 2, l, &zero, &z, &z);
        assert_ne!(p[1], 4);
        for w in p.windows(2) {
            assert!(allowed(Some(w[0] as usize), w[1] as usize));
        }
    }

    #[test]
    fn marginals_sum_to_one() {
        let l = 5;
        let tr: Vec<f32> = (0..l * l).map(|i| (i % 3) as f32 * 0.1).collect();
        let z = vec![0f32; l];
        let em: Vec<f32> = (0..4 * l).map(|i| ((i * 7) % 5) as f32 * 0.3).collect();
        let p = marginals(&em, 4, l, &tr, &z, &z, 1.0);
        for i in 0..4 {
            let s: f32 = p[i * l..(i + 1) * l].iter().sum();
            assert!((s - 1.0).abs() < 1e-4, "{s}");
        }
        assert_eq!(p[2], 0.0, "I at the start is impossible");
    }

    #[test]
    fn fast_marginals_match_log_space() {
        let mut x = 12345u64;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 20_001) as f32 / 1000.0 - 10.0
        };
        for (l, n, temp) in [(5usize, 1usize, 1.0f32), (7, 9, 1.0), (7, 30, 24.0), (9, 12, 4.0), (7, 40, 0.5)] {
            let tr: Vec<f32> = (0..l * l).map(|_| rnd()).collect();
            let st: Vec<f32> = (0..l).map(|_| rnd()).collect();
            let en: Vec<f32> = (0..l).map(|_| rnd()).collect();
            let em: Vec<f32> = (0..n * l).map(|_| rnd() * 3.0).collect();
            let a = marginals(&em, n, l, &tr, &st, &en, temp);
            let b = marginals_log(&em, n, l, &tr, &st, &en, temp);
            for (x, y) in a.iter().zip(&b) {
                // the log-space reference itself rounds in f32 (scores up to ~200 at temperature 0.5)
                assert!((x - y).abs() < 1e-3, "l {l} n {n} temp {temp}: {x} vs {y}");
            }
        }
    }
}
