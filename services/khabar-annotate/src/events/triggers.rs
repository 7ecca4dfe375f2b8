//! Trigger and cue lexicons (`lexicon/event_triggers.tsv`, `lexicon/event_cues.tsv`) and the
//! morphology that expands each listed word into the token forms it takes in text.
//!
//! The files list one form per lemma and a paradigm (`pos`); [`inflect`] generates the
//! inflected token forms (clitics, tense prefixes, endings) once, into a hash table keyed by the
//! normalised token form, so matching a token is a single lookup of [`Token::norm`]. Each
//! generated form remembers what its affixes say ([`flags`]): a future prefix سـ, an imperfect
//! prefix, a Persian negative or progressive prefix.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::lexicon::{phrase_forms, rows, FxBuild, LangTag};
use crate::model::{EventType, Lang};
use crate::text::token::Token;

/// The trigger list.
pub const TRIGGERS_TSV: &str = include_str!("../../lexicon/event_triggers.tsv");
/// The cue list (support verbs, document nouns, weapons, realis markers …).
pub const CUES_TSV: &str = include_str!("../../lexicon/event_cues.tsv");

/// What a form's affixes say (bit flags).
pub mod flags {
    /// Future prefix سـ (سيزور، ستعقد).
    pub const FUTURE: u8 = 1;
    /// Arabic imperfect (present/future) verb form.
    pub const IMPERFECT: u8 = 2;
    /// Persian negative prefix ن / نمی.
    pub const NEG: u8 = 4;
    /// A verb (either language).
    pub const VERB: u8 = 8;
    /// Persian present-tense prefix می.
    pub const PROGRESSIVE: u8 = 16;
    /// Persian subjunctive prefix ب.
    pub const SUBJUNCTIVE: u8 = 32;
}

/// A word paradigm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// Arabic perfect verb stem.
    ArPerfect,
    /// Arabic imperfect verb stem (without person prefix).
    ArImperfect,
    /// Arabic noun.
    ArNoun,
    /// Persian verb stem.
    FaVerb,
    /// Persian noun.
    FaNoun,
    /// Exactly as written.
    Exact,
}

impl Pos {
    fn parse(s: &str) -> Pos {
        match s {
            "av" => Pos::ArPerfect,
            "ai" => Pos::ArImperfect,
            "an" => Pos::ArNoun,
            "fv" => Pos::FaVerb,
            "fn" => Pos::FaNoun,
            "x" => Pos::Exact,
            other => panic!("event lexicon: unknown pos {other:?}"),
        }
    }
    /// True for verb paradigms.
    pub fn is_verb(self) -> bool {
        matches!(self, Pos::ArPerfect | Pos::ArImperfect | Pos::FaVerb)
    }
    /// The noun paradigm of the same language (for the other words of a phrase).
    fn noun(self) -> Pos {
        match self {
            Pos::ArPerfect | Pos::ArImperfect | Pos::ArNoun => Pos::ArNoun,
            Pos::FaVerb | Pos::FaNoun => Pos::FaNoun,
            Pos::Exact => Pos::Exact,
        }
    }
}

/// How much a trigger says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    Weak,
    Medium,
    Strong,
}

/// What a trigger stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TriggerKind {
    /// An event of this type.
    Event(EventType),
    /// Someone was killed.
    Kill,
    /// Someone was injured.
    Injure,
    /// People were displaced.
    Displace,
}

impl TriggerKind {
    /// True for the casualty words.
    pub fn is_casualty(self) -> bool {
        matches!(self, TriggerKind::Kill | TriggerKind::Injure | TriggerKind::Displace)
    }
}

/// Cue classes of `event_cues.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Held,
    ResDoc,
    Issue,
    AgrDoc,
    Weapon,
    LaunchObj,
    Monument,
    Institution,
    Arrive,
    Call,
    ProtestCue,
    War,
    Future,
    FutureAfter,
    Neg,
    Hypo,
    Demonstrative,
    PersonNoun,
}

impl Cue {
    fn parse(s: &str) -> Cue {
        match s {
            "HELD" => Cue::Held,
            "RES_DOC" => Cue::ResDoc,
            "ISSUE" => Cue::Issue,
            "AGR_DOC" => Cue::AgrDoc,
            "WEAPON" => Cue::Weapon,
            "LAUNCH_OBJ" => Cue::LaunchObj,
            "MONUMENT" => Cue::Monument,
            "INSTITUTION" => Cue::Institution,
            "ARRIVE" => Cue::Arrive,
            "CALL" => Cue::Call,
            "PROTEST_CUE" => Cue::ProtestCue,
            "WAR" => Cue::War,
            "FUTURE" => Cue::Future,
            "FUTURE_AFTER" => Cue::FutureAfter,
            "NEG" => Cue::Neg,
            "HYPO" => Cue::Hypo,
            "DEMONSTRATIVE" => Cue::Demonstrative,
            "PERSON_NOUN" => Cue::PersonNoun,
            other => panic!("event_cues.tsv: unknown class {other:?}"),
        }
    }
}

/// What a trigger needs around it to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing.
    Nothing,
    /// An event noun: a support verb, a time expression or an attached argument nearby.
    Support,
    /// A conference noun: a support verb or a time expression nearby.
    Held,
    /// A cue of this class after the trigger (also before it in Persian).
    Cue(Cue),
    /// A cue of this class before the trigger ("القرار الصادر عن").
    CueBefore(Cue),
    /// A person, organisation or country named right after the trigger.
    Party,
    /// A Persian light verb (کرد، شد، نمود …) right after the noun.
    Light,
}

impl Needs {
    fn parse(s: &str) -> Needs {
        match s {
            "-" | "" => Needs::Nothing,
            "support" => Needs::Support,
            "held" => Needs::Held,
            "PARTY" => Needs::Party,
            "LIGHT" => Needs::Light,
            "RES_DOC_BEFORE" => Needs::CueBefore(Cue::ResDoc),
            c => Needs::Cue(Cue::parse(c)),
        }
    }
}

/// One row of the trigger list.
#[derive(Debug, Clone)]
pub struct TriggerEntry {
    pub kind: TriggerKind,
    pub lang: LangTag,
    pub pos: Pos,
    pub strength: Strength,
    pub needs: Needs,
    /// Accepted token forms of the second and later words of a phrase.
    pub rest: Vec<Vec<String>>,
    /// The form as listed.
    pub form: String,
}

/// A generated token form: which entry (or cue class) and what its affixes say.
#[derive(Debug, Clone, Copy)]
pub struct FormHit<T> {
    pub value: T,
    pub flags: u8,
}

/// Phrase tables of both lists.
#[derive(Debug)]
pub struct Lexicon {
    pub entries: Vec<TriggerEntry>,
    /// First-word form → entries.
    pub triggers: HashMap<String, Vec<FormHit<u16>>, FxBuild>,
    /// Cue phrases: first-word form → (class, lang, rest forms).
    pub cues: HashMap<String, Vec<(Cue, LangTag, Vec<Vec<String>>, u8)>, FxBuild>,
}

const AR_CONJ: &[&str] = &["", "و", "ف"];

/// The token forms of one listed word under a paradigm, each with its flags.
pub fn inflect(word: &str, pos: Pos) -> Vec<(String, u8)> {
    let w = crate::text::normalize(word).replace(' ', "");
    let mut out: Vec<(String, u8)> = Vec::new();
    let mut push = |s: String, f: u8| {
        if !out.iter().any(|(x, _)| *x == s) {
            out.push((s, f));
        }
    };
    match pos {
        Pos::Exact => push(w.clone(), 0),
        Pos::ArPerfect => {
            // a final ى/ا (normalised ي/ا) of a defective verb drops before consonant endings
            let chars: Vec<char> = w.chars().collect();
            let defective = chars.len() > 2 && matches!(chars[chars.len() - 1], 'ي' | 'ا');
            let short: String = if defective { chars[..chars.len() - 1].iter().collect() } else { w.clone() };
            let mut stems: Vec<String> = vec![w.clone()];
            for suf in ["ت", "تا", "ن", "نا", "تم", "وا", "و"] {
                stems.push(format!("{short}{suf}"));
            }
            stems.push(format!("{w}ا")); // dual التقيا، قصفا
            if !defective {
                stems.push(format!("{w}وا"));
            }
            for c in AR_CONJ {
                for s in &stems {
                    push(format!("{c}{s}"), flags::VERB);
                    // لقد / and the لـ of "ولقد" are separate tokens; قد is a separate token
                }
            }
        }
        Pos::ArImperfect => {
            let chars: Vec<char> = w.chars().collect();
            let defective = chars.len() > 2 && matches!(chars[chars.len() - 1], 'ي' | 'ا');
            let short: String = if defective { chars[..chars.len() - 1].iter().collect() } else { w.clone() };
            let mut bodies: Vec<String> = vec![w.clone(), format!("{w}ان"), format!("{w}ا")];
            if defective {
                // the jussive after لم / لا drops the final vowel: "لم يلتق"
                bodies.push(short.clone());
            }
            for suf in ["ون", "وا", "ين", "ن"] {
                bodies.push(format!("{short}{suf}"));
            }
            for c in AR_CONJ {
                for (pre, f) in [("", 0), ("س", flags::FUTURE), ("ل", 0)] {
                    for person in ["ي", "ت", "ن", "ا"] {
                        for b in &bodies {
                            push(format!("{c}{pre}{person}{b}"), flags::VERB | flags::IMPERFECT | f);
                        }
                    }
                }
            }
        }
        Pos::ArNoun => {
            let chars: Vec<char> = w.chars().collect();
            let fem = chars.len() > 2 && chars[chars.len() - 1] == 'ه';
            let base: String = if fem { chars[..chars.len() - 1].iter().collect() } else { w.clone() };
            let mut bodies: Vec<String> = vec![w.clone()];
            if fem {
                // زيارة: زيارات، زيارتين، زيارته، زيارتها
                for suf in ["ات", "تين", "تان", "ته", "تها", "تهم", "تهما", "اتها", "اته", "اتهم"] {
                    bodies.push(format!("{base}{suf}"));
                }
            } else {
                for suf in ["ات", "ين", "ان", "ا", "ه", "ها", "هم", "هما", "اتها"] {
                    bodies.push(format!("{w}{suf}"));
                }
            }
            let definite: Vec<String> = bodies.clone();
            for c in AR_CONJ {
                for p in ["", "ب", "ل", "ك"] {
                    for b in &bodies {
                        push(format!("{c}{p}{b}"), 0);
                    }
                    for b in &definite {
                        push(format!("{c}{p}ال{b}"), 0);
                    }
                }
                // لل = ل + ال
                for b in &definite {
                    if !b.starts_with('ل') {
                        push(format!("{c}لل{b}"), 0);
                    }
                }
            }
            // a listed form with the article: also without proclitics on the article
            if let Some(stem) = w.strip_prefix("ال") {
                for c in AR_CONJ {
                    for p in ["", "ب", "ك"] {
                        push(format!("{c}{p}ال{stem}"), 0);
                    }
                    push(format!("{c}لل{stem}"), 0);
                }
            }
        }
        Pos::FaVerb => {
            for (pre, f) in [("", 0), ("مي", flags::PROGRESSIVE), ("ن", flags::NEG), ("نمي", flags::NEG | flags::PROGRESSIVE), ("ب", flags::SUBJUNCTIVE)] {
                for end in ["", "م", "ي", "يم", "يد", "ند", "ه", "ن"] {
                    push(format!("{pre}{w}{end}"), flags::VERB | f);
                }
            }
        }
        Pos::FaNoun => {
            for suf in ["", "ها", "هاي", "هايي", "ي", "اي", "يي", "ات", "ش", "شان"] {
                push(format!("{w}{suf}"), 0);
            }
        }
    }
    out
}

/// The lexicon compiled into the library (built once).
pub fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(build)
}

fn parse_kind(s: &str) -> TriggerKind {
    match s {
        "KILL" => TriggerKind::Kill,
        "INJURE" => TriggerKind::Injure,
        "DISPLACE" => TriggerKind::Displace,
        other => TriggerKind::Event(EventType::parse(other).unwrap_or_else(|| panic!("event_triggers.tsv: unknown type {other:?}"))),
    }
}

fn build() -> Lexicon {
    let mut entries = Vec::new();
    let mut triggers: HashMap<String, Vec<FormHit<u16>>, FxBuild> = HashMap::default();
    for r in rows(TRIGGERS_TSV) {
        assert!(r.len() >= 6, "event_triggers.tsv: short row {r:?}");
        let pos = Pos::parse(r[3]);
        let words = phrase_forms(r[0]);
        let rest: Vec<Vec<String>> = words.iter().skip(1).map(|w| inflect(w, pos.noun()).into_iter().map(|(f, _)| f).collect()).collect();
        let idx = entries.len() as u16;
        entries.push(TriggerEntry {
            kind: parse_kind(r[1]),
            lang: LangTag::parse(r[2]),
            pos,
            strength: match r[4] {
                "s" => Strength::Strong,
                "m" => Strength::Medium,
                "w" => Strength::Weak,
                other => panic!("event_triggers.tsv: unknown strength {other:?}"),
            },
            needs: Needs::parse(r[5]),
            rest,
            form: r[0].to_string(),
        });
        let Some(first) = words.first() else { continue };
        for (f, fl) in inflect(first, pos) {
            let v = triggers.entry(f).or_default();
            if !v.iter().any(|h| h.value == idx) {
                v.push(FormHit { value: idx, flags: fl });
            }
        }
    }
    let mut cues: HashMap<String, Vec<(Cue, LangTag, Vec<Vec<String>>, u8)>, FxBuild> = HashMap::default();
    for r in rows(CUES_TSV) {
        assert!(r.len() >= 4, "event_cues.tsv: short row {r:?}");
        let class = Cue::parse(r[1]);
        let lang = LangTag::parse(r[2]);
        let pos = Pos::parse(r[3]);
        let words = phrase_forms(r[0]);
        let rest: Vec<Vec<String>> = words.iter().skip(1).map(|w| inflect(w, pos.noun()).into_iter().map(|(f, _)| f).collect()).collect();
        let Some(first) = words.first() else { continue };
        for (f, fl) in inflect(first, pos) {
            let v = cues.entry(f).or_default();
            if !v.iter().any(|(c, l, r2, _)| *c == class && *l == lang && *r2 == rest) {
                v.push((class, lang, rest.clone(), fl));
            }
        }
    }
    Lexicon { entries, triggers, cues }
}

/// A trigger found in the token stream.
#[derive(Debug, Clone, Copy)]
pub struct TriggerMatch {
    /// First token.
    pub start: usize,
    /// Token after the last one.
    pub end: usize,
    /// Index into [`Lexicon::entries`].
    pub entry: u16,
    /// What the first token's affixes say ([`flags`]).
    pub flags: u8,
}

fn rest_matches(rest: &[Vec<String>], tokens: &[Token], at: usize) -> bool {
    rest.iter().enumerate().all(|(k, forms)| tokens.get(at + k).is_some_and(|t| forms.iter().any(|f| *f == t.norm)))
}

impl Lexicon {
    /// Triggers starting at token `i` for a text in `lang`, longest first.
    pub fn triggers_at(&self, tokens: &[Token], i: usize, lang: Lang) -> Vec<TriggerMatch> {
        let mut out = Vec::new();
        let Some(hits) = self.triggers.get(tokens[i].norm.as_str()) else { return out };
        for h in hits {
            let e = &self.entries[h.value as usize];
            if !e.lang.allows(lang) {
                continue;
            }
            if rest_matches(&e.rest, tokens, i + 1) {
                out.push(TriggerMatch { start: i, end: i + 1 + e.rest.len(), entry: h.value, flags: h.flags });
            }
        }
        out.sort_by_key(|m| std::cmp::Reverse(m.end));
        out
    }

    /// The cue of class `class` starting at token `i`, if any: index after its last token and
    /// the flags of its first token.
    pub fn cue_at(&self, tokens: &[Token], i: usize, class: Cue, lang: Lang) -> Option<(usize, u8)> {
        let hits = self.cues.get(tokens.get(i)?.norm.as_str())?;
        hits.iter()
            .filter(|(c, l, rest, _)| *c == class && l.allows(lang) && rest_matches(rest, tokens, i + 1))
            .map(|(_, _, rest, fl)| (i + 1 + rest.len(), *fl))
            .max_by_key(|(e, _)| *e)
    }

    /// True when token `i` starts any cue of `class`.
    pub fn is_cue(&self, tokens: &[Token], i: usize, class: Cue, lang: Lang) -> bool {
        self.cue_at(tokens, i, class, lang).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(w: &str, p: Pos) -> Vec<String> {
        inflect(w, p).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn arabic_verb_paradigms() {
        let f = forms("التقى", Pos::ArPerfect);
        for w in ["التقي", "التقت", "التقوا", "والتقي", "التقيا"] {
            assert!(f.contains(&w.to_string()), "{w} not in {f:?}");
        }
        let f = inflect("لتقي", Pos::ArImperfect);
        let sa = f.iter().find(|(x, _)| x == "سيلتقي").expect("سيلتقي");
        assert!(sa.1 & flags::FUTURE != 0);
        assert!(f.iter().any(|(x, _)| x == "يلتقون"));
        let f = forms("زور", Pos::ArImperfect);
        assert!(f.contains(&"سيزور".to_string()) && f.contains(&"تزور".to_string()));
    }

    #[test]
    fn arabic_noun_paradigm() {
        let f = forms("زيارة", Pos::ArNoun);
        for w in ["زياره", "الزياره", "بزياره", "وبالزياره", "زيارات", "زيارته", "للزياره"] {
            assert!(f.contains(&w.to_string()), "{w} not in {f:?}");
        }
    }

    #[test]
    fn persian_paradigms() {
        let f = inflect("رفت", Pos::FaVerb);
        assert!(f.iter().any(|(x, fl)| x == "نرفتند" && fl & flags::NEG != 0));
        let f = forms("ديدار", Pos::FaNoun);
        assert!(f.contains(&"ديدارهاي".to_string()));
    }

    #[test]
    fn lexicons_parse() {
        let l = lexicon();
        assert!(l.entries.len() > 100);
        assert!(l.triggers.contains_key("التقي") && l.triggers.contains_key("قصف"));
        assert!(l.cues.contains_key("المنعقده"));
    }
}
