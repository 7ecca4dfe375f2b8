//! Quantities: money, percentages, counts and measures.
//!
//! A quantity is a number (digits or words, see [`crate::numbers`]) followed by what it
//! measures:
//! - a percent sign or word ("20%", "20 في المئة", "20 درصد"), or a number after نسبة/بنسبة;
//! - a currency ("60 مليار دولار أمريكي" → 60000000000 USD, "407 میلیون تومان", "$100");
//! - a person noun ("21 مدنياً", "30 هزار نفر") → count of "person";
//! - a unit or a duration ("100 مليون طن", "عشر سنوات") → measure;
//! - any other noun ("370 حادثة", "ستة قرارات") → count, the unit being the noun;
//! - nothing, when the number has a multiplier word ("یک میلیون و 522 هزار") → count, no unit.
//!
//! Ranges ("70-80 %", "60-100 مليون طن") give two quantities, the first taking the unit and the
//! multiplier of the second. Qualifiers ("أكثر من", "حوالي", "بیش از", "دست کم" …) are read from
//! `lexicon/qualifiers.tsv`. Numbers that are identifiers ("القرار رقم 10/33", "COP29", "الـ15")
//! and numbers inside time expressions are skipped.

use std::sync::OnceLock;

use crate::lexicon::{data, rows, LangTag, PhraseTable};
use crate::model::{Lang, Qualifier, Quantity, QuantityKind, Span};
use crate::numbers::{is_number_word, number_at, NumberMatch};
use crate::text::token::{Token, TokenKind};
use crate::time::ID_CUES;

#[derive(Debug, Clone)]
struct UnitEntry {
    kind: QuantityKind,
    unit: String,
    lang: LangTag,
    /// An Arabic dual ("شخصان", "جنديين"): a count of two by itself.
    dual: bool,
}

fn units() -> &'static PhraseTable<UnitEntry> {
    static T: OnceLock<PhraseTable<UnitEntry>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = PhraseTable::new();
        for r in rows(data::UNITS) {
            let kind = match r[1] {
                "person" | "dual" => QuantityKind::Count,
                "measure" => QuantityKind::Measure,
                "percent" => QuantityKind::Percent,
                other => panic!("units.tsv: unknown kind {other:?}"),
            };
            t.insert(r[0], UnitEntry { kind, unit: r[2].to_string(), lang: LangTag::parse(r.get(3).copied().unwrap_or("*")), dual: r[1] == "dual" });
        }
        t
    })
}

fn currencies() -> &'static PhraseTable<(String, LangTag)> {
    static T: OnceLock<PhraseTable<(String, LangTag)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = PhraseTable::new();
        for r in rows(data::CURRENCIES) {
            t.insert(r[0], (r[1].to_string(), LangTag::parse(r.get(2).copied().unwrap_or("*"))));
        }
        t
    })
}

fn qualifiers() -> &'static PhraseTable<(Qualifier, bool)> {
    static T: OnceLock<PhraseTable<(Qualifier, bool)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = PhraseTable::new();
        for r in rows(data::QUALIFIERS) {
            let q = match r[1] {
                "more_than" => Qualifier::MoreThan,
                "at_least" => Qualifier::AtLeast,
                "approximate" => Qualifier::Approximate,
                "at_most" => Qualifier::AtMost,
                other => panic!("qualifiers.tsv: unknown qualifier {other:?}"),
            };
            t.insert(r[0], (q, r.get(2).copied() == Some("before")));
        }
        t
    })
}

/// Words that end a number without being what it counts (prepositions, conjunctions, pronouns,
/// common verbs, times of day), normalised.
const NOT_COUNTED: &[&str] = &[
    // Arabic
    "في", "من", "الي", "علي", "عن", "مع", "و", "او", "ثم", "لا", "ما", "قد", "ان", "هو", "هي", "هم", "التي", "الذي", "الذين", "هذا", "هذه", "ذلك",
    "تلك", "كان", "كانت", "بين", "حتي", "عند", "منذ", "بعد", "قبل", "خلال", "حول", "ضد", "دون", "لدي", "الا", "اذا", "كما", "حيث", "ايضا", "فقط", "مقابل",
    "اي", "كل", "بعض", "غير", "سوي", "لكن", "بل", "وفق", "عبر", "نحو", "صباحا", "صباح", "مساء", "مساءا", "ظهرا", "ليلا", "عصرا", "فجرا", "بتوقيت", "مرات",
    "مره", "اخري", "اخر", "اول", "يلي", "تم", "يتم", "فيما", "لم", "لن", "سوف", "هنا", "هناك", "امس", "اليوم", "غدا", "الان", "ب", "ل", "ك", "ف", "لـ",
    "نقطه", "مقعدا", "درجه", "رقم", "ضمن", "لصالح", "مقارنه", "بنسبه", "نسبه", "وذلك", "فيه", "فيها", "منها", "منه", "لها", "له", "عليه", "عليها",
    "ممن", "مما", "منهم", "منهن", "عنهم", "منا", "عندما", "بينما", "بينهم", "بعدما", "قبلما",
    // Persian
    "در", "از", "به", "با", "كه", "را", "تا", "براي", "اين", "است", "بود", "شد", "شده", "مي", "نيز", "يا", "اما", "بر", "هر", "همه", "خود", "او",
    "وي", "بيش", "كمتر", "بيشتر", "كرد", "كردند", "كند", "كنند", "دارد", "داشت", "دارند", "بودند", "شدند", "هستند", "نيست", "باشد", "پس", "پيش", "بعد",
    "قبل", "روي", "زير", "سر", "بين", "ميان", "طي", "توسط", "بدون", "ولي", "اگر", "چون", "چه", "چند", "هيچ", "ديگر", "اول", "دوم", "بار", "مرتبه", "صبح",
    "عصر", "شب", "ظهر", "امروز", "ديروز", "فردا", "شنبه", "امشب", "بامداد",
    "رسيد", "رسيده", "رساند", "گفت", "برگزار", "اعلام", "قرار", "وارد", "خواهد", "انجام", "بوده", "گذشت", "داد", "دادند", "گرفت", "زد", "رفت", "امد",
    "هست", "شود", "شوند", "كنيم", "كرده", "شده‌اند", "اند", "ايم", "نشد", "نشده", "نكرد", "نكرده", "ندارد", "نداشت", "نبود", "نيز", "اكنون", "هم", "همچنين", "بود", "ها", "هاي", "اي", "ي", "گل", "بر",
];

/// True when token `i` is a percent marker, a currency, a listed unit or person noun, or a
/// multiplier word: then a number right before it is a quantity.
pub fn is_unit_at(tokens: &[Token], original: &[char], i: usize, lang: Lang) -> bool {
    let Some(t) = tokens.get(i) else { return false };
    if i > 0 && original[tokens[i - 1].span.end as usize..t.span.start as usize].contains(&'\n') {
        return false;
    }
    units().longest_where(&t.norm, tokens, i, |u| u.lang.allows(lang)).is_some()
        || currency_at(tokens, i, lang).is_some()
        || crate::numbers::is_multiplier_word(&t.norm, lang)
}

fn currency_at(tokens: &[Token], i: usize, lang: Lang) -> Option<(usize, String)> {
    let t = tokens.get(i)?;
    if let Some((e, (code, _))) = currencies().longest_where(&t.norm, tokens, i, |(_, l)| l.allows(lang)) {
        return Some((e, code.clone()));
    }
    // Persian adjectival ending: "۴۰۷ میلیون تومانی"
    if lang != Lang::Ar {
        if let Some(stem) = t.norm.strip_suffix('ي').filter(|s| s.chars().count() >= 3) {
            if let Some((_, (code, _))) = currencies().longest_where(stem, tokens, i, |(_, l)| l.allows(lang)) {
                return Some((i + 1, code.clone()));
            }
        }
    }
    None
}

/// What follows a number: kind, unit and the token after it.
fn unit_after(tokens: &[Token], original: &[char], p: usize, lang: Lang) -> Option<(QuantityKind, String, usize)> {
    let t = tokens.get(p)?;
    if p > 0 && original[tokens[p - 1].span.end as usize..t.span.start as usize].contains(&'\n') {
        return None;
    }
    if let Some((e, u)) = units().longest_where(&t.norm, tokens, p, |u| u.lang.allows(lang) && u.kind == QuantityKind::Percent) {
        return Some((QuantityKind::Percent, u.unit.clone(), e));
    }
    if let Some((e, code)) = currency_at(tokens, p, lang) {
        return Some((QuantityKind::Money, code, e));
    }
    // Persian "تن": people ("سه تن از …", "۵ تن کشته شدند") or tonnes ("69 تن عسل")
    if lang != Lang::Ar && t.norm == "تن" {
        let person = tokens.get(p + 1).is_none_or(|n| {
            n.kind != TokenKind::Word
                || NOT_COUNTED.contains(&n.norm.as_str())
                || units().longest_where(&n.norm, tokens, p + 1, |u| u.unit == "person").is_some()
                || n.norm.starts_with("مي")
                || matches!(n.norm.as_str(), "ديگر" | "نفر" | "شدند" | "هستند" | "بودند")
                || original[t.span.end as usize..n.span.start as usize].contains(&'\n')
        });
        return Some(if person { (QuantityKind::Count, "person".to_string(), p + 1) } else { (QuantityKind::Measure, "tonne".to_string(), p + 1) });
    }
    for r in t.readings(original).into_iter().take(1) {
        if let Some((e, u)) = units().longest_where(&r.form, tokens, p, |u| u.lang.allows(lang)) {
            return Some((u.kind, u.unit.clone(), e));
        }
    }
    // any other noun
    if t.kind != TokenKind::Word || is_number_word(&t.norm, lang) || t.norm.chars().count() < 2 {
        return None;
    }
    // "وبذلك" is و + ب + ذلك: no reading may be a function word
    if t.readings(original).iter().any(|r| NOT_COUNTED.contains(&r.form.as_str())) {
        return None;
    }
    if lang != Lang::Fa && (t.norm.starts_with("ال") || ["لل", "بال", "وال", "فال", "كال"].iter().any(|p| t.norm.starts_with(p))) {
        return None; // a counted noun is indefinite in Arabic ("125 للدولار" is a rate)
    }
    if crate::time::is_month_word(&t.norm, lang) {
        return None;
    }
    let orig = &original[t.span.start as usize..t.span.end as usize];
    let mut unit = t.norm.clone();
    // accusative tanween alef: "عملاً" → "عمل"
    if orig.contains(&'\u{064B}') && unit.ends_with('ا') && unit.chars().count() > 2 {
        unit.pop();
    }
    Some((QuantityKind::Count, unit, p + 1))
}

/// True when the number is an identifier rather than an amount.
fn is_identifier(tokens: &[Token], m: &NumberMatch) -> bool {
    let touching = |a: usize, b: usize| tokens[a].span.end == tokens[b].span.start;
    let first = &tokens[m.start];
    if m.plain_digits && first.norm.len() > 9 {
        return true; // phone numbers, ids
    }
    if m.start > 0 {
        let p = m.start - 1;
        let prev = &tokens[p];
        if m.skip == 0 {
            if ID_CUES.contains(&prev.norm.as_str()) || prev.kind == TokenKind::Latin || prev.norm == "#" || prev.norm == "الساعه" {
                return true;
            }
            if touching(p, m.start) {
                // "الـ15" (ordinal), "COP29", "كوب-29", "2/11"
                if prev.norm == "ال" || prev.kind == TokenKind::Latin || prev.kind == TokenKind::Number {
                    return true;
                }
                if matches!(prev.norm.as_str(), "-" | "/" | "." | ":" | "_") && p > 0 && touching(p - 1, p) && tokens[p - 1].kind != TokenKind::Punct {
                    return true;
                }
                if prev.kind == TokenKind::Word && prev.norm.chars().count() > 2 {
                    return true;
                }
            }
            // "رقم -2/11"
            if matches!(prev.norm.as_str(), "-" | "/") && touching(p, m.start) && p > 0 && ID_CUES.contains(&tokens[p - 1].norm.as_str()) {
                return true;
            }
        }
    }
    // "10/33", "2-33" as the first part; "12:30"
    if m.end < tokens.len() && touching(m.end - 1, m.end) && matches!(tokens[m.end].norm.as_str(), "/" | ":" | "_") {
        if tokens.get(m.end + 1).is_some_and(|t| t.kind == TokenKind::Number || t.kind == TokenKind::Latin) {
            return true;
        }
    }
    false
}

fn qualifier_before(tokens: &[Token], original: &[char], start: usize) -> Qualifier {
    if start == 0 {
        return Qualifier::Exact;
    }
    qualifiers().ending_at(tokens, original, start, |(_, before)| *before).map_or(Qualifier::Exact, |(_, (q, _))| *q)
}

fn qualifier_after(tokens: &[Token], end: usize) -> Option<(Qualifier, usize)> {
    let t = tokens.get(end)?;
    qualifiers().longest_where(&t.norm, tokens, end, |(_, before)| !*before).map(|(e, (q, _))| (*q, e))
}

/// True when the word before the number makes it a percentage: "بنسبة 40", "نسبة 20".
fn percent_cue_before(tokens: &[Token], original: &[char], start: usize) -> bool {
    start > 0 && tokens[start - 1].readings(original).iter().any(|r| matches!(r.form.as_str(), "نسبه" | "نسبتها" | "نسبته"))
}

/// Finds the quantities of a text, skipping tokens inside `taken` spans (time expressions).
pub fn find_quantities(chars: &[char], tokens: &[Token], lang: Lang, taken: &[Span]) -> Vec<Quantity> {
    let mut out = Vec::new();
    let in_taken = |t: &Token| taken.iter().any(|s| s.overlaps(&t.span));
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if !matches!(t.kind, TokenKind::Number | TokenKind::Word) || in_taken(t) {
            i += 1;
            continue;
        }
        let Some(m) = number_at(tokens, chars, i, lang) else {
            if let Some(q) = dual_at(tokens, chars, i, lang) {
                out.push(q);
            }
            i += 1;
            continue;
        };
        if m.ordinal || (m.start..m.end).any(|k| in_taken(&tokens[k])) {
            i = m.end;
            continue;
        }
        // a range: "70-80 %", "60-100 مليون طن", "بين 10 و20"
        let mut second: Option<NumberMatch> = None;
        if let Some(sep) = tokens.get(m.end) {
            let same_line = !chars[tokens[m.end - 1].span.end as usize..sep.span.start as usize].contains(&'\n');
            if same_line && matches!(sep.norm.as_str(), "-" | "–" | "الي" | "حتي" | "تا") {
                if let Some(m2) = number_at(tokens, chars, m.end + 1, lang) {
                    if !m2.ordinal && m2.value > m.value && !(m2.start..m2.end).any(|k| in_taken(&tokens[k])) && unit_after(tokens, chars, m2.end, lang).is_some() {
                        second = Some(m2);
                    }
                }
            }
        }
        if second.is_none() && is_identifier(tokens, &m) {
            i = m.end;
            continue;
        }
        let last = second.as_ref().unwrap_or(&m);
        let has_mult = last.multiplier() > 1.0;
        // currency symbol before: "$100"
        let symbol_money = m.start > 0 && tokens[m.start - 1].span.end == tokens[m.start].span.start && matches!(tokens[m.start - 1].norm.as_str(), "$" | "€" | "£");
        let found = unit_after(tokens, chars, last.end, lang);
        let (kind, unit, mut end) = match found.clone() {
            Some(f) => f,
            None if symbol_money => (QuantityKind::Money, match tokens[m.start - 1].norm.as_str() { "$" => "USD", "€" => "EUR", _ => "GBP" }.to_string(), last.end),
            None if percent_cue_before(tokens, chars, m.start) && !has_mult => (QuantityKind::Percent, "percent".to_string(), last.end),
            None if has_mult && last.words => (QuantityKind::Count, String::new(), last.end),
            None => {
                i = m.end.max(i + 1);
                continue;
            }
        };
        if kind == QuantityKind::Count && m.value == 0.0 && second.is_none() {
            i = found_end(&found, m.end);
            continue;
        }
        let (kind, unit) = if percent_cue_before(tokens, chars, m.start) && kind == QuantityKind::Count && unit != "person" && !has_mult {
            (QuantityKind::Percent, "percent".to_string())
        } else {
            (kind, unit)
        };
        let mut qualifier = qualifier_before(tokens, chars, m.start);
        if let Some((q, e)) = qualifier_after(tokens, end) {
            if qualifier == Qualifier::Exact {
                qualifier = q;
            }
            end = e;
        }
        let _ = end;
        let start_char = |x: &NumberMatch| tokens[x.start].span.start as usize + x.skip as usize;
        let unit_end_char = tokens[found_end(&found, last.end) - 1].span.end as usize;
        match second {
            Some(m2) => {
                // "60-100 مليون": 60 takes the million; "800 إلى مليون" does not
                let m2_base = m2.value / m2.multiplier();
                let v1 = if m.multiplier() > 1.0 || m2_base <= 1.0 || m.value >= m2_base { m.value } else { crate::numbers::round_value(m.value * m2.multiplier()) };
                out.push(Quantity { span: Span::new(start_char(&m), tokens[m.end - 1].span.end as usize), kind, value: v1, unit: unit.clone(), qualifier });
                out.push(Quantity { span: Span::new(start_char(&m2), unit_end_char), kind, value: m2.value, unit, qualifier });
                i = found_end(&found, m2.end);
            }
            None => {
                let s = if symbol_money && found.is_none() { tokens[m.start - 1].span.start as usize } else { start_char(&m) };
                out.push(Quantity { span: Span::new(s, unit_end_char), kind, value: m.value, unit, qualifier });
                i = found_end(&found, m.end);
            }
        }
    }
    out
}

/// An Arabic dual noun of people counts two by itself ("قتل شخصان", "مقتل جنديين"), with no
/// number word. Only nouns whose plural is broken are listed (`units.tsv`, kind `dual`): the
/// `-ين` of a sound plural ("مدنيين") is not a dual.
fn dual_at(tokens: &[Token], original: &[char], i: usize, lang: Lang) -> Option<Quantity> {
    let t = &tokens[i];
    // every dual ends in ان or ين: the other words skip the lookup (this runs on every word)
    if lang == Lang::Fa || t.kind != TokenKind::Word || !(t.norm.ends_with("ان") || t.norm.ends_with("ين")) {
        return None;
    }
    let entry = t.readings(original).into_iter().take(1).find_map(|r| units().longest_where(&r.form, tokens, i, |u| u.dual && u.lang.allows(lang)).map(|(_, u)| u.unit.clone()))?;
    Some(Quantity { span: t.span, kind: QuantityKind::Count, value: 2.0, unit: entry, qualifier: Qualifier::Exact })
}

fn found_end(found: &Option<(QuantityKind, String, usize)>, number_end: usize) -> usize {
    found.as_ref().map_or(number_end, |f| f.2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::token::tokenize;

    fn q(s: &str, lang: Lang) -> Vec<(String, QuantityKind, f64, String, Qualifier)> {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        find_quantities(&c, &t, lang, &[]).into_iter().map(|x| (x.span.text(&c), x.kind, x.value, x.unit, x.qualifier)).collect()
    }

    #[test]
    fn money() {
        let v = q("تقدير الخسائر أكثر من 60 مليار دولار أمريكي. وناشد", Lang::Ar);
        assert_eq!(v, [("60 مليار دولار أمريكي".to_string(), QuantityKind::Money, 60e9, "USD".to_string(), Qualifier::MoreThan)]);
        let v = q("استثمارات تجاوزت مليار دولار", Lang::Ar);
        assert_eq!((v[0].2, v[0].3.as_str()), (1e9, "USD"));
        let v = q("جذب 714 ميليارد ريال منابع", Lang::Fa);
        assert_eq!((v[0].2, v[0].3.as_str()), (714e9, "IRR"));
        let v = q("درآمد ۴۰۷ میلیون تومانی در", Lang::Fa);
        assert_eq!((v[0].1, v[0].2, v[0].3.as_str()), (QuantityKind::Money, 407e6, "IRT"));
        let v = q("بقيمة 500 ريال سعودي", Lang::Ar);
        assert_eq!((v[0].2, v[0].3.as_str()), (500.0, "SAR"));
        let v = q("سعره $100 فقط", Lang::Ar);
        assert_eq!((v[0].0.as_str(), v[0].2, v[0].3.as_str()), ("$100", 100.0, "USD"));
    }

    #[test]
    fn percents() {
        let v = q("احتلال أكثر من 20 % من أراضيها", Lang::Ar);
        assert_eq!((v[0].1, v[0].2, v[0].4), (QuantityKind::Percent, 20.0, Qualifier::MoreThan));
        let v = q("ارتفع بنسبة 40 %", Lang::Ar);
        assert_eq!((v[0].1, v[0].2), (QuantityKind::Percent, 40.0));
        let v = q("كان 70-80 % من سكان", Lang::Ar);
        assert_eq!(v.iter().map(|x| (x.1, x.2)).collect::<Vec<_>>(), [(QuantityKind::Percent, 70.0), (QuantityKind::Percent, 80.0)]);
        let v = q("20 درصد از اراضی", Lang::Fa);
        assert_eq!((v[0].1, v[0].2), (QuantityKind::Percent, 20.0));
        let v = q("نمو بنسبة 5 في المئة", Lang::Ar);
        assert_eq!((v[0].0.as_str(), v[0].2), ("5 في المئة", 5.0));
    }

    #[test]
    fn counts() {
        let v = q("حيث قتل 21 مدنياً وأصيب 70 شخصاً بجروح", Lang::Ar);
        assert_eq!(v.iter().map(|x| (x.2, x.3.as_str())).collect::<Vec<_>>(), [(21.0, "person"), (70.0, "person")]);
        let v = q("مقتل أكثر من ألفي مواطن مدني", Lang::Ar);
        assert_eq!((v[0].2, v[0].3.as_str(), v[0].4), (2000.0, "person", Qualifier::MoreThan));
        let v = q("ارتكبت أكثر من ثلاثين عملاً إرهابياً", Lang::Ar);
        assert_eq!((v[0].2, v[0].3.as_str()), (30.0, "عمل"));
        let v = q("وعودة أكثر من مليون لاجئ ونازح", Lang::Ar);
        assert_eq!((v[0].2, v[0].3.as_str()), (1e6, "person"));
        let v = q("حدود یک میلیون آذربایجانی از سرزمین", Lang::Fa);
        assert_eq!((v[0].2, v[0].4), (1e6, Qualifier::Approximate));
        let v = q("بیش از 30 هزار مسلمان آذری کشته", Lang::Fa);
        assert_eq!((v[0].2, v[0].3.as_str(), v[0].4), (30_000.0, "person", Qualifier::MoreThan));
        let v = q("بیش از 911 تن پودر گوشت و سه تن از آنها", Lang::Fa);
        assert_eq!(v.iter().map(|x| (x.2, x.3.as_str())).collect::<Vec<_>>(), [(911.0, "tonne"), (3.0, "person")]);
        let v = q("بالای یک میلیون آواره شدند", Lang::Fa);
        assert_eq!((v[0].2, v[0].4), (1e6, Qualifier::MoreThan));
        let v = q("نحو 370 حادثة", Lang::Ar);
        assert_eq!((v[0].2, v[0].4), (370.0, Qualifier::Approximate));
        let v = q("وزير النقل: 60-100 مليون طن", Lang::Ar);
        assert_eq!(v.iter().map(|x| (x.2, x.3.as_str())).collect::<Vec<_>>(), [(60e6, "tonne"), (100e6, "tonne")]);
        let v = q("از يك ميليون و 522 هزار در سال", Lang::Fa);
        assert_eq!(v[0].2, 1_522_000.0);
        // Arabic duals of people count two; a sound plural in -ين does not
        let v = q("قتل شخصان وأصيب جنديين في الهجوم على المدنيين", Lang::Ar);
        assert_eq!(v.iter().map(|x| (x.1, x.2, x.3.as_str())).collect::<Vec<_>>(), [(QuantityKind::Count, 2.0, "person"), (QuantityKind::Count, 2.0, "person")]);
    }

    #[test]
    fn decimals_and_ranges_without_float_noise() {
        let v = q("تجاوزت أكثر من تريليون ريال (266.6 مليار دولار)", Lang::Ar);
        assert_eq!(v.iter().map(|x| x.2).collect::<Vec<_>>(), [1e12, 266_600_000_000.0]);
        let v = q("عمره ما بين 800 إلى مليون سنة", Lang::Ar);
        assert_eq!(v.iter().map(|x| x.2).collect::<Vec<_>>(), [800.0, 1e6]);
        // a weekday is not a count
        assert!(q("روز سه‌شنبه و سومين روز", Lang::Fa).is_empty());
    }

    #[test]
    fn identifiers_are_not_quantities() {
        assert!(q("القرار رقم 10/33 بشأن", Lang::Ar).is_empty());
        assert!(q("القرار رقم -2/11 أ ق", Lang::Ar).is_empty());
        assert!(q("مؤتمر COP29 لتغير المناخ", Lang::Ar).is_empty());
        assert!(q("مؤتمر \"كوب-29\" بتعزيز", Lang::Ar).is_empty());
        assert!(q("حوار بيترزبيرغ للمناخ الـ15 في برلين", Lang::Ar).is_empty());
        assert!(q("(محدث 2)", Lang::Ar).is_empty());
        assert!(q("پذيرش قطعنامه 598 سازمان ملل", Lang::Fa).is_empty());
        assert!(q("در گزارش تفريغ بودجه 83 تخلفات عديده", Lang::Fa).is_empty());
    }
}
