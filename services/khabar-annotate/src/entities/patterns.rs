//! Names the knowledge base does not hold, found from their context.
//!
//! - **Title before a name** (`TITLE [complements] NAME`): "الرئيس الأذربيجاني X Y", "وزير
//!   الخارجية الروسي X Y", "وزیر امور خارجه جمهوری آذربایجان X Y", "آقای X". The title's
//!   complements are skipped (Arabic: words with the article, known places and nationalities;
//!   Persian: frequent words and known places), at most [`MAX_CHAIN`]; then one to three
//!   name-like words form a PERSON. A name-like word is an Arabic-script word that is neither a
//!   function word nor a frequent word (a given name always is); an Arabic name does not start
//!   with the article. Nothing is proposed when a knowledge-base match starts where the name would.
//! - **Name before a title** ("هيلغا شميدت، الأمينة العامة"): two or three name-like words right
//!   before a title (an optional comma between) form a PERSON.
//! - **Organisation head with modifiers** (`HEAD MOD+`): "وزارة البيئة والموارد الطبيعية",
//!   "وزارت امور خارجه", "مسجد X". Arabic modifiers are words with the article (also after و),
//!   knowledge-base matches and name-like words (one frequent word without the article is allowed
//!   when an article word or a match follows: "وزارة خارجية أذربيجان"); Persian modifiers are up
//!   to three words that are not function words and do not carry a light verb after them. The
//!   head's type (ORG or FAC) comes from the cue list.

use std::ops::Range;

use super::cues::{CueKind, Cues};
use super::{Cand, Link};
use crate::model::{EntityType, Lang, Origin, Span};
use crate::text::token::is_suffix_token;
use crate::text::{TextView, Token, TokenKind};

/// Most complement units between a title and the name.
pub const MAX_CHAIN: usize = 4;
/// Most words of a name found after a title.
pub const MAX_NAME: usize = 3;

/// A knowledge-base match already chosen, seen from the pattern finder.
#[derive(Debug, Clone, Copy)]
pub struct KbUnit {
    /// Token after the match.
    pub end: usize,
    pub etype: EntityType,
    /// The match's span in the original text.
    pub start: u32,
    pub span_end: u32,
    /// The match starts after a proclitic of its first token.
    pub clitic: bool,
    /// The entity's id.
    pub id: &'static str,
}

struct Ctx<'a> {
    view: &'a TextView,
    cues: &'a Cues,
    lang: Lang,
    /// For each token, the chosen knowledge-base match starting there.
    kb_at: &'a [Option<KbUnit>],
    /// Tokens covered by a chosen knowledge-base match.
    covered: &'a [bool],
}

impl Ctx<'_> {
    fn tok(&self, i: usize) -> &Token {
        &self.view.tokens[i]
    }
    fn same_sentence(&self, a: usize, b: usize) -> bool {
        self.tok(a).sentence == self.tok(b).sentence
    }
    fn stop(&self, i: usize) -> bool {
        self.cues.is_stop(&self.tok(i).norm, self.lang)
    }
    fn common(&self, i: usize) -> bool {
        self.cues.is_common(&self.tok(i).norm, self.lang)
    }
    fn article(&self, i: usize) -> bool {
        let n = &self.tok(i).norm;
        (n.starts_with("ال") && n.chars().count() >= 4) || (n.starts_with("وال") && n.chars().count() >= 5)
    }
    /// A word that can be part of a name.
    fn name_like(&self, i: usize, first: bool) -> bool {
        let t = self.tok(i);
        if t.kind != TokenKind::Word || self.covered[i] || self.stop(i) || t.norm.chars().count() < 2 {
            return false;
        }
        if first && is_suffix_token(t) {
            return false;
        }
        if self.cues.is_given(&t.norm) {
            return true;
        }
        if self.lang != Lang::Fa && first && t.norm.starts_with("ال") {
            return false;
        }
        if self.cues.phrases.starts_with(&t.norm) && self.cues.cue_at(&self.view.tokens, &self.view.chars, i, self.lang, CueKind::Title).is_some() {
            return false;
        }
        if self.common(i) {
            return false;
        }
        // an Arabic imperfect verb in the dual or plural ("يدليان", "يزورون") is no name
        if self.lang != Lang::Fa && t.norm.chars().count() >= 5 && t.norm.starts_with(['ي', 'ت']) && (t.norm.ends_with("ان") || t.norm.ends_with("ون")) {
            return false;
        }
        if self.lang != Lang::Fa {
            // an ordinary word behind a proclitic or before an attached pronoun is no name
            // ("بتعليمات", "وتقاريره")
            for r in t.readings(&self.view.chars).iter().skip(1) {
                if self.cues.is_common(&r.form, self.lang) {
                    return false;
                }
                let stem = r.form.strip_suffix("ه").or_else(|| r.form.strip_suffix("ها")).or_else(|| r.form.strip_suffix("هم"));
                if stem.is_some_and(|x| x.chars().count() >= 3 && self.cues.is_common(x, self.lang)) {
                    return false;
                }
            }
            for r in t.suffix_readings(&self.view.chars, self.lang) {
                if self.cues.is_common(&r.form, self.lang) {
                    return false;
                }
            }
        }
        true
    }

    /// A line break between tokens `a` and `a + 1`.
    fn newline_after(&self, a: usize) -> bool {
        let (x, y) = (self.tok(a).span.end as usize, self.tok(a + 1).span.start as usize);
        self.view.chars[x..y].contains(&'\n')
    }

    /// Tokens `a..b` are in one sentence and one line.
    fn one_line(&self, a: usize, b: usize) -> bool {
        (a..b.saturating_sub(1)).all(|k| !self.newline_after(k) && self.same_sentence(k, k + 1))
    }

    fn nisba(&self, i: usize) -> bool {
        let n = &self.tok(i).norm;
        n.ends_with('ي') || n.ends_with("يه")
    }
}

fn unknown(view: &TextView, span: Span, toks: Range<usize>, etype: EntityType, confidence: f32) -> Cand {
    let key = crate::kb::match_key(&view.text_of(span));
    Cand { span, toks, etype, link: Link::Unknown(key), origin: Origin::Pattern, confidence }
}

/// Like [`unknown`], with a key in which every known entity inside the name stands as its id
/// ("منتدى الشباب لمنظمة التعاون الإسلامي" and "منتدى الشباب بمنظمة المؤتمر الإسلامي" are one
/// key: "منتدى الشباب #oic"), so the spelling of the parts does not split the entity.
fn composed(cx: &Ctx, span: Span, toks: Range<usize>, etype: EntityType, confidence: f32) -> Cand {
    let mut parts: Vec<String> = Vec::new();
    let mut k = toks.start;
    while k < toks.end {
        if let Some(u) = cx.kb_at[k].filter(|u| u.start >= span.start && u.span_end <= span.end) {
            parts.push(format!("#{}", u.id));
            k = u.end.max(k + 1);
            continue;
        }
        let t = cx.tok(k);
        let from = t.span.start.max(span.start);
        let to = t.span.end.min(span.end);
        if from < to {
            parts.push(crate::kb::match_key(&cx.view.text_of(Span { start: from, end: to })));
        }
        k += 1;
    }
    Cand { span, toks, etype, link: Link::Unknown(parts.join(" ")), origin: Origin::Pattern, confidence }
}

/// Every PERSON, ORG and FAC the patterns find (possibly overlapping each other).
pub fn find(view: &TextView, cues: &Cues, kb_at: &[Option<KbUnit>], covered: &[bool]) -> Vec<Cand> {
    let lang = if view.lang == Lang::Und { Lang::Ar } else { view.lang };
    let cx = Ctx { view, cues, lang, kb_at, covered };
    let n = view.tokens.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if let Some(u) = kb_at[i] {
            if let Some(c) = after_known(&cx, u) {
                out.push(c);
            }
            if let Some(c) = direction_of(&cx, i, u) {
                out.push(c);
            }
        }
        let t = cx.tok(i);
        if t.kind != TokenKind::Word || !cues.maybe_cue(t, &view.chars, lang) {
            i += 1;
            continue;
        }
        if let Some((e, _, _)) = cues.cue_at(&view.tokens, &view.chars, i, lang, CueKind::Title) {
            if let Some(c) = after_title(&cx, e) {
                out.push(c);
            }
            if let Some(c) = before_title(&cx, i) {
                out.push(c);
            }
        }
        if let Some((e, _, skip)) = cues.cue_at(&view.tokens, &view.chars, i, lang, CueKind::Session) {
            if let Some(c) = numbered_session(&cx, i, e, skip) {
                out.push(c);
            }
        }
        let generic = i > 0 && cues.cue_at(&view.tokens, &view.chars, i - 1, lang, CueKind::Determiner).is_some_and(|(e, _, _)| e == i);
        // "للجنة" is ل + اللجنة: a head with the article
        let head = cues.cue_at(&view.tokens, &view.chars, i, lang, CueKind::Head).filter(|(_, _, skip)| !(lang != Lang::Fa && *skip == 1 && t.norm.starts_with("لل")));
        if !covered[i] && !generic {
            if let Some((e, cue, skip)) = head {
                if let Some((c, _)) = with_modifiers(&cx, i, e, skip, cue.etype) {
                    out.push(c);
                }
                if let Some(c) = quoted_title(&cx, e, cue.etype) {
                    out.push(c);
                }
            } else if let Some((e, etype, skip)) = article_head(&cx, i) {
                // "الاتحاد البرلماني لمنظمة التعاون الإسلامي", "المجلس الدائم لمنظمة ...": with the
                // article, a head names an organisation only as part of a known one
                if let Some((c, true)) = with_modifiers(&cx, i, e, skip, etype) {
                    if c.toks.len() >= 3 {
                        out.push(c);
                    }
                }
                // after an article head only with an adjective or a connector before the quote
                if let Some(c) = quoted_title(&cx, e, etype).filter(|c| c.toks.start > e + 1) {
                    out.push(c);
                }
            }
        }
        i += 1;
    }
    out
}

fn after_title(cx: &Ctx, title_end: usize) -> Option<Cand> {
    let n = cx.view.tokens.len();
    let mut k = title_end;
    let mut units = 0;
    let mut after_known = false;
    while k < n && units < MAX_CHAIN && cx.one_line(title_end - 1, k + 1) {
        if let Some(u) = cx.kb_at[k] {
            if u.etype == EntityType::Person {
                return None; // a known person: the knowledge base has it
            }
            k = u.end;
            units += 1;
            after_known = true;
            continue;
        }
        // Persian: the title's complement ends with a known place or body ("رئیس پارلمان پرو X")
        if cx.lang == Lang::Fa && after_known {
            break;
        }
        let t = cx.tok(k);
        if t.kind != TokenKind::Word || cx.stop(k) {
            return None;
        }
        let complement = match cx.lang {
            Lang::Fa => cx.common(k) && !cx.cues.is_given(&t.norm),
            _ => cx.article(k) && !cx.cues.is_given(&t.norm),
        };
        if !complement {
            break;
        }
        k += 1;
        units += 1;
    }
    if k >= n || !cx.one_line(title_end - 1, k + 1) || cx.kb_at[k].is_some() {
        return None;
    }
    if !cx.name_like(k, true) {
        // Persian: frequent first words of a foreign name ("دانیل انریکه سالواری"): a run of
        // plain words that ends in a name-like word within three words
        return if cx.lang == Lang::Fa { frequent_start(cx, k, units) } else { None };
    }
    let start = k;
    let mut m = k + 1;
    let mut words = 1;
    while m < n && cx.one_line(m - 1, m + 1) {
        let t = cx.tok(m);
        if t.joined && t.kind == TokenKind::Word && !cx.covered[m] {
            m += 1; // a ZWNJ part of the same word
            continue;
        }
        // a known person after "بن": the father's name in a patronymic ("أحمد بن محمد بن راشد
        // آل مكتوم" is the son), one longer name of someone else
        let known_person = |k: usize| cx.kb_at.get(k).copied().flatten().filter(|u| u.etype == EntityType::Person);
        if matches!(t.norm.as_str(), "بن" | "ابن" | "بنت") && cx.one_line(m, m + 2) {
            if let Some(u) = known_person(m + 1) {
                m = u.end;
                break;
            }
        }
        // right after the given name, the known person's own fuller name ("محمد حسني مبارك"):
        // the knowledge base has it, and a lone given name would be a wrong mention
        if known_person(m).is_some() {
            return None;
        }
        if words >= MAX_NAME || cx.kb_at[m].is_some() || !cx.name_like(m, false) || (cx.lang == Lang::Fa && m + 1 < n && light_verb(&cx.tok(m + 1).norm)) {
            break;
        }
        m += 1;
        words += 1;
    }
    // Persian: a one-word name only right after the title ("آقای X"), and not the nominal part
    // of a light verb
    if cx.lang == Lang::Fa && words == 1 && (units > 0 || (m < n && light_verb(&cx.tok(m).norm))) {
        return None;
    }
    let span = Span { start: cx.tok(start).span.start, end: cx.tok(m - 1).span.end };
    Some(unknown(cx.view, span, start..m, EntityType::Person, if words >= 2 { 0.7 } else { 0.55 }))
}

/// A plain word: an Arabic-script word that is no function word, title, light verb, known name
/// or (Arabic) article word; it may be part of a name even when frequent.
fn plain_word(cx: &Ctx, m: usize) -> bool {
    let t = cx.tok(m);
    t.kind == TokenKind::Word
        && !cx.covered[m]
        && cx.kb_at[m].is_none()
        && !cx.stop(m)
        && !is_suffix_token(t)
        && !light_verb(&t.norm)
        && !(cx.lang != Lang::Fa && t.norm.starts_with("ال"))
        && !(cx.cues.phrases.starts_with(&t.norm) && cx.cues.cue_at(&cx.view.tokens, &cx.view.chars, m, cx.lang, CueKind::Title).is_some())
}

fn frequent_start(cx: &Ctx, k: usize, units: usize) -> Option<Cand> {
    let n = cx.view.tokens.len();
    let mut m = k;
    let mut words = 0;
    let mut best = None;
    while m < n && words < MAX_NAME && cx.one_line(k, m + 1) && plain_word(cx, m) {
        if cx.lang == Lang::Fa && m + 1 < n && light_verb(&cx.tok(m + 1).norm) {
            break;
        }
        m += 1;
        while m < n && cx.tok(m).joined && cx.tok(m).kind == TokenKind::Word && !is_suffix_token(cx.tok(m)) {
            m += 1;
        }
        words += 1;
        if words >= 2 && cx.name_like(m - 1, false) {
            best = Some(m);
        }
    }
    let end = best?;
    let _ = units;
    let span = Span { start: cx.tok(k).span.start, end: cx.tok(end - 1).span.end };
    Some(unknown(cx.view, span, k..end, EntityType::Person, 0.55))
}

fn before_title(cx: &Ctx, title: usize) -> Option<Cand> {
    let mut e = title;
    if e > 0 && matches!(cx.tok(e - 1).norm.as_str(), "،" | "," | "-" | "–") {
        e -= 1;
    }
    let mut s = e;
    let mut words = 0;
    while s > 0 && words < MAX_NAME && cx.one_line(s - 1, title + 1) && cx.name_like(s - 1, false) && cx.kb_at[s - 1].is_none() {
        s -= 1;
        if !cx.tok(s).joined {
            words += 1;
        }
    }
    // the first word must be a name start; the word before it must not be one too
    while s < e && !cx.name_like(s, true) {
        s += 1;
        words = words.saturating_sub(1);
    }
    if words < 2 || s >= e {
        return None;
    }
    // what precedes the name: the start of the text or a line, punctuation or a function word
    if s > 0 && !cx.newline_after(s - 1) && cx.same_sentence(s - 1, s) {
        let p = cx.tok(s - 1);
        if p.kind == TokenKind::Word && !cx.stop(s - 1) {
            return None;
        }
    }
    let span = Span { start: cx.tok(s).span.start, end: cx.tok(e - 1).span.end };
    Some(unknown(cx.view, span, s..e, EntityType::Person, 0.6))
}

/// Frequent Persian past participles.
const PARTICIPLES: &[&str] = &["كشته", "گفته", "داده", "كرده", "شده", "رفته", "امده", "گرفته", "نوشته", "خواسته", "دانسته", "برده", "اورده", "رسيده", "ديده", "زده", "افتاده", "گذشته", "بسته", "شكسته", "ساخته", "انداخته", "پرداخته", "فرستاده", "نموده", "بوده"];

/// Persian light verbs and auxiliaries: the word before one is its nominal part, not a modifier.
fn light_verb(norm: &str) -> bool {
    // a frequent past participle ("کشته", "گفته", "داده") is a verb form too
    if norm.chars().count() >= 4 && (norm.ends_with("ته") || norm.ends_with("ده")) && PARTICIPLES.contains(&norm) {
        return true;
    }
    matches!(
        norm,
        "كرد" | "كرده" | "كند" | "كنند" | "كردند" | "كنيم" | "شد" | "شده" | "شود" | "شوند" | "شدند" | "داد" | "داده" | "دهد" | "دهند" | "دارد" | "دارند" | "داشت" | "داشته" | "است" | "اند" | "بود" | "بوده" | "باشد" | "باشند" | "باشيم" | "گرفت" | "نمود" | "نمايد" | "گرديد" | "گردد" | "يافت" | "رفت" | "ميكند" | "مي" | "نمي" | "خواهد" | "گفت"
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Head,
    Article,
    Name,
    Known,
}

/// The head at `head..head_end` with its modifiers; also whether the name is anchored: it ends
/// with a known name behind the preposition ل ("... لمنظمة التعاون الإسلامي") or, for an event,
/// with a place after في ("الإبادة الجماعية في سيريبنيتسا").
fn with_modifiers(cx: &Ctx, head: usize, head_end: usize, skip: u32, etype: EntityType) -> Option<(Cand, bool)> {
    let n = cx.view.tokens.len();
    // a plural head ("شرکت‌های", "سازمان‌های") is a common noun
    if head_end < n && (is_suffix_token(cx.tok(head_end)) || matches!(cx.tok(head_end).norm.as_str(), "ها" | "هاي")) {
        return None;
    }
    let atrocity = matches!(cx.tok(head_end - 1).norm.trim_start_matches("ال"), "اباده" | "مجزره" | "مذبحه" | "ماساه" | "كشتار" | "كشي");
    let mut nationality_only = true;
    let mut k = head_end;
    let mut units = 0;
    let mut plain = 0;
    let mut last = Last::Head;
    let mut seen_name = false;
    let mut ends_with_l = false;
    while k < n && units < 6 && cx.one_line(k - 1, k + 1) {
        if let Some(u) = cx.kb_at[k] {
            if units == 0 && u.etype == etype && etype == EntityType::Org {
                return None; // "مجلس" + a known organisation: leave it to the knowledge base
            }
            // a coordinated name ("... والإيسيسكو") is another entity; a person only right after the head
            if (u.clitic && cx.tok(k).norm.starts_with(['و', 'ف'])) || (u.etype == EntityType::Person && last != Last::Head) || u.etype == EntityType::Event && etype != EntityType::Event {
                break;
            }
            ends_with_l = u.clitic && cx.tok(k).norm.starts_with('ل');
            nationality_only &= u.etype == EntityType::Norp;
            k = u.end;
            units += 1;
            last = Last::Known;
            seen_name = true;
            if cx.lang == Lang::Fa {
                break;
            }
            continue;
        }
        let t = cx.tok(k);
        // "الدول الأعضاء في منظمة التعاون الإسلامي"; an event "في" a known place ("الإبادة
        // الجماعية في سريبرينيتسا"): the preposition and the known name end the chain
        if cx.lang != Lang::Fa && t.norm == "في" && k + 1 < n && units > 0 && cx.one_line(k, k + 2) {
            if let Some(u) = cx.kb_at[k + 1] {
                let members = cx.tok(k - 1).norm == "الاعضاء" && matches!(u.etype, EntityType::Org | EntityType::Gpe | EntityType::Loc);
                let event_place = atrocity && matches!(u.etype, EntityType::Gpe | EntityType::Loc);
                if (members || event_place) && !u.clitic {
                    k = u.end;
                    last = Last::Known;
                    seen_name = true;
                    ends_with_l = event_place;
                    break;
                }
            } else if atrocity && cx.name_like(k + 1, true) {
                // a place the knowledge base does not know: "الإبادة الجماعية في سيريبنيتسا"
                k += 2;
                if k < n && cx.one_line(k - 1, k + 1) && cx.kb_at[k].is_none() && cx.tok(k).joined {
                    k += 1;
                }
                last = Last::Known;
                seen_name = true;
                ends_with_l = true;
                break;
            }
        }
        if t.kind != TokenKind::Word || cx.stop(k) {
            break;
        }
        if cx.lang == Lang::Fa {
            if t.joined {
                k += 1;
                continue;
            }
            // an adverb with tanween ("مجدداً", "اخیراً") ends the name too
            let adverb = cx.view.chars[t.span.start as usize..t.span.end as usize].contains(&'\u{064B}');
            if plain >= 3 || adverb || light_verb(&t.norm) || (k + 1 < n && light_verb(&cx.tok(k + 1).norm)) || cx.cues.is_given(&t.norm) || cx.cues.cue_at(&cx.view.tokens, &cx.view.chars, k, cx.lang, CueKind::Title).is_some() {
                break;
            }
            nationality_only = false;
            plain += 1;
            units += 1;
            k += 1;
            seen_name |= !cx.common(k - 1);
            continue;
        }
        if cx.article(k) {
            // after a known name only an adjective (nisba) continues the name, no coordination
            if last == Last::Known && (!cx.nisba(k) || t.norm.starts_with('و')) {
                break;
            }
            k += 1;
            units += 1;
            last = Last::Article;
            nationality_only = false;
            continue;
        }
        if matches!(last, Last::Head | Last::Name) && cx.name_like(k, last == Last::Head) {
            k += 1;
            units += 1;
            last = Last::Name;
            seen_name = true;
            nationality_only = false;
            continue;
        }
        // one construct-state word when an article word or a known name follows
        if units == 0 && cx.common(k) && k + 1 < n && cx.one_line(k, k + 2) && (cx.kb_at[k + 1].is_some() || cx.article(k + 1)) {
            k += 1;
            units += 1;
            last = Last::Article;
            continue;
        }
        break;
    }
    if units == 0 {
        return None;
    }
    if etype == EntityType::Event && !seen_name {
        return None; // "مؤتمر الفيديو", "معرض الصور": a common noun, not a named event
    }
    if nationality_only && last == Last::Known {
        return None; // "شركة يابانية", "شرکت ژاپنی": a common noun with a nationality
    }
    // Persian: one frequent modifier is a description ("سازمان مرکزی"), except for a ministry
    if cx.lang == Lang::Fa && !seen_name && plain < 2 && !matches!(cx.tok(head).norm.as_str(), "وزارت" | "وزارتخانه") {
        return None;
    }
    let span = Span { start: cx.tok(head).span.start + skip, end: cx.tok(k - 1).span.end };
    Some((composed(cx, span, head..k, etype, 0.6), last == Last::Known && ends_with_l))
}

/// An ordinal (a cue, or "الـ22" / "22") at token `k`: the token after it.
fn ordinal_at(cx: &Ctx, k: usize) -> Option<usize> {
    let n = cx.view.tokens.len();
    if k >= n {
        return None;
    }
    if let Some((e, _, _)) = cx.cues.cue_at(&cx.view.tokens, &cx.view.chars, k, cx.lang, CueKind::Ordinal) {
        return Some(e);
    }
    let t = cx.tok(k);
    if t.kind == TokenKind::Number && t.norm.len() <= 3 {
        return Some(k + 1);
    }
    if t.norm == "ال" && k + 1 < n && cx.tok(k + 1).kind == TokenKind::Number && cx.tok(k + 1).span.start - t.span.end <= 1 {
        return Some(k + 2);
    }
    if cx.lang == Lang::Fa && t.kind == TokenKind::Word && t.norm.ends_with("مين") && t.norm.chars().count() >= 5 {
        return Some(k + 1);
    }
    None
}

/// After a known entity: a known event with ordinals is one numbered instance (EVENT); a known
/// country with a directional or historical adjective is another place.
fn after_known(cx: &Ctx, u: KbUnit) -> Option<Cand> {
    let n = cx.view.tokens.len();
    if u.end >= n || !cx.one_line(u.end - 1, u.end + 1) {
        return None;
    }
    let first = cx.view.tokens[..u.end].partition_point(|t| t.span.end <= u.start);
    match u.etype {
        EntityType::Event => {
            let mut k = u.end;
            while let Some(e) = ordinal_at(cx, k).filter(|&e| cx.one_line(k - 1, e)) {
                if cx.tok(k).kind == TokenKind::Number && k == u.end && cx.tok(k).norm.len() == 4 {
                    break;
                }
                k = e;
            }
            if k == u.end {
                return None;
            }
            let span = Span { start: u.start, end: cx.tok(k - 1).span.end };
            Some(composed(cx, span, first..k, EntityType::Event, 0.7))
        }
        EntityType::Org if cx.lang != Lang::Fa => {
            // a body of a known organisation: "منظمة الأمم المتحدة للتربية والعلم والثقافة",
            // "منظمة الأمن والتعاون في أوروبا للمؤسسات الديمقراطية وحقوق الإنسان"
            let t = cx.tok(u.end);
            if !(t.norm.starts_with("لل") && t.norm.chars().count() >= 5) {
                return None;
            }
            let mut k = u.end + 1;
            while k < n && cx.one_line(k - 1, k + 1) && cx.kb_at[k].is_none() {
                let coordinated = cx.tok(k).norm.starts_with('و') && k + 1 < n && cx.kb_at[k + 1].is_none() && cx.article(k + 1) && cx.one_line(k, k + 2);
                if cx.article(k) {
                    k += 1;
                } else if coordinated {
                    k += 2; // "وحقوق الإنسان"
                } else {
                    break;
                }
            }
            let span = Span { start: u.start, end: cx.tok(k - 1).span.end };
            Some(composed(cx, span, first..k, EntityType::Org, 0.6))
        }
        EntityType::Gpe => {
            let (e, cue, _) = cx.cues.cue_at(&cx.view.tokens, &cx.view.chars, u.end, cx.lang, CueKind::Modifier)?;
            let span = Span { start: u.start, end: cx.tok(e - 1).span.end };
            Some(composed(cx, span, first..e, cue.etype, 0.7))
        }
        _ => None,
    }
}

/// "الدورة العاشرة لمؤتمر القمة الإسلامي", "چهاردهمین نشست ...": a session noun, an ordinal and a
/// known event or organisation (or an organisation or event head with its complements: "الدورة
/// الثانية والثلاثين للمؤتمر الإسلامي لوزراء الخارجية") name one numbered instance (EVENT).
/// Persian puts the ordinal first. Without an ordinal, a session noun with an adjective and a
/// known organisation ("الاجتماع التنسيقي لوزراء خارجية منظمة التعاون الإسلامي") names one
/// meeting series (EVENT).
fn numbered_session(cx: &Ctx, i: usize, e: usize, skip: u32) -> Option<Cand> {
    let n = cx.view.tokens.len();
    let (start, after, ordinal) = if cx.lang == Lang::Fa {
        let o = i.checked_sub(1)?;
        ordinal_at(cx, o).filter(|&x| x == i)?;
        (o, e, true)
    } else {
        // at most two adjectives between: "الاجتماع السنوي السادس عشر"
        let mut o = e;
        while o < e + 2 && o < n && cx.article(o) && cx.kb_at[o].is_none() && ordinal_at(cx, o).is_none() {
            o += 1;
        }
        match ordinal_at(cx, o) {
            Some(mut x) => {
                // compound ordinals: "الثانية والثلاثين"
                while let Some(y) = ordinal_at(cx, x).filter(|_| cx.tok(x).kind == TokenKind::Word) {
                    x = y;
                }
                (i, x, true)
            }
            None if o > e && cx.nisba(o - 1) => (i, o, false),
            None => return None,
        }
    };
    let (end, known) = tail(cx, after)?;
    if (!known && !ordinal) || !cx.one_line(start, end) {
        return None;
    }
    let skip = if start == i { skip } else { 0 };
    let span = Span { start: cx.tok(start).span.start + skip, end: cx.tok(end - 1).span.end };
    Some(composed(cx, span, start..end, EntityType::Event, 0.7))
}

/// What a session is of, from token `k`: a known organisation or event, possibly behind
/// construct words with ل ("لوزراء خارجية منظمة ..."), or else an organisation or event head
/// with the article and its article complements ("للمؤتمر الإسلامي لوزراء الخارجية"). The token
/// after it, and whether it ends in a known name.
fn tail(cx: &Ctx, k: usize) -> Option<(usize, bool)> {
    let n = cx.view.tokens.len();
    if k >= n {
        return None;
    }
    let head = cx.lang != Lang::Fa && cx.kb_at[k].is_none() && article_head(cx, k).is_some();
    let mut j = if head { k + 1 } else { k };
    let mut steps = 0;
    while j < n && steps < 4 && cx.one_line(k, j + 1) {
        if let Some(u) = cx.kb_at[j] {
            return matches!(u.etype, EntityType::Org | EntityType::Event).then_some((u.end, true));
        }
        let t = cx.tok(j);
        if t.kind != TokenKind::Word || cx.stop(j) {
            break;
        }
        let construct = t.norm.strip_prefix('ل').is_some_and(|r| cx.cues.is_common(r, cx.lang)) || cx.common(j);
        if cx.article(j) || construct {
            j += 1;
            steps += 1;
            continue;
        }
        break;
    }
    if head && j >= k + 2 {
        // the head's complements: article words and "ل" + construct word + article word
        return Some((j, false));
    }
    None
}

/// An organisation, facility or event head written with the article ("الاتحاد", "المؤتمر"):
/// the token after it and the head's type.
fn article_head(cx: &Ctx, i: usize) -> Option<(usize, EntityType, u32)> {
    if cx.lang == Lang::Fa {
        return None;
    }
    let t = cx.tok(i);
    for r in t.readings(&cx.view.chars) {
        let Some(rest) = r.form.strip_prefix("ال") else { continue };
        if rest.chars().count() < 3 {
            continue;
        }
        if let Some((e, cue)) = cx.cues.phrases.longest_where(rest, &cx.view.tokens, i, |c| c.kind == CueKind::Head && c.lang.allows(cx.lang)) {
            return Some((e, cue.etype, r.skip));
        }
    }
    None
}

fn is_quote(s: &str) -> bool {
    matches!(s, "\"" | "«" | "»" | "“" | "”" | "'")
}

/// A quoted name right after a head (at most two article words between): "حملة «العدالة
/// لخوجالي!»", "المؤتمر العلمي "X"". The name is the quoted text.
fn quoted_title(cx: &Ctx, after_head: usize, etype: EntityType) -> Option<Cand> {
    let n = cx.view.tokens.len();
    let mut q = after_head;
    while q < n && q < after_head + 2 && cx.article(q) && cx.kb_at[q].is_none() {
        q += 1;
    }
    // "... حول "X"", "... بعنوان "X""
    if q < n && matches!(cx.tok(q).norm.as_str(), "حول" | "بعنوان" | "عنوان" | "تحت" | "با" | "به") {
        q += 1;
        if q < n && cx.tok(q).norm == "عنوان" {
            q += 1;
        }
    }
    if q + 2 >= n || !is_quote(&cx.tok(q).norm) || !cx.one_line(after_head - 1, q + 1) {
        return None;
    }
    let mut c = q + 1;
    while c < n && c <= q + 10 && !is_quote(&cx.tok(c).norm) {
        if cx.newline_after(c - 1) {
            return None;
        }
        c += 1;
    }
    if c >= n || c > q + 10 || !is_quote(&cx.tok(c).norm) || c == q + 1 {
        return None;
    }
    // the name is what is quoted, without trailing punctuation
    let mut last = c - 1;
    while last > q + 1 && cx.tok(last).kind == TokenKind::Punct {
        last -= 1;
    }
    if cx.tok(last).kind == TokenKind::Punct {
        return None;
    }
    // a quoted known name is the knowledge base's ("مؤتمر "كوب-29"")
    if cx.kb_at[q + 1].is_some_and(|u| u.end > last) {
        return None;
    }
    let span = Span { start: cx.tok(q + 1).span.start, end: cx.tok(last).span.end };
    Some(unknown(cx.view, span, q + 1..last + 1, etype, 0.6))
}

/// "جنوب أذربيجان", "شمال العراق": a compass noun right before a known country names a region
/// (LOC), not the country.
fn direction_of(cx: &Ctx, i: usize, u: KbUnit) -> Option<Cand> {
    if i == 0 || u.etype != EntityType::Gpe || u.clitic || !cx.one_line(i - 1, i + 1) {
        return None;
    }
    let p = cx.tok(i - 1);
    let mut skip = 0;
    let mut found = false;
    let readings = if cx.lang == Lang::Fa { vec![crate::text::Reading { skip: 0, form: p.norm.clone(), clitics: String::new() }] } else { p.readings(&cx.view.chars) };
    for r in readings {
        if matches!(r.form.as_str(), "جنوب" | "شمال" | "شرق" | "غرب") {
            skip = r.skip;
            found = true;
            break;
        }
    }
    if !found {
        return None;
    }
    let span = Span { start: p.span.start + skip, end: u.span_end };
    Some(composed(cx, span, i - 1..u.end, EntityType::Loc, 0.6))
}
