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

fn log_sum_exp(xs: impl Iterator<Item = f32>) -> f32 {
    let mut buf = [f32::NEG_INFINITY; 32];
    let mut n = 0;
    for x in xs {
        buf[n] = x;
        n += 1;
    }
    let v = &buf[..n];
    let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if m == f32::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|x| (x - m).exp()).sum::<f32>().ln()
}

/// Posterior label marginals `p[i * l + label]` when scores divided by `temp` are read as a
/// linear-chain CRF's log-potentials.
pub fn marginals(em: &[f32], n: usize, l: usize, trans: &[f32], start: &[f32], end: &[f32], temp: f32) -> Vec<f32> {
    if n == 0 {
        return Vec::new();
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
    let mut p = vec![0f32; n * l];
    for i in 0..n * l {
        let v = alpha[i] + beta[i] - z;
        p[i] = if v == NEG { 0.0 } else { v.exp().min(1.0) };
    }
    p
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
}
