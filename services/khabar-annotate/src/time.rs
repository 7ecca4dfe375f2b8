//! Time expressions and calendar conversion.
//!
//! Finds dates in the token stream and gives each a normalised value:
//! - ISO-8601 with partial precision: "2006", "2006-06", "2006-06-19"; ranges "a/b"
//!   ("1994-12-05/1994-12-06"); an unknown year stays `XXXX` ("XXXX-07-04");
//! - centuries as ISO-8601 centuries ("القرن التاسع عشر" → "18");
//! - Hijri (Umm al-Qura, via `icu_calendar`) and Solar Hijri (Persian) dates are converted: the
//!   value is the Gregorian date, `native_value` the date as written ("1427-05-23"), and a
//!   native month or year becomes a Gregorian range of days.
//!
//! Forms: day month year with every month-name family (lexicon/months.tsv), era markers
//! (م، هـ، ش …, lexicon/eras.tsv), day ranges ("5-6 ديسمبر 1994", "من 8 إلى 10 يوليو 1992",
//! "يومي 13، 14 ديسمبر"), written ordinals ("الثالث عشر من الشهر الجاري", "چهاردهم تیر"),
//! month + year, years with a cue word ("عام 2020", "سال 1388", "سال 87") or an era marker,
//! bare plausible years, year ranges ("1948-1953"), numeric dates ("1385/03/29", "04/07/2020").
//!
//! Dates without a year are completed from the document date when the caller gave one
//! (`anchored` = true), otherwise the year stays `XXXX`.

use std::sync::OnceLock;

use icu_calendar::cal::{Hijri, Persian};
use icu_calendar::{Date, Gregorian};

use crate::lexicon::{data, rows, LangTag, PhraseTable};
use crate::model::{Calendar, Lang, Span, TimeExpr};
use crate::numbers::ordinal_at;
use crate::text::token::{Token, TokenKind};

// ------------------------------------------------------------------ calendar conversion

/// A Gregorian date (year, month, day).
pub type Ymd = (i32, u8, u8);

/// Converts an Umm al-Qura Hijri date to the Gregorian calendar.
pub fn hijri_to_gregorian(y: i32, m: u8, d: u8) -> Option<Ymd> {
    if !(1..=1700).contains(&y) {
        return None;
    }
    let date = Date::try_new_hijri_with_calendar(y, m, d, Hijri::new_umm_al_qura()).ok()?;
    let g = date.to_calendar(Gregorian);
    Some((g.year().extended_year(), g.month().ordinal, g.day_of_month().0))
}

/// Converts a Gregorian date to the Umm al-Qura Hijri calendar.
pub fn gregorian_to_hijri(y: i32, m: u8, d: u8) -> Option<Ymd> {
    let g = Date::try_new_gregorian(y, m, d).ok()?;
    let h = g.to_calendar(Hijri::new_umm_al_qura());
    Some((h.year().extended_year(), h.month().ordinal, h.day_of_month().0))
}

/// Converts a Solar Hijri (Persian) date to the Gregorian calendar.
pub fn persian_to_gregorian(y: i32, m: u8, d: u8) -> Option<Ymd> {
    if !(1..=1700).contains(&y) {
        return None;
    }
    let date = Date::try_new_persian(y, m, d).ok()?;
    let g = date.to_calendar(Gregorian);
    Some((g.year().extended_year(), g.month().ordinal, g.day_of_month().0))
}

/// Converts a Gregorian date to the Solar Hijri (Persian) calendar.
pub fn gregorian_to_persian(y: i32, m: u8, d: u8) -> Option<Ymd> {
    let g = Date::try_new_gregorian(y, m, d).ok()?;
    let p = g.to_calendar(Persian::new());
    Some((p.year().extended_year(), p.month().ordinal, p.day_of_month().0))
}

/// Days in a month of a calendar.
fn days_in_month(cal: Calendar, y: i32, m: u8) -> Option<u8> {
    match cal {
        Calendar::Gregorian => Some(gregorian_days_in_month(y, m)),
        Calendar::Islamic => Date::try_new_hijri_with_calendar(y, m, 1, Hijri::new_umm_al_qura()).ok().map(|d| d.days_in_month()),
        Calendar::Persian => Date::try_new_persian(y, m, 1).ok().map(|d| d.days_in_month()),
    }
}

fn gregorian_days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (for comparing dates).
fn day_number(y: i32, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y as i64 - 1 } else { y as i64 };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Converts a native date to Gregorian.
fn to_gregorian(cal: Calendar, y: i32, m: u8, d: u8) -> Option<Ymd> {
    match cal {
        Calendar::Gregorian => (m >= 1 && m <= 12 && d >= 1 && d <= gregorian_days_in_month(y, m)).then_some((y, m, d)),
        Calendar::Islamic => hijri_to_gregorian(y, m, d),
        Calendar::Persian => persian_to_gregorian(y, m, d),
    }
}

fn from_gregorian(cal: Calendar, (y, m, d): Ymd) -> Option<Ymd> {
    match cal {
        Calendar::Gregorian => Some((y, m, d)),
        Calendar::Islamic => gregorian_to_hijri(y, m, d),
        Calendar::Persian => gregorian_to_persian(y, m, d),
    }
}

// ------------------------------------------------------------------ document date

/// The document date used to complete dates without a year (ISO-8601, partial precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl DocDate {
    /// Parses "2015", "2015-07", "2015-07-21", "2015-07-21T02:51:32Z", "2015-07-21 02:51:32"
    /// (Arabic-Indic and Persian digits accepted). An unknown year ("XXXX-07-04") gives `None`.
    pub fn parse(s: &str) -> Option<DocDate> {
        let s: String = crate::text::normalize(s.trim());
        let date = s.split(['T', ' ']).next()?;
        let mut parts = date.split(['-', '/']);
        let y: i32 = parts.next()?.parse().ok()?;
        if !(1..=9999).contains(&y) {
            return None;
        }
        let m: Option<u8> = parts.next().and_then(|p| p.parse().ok()).filter(|m| (1..=12).contains(m));
        let d: Option<u8> = if m.is_some() { parts.next().and_then(|p| p.parse().ok()).filter(|d| (1..=31).contains(d)) } else { None };
        Some(DocDate { year: y, month: m, day: d })
    }

    fn ymd(&self) -> Ymd {
        (self.year, self.month.unwrap_or(7), self.day.unwrap_or(if self.month.is_some() { 15 } else { 1 }))
    }

    fn day_number(&self) -> i64 {
        let (y, m, d) = self.ymd();
        day_number(y, m, d.min(gregorian_days_in_month(y, m)))
    }
}

// ------------------------------------------------------------------ lexicons

#[derive(Debug, Clone, Copy)]
struct MonthEntry {
    cal: Calendar,
    month: u8,
    amb: bool,
    solo: bool,
    /// needs a year or "ماه" even after a day number
    cue: bool,
    lang: LangTag,
}

fn cal_of(s: &str) -> Calendar {
    match s {
        "islamic" => Calendar::Islamic,
        "persian" => Calendar::Persian,
        _ => Calendar::Gregorian,
    }
}

fn months() -> &'static PhraseTable<MonthEntry> {
    static T: OnceLock<PhraseTable<MonthEntry>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = PhraseTable::new();
        for r in rows(data::MONTHS) {
            let flags = r.get(3).copied().unwrap_or("");
            let e = MonthEntry {
                cal: cal_of(r[0]),
                month: r[1].parse().expect("months.tsv: month"),
                amb: flags.contains("amb"),
                solo: flags.contains("solo"),
                cue: flags.contains("cue"),
                lang: LangTag::parse(r.get(4).copied().unwrap_or("*")),
            };
            t.insert(r[2], e);
            // Persian months are often written with "ماه" attached: "خردادماه", "آذرماه"
            if e.cal == Calendar::Persian {
                t.insert(&format!("{}ماه", r[2]), MonthEntry { amb: false, ..e });
            }
            // two-word names written as one ("جمادی‎الثانی" with a bidi mark instead of a ZWNJ)
            let forms = crate::lexicon::phrase_forms(r[2]);
            if forms.len() > 1 {
                t.insert_forms(vec![forms.concat()], e);
            }
        }
        t
    })
}

fn eras() -> &'static PhraseTable<Calendar> {
    static T: OnceLock<PhraseTable<Calendar>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = PhraseTable::new();
        for r in rows(data::ERAS) {
            t.insert(r[0], cal_of(r[1]));
        }
        t
    })
}

/// True when `form` (normalised) starts a month name.
pub fn is_month_word(form: &str, _lang: Lang) -> bool {
    months().starts_with(form)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RelKind {
    Day,
    Weekday,
    Month,
    Year,
    PersianYear,
    Today,
}

#[derive(Debug, Clone, Copy)]
struct RelEntry {
    kind: RelKind,
    value: i32,
    lang: LangTag,
}

fn relatives() -> &'static PhraseTable<RelEntry> {
    static T: OnceLock<PhraseTable<RelEntry>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = PhraseTable::new();
        for r in rows(data::RELATIVE) {
            let kind = match r[1] {
                "day" => RelKind::Day,
                "weekday" => RelKind::Weekday,
                "month" => RelKind::Month,
                "year" => RelKind::Year,
                "pyear" => RelKind::PersianYear,
                "today" => RelKind::Today,
                other => panic!("relative.tsv: unknown kind {other:?}"),
            };
            t.insert(r[0], RelEntry { kind, value: r[2].parse().expect("relative.tsv: value"), lang: LangTag::parse(r.get(3).copied().unwrap_or("*")) });
        }
        t
    })
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01).
fn civil_from_days(z: i64) -> Ymd {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// Words announcing a year ("عام 2020", "سال 1388"), normalised.
const YEAR_CUES: &[&str] = &["عام", "العام", "سنه", "السنه", "سال", "عامي", "سنوات", "السنوات", "الاعوام", "اعوام", "سالهاي", "سالها", "سنتي"];
/// Words announcing a month ("شهر يوليو", "ماه می").
const MONTH_CUES: &[&str] = &["شهر", "ماه", "الشهر"];
/// Range separators between two days or years.
const RANGE_SEPS: &[&str] = &["-", "–", "—", "الي", "حتي", "لغايه", "تا", "الى"];
/// Words before a number that make it an identifier, not a year or a count.
pub(crate) const ID_CUES: &[&str] = &[
    "رقم", "رقمي", "القرار", "قرار", "الماده", "ماده", "الفقره", "البند", "بند", "العدد", "الصفحه", "صفحه", "الفصل", "فصل", "شماره", "كد", "كوب", "القانون", "المرسوم", "اصل", "تبصره", "الرقم",
    "قطعنامه", "القرارات",
    // Persian texts name years by two digits after these ("بودجه 83", "فتنه 88", "انتخابات 92")
    "بودجه", "فتنه", "انتخابات",
];

// ------------------------------------------------------------------ finding expressions

/// What was read, before resolution against the document date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Part {
    y: Option<i32>,
    m: Option<u8>,
    d: Option<u8>,
}

#[derive(Debug, Clone, Copy)]
struct Raw {
    start: usize,
    end: usize,
    cal: Calendar,
    from: Part,
    to: Option<Part>,
    /// day of a month given relative to the document date (0 = this month, -1 = last month)
    rel_month: Option<i32>,
    /// an ISO century ("18" for the 19th century)
    century: Option<i32>,
    /// an ISO decade ("195" for the 1950s)
    decade: Option<i32>,
    /// for a date without a year: 1 when said to be coming ("المقبل"), -1 when past ("الماضي")
    direction: i8,
}

struct Scanner<'a> {
    chars: &'a [char],
    tokens: &'a [Token],
    lang: Lang,
}

fn is_range_sep(form: &str) -> bool {
    RANGE_SEPS.contains(&form)
}

impl<'a> Scanner<'a> {
    fn norm(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.norm.as_str())
    }

    /// True when tokens i-1 and i are on the same line.
    fn same_line(&self, i: usize) -> bool {
        i > 0 && i < self.tokens.len() && !self.chars[self.tokens[i - 1].span.end as usize..self.tokens[i].span.start as usize].contains(&'\n')
    }

    /// True when tokens i-1 and i touch (no space between).
    fn touching(&self, i: usize) -> bool {
        i > 0 && i < self.tokens.len() && self.tokens[i - 1].span.end == self.tokens[i].span.start
    }

    fn plain_int(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tokens.get(i)?;
        if t.kind != TokenKind::Number || !t.norm.bytes().all(|b| b.is_ascii_digit()) || t.norm.len() > 4 {
            return None;
        }
        Some((t.norm.parse().ok()?, t.norm.len()))
    }

    /// A day number (1..31, digits) or a written ordinal day; returns (end, day).
    /// Returns (end, day, written in words, proclitic code points skipped).
    fn day_at(&self, i: usize) -> Option<(usize, u8, bool, u32)> {
        if let Some((v, len)) = self.plain_int(i) {
            return (len <= 2 && (1..=31).contains(&v)).then_some((i + 1, v as u8, false, 0));
        }
        // "الـ15"
        if self.norm(i) == "ال" && self.touching(i + 1) {
            if let Some((v, len)) = self.plain_int(i + 1) {
                return (len <= 2 && (1..=31).contains(&v)).then_some((i + 2, v as u8, false, 0));
            }
        }
        let m = ordinal_at(self.tokens, self.chars, i, self.lang)?;
        (m.value >= 1.0 && m.value <= 31.0 && m.value.fract() == 0.0).then_some((m.end, m.value as u8, true, m.skip))
    }

    /// A month name (with an optional alias in another family: "يونيو/حزيران", "يونيو (حزيران)").
    fn month_at(&self, i: usize) -> Option<(usize, MonthEntry)> {
        let t = self.tokens.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let lang = self.lang;
        let (end, e) = months().longest_where(&t.norm, self.tokens, i, |e| e.lang.allows(lang))?;
        let e = *e;
        // part of a ZWNJ compound ("می‌شود" is not May)
        if self.tokens.get(end).is_some_and(|n| n.joined && n.kind == TokenKind::Word) {
            return None;
        }
        // alias
        let mut end = end;
        // an alias written right after the month: "سبتمبر أيلول"
        if self.same_line(end) {
            if let Some((e2, m2)) = self.tokens.get(end).and_then(|t2| months().longest_where(&t2.norm, self.tokens, end, |x| x.lang.allows(lang))) {
                if m2.month == e.month && m2.cal == e.cal {
                    end = e2;
                }
            }
        }
        let sep = self.norm(end);
        if matches!(sep, "/" | "(" | "-" | "،" | ",") && self.same_line(end) {
            if let Some((e2, m2)) = self.tokens.get(end + 1).and_then(|t2| months().longest_where(&t2.norm, self.tokens, end + 1, |x| x.lang.allows(lang))) {
                if m2.month == e.month && m2.cal == e.cal {
                    end = e2;
                    if sep == "(" && self.norm(end) == ")" {
                        end += 1;
                    }
                }
            }
        }
        Some((end, e))
    }

    /// A year number with an optional cue before and era marker after.
    /// Returns (end, year, era, had_cue).
    fn year_at(&self, i: usize, cal: Option<Calendar>) -> Option<(usize, i32, Option<Calendar>, bool)> {
        let mut j = i;
        let mut cue = false;
        if let Some(t) = self.tokens.get(i) {
            if t.kind == TokenKind::Word && YEAR_CUES.iter().any(|c| t.norm.ends_with(c)) && t.readings(self.chars).iter().any(|r| YEAR_CUES.contains(&r.form.as_str())) {
                cue = true;
                j += 1;
            }
        }
        if cue && !self.same_line(j) {
            return None;
        }
        let (v, len) = self.plain_int(j)?;
        let mut y = v as i32;
        let fa_two_digit = len == 2 && self.lang != Lang::Ar && (cue || cal == Some(Calendar::Persian)) && self.norm(i) != "عام";
        if len == 2 && fa_two_digit {
            // "سال 87" = 1387, "بهمن ۹۸" = 1398, "سال ۰۲" = 1402; other two-digit numbers are not years
            y = match y {
                50..=99 => 1300 + y,
                0..=9 => 1400 + y,
                _ => return None,
            };
        } else if len < 3 {
            return None;
        }
        if len == 3 && !cue {
            return None;
        }
        let mut end = j + 1;
        let mut era = None;
        if self.same_line(end) {
            if let Some((e, c)) = eras().at(self.tokens, end) {
                era = Some(*c);
                end = e;
            }
        }
        if fa_two_digit {
            era = era.or(Some(Calendar::Persian));
        }
        Some((end, y, era, cue))
    }

    /// "المقبل"/"الماضي" after a date without a year: (direction, token after it).
    fn direction_at(&self, i: usize) -> (i8, usize) {
        if !self.same_line(i) {
            return (0, i);
        }
        match self.norm(i) {
            "المقبل" | "القادم" | "المقبله" | "القادمه" | "اينده" | "اتي" => (1, i + 1),
            "الماضي" | "المنصرم" | "الماضيه" | "المنصرمه" | "الفايت" | "الفايته" | "السابق" | "گذشته" => (-1, i + 1),
            _ => (0, i),
        }
    }

    fn span(&self, start_tok: usize, skip: u32, end_tok: usize) -> (usize, usize) {
        let s = self.tokens[start_tok].span.start as usize + skip as usize;
        let e = self.tokens[end_tok - 1].span.end as usize;
        (s, e)
    }

    /// Picks the calendar of a year from its era marker, its month and its size.
    fn year_calendar(&self, y: i32, era: Option<Calendar>, month_cal: Option<Calendar>) -> Option<Calendar> {
        if let Some(c) = month_cal {
            // a year after a month is in the month's calendar, whatever the marker says
            return match c {
                Calendar::Gregorian => (1000..=2200).contains(&y).then_some(c),
                _ => (1..=1700).contains(&y).then_some(c),
            };
        }
        match era {
            Some(Calendar::Gregorian) => (1..=2200).contains(&y).then_some(Calendar::Gregorian),
            Some(c) => (1..=1700).contains(&y).then_some(c),
            None => {
                if (1300..=1499).contains(&y) && self.lang == Lang::Fa {
                    Some(Calendar::Persian)
                } else if (1390..=1450).contains(&y) && self.lang == Lang::Ar {
                    // Saudi and Gulf papers often write the Hijri year without هـ: "لعام 1436"
                    Some(Calendar::Islamic)
                } else if (1000..=2200).contains(&y) {
                    Some(Calendar::Gregorian)
                } else {
                    None
                }
            }
        }
    }

    /// Words relative to the document date ("أمس", "الاثنين الماضي", "العام الماضي", "امسال");
    /// only with a document date that has a day (a year is enough for year words).
    fn try_relative(&self, i: usize, doc: &DocDate) -> Option<(TimeExpr, usize)> {
        let t = self.tokens.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let lang = self.lang;
        let mut found = None;
        let stripped = t.norm.strip_prefix(['و', 'ف']).unwrap_or("");
        if !relatives().starts_with(&t.norm) && !relatives().starts_with(stripped) {
            return None;
        }
        for r in t.readings(self.chars) {
            if !matches!(r.clitics.as_str(), "" | "و" | "ف") {
                continue;
            }
            if let Some((e, rel)) = relatives().longest_where(&r.form, self.tokens, i, |x| x.lang.allows(lang)) {
                found = Some((e, *rel, r.skip));
                break;
            }
        }
        let (mut end, rel, skip) = found?;
        let doc_day = doc.month.and(doc.day).map(|_| doc.day_number());
        let value = match rel.kind {
            RelKind::Day => fmt_g(civil_from_days(doc_day? + rel.value as i64)),
            RelKind::Today => {
                // "اليوم الاثنين", "اليوم (الاثنين)": today, named
                let mut k = end;
                if self.norm(k) == "(" {
                    k += 1;
                }
                let (e2, w) = relatives().at(self.tokens, k)?;
                if w.kind != RelKind::Weekday {
                    return None;
                }
                end = if self.norm(e2) == ")" { e2 + 1 } else { e2 };
                fmt_g(civil_from_days(doc_day?))
            }
            RelKind::Weekday => {
                let d = doc_day?;
                let doc_wd = (d + 4).rem_euclid(7) as i32; // 1970-01-01 was a Thursday
                let next = matches!(self.norm(end), "المقبل" | "القادم" | "المقبله" | "القادمه" | "اينده" | "بعد");
                let past = matches!(self.norm(end), "الماضي" | "الفايت" | "المنصرم" | "الماضيه" | "الفايته" | "المنصرمه" | "گذشته" | "قبل");
                let delta = if next {
                    end += 1;
                    let x = (rel.value - doc_wd).rem_euclid(7);
                    if x == 0 { 7 } else { x }
                } else {
                    if past {
                        end += 1;
                    }
                    let x = (doc_wd - rel.value).rem_euclid(7);
                    -(if past && x == 0 { 7 } else { x })
                };
                fmt_g(civil_from_days(d + delta as i64))
            }
            RelKind::Month => {
                let m0 = doc.month? as i32 - 1 + rel.value;
                let y = doc.year + m0.div_euclid(12);
                fmt_ymd(y, Some(m0.rem_euclid(12) as u8 + 1), None)
            }
            RelKind::Year => fmt_ymd(doc.year + rel.value, None, None),
            RelKind::PersianYear => {
                let (py, _, _) = gregorian_to_persian(doc.year, doc.month?, doc.day.unwrap_or(15))?;
                let (a, b) = native_bounds(Calendar::Persian, py + rel.value, None)?;
                let v = format!("{}/{}", fmt_g(a), fmt_g(b));
                let (s, en) = self.span(i, skip, end);
                return Some((TimeExpr { span: Span::new(s, en), value: v, calendar: Calendar::Persian, native_value: Some(fmt_ymd(py + rel.value, None, None)), anchored: true }, end));
            }
        };
        let (s, en) = self.span(i, skip, end);
        Some((TimeExpr { span: Span::new(s, en), value, calendar: Calendar::Gregorian, native_value: None, anchored: true }, end))
    }

    /// day [sep day] [من] [شهر] month [year] | day من الشهر الجاري
    fn try_date(&self, i: usize) -> Option<(Raw, usize)> {
        let (mut j, d1, d1_words, skip) = self.day_at(i)?;
        let mut d2 = None;
        // second day of a range or list
        if self.same_line(j) {
            let sep = self.norm(j).to_string();
            if is_range_sep(&sep) || matches!(sep.as_str(), "،" | "," | "و") {
                if let Some((e, d, _, _)) = self.day_at(j + 1).filter(|_| self.same_line(j + 1)) {
                    if d > d1 {
                        d2 = Some(d);
                        j = e;
                    }
                }
            } else if let Some(t) = self.tokens.get(j) {
                // "و21" written together
                if t.norm == "و" && self.touching(j + 1) {
                    if let Some((e, d, _, _)) = self.day_at(j + 1) {
                        if d > d1 {
                            d2 = Some(d);
                            j = e;
                        }
                    }
                }
            }
        }
        if !self.same_line(j) {
            return None;
        }
        let mut k = j;
        if matches!(self.norm(k), "من") {
            k += 1;
        }
        if MONTH_CUES.contains(&self.norm(k)) && self.month_at(k + 1).is_some() {
            k += 1;
        }
        if let Some((mut e, me)) = self.month_at(k) {
            if me.cue && !(k > 0 && MONTH_CUES.contains(&self.norm(k - 1))) && self.year_at(e, Some(me.cal)).is_none() {
                return None; // "4 می" is usually "4 will…": Persian May needs "ماه" or a year
            }
            if d1_words && me.amb && me.cal != Calendar::Islamic && self.lang == Lang::Ar && !matches!(self.norm(j), "من") {
                // "الثالث مارس" is not a date; ordinals need "من" before an ambiguous month
                return None;
            }
            let mut year = None;
            let mut cal = me.cal;
            if self.same_line(e) {
                // "الجاري"/"الحالي" after a Hijri month: this year
                if let Some((ye, y, era, _)) = self.year_at(e, Some(me.cal)) {
                    if let Some(c) = self.year_calendar(y, era, Some(me.cal)) {
                        cal = c;
                        year = Some(y);
                        e = ye;
                    }
                } else if matches!(self.norm(e), "الجاري" | "الحالي" | "جاري" | "جاري.") {
                    e += 1;
                }
            }
            let mut direction = 0;
            if year.is_none() {
                (direction, e) = self.direction_at(e);
            }
            let from = Part { y: year, m: Some(me.month), d: Some(d1) };
            let to = d2.map(|d| Part { y: year, m: Some(me.month), d: Some(d) });
            let (s, en) = self.span(i, skip, e);
            return Some((Raw { start: s, end: en, cal, from, to, rel_month: None, century: None, decade: None, direction }, e));
        }
        // relative month: "الثالث عشر من الشهر الجاري", "۱۵ ماه جاری"
        let (a, b) = (self.norm(k), self.norm(k + 1));
        let rel = match (a, b) {
            ("الشهر", "الجاري" | "الحالي") | ("هذا", "الشهر") | ("ماه", "جاري") => Some(0),
            // (Persian "2 ماه بعد" is "two months later", so only "ماه جاری" is read)
            ("الشهر", "الماضي" | "المنصرم" | "السابق") => Some(-1),
            ("الشهر", "المقبل" | "القادم") => Some(1),
            _ => None,
        };
        if let Some(r) = rel {
            if k == j && a != "ماه" {
                return None; // "من" is needed in Arabic: "الثالث عشر من الشهر الجاري"
            }
            let e = k + 2;
            let (s, en) = self.span(i, skip, e);
            let from = Part { y: None, m: None, d: Some(d1) };
            let to = d2.map(|d| Part { y: None, m: None, d: Some(d) });
            return Some((Raw { start: s, end: en, cal: Calendar::Gregorian, from, to, rel_month: Some(r), century: None, decade: None, direction: 0 }, e));
        }
        None
    }

    /// [شهر|ماه] month year  |  month alone for unambiguous Gregorian/Persian names
    fn try_month(&self, i: usize) -> Option<(Raw, usize)> {
        let mut k = i;
        let cue = MONTH_CUES.contains(&self.norm(i));
        if cue {
            k += 1;
        }
        let (e, me) = self.month_at(k)?;
        if !self.same_line(k) && cue {
            return None;
        }
        let mut end = e;
        let mut year = None;
        let mut cal = me.cal;
        if self.same_line(e) {
            if let Some((ye, y, era, _)) = self.year_at(e, Some(me.cal)) {
                if let Some(c) = self.year_calendar(y, era, Some(me.cal)) {
                    year = Some(y);
                    cal = c;
                    end = ye;
                }
            }
        }
        // "من يناير (كانون الثاني) حتى يونيو 2015": the first month takes the year of the second
        if year.is_none() && self.same_line(e) && (is_range_sep(self.norm(e)) || self.norm(e) == "و") && self.same_line(e + 1) {
            if let Some((e2, me2)) = self.month_at(e + 1).filter(|(_, m2)| m2.cal == me.cal) {
                if let Some((ye, y2, era, _)) = self.year_at(e2, Some(me.cal)).filter(|_| self.same_line(e2)) {
                    if let Some(c) = self.year_calendar(y2, era, Some(me.cal)) {
                        let y1 = if me.month <= me2.month { y2 } else { y2 - 1 };
                        let start_tok = if cue { i } else { k };
                        let (s, en) = self.span(start_tok, 0, ye);
                        let from = Part { y: Some(y1), m: Some(me.month), d: None };
                        let to = Some(Part { y: Some(y2), m: Some(me2.month), d: None });
                        return Some((Raw { start: s, end: en, cal: c, from, to, rel_month: None, century: None, decade: None, direction: 0 }, ye));
                    }
                }
            }
        }
        let mut direction = 0;
        if year.is_none() {
            (direction, end) = self.direction_at(end);
            let standalone_ok = match me.cal {
                Calendar::Gregorian => (me.solo && !me.amb) || (cue && !me.amb),
                Calendar::Persian => self.lang == Lang::Fa && ((me.solo && !me.amb) || cue),
                Calendar::Islamic => false,
            };
            if !standalone_ok {
                return None;
            }
            // "شهر" alone before a month name in a title like "مارس" is not enough for ambiguous names
        }
        let start_tok = if cue { i } else { k };
        let (s, en) = self.span(start_tok, 0, end);
        Some((Raw { start: s, end: en, cal, from: Part { y: year, m: Some(me.month), d: None }, to: None, rel_month: None, century: None, decade: None, direction }, end))
    }

    /// Numeric dates: 2020/07/04, 04/07/2020, 1385/03/29, 2015-07-21, 04.07.2020
    fn try_numeric(&self, i: usize) -> Option<(Raw, usize)> {
        let t = self.tokens.get(i)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        let (parts, end): (Vec<String>, usize) = if t.norm.matches('.').count() == 2 && !t.norm.contains(',') {
            (t.norm.split('.').map(str::to_string).collect(), i + 1)
        } else {
            let sep = self.norm(i + 1);
            if !matches!(sep, "/" | "-") || i + 4 >= self.tokens.len() {
                return None;
            }
            // separators touch the numbers, or are spaced evenly on one line ("26 /10 /1436هـ")
            let tight = (1..=4).all(|k| self.touching(i + k));
            let spaced = (1..=4).all(|k| self.same_line(i + k) && self.tokens[i + k].span.start - self.tokens[i + k - 1].span.end <= 1);
            if self.norm(i + 3) != sep || !(tight || spaced) {
                return None;
            }
            let ps: Vec<String> = [i, i + 2, i + 4].iter().map(|&k| self.norm(k).to_string()).collect();
            if ![i + 2, i + 4].iter().all(|&k| self.tokens[k].kind == TokenKind::Number) {
                return None;
            }
            // not part of a longer identifier ("2/11/2005/3")
            if self.touching(i + 5) && matches!(self.norm(i + 5), "/" | "-") {
                return None;
            }
            (ps, i + 5)
        };
        if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        if i > 0 && self.touching(i) && matches!(self.norm(i - 1), "/" | "-" | ".") {
            return None;
        }
        let n: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
        let (y, m, d) = if parts[0].len() == 4 {
            (n[0] as i32, n[1], n[2])
        } else if parts[2].len() == 4 {
            (n[2] as i32, n[1], n[0])
        } else {
            return None;
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let cal = if (1300..=1499).contains(&y) && self.lang != Lang::Ar {
            Calendar::Persian
        } else if (1300..=1499).contains(&y) {
            Calendar::Islamic
        } else if (1800..=2200).contains(&y) {
            Calendar::Gregorian
        } else {
            return None;
        };
        let mut end = end;
        if let Some((e, _)) = eras().at(self.tokens, end).filter(|_| self.same_line(end)) {
            end = e;
        }
        let (s, en) = self.span(i, 0, end);
        Some((Raw { start: s, end: en, cal, from: Part { y: Some(y), m: Some(m as u8), d: Some(d as u8) }, to: None, rel_month: None, century: None, decade: None, direction: 0 }, end))
    }

    /// "القرن التاسع عشر", "القرن الـ21", "قرن بیستم"
    fn try_century(&self, i: usize) -> Option<(Raw, usize)> {
        let t = self.tokens.get(i)?;
        if t.kind != TokenKind::Word || !(t.norm.ends_with("قرن") || t.norm.ends_with("سده")) || !t.readings(self.chars).iter().any(|r| matches!(r.form.as_str(), "القرن" | "قرن" | "سده")) {
            return None;
        }
        let skip = t.readings(self.chars).iter().find(|r| matches!(r.form.as_str(), "القرن" | "قرن" | "سده")).map_or(0, |r| r.skip);
        let j = i + 1;
        if !self.same_line(j) {
            return None;
        }
        let (n, e) = if self.norm(j) == "ال" && self.touching(j + 1) {
            let (v, _) = self.plain_int(j + 1)?;
            (v as i32, j + 2)
        } else if let Some((v, len)) = self.plain_int(j) {
            if len > 2 {
                return None;
            }
            (v as i32, j + 1)
        } else {
            let m = ordinal_at(self.tokens, self.chars, j, self.lang)?;
            (m.value as i32, m.end)
        };
        if !(1..=22).contains(&n) {
            return None;
        }
        // a Hijri century is not converted
        if matches!(self.norm(e), "الهجري" | "هجري" | "قمري") {
            return None;
        }
        let mut end = e;
        if matches!(self.norm(e), "الميلادي" | "ميلادي") {
            end += 1;
        }
        let (s, en) = self.span(i, skip, end);
        Some((Raw { start: s, end: en, cal: Calendar::Gregorian, from: Part::default(), to: None, rel_month: None, century: Some(n - 1), decade: None, direction: 0 }, end))
    }

    /// Decades: "الخمسينيات", "ثمانينيات القرن الماضي", "سال‌های 1950", "دهه 1990", "دهه ۹۰".
    fn try_decade(&self, i: usize) -> Option<(Raw, usize)> {
        let t = self.tokens.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let mk = |s: usize, skip: u32, e: usize, decade: i32, this: &Self| {
            let (a, b) = this.span(s, skip, e);
            Some((Raw { start: a, end: b, cal: Calendar::Gregorian, from: Part::default(), to: None, rel_month: None, century: None, decade: Some(decade), direction: 0 }, e))
        };
        // Arabic: tens + يات/ات
        if t.norm.ends_with("ات") {
            for r in t.readings(self.chars) {
                let f = r.form.strip_prefix("ال").unwrap_or(&r.form);
                let stem = f.strip_suffix("ينيات").or_else(|| f.strip_suffix("ينات"));
                let Some(stem) = stem else { continue };
                let n = match stem {
                    "عشر" => 2,
                    "ثلاث" => 3,
                    "اربع" => 4,
                    "خمس" => 5,
                    "ست" => 6,
                    "سبع" => 7,
                    "ثمان" => 8,
                    "تسع" => 9,
                    _ => continue,
                };
                // "… من القرن التاسع عشر": another century than the 20th
                let mut e = i + 1;
                let mut century = 20;
                let k = if self.norm(e) == "من" { e + 1 } else { e };
                if self.same_line(k) && self.norm(k) == "القرن" {
                    if let Some(m) = ordinal_at(self.tokens, self.chars, k + 1, Lang::Ar) {
                        century = m.value as i32;
                        e = m.end;
                    } else if matches!(self.norm(k + 1), "الماضي" | "المنصرم") {
                        e = k + 2;
                    }
                }
                return mk(i, r.skip, e, (century - 1) * 10 + n, self);
            }
            return None;
        }
        // Persian: "سال‌های 1950", "دهه 1990", "دهه ۹۰" (the Solar 1390s)
        let num_tok = if t.norm == "سال" && self.norm(i + 1) == "هاي" && self.tokens[i + 1].joined {
            i + 2
        } else if matches!(t.norm.as_str(), "سالهاي" | "دهه") {
            i + 1
        } else {
            return None;
        };
        let (v, len) = self.plain_int(num_tok).filter(|_| self.same_line(num_tok))?;
        if len == 4 && v % 10 == 0 && (1000..=2090).contains(&v) {
            let mut e = num_tok + 1;
            if matches!(self.norm(e), "ميلادي") {
                e += 1;
            }
            return mk(i, 0, e, v as i32 / 10, self);
        }
        if len == 2 && v % 10 == 0 && t.norm == "دهه" {
            let mut e = num_tok + 1;
            if matches!(self.norm(e), "ميلادي") {
                return mk(i, 0, e + 1, 190 + v as i32 / 10, self);
            }
            if self.norm(e) == "شمسي" {
                e += 1;
            }
            // Solar decade 13v0..13v9
            let y = 1300 + v as i32;
            let (s0, s1) = self.span(i, 0, e);
            let raw = Raw { start: s0, end: s1, cal: Calendar::Persian, from: Part { y: Some(y), m: None, d: None }, to: Some(Part { y: Some(y + 9), m: None, d: None }), rel_month: None, century: None, decade: None, direction: 0 };
            return Some((raw, e));
        }
        None
    }

    /// A year with a cue or era marker, a bare plausible year, or a year range.
    fn try_year(&self, i: usize, is_unit_after: &dyn Fn(usize) -> bool) -> Option<(Raw, usize)> {
        let (e, y, era, cue) = self.year_at(i, None)?;
        let num_tok = if cue { i + 1 } else { i };
        let cal = self.year_calendar(y, era, None)?;
        let skip = if cue { self.tokens[i].readings(self.chars).iter().find(|r| YEAR_CUES.contains(&r.form.as_str())).map_or(0, |r| r.skip) } else { 0 };
        // bare years must look like years
        if !cue && era.is_none() {
            let plausible = match cal {
                Calendar::Gregorian => (1900..=2100).contains(&y),
                Calendar::Persian => (1300..=1450).contains(&y),
                Calendar::Islamic => false,
            };
            if !plausible || self.tokens[num_tok].norm.len() != 4 {
                return None;
            }
            if num_tok > 0 {
                let prev = self.tokens[num_tok - 1].norm.as_str();
                let prev_kind = self.tokens[num_tok - 1].kind;
                if ID_CUES.contains(&prev) || prev_kind == TokenKind::Latin || (self.touching(num_tok) && matches!(prev, "/" | "-" | "." | "#" | "_" | ":")) || prev == "#" {
                    return None;
                }
            }
            if self.touching(e) && matches!(self.norm(e), "/" | "-" | "." | ":") && self.tokens.get(e + 1).is_some_and(|t| t.kind != TokenKind::Punct) {
                // part of an identifier or a time ("2007/POL", "12:30"), but not a year range
                // ("1948-1953") or an academic or fiscal year ("2014/2015")
                let next_year = self.plain_int(e + 1).filter(|(_, l)| *l == 4).map(|(v, _)| v as i32);
                let range = match self.norm(e) {
                    "-" => next_year.is_some_and(|y2| y2 > y),
                    "/" => next_year == Some(y + 1),
                    _ => false,
                };
                if !range {
                    return None;
                }
            }
            if is_unit_after(e) {
                return None;
            }
        }
        if cue && era.is_none() && !(1000..=2200).contains(&y) && cal == Calendar::Gregorian {
            return None;
        }
        // range: "1948-1953", "1992 إلى 1994"
        let mut end = e;
        let mut to = None;
        if self.same_line(e) && (is_range_sep(self.norm(e)) || (self.norm(e) == "/" && self.touching(e) && self.touching(e + 1))) {
            if let Some((e2, y2, era2, _)) = self.year_at(e + 1, Some(cal)).filter(|_| self.same_line(e + 1)) {
                if y2 > y && y2 - y <= 200 && self.year_calendar(y2, era2.or(era), None) == Some(cal) {
                    to = Some(Part { y: Some(y2), m: None, d: None });
                    end = e2;
                }
            }
        }
        let (s, en) = self.span(i, skip, end);
        Some((Raw { start: s, end: en, cal, from: Part { y: Some(y), m: None, d: None }, to, rel_month: None, century: None, decade: None, direction: 0 }, end))
    }
}

// ------------------------------------------------------------------ resolution

fn fmt_ymd(y: i32, m: Option<u8>, d: Option<u8>) -> String {
    let ys = if y >= 0 { format!("{y:04}") } else { format!("-{:04}", -y) };
    match (m, d) {
        (Some(m), Some(d)) => format!("{ys}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{ys}-{m:02}"),
        _ => ys,
    }
}

fn fmt_part(p: Part) -> String {
    match p.y {
        Some(y) => fmt_ymd(y, p.m, p.d),
        None => {
            let mut s = "XXXX".to_string();
            match (p.m, p.d) {
                (Some(m), Some(d)) => s += &format!("-{m:02}-{d:02}"),
                (Some(m), None) => s += &format!("-{m:02}"),
                (None, Some(d)) => s += &format!("-XX-{d:02}"),
                (None, None) => {}
            }
            s
        }
    }
}

/// The year that puts native month/day `m`/`d` closest to the document date.
/// How far ahead of the document date an unqualified date without a year may lie; beyond it
/// the past occurrence is taken (news mostly reports what happened).
const FUTURE_WINDOW_DAYS: i64 = 120;

/// The year that puts native month/day `m`/`d` closest to the document date: in the future
/// for `direction` 1, in the past for -1, otherwise the nearest occurrence, one lying more than
/// [`FUTURE_WINDOW_DAYS`] ahead counting as far.
fn nearest_year(cal: Calendar, doc: &DocDate, m: u8, d: Option<u8>, direction: i8) -> Option<i32> {
    let doc_n = doc.day_number();
    let native_doc = from_gregorian(cal, doc.ymd())?;
    if doc.month.is_none() && cal == Calendar::Gregorian {
        return Some(doc.year);
    }
    let mut best: Option<(i64, i32)> = None;
    for y in [native_doc.0 - 1, native_doc.0, native_doc.0 + 1] {
        let day = d.unwrap_or(15).min(days_in_month(cal, y, m).unwrap_or(28));
        if let Some((gy, gm, gd)) = to_gregorian(cal, y, m, day) {
            let diff = day_number(gy, gm, gd) - doc_n;
            let cost = match direction {
                1 if diff < -15 => continue,
                -1 if diff > 15 => continue,
                0 if diff > FUTURE_WINDOW_DAYS => diff + 10_000,
                _ => diff.abs(),
            };
            if best.is_none_or(|(b, _)| cost < b) {
                best = Some((cost, y));
            }
        }
    }
    best.map(|(_, y)| y)
}

/// Gregorian range of a native month or year: (first day, last day).
fn native_bounds(cal: Calendar, y: i32, m: Option<u8>) -> Option<(Ymd, Ymd)> {
    let (m1, m2) = match m {
        Some(m) => (m, m),
        None => (1, 12),
    };
    let last = days_in_month(cal, y, m2)?;
    Some((to_gregorian(cal, y, m1, 1)?, to_gregorian(cal, y, m2, last)?))
}

fn fmt_g((y, m, d): Ymd) -> String {
    fmt_ymd(y, Some(m), Some(d))
}

/// Value, native value and whether the document date was used.
fn resolve(raw: &Raw, doc: Option<&DocDate>) -> Option<(String, Option<String>, bool)> {
    if let Some(c) = raw.century {
        return Some((format!("{c:02}"), None, false));
    }
    if let Some(d) = raw.decade {
        return Some((format!("{d:03}"), None, false));
    }
    let mut from = raw.from;
    let mut to = raw.to;
    if let Some(t) = to.as_mut() {
        // "5-6 ديسمبر 1994": the first day takes month and year from the second
        from.m = from.m.or(t.m);
        from.y = from.y.or(t.y);
        t.y = t.y.or(from.y);
    }
    let mut anchored = false;
    if let Some(off) = raw.rel_month {
        let Some(doc) = doc.filter(|d| d.month.is_some()) else {
            return Some((join(fmt_part(from), to.map(fmt_part)), None, false));
        };
        let mut y = doc.year;
        let mut m = doc.month.unwrap() as i32 + off;
        if m < 1 {
            m += 12;
            y -= 1;
        } else if m > 12 {
            m -= 12;
            y += 1;
        }
        from.y = Some(y);
        from.m = Some(m as u8);
        if let Some(t) = to.as_mut() {
            t.y = Some(y);
            t.m = Some(m as u8);
        }
        anchored = true;
    }
    if from.y.is_none() {
        if let (Some(doc), Some(m)) = (doc, from.m) {
            let y = nearest_year(raw.cal, doc, m, from.d, raw.direction)?;
            from.y = Some(y);
            if let Some(t) = to.as_mut() {
                t.y = Some(if t.m < from.m { y + 1 } else { y });
            }
            anchored = true;
        }
    }
    match raw.cal {
        Calendar::Gregorian => {
            for p in std::iter::once(&from).chain(to.iter()) {
                if let (Some(m), Some(d)) = (p.m, p.d) {
                    let dim = p.y.map_or(if m == 2 { 29 } else { gregorian_days_in_month(2000, m) }, |y| gregorian_days_in_month(y, m));
                    if d == 0 || d > dim {
                        return None;
                    }
                }
            }
            Some((join(fmt_part(from), to.map(fmt_part)), None, anchored))
        }
        cal => {
            let native = join(fmt_part(from), to.map(fmt_part));
            let Some(y) = from.y else {
                // year unknown: the Gregorian date is unknown too
                let v = match (from.m, from.d) {
                    (_, Some(_)) => "XXXX-XX-XX",
                    (Some(_), None) => "XXXX-XX",
                    _ => "XXXX",
                };
                let v = if to.is_some() { format!("{v}/{v}") } else { v.to_string() };
                return Some((v, Some(native), false));
            };
            let value = match (from.m, from.d) {
                (Some(m), Some(d)) => {
                    let a = to_gregorian(cal, y, m, d)?;
                    match to {
                        Some(t) => {
                            let b = to_gregorian(cal, t.y.unwrap_or(y), t.m.unwrap_or(m), t.d?)?;
                            format!("{}/{}", fmt_g(a), fmt_g(b))
                        }
                        None => fmt_g(a),
                    }
                }
                (m, None) => {
                    let (a, _) = native_bounds(cal, y, m)?;
                    let last_y = to.and_then(|t| t.y).unwrap_or(y);
                    let last_m = to.and_then(|t| t.m).or(m);
                    let (_, b) = native_bounds(cal, last_y, last_m)?;
                    format!("{}/{}", fmt_g(a), fmt_g(b))
                }
                (None, Some(_)) => return None,
            };
            Some((value, Some(native), anchored))
        }
    }
}

fn join(a: String, b: Option<String>) -> String {
    match b {
        Some(b) => format!("{a}/{b}"),
        None => a,
    }
}

// ------------------------------------------------------------------ entry points

/// Finds the time expressions of a text. `is_unit_after(i)` says whether token `i` is a unit,
/// currency or counted noun (then a bare 4-digit number before it is a quantity, not a year).
pub fn find_times_with(chars: &[char], tokens: &[Token], lang: Lang, doc: Option<&DocDate>, is_unit_after: &dyn Fn(usize) -> bool) -> Vec<TimeExpr> {
    let sc = Scanner { chars, tokens, lang };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let candidate = matches!(t.kind, TokenKind::Number | TokenKind::Word);
        let found = if !candidate {
            None
        } else {
            sc.try_numeric(i)
                .or_else(|| sc.try_date(i))
                .or_else(|| sc.try_month(i))
                .or_else(|| sc.try_century(i))
                .or_else(|| sc.try_decade(i))
                .or_else(|| sc.try_year(i, is_unit_after))
        };
        match found {
            Some((raw, next)) => {
                if let Some((value, native_value, anchored)) = resolve(&raw, doc) {
                    out.push(TimeExpr { span: Span::new(raw.start, raw.end), value, calendar: raw.cal, native_value, anchored });
                }
                i = next.max(i + 1);
            }
            None => match doc.filter(|_| t.kind == TokenKind::Word).and_then(|d| sc.try_relative(i, d)) {
                Some((te, next)) => {
                    out.push(te);
                    i = next.max(i + 1);
                }
                None => i += 1,
            },
        }
    }
    out
}

/// [`find_times_with`] using the quantity lexicons to tell "2000 شخص" from "2000".
pub fn find_times(chars: &[char], tokens: &[Token], lang: Lang, doc: Option<&DocDate>) -> Vec<TimeExpr> {
    let unit_after = |i: usize| crate::quantity::is_unit_at(tokens, chars, i, lang);
    find_times_with(chars, tokens, lang, doc, &unit_after)
}

/// A date (day and month, optionally year) starting exactly at token `i`, unanchored; used for
/// datelines. Returns the token after it and the expression.
pub fn date_at(chars: &[char], tokens: &[Token], i: usize, lang: Lang) -> Option<(usize, TimeExpr)> {
    let sc = Scanner { chars, tokens, lang };
    let (raw, next) = sc.try_date(i).or_else(|| sc.try_numeric(i))?;
    let (value, native_value, anchored) = resolve(&raw, None)?;
    Some((next, TimeExpr { span: Span::new(raw.start, raw.end), value, calendar: raw.cal, native_value, anchored }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::token::tokenize;

    fn times(s: &str, lang: Lang, doc: Option<&str>) -> Vec<(String, String, Calendar, Option<String>)> {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        let d = doc.and_then(DocDate::parse);
        find_times(&c, &t, lang, d.as_ref())
            .into_iter()
            .map(|x| (x.span.text(&c), x.value, x.calendar, x.native_value))
            .collect()
    }

    fn values(s: &str, lang: Lang, doc: Option<&str>) -> Vec<String> {
        times(s, lang, doc).into_iter().map(|x| x.1).collect()
    }

    // Independent references: the Umm al-Qura tables published by KACST (as reproduced on
    // ummulqura.org.sa and in standard conversion tables) and the Iranian calendar (Solar Hijri).
    #[test]
    fn umm_al_qura_conversions() {
        // 19 June 2006 = 23 Jumada al-Ula 1427 (Umm al-Qura)
        assert_eq!(hijri_to_gregorian(1427, 5, 23), Some((2006, 6, 19)));
        assert_eq!(gregorian_to_hijri(2006, 6, 19), Some((1427, 5, 23)));
        // 1 Muharram 1420 = 17 April 1999
        assert_eq!(hijri_to_gregorian(1420, 1, 1), Some((1999, 4, 17)));
        // 1 Ramadan 1436 = 18 June 2015 (Umm al-Qura)
        assert_eq!(hijri_to_gregorian(1436, 9, 1), Some((2015, 6, 18)));
        // 1 Shawwal 1436 (Eid al-Fitr) = 17 July 2015
        assert_eq!(hijri_to_gregorian(1436, 10, 1), Some((2015, 7, 17)));
        // 1 Muharram 1445 = 19 July 2023
        assert_eq!(hijri_to_gregorian(1445, 1, 1), Some((2023, 7, 19)));
        // invalid day
        assert_eq!(hijri_to_gregorian(1427, 5, 31), None);
    }

    #[test]
    fn persian_conversions() {
        // 29 Khordad 1385 = 19 June 2006
        assert_eq!(persian_to_gregorian(1385, 3, 29), Some((2006, 6, 19)));
        assert_eq!(gregorian_to_persian(2006, 6, 19), Some((1385, 3, 29)));
        // Nowruz: 1 Farvardin 1399 = 20 March 2020; 1 Farvardin 1403 = 20 March 2024; 1 Farvardin 1402 = 21 March 2023
        assert_eq!(persian_to_gregorian(1399, 1, 1), Some((2020, 3, 20)));
        assert_eq!(persian_to_gregorian(1403, 1, 1), Some((2024, 3, 20)));
        assert_eq!(persian_to_gregorian(1402, 1, 1), Some((2023, 3, 21)));
        // 22 Bahman 1357 = 11 February 1979
        assert_eq!(persian_to_gregorian(1357, 11, 22), Some((1979, 2, 11)));
    }

    #[test]
    fn gregorian_month_families() {
        assert_eq!(values("في 19 يونيو 2006", Lang::Ar, None), ["2006-06-19"]);
        assert_eq!(values("في 19 حزيران 2006", Lang::Ar, None), ["2006-06-19"]);
        assert_eq!(values("في 19 جوان 2006", Lang::Ar, None), ["2006-06-19"]);
        assert_eq!(values("في 19 يونيو/حزيران 2006", Lang::Ar, None), ["2006-06-19"]);
        assert_eq!(values("في 3 كانون الثاني 2015", Lang::Ar, None), ["2015-01-03"]);
        assert_eq!(values("في 1 تشرين الأول 2015", Lang::Ar, None), ["2015-10-01"]);
        assert_eq!(values("في 14 آب 2015", Lang::Ar, None), ["2015-08-14"]);
        assert_eq!(values("في 5 أفريل 2015", Lang::Ar, None), ["2015-04-05"]);
        assert_eq!(values("في 20 يوليوز 2015", Lang::Ar, None), ["2015-07-20"]);
        assert_eq!(values("في 3 شتنبر 2015", Lang::Ar, None), ["2015-09-03"]);
        assert_eq!(values("في 3 غشت 2015", Lang::Ar, None), ["2015-08-03"]);
        assert_eq!(values("في 1 جانفي 2015", Lang::Ar, None), ["2015-01-01"]);
        assert_eq!(values("روز ۱۲ دسامبر ۲۰۱۵", Lang::Fa, None), ["2015-12-12"]);
        assert_eq!(values("در ژانویه 2011 به", Lang::Fa, None), ["2011-01"]);
        assert_eq!(values("روز 19 ژوئن 2006", Lang::Fa, None), ["2006-06-19"]);
        assert_eq!(values("در ماه می سال 1994 میلادی", Lang::Fa, None), ["1994-05"]);
        assert_eq!(values("في 17 أكتوبر عام 2020، حيث", Lang::Ar, None), ["2020-10-17"]);
        assert_eq!(values("الذي بدأ في فبراير 1992", Lang::Ar, None), ["1992-02"]);
        assert_eq!(values("في 2006م", Lang::Ar, None), ["2006"]);
    }

    #[test]
    fn ranges() {
        assert_eq!(values("في 5-6 ديسمبر 1994، وفي", Lang::Ar, None), ["1994-12-05/1994-12-06"]);
        assert_eq!(values("في الفترة من 8 إلى 10 يوليو 1992 في", Lang::Ar, None), ["1992-07-08/1992-07-10"]);
        assert_eq!(values("في الفترة من 18 إلى 19 نوفمبر 1999.", Lang::Ar, None), ["1999-11-18/1999-11-19"]);
        assert_eq!(values("يومي 13، 14 ديسمبر 1994", Lang::Ar, None), ["1994-12-13/1994-12-14"]);
        assert_eq!(values("في سنوات 1948-1953", Lang::Ar, None), ["1948/1953"]);
        assert_eq!(values("للعام الجامعي 2014/2015م", Lang::Ar, None), ["2014/2015"]);
        assert_eq!(values("و 2 ماه بعد وجه را بگيرند", Lang::Fa, None), Vec::<String>::new());
        assert_eq!(values("في 27-28 فبراير، نوقش", Lang::Ar, None), ["XXXX-02-27/XXXX-02-28"]);
    }

    #[test]
    fn hijri_dates() {
        let t = times("في 23 جمادى الأولى 1427 هـ / 19 يونيو 2006م، أصدر", Lang::Ar, None);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[0].0, "23 جمادى الأولى 1427 هـ");
        assert_eq!((t[0].1.as_str(), t[0].2, t[0].3.as_deref()), ("2006-06-19", Calendar::Islamic, Some("1427-05-23")));
        assert_eq!(t[1].0, "19 يونيو 2006م");
        assert_eq!((t[1].1.as_str(), t[1].2), ("2006-06-19", Calendar::Gregorian));
        let t = times("يومي 5، 6 ذي القعدة 1426 هـ/ 7، 8 ديسمبر 2005 م", Lang::Ar, None);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[0].3.as_deref(), Some("1426-11-05/1426-11-06"));
        assert_eq!(t[0].1, "2005-12-07/2005-12-08");
        assert_eq!(t[1].1, "2005-12-07/2005-12-08");
        let t = times("القريات 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس", Lang::Ar, None);
        assert_eq!(t[0].1, "2015-08-11");
        assert_eq!(t[1].1, "2015-08-11");
        // a Hijri year alone is the range of its days
        assert_eq!(values("عام 1427 هـ", Lang::Ar, None), ["2006-01-31/2007-01-19"]);
        // without the marker in Arabic text, a year in the current Hijri centuries is Hijri
        let t = times("معلنة بدء الموسم لعام 1436، في حين", Lang::Ar, None);
        assert_eq!((t[0].1.as_str(), t[0].2), ("2014-10-25/2015-10-13", Calendar::Islamic));
        assert_eq!(values("فتح القسطنطينية عام 1453", Lang::Ar, None), ["1453"]);
    }

    #[test]
    fn persian_dates() {
        let t = times("روز ۲۹ خرداد ۱۳۸۵ در تهران", Lang::Fa, None);
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!((t[0].0.as_str(), t[0].1.as_str(), t[0].2, t[0].3.as_deref()), ("۲۹ خرداد ۱۳۸۵", "2006-06-19", Calendar::Persian, Some("1385-03-29")));
        assert_eq!(values("در سال 1388", Lang::Fa, None), ["2009-03-21/2010-03-20"]);
        assert_eq!(values("پنج ماه اول سال 87 با", Lang::Fa, None), ["2008-03-20/2009-03-20"]);
        assert_eq!(values("تاریخ 1385/03/29", Lang::Fa, None), ["2006-06-19"]);
        assert_eq!(values("چهاردهم تیر ۱۳۹۹", Lang::Fa, None), ["2020-07-04"]);
        assert_eq!(values("او دوم آذرماه 1395 درگذشت", Lang::Fa, None), ["2016-11-22"]);
        assert_eq!(times("روز 13 جمادی\u{200E}الثانی به مناسبت", Lang::Fa, None)[0].3.as_deref(), Some("XXXX-06-13"));
        assert_eq!(values("يوم الثلاثاء 26 /10 /1436هـ لكي", Lang::Ar, None), ["2015-08-11"]);
    }

    #[test]
    fn ordinals_and_relative_months() {
        assert_eq!(values("في الثالث عشر من الشهر الجاري التقى", Lang::Ar, None), ["XXXX-XX-13"]);
        assert_eq!(values("في الثالث عشر من الشهر الجاري التقى", Lang::Ar, Some("2024-07-20")), ["2024-07-13"]);
        assert_eq!(values("في الحادي والعشرين من يوليو 2020", Lang::Ar, None), ["2020-07-21"]);
        assert_eq!(values("القرن التاسع عشر", Lang::Ar, None), ["18"]);
        assert_eq!(values("للقرن الـ21", Lang::Ar, None), ["20"]);
    }

    #[test]
    fn yearless_anchoring() {
        assert_eq!(values("باكو، 4 يوليو، أذرتاج", Lang::Ar, None), ["XXXX-07-04"]);
        assert_eq!(values("باكو، 4 يوليو، أذرتاج", Lang::Ar, Some("2019-07-05")), ["2019-07-04"]);
        // late December seen from early January is last year
        assert_eq!(values("في 30 ديسمبر", Lang::Ar, Some("2020-01-03")), ["2019-12-30"]);
        assert_eq!(values("في 30 ديسمبر", Lang::Ar, Some("2020")), ["2020-12-30"]);
        let t = find_one("في 1 رمضان", Lang::Ar, Some("2015-06-01"));
        assert_eq!((t.value.as_str(), t.native_value.as_deref(), t.anchored), ("2015-06-18", Some("1436-09-01"), true));
        let t = find_one("في 9 شعبان", Lang::Ar, None);
        assert_eq!((t.value.as_str(), t.native_value.as_deref(), t.anchored), ("XXXX-XX-XX", Some("XXXX-08-09"), false));
    }

    #[test]
    fn relative_words_need_a_document_date() {
        assert_eq!(values("قال أمس إن", Lang::Ar, None), Vec::<String>::new());
        // 2015-07-21 was a Tuesday
        assert_eq!(values("قال أمس إن", Lang::Ar, Some("2015-07-21")), ["2015-07-20"]);
        assert_eq!(values("أعلنت الوزارة الاثنين أن", Lang::Ar, Some("2015-07-21")), ["2015-07-20"]);
        assert_eq!(values("تنطلق الأحد المقبل", Lang::Ar, Some("2015-07-21")), ["2015-07-26"]);
        assert_eq!(values("وقال اليوم (الثلاثاء) إن", Lang::Ar, Some("2015-07-21")), ["2015-07-21"]);
        assert_eq!(values("في العام الماضي", Lang::Ar, Some("2015-07-21")), ["2014"]);
        assert_eq!(values("روز سه‌شنبه گفت", Lang::Fa, Some("2015-07-21")), ["2015-07-21"]);
        // Solar year 1394 began on 21 March 2015
        assert_eq!(values("امسال", Lang::Fa, Some("2015-07-21")), ["2015-03-21/2016-03-19"]);
        assert_eq!(civil_from_days(day_number(2016, 2, 29)), (2016, 2, 29));
    }

    #[test]
    fn anchoring_direction_and_month_ranges() {
        // 2015-08-10 was a Monday
        assert_eq!(values("يوم الجمعة المقبلة", Lang::Ar, Some("2015-08-10")), ["2015-08-14"]);
        assert_eq!(values("في الفترة من يناير (كانون الثاني) حتى يونيو 2015، لتزيد", Lang::Ar, Some("2015-08-01")), ["2015-01/2015-06"]);
        // a month long past is last year's, one soon to come is this year's
        assert_eq!(values("في يناير", Lang::Ar, Some("2015-08-01")), ["2015-01"]);
        assert_eq!(values("في نوفمبر", Lang::Ar, Some("2015-08-01")), ["2015-11"]);
        assert_eq!(values("في يناير المقبل", Lang::Ar, Some("2015-08-01")), ["2016-01"]);
        assert_eq!(values("في سبتمبر الماضي", Lang::Ar, Some("2015-08-01")), ["2014-09"]);
    }

    #[test]
    fn decades() {
        assert_eq!(values("في الخمسينيات", Lang::Ar, None), ["195"]);
        assert_eq!(values("منذ ثمانينيات القرن الماضي", Lang::Ar, None), ["198"]);
        assert_eq!(values("در سال‌هاي 1950 در روماني", Lang::Fa, None), ["195"]);
        assert_eq!(values("در دهه 1990 میلادی", Lang::Fa, None), ["199"]);
        assert_eq!(values("در دهه ۹۰", Lang::Fa, None), ["2011-03-21/2021-03-20"]);
    }

    fn find_one(s: &str, lang: Lang, doc: Option<&str>) -> TimeExpr {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        let d = doc.and_then(DocDate::parse);
        let v = find_times(&c, &t, lang, d.as_ref());
        assert_eq!(v.len(), 1, "{v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn years_and_non_years() {
        assert_eq!(values("في عام 2020 ، واستمرارًا", Lang::Ar, None), ["2020"]);
        assert_eq!(values("مؤتمر القمة في دكار 2008، القرار", Lang::Ar, None), ["2008"]);
        assert_eq!(values("القرار رقم 2007 بشأن", Lang::Ar, None), Vec::<String>::new());
        assert_eq!(values("بالوثيقة رقم (OIC/ICFM-34/2007/POL/SG.REP.6)", Lang::Ar, None), Vec::<String>::new());
        assert_eq!(values("وفاة 2000 شخص", Lang::Ar, None), Vec::<String>::new());
        assert_eq!(values("أكثر من 1500 دولار", Lang::Ar, None), Vec::<String>::new());
        assert_eq!(values("مارس الرياضة", Lang::Ar, None), Vec::<String>::new());
        assert_eq!(values("رجب طيب أردوغان", Lang::Ar, None), Vec::<String>::new());
        assert_eq!(values("این کار را می کنند", Lang::Fa, None), Vec::<String>::new());
        assert_eq!(values("در کل کشور يورو 4 مي‌شود", Lang::Fa, None), Vec::<String>::new());
        assert_eq!(values("يورو 4 مي شود", Lang::Fa, None), Vec::<String>::new());
        assert_eq!(values("تا پایان خرداد 30 م", Lang::Fa, None), ["XXXX-XX"]);
    }

    #[test]
    fn doc_date_parse() {
        assert_eq!(DocDate::parse("2015-07-21 02:51:32"), Some(DocDate { year: 2015, month: Some(7), day: Some(21) }));
        assert_eq!(DocDate::parse("2015"), Some(DocDate { year: 2015, month: None, day: None }));
        assert_eq!(DocDate::parse("XXXX-07-04"), None);
    }
}
