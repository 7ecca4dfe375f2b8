//! Knowledge-base matching: one pass of the Aho-Corasick automaton over the document's token
//! stream, then a check of each hit's boundaries.
//!
//! The stream is the normalised form of every token, joined by a space (a newline between
//! sentences, so no name crosses one). A hit must start at a token start or after an attached
//! Arabic proclitic (و ف ب ل ك and their pairs; the article-less key variant only after لل), and
//! end at a token end or, in Persian, before an attached ending (ها، های، را; ezafe ی after a
//! vowel). The span reported excludes the proclitic and the ending. Quotation marks and hyphens
//! are left out of the stream, so a quoted part of a name does not break it (مجموعة "مينسك") and
//! "كوب-29" is "كوب 29" (the knowledge base indexes hyphenated names without the hyphen too). Every hit is kept: choosing
//! among overlapping hits is [`super::select`]'s job.

use std::ops::Range;

use crate::kb::{Kb, Variant};
use crate::model::{Lang, Span};
use crate::text::{TextView, TokenKind};

/// One verified occurrence of a knowledge-base key.
#[derive(Debug, Clone, PartialEq)]
pub struct KbHit {
    /// The name in the original text, without proclitics or endings.
    pub span: Span,
    /// Tokens the hit touches (the first may carry a proclitic).
    pub toks: Range<usize>,
    /// Index into [`Kb::keys`].
    pub key: u32,
    /// The hit follows the contraction لل (only [`Variant::NoArticle`] entries apply).
    pub after_ll: bool,
    /// A proclitic was stripped.
    pub clitic: bool,
}

/// The normalised token stream of a view.
pub struct Stream {
    pub text: String,
    /// Byte offset of each token's form in `text`.
    pub start: Vec<usize>,
    /// Byte offset after each token's form.
    pub end: Vec<usize>,
}

impl Stream {
    pub fn new(view: &TextView) -> Stream {
        let mut text = String::with_capacity(view.chars.len() * 2);
        let mut start = Vec::with_capacity(view.tokens.len());
        let mut end = Vec::with_capacity(view.tokens.len());
        let mut prev: Option<usize> = None;
        for (i, t) in view.tokens.iter().enumerate() {
            if is_quote_mark(&t.norm) || t.norm == "-" {
                // quotation marks inside a name are not part of it: مجموعة "مينسك"
                start.push(text.len());
                end.push(text.len());
                continue;
            }
            if let Some(p) = prev {
                let pt = &view.tokens[p];
                let newline = pt.sentence != t.sentence || view.chars[pt.span.end as usize..t.span.start as usize].contains(&'\n');
                text.push(if newline { '\n' } else { ' ' });
            }
            start.push(text.len());
            text.push_str(&t.norm);
            end.push(text.len());
            prev = Some(i);
        }
        Stream { text, start, end }
    }

    /// The token whose form contains byte `b` (or starts at it).
    fn token_at(&self, b: usize) -> Option<usize> {
        let i = self.start.partition_point(|&s| s <= b).checked_sub(1)?;
        (b < self.end[i]).then_some(i)
    }
}

/// Quotation marks, left out of the stream.
pub fn is_quote_mark(s: &str) -> bool {
    matches!(s, "\"" | "«" | "»" | "“" | "”" | "„" | "‹" | "›")
}

const CLITICS: &[&str] = &["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];
const LL_CLITICS: &[&str] = &["لل", "ولل", "فلل"];

/// Persian endings accepted after a name inside the same token (without ZWNJ).
fn persian_ending_ok(suffix: &str, key: &str) -> bool {
    match suffix {
        "ها" | "هاي" | "هايي" | "را" => true,
        "ي" => key.ends_with('ا') || key.ends_with('و'),
        _ => false,
    }
}

/// Every verified knowledge-base hit in the view, in automaton order.
pub fn kb_hits(view: &TextView, kb: &Kb) -> Vec<KbHit> {
    let stream = Stream::new(view);
    let mut out = Vec::new();
    let arabic_clitics = view.lang != Lang::Fa;
    for m in kb.automaton().find_overlapping_iter(&stream.text) {
        let (s, e) = (m.start(), m.end());
        let key = &kb.keys[m.value() as usize];
        let Some(i) = stream.token_at(s) else { continue };
        let Some(j) = stream.token_at(e - 1) else { continue };
        let ti = &view.tokens[i];
        let tj = &view.tokens[j];
        let prefix = &stream.text[stream.start[i]..s];
        let suffix = &stream.text[e..stream.end[j]];
        let mut after_ll = false;
        if !prefix.is_empty() {
            if ti.kind != TokenKind::Word || !arabic_clitics || key.acronym {
                continue;
            }
            if LL_CLITICS.contains(&prefix) {
                after_ll = true;
            } else if !CLITICS.contains(&prefix) {
                continue;
            }
            if key.text.chars().count() < 3 {
                continue;
            }
        }
        if !suffix.is_empty() {
            if tj.kind != TokenKind::Word || view.lang == Lang::Ar || !persian_ending_ok(suffix, &key.text) {
                continue;
            }
        }
        if key.acronym {
            // written in capitals in the text
            let orig = &view.chars[ti.span.start as usize..tj.span.end as usize];
            if orig.iter().any(|c| c.is_lowercase()) {
                continue;
            }
        }
        if after_ll && !key.entities.iter().any(|k| k.variant == Variant::NoArticle) {
            continue;
        }
        let skip = if prefix.is_empty() {
            0
        } else {
            let n = prefix.chars().count();
            ti.norm_ends(&view.chars).get(n - 1).copied().unwrap_or(0)
        };
        let end = if suffix.is_empty() {
            tj.span.end
        } else {
            let keep = stream.text[stream.start[j]..e].chars().count();
            match tj.norm_ends(&view.chars).get(keep.wrapping_sub(1)) {
                Some(&x) => tj.span.start + x,
                None => continue,
            }
        };
        let start = ti.span.start + skip;
        if start >= end {
            continue;
        }
        out.push(KbHit { span: Span { start, end }, toks: i..j + 1, key: m.value(), after_ll, clitic: !prefix.is_empty() });
    }
    out
}
