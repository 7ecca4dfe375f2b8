//! Language identification: Arabic, Persian, or undetermined.
//!
//! Two sources of evidence are combined:
//! - cues counted over the words: Persian-only letters (پ چ ژ گ), Persian ی/ک code points,
//!   ZWNJ compounds, Persian function words (است، را، که، می، های، شد، برای …) against Arabic
//!   function words (في، إلى، التي، الذي، عن، هذا …), the Arabic article ال and ة/ى.
//!   Function words are compared after normalisation, so a Persian text typed with Arabic ي/ك
//!   (FarsNews) still shows "است", "که", "می";
//! - lingua, restricted to Arabic and Persian, on a bounded sample of the Arabic-script words
//!   (so the cost does not grow with the text).
//!
//! Clear cue majorities decide alone; otherwise the lingua log-odds and the cue difference are
//! added. A text with too little Arabic-script content is `und`; one word is never enough.

use std::collections::HashMap;
use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use super::normalize::{is_arabic_letter, ZWNJ};
use super::token::{Token, TokenKind};
use crate::lexicon::FxBuild;
use crate::model::Lang;

/// Normalised words that occur in Persian and (practically) never in Arabic text.
const PERSIAN_WORDS: &[&str] = &[
    "است", "را", "كه", "مي", "هاي", "ها", "شد", "شده", "شود", "كرد", "كرده", "كند", "كنند", "كردند", "بود", "براي", "از", "با", "در", "نيز", "خود",
    "وي", "دارد", "گفت", "تا", "يك", "اين", "اند", "نمي", "بر", "همچنين", "اينكه", "ايم", "بايد", "شدند", "هستند", "نيست", "ديگر", "چند",
];
/// Normalised words that occur in Arabic and (practically) never in Persian text.
const ARABIC_WORDS: &[&str] = &[
    "في", "الي", "التي", "الذي", "الذين", "عن", "هذا", "هذه", "ذلك", "كان", "كانت", "قد", "لا", "مع", "حيث", "قال", "وقال", "كما", "لم", "لن", "وفي", "وقد",
    "ولا", "فيما", "منذ", "لدي", "ايضا", "خلال", "اليوم", "وان", "الا", "عليه", "فيه", "بها", "لها", "يكون", "تكون", "بعض", "اذا", "هناك", "وهو", "وهي",
];

/// Cue words by normalised form: true for Persian, false for Arabic.
fn cue_words() -> &'static HashMap<&'static str, bool, FxBuild> {
    static M: OnceLock<HashMap<&'static str, bool, FxBuild>> = OnceLock::new();
    M.get_or_init(|| PERSIAN_WORDS.iter().map(|w| (*w, true)).chain(ARABIC_WORDS.iter().map(|w| (*w, false))).collect())
}

fn detector() -> &'static LanguageDetector {
    static D: OnceLock<LanguageDetector> = OnceLock::new();
    D.get_or_init(|| LanguageDetectorBuilder::from_languages(&[Language::Arabic, Language::Persian]).build())
}

/// Evidence gathered over some tokens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Arabic-script letters.
    pub arabic_letters: usize,
    /// All letters (any script).
    pub letters: usize,
    /// Weighted Persian cues.
    pub fa: f64,
    /// Weighted Arabic cues.
    pub ar: f64,
    /// Arabic-script words seen.
    pub words: usize,
}

/// How many words the cues are counted on; enough for a decision, bounded for speed.
const MAX_WORDS: usize = 3000;
/// Characters of Arabic-script words given to lingua.
const LINGUA_SAMPLE: usize = 400;

/// Counts the cues of `tokens` (a slice of the tokens of `chars`).
pub fn evidence(chars: &[char], tokens: &[Token]) -> Evidence {
    let mut e = Evidence::default();
    for t in tokens {
        match t.kind {
            TokenKind::Latin => {
                e.letters += chars[t.span.start as usize..t.span.end as usize].iter().filter(|c| c.is_alphabetic()).count();
                continue;
            }
            TokenKind::Word => {}
            _ => continue,
        }
        if e.words >= MAX_WORDS {
            break;
        }
        e.words += 1;
        let orig = &chars[t.span.start as usize..t.span.end as usize];
        let (mut n, mut pcgz, mut yk, mut ta) = (0usize, false, false, false);
        for &c in orig {
            match c {
                'پ' | 'چ' | 'ژ' | 'گ' => pcgz = true,
                'ی' | 'ک' => yk = true,
                'ة' | 'ى' => ta = true,
                _ => {}
            }
            n += is_arabic_letter(c) as usize;
        }
        e.arabic_letters += n;
        e.letters += n;
        let norm = t.norm.as_str();
        match cue_words().get(norm) {
            Some(true) => e.fa += 1.0,
            Some(false) => e.ar += 1.0,
            None => {}
        }
        if pcgz {
            e.fa += 1.0;
        }
        if yk {
            e.fa += 0.3;
        }
        if ta {
            e.ar += 0.3;
        }
        let al = ["ال", "وال", "بال", "لل", "فال", "كال"].iter().any(|p| norm.starts_with(p)) && norm.chars().count() >= 4;
        if al {
            e.ar += 0.5;
        }
        if t.joined && t.span.start > 0 && chars[t.span.start as usize - 1] == ZWNJ {
            e.fa += 0.5;
        }
    }
    e
}

/// Language of a text given its tokens (or of a zone given the zone's tokens).
pub fn detect(chars: &[char], tokens: &[Token]) -> Lang {
    let e = evidence(chars, tokens);
    if e.arabic_letters < 12 || (e.arabic_letters as f64) < 0.3 * e.letters as f64 || e.words < 2 {
        return Lang::Und;
    }
    let total = e.fa + e.ar;
    if total >= 6.0 {
        if e.fa >= 3.0 * e.ar {
            return Lang::Fa;
        }
        if e.ar >= 3.0 * e.fa {
            return Lang::Ar;
        }
    }
    // lingua on a bounded sample of Arabic-script words
    let mut sample = String::with_capacity(LINGUA_SAMPLE * 2);
    let mut n = 0;
    for t in tokens.iter().filter(|t| t.kind == TokenKind::Word) {
        if n >= LINGUA_SAMPLE {
            break;
        }
        let w = &chars[t.span.start as usize..t.span.end as usize];
        if !sample.is_empty() {
            sample.push(' ');
        }
        sample.extend(w.iter());
        n += w.len() + 1;
    }
    let conf = detector().compute_language_confidence_values(sample);
    let p_fa = conf.iter().find(|(l, _)| *l == Language::Persian).map_or(0.5, |c| c.1);
    let p_fa = p_fa.clamp(0.02, 0.98);
    let logit = (p_fa / (1.0 - p_fa)).ln() + 0.8 * (e.fa - e.ar);
    if logit > 0.0 { Lang::Fa } else { Lang::Ar }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::token::tokenize;

    fn lang(s: &str) -> Lang {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        detect(&c, &t)
    }

    #[test]
    fn arabic_and_persian() {
        assert_eq!(lang("وقال رئيس اللجنة إنه من أجل التغلب على التحديات المقبلة من الضروري تعزيز التنسيق"), Lang::Ar);
        assert_eq!(lang("وزیر امور خارجه جمهوری آذربایجان خواستار مشارکت جامعه بین المللی از این کشور شد."), Lang::Fa);
        // Persian typed with Arabic yeh and kaf
        assert_eq!(lang("رئيس اداره كل دفاتر خدمات بانكي پست بانك گفت: با خريد و نصب نرم افزار متمركز به زودي خدمات ارايه مي شود."), Lang::Fa);
        // an Arabic text from an Iranian outlet with a Persian yeh in one name
        assert_eq!(lang("وقد قام مركز الأخبار بترجمة هذا الخبر من مصدر وكالة تسنیم للأنباء في طهران"), Lang::Ar);
    }

    #[test]
    fn too_little_arabic_script_is_und() {
        assert_eq!(lang(""), Lang::Und);
        assert_eq!(lang("تهران"), Lang::Und);
        assert_eq!(lang("The OSCE Minsk Group met in Vienna on Tuesday to discuss the conflict (باكو)."), Lang::Und);
        assert_eq!(lang("12345 !!!"), Lang::Und);
    }
}
