//! The entity stage's word lists: `lexicon/entity_cues.tsv` (titles, organisation heads, place
//! nouns, given names, function words) and `lexicon/common_words.tsv` (frequent Arabic and
//! Persian words from wordfreq, to tell ordinary words from names).

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::lexicon::{phrase_forms, rows, LangTag, PhraseTable};
use crate::model::{EntityType, Lang};
use crate::text::Token;

pub const ENTITY_CUES: &str = include_str!("../../lexicon/entity_cues.tsv");
pub const COMMON_WORDS: &str = include_str!("../../lexicon/common_words.tsv");

/// What a cue phrase announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    Title,
    Head,
    Place,
    /// An ordinal adjective ("العاشرة", "الحادي عشر", "الاستثنائية").
    Ordinal,
    /// A directional or historical adjective after a country ("الجنوبية", "القيصرية").
    Modifier,
    /// A session noun ("الدورة", "نشست").
    Session,
    /// Words that introduce a news source ("نقلا عن", "به نقل از"): support a weak ORG form.
    Source,
    /// A determiner or quantifier: an organisation head after it is generic ("هر سازمان").
    Determiner,
}

#[derive(Debug, Clone, Copy)]
pub struct Cue {
    pub kind: CueKind,
    pub etype: EntityType,
    pub lang: LangTag,
}

/// The compiled lists.
#[derive(Debug)]
pub struct Cues {
    pub phrases: PhraseTable<Cue>,
    common_ar: HashSet<String>,
    common_fa: HashSet<String>,
    given: HashSet<String>,
    stop_ar: HashSet<String>,
    stop_fa: HashSet<String>,
}

impl Cues {
    /// The lists compiled into the library, parsed once per process.
    pub fn embedded() -> &'static Cues {
        static CUES: OnceLock<Cues> = OnceLock::new();
        CUES.get_or_init(Cues::parse)
    }

    fn parse() -> Cues {
        let mut c = Cues { phrases: PhraseTable::new(), common_ar: HashSet::new(), common_fa: HashSet::new(), given: HashSet::new(), stop_ar: HashSet::new(), stop_fa: HashSet::new() };
        for r in rows(ENTITY_CUES) {
            if r.len() < 4 {
                continue;
            }
            let lang = LangTag::parse(r[3]);
            let forms = phrase_forms(r[0]);
            let one = forms.join(" ");
            let etype = EntityType::parse(r[2]).unwrap_or(EntityType::Person);
            match r[1] {
                "title" => c.phrases.insert_forms(forms, Cue { kind: CueKind::Title, etype, lang }),
                "head" => c.phrases.insert_forms(forms, Cue { kind: CueKind::Head, etype, lang }),
                "place" => c.phrases.insert_forms(forms, Cue { kind: CueKind::Place, etype, lang }),
                "ordinal" => c.phrases.insert_forms(forms, Cue { kind: CueKind::Ordinal, etype: EntityType::Event, lang }),
                "modifier" => c.phrases.insert_forms(forms, Cue { kind: CueKind::Modifier, etype, lang }),
                "session" => c.phrases.insert_forms(forms, Cue { kind: CueKind::Session, etype, lang }),
                "source" => c.phrases.insert_forms(forms, Cue { kind: CueKind::Source, etype: EntityType::Org, lang }),
                "determiner" => c.phrases.insert_forms(forms, Cue { kind: CueKind::Determiner, etype: EntityType::Org, lang }),
                "given" => {
                    c.given.insert(one);
                }
                "stop" => {
                    if lang != LangTag::Fa {
                        c.stop_ar.insert(one.clone());
                    }
                    if lang != LangTag::Ar {
                        c.stop_fa.insert(one);
                    }
                }
                _ => {}
            }
        }
        for r in rows(COMMON_WORDS) {
            if r.len() < 2 {
                continue;
            }
            let w = phrase_forms(r[0]).join(" ");
            match r[1] {
                "fa" => c.common_fa.insert(w),
                _ => c.common_ar.insert(w),
            };
        }
        c
    }

    /// A frequent ordinary word of the language (normalised form).
    pub fn is_common(&self, norm: &str, lang: Lang) -> bool {
        match lang {
            Lang::Fa => self.common_fa.contains(norm),
            Lang::Ar => self.common_ar.contains(norm),
            Lang::Und => self.common_ar.contains(norm) || self.common_fa.contains(norm),
        }
    }

    /// A given name (kept as a name even when frequent).
    pub fn is_given(&self, norm: &str) -> bool {
        self.given.contains(norm)
    }

    /// A function word that ends a name or a chain.
    pub fn is_stop(&self, norm: &str, lang: Lang) -> bool {
        match lang {
            Lang::Fa => self.stop_fa.contains(norm),
            Lang::Ar => self.stop_ar.contains(norm),
            Lang::Und => self.stop_ar.contains(norm) || self.stop_fa.contains(norm),
        }
    }

    /// A cue of `kind` starting at token `i` (its proclitics stripped in Arabic), usable in
    /// `lang`: the index after its last token, the cue, and the proclitic skip.
    pub fn cue_at(&self, tokens: &[Token], chars: &[char], i: usize, lang: Lang, kind: CueKind) -> Option<(usize, Cue, u32)> {
        let t = tokens.get(i)?;
        let readings = if lang == Lang::Fa { vec![crate::text::Reading { skip: 0, form: t.norm.clone(), clitics: String::new() }] } else { t.readings(chars) };
        for r in readings {
            if !self.phrases.starts_with(&r.form) {
                continue;
            }
            if let Some((e, cue)) = self.phrases.longest_where(&r.form, tokens, i, |c| c.kind == kind && c.lang.allows(lang)) {
                // a multi-token cue stays inside one sentence
                if tokens[i..e].iter().all(|x| x.sentence == t.sentence) {
                    return Some((e, *cue, r.skip));
                }
            }
        }
        None
    }

    /// True when some cue phrase may start at `t` (its own form, or in Arabic a form without proclitics).
    pub fn maybe_cue(&self, t: &Token, chars: &[char], lang: Lang) -> bool {
        if self.phrases.starts_with(&t.norm) {
            return true;
        }
        if lang == Lang::Fa {
            return false;
        }
        if t.norm.strip_prefix("ال").is_some_and(|r| self.phrases.starts_with(r)) {
            return true;
        }
        t.norm.starts_with(['و', 'ف', 'ب', 'ل', 'ك'])
            && t.readings(chars).iter().skip(1).any(|r| self.phrases.starts_with(&r.form) || r.form.strip_prefix("ال").is_some_and(|x| self.phrases.starts_with(x)))
    }

    /// A cue of `kind` that ends just before token `end`.
    pub fn cue_before(&self, tokens: &[Token], chars: &[char], end: usize, lang: Lang, kind: CueKind) -> Option<Cue> {
        if end == 0 {
            return None;
        }
        self.phrases.ending_at(tokens, chars, end, |c| c.kind == kind && c.lang.allows(lang)).map(|(_, c)| *c)
    }
}
