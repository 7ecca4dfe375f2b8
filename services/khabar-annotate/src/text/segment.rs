//! Sentence segmentation with exact offsets.
//!
//! A sentence ends at `! ? ؟ …`, at a full stop, and at a line break. A full stop does not end
//! a sentence when it
//! - follows a single letter or a known abbreviation ("ق. أ", "د. محمد", "U.S.", "Dr."),
//!   except an era letter after a year ("2006م." ends a sentence);
//! - is followed directly, without a space, by a letter or digit ("www.site.com", "ق.أ");
//! - closes a list number at the start of a line ("1. ..."), or starts an ellipsis at the
//!   start of a sentence;
//! - is followed by a lower-case Latin word or by a comma-like mark.
//!
//! Decimal numbers never split: "3.5" is one token. Closing quotes and brackets right after
//! the end mark belong to the sentence. Spans never include surrounding whitespace.

use super::token::{Token, TokenKind};
use crate::model::Span;

/// Abbreviations written with a full stop (normalised forms, without the stop).
const ABBREVIATIONS: &[&str] = &[
    // Arabic and Persian: titles, references
    "د", "م", "ق", "ص", "ج", "ت", "ش", "س", "ه", "أ", "ا", "ب", "ع", "ط", "ك", "ح", "ر", "ن", "و", "ف", "ل", "ي", "ز", "ي.م", "مج", "ط.ب", "دكتور",
    "ج.م.ع", "إلخ", // إلخ. usually ends a list inside a sentence
    // Latin
    "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "no", "vs", "inc", "ltd", "co", "corp", "gen", "col", "lt", "sgt", "rev", "etc", "fig", "vol",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e",
];

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '}' | '›')
}

/// Splits the text into sentences; `tokens` are the tokens of `chars`.
pub fn split_sentences(chars: &[char], tokens: &[Token]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None; // token index
    let mut i = 0;
    let first_char = |t: &Token| chars[t.span.start as usize];
    let gap_has_newline = |a: &Token, b: &Token| chars[a.span.end as usize..b.span.start as usize].contains(&'\n');
    while i < tokens.len() {
        let t = &tokens[i];
        if let Some(s) = start {
            if i > 0 && gap_has_newline(&tokens[i - 1], t) {
                out.push(Span { start: tokens[s].span.start, end: tokens[i - 1].span.end });
                start = None;
            }
        }
        if start.is_none() {
            // an ellipsis or a stray full stop does not start a sentence on its own
            start = Some(i);
        }
        let s = start.unwrap();
        let c = first_char(t);
        let mut end_here = false;
        if t.kind == TokenKind::Punct && matches!(c, '!' | '?' | '؟' | '…' | '.' | '۔') {
            // consume a run of end marks ("?!", "...")
            let mut j = i;
            while j + 1 < tokens.len()
                && tokens[j + 1].kind == TokenKind::Punct
                && matches!(first_char(&tokens[j + 1]), '!' | '?' | '؟' | '…' | '.' | '۔')
                && tokens[j].span.end == tokens[j + 1].span.start
            {
                j += 1;
            }
            let run_is_single_stop = j == i && matches!(c, '.' | '۔');
            end_here = if tokens[s..i].iter().all(|x| x.kind == TokenKind::Punct) {
                false // nothing but opening marks before it in this sentence
            } else if run_is_single_stop {
                stop_ends_sentence(chars, tokens, i, s)
            } else {
                // "!", "?", "…", "...": end unless glued to a following word
                tokens.get(j + 1).is_none_or(|n| n.span.start > tokens[j].span.end || is_closer(first_char(n)) || gap_has_newline(&tokens[j], n))
            };
            i = j;
            if end_here {
                // closing quotes and brackets glued to the end mark
                while i + 1 < tokens.len() && tokens[i + 1].span.start == tokens[i].span.end && is_closer(first_char(&tokens[i + 1])) {
                    i += 1;
                }
            }
        }
        if end_here {
            out.push(Span { start: tokens[s].span.start, end: tokens[i].span.end });
            start = None;
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push(Span { start: tokens[s].span.start, end: tokens[tokens.len() - 1].span.end });
    }
    out
}

/// Decides whether the single full stop at token `i` ends the sentence that started at token `s`.
fn stop_ends_sentence(chars: &[char], tokens: &[Token], i: usize, s: usize) -> bool {
    let t = &tokens[i];
    let prev = &tokens[i - 1];
    let next = tokens.get(i + 1);
    // glued to a following letter or digit: "www.x.com", "ق.أ", "3.ب"
    if let Some(n) = next {
        if n.span.start == t.span.end && matches!(n.kind, TokenKind::Word | TokenKind::Latin | TokenKind::Number) {
            return false;
        }
        // followed by a lower-case Latin word, or by a comma/semicolon/closing mark of a reference
        if n.kind == TokenKind::Latin && chars[n.span.start as usize].is_lowercase() {
            return false;
        }
        if n.kind == TokenKind::Punct && matches!(chars[n.span.start as usize], '،' | ',' | '؛' | ';' | ':' | '-' | '/') && n.span.start == t.span.end {
            return false;
        }
    }
    // abbreviation right before the stop
    if prev.span.end == t.span.start && matches!(prev.kind, TokenKind::Word | TokenKind::Latin) {
        let form = prev.norm.to_lowercase();
        let single = prev.norm.chars().count() == 1;
        if single || ABBREVIATIONS.contains(&form.as_str()) {
            // an era letter after a year ends a sentence: "في 19 يونيو 2006م."
            let after_year = i >= 2 && tokens[i - 2].kind == TokenKind::Number && matches!(form.as_str(), "م" | "ه" | "ش");
            // a single Latin capital is an initial ("G. Bush") and so is an Arabic letter
            if !after_year {
                // the end of the text or of the line still ends the sentence
                return next.is_none_or(|n| chars[t.span.end as usize..n.span.start as usize].contains(&'\n'));
            }
        }
    }
    // a list number at the start of a line: "1. ", "2."
    if i - 1 == s && prev.kind == TokenKind::Number && prev.norm.len() <= 2 {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::token::tokenize;

    fn sents(s: &str) -> Vec<String> {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        split_sentences(&c, &t).into_iter().map(|sp| sp.text(&c)).collect()
    }

    #[test]
    fn basic() {
        assert_eq!(sents("جملة أولى. جملة ثانية\nسطر ثالث"), ["جملة أولى.", "جملة ثانية", "سطر ثالث"]);
        assert_eq!(sents("هل جاء؟ نعم!"), ["هل جاء؟", "نعم!"]);
    }

    #[test]
    fn abbreviations_decimals_numbers() {
        assert_eq!(sents("أصدر المجلس القرار رقم 8/12- س (ق. أ) بشأن العدوان. ثم انتهى."), ["أصدر المجلس القرار رقم 8/12- س (ق. أ) بشأن العدوان.", "ثم انتهى."]);
        assert_eq!(sents("بلغ النمو 3.5 في المئة. وارتفع."), ["بلغ النمو 3.5 في المئة.", "وارتفع."]);
        assert_eq!(sents("قال د. محمد إن الوضع جيد. وأضاف."), ["قال د. محمد إن الوضع جيد.", "وأضاف."]);
        assert_eq!(sents("1. البند الأول\n2. البند الثاني"), ["1. البند الأول", "2. البند الثاني"]);
        assert_eq!(sents("زار الموقع www.azertag.az. ثم غادر."), ["زار الموقع www.azertag.az.", "ثم غادر."]);
        assert_eq!(sents("عقد في 19 يونيو 2006م. وأصدر القرار."), ["عقد في 19 يونيو 2006م.", "وأصدر القرار."]);
    }

    #[test]
    fn quotes_and_ellipsis() {
        assert_eq!(sents("قال: “هذا جيد.” ثم غادر."), ["قال: “هذا جيد.”", "ثم غادر."]);
        assert_eq!(sents("\"... مهما كان، يجب وضع حد.\" وأكد."), ["\"... مهما كان، يجب وضع حد.\"", "وأكد."]);
    }
}
