//! Tokens with exact offsets and their proclitic readings.

use serde::{Deserialize, Serialize};

use super::normalize::{fold_into, is_arabic_letter, is_arabic_mark, is_invisible, ZWNJ};
use crate::model::Lang;
use crate::model::Span;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenKind {
    /// Arabic-script word.
    Word,
    /// Latin-script (or other alphabetic) word.
    Latin,
    /// Digits, possibly with decimal or thousands separators ("1,000", "3.5", "١٢").
    Number,
    /// Punctuation.
    Punct,
    /// Any other symbol (%, $, emoji, ❁).
    Symbol,
}

/// One token of the original text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// The token in the original text (including proclitics).
    pub span: Span,
    /// Normalised form of the whole token (see [`super::normalize`]).
    pub norm: String,
    pub kind: TokenKind,
    /// Index of the sentence the token belongs to.
    pub sentence: u32,
    /// True when the token is glued to the previous one without a space (a ZWNJ compound
    /// part such as "باغ" in "قره‌باغ", or a number after "كوب-").
    pub joined: bool,
}

/// One reading of a token with its proclitics removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Number of original code points of proclitics skipped at the start of the token.
    pub skip: u32,
    /// Normalised remainder. For a "لل" contraction the article is restored ("للامم" → "الامم").
    pub form: String,
    /// The proclitics removed, normalised ("و", "ب", "ول", "لل").
    pub clitics: String,
}

impl Token {
    /// Readings of the token, the unsegmented one first: conjunctions و/ف, then one of the
    /// prepositions ب/ل/ك, and the contraction لل (ل + ال). The stem must keep at least two letters.
    pub fn readings(&self, original: &[char]) -> Vec<Reading> {
        let mut out = vec![Reading { skip: 0, form: self.norm.clone(), clitics: String::new() }];
        if self.kind != TokenKind::Word {
            return out;
        }
        let norm: Vec<char> = self.norm.chars().collect();
        // ends[k]: offset in the token (original code points) after the source of normalised
        // char k and any dropped marks that follow it
        let ends = self.norm_ends(original);
        let push = |n: usize, form: String, out: &mut Vec<Reading>| {
            if form.chars().count() >= 2 && n <= ends.len() && n > 0 {
                out.push(Reading { skip: ends[n - 1], form, clitics: norm[..n].iter().collect() });
            }
        };
        let mut starts = vec![0usize];
        if matches!(norm.first(), Some('و') | Some('ف')) && norm.len() > 3 {
            starts.push(1);
        }
        for &s in &starts {
            let rest = &norm[s..];
            if s > 0 {
                push(s, rest.iter().collect(), &mut out);
            }
            if rest.len() > 3 && rest[0] == 'ل' && rest[1] == 'ل' {
                // لل = ل + ال: restore the article in the form, skip only "ل" + "ل"
                let form: String = std::iter::once('ا').chain(rest[1..].iter().copied()).collect();
                push(s + 2, form, &mut out);
            }
            if rest.len() > 3 && matches!(rest[0], 'ب' | 'ل' | 'ك') {
                push(s + 1, rest[1..].iter().collect(), &mut out);
            }
        }
        out
    }

    /// For each code point of `norm`, the offset inside the token (in original code points)
    /// just after the original code point it comes from and any dropped marks that follow it.
    pub fn norm_ends(&self, original: &[char]) -> Vec<u32> {
        let orig = &original[self.span.start as usize..self.span.end as usize];
        let mut ends: Vec<u32> = Vec::with_capacity(self.norm.len());
        let mut tmp = String::new();
        for (k, &c) in orig.iter().enumerate() {
            tmp.clear();
            let n = fold_into(c, &mut tmp);
            if n == 0 {
                // a dropped mark extends the previous normalised char
                if let Some(last) = ends.last_mut() {
                    *last = k as u32 + 1;
                }
            }
            for _ in 0..n {
                ends.push(k as u32 + 1);
            }
        }
        ends
    }

    /// [`Self::readings`] plus, for each reading whose remainder starts with the article ال,
    /// the reading without it (clitics end in "ال"). "والأمم" gives "والامم", "الامم" and "امم".
    pub fn readings_with_article(&self, original: &[char]) -> Vec<Reading> {
        let mut out = self.readings(original);
        if self.kind != TokenKind::Word {
            return out;
        }
        let ends = self.norm_ends(original);
        let n = out.len();
        for k in 0..n {
            let r = out[k].clone();
            let f: Vec<char> = r.form.chars().collect();
            if f.len() >= 5 && f[0] == 'ا' && f[1] == 'ل' {
                // for a لل reading the article was restored: only "ل" of it is in the text
                let restored = r.clitics.ends_with("لل");
                let clitic_chars = r.clitics.chars().count() + if restored { 0 } else { 2 };
                if clitic_chars == 0 || clitic_chars > ends.len() {
                    continue;
                }
                let skip = ends[clitic_chars - 1];
                let clitics = if restored { r.clitics.clone() } else { format!("{}ال", r.clitics) };
                out.push(Reading { skip, form: f[2..].iter().collect(), clitics });
            }
        }
        out
    }

    /// Readings with a suffix removed: Persian plural and ezafe/indefinite endings attached to
    /// the word (ها، های، ی، ای، یی، ان، را …) and, for Arabic, attached pronouns (ه، ها، هم …).
    /// Each stem keeps at least three letters; the unsegmented form is not included. A suffix
    /// written after a ZWNJ is a separate token (see [`Token::joined`] and [`is_suffix_token`]).
    pub fn suffix_readings(&self, original: &[char], lang: Lang) -> Vec<SuffixReading> {
        let mut out = Vec::new();
        if self.kind != TokenKind::Word {
            return out;
        }
        let norm: Vec<char> = self.norm.chars().collect();
        let ends = self.norm_ends(original);
        let len = (self.span.end - self.span.start) as usize;
        let suffixes: &[&str] = match lang {
            Lang::Fa => PERSIAN_SUFFIXES,
            Lang::Ar => ARABIC_SUFFIXES,
            Lang::Und => PERSIAN_SUFFIXES,
        };
        for suf in suffixes {
            let s: Vec<char> = suf.chars().collect();
            if norm.len() >= s.len() + 3 && norm.ends_with(&s) {
                let keep = norm.len() - s.len();
                let end_in_token = ends[keep - 1] as usize;
                out.push(SuffixReading {
                    form: norm[..keep].iter().collect(),
                    trim: (len - end_in_token) as u32,
                    suffix: (*suf).to_string(),
                });
            }
        }
        out
    }
}

/// Persian endings attached to a word, normalised (ی → ي), longest first.
const PERSIAN_SUFFIXES: &[&str] = &["هايي", "هاي", "ها", "ايي", "اي", "يي", "ي", "را", "ترين", "تر", "شان", "مان", "تان", "ش", "ان"];
/// Arabic attached pronouns, normalised (ة → ه), longest first.
const ARABIC_SUFFIXES: &[&str] = &["هما", "كما", "هم", "هن", "كم", "نا", "ها", "ه"];

/// True for a token that is an inflectional ending written after a ZWNJ ("ها" in "کشور‌ها",
/// "ی" in "خانه‌ی", "ای", "های", "ترین"): the previous token is its stem.
pub fn is_suffix_token(t: &Token) -> bool {
    t.joined && t.kind == TokenKind::Word && matches!(t.norm.as_str(), "ها" | "هاي" | "هايي" | "ي" | "اي" | "يي" | "تر" | "ترين" | "ام" | "اش" | "ات" | "مان" | "تان" | "شان" | "اند" | "ايم" | "ايد" | "است")
}

/// A reading of a token with an attached suffix removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuffixReading {
    /// Normalised stem.
    pub form: String,
    /// Number of original code points of the suffix at the end of the token.
    pub trim: u32,
    /// The suffix removed, normalised.
    pub suffix: String,
}

fn class(c: char) -> TokenKind {
    if is_arabic_letter(c) || is_arabic_mark(c) || c == '\u{0640}' {
        TokenKind::Word
    } else if c.is_ascii_digit() || ('٠'..='٩').contains(&c) || ('۰'..='۹').contains(&c) {
        TokenKind::Number
    } else if c.is_alphabetic() || c.is_numeric() {
        TokenKind::Latin
    } else if c.is_ascii_punctuation() && !matches!(c, '%' | '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~' | '#' | '&' | '*' | '@')
        || matches!(c, '،' | '؛' | '؟' | '۔' | '«' | '»' | '“' | '”' | '‘' | '’' | '–' | '—' | '…' | '٪' | '٭')
    {
        if c == '٪' { TokenKind::Symbol } else { TokenKind::Punct }
    } else {
        TokenKind::Symbol
    }
}

/// Splits `original` into tokens. Whitespace separates tokens and is never part of one;
/// ZWNJ splits a compound into parts marked `joined`; digits keep their separators when
/// a digit follows ("1,000", "3.5", "٢٫٥").
pub fn tokenize(original: &[char]) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    let n = original.len();
    let mut joined_next = false;
    while i < n {
        let c = original[i];
        if c.is_whitespace() {
            joined_next = false;
            i += 1;
            continue;
        }
        if c == ZWNJ {
            joined_next = !tokens.is_empty();
            i += 1;
            continue;
        }
        if is_invisible(c) && c != ZWNJ {
            i += 1;
            continue;
        }
        let kind = class(c);
        let start = i;
        i += 1;
        match kind {
            TokenKind::Word | TokenKind::Latin => {
                while i < n {
                    let d = original[i];
                    let k = class(d);
                    if k == kind || (kind == TokenKind::Word && (is_arabic_mark(d) || d == '\u{0640}')) || (is_invisible(d) && d != ZWNJ && i + 1 < n && class(original[i + 1]) == kind) {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            TokenKind::Number => {
                while i < n {
                    let d = original[i];
                    if class(d) == TokenKind::Number {
                        i += 1;
                    } else if matches!(d, '.' | ',' | '٫' | '٬') && i + 1 < n && class(original[i + 1]) == TokenKind::Number {
                        i += 2;
                    } else {
                        break;
                    }
                }
            }
            TokenKind::Punct | TokenKind::Symbol => {}
        }
        let mut norm = String::with_capacity(i - start);
        for &c in &original[start..i] {
            fold_into(c, &mut norm);
        }
        let joined = joined_next || tokens.last().is_some_and(|t| t.span.end as usize == start && (t.kind == TokenKind::Word) != (kind == TokenKind::Word) && kind != TokenKind::Punct && t.kind != TokenKind::Punct);
        tokens.push(Token { span: Span::new(start, i), norm, kind, sentence: 0, joined });
        joined_next = false;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> (Vec<char>, Vec<Token>) {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        (c, t)
    }

    #[test]
    fn splits_punctuation_and_numbers() {
        let (c, t) = toks("باكو، 4 يوليو 2024: 1,000 دولار (20%)");
        let words: Vec<String> = t.iter().map(|t| t.span.text(&c)).collect();
        assert_eq!(words, ["باكو", "،", "4", "يوليو", "2024", ":", "1,000", "دولار", "(", "20", "%", ")"]);
    }

    #[test]
    fn zwnj_compound_parts_are_joined() {
        let (_, t) = toks("قره\u{200C}باغ کوهستانی");
        assert_eq!(t.len(), 3);
        assert!(t[1].joined && !t[2].joined);
    }

    #[test]
    fn article_and_suffix_readings() {
        let (c, t) = toks("والأمم كشورهای آذربایجانی أراضيها");
        let r = t[0].readings_with_article(&c);
        assert!(r.iter().any(|r| r.form == "امم" && r.skip == 3 && r.clitics == "وال"), "{r:?}");
        let r = t[1].suffix_readings(&c, Lang::Fa);
        assert!(r.iter().any(|r| r.form == "كشور" && r.suffix == "هاي" && r.trim == 3), "{r:?}");
        let r = t[2].suffix_readings(&c, Lang::Fa);
        assert!(r.iter().any(|r| r.form == "اذربايجان" && r.trim == 1), "{r:?}");
        let r = t[3].suffix_readings(&c, Lang::Ar);
        assert!(r.iter().any(|r| r.form == "اراضي" && r.trim == 2), "{r:?}");
        // a suffix after a ZWNJ is its own token, marked joined
        let (_, t) = toks("کشور\u{200C}ها");
        assert!(is_suffix_token(&t[1]) && !is_suffix_token(&t[0]));
    }

    #[test]
    fn presentation_forms_fold_like_the_view() {
        let (c, t) = toks("\u{FEFB}\u{FE8E}");
        assert_eq!(t[0].norm, crate::text::normalize(&c.iter().collect::<String>()).replace(' ', ""));
        assert_eq!(t[0].norm_ends(&c).len(), t[0].norm.chars().count());
    }

    #[test]
    fn proclitic_readings() {
        let (c, t) = toks("لأذربيجان وللأمم");
        let r = t[0].readings(&c);
        assert!(r.iter().any(|r| r.form == "اذربيجان" && r.skip == 1));
        let r = t[1].readings(&c);
        assert!(r.iter().any(|r| r.form == "الامم" && r.skip == 3), "{r:?}");
    }
}
