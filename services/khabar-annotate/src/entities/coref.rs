//! Short forms and repeats within one document.
//!
//! Every chosen PERSON, ORG or FAC mention registers its full name (normalised token forms); a
//! PERSON of two or more words also registers its last word ("شميدت" for "هيلغا شميدت"; a
//! Persian word written with ZWNJ parts counts as one) unless that word is a function word or
//! a frequent ordinary word. Uncovered text that repeats a registered form (an Arabic proclitic
//! allowed before it) becomes a [`Origin::Coreference`] mention of the same entity, and so does a
//! model mention of exactly a registered form. A form
//! registered by two different entities is ambiguous and resolves to neither.

use std::collections::HashMap;

use super::cues::Cues;
use super::{Cand, Link};
use crate::kb::match_key;
use crate::model::{EntityType, Lang, Origin, Span};
use crate::text::{TextView, TokenKind};

/// Confidence of a coreference mention.
pub const COREF: f32 = 0.6;
const MAX_WORDS: usize = 6;

/// Adds coreference mentions to `chosen` (kept in text order).
pub fn extend(view: &TextView, cues: &Cues, chosen: &mut Vec<Cand>) {
    let lang = view.lang;
    let mut names: HashMap<Vec<String>, Option<(Link, EntityType)>> = HashMap::new();
    // names found by the knowledge base and the patterns first; a model name never makes one of
    // them ambiguous
    let mut order: Vec<&Cand> = chosen.iter().filter(|c| c.origin != Origin::Model).collect();
    order.extend(chosen.iter().filter(|c| c.origin == Origin::Model));
    let mut put = |k: Vec<String>, v: (Link, EntityType), model: bool| {
        if model {
            names.entry(k).or_insert(Some(v));
        } else {
            names.entry(k).and_modify(|old| if old.as_ref() != Some(&v) { *old = None }).or_insert(Some(v));
        }
    };
    for c in order {
        if c.origin == Origin::Coreference || !matches!(c.etype, EntityType::Person | EntityType::Org | EntityType::Fac) {
            continue;
        }
        let model = c.origin == Origin::Model;
        let key = match_key(&view.text_of(c.span));
        let words: Vec<String> = key.split(' ').map(str::to_string).collect();
        if words.is_empty() || words.len() > MAX_WORDS {
            continue;
        }
        // a one-word name repeats as itself only for a person (a one-word organisation or
        // facility title is too often an ordinary word elsewhere)
        // (and, in Arabic, not when that one word is also an ordinary word: a tagger's "دين" or
        // "صالح" would come back as a person wherever the word is used; measured on the dev
        // splits through AnalyzeText, the same filter cost Persian PER F1 2 points, so Persian
        // one-word names still repeat)
        let ordinary = |w: &str| lang != Lang::Fa && (w.chars().filter(|c| c.is_alphabetic()).count() < 3 || cues.is_stop(w, lang) || cues.is_common(w, lang));
        if !matches!(c.link, Link::Kb(_)) && (words.len() >= 2 || (c.etype == EntityType::Person && !ordinary(&words[0]))) {
            put(words.clone(), (c.link.clone(), c.etype), model);
        }
        if c.etype == EntityType::Person && words.len() >= 2 {
            // the last word with its ZWNJ parts
            let toks = &view.tokens[c.toks.clone()];
            let mut from = toks.len() - 1;
            while from > 0 && toks[from].joined {
                from -= 1;
            }
            if from == 0 {
                continue;
            }
            let short: Vec<String> = toks[from..].iter().map(|t| t.norm.clone()).collect();
            let one = short.join(" ");
            if one.chars().filter(|c| c.is_alphabetic()).count() < 3 || cues.is_stop(&one, lang) || (cues.is_common(&one, lang) && !matches!(c.link, Link::Kb(_))) || cues.is_given(&one) {
                continue;
            }
            put(short, (c.link.clone(), c.etype), model);
        }
    }
    names.retain(|_, v| v.is_some());
    if names.is_empty() {
        return;
    }
    // a model span that repeats a registered name is that entity ("تيرزيتش" after "ميلوش تيرزيتش")
    for c in chosen.iter_mut().filter(|c| c.origin == Origin::Model) {
        let key: Vec<String> = match_key(&view.text_of(c.span)).split(' ').map(str::to_string).collect();
        if let Some(Some((link, etype))) = names.get(&key) {
            if *link != c.link {
                c.link = link.clone();
                c.etype = *etype;
                c.origin = Origin::Coreference;
                c.confidence = COREF;
            }
        }
    }
    let n = view.tokens.len();
    let mut covered = vec![false; n];
    for c in chosen.iter() {
        for k in c.toks.clone() {
            covered[k] = true;
        }
    }
    // first word of each registered name -> the most words of a name starting with it
    let mut firsts: HashMap<&str, usize> = HashMap::new();
    for k in names.keys() {
        if let Some(w) = k.first() {
            let m = firsts.entry(w.as_str()).or_insert(0);
            *m = (*m).max(k.len());
        }
    }
    let mut added = Vec::new();
    let mut i = 0;
    while i < n {
        let t = &view.tokens[i];
        if covered[i] || t.kind != TokenKind::Word {
            i += 1;
            continue;
        }
        let mut readings = if lang == Lang::Fa { vec![crate::text::Reading { skip: 0, form: t.norm.clone(), clitics: String::new() }] } else { t.readings(&view.chars) };
        // only readings that start a registered name can match, and no longer than its names
        readings.retain(|r| firsts.contains_key(r.form.as_str()));
        let longest = readings.iter().map(|r| firsts[r.form.as_str()]).max().unwrap_or(0);
        let mut hit = None;
        'len: for len in (1..=longest.min(n - i)).rev() {
            if (i..i + len).any(|k| covered[k] || view.tokens[k].sentence != t.sentence) {
                continue;
            }
            // a name does not end inside a ZWNJ compound
            if i + len < n && view.tokens[i + len].joined && view.tokens[i + len].kind == TokenKind::Word {
                continue;
            }
            for r in &readings {
                let mut key = Vec::with_capacity(len);
                key.push(r.form.clone());
                key.extend(view.tokens[i + 1..i + len].iter().map(|t| t.norm.clone()));
                if let Some(Some((link, etype))) = names.get(&key) {
                    hit = Some((len, r.skip, link.clone(), *etype));
                    break 'len;
                }
            }
        }
        if let Some((len, skip, link, etype)) = hit {
            let span = Span { start: t.span.start + skip, end: view.tokens[i + len - 1].span.end };
            added.push(Cand { span, toks: i..i + len, etype, link, origin: Origin::Coreference, confidence: COREF });
            i += len;
        } else {
            i += 1;
        }
    }
    if !added.is_empty() {
        chosen.extend(added);
        chosen.sort_by_key(|c| (c.span.start, c.span.end));
    }
}
