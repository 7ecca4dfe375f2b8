//! Numbers written in digits or in words, in Arabic and Persian, read off the token stream.
//!
//! Shared by time expressions (days, years, ordinals) and quantities (money, counts).
//! The word lists are in `lexicon/numbers.tsv`.
//!
//! - digits with separators: "1,000", "3.5", "٢٫٥", "۱۲٬۰۰۰", "1.000.000";
//! - digits with multiplier words: "60 مليار", "30 هزار", "6 هزار و 127", "1.5 مليون";
//! - Arabic words: "ثلاثين", "خمسة وخمسين", "سبعة عشر", "ألفي", "ثلاثة آلاف", "مليون";
//! - Persian words: "یک میلیون", "بیست و یک", "دویست", "هفت";
//! - ordinals: "الثالث عشر", "الحادي والعشرين", "التاسع والعشرين", "چهاردهمین", "بیست و یکم".

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::lexicon::{data, rows, FxBuild, LangTag};
use crate::model::Lang;
use crate::text::token::{Token, TokenKind};

/// What a number word contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    Unit,
    Weak,
    Teen,
    Ten,
    Tens,
    Hundred,
    Hundreds,
    Mult,
    Mults,
    Dual,
    Ord,
    OrdTens,
}

#[derive(Debug, Clone, Copy)]
struct Word {
    value: f64,
    kind: WordKind,
    lang: LangTag,
}

fn words() -> &'static HashMap<String, Vec<Word>, FxBuild> {
    static W: OnceLock<HashMap<String, Vec<Word>, FxBuild>> = OnceLock::new();
    W.get_or_init(|| {
        let mut m: HashMap<String, Vec<Word>, FxBuild> = HashMap::default();
        for r in rows(data::NUMBERS) {
            let kind = match r.get(2).copied().unwrap_or("") {
                "unit" => WordKind::Unit,
                "weak" => WordKind::Weak,
                "teen" => WordKind::Teen,
                "ten" => WordKind::Ten,
                "tens" => WordKind::Tens,
                "hundred" => WordKind::Hundred,
                "hundreds" => WordKind::Hundreds,
                "mult" => WordKind::Mult,
                "mults" => WordKind::Mults,
                "dual" => WordKind::Dual,
                "ord" => WordKind::Ord,
                "ordtens" => WordKind::OrdTens,
                other => panic!("numbers.tsv: unknown kind {other:?}"),
            };
            let value: f64 = r[1].parse().expect("numbers.tsv: value");
            let lang = LangTag::parse(r.get(3).copied().unwrap_or("*"));
            m.entry(crate::text::normalize(r[0])).or_default().push(Word { value, kind, lang });
        }
        m
    })
}

fn word(form: &str, lang: Lang) -> Option<Word> {
    words().get(form)?.iter().copied().find(|w| w.lang.allows(lang))
}

/// Cheap test, before computing a token's readings: could `norm`, or `norm` without one to three
/// leading proclitic letters, be a number word (or a Persian ordinal)?
pub fn maybe_number_word(norm: &str, lang: Lang) -> bool {
    let mut rest = norm;
    for _ in 0..4 {
        if word(rest, lang).is_some() || (lang != Lang::Ar && persian_ordinal(rest).is_some()) {
            return true;
        }
        let mut it = rest.chars();
        match it.next() {
            Some('و' | 'ف' | 'ب' | 'ل' | 'ك') => rest = it.as_str(),
            _ => return false,
        }
    }
    false
}

/// True when `form` (normalised) is a number word (cardinal, multiplier or ordinal) in `lang`.
pub fn is_number_word(form: &str, lang: Lang) -> bool {
    word(form, lang).is_some()
}

/// True when `form` is a multiplier word (thousand, million …, also plural and dual).
pub fn is_multiplier_word(form: &str, lang: Lang) -> bool {
    word(form, lang).is_some_and(|w| matches!(w.kind, WordKind::Mult | WordKind::Mults | WordKind::Dual))
}

/// The value of a digit string as normalised by the tokenizer (ASCII digits, '.' and ',').
/// A comma or dot followed by exactly three digits, repeated, is a thousands separator
/// ("1,000", "1.000.000"); a single dot otherwise is a decimal point ("3.5"); a comma before
/// one or two digits is a decimal comma ("2,5").
pub fn parse_digits(s: &str) -> Option<f64> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let groups: Vec<&str> = s.split([',', '.']).collect();
    if groups.len() == 1 {
        return s.parse().ok();
    }
    let seps: Vec<char> = s.chars().filter(|c| *c == '.' || *c == ',').collect();
    let thousands = groups[1..].iter().all(|g| g.len() == 3) && groups[0].len() <= 3 && (seps.len() > 1 || seps[0] == ',');
    if thousands && seps.iter().all(|c| *c == seps[0]) {
        return groups.concat().parse().ok();
    }
    // "1,234.5" (comma thousands, dot decimal) or "1.234,5"
    if seps.len() >= 2 {
        let last = *seps.last()?;
        let body: String = s.chars().filter(|c| c.is_ascii_digit() || *c == last).collect();
        let body = body.replace(last, ".");
        return body.parse().ok();
    }
    s.replace(',', ".").parse().ok()
}

/// A number found in the token stream.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMatch {
    /// First token.
    pub start: usize,
    /// Token after the last one.
    pub end: usize,
    /// Proclitic code points skipped at the start of the first token ("بثلاثة" → 1).
    pub skip: u32,
    /// The value, multipliers applied.
    pub value: f64,
    /// True for an ordinal ("الثالث عشر", "چهاردهمین").
    pub ordinal: bool,
    /// True when any part is written in words.
    pub words: bool,
    /// The last multiplier applied (1 when none): "60-100 مليون" gives 60 the million of 100.
    pub last_mult: f64,
    /// True when the number is a single digit token without separators or words.
    pub plain_digits: bool,
}

/// One atom of a number: a digit token or a number word (after removing a conjunction).
#[derive(Debug, Clone, Copy)]
enum Atom {
    Digits(f64),
    Word(Word),
    /// A Persian ordinal ending on a cardinal ("چهارده|مین"), value of the cardinal.
    PersianOrd(Word),
}

fn atom(t: &Token, form: &str, lang: Lang) -> Option<Atom> {
    match t.kind {
        TokenKind::Number => parse_digits(&t.norm).map(Atom::Digits),
        TokenKind::Word => {
            if let Some(w) = word(form, lang) {
                return Some(Atom::Word(w));
            }
            if lang != Lang::Ar {
                persian_ordinal(form).map(Atom::PersianOrd)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Persian ordinals: cardinal + م / مین ("دوم", "چهاردهمین"), and the irregular ones.
fn persian_ordinal(form: &str) -> Option<Word> {
    let ord = |v: f64| Some(Word { value: v, kind: WordKind::Unit, lang: LangTag::Fa });
    match form {
        "اول" | "اولين" | "نخست" | "نخستين" | "يكم" | "يكمين" => return ord(1.0),
        "سوم" | "سومين" => return ord(3.0),
        _ => {}
    }
    let stem = form.strip_suffix("مين").or_else(|| form.strip_suffix('م'))?;
    let stem = stem.strip_suffix("ا").filter(|s| s.ends_with('ي')).unwrap_or(stem); // "سی‌ام" written "سيام"
    let w = word(stem, Lang::Fa)?;
    match w.kind {
        WordKind::Unit | WordKind::Weak | WordKind::Teen | WordKind::Tens | WordKind::Hundred | WordKind::Hundreds | WordKind::Mult => {
            Some(Word { kind: if w.kind == WordKind::Mult { WordKind::Mult } else { WordKind::Unit }, ..w })
        }
        _ => None,
    }
}

/// Reads the cardinal (or Persian ordinal) number starting at token `i`, if any.
///
/// Accepts digits and words mixed ("30 هزار", "6 هزار و 127", "یک میلیون و 522 هزار"),
/// conjunctions as a separate "و" token or a و prefix ("خمسة وخمسين"), and proclitics on the
/// first word ("بثلاثة"). Weak words ("أحد", "یک", "نه") and plural multipliers ("آلاف") are not
/// numbers on their own.
pub fn number_at(tokens: &[Token], original: &[char], i: usize, lang: Lang) -> Option<NumberMatch> {
    let t0 = tokens.get(i)?;
    if t0.kind == TokenKind::Word && !maybe_number_word(&t0.norm, lang) {
        return None;
    }
    // first atom, possibly with proclitics
    let mut first = None;
    for r in t0.readings(original) {
        // only conjunctions and ب before a number word: "كمية" is not ك + مئة, "لست" not ل + ست
        if !matches!(r.clitics.as_str(), "" | "و" | "ف" | "ب" | "وب" | "فب") {
            continue;
        }
        if let Some(a) = atom(t0, &r.form, lang) {
            first = Some((a, r.skip));
            break;
        }
    }
    let (a0, skip) = first?;
    // a number word glued by a ZWNJ to a following word is part of a compound: "سه‌شنبه"
    if matches!(a0, Atom::Word(_)) && tokens.get(i + 1).is_some_and(|n| n.joined && n.kind == TokenKind::Word && word(&n.norm, lang).is_none()) {
        return None;
    }
    // "عشر" after an ordinal belongs to it: "السادس عشر"
    if let Atom::Word(w) = a0 {
        if w.kind == WordKind::Ten && i > 0 && word(&tokens[i - 1].norm, lang).is_some_and(|p| p.kind == WordKind::Ord) {
            return None;
        }
    }
    let mut acc = Acc::default();
    let mut end = i + 1;
    // "75ر1" = 1.75: an old Arabic way of writing decimals, fraction first, with ر between
    let a0 = match (a0, tokens.get(i + 1), tokens.get(i + 2)) {
        (Atom::Digits(_), Some(r), Some(int)) if r.norm == "ر" && t0.span.end == r.span.start && r.span.end == int.span.start && int.kind == TokenKind::Number => {
            let frac = &t0.norm;
            match (int.norm.parse::<f64>(), frac.parse::<f64>()) {
                (Ok(iv), Ok(fv)) if frac.bytes().all(|b| b.is_ascii_digit()) && int.norm.bytes().all(|b| b.is_ascii_digit()) => {
                    end = i + 3;
                    Atom::Digits(iv + fv / 10f64.powi(frac.len() as i32))
                }
                _ => a0,
            }
        }
        _ => a0,
    };
    acc.push(a0)?;
    let mut ordinal = matches!(a0, Atom::PersianOrd(_));
    let mut j = end;
    while !ordinal && j < tokens.len() {
        // a line break ends the number
        if original[tokens[j - 1].span.end as usize..tokens[j].span.start as usize].contains(&'\n') {
            break;
        }
        let t = &tokens[j];
        // conjunction: separate "و" token, or و prefix
        let (next, conj, next_j) = if t.norm == "و" && j + 1 < tokens.len() {
            let n = &tokens[j + 1];
            (atom(n, &n.norm, lang), true, j + 2)
        } else if t.kind == TokenKind::Word && t.norm.starts_with('و') && t.norm.chars().count() > 2 {
            let rest: String = t.norm.chars().skip(1).collect();
            (atom(t, &rest, lang), true, j + 1)
        } else {
            (atom(t, &t.norm, lang), false, j + 1)
        };
        let Some(a) = next else { break };
        if !acc.accepts(a, conj) {
            break;
        }
        if acc.push(a).is_none() {
            break;
        }
        if matches!(a, Atom::PersianOrd(_)) {
            ordinal = true;
        }
        end = next_j;
        j = next_j;
    }
    // "… ونصف" / "… و نیم": and a half (of the last multiplier: "مليون ونصف" = 1.5 million)
    if !ordinal {
        let half = match (tokens.get(end), tokens.get(end + 1)) {
            (Some(a), _) if matches!(a.norm.as_str(), "ونصف" | "ونيم") => Some(end + 1),
            (Some(a), Some(b)) if a.norm == "و" && matches!(b.norm.as_str(), "نصف" | "نيم") => Some(end + 2),
            _ => None,
        };
        if let Some(e) = half.filter(|_| same_line(original, tokens, end)) {
            let unit = if acc.group == 0.0 && acc.last_mult > 0.0 { acc.last_mult } else { 1.0 };
            acc.total += 0.5 * unit;
            end = e;
            // "دو و نیم میلیون" = 2.5 million
            if let Some(m) = tokens.get(end).and_then(|t| word(&t.norm, lang)).filter(|w| w.kind == WordKind::Mult && w.value > acc.last_mult.max(1.0)) {
                acc.total = (acc.total + acc.group) * m.value;
                acc.group = 0.0;
                acc.last_mult = m.value;
                end += 1;
            }
        }
    }
    let value = round_value(acc.value()?);
    let plain_digits = end == i + 1 && matches!(a0, Atom::Digits(_)) && t0.norm.chars().all(|c| c.is_ascii_digit());
    Some(NumberMatch { start: i, end, skip, value, ordinal, words: acc.words, last_mult: acc.last_mult, plain_digits })
}

fn same_line(original: &[char], tokens: &[Token], i: usize) -> bool {
    i > 0 && i < tokens.len() && !original[tokens[i - 1].span.end as usize..tokens[i].span.start as usize].contains(&'\n')
}

/// Accumulates atoms: `total` holds finished multiplier groups, `group` the part below 1000.
#[derive(Debug, Default)]
struct Acc {
    total: f64,
    group: f64,
    /// the value added by the last multiplier group, for chained multipliers ("هزار میلیارد")
    last_added: f64,
    last_mult: f64,
    n: usize,
    words: bool,
    prev: Option<Atom>,
    /// only weak words so far
    weak_only: bool,
    /// a plural multiplier without a number before it
    vague: bool,
    digits_seen: bool,
}

impl Acc {
    /// Whether atom `a` may continue the number.
    fn accepts(&self, a: Atom, conj: bool) -> bool {
        let prev = match self.prev {
            Some(p) => p,
            None => return true,
        };
        let is_mult = |x: Atom| matches!(x, Atom::Word(w) if matches!(w.kind, WordKind::Mult | WordKind::Mults));
        match (prev, a) {
            // a multiplier directly after a number or another multiplier
            (_, x) if is_mult(x) && !conj => !matches!(prev, Atom::Word(w) if w.kind == WordKind::Dual),
            // digits never follow digits or words directly; after a multiplier group with "و"
            (_, Atom::Digits(v)) => conj && self.last_added > 0.0 && v < self.last_mult && self.group == 0.0,
            // Arabic teen: unit + عشر/عشرة
            (Atom::Word(p), Atom::Word(w)) if w.kind == WordKind::Ten && !conj => matches!(p.kind, WordKind::Unit | WordKind::Weak) && self.group < 10.0,
            // ثلاث مئة
            (Atom::Word(p), Atom::Word(w)) if w.kind == WordKind::Hundred && !conj => matches!(p.kind, WordKind::Unit) && self.group < 10.0,
            // words joined by "و": units before tens (Arabic), tens before units (Persian),
            // hundreds before the rest, a multiplier group before the rest
            (_, Atom::Word(w) | Atom::PersianOrd(w)) if conj => {
                let v = w.value;
                match w.kind {
                    WordKind::Mult | WordKind::Mults | WordKind::Dual | WordKind::Ord | WordKind::OrdTens | WordKind::Ten => false,
                    _ => {
                        if self.group == 0.0 {
                            self.last_added > 0.0 && v < self.last_mult
                        } else if self.group < 10.0 {
                            // Arabic "خمسة وخمسين": tens after a unit
                            matches!(w.kind, WordKind::Tens | WordKind::Weak) && v >= 20.0 && v < 100.0 && self.group.fract() == 0.0
                                || self.group >= 100.0 && v < 100.0
                        } else if self.group < 100.0 {
                            // Persian "بیست و یک": unit after tens (Arabic never puts units after tens)
                            v < 10.0 && self.group % 10.0 == 0.0
                        } else {
                            // hundreds + rest
                            v < 100.0 && self.group % 100.0 == 0.0
                        }
                    }
                }
            }
            _ => false,
        }
    }

    fn push(&mut self, a: Atom) -> Option<()> {
        self.n += 1;
        let first = self.prev.is_none();
        self.prev = Some(a);
        match a {
            Atom::Digits(v) => {
                self.digits_seen = true;
                self.weak_only = false;
                self.group += v;
            }
            Atom::Word(w) | Atom::PersianOrd(w) => {
                self.words = true;
                match w.kind {
                    WordKind::Weak => {
                        if first {
                            self.weak_only = true;
                        }
                        self.group += w.value;
                    }
                    WordKind::Unit | WordKind::Teen | WordKind::Tens | WordKind::Hundreds => {
                        self.weak_only = false;
                        self.group += w.value;
                    }
                    WordKind::Ten => {
                        self.weak_only = false;
                        self.group += 10.0;
                    }
                    WordKind::Hundred => {
                        self.weak_only = false;
                        if self.group > 0.0 && self.group < 10.0 {
                            self.group *= 100.0;
                        } else {
                            self.group += 100.0;
                        }
                    }
                    WordKind::Mult | WordKind::Mults => {
                        if first && w.kind == WordKind::Mults {
                            self.vague = true;
                        }
                        self.weak_only = false;
                        if self.group == 0.0 && self.last_added > 0.0 && w.value > self.last_mult {
                            // chained: "هزار میلیارد" = 10^12
                            self.total += self.last_added * (w.value - 1.0);
                            self.last_added *= w.value;
                        } else {
                            let g = if self.group == 0.0 { 1.0 } else { self.group };
                            self.total += g * w.value;
                            self.last_added = g * w.value;
                            self.group = 0.0;
                        }
                        self.last_mult = w.value;
                    }
                    WordKind::Dual => {
                        if !first {
                            return None;
                        }
                        self.weak_only = false;
                        self.total += w.value;
                        self.last_added = w.value;
                        self.last_mult = w.value / 2.0;
                    }
                    WordKind::Ord | WordKind::OrdTens => return None,
                }
            }
        }
        Some(())
    }

    fn value(&self) -> Option<f64> {
        if self.n == 0 || self.vague || (self.weak_only && self.n == 1) {
            return None;
        }
        if self.last_mult == 0.0 {
            // keep last_mult meaningful for callers
        }
        let v = self.total + self.group;
        (v > 0.0 || self.digits_seen).then_some(v)
    }
}

/// Removes binary floating-point noise from products such as 266.6 × 10⁹.
pub fn round_value(v: f64) -> f64 {
    let r = v.round();
    if (v - r).abs() <= 1e-9 * v.abs().max(1.0) {
        return r;
    }
    // keep at most 6 decimals
    (v * 1e6).round() / 1e6
}

impl NumberMatch {
    /// The multiplier the number ends with (1 when none).
    pub fn multiplier(&self) -> f64 {
        if self.last_mult > 0.0 { self.last_mult } else { 1.0 }
    }
}

/// Reads an Arabic ordinal starting at token `i` ("الثالث", "الثالث عشر", "الحادي والعشرين",
/// "العشرين"), or a Persian one ("چهاردهم", "بیست و یکم"). Values 1..99.
pub fn ordinal_at(tokens: &[Token], original: &[char], i: usize, lang: Lang) -> Option<NumberMatch> {
    let t0 = tokens.get(i)?;
    if t0.kind != TokenKind::Word || !maybe_number_word(&t0.norm, if lang == Lang::Ar { Lang::Ar } else { Lang::Und }) {
        return None;
    }
    if lang != Lang::Fa {
        for r in t0.readings(original) {
            let Some(w) = word(&r.form, Lang::Ar) else { continue };
            let mk = |end: usize, value: f64| NumberMatch { start: i, end, skip: r.skip, value, ordinal: true, words: true, last_mult: 1.0, plain_digits: false };
            match w.kind {
                WordKind::OrdTens => return Some(mk(i + 1, w.value)),
                WordKind::Ord => {
                    if let Some(n) = tokens.get(i + 1) {
                        if let Some(nw) = word(&n.norm, Lang::Ar) {
                            if nw.kind == WordKind::Ten && w.value < 10.0 {
                                return Some(mk(i + 2, w.value + 10.0));
                            }
                        }
                        // و + tens with the article
                        let rest = if n.norm == "و" { tokens.get(i + 2).map(|t| (t.norm.clone(), i + 3)) } else { n.norm.strip_prefix('و').map(|s| (s.to_string(), i + 2)) };
                        if let Some((form, e)) = rest {
                            if let Some(tw) = word(&form, Lang::Ar) {
                                if tw.kind == WordKind::OrdTens && w.value < 10.0 {
                                    return Some(mk(e, w.value + tw.value));
                                }
                            }
                        }
                    }
                    // "الحادي" alone is not an ordinal
                    if matches!(r.form.as_str(), "الحادي" | "الحاديه" | "حادي") {
                        return None;
                    }
                    return Some(mk(i + 1, w.value));
                }
                _ => {}
            }
        }
    }
    if lang != Lang::Ar {
        let m = number_at(tokens, original, i, Lang::Fa)?;
        if m.ordinal {
            return Some(m);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::token::tokenize;

    fn num(s: &str, lang: Lang) -> Option<(f64, usize)> {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        number_at(&t, &c, 0, lang).map(|m| (m.value, m.end))
    }

    fn ord(s: &str, lang: Lang) -> Option<f64> {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        ordinal_at(&t, &c, 0, lang).map(|m| m.value)
    }

    #[test]
    fn digits() {
        assert_eq!(parse_digits("1,000"), Some(1000.0));
        assert_eq!(parse_digits("1.000.000"), Some(1_000_000.0));
        assert_eq!(parse_digits("3.5"), Some(3.5));
        assert_eq!(parse_digits("2,5"), Some(2.5));
        assert_eq!(parse_digits("1,234.5"), Some(1234.5));
        assert_eq!(num("٢٫٥ مليون", Lang::Ar), Some((2_500_000.0, 2)));
        assert_eq!(num("۱۲٬۰۰۰", Lang::Fa), Some((12_000.0, 1)));
        assert_eq!(num("75ر1 مليار يورو", Lang::Ar), Some((1.75e9, 4)));
    }

    #[test]
    fn arabic_words() {
        assert_eq!(num("ثلاثين عملا", Lang::Ar), Some((30.0, 1)));
        assert_eq!(num("ألفي مواطن", Lang::Ar), Some((2000.0, 1)));
        assert_eq!(num("خمسة وخمسين دولة", Lang::Ar), Some((55.0, 2)));
        assert_eq!(num("اثنين وعشرين بندا", Lang::Ar), Some((22.0, 2)));
        assert_eq!(num("سبعة عشر بنداً", Lang::Ar), Some((17.0, 2)));
        assert_eq!(num("أحد عشر بنداً", Lang::Ar), Some((11.0, 2)));
        assert_eq!(num("ثلاثة آلاف", Lang::Ar), Some((3000.0, 2)));
        assert_eq!(num("ثلاث مئة", Lang::Ar), Some((300.0, 2)));
        assert_eq!(num("مليون لاجئ", Lang::Ar), Some((1e6, 1)));
        assert_eq!(num("60 مليار دولار", Lang::Ar), Some((60e9, 2)));
        assert_eq!(num("بخمسة", Lang::Ar), Some((5.0, 1)));
        assert_eq!(num("أحد الأشخاص", Lang::Ar), None);
        assert_eq!(num("آلاف الأشخاص", Lang::Ar), None);
        assert_eq!(num("1994 و2000", Lang::Ar), Some((1994.0, 1)));
        assert_eq!(num("مليون ونصف", Lang::Ar), Some((1.5e6, 2)));
        assert_eq!(num("3 ونصف ساعة", Lang::Ar), Some((3.5, 2)));
    }

    #[test]
    fn persian_words() {
        assert_eq!(num("یک میلیون آواره", Lang::Fa), Some((1e6, 2)));
        assert_eq!(num("30 هزار مسلمان", Lang::Fa), Some((30_000.0, 2)));
        assert_eq!(num("6 هزار و 127 دفتر", Lang::Fa), Some((6127.0, 4)));
        assert_eq!(num("يك ميليون و 522 هزار", Lang::Fa), Some((1_522_000.0, 5)));
        assert_eq!(num("123 ميليون و 417 هزار ريال", Lang::Fa), Some((123_417_000.0, 5)));
        assert_eq!(num("بیست و یک", Lang::Fa), Some((21.0, 3)));
        assert_eq!(num("هزار میلیارد ریال", Lang::Fa), Some((1e12, 2)));
        assert_eq!(num("دویست و پنجاه", Lang::Fa), Some((250.0, 3)));
        assert_eq!(num("دو و نیم میلیون", Lang::Fa), Some((2.5e6, 4)));
        assert_eq!(num("40 میلیونی", Lang::Fa), Some((40e6, 2)));
        assert_eq!(num("یک روز", Lang::Fa), None);
        assert_eq!(num("نه تنها", Lang::Fa), None);
    }

    #[test]
    fn ordinals() {
        assert_eq!(ord("الثالث عشر من", Lang::Ar), Some(13.0));
        assert_eq!(ord("الحادي والعشرين", Lang::Ar), Some(21.0));
        assert_eq!(ord("التاسع والعشرين", Lang::Ar), Some(29.0));
        assert_eq!(ord("الثالثة والثلاثين", Lang::Ar), Some(33.0));
        assert_eq!(ord("العاشر", Lang::Ar), Some(10.0));
        assert_eq!(ord("الحادي", Lang::Ar), None);
        assert_eq!(ord("چهاردهمین", Lang::Fa), Some(14.0));
        assert_eq!(ord("بیست و یکم", Lang::Fa), Some(21.0));
        assert_eq!(ord("سوم", Lang::Fa), Some(3.0));
    }
}
