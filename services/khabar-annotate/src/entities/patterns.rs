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
    pub end: usize,
    pub etype: EntityType,
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
        !self.common(i)
    }
}

fn unknown(view: &TextView, span: Span, toks: Range<usize>, etype: EntityType, confidence: f32) -> Cand {
    let key = crate::kb::match_key(&view.text_of(span));
    Cand { span, toks, etype, link: Link::Unknown(key), origin: Origin::Pattern, confidence }
}

/// Every PERSON, ORG and FAC the patterns find (possibly overlapping each other).
pub fn find(view: &TextView, cues: &Cues, kb_at: &[Option<KbUnit>], covered: &[bool]) -> Vec<Cand> {
    let lang = if view.lang == Lang::Und { Lang::Ar } else { view.lang };
    let cx = Ctx { view, cues, lang, kb_at, covered };
    let n = view.tokens.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
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
        if !covered[i] {
            if let Some((e, cue, skip)) = cues.cue_at(&view.tokens, &view.chars, i, lang, CueKind::Head) {
                if let Some(c) = with_modifiers(&cx, i, e, skip, cue.etype) {
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
    while k < n && units < MAX_CHAIN && cx.same_sentence(k, title_end - 1) {
        if let Some(u) = cx.kb_at[k] {
            if u.etype == EntityType::Person {
                return None; // a known person: the knowledge base has it
            }
            k = u.end;
            units += 1;
            continue;
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
    if k >= n || !cx.same_sentence(k, title_end - 1) || cx.kb_at[k].is_some() || !cx.name_like(k, true) {
        return None;
    }
    let start = k;
    let mut m = k + 1;
    let mut words = 1;
    while m < n && cx.same_sentence(m, start) {
        let t = cx.tok(m);
        if t.joined && t.kind == TokenKind::Word && !cx.covered[m] {
            m += 1; // a ZWNJ part of the same word
            continue;
        }
        if words >= MAX_NAME || cx.kb_at[m].is_some() || !cx.name_like(m, false) {
            break;
        }
        m += 1;
        words += 1;
    }
    let span = Span { start: cx.tok(start).span.start, end: cx.tok(m - 1).span.end };
    Some(unknown(cx.view, span, start..m, EntityType::Person, if words >= 2 { 0.7 } else { 0.55 }))
}

fn before_title(cx: &Ctx, title: usize) -> Option<Cand> {
    let mut e = title;
    if e > 0 && matches!(cx.tok(e - 1).norm.as_str(), "،" | "," | "-" | "–") {
        e -= 1;
    }
    let mut s = e;
    let mut words = 0;
    while s > 0 && words < MAX_NAME && cx.same_sentence(s - 1, title) && cx.name_like(s - 1, false) && cx.kb_at[s - 1].is_none() {
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
    let span = Span { start: cx.tok(s).span.start, end: cx.tok(e - 1).span.end };
    Some(unknown(cx.view, span, s..e, EntityType::Person, 0.6))
}

/// Persian light verbs and auxiliaries: the word before one is its nominal part, not a modifier.
fn light_verb(norm: &str) -> bool {
    matches!(norm, "كرد" | "كرده" | "كند" | "كنند" | "كردند" | "شد" | "شده" | "شود" | "شدند" | "داد" | "داده" | "دهد" | "دارد" | "است" | "بود" | "گرفت" | "نمود" | "ميكند" | "مي" | "نمي" | "خواهد" | "گفت")
}

fn with_modifiers(cx: &Ctx, head: usize, head_end: usize, skip: u32, etype: EntityType) -> Option<Cand> {
    let n = cx.view.tokens.len();
    let mut k = head_end;
    let mut units = 0;
    let mut plain = 0;
    while k < n && units < 6 && cx.same_sentence(k, head) {
        if let Some(u) = cx.kb_at[k] {
            if units == 0 && u.etype == EntityType::Org {
                return None; // "مجلس" + a known organisation: leave it to the knowledge base
            }
            k = u.end;
            units += 1;
            continue;
        }
        let t = cx.tok(k);
        if t.kind != TokenKind::Word || cx.stop(k) {
            break;
        }
        if cx.lang == Lang::Fa {
            if t.joined {
                k += 1;
                continue;
            }
            if plain >= 3 || (k + 1 < n && light_verb(&cx.tok(k + 1).norm)) || cx.cues.cue_at(&cx.view.tokens, &cx.view.chars, k, cx.lang, CueKind::Title).is_some() {
                break;
            }
            plain += 1;
            units += 1;
            k += 1;
            continue;
        }
        if cx.article(k) || cx.name_like(k, false) && !cx.common(k) {
            k += 1;
            units += 1;
            continue;
        }
        // one construct-state word when an article word or a known name follows
        if units == 0 && cx.common(k) && k + 1 < n && cx.same_sentence(k + 1, head) && (cx.kb_at[k + 1].is_some() || cx.article(k + 1)) {
            k += 1;
            units += 1;
            continue;
        }
        break;
    }
    if units == 0 {
        return None;
    }
    let span = Span { start: cx.tok(head).span.start + skip, end: cx.tok(k - 1).span.end };
    Some(unknown(cx.view, span, head..k, etype, 0.6))
}
