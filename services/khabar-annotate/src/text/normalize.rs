//! The normalised view used for matching, with a map back to the original text.
//!
//! Normalisation never touches the stored text: [`NormView`] is a separate string whose every
//! code point remembers which original code point it came from, so a match in the view maps
//! back to an exact span of the original.
//!
//! What it does (for matching only):
//! - drops harakat and Quranic marks (U+064B–U+065F, U+0670, U+06D6–U+06ED), tatweel (U+0640),
//!   bidi controls and zero-width characters (ZWSP, ZWJ, LRM, RLM, embeddings, isolates, BOM);
//! - turns ZWNJ (U+200C) into a space when it sits between letters, so the Persian compound
//!   "قره‌باغ" matches "قره باغ"; elsewhere it is dropped;
//! - unifies alef/hamza forms (أ إ آ ٱ → ا, ؤ → و, ئ → ي), yeh forms (ى ی ێ → ي),
//!   kaf forms (ک ڪ → ك), teh marbuta and heh forms (ة ۀ ە → ه);
//! - Arabic-Indic and Persian digits to ASCII, Arabic decimal/thousands separators to '.' and ',';
//! - NFKC for presentation forms and ligatures (ﻻ → لا), and lower-cases Latin letters;
//! - collapses every run of whitespace into one space.

use unicode_normalization::UnicodeNormalization;

/// Arabic-script letter test (basic Arabic, supplement, extended-A and presentation forms).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c as u32,
        0x0620..=0x063F | 0x0641..=0x064A | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5
        | 0x06EE..=0x06EF | 0x06FA..=0x06FC | 0x06FF | 0x0750..=0x077F | 0x08A0..=0x08C9
        | 0xFB50..=0xFDFF | 0xFE70..=0xFEFC)
}

/// Combining marks that are dropped (harakat, shadda, sukun, superscript alef, Quranic marks).
pub fn is_arabic_mark(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E8 | 0x06EA..=0x06ED | 0x08CA..=0x08FF)
}

/// Invisible formatting characters that are dropped (except ZWNJ, handled separately).
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B | 0x200D | 0x200E | 0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xFEFF | 0x061C | 0x00AD)
}

/// Zero-width non-joiner.
pub const ZWNJ: char = '\u{200C}';

/// Maps one already-NFKC'd character to its matching form; `None` drops it.
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{0640}' => return None,                                 // tatweel
        c if is_arabic_mark(c) || is_invisible(c) => return None,
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ؤ' => 'و',
        'ئ' | 'ى' | 'ی' | 'ێ' | 'ې' | 'ۍ' | 'ے' => 'ي',
        'ک' | 'ڪ' | 'ګ' => 'ك',
        'ة' | 'ۀ' | 'ە' | 'ہ' | 'ھ' | 'ۂ' | 'ۃ' => 'ه',
        '٠'..='٩' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        '٫' => '.',
        '٬' => ',',
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' | '\r' | '\n' => ' ',
        'A'..='Z' => c.to_ascii_lowercase(),
        // the rest of the Arabic blocks has no case and no whitespace: skip the Unicode tables
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' => c,
        c if c.is_ascii() && !c.is_whitespace() => c,
        c if c.is_whitespace() => ' ',
        c if c.is_uppercase() => c.to_lowercase().next().unwrap_or(c),
        c => c,
    })
}

/// True when `c` may change under NFKC (anything but ASCII and the basic Arabic block letters).
#[inline]
fn needs_nfkc(c: char) -> bool {
    !(c.is_ascii() || (is_arabic_letter(c) && !(0xFB50..=0xFEFC).contains(&(c as u32))) || is_arabic_mark(c) || c == '\u{0640}')
}

/// Appends the matching form of one original code point to `out` (NFKC, then [`fold_char`]):
/// nothing for a dropped mark, possibly several code points for a ligature. Whitespace maps to
/// ' '. Tokens use this for their `norm`, so token forms and the [`NormView`] agree.
#[inline]
pub fn fold_into(c: char, out: &mut String) -> usize {
    if needs_nfkc(c) {
        let mut buf = [0u8; 4];
        let mut n = 0;
        for d in c.encode_utf8(&mut buf).nfkc() {
            if let Some(f) = fold_char(d) {
                out.push(f);
                n += 1;
            }
        }
        n
    } else if let Some(f) = fold_char(c) {
        out.push(f);
        1
    } else {
        0
    }
}

/// A normalised copy of a text with, for each of its code points, the original code point it came from.
#[derive(Debug, Clone, Default)]
pub struct NormView {
    /// The normalised text as code points.
    pub chars: Vec<char>,
    /// `origin[i]` is the index in the original text of the code point that produced `chars[i]`.
    pub origin: Vec<u32>,
}

impl NormView {
    /// Builds the view of `original` (given as code points).
    pub fn new(original: &[char]) -> NormView {
        let mut chars = Vec::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        let mut buf = [0u8; 4];
        for (i, &c) in original.iter().enumerate() {
            if c == ZWNJ {
                // A ZWNJ between two letters separates the parts of a Persian compound.
                let prev_letter = chars.last().is_some_and(|p: &char| p.is_alphabetic());
                let next_letter = original.get(i + 1).is_some_and(|n| n.is_alphabetic() || is_arabic_mark(*n));
                if prev_letter && next_letter {
                    push_space(&mut chars, &mut origin, i as u32);
                }
                continue;
            }
            if needs_nfkc(c) {
                // NFKC for presentation forms, ligatures, full-width forms.
                let s: &str = c.encode_utf8(&mut buf);
                for d in s.nfkc() {
                    push(&mut chars, &mut origin, fold_char(d), i as u32);
                }
            } else {
                push(&mut chars, &mut origin, fold_char(c), i as u32);
            }
        }
        // trim a trailing space
        if chars.last() == Some(&' ') {
            chars.pop();
            origin.pop();
        }
        NormView { chars, origin }
    }

    /// Maps a half-open range of the normalised view back to the original text.
    pub fn to_original(&self, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.chars.len());
        (self.origin[start] as usize, self.origin[end - 1] as usize + 1)
    }

    /// The normalised text as a `String`.
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
}

fn push(chars: &mut Vec<char>, origin: &mut Vec<u32>, c: Option<char>, at: u32) {
    match c {
        Some(' ') => push_space(chars, origin, at),
        Some(c) => {
            chars.push(c);
            origin.push(at);
        }
        None => {}
    }
}

fn push_space(chars: &mut Vec<char>, origin: &mut Vec<u32>, at: u32) {
    if !chars.is_empty() && chars.last() != Some(&' ') {
        chars.push(' ');
        origin.push(at);
    }
}

/// Normalises a string for matching (the same folding as [`NormView`], without the map).
/// Used on both sides: knowledge-base names and text, search queries and aliases.
pub fn normalize(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    NormView::new(&chars).as_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_letter_variants() {
        assert_eq!(normalize("أذربيجان"), normalize("اذربیجان"));
        assert_eq!(normalize("تسنیم"), "تسنيم");
        assert_eq!(normalize("كاراباخ"), normalize("کاراباخ"));
        assert_eq!(normalize("مدرسة"), "مدرسه");
        assert_eq!(normalize("مُحَمَّد"), "محمد");
        assert_eq!(normalize("عـــلي"), "علي");
        assert_eq!(normalize("۲۹ خرداد ۱۳۸۵"), "29 خرداد 1385");
        assert_eq!(normalize("٢٠٢٠"), "2020");
        assert_eq!(normalize("OSCE"), "osce");
    }

    #[test]
    fn zwnj_compound_matches_spaced_form() {
        assert_eq!(normalize("قره\u{200C}باغ"), normalize("قره باغ"));
        assert_eq!(normalize("a\u{200F}b"), "ab");
    }

    #[test]
    fn map_points_back_to_original() {
        let text: Vec<char> = "و\u{200F}الأمم   المتحدة".chars().collect();
        let v = NormView::new(&text);
        let s = v.as_string();
        assert_eq!(s, "والامم المتحده");
        let start = s.chars().position(|c| c == 'ا').unwrap();
        let (a, b) = v.to_original(start, v.chars.len());
        assert_eq!(text[a..b].iter().collect::<String>(), "الأمم   المتحدة");
    }

    #[test]
    fn presentation_forms_expand() {
        assert_eq!(normalize("\u{FEFB}"), "لا");
    }
}
