//! The text layer: the original text as code points, its normalised view, language,
//! sentences, tokens and zones. Every later stage works on a [`TextView`].

pub mod normalize;
pub mod token;

pub use normalize::{normalize, NormView};
pub use token::{tokenize, Reading, Token, TokenKind};

use crate::model::{Lang, Span, Zone, ZoneType};

/// A text prepared for annotation.
#[derive(Debug, Clone)]
pub struct TextView {
    /// The original text as code points; every span indexes this.
    pub chars: Vec<char>,
    /// Document language.
    pub lang: Lang,
    /// Tokens in text order, each with its sentence index.
    pub tokens: Vec<Token>,
    /// Sentence spans in text order.
    pub sentences: Vec<Span>,
    /// Zones in text order.
    pub zones: Vec<Zone>,
}

impl TextView {
    /// Prepares `text`; `lang_hint` overrides language identification.
    pub fn new(text: &str, lang_hint: Option<Lang>) -> TextView {
        let chars: Vec<char> = text.chars().collect();
        let mut tokens = tokenize(&chars);
        let sentences = split_sentences(&chars, &tokens);
        let mut s = 0usize;
        for t in tokens.iter_mut() {
            while s + 1 < sentences.len() && t.span.start >= sentences[s].end {
                s += 1;
            }
            t.sentence = s as u32;
        }
        let lang = match lang_hint {
            Some(l) if l != Lang::Und => l,
            _ => detect_language(&chars),
        };
        let zones = if chars.iter().any(|c| !c.is_whitespace()) {
            let first = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
            let last = chars.iter().rposition(|c| !c.is_whitespace()).map_or(0, |p| p + 1);
            vec![Zone { kind: ZoneType::Body, span: Span::new(first, last), lang: None }]
        } else {
            Vec::new()
        };
        TextView { chars, lang, tokens, sentences, zones }
    }

    /// The original text of a span.
    pub fn text_of(&self, span: Span) -> String {
        span.text(&self.chars)
    }
}

/// Sentences end at . ! ? ؟ … and at line breaks; spans are trimmed of surrounding whitespace.
fn split_sentences(chars: &[char], tokens: &[Token]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<u32> = None;
    let mut last_end = 0u32;
    for (i, t) in tokens.iter().enumerate() {
        // a line break between the previous token and this one ends the sentence
        if let Some(s) = start {
            let gap = &chars[last_end as usize..t.span.start as usize];
            if gap.contains(&'\n') {
                out.push(Span { start: s, end: last_end });
                start = None;
            }
        }
        if start.is_none() {
            start = Some(t.span.start);
        }
        last_end = t.span.end;
        let c = chars[t.span.start as usize];
        let ends = t.kind == TokenKind::Punct && matches!(c, '.' | '!' | '?' | '؟' | '…')
            && tokens.get(i + 1).is_none_or(|n| n.kind != TokenKind::Punct || !matches!(chars[n.span.start as usize], '.' | '!' | '?' | '؟'));
        if ends {
            out.push(Span { start: start.take().unwrap(), end: last_end });
        }
    }
    if let Some(s) = start {
        out.push(Span { start: s, end: last_end });
    }
    out
}

/// Script statistics: letters only used in Persian versus only in Arabic.
fn detect_language(chars: &[char]) -> Lang {
    let (mut arabic_script, mut persian, mut arabic) = (0usize, 0usize, 0usize);
    for &c in chars {
        if normalize::is_arabic_letter(c) {
            arabic_script += 1;
            match c {
                'پ' | 'چ' | 'ژ' | 'گ' | 'ی' | 'ک' => persian += 1,
                'ة' | 'ى' | 'إ' => arabic += 1,
                _ => {}
            }
        }
    }
    if arabic_script < 3 {
        Lang::Und
    } else if persian > arabic {
        Lang::Fa
    } else {
        Lang::Ar
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_token_sentence_index() {
        let v = TextView::new("جملة أولى. جملة ثانية\nسطر ثالث", None);
        let s: Vec<String> = v.sentences.iter().map(|s| v.text_of(*s)).collect();
        assert_eq!(s, ["جملة أولى.", "جملة ثانية", "سطر ثالث"]);
        assert_eq!(v.tokens.last().unwrap().sentence, 2);
    }
}
