//! Tokens with exact offsets and their proclitic readings.

use serde::{Deserialize, Serialize};

use super::normalize::{fold_char, is_arabic_letter, is_arabic_mark, is_invisible, ZWNJ};
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
        // Map normalised chars to original chars: skip over dropped marks.
        let orig = &original[self.span.start as usize..self.span.end as usize];
        let norm: Vec<char> = self.norm.chars().collect();
        // positions in `orig` after each normalised char
        let mut ends = Vec::with_capacity(norm.len());
        let mut oi = 0;
        for _ in 0..norm.len() {
            // advance past one kept char and any following dropped chars
            while oi < orig.len() && fold_char(orig[oi]).is_none() {
                oi += 1;
            }
            oi += 1;
            let mut j = oi;
            while j < orig.len() && (is_arabic_mark(orig[j]) || orig[j] == '\u{0640}' || is_invisible(orig[j])) {
                j += 1;
            }
            ends.push(j.min(orig.len()) as u32);
        }
        let mut push = |n: usize, form: String, out: &mut Vec<Reading>| {
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
        let norm: String = original[start..i].iter().filter_map(|&c| fold_char(c)).collect();
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
    fn proclitic_readings() {
        let (c, t) = toks("لأذربيجان وللأمم");
        let r = t[0].readings(&c);
        assert!(r.iter().any(|r| r.form == "اذربيجان" && r.skip == 1));
        let r = t[1].readings(&c);
        assert!(r.iter().any(|r| r.form == "الامم" && r.skip == 3), "{r:?}");
    }
}
