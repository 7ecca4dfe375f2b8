//! Events: who did what to whom, where and when, with how many dead and injured.
//!
//! The stage, sentence by sentence:
//! 1. **triggers** ([`triggers`]): words of `lexicon/event_triggers.tsv` in any of their
//!    inflections, each checked against what it needs around it (a support verb, a time, an
//!    attached party, a cue word such as the treaty after "وقّع"); a word inside a name (a
//!    person, organisation or place mention) is not a trigger, one inside a named event is;
//! 2. **candidate events**: the triggers of one type in a sentence make one event ("أطلقت
//!    الصواريخ … حيث قتل 21" is one attack), except two verbs of that type in separate clauses
//!    (two meetings); casualty words join the sentence's attack, or make an attack of their own
//!    (a killing) or, next to a war word, a CASUALTIES event (the overall toll); a demonstrative
//!    or bare definite event noun ("هذا الاجتماع", "این دیدار", "في القمة،") is another report
//!    of the latest event of its type, and so is a resolution issued by a bare body noun ("أصدر
//!    المجلس ستة قرارات"); a name before a colon opening a sentence is its speaker, no party;
//! 3. **arguments** ([`args`]) from the event's sentence (or clause): participants with roles,
//!    place, time, casualty counts, document number;
//! 4. **realis** ([`realis`]);
//! 5. **reports**: confidence from the trigger's strength and the arguments found, and the id
//!    from the event key ([`key`]), so that every report of one event, here or in another
//!    document, carries the same id and the store merges them.
//!
//! Pure: no I/O, deterministic, data compiled in.

pub mod args;
pub mod key;
pub mod realis;
pub mod triggers;

#[cfg(test)]
mod tests;

use crate::model::{Annotations, EntityInfo, EntityType, EventReport, EventTime, EventType, Lang, Mention, Quantity, Realis, Role, Span, TimeExpr, Zone, ZoneType};
use crate::text::token::{Token, TokenKind};
use crate::text::TextView;
use triggers::{Cue, Lexicon, Needs, Pos, Strength, TriggerKind, TriggerMatch};

/// How far after an Arabic verb of arrival its subject may run before the destination marker.
const ARRIVE_SUBJECT_REACH: usize = 7;
/// Nouns of a delegation, the subject of an arrival besides a person named by a title.
const DELEGATION_NOUNS: &[&str] = &["وفد", "الوفد"];
/// Participants farther than this many tokens from every trigger are not the event's.
pub const PARTICIPANT_REACH: usize = 30;
/// Zones whose text states no events of the document (link lists, page furniture).
const SKIPPED_ZONES: &[ZoneType] = &[ZoneType::Boilerplate, ZoneType::Dateline];
/// Support (held verb, time, party) must be this close to an event noun.
const SUPPORT_REACH: usize = 6;
/// A cue named in `needs` must be this close after the trigger.
const CUE_REACH: usize = 6;
/// The object of an Arabic verb (a resolution, a treaty) may come this far after it.
const VERB_OBJECT_REACH: usize = 24;
/// A relative clause ("الذي عقد …") may follow its event noun this far.
const RELATIVE_REACH: usize = 25;
/// An anaphoric event noun refers back at most this many sentences.
const ANAPHORA_SENTENCES: u32 = 6;
/// A Persian event noun's light or support verb ends its clause, at most this many tokens on
/// ("نشست سران کشورهای عضو سازمان همکاری شانگهای روز ۲۵ خرداد در پکن برگزار شد").
const FA_CLAUSE_REACH: usize = 20;
/// Arabic support verbs whose subject is a verbal noun naming the event ("تم التوقيع").
const SUPPORT_VERBS: &[&str] = &["تم", "تمت", "وتم", "وتمت", "يتم", "تتم", "سيتم", "ستتم", "جري", "جرت", "وجري", "وجرت", "يجري", "تجري"];
/// Words that place an event before or after the one the clause is about ("بعد انضمامها",
/// "منذ تأسيسها", "پس از"): such an event does not take the clause's date.
const BACKGROUND_PREPS: &[&str] = &["بعد", "قبل", "منذ", "عقب", "اثر", "وبعد", "وقبل", "وعقب", "ومنذ"];

/// What the stage reads: the text view and the annotations of the earlier stages.
pub(crate) struct Ctx<'a> {
    pub chars: &'a [char],
    pub tokens: &'a [Token],
    pub lang: Lang,
    pub zones: &'a [Zone],
    pub times: &'a [TimeExpr],
    pub time_toks: Vec<(usize, usize)>,
    pub quantities: &'a [Quantity],
    pub quantity_toks: Vec<(usize, usize)>,
    pub mentions: &'a [Mention],
    pub mention_toks: Vec<(usize, usize)>,
    /// For each token, 1 + the index of the mention covering it (0: none).
    pub tok_mention: Vec<u32>,
    pub entities: &'a [EntityInfo],
    pub lex: &'static Lexicon,
}

/// Token range `[a, b)` covering a span.
fn token_range(tokens: &[Token], s: Span) -> (usize, usize) {
    let a = tokens.partition_point(|t| t.span.end <= s.start);
    let b = tokens.partition_point(|t| t.span.start < s.end);
    (a, b.max(a))
}

/// A trigger that passed its checks.
#[derive(Debug, Clone, Copy)]
struct Hit {
    m: TriggerMatch,
    kind: TriggerKind,
    strength: Strength,
    verb: bool,
    /// A demonstrative event noun ("هذا الاجتماع"): refers back to an earlier event.
    anaphoric: bool,
    /// The trigger lies inside a named event mention (index).
    in_event: Option<usize>,
}

/// Triggers of one event in one sentence.
#[derive(Debug, Clone)]
struct Group {
    etype: EventType,
    hits: Vec<Hit>,
    cas: Vec<(usize, TriggerKind)>,
    /// Made from casualty words only.
    from_casualties: bool,
    anaphoric: bool,
    lo: usize,
    hi: usize,
}

fn is_break(t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "،" | "," | "؛" | ";" | ":")
}

impl<'a> Ctx<'a> {
    fn new(view: &'a TextView, ann: &'a Annotations) -> Ctx<'a> {
        let tokens = &view.tokens[..];
        let mention_toks: Vec<(usize, usize)> = ann.mentions.iter().map(|m| token_range(tokens, m.span)).collect();
        let mut tok_mention = vec![0u32; tokens.len()];
        for (k, &(a, b)) in mention_toks.iter().enumerate() {
            for t in tok_mention.iter_mut().take(b).skip(a) {
                if *t == 0 {
                    *t = k as u32 + 1;
                }
            }
        }
        Ctx {
            chars: &view.chars,
            tokens,
            lang: view.lang,
            zones: &view.zones,
            times: &ann.times,
            time_toks: ann.times.iter().map(|t| token_range(tokens, t.span)).collect(),
            quantities: &ann.quantities,
            quantity_toks: ann.quantities.iter().map(|q| token_range(tokens, q.span)).collect(),
            mentions: &ann.mentions,
            mention_toks,
            tok_mention,
            entities: &ann.entities,
            lex: triggers::lexicon(),
        }
    }

    fn zone_kind(&self, s: Span) -> Option<ZoneType> {
        let i = self.zones.partition_point(|z| z.span.end <= s.start);
        self.zones.get(i).filter(|z| z.span.start <= s.start).map(|z| z.kind)
    }

    fn mention_at(&self, i: usize) -> Option<usize> {
        self.tok_mention.get(i).and_then(|&m| m.checked_sub(1)).map(|m| m as usize)
    }

    /// A cue of `class` among tokens `lo..hi` (clamped to the sentence `a..b`), outside `skip`.
    fn cue_in(&self, class: Cue, lo: usize, hi: usize, skip: (usize, usize)) -> bool {
        (lo..hi).any(|k| (k < skip.0 || k >= skip.1) && self.lex.is_cue(self.tokens, k, class, self.lang))
    }

    fn time_near(&self, lo: usize, hi: usize) -> bool {
        self.time_toks.iter().enumerate().any(|(k, &(a, b))| a >= lo && b <= hi && self.times[k].value.split('-').next().is_some_and(|y| y.len() == 4))
    }

    /// A mention of one of `types` starting in tokens `lo..hi`.
    fn mention_starting(&self, lo: usize, hi: usize, types: &[EntityType]) -> bool {
        let k = self.mention_toks.partition_point(|&(a, _)| a < lo);
        self.mention_toks[k..].iter().take_while(|&&(a, _)| a < hi).enumerate().any(|(j, _)| types.contains(&self.mentions[k + j].etype))
    }

    /// True when the trigger's needs are met inside the sentence `a..b`.
    fn satisfied(&self, m: &TriggerMatch, needs: Needs, a: usize, b: usize) -> bool {
        let (s, e) = (m.start, m.end);
        let before = s.saturating_sub(SUPPORT_REACH).max(a);
        let after = (e + SUPPORT_REACH).min(b);
        // Persian verbs come last: look on to the end of the clause
        let after = if self.lang == Lang::Fa { self.clause_end(e, b, FA_CLAUSE_REACH) } else { after };
        let held = || self.cue_in(Cue::Held, before, after, (s, e)) || self.time_near(s.saturating_sub(SUPPORT_REACH + 2).max(a), (e + SUPPORT_REACH + 2).min(b)) || self.relative_held(m, b);
        let light = || self.lang != Lang::Ar && (e..(e + 3).min(b)).any(|k| realis::light_verb_at(self.tokens, k).is_some());
        match needs {
            Needs::Nothing => true,
            Needs::Held => held(),
            Needs::Support => {
                held()
                    || light()
                    || self.mention_starting(e, (e + 3).min(b), &[EntityType::Person, EntityType::Org, EntityType::Gpe, EntityType::Loc, EntityType::Fac, EntityType::Norp, EntityType::Event])
                    || (self.lang == Lang::Fa && s > a && self.mention_at(s - 1).is_some_and(|m| matches!(self.mentions[m].etype, EntityType::Person | EntityType::Org | EntityType::Gpe)))
            }
            Needs::Party => self.mention_starting(e, (e + 4).min(b), &[EntityType::Person, EntityType::Org, EntityType::Gpe]),
            Needs::Light => light(),
            Needs::Cue(c) => {
                let verb = self.lex.entries[m.entry as usize].pos.is_verb();
                let reach = match c {
                    Cue::Arrive => 2,
                    Cue::Call => 12,
                    // an Arabic verb's object follows its subject, which may be long ("أصدر مؤتمر
                    // القمة الإسلامي الذي عقد في طهران، في 9 ديسمبر 1997، القرار رقم …")
                    Cue::ResDoc | Cue::AgrDoc if verb && self.lang != Lang::Fa => VERB_OBJECT_REACH,
                    _ => CUE_REACH,
                };
                let lo = if self.lang == Lang::Fa { s.saturating_sub(reach).max(a) } else { e };
                if self.cue_in(c, lo, (e + reach).min(b), (s, e)) {
                    return true;
                }
                // an Arabic verb before its subject: "يصل رئيس قيرغيزستان إلى", "وصل الرئيس
                // القيرغيزي صادر جباروف إلى" — a subject that is a person by a title (the entity
                // stage's title cues), a delegation or a named party ("يصل عدد القتلى إلى",
                // "وصلت صادرات السعودية إلى" are not)
                if c != Cue::Arrive || !verb || self.lang != Lang::Ar || e >= b {
                    return false;
                }
                let party_subject = DELEGATION_NOUNS.contains(&self.tokens[e].norm.as_str())
                    || crate::entities::cues::Cues::embedded().cue_at(self.tokens, self.chars, e, Lang::Ar, crate::entities::cues::CueKind::Title).is_some()
                    || self.mention_at(e).is_some_and(|mi| matches!(self.mentions[mi].etype, EntityType::Person | EntityType::Org | EntityType::Gpe));
                party_subject && self.cue_in(c, e, (e + ARRIVE_SUBJECT_REACH).min(b), (s, e))
            }
            Needs::CueBefore(c) => self.cue_in(c, s.saturating_sub(4).max(a), s, (s, e)),
        }
    }

    /// The end of the clause starting at token `from`: the next clause break, at most `max` tokens on.
    fn clause_end(&self, from: usize, b: usize, max: usize) -> usize {
        (from..(from + max).min(b)).find(|&k| is_break(&self.tokens[k])).unwrap_or((from + max).min(b))
    }

    /// A meeting noun that names a session of a body is a conference ("اجتماع لجنة …",
    /// "الاجتماع السنوي", "اجتماع القمة").
    fn multilateral_after(&self, e: usize, b: usize) -> bool {
        const ADJ: &[&str] = &["السنوي", "الوزاري", "الدوري", "العادي", "الاستثنائي", "الطاري", "التنسيقي", "التشاوري", "العام", "الاول", "الثاني", "الثالث", "العاشر", "رفيع", "الرفيع", "القمه"];
        for k in e..(e + 2).min(b) {
            let t = &self.tokens[k];
            if ADJ.contains(&t.norm.as_str()) {
                return true;
            }
            if let Some(m) = self.mention_at(k) {
                if matches!(self.mentions[m].etype, EntityType::Org | EntityType::Event) && self.mention_toks[m].0 == k {
                    return true;
                }
            }
            if t.kind != TokenKind::Word {
                break;
            }
        }
        false
    }

    /// An Arabic event noun with a relative clause saying it was held, however long the name in
    /// between ("مؤتمر القمة الإسلامي الإستثنائي، دورة … "التضامن في العمل" والذي عقد في مكة"),
    /// unless another event noun of its type comes first.
    fn relative_held(&self, m: &TriggerMatch, b: usize) -> bool {
        if self.lang == Lang::Fa {
            return false;
        }
        let kind = self.lex.entries[m.entry as usize].kind;
        for k in m.end..(m.end + RELATIVE_REACH).min(b) {
            let t = &self.tokens[k];
            let other = self.lex.triggers.get(t.norm.as_str()).is_some_and(|hs| {
                hs.iter().any(|h| {
                    let e = &self.lex.entries[h.value as usize];
                    e.kind == kind && e.strength > Strength::Weak
                })
            });
            if other {
                return false;
            }
            if matches!(t.norm.as_str(), "الذي" | "التي" | "والذي" | "والتي" | "اللذين" | "اللتين" | "اللتان") && k + 1 < b && self.lex.is_cue(self.tokens, k + 1, Cue::Held, self.lang) {
                return true;
            }
        }
        false
    }

    /// Time expressions in a relative clause on one of the group's words: after a support verb
    /// ("الذي عقد في طهران في 9 ديسمبر 1997", "المنعقد في باكو في …") whose head — the nearest
    /// event word of the type before it — belongs to the group, up to the next such word.
    fn held_times(&self, g: &Group, sent: (usize, usize), win: (usize, usize)) -> (Vec<usize>, Vec<usize>) {
        if self.lang == Lang::Fa {
            return (Vec::new(), Vec::new());
        }
        let same_type = |k: usize, strong: bool| {
            self.lex.triggers.get(self.tokens[k].norm.as_str()).is_some_and(|hs| {
                hs.iter().any(|h| {
                    let e = &self.lex.entries[h.value as usize];
                    e.kind == TriggerKind::Event(g.etype) && (!strong || e.strength > Strength::Weak)
                })
            })
        };
        let mine: Vec<usize> = g.hits.iter().map(|h| h.m.start).collect();
        let mut out = Vec::new();
        let mut verbs = Vec::new();
        for h in win.0..win.1 {
            if mine.contains(&h) || !self.lex.is_cue(self.tokens, h, Cue::Held, self.lang) {
                continue;
            }
            // the head: the nearest event word of the type before the verb (a weak one such as
            // "دورة" in an apposition does not count)
            let head = (h.saturating_sub(25).max(sent.0)..h).rev().find(|&k| mine.contains(&k) || same_type(k, true));
            if !head.is_some_and(|p| mine.contains(&p)) {
                continue;
            }
            let same_type = |k: usize| same_type(k, false);
            verbs.push(h);
            let stop = (h + 1..win.1.min(h + 14)).find(|&k| same_type(k)).unwrap_or(win.1.min(h + 14));
            for (k, &(a, b)) in self.time_toks.iter().enumerate() {
                if a > h && b <= stop {
                    out.push(k);
                }
            }
        }
        (out, verbs)
    }

    /// An Arabic event noun with the article and nothing naming it ("على هامش القمة،",
    /// "خلال اللقاء الذي"): it refers to the event the text is already about.
    fn bare_definite(&self, m: &TriggerMatch, b: usize) -> bool {
        if self.lang == Lang::Fa || m.end != m.start + 1 {
            return false;
        }
        let t = &self.tokens[m.start];
        let definite = ["ال", "وال", "فال", "بال", "وبال", "لل", "ولل", "كال"].iter().any(|p| t.norm.starts_with(p));
        if !definite {
            return false;
        }
        // the subject of "تم / جرى" is a verbal noun that reports an event of its own ("تمت
        // الموافقة على قرار", "جرى التوقيع على"), not one the text is already about
        if m.start > 0 && SUPPORT_VERBS.contains(&self.tokens[m.start - 1].norm.as_str()) {
            return false;
        }
        let Some(next) = self.tokens.get(m.end).filter(|_| m.end < b) else { return true };
        if self.mention_at(m.end).is_some() {
            return false;
        }
        next.kind == TokenKind::Punct || matches!(next.norm.as_str(), "في" | "علي" | "من" | "عن" | "الي" | "مع" | "التي" | "الذي" | "حيث" | "و" | "او" | "قد" | "كما" | "بين")
    }

    /// An event noun placed before or after the event its clause is about ("بعد انضمامها
    /// للمنظمة", "منذ تأسيسها", "پس از سفر"): it happened at another time.
    fn background(&self, start: usize, a: usize) -> bool {
        if start <= a {
            return false;
        }
        let prev = self.tokens[start - 1].norm.as_str();
        if BACKGROUND_PREPS.contains(&prev) {
            return true;
        }
        self.lang == Lang::Fa && prev == "از" && start >= a + 2 && matches!(self.tokens[start - 2].norm.as_str(), "پس" | "پيش" | "قبل" | "بعد")
    }

    /// A plural event noun ("هذه الاجتماعات", "این دیدارها"): it refers to several events.
    fn plural(&self, m: &TriggerMatch) -> bool {
        let t = &self.tokens[m.end - 1];
        match self.lang {
            Lang::Fa => t.norm.ends_with("ها") || t.norm.ends_with("هاي") || self.tokens.get(m.end).is_some_and(|n| n.joined && matches!(n.norm.as_str(), "ها" | "هاي")),
            _ => t.norm.ends_with("ات") && t.norm.chars().count() > 4,
        }
    }

    /// Triggers in the sentence `a..b` that pass their checks.
    fn find_triggers(&self, a: usize, b: usize) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        let mut i = a;
        while i < b {
            let t = &self.tokens[i];
            if t.kind != TokenKind::Word || !self.lex.triggers.contains_key(t.norm.as_str()) {
                i += 1;
                continue;
            }
            let matches = self.lex.triggers_at(self.tokens, i, self.lang);
            let mut advance = i + 1;
            for m in matches {
                if m.end > b {
                    continue;
                }
                let e = &self.lex.entries[m.entry as usize];
                // inside a name: only a named event (or a conference series named by its noun)
                let mut in_event = None;
                if let Some(mi) = self.mention_at(i) {
                    let men = &self.mentions[mi];
                    let starts_here = self.mention_toks[mi].0 == i;
                    match men.etype {
                        EntityType::Event => in_event = Some(mi),
                        EntityType::Org if starts_here && e.kind == TriggerKind::Event(EventType::Conference) => in_event = Some(mi),
                        _ => continue,
                    }
                }
                // "هذا اللقاء", "این دیدار": a demonstrative event noun needs no support, it
                // refers to an event already reported (and is dropped when there is none)
                let demonstrative = matches!(e.pos, Pos::ArNoun | Pos::FaNoun)
                    && matches!(e.needs, Needs::Support | Needs::Held)
                    && in_event.is_none()
                    && ((m.start > a && self.lex.is_cue(self.tokens, m.start - 1, Cue::Demonstrative, self.lang)) || (m.end < b && self.lang != Lang::Fa && self.lex.is_cue(self.tokens, m.end, Cue::Demonstrative, self.lang)));
                if !demonstrative && !self.satisfied(&m, e.needs, a, b) {
                    continue;
                }
                let verb = e.pos.is_verb();
                let mut kind = e.kind;
                if kind == TriggerKind::Event(EventType::Meet) && !verb && self.multilateral_after(m.end, b) {
                    kind = TriggerKind::Event(EventType::Conference);
                }
                let anaphoric = !verb
                    && in_event.is_none()
                    && matches!(e.pos, Pos::ArNoun | Pos::FaNoun)
                    && ((m.start > a && self.lex.is_cue(self.tokens, m.start - 1, Cue::Demonstrative, self.lang))
                        || (m.end < b && self.lang != Lang::Fa && self.lex.is_cue(self.tokens, m.end, Cue::Demonstrative, self.lang))
                        || self.bare_definite(&m, b));
                if out.iter().any(|h| h.m.start == m.start && h.kind == kind) {
                    continue;
                }
                advance = advance.max(m.end);
                out.push(Hit { m, kind, strength: e.strength, verb, anaphoric, in_event });
            }
            i = advance;
        }
        out
    }

    /// Groups a sentence's triggers into candidate events.
    fn group(&self, hits: &[Hit], a: usize, b: usize) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        let mut cas: Vec<(usize, TriggerKind)> = Vec::new();
        for h in hits {
            let TriggerKind::Event(t) = h.kind else {
                cas.push((h.m.start, h.kind));
                continue;
            };
            let joinable = groups.iter().rposition(|g| g.etype == t);
            let join = match joinable {
                None => None,
                Some(gi) => {
                    let g = &groups[gi];
                    let last = g.hits.last().map_or(a, |x| x.m.end);
                    // two verbs in separate clauses ("التقى … ، والتقى …"), or a clause with a
                    // date of its own ("في 1999 صدر …، وفي 2000 تم افتتاح …") are two events
                    let brk = (last..h.m.start).rev().find(|&k| is_break(&self.tokens[k]));
                    let two_verbs = h.verb && g.hits.iter().any(|x| x.verb) && (brk.is_some() || self.tokens[h.m.start].norm.starts_with('و') || self.tokens[h.m.start - 1].norm == "و");
                    let own_date = brk.is_some_and(|k| self.time_toks.iter().any(|&(ta, _)| ta > k && ta < h.m.start));
                    // two event nouns each with a date of its own ("في الاجتماع السنوي … في 3
                    // أكتوبر 2019 وفي الاجتماع المحدود … في 11 أكتوبر 2019") are two events
                    let next = hits.iter().filter(|x| x.kind == h.kind && x.m.start > h.m.end + 2).map(|x| x.m.start).min().unwrap_or(b);
                    let dated = |lo: usize, hi: usize| self.time_toks.iter().enumerate().any(|(k, &(ta, tb))| ta >= lo && tb <= hi && self.times[k].value.split('-').next().is_some_and(|y| y.len() == 4));
                    let both_dated = !h.verb && dated(last, h.m.start) && dated(h.m.end, next);
                    // a bare or demonstrative noun ("في القمة،") next to a named event of its
                    // type ("مؤتمر جاكارتا") is about the event already reported, not that one
                    let mixed = h.anaphoric != g.anaphoric && !h.verb && g.hits.iter().all(|x| !x.verb);
                    let separate = mixed || (!h.anaphoric && (two_verbs || own_date || both_dated));
                    (!separate).then_some(gi)
                }
            };
            match join {
                Some(gi) => {
                    let g = &mut groups[gi];
                    g.anaphoric &= h.anaphoric;
                    g.hits.push(*h);
                }
                None => groups.push(Group { etype: t, hits: vec![*h], cas: Vec::new(), from_casualties: false, anaphoric: h.anaphoric, lo: a, hi: b }),
            }
        }
        if !cas.is_empty() {
            let target = groups.iter().position(|g| g.etype == EventType::Attack).or_else(|| groups.iter().position(|g| g.etype == EventType::Casualties));
            match target {
                Some(gi) => groups[gi].cas = cas,
                None => {
                    let war = self.cue_in(Cue::War, a, b, (0, 0));
                    let etype = if war { EventType::Casualties } else { EventType::Attack };
                    groups.push(Group { etype, hits: Vec::new(), cas, from_casualties: true, anaphoric: false, lo: a, hi: b });
                }
            }
        }
        // clause windows for several events of one type in a sentence
        groups.sort_by_key(|g| g.hits.first().map_or_else(|| g.cas[0].0, |h| h.m.start));
        for gi in 1..groups.len() {
            let Some(pj) = (0..gi).rev().find(|&j| groups[j].etype == groups[gi].etype) else { continue };
            let prev_last = groups[pj].hits.last().map_or(a, |h| h.m.end);
            let first = groups[gi].hits.first().map_or(b, |h| h.m.start);
            let cut = (prev_last..first).rev().find(|&k| is_break(&self.tokens[k])).map(|k| k + 1).unwrap_or(first);
            groups[pj].hi = cut;
            groups[gi].lo = cut;
        }
        groups
    }
}

/// The stage's result for one text. `doc_date` is the publication date the caller gave, or
/// the dateline's date (ISO, partial precision), used only for a lead sentence without a date.
pub fn extract(view: &TextView, ann: &Annotations, doc_date: Option<&str>) -> Vec<EventReport> {
    let ctx = Ctx::new(view, ann);
    let tokens = ctx.tokens;
    let mut out: Vec<(u32, EventReport)> = Vec::new();
    // trigger starts of events placed before or after another one ("بعد انضمامها")
    let mut background: Vec<u32> = Vec::new();
    // sentences as token ranges
    let mut sent: Vec<(usize, usize)> = Vec::with_capacity(view.sentences.len());
    {
        let mut k = 0;
        for (si, _) in view.sentences.iter().enumerate() {
            let a = k;
            while k < tokens.len() && tokens[k].sentence as usize == si {
                k += 1;
            }
            sent.push((a, k));
        }
    }
    let first_body = view.sentences.iter().position(|s| ctx.zone_kind(*s) == Some(ZoneType::Body));
    let doc_date = doc_date.filter(|d| d.len() >= 10 && (d.as_bytes()[0].is_ascii_digit() || d.starts_with("XXXX-"))).map(|d| d[..10].to_string());
    for (si, &(a, b)) in sent.iter().enumerate() {
        if a >= b {
            continue;
        }
        let sspan = view.sentences[si];
        let zone = ctx.zone_kind(sspan);
        if zone.is_some_and(|z| SKIPPED_ZONES.contains(&z)) {
            continue;
        }
        let hits = ctx.find_triggers(a, b);
        if hits.is_empty() {
            continue;
        }
        let lead = zone == Some(ZoneType::Title) || first_body.is_some_and(|f| si <= f + 1);
        // an event noun coordinated with a background one ("بعد مؤتمر قمة إسلام أباد …،
        // ومؤتمر الدوحة") is background too
        let coordinated = |k: usize| ctx.lang == Lang::Ar && tokens[k].norm.starts_with('و') && tokens[k].norm.chars().count() > 3;
        let mut prev_bg = false;
        for g in ctx.group(&hits, a, b) {
            let bg = g.hits.first().is_some_and(|h| !h.verb && (ctx.background(h.m.start, a) || (prev_bg && coordinated(h.m.start))));
            prev_bg = bg;
            if let Some(r) = report(&ctx, &g, si as u32, sspan, lead && !bg, doc_date.as_deref(), &out, &background) {
                if bg {
                    background.push(r.trigger.start);
                }
                out.push((si as u32, r));
            }
        }
    }
    out.sort_by_key(|(_, r)| (r.trigger.start, r.trigger.end));
    let sentence_of: Vec<u32> = out.iter().map(|(s, _)| *s).collect();
    let mut reports: Vec<EventReport> = out.into_iter().map(|(_, r)| r).collect();
    corefer(&mut reports, &sentence_of, &background, &place_within);
    share_conference_time(&mut reports, &sentence_of, &background);
    reports
}

/// A resolution adopted, an agreement signed or a meeting held at a conference is dated by the
/// conference: a report without a time takes the time of the conference reported in the same
/// sentence (that conference's time being the one of its most informative report).
fn share_conference_time(reports: &mut [EventReport], sentence_of: &[u32], background: &[u32]) {
    let cluster_time = |id: &str, reports: &[EventReport]| -> Option<EventTime> {
        reports.iter().filter(|r| r.id == id).filter_map(|r| r.time.clone()).max_by_key(|t| (key::day_precise(&t.value), t.value.len()))
    };
    for i in 0..reports.len() {
        if reports[i].time.is_some() || reports[i].etype == EventType::Conference || background.contains(&reports[i].trigger.start) {
            continue;
        }
        let donor = (0..reports.len()).find(|&j| sentence_of[j] == sentence_of[i] && reports[j].etype == EventType::Conference && reports[j].evidence.overlaps(&reports[i].evidence));
        if let Some(j) = donor {
            let id = reports[j].id.clone();
            reports[i].time = cluster_time(&id, reports);
        }
    }
}

/// Two time values that can describe one event: equal, or one a coarser prefix of the other
/// ("2006" and "2006-06-19"), comparing the starts of ranges; `X` matches any digit.
fn times_compatible(a: &str, b: &str) -> bool {
    let a = a.split('/').next().unwrap_or("");
    let b = b.split('/').next().unwrap_or("");
    let n = a.len().min(b.len());
    a.bytes().zip(b.bytes()).take(n).all(|(x, y)| x == y || x == b'X' || y == b'X')
}

/// Two day-precise time values (days or ranges of days) that share a day: "1994-12-13" and
/// "1994-12-13/1994-12-14" are one summit. ISO dates compare as strings.
fn days_overlap(a: &str, b: &str) -> bool {
    let bounds = |v: &str| {
        let mut it = v.split('/');
        let lo = it.next().unwrap_or("").to_string();
        let hi = it.next().map(str::to_string).unwrap_or_else(|| lo.clone());
        (lo, hi)
    };
    let ((a0, a1), (b0, b1)) = (bounds(a), bounds(b));
    if a0.contains('X') || b0.contains('X') {
        return a == b;
    }
    a0 <= b1 && b0 <= a1
}

/// Both reports name the same actor (the one who joins or signs).
fn shared_actor(x: &EventReport, y: &EventReport) -> bool {
    x.participants.iter().any(|p| p.role == Role::Actor && y.participants.iter().any(|q| q.role == Role::Actor && q.entity == p.entity))
}

/// The other sides of two reports do not contradict each other: one names none, or they share
/// one (an actor of one report may be the recipient of the other when a report lists both
/// countries of a visit as its subject).
fn counterparts_compatible(x: &EventReport, y: &EventReport) -> bool {
    fn others(r: &EventReport) -> impl Iterator<Item = &str> {
        r.participants.iter().filter(|p| p.role == Role::Recipient).map(|p| p.entity.as_str())
    }
    let names = |r: &EventReport, e: &str| r.participants.iter().any(|p| p.entity == e);
    others(x).next().is_none() || others(y).next().is_none() || others(x).any(|o| names(y, o)) || others(y).any(|o| names(x, o))
}

/// A report's document number, normalised ("10/33"), when it has one.
fn docref(r: &EventReport) -> Option<String> {
    r.document_reference.as_deref().map(key::normalise_reference).filter(|d| !d.is_empty())
}

fn same_parties(x: &EventReport, y: &EventReport) -> bool {
    x.participants.is_empty() || y.participants.is_empty() || x.participants.iter().any(|p| y.participants.iter().any(|q| q.entity == p.entity))
}

/// The knowledge base puts the place `inner` inside the place `outer` (a city or district in
/// its country, or a facility in its city), following its `related` chain at most three steps
/// up. Entities found only in text (no knowledge-base entry) lie nowhere. Nationalities (NORP)
/// also name a country as `related` but are not places.
pub(crate) fn place_within(inner: &str, outer: &str) -> bool {
    let kb = crate::kb::Kb::embedded();
    let mut cur = inner;
    for _ in 0..3 {
        let Some(e) = kb.get(cur).filter(|e| matches!(e.etype_str.as_str(), "GPE" | "LOC" | "FAC")) else {
            return false;
        };
        match e.related.as_deref() {
            Some(up) if up == outer => return true,
            Some(up) if up != cur => cur = up,
            _ => return false,
        }
    }
    false
}

/// The entity id of a report's place, when it is linked.
fn place_id(r: &EventReport) -> Option<&str> {
    r.place.as_ref().and_then(|p| p.entity.as_deref())
}

/// The places of two reports, one inside the other by the knowledge base.
fn nested_places(x: &EventReport, y: &EventReport, within: &dyn Fn(&str, &str) -> bool) -> bool {
    match (place_id(x), place_id(y)) {
        (Some(a), Some(b)) => a != b && (within(a, b) || within(b, a)),
        _ => false,
    }
}

/// What keeps two reports of one type in a document apart.
fn conflict(x: &EventReport, y: &EventReport, strong: bool, within: &dyn Fn(&str, &str) -> bool) -> bool {
    let differ = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
    if differ(&docref(x), &docref(y)) {
        return true;
    }
    if let (Some(a), Some(b)) = (&x.time, &y.time) {
        if !times_compatible(&a.value, &b.value) {
            return true;
        }
    }
    if x.etype == EventType::Meet && !same_parties(x, y) {
        return true;
    }
    // a different place separates only reports that nothing else ties together (a city in
    // one report may be its country in another)
    // (nor does a place inside the other: a visit to a country takes the visitor to its towns)
    !strong && matches!((place_id(x), place_id(y)), (Some(a), Some(b)) if a != b) && !(x.etype == EventType::Visit && shared_actor(x, y) && nested_places(x, y, within))
}

/// What ties two reports of one type in a document together: (tied, strongly). `gap` is the
/// number of sentences between them.
fn link(x: &EventReport, y: &EventReport, gap: u32, within: &dyn Fn(&str, &str) -> bool) -> (bool, bool) {
    if x.id == y.id {
        return (true, true);
    }
    if docref(x).is_some() && docref(x) == docref(y) {
        return (true, true);
    }
    let day = |r: &EventReport| r.time.as_ref().map(|t| t.value.clone()).filter(|v| key::day_precise(v));
    // (a conference's report may give one of its days: the same conference; resolutions and
    // attacks of one day need the same day, several are adopted or made on one)
    if let (Some(a), Some(b)) = (day(x), day(y))
        && (a == b || (x.etype == EventType::Conference && days_overlap(&a, &b)))
    {
        return (true, true);
    }
    if place_id(x).is_some() && place_id(x) == place_id(y) && same_parties(x, y) {
        return (true, false);
    }
    // a named event (a summit series names many summits: only without a place telling them apart)
    if x.event_entity.is_some() && x.event_entity == y.event_entity {
        return (true, false);
    }
    // the same organiser of a conference
    let org = |r: &EventReport| r.participants.iter().filter(|p| p.role == Role::Organizer).map(|p| p.entity.clone()).collect::<Vec<_>>();
    if x.etype == EventType::Conference && org(x).iter().any(|o| org(y).contains(o)) {
        return (true, false);
    }
    // an agreement is told by who signs or joins it: the same signer with no other counterpart
    // is the same agreement in one document ("انضمامها للمنظمة" … "انضمامها كعضو في منظمة
    // التعاون الإسلامي"; the nuclear deal signed, concluded, "since the signing"). Not for
    // visits: on a 600-article sample the same visitor made different trips in one article.
    // A named treaty tells agreements apart: a report that names one ("انضمت إلى ميثاق باريس")
    // never joins this way (the raw reference: a treaty's name has no number for `docref`).
    if x.etype == EventType::Agreement && x.document_reference.is_none() && y.document_reference.is_none() && shared_actor(x, y) && counterparts_compatible(x, y) {
        return (true, false);
    }
    // one visitor in a country and in one of its towns is one trip ("رئيس قيرغيزستان يصل إلى
    // أذربيجان في زيارة دولة" … "يصل في زيارة الى محافظة فضولي"), unless the dates differ
    if x.etype == EventType::Visit && shared_actor(x, y) && nested_places(x, y, within) {
        return (true, false);
    }
    // the next sentence goes on about the event without saying when or where again
    if gap <= 1 && (y.time.is_none() && y.place.is_none()) {
        return (true, false);
    }
    // one report says less of the same event: no time, place, number or named event of its
    // own, and only parties the other report names ("زيارة الرئيس القيرغيزي" after "رئيس
    // قيرغيزستان يصل إلى أذربيجان في زيارة دولة"). Only for the types whose parties tell one
    // event from another: a conference's or a resolution's parties are whoever the sentence
    // names (a speaker, a country spoken of)
    if matches!(x.etype, EventType::Visit | EventType::Meet) && (subsumed(y, x) || subsumed(x, y)) {
        return (true, false);
    }
    (false, false)
}

/// `weak` says nothing that `full` does not: no time, place, document number or named event,
/// and at least one party, every one of them a party of `full`.
fn subsumed(weak: &EventReport, full: &EventReport) -> bool {
    weak.time.is_none()
        && weak.place.is_none()
        && weak.document_reference.is_none()
        && weak.event_entity.is_none()
        && !weak.participants.is_empty()
        && weak.participants.iter().all(|p| full.participants.iter().any(|q| q.entity == p.entity))
}

/// One event per real-world event inside a document: reports of one type that share a
/// document number, a named event, a day (for a conference, a day of its range), a place, or
/// for an agreement its signer, or for a visit its visitor in a place inside the other's place
/// (`within`: the knowledge base puts the first place in the second), with no date, number,
/// name, place or, for meetings, parties that tell them apart, are reports of one event. A
/// report joins the cluster with the same id first, then one tied strongly, then (a visit) one in
/// its own place, then the nearest. Every report of a cluster takes the id of its most
/// informative report (a day-precise date first, then a document number, a place, more parties,
/// then the earliest), so that id is also the one other documents compute for that event.
fn corefer(reports: &mut [EventReport], sentence_of: &[u32], background: &[u32], within: &dyn Fn(&str, &str) -> bool) {
    let n = reports.len();
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        // the cluster to join: one with the same id (an anaphoric report) first, then one tied
        // strongly, then the nearest one before this report (a text about several summits
        // goes on about the one it just named)
        // (same id, tied strongly, same place, a foreground report, the latest report's index)
        type Rank = (bool, bool, bool, bool, usize);
        let mut joined: Option<(usize, Rank)> = None;
        for (ci, c) in clusters.iter().enumerate() {
            if reports[c[0]].etype != reports[i].etype {
                continue;
            }
            let links: Vec<(bool, bool)> = c.iter().map(|&j| link(&reports[j], &reports[i], sentence_of[i].saturating_sub(sentence_of[j]), within)).collect();
            let strong = links.iter().any(|l| l.1);
            if !links.iter().any(|l| l.0) {
                continue;
            }
            let same_id = c.iter().any(|&j| reports[j].id == reports[i].id);
            if same_id || !c.iter().any(|&j| conflict(&reports[j], &reports[i], strong, within)) {
                // (an event named in passing as another's background is not what the text goes on about)
                let latest = c.iter().rev().find(|&&j| !background.contains(&reports[j].trigger.start));
                // (a visit joins a cluster in its own place before one in a place that contains it)
                let same_place = reports[i].etype == EventType::Visit && place_id(&reports[i]).is_some() && c.iter().any(|&j| place_id(&reports[j]) == place_id(&reports[i]));
                let rank = (same_id, strong, same_place, latest.is_some(), latest.or(c.last()).copied().unwrap_or(0));
                if joined.is_none_or(|(_, r)| rank > r) {
                    joined = Some((ci, rank));
                }
            }
        }
        let joined = joined.map(|(ci, _)| ci);
        match joined {
            Some(ci) => clusters[ci].push(i),
            None => clusters.push(vec![i]),
        }
    }
    for c in &clusters {
        if c.len() < 2 {
            continue;
        }
        let rank = |r: &EventReport| {
            (
                r.time.as_ref().is_some_and(|t| key::day_precise(&t.value)),
                r.document_reference.is_some(),
                r.place.as_ref().is_some_and(|p| p.entity.is_some()),
                r.time.is_some(),
                r.participants.len(),
            )
        };
        let best = *c.iter().max_by(|&&a, &&b| rank(&reports[a]).cmp(&rank(&reports[b])).then(b.cmp(&a))).expect("non-empty");
        let id = reports[best].id.clone();
        for &j in c {
            reports[j].id = id.clone();
        }
    }
}

/// Builds the report of one candidate event (or `None` when it does not hold up).
#[allow(clippy::too_many_arguments)]
fn report(ctx: &Ctx<'_>, g: &Group, si: u32, sspan: Span, lead: bool, doc_date: Option<&str>, earlier: &[(u32, EventReport)], background: &[u32]) -> Option<EventReport> {
    let tokens = ctx.tokens;
    let sent = token_range(tokens, sspan);
    let win = (g.lo, g.hi);
    let trig: Vec<usize> = g.hits.iter().map(|h| h.m.start).chain(g.cas.iter().map(|c| c.0)).collect();
    let primary = g.hits.iter().find(|h| h.verb).or(g.hits.first());
    let (ps, pe, fl, is_verb) = match primary {
        Some(h) => (h.m.start, h.m.end, h.m.flags, h.verb),
        None => (g.cas[0].0, g.cas[0].0 + 1, 0, true),
    };
    let realis = realis::realis_at(ctx.lex, tokens, ps, pe, fl, is_verb, win.0, win.1, ctx.lang);
    // anchors of the time and place: the triggers and the support verbs next to event nouns
    let mut anchors = trig.clone();
    for h in &g.hits {
        if !h.verb {
            let lo = h.m.start.saturating_sub(SUPPORT_REACH).max(win.0);
            let hi = if ctx.lang == Lang::Fa { ctx.clause_end(h.m.end, win.1, FA_CLAUSE_REACH) } else { (h.m.end + SUPPORT_REACH).min(win.1) };
            anchors.extend((lo..hi).filter(|&k| ctx.lex.is_cue(tokens, k, Cue::Held, ctx.lang)));
        }
    }
    // and the verb of a relative clause on an event noun ("مؤتمر … الذي عقد في مكة")
    let (held, held_verbs) = ctx.held_times(g, sent, win);
    anchors.extend(held_verbs);
    let (place_m, place) = match ctx.place(g.etype, &anchors, win) {
        Some((m, p)) => (Some(m), Some(p)),
        None => (None, None),
    };
    let (mut participants, mut event_entity) = ctx.participants(g.etype, &trig, is_verb, win, place_m);
    // the country visited and the town attacked are what the event is done to (PLOVER target)
    if let (Some(m), Some(p)) = (place_m, place.as_ref()) {
        if matches!(g.etype, EventType::Visit | EventType::Attack) && ctx.mentions[m].etype == EntityType::Gpe {
            if let Some(id) = &p.entity {
                if !participants.iter().any(|q| &q.entity == id) {
                    participants.push(crate::model::Participant { entity: id.clone(), role: Role::Recipient, text: p.text.clone() });
                }
            }
        }
    }
    if let Some(mi) = g.hits.iter().find_map(|h| h.in_event) {
        if ctx.mentions[mi].etype == EntityType::Event {
            event_entity = ctx.mentions[mi].entity.clone();
            if g.etype == EventType::Conference && !participants.iter().any(|p| p.role == Role::Organizer) {
                if let Some(org) = ctx.implied_organizer(mi) {
                    if !participants.iter().any(|p| p.entity == org.entity) {
                        participants.push(org);
                    }
                }
            }
        }
    }
    // other words of this event type in the sentence (another conference named next to this one)
    let same_type = |k: usize| {
        ctx.lex.triggers.get(tokens[k].norm.as_str()).is_some_and(|hs| hs.iter().any(|h| ctx.lex.entries[h.value as usize].kind == TriggerKind::Event(g.etype) || (g.etype == EventType::Conference && ctx.lex.entries[h.value as usize].kind == TriggerKind::Event(EventType::Meet))))
    };
    // (not the words of this event's own name: "مؤتمر قمة إسلام أباد")
    let own_name = |k: usize| {
        g.hits.iter().any(|h| (h.m.start..h.m.end).contains(&k) || h.in_event.is_some_and(|mi| (ctx.mention_toks[mi].0..ctx.mention_toks[mi].1).contains(&k) && (ctx.mention_toks[mi].0..ctx.mention_toks[mi].1).contains(&h.m.start)))
            || ctx.mention_at(k).is_some_and(|mi| g.hits.iter().any(|h| ctx.mention_at(h.m.start) == Some(mi)))
    };
    let others: Vec<usize> = (sent.0..sent.1).filter(|&k| !anchors.contains(&k) && tokens[k].kind == TokenKind::Word && same_type(k) && !own_name(k)).collect();
    let mut time = ctx.time(&anchors, &others, &held, win);
    if time.is_none() && lead && realis == Realis::Actual && !g.anaphoric {
        time = doc_date.map(|d| EventTime { value: d.to_string(), calendar: crate::model::Calendar::Gregorian });
    }
    let casualties = if matches!(g.etype, EventType::Attack | EventType::Casualties) { ctx.casualties(&g.cas, win) } else { Default::default() };
    if g.from_casualties && casualties.is_empty() {
        // a casualty word alone is an event only with a count, or as a killing verb with its victim named
        let named_victim = g.cas.iter().any(|&(t, k)| k == TriggerKind::Kill && ctx.mention_starting(t + 1, (t + 4).min(win.1), &[EntityType::Person]));
        if !named_victim {
            return None;
        }
    }
    if g.etype == EventType::Casualties && casualties.dead.is_none() && casualties.displaced.is_none() && casualties.injured.is_none() {
        return None;
    }
    let document_reference = if matches!(g.etype, EventType::Resolution | EventType::Agreement) { ctx.document_reference(&trig, win) } else { None };
    // spans: the primary trigger; the evidence is the sentence, or the clause when the
    // sentence holds several events of this type
    let trigger = Span { start: tokens[ps].span.start, end: tokens[pe - 1].span.end };
    let evidence = if (g.lo, g.hi) != sent && g.hi > g.lo {
        Span { start: tokens[g.lo].span.start, end: tokens[g.hi - 1].span.end }
    } else {
        sspan
    };
    let evidence = Span { start: evidence.start.min(trigger.start), end: evidence.end.max(trigger.end) };
    // confidence: the trigger's strength, then what the arguments add
    let strength = g.hits.iter().map(|h| h.strength).max().unwrap_or(Strength::Medium);
    let mut confidence: f32 = match strength {
        Strength::Strong => 0.7,
        Strength::Medium => 0.55,
        Strength::Weak => 0.5,
    };
    confidence += 0.06 * (time.is_some() as u8 + place.is_some() as u8 + !participants.is_empty() as u8 + !casualties.is_empty() as u8) as f32;
    if g.hits.len() + g.cas.len() > 1 {
        confidence += 0.04;
    }
    if g.anaphoric {
        confidence -= 0.1;
    }
    let confidence = confidence.clamp(0.05, 0.95);
    let mut r = EventReport {
        id: String::new(),
        etype: g.etype,
        time,
        place,
        participants,
        casualties,
        trigger,
        evidence,
        realis,
        confidence,
        document_reference,
        event_entity,
    };
    if g.anaphoric {
        // another report of the latest event of this type, a few sentences back
        // "هذا الاجتماع" is the latest meeting; "هذه الاجتماعات" takes in all of them since the
        // first, which is the one that names the set
        let plural = g.hits.first().is_some_and(|h| ctx.plural(&h.m));
        let ante = antecedent(earlier, background, g.etype, si, plural);
        match ante {
            Some((_, ante)) => {
                r.id = ante.id.clone();
                return Some(r);
            }
            // no antecedent: an event of its own only when the clause says where, when or how
            // many were killed ("در این انفجار ۵ نفر کشته شدند")
            None if r.place.is_none() && r.time.is_none() && r.casualties.is_empty() => return None,
            None => {}
        }
    }
    // "أصدر المجلس ستة قرارات", "وقد أصدرت القمة ثلاث وعشرون بندا": a body named by a bare
    // definite noun issues more of what it was just said to issue; without a number of its own
    // this is another report of the latest resolution a few sentences back (when there is one)
    if g.etype == EventType::Resolution && r.document_reference.is_none() && is_verb && ctx.anaphoric_issuer(pe, win.1) {
        let ante = antecedent(earlier, background, EventType::Resolution, si, false);
        if let Some((_, ante)) = ante {
            r.id = ante.id.clone();
            return Some(r);
        }
    }
    let evidence_text = r.evidence.text(ctx.chars);
    r.id = key::event_id(&key::event_key(&r, &evidence_text));
    Some(r)
}

/// The report of type `etype` at most [`ANAPHORA_SENTENCES`] before sentence `si` that an
/// anaphoric report refers to: the latest, or with `first` the earliest in reach (a plural
/// "these meetings" takes in all of them since the first). Events named in passing as the
/// background of another (`background`: "عقد بعد مؤتمر قمة إسلام أباد … ومؤتمر الدوحة") are
/// not what "هذه القمة" refers to while the event they are the background of is in reach.
fn antecedent<'a>(earlier: &'a [(u32, EventReport)], background: &[u32], etype: EventType, si: u32, first: bool) -> Option<&'a (u32, EventReport)> {
    let in_reach = |(s, e): &&(u32, EventReport)| e.etype == etype && si - s <= ANAPHORA_SENTENCES && !e.id.is_empty();
    let salient = |x: &&(u32, EventReport)| in_reach(x) && !background.contains(&x.1.trigger.start);
    let pick = |f: &dyn Fn(&&(u32, EventReport)) -> bool| if first { earlier.iter().find(f) } else { earlier.iter().rev().find(f) };
    pick(&salient).or_else(|| pick(&in_reach))
}

/// Nouns of issuing bodies that, bare and definite, refer to the body the text is about.
const ISSUER_NOUNS: &[&str] = &["المجلس", "المؤتمر", "القمة", "الاجتماع", "الدورة", "اللجنة", "الجمعية", "المنظمة"];

impl Ctx<'_> {
    /// The subject right after a verb (token `k`) is a bare definite body noun ("أصدر المجلس",
    /// "أصدرت القمة") with no name after it ("المجلس الأوروبي", "القمة الإسلامية" are named).
    fn anaphoric_issuer(&self, k: usize, end: usize) -> bool {
        static NOUNS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let nouns = NOUNS.get_or_init(|| ISSUER_NOUNS.iter().map(|n| crate::text::normalize(n)).collect());
        if self.lang == Lang::Fa || k >= end || self.mention_at(k).is_some() || !nouns.contains(&self.tokens[k].norm) {
            return false;
        }
        // an adjective or a name after it makes it a named body
        self.tokens.get(k + 1).filter(|_| k + 1 < end).is_none_or(|n| n.kind != TokenKind::Word || !n.norm.starts_with("ال") && self.mention_at(k + 1).is_none())
    }
}
