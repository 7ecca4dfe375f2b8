//! Word lists compiled into the library.
//!
//! The lists themselves are readable TSV files under `lexicon/` (month names, era markers,
//! number words, currencies, units, qualifiers, news sources), included with `include_str!` and
//! parsed once. Lines starting with `#` are comments; columns are separated by tabs.
//!
//! Phrases are stored as the token forms the tokenizer produces for them (normalised, see
//! [`crate::text::normalize`]), so a lexicon entry matches the text whatever its hamza, yeh,
//! kaf, diacritics, tatweel or ZWNJ spelling.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::Lang;
use crate::text::token::{tokenize, Token};

/// A small, fast, deterministic hasher for the word tables (FxHash: rotate, xor, multiply);
/// the tables hold compiled-in words, so flooding resistance is not needed.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap());
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// `HashMap`/`HashSet` builder using [`FxHasher`].
pub type FxBuild = BuildHasherDefault<FxHasher>;

/// The TSV sources, by file name.
pub mod data {
    pub const MONTHS: &str = include_str!("../lexicon/months.tsv");
    pub const ERAS: &str = include_str!("../lexicon/eras.tsv");
    pub const NUMBERS: &str = include_str!("../lexicon/numbers.tsv");
    pub const CURRENCIES: &str = include_str!("../lexicon/currencies.tsv");
    pub const UNITS: &str = include_str!("../lexicon/units.tsv");
    pub const QUALIFIERS: &str = include_str!("../lexicon/qualifiers.tsv");
    pub const SOURCES: &str = include_str!("../lexicon/sources.tsv");
    pub const RELATIVE: &str = include_str!("../lexicon/relative.tsv");
}

/// Data rows of a TSV lexicon: comment and blank lines skipped, columns trimmed.
pub fn rows(src: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// The normalised token forms of a phrase, exactly as the tokenizer sees it in a text.
pub fn phrase_forms(phrase: &str) -> Vec<String> {
    let chars: Vec<char> = phrase.chars().collect();
    tokenize(&chars).into_iter().map(|t| t.norm).collect()
}

/// Which languages a lexicon entry applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangTag {
    Ar,
    Fa,
    Any,
}

impl LangTag {
    /// Parses the `lang` column ("ar", "fa", "*" or empty).
    pub fn parse(s: &str) -> LangTag {
        match s {
            "ar" => LangTag::Ar,
            "fa" => LangTag::Fa,
            _ => LangTag::Any,
        }
    }
    /// True when the entry may be used in a text of language `lang` (an undetermined text uses all).
    pub fn allows(self, lang: Lang) -> bool {
        match (self, lang) {
            (LangTag::Any, _) | (_, Lang::Und) => true,
            (LangTag::Ar, Lang::Ar) | (LangTag::Fa, Lang::Fa) => true,
            _ => false,
        }
    }
}

/// Multi-token phrases keyed by their first token form; the longest match wins.
#[derive(Debug, Clone)]
pub struct PhraseTable<T> {
    map: HashMap<String, Vec<(Vec<String>, T)>, FxBuild>,
    max_len: usize,
}

impl<T> Default for PhraseTable<T> {
    fn default() -> Self {
        PhraseTable { map: HashMap::default(), max_len: 0 }
    }
}

impl<T> PhraseTable<T> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a phrase (written as in a text; it is tokenised and normalised here).
    pub fn insert(&mut self, phrase: &str, value: T) {
        let forms = phrase_forms(phrase);
        self.insert_forms(forms, value);
    }

    /// Adds a phrase given as normalised token forms.
    pub fn insert_forms(&mut self, forms: Vec<String>, value: T) {
        let Some((first, rest)) = forms.split_first() else { return };
        self.max_len = self.max_len.max(forms.len());
        let v = self.map.entry(first.clone()).or_default();
        v.push((rest.to_vec(), value));
        // longest first; stable, so entries of equal length keep file order
        v.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    }

    /// True when some phrase starts with `form`.
    pub fn starts_with(&self, form: &str) -> bool {
        self.map.contains_key(form)
    }

    /// The longest phrase whose first token has form `first` (the form of `tokens[i]`, possibly
    /// with proclitics removed) and whose other tokens equal `tokens[i+1..]`, among entries
    /// accepted by `keep`. Returns the index after the last matched token and the entry.
    pub fn longest_where(&self, first: &str, tokens: &[Token], i: usize, keep: impl Fn(&T) -> bool) -> Option<(usize, &T)> {
        let cands = self.map.get(first)?;
        for (rest, v) in cands {
            if i + 1 + rest.len() > tokens.len() || !keep(v) {
                continue;
            }
            if rest.iter().enumerate().all(|(k, f)| tokens[i + 1 + k].norm == *f) {
                return Some((i + 1 + rest.len(), v));
            }
        }
        None
    }

    /// [`Self::longest_where`] on the token's own form, keeping every entry.
    pub fn at(&self, tokens: &[Token], i: usize) -> Option<(usize, &T)> {
        self.longest_where(&tokens.get(i)?.norm, tokens, i, |_| true)
    }

    /// A phrase that ends exactly at token `end` (exclusive), the first token of which may carry
    /// proclitics (its readings are tried). Returns the index of the first matched token and the
    /// entry. Used for words written before a number ("أكثر من", "بنحو").
    pub fn ending_at(&self, tokens: &[Token], original: &[char], end: usize, keep: impl Fn(&T) -> bool) -> Option<(usize, &T)> {
        for len in (1..=self.max_len.min(end)).rev() {
            let start = end - len;
            let t = &tokens[start];
            for r in t.readings(original) {
                if let Some((e, v)) = self.longest_where(&r.form, tokens, start, &keep) {
                    if e == end {
                        return Some((start, v));
                    }
                }
                // also a shorter entry that ends at `end`
                if let Some(cands) = self.map.get(&r.form) {
                    for (rest, v) in cands {
                        if rest.len() + 1 == len && keep(v) && rest.iter().enumerate().all(|(k, f)| tokens[start + 1 + k].norm == *f) {
                            return Some((start, v));
                        }
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_across_spellings() {
        let mut t = PhraseTable::new();
        t.insert("جمادى الأولى", 5);
        t.insert("جمادى", 0);
        let text: Vec<char> = "23 جمادي الاولی 1427".chars().collect();
        let toks = tokenize(&text);
        assert_eq!(t.at(&toks, 1), Some((3, &5)));
        let text: Vec<char> = "جمادی\u{200C}الأولى".chars().collect();
        let toks = tokenize(&text);
        assert_eq!(t.at(&toks, 0), Some((2, &5)));
    }

    #[test]
    fn every_lexicon_parses() {
        for src in [data::MONTHS, data::ERAS, data::NUMBERS, data::CURRENCIES, data::UNITS, data::QUALIFIERS, data::SOURCES, data::RELATIVE] {
            for r in rows(src) {
                assert!(r.len() >= 2, "{r:?}");
                assert!(!phrase_forms(r[0]).is_empty() || !r[0].is_empty(), "{r:?}");
            }
        }
    }
}
