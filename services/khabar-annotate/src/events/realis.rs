//! Realis: whether a report states its event as actual, future, negated or hypothetical.
//!
//! Read off the trigger and the words around it in its clause (markers in `lexicon/event_cues.tsv`):
//! - **future**: the trigger's own prefix سـ (سيزور، ستعقد), سوف / من المقرر / يعتزم / سيتم /
//!   خواهد / قرار است before it, or المقبل / القادم / آینده right after an event noun; a Persian
//!   light verb after the noun in the future (برگزار خواهد شد);
//! - **negated**: لم / لن / ما (before a perfect verb) / لا / عدم right before the trigger, a
//!   Persian negative prefix on the verb or on its light verb (دیدار نکرد، برگزار نشد);
//! - **hypothetical**: يجب / ينبغي / يمكن / قد / إذا / لو / بغية / ضرورة, باید / ممکن / اگر /
//!   شاید / می‌تواند earlier in the clause.
//!
//! Negation wins over hypothesis, which wins over the future ("لن يزور" is negated).

use super::triggers::{flags, Cue, Lexicon};
use crate::model::{Lang, Realis};
use crate::text::token::{Token, TokenKind};

/// How far back (tokens) a negation may stand.
const NEG_BACK: usize = 2;
/// How far back a future marker may stand.
const FUTURE_BACK: usize = 4;
/// How far back a hypothesis marker may stand.
const HYPO_BACK: usize = 7;

fn is_clause_break(t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "،" | "," | "؛" | ";" | ":" | "." | "!" | "؟" | "?" | "(" | ")" | "«" | "»" | "\"" | "“" | "”")
}

/// A Persian light verb starting at token `i` (possibly after a ZWNJ-joined prefix): returns
/// (negated, future, subjunctive).
pub fn light_verb_at(tokens: &[Token], i: usize) -> Option<(bool, bool, bool)> {
    let t = tokens.get(i)?;
    if t.kind != TokenKind::Word {
        return None;
    }
    let mut form = t.norm.as_str();
    let mut neg = false;
    let mut subj = false;
    // "می‌کند", "نمی‌شود": the prefix is its own token, the stem is joined to it
    if matches!(form, "مي" | "نمي") {
        neg = form == "نمي";
        let next = tokens.get(i + 1).filter(|n| n.joined)?;
        form = next.norm.as_str();
    } else if let Some(rest) = form.strip_prefix("نمي") {
        neg = true;
        form = rest;
    } else if let Some(rest) = form.strip_prefix("مي") {
        form = rest;
    }
    if matches!(form, "نزد" | "نشان" | "رسمي" | "دهه" | "داراي" | "بود" | "بودند") {
        return None;
    }
    if matches!(form, "خواهد" | "خواهند" | "خواهيم" | "خواهم" | "نخواهد" | "نخواهند") {
        return Some((form.starts_with('ن'), true, false));
    }
    const STEMS: &[&str] = &["كرد", "كن", "نمود", "نما", "شد", "شو", "گرديد", "گرد", "داشت", "دار", "ساخت", "ساز", "داد", "ده", "زد", "زن", "گرفت", "گير", "رسيد", "رس", "بود", "باش", "يافت", "ياب"];
    let check = |f: &str| STEMS.iter().any(|s| f.starts_with(s) && f.chars().count() <= s.chars().count() + 3);
    if check(form) {
        return Some((neg, false, subj));
    }
    if let Some(rest) = form.strip_prefix('ن') {
        if check(rest) {
            return Some((true, false, subj));
        }
    }
    if let Some(rest) = form.strip_prefix('ب') {
        if check(rest) {
            subj = true;
            return Some((neg, false, subj));
        }
    }
    None
}

/// The realis of a trigger spanning tokens `start..end` with affix flags `fl`, inside a
/// sentence whose tokens begin at `sent_start`.
pub fn realis_at(lex: &Lexicon, tokens: &[Token], start: usize, end: usize, fl: u8, is_verb: bool, sent_start: usize, sent_end: usize, lang: Lang) -> Realis {
    let mut neg = fl & flags::NEG != 0;
    let mut future = fl & flags::FUTURE != 0;
    let mut hypo = false;
    // ---- before the trigger, inside the clause
    let mut k = start;
    let mut dist = 0usize;
    while k > sent_start && dist < HYPO_BACK {
        k -= 1;
        dist += 1;
        let t = &tokens[k];
        if is_clause_break(t) {
            break;
        }
        if dist <= NEG_BACK && lex.is_cue(tokens, k, Cue::Neg, lang) {
            // "ما" negates only a perfect verb right after it; "لا" and "لم" only verbs (or
            // "لا" + noun in "لا اجتماع"), "عدم"/"دون" only nouns
            let f = t.norm.as_str();
            let ok = match f {
                "ما" => is_verb && dist == 1,
                "لم" | "لن" | "لا" => is_verb || dist == 1,
                _ => true,
            };
            if ok {
                neg = true;
            }
        }
        if dist <= FUTURE_BACK && lex.is_cue(tokens, k, Cue::Future, lang) {
            future = true;
        }
        if lex.is_cue(tokens, k, Cue::Hypo, lang) {
            // "قد" + perfect verb is "has already": only "قد" + imperfect is "may"
            if t.norm == "قد" {
                if !(is_verb && fl & flags::IMPERFECT != 0) {
                    continue;
                }
            }
            hypo = true;
        }
    }
    // ---- after the trigger: Persian light verb, "next/coming" after a noun
    let mut j = end;
    // skip ZWNJ-joined endings of the trigger ("دیدار‌های")
    while j < sent_end && tokens[j].joined && tokens[j].kind == TokenKind::Word && crate::text::token::is_suffix_token(&tokens[j]) {
        j += 1;
    }
    if j < sent_end {
        if lang != Lang::Ar && !is_verb {
            // the light verb may follow one or two words (دیدار و گفتگو کرد); the clause's
            // verb comes last, so a future auxiliary further on still counts (نشست … برگزار خواهد شد)
            let mut light_seen = false;
            for k in j..(j + 10).min(sent_end) {
                if is_clause_break(&tokens[k]) {
                    break;
                }
                if !light_seen && k < j + 3 {
                    if let Some((n, f, _)) = light_verb_at(tokens, k) {
                        neg |= n;
                        future |= f;
                        light_seen = true;
                        continue;
                    }
                }
                if lex.is_cue(tokens, k, Cue::Future, lang) {
                    future = true;
                    break;
                }
            }
        }
        if !is_verb {
            for k in j..(j + 3).min(sent_end) {
                if is_clause_break(&tokens[k]) {
                    break;
                }
                if lex.is_cue(tokens, k, Cue::FutureAfter, lang) {
                    future = true;
                    break;
                }
            }
        }
    }
    if neg {
        Realis::Negated
    } else if hypo {
        Realis::Hypothetical
    } else if future {
        Realis::Future
    } else {
        Realis::Actual
    }
}
