//! The text layer: the original text as code points, its normalised view, language,
//! sentences, tokens and zones. Every later stage works on a [`TextView`].

pub mod lang;
pub mod metadata;
pub mod normalize;
pub mod segment;
pub mod token;
pub mod zones;

pub use normalize::{normalize, NormView};
pub use token::{tokenize, Reading, SuffixReading, Token, TokenKind};

use crate::model::{Lang, Span, Zone};
use crate::Stage;

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
    /// The dateline found while zoning, if any.
    pub dateline: Option<metadata::DatelineParse>,
}

/// Zones with at least this many Arabic-script letters get their own language check.
const ZONE_LANG_MIN_LETTERS: usize = 60;

impl TextView {
    /// Prepares `text`; `lang_hint` overrides language identification.
    pub fn new(text: &str, lang_hint: Option<Lang>) -> TextView {
        TextView::new_probed(text, lang_hint, &mut |_| {})
    }

    /// [`TextView::new`], calling `mark` at the end of each piece of work with the stage it
    /// belongs to ([`Stage::Text`] for tokens, sentences and zones, [`Stage::LangId`] for the
    /// language checks), for profiling; see [`crate::Annotator::annotate_probed`].
    pub fn new_probed(text: &str, lang_hint: Option<Lang>, mark: &mut impl FnMut(Stage)) -> TextView {
        let chars: Vec<char> = text.chars().collect();
        let mut tokens = tokenize(&chars);
        let sentences = segment::split_sentences(&chars, &tokens);
        let mut s = 0usize;
        for t in tokens.iter_mut() {
            while s + 1 < sentences.len() && t.span.start >= sentences[s].end {
                s += 1;
            }
            t.sentence = s as u32;
        }
        mark(Stage::Text);
        let lang = match lang_hint {
            Some(l) if l != Lang::Und => l,
            _ => lang::detect(&chars, &tokens),
        };
        mark(Stage::LangId);
        let zoning = zones::detect(&chars, &tokens, lang);
        let mut zones = zoning.zones;
        mark(Stage::Text);
        // a zone in another language than the document (a quoted Persian passage in Arabic)
        if lang != Lang::Und {
            for z in zones.iter_mut() {
                let a = tokens.partition_point(|t| t.span.end <= z.span.start);
                let b = tokens.partition_point(|t| t.span.start < z.span.end);
                let toks = &tokens[a..b];
                // a zone holding most of the text has the text's language
                if 2 * toks.len() > tokens.len() {
                    continue;
                }
                let letters: usize = toks.iter().filter(|t| t.kind == TokenKind::Word).map(|t| (t.span.end - t.span.start) as usize).sum();
                if letters >= ZONE_LANG_MIN_LETTERS {
                    let zl = lang::detect(&chars, toks);
                    if zl != lang && zl != Lang::Und {
                        z.lang = Some(zl);
                    }
                }
            }
        }
        mark(Stage::LangId);
        TextView { chars, lang, tokens, sentences, zones, dateline: zoning.dateline }
    }

    /// The original text of a span.
    pub fn text_of(&self, span: Span) -> String {
        span.text(&self.chars)
    }

    /// Tokens inside a span.
    pub fn tokens_in(&self, span: Span) -> &[Token] {
        let a = self.tokens.partition_point(|t| t.span.end <= span.start);
        let b = self.tokens.partition_point(|t| t.span.start < span.end);
        &self.tokens[a..b.max(a)]
    }

    /// The zone containing a span, if any.
    pub fn zone_of(&self, span: Span) -> Option<&Zone> {
        self.zones.iter().find(|z| z.span.contains(&span))
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
