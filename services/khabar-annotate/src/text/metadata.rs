//! Document metadata read off the text: dateline, title, source agency or outlet.
//!
//! - Dateline: "باكو، 4 يوليو، أذرتاج", "شوشا ، 23 أبريل ، أذرتاج/", "الرياض - واس",
//!   "سبق- جازان:", "القاهرة (رويترز) -", "القريات 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس":
//!   a place (one to three words), a date and/or an agency, separated by commas or dashes,
//!   either on a line of its own or at the start of the first body paragraph.
//! - Source: the dateline's agency; else the first agency or outlet of `lexicon/sources.tsv`
//!   named near the start of the body ("به گزارش آران نیوز"، "وبحسب … وكالة تسنيم للأنباء",
//!   "خبرگزاری فارس:"), or a "وكالة … للأنباء" / "خبرگزاری …" phrase; else an outlet named in
//!   the page header or footer. Ambiguous names ("الرياض", "مهر") count only in an attribution
//!   context (dateline, after "به گزارش"/"نقلا عن"/"بحسب", or inside «…»).
//! - Title: the text of the title zone (see [`super::zones`]).

use std::sync::OnceLock;

use super::token::{Token, TokenKind};
use crate::lexicon::{data, rows, PhraseTable};
use crate::model::{Dateline, Lang, Span, TimeExpr, Zone, ZoneType};

#[derive(Debug, Clone, Copy)]
struct SourceEntry {
    amb: bool,
}

fn sources() -> &'static PhraseTable<SourceEntry> {
    static T: OnceLock<PhraseTable<SourceEntry>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = PhraseTable::new();
        for r in rows(data::SOURCES) {
            t.insert(r[0], SourceEntry { amb: r.get(2).is_some_and(|f| f.contains("amb")) });
        }
        t
    })
}

/// True when `joined` (normalised token forms joined by spaces) is exactly a known source name.
pub fn is_source_name(joined: &str) -> bool {
    static S: OnceLock<std::collections::HashSet<String, crate::lexicon::FxBuild>> = OnceLock::new();
    S.get_or_init(|| rows(data::SOURCES).map(|r| crate::lexicon::phrase_forms(r[0]).join(" ")).collect()).contains(joined)
}

/// A source name starting at token `i` (proclitics allowed): (start char, end token, ambiguous).
fn source_at(chars: &[char], tokens: &[Token], i: usize) -> Option<(usize, usize, bool)> {
    let t = tokens.get(i)?;
    if t.kind != TokenKind::Word && t.kind != TokenKind::Latin {
        return None;
    }
    for r in t.readings(chars) {
        if let Some((e, s)) = sources().longest_where(&r.form, tokens, i, |_| true) {
            return Some((t.span.start as usize + r.skip as usize, e, s.amb));
        }
    }
    None
}

/// A dateline found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct DatelineParse {
    /// The whole dateline (without trailing separators).
    pub span: Span,
    pub place: Span,
    pub date: Option<TimeExpr>,
    pub source: Option<Span>,
    /// Token after the dateline and its trailing separators.
    pub end_tok: usize,
    /// True when the dateline is the whole line.
    pub whole_line: bool,
}

fn is_sep(form: &str) -> bool {
    matches!(form, "،" | "," | "-" | "–" | "—" | "ـ" | ":" | "/" | "|")
}

fn is_place_word(t: &Token) -> bool {
    t.kind == TokenKind::Word && t.norm.chars().count() >= 2 && !crate::numbers::is_number_word(&t.norm, Lang::Und) && !matches!(t.norm.as_str(), "في" | "من" | "الي" | "علي" | "عن" | "و" | "قال" | "قالت" | "اكد" | "اعلن" | "به" | "در" | "از" | "اين" | "كه")
}

/// Parses a dateline at the start of the line `tokens[start..end]`.
pub fn parse_dateline(chars: &[char], tokens: &[Token], start: usize, end: usize, lang: Lang) -> Option<DatelineParse> {
    if start >= end {
        return None;
    }
    let text_end = |k: usize| tokens[k - 1].span.end as usize;
    // Form B: AGENCY - PLACE :   ("سبق- جازان:")
    if let Some((s0, e, _)) = source_at(chars, tokens, start) {
        // not when the "place" is itself an agency: "الرياض - واس" is place - agency
        if e < end && is_sep(&tokens[e].norm) && tokens[e].norm != "،" && source_at(chars, tokens, e + 1).is_none_or(|(_, _, amb)| amb) {
            let p0 = e + 1;
            let mut p = p0;
            while p < end && p < p0 + 2 && is_place_word(&tokens[p]) {
                p += 1;
            }
            if p > p0 && (p == end || matches!(tokens[p].norm.as_str(), ":" | "-" | "–")) {
                let end_tok = if p == end { p } else { p + 1 };
                return Some(DatelineParse {
                    span: Span::new(s0, text_end(p)),
                    place: Span::new(tokens[p0].span.start as usize, text_end(p)),
                    date: None,
                    source: Some(Span::new(s0, text_end(e))),
                    end_tok,
                    whole_line: end_tok == end,
                });
            }
        }
    }
    // Form A/C/D/E: PLACE [sep] [DATE] [sep] [AGENCY]
    let mut p = start;
    while p < end && p < start + 3 && is_place_word(&tokens[p]) {
        p += 1;
    }
    if p == start || p >= end {
        return None;
    }
    let place = Span::new(tokens[start].span.start as usize, text_end(p));
    let mut k = p;
    let mut had_sep = false;
    if is_sep(&tokens[k].norm) {
        k += 1;
        had_sep = true;
    }
    // date(s)
    let mut date = None;
    while k < end {
        match crate::time::date_at(chars, tokens, k, lang) {
            Some((e, t)) => {
                if date.is_none() || t.calendar == crate::model::Calendar::Gregorian {
                    date = Some(t);
                }
                k = e.min(end);
                if k < end && is_sep(&tokens[k].norm) {
                    k += 1;
                }
                if k < end && matches!(tokens[k].norm.as_str(), "الموافق" | "موافق") {
                    k += 1;
                }
            }
            None => break,
        }
    }
    // agency: lexicon, «quoted» or (parenthesised)
    let mut source = None;
    let mut q = k;
    if q < end && matches!(tokens[q].norm.as_str(), "(" | "«" | "\"") {
        let close = match tokens[q].norm.as_str() {
            "(" => ")",
            "«" => "»",
            _ => "\"",
        };
        if let Some(c) = (q + 1..end.min(q + 6)).find(|&c| tokens[c].norm == close) {
            if c > q + 1 {
                source = Some(Span::new(tokens[q + 1].span.start as usize, text_end(c)));
                q = c + 1;
            }
        }
    } else if let Some((s0, e, _)) = source_at(chars, tokens, q).filter(|(_, e, _)| q < end && *e <= end) {
        source = Some(Span::new(s0, text_end(e)));
        q = e;
    }
    if date.is_none() && source.is_none() {
        return None;
    }
    if date.is_none() && !had_sep && source.is_some() && !matches!(tokens[k].norm.as_str(), "(" | "«") {
        // "الرياض واس" without a separator is not a dateline
        return None;
    }
    let span_end = q;
    // trailing separators
    let mut t_end = q;
    while t_end < end && is_sep(&tokens[t_end].norm) {
        t_end += 1;
    }
    let whole_line = t_end == end;
    if !whole_line {
        // inline: the dateline must be closed by a separator before the body text
        if t_end == q || source.is_none() && date.is_none() {
            return None;
        }
        if date.is_some() && source.is_none() && !matches!(tokens[t_end - 1].norm.as_str(), "-" | "–" | ":" | "ـ") {
            return None;
        }
    }
    Some(DatelineParse { span: Span::new(place.start as usize, text_end(span_end)), place, date, source, end_tok: t_end, whole_line })
}

/// Words after which a source name follows ("به گزارش X", "نقلا عن X", "بحسب X").
const ATTRIBUTION: &[&[&str]] = &[
    &["به", "گزارش"],
    &["به", "نقل", "از"],
    &["نقلا", "عن"],
    &["نقل", "عن"],
    &["وفقا", "ل"],
    &["بحسب"],
    &["حسب"],
    &["ذكرت"],
    &["افادت"],
    &["اوردت"],
    &["قالت"],
    &["اعلنت"],
    &["لـ"],
];

/// Metadata of a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub dateline: Option<Dateline>,
    pub title: Option<String>,
    pub source_name: Option<String>,
}

/// Reads the metadata given the zones and the dateline found while zoning.
pub fn extract(chars: &[char], tokens: &[Token], zones: &[Zone], dateline: Option<&DatelineParse>) -> Metadata {
    let mut md = Metadata::default();
    if let Some(d) = dateline {
        md.dateline = Some(Dateline {
            span: d.span,
            place: d.place.text(chars),
            place_entity: None,
            date: d.date.as_ref().map(|t| t.value.clone()),
            source: d.source.map(|s| s.text(chars)),
        });
        md.source_name = d.source.map(|s| s.text(chars));
    }
    md.title = zones.iter().find(|z| z.kind == ZoneType::Title).map(|z| z.span.text(chars).trim().to_string()).filter(|s| !s.is_empty());
    if md.source_name.is_none() {
        md.source_name = find_source(chars, tokens, zones);
    }
    md
}

fn find_source(chars: &[char], tokens: &[Token], zones: &[Zone]) -> Option<String> {
    let in_zone = |t: &Token, kinds: &[ZoneType]| zones.iter().any(|z| kinds.contains(&z.kind) && z.span.contains(&t.span));
    // the start of the body: first 150 tokens of body/dateline/subtitle zones
    let body: Vec<usize> = (0..tokens.len()).filter(|&i| in_zone(&tokens[i], &[ZoneType::Body, ZoneType::Subtitle, ZoneType::Dateline])).take(150).collect();
    let text = |s: usize, e: usize| -> String { chars[s..e].iter().collect::<String>().trim().to_string() };
    let quoted = |i: usize| i > 0 && matches!(tokens[i - 1].norm.as_str(), "«" | "\"" | "“");
    let after_cue = |i: usize| {
        ATTRIBUTION.iter().any(|cue| {
            i >= cue.len()
                && cue.iter().enumerate().all(|(k, f)| {
                    let t = &tokens[i - cue.len() + k];
                    t.norm == *f || (k == 0 && t.readings(chars).iter().any(|r| r.form == *f))
                })
        }) || (i > 0 && tokens[i - 1].readings(chars).iter().any(|r| r.form == "گزارش"))
    };
    let mut first_any: Option<String> = None;
    for &i in &body {
        if let Some((s, e, amb)) = source_at(chars, tokens, i) {
            let ok = !amb || after_cue(i) || quoted(i);
            if ok {
                return Some(text(s, tokens[e - 1].span.end as usize));
            }
        }
        // generic "وكالة X للأنباء", "خبرگزاری X"
        let forms: Vec<String> = tokens[i].readings(chars).into_iter().map(|r| r.form).collect();
        if forms.iter().any(|f| f == "وكاله") {
            if let Some(k) = (i + 1..(i + 6).min(tokens.len())).find(|&k| matches!(tokens[k].norm.as_str(), "للانباء" | "الانباء")) {
                if (i + 1..k).all(|m| tokens[m].kind == TokenKind::Word) && first_any.is_none() {
                    first_any = Some(text(tokens[i].span.start as usize, tokens[k].span.end as usize));
                }
            }
        }
        if tokens[i].norm == "خبرگزاري" && first_any.is_none() {
            if let Some(n) = tokens.get(i + 1).filter(|n| n.kind == TokenKind::Word && !matches!(n.norm.as_str(), "ها" | "هاي" | "در" | "از" | "به")) {
                first_any = Some(text(tokens[i].span.start as usize, n.span.end as usize));
            }
        }
    }
    if first_any.is_some() {
        return first_any;
    }
    // header and footer boilerplate: "وكالة الأنباء الحكومية الأذربيجانية", "© … وكالة تسنیم للأنباء"
    for (i, t) in tokens.iter().enumerate() {
        if !in_zone(t, &[ZoneType::Boilerplate]) {
            continue;
        }
        if let Some((s, e, amb)) = source_at(chars, tokens, i) {
            if !amb {
                return Some(text(s, tokens[e - 1].span.end as usize));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::token::tokenize;

    fn dl(s: &str) -> Option<(String, Option<String>, Option<String>, bool)> {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        let d = parse_dateline(&c, &t, 0, t.len(), Lang::Ar)?;
        Some((d.place.text(&c), d.date.map(|x| x.value), d.source.map(|x| x.text(&c)), d.whole_line))
    }

    #[test]
    fn datelines() {
        assert_eq!(dl("باكو، 4 يوليو، أذرتاج"), Some(("باكو".into(), Some("XXXX-07-04".into()), Some("أذرتاج".into()), true)));
        assert_eq!(dl("شوشا ، 23 أبريل ، أذرتاج/"), Some(("شوشا".into(), Some("XXXX-04-23".into()), Some("أذرتاج".into()), true)));
        assert_eq!(dl("الرياض - واس"), Some(("الرياض".into(), None, Some("واس".into()), true)));
        assert_eq!(dl("سبق- جازان: احتفل الشاب"), Some(("جازان".into(), None, Some("سبق".into()), false)));
        assert_eq!(dl("القاهرة (رويترز) - قالت الشرطة"), Some(("القاهرة".into(), None, Some("رويترز".into()), false)));
        assert_eq!(
            dl("القريات 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس"),
            Some(("القريات".into(), Some("2015-08-11".into()), Some("واس".into()), true))
        );
        assert_eq!(dl("وقال رئيس اللجنة إنه من أجل التغلب"), None);
        assert_eq!(dl("الرئيس إلهام علييف: استعادة السلامة الإقليمية"), None);
    }
}
