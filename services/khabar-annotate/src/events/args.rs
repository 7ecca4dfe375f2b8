//! Arguments of an event from its clause: participants with roles, place, time, casualty counts
//! and the document number.
//!
//! Everything comes from annotations the earlier stages made (entity mentions with ids and types,
//! time expressions, quantities) inside the event's window (its sentence, or its clause when the
//! sentence holds several events of the type), chosen by distance to the trigger and by the
//! preposition in front:
//! - **place**: a GPE/LOC/FAC mention after في / بـ / داخل / در (destination إلى / به / لـ for a
//!   visit; على for an attack), or named after مدينة / قرية / شهر / استان …; the nearest wins;
//! - **participants**: PERSON/ORG/GPE mentions (a nationality stands for its country) near the
//!   trigger. Actor = the subject side (before the trigger, the first bare name right after a
//!   verb, an agent after من قبل / توسط); recipient = the object side (after مع / بـ / لـ / إلى /
//!   على / ضد / با / به / از …, a second bare name after a verb); for CONFERENCE the
//!   organisation named right after the conference noun is the organizer, other parties are
//!   participants;
//! - **time**: the time expression nearest the trigger in the window (centuries and decades are
//!   not event times);
//! - **casualties**: a count of people next to a casualty word (قتل، قتيل، أصيب، جريح، کشته،
//!   زخمی، آواره …) or counting a casualty noun ("14 قتيلاً"), with its qualifier;
//! - **document**: the identifier after رقم / شماره or right after a resolution noun
//!   ("القرار رقم 10/33", "قطعنامه 598"), or a LAW mention named by the trigger's object.

use super::triggers::{Cue, TriggerKind};
use super::Ctx;
use crate::model::{Casualties, Count, EntityType, EventPlace, EventTime, EventType, Lang, Participant, QuantityKind, Role, Span};
use crate::text::token::TokenKind;

/// How far back (code points) a yearless date looks for the year its narrative is in.
const NARRATIVE_YEAR_REACH: u32 = 600;
/// A place farther than this many tokens from every trigger is not the event's.
const PLACE_REACH: usize = 12;
/// Words right before a place name that make it the place of the event.
const LOCATIVE: &[&str] = &["في", "داخل", "بمدينه", "بمحافظه", "بولايه", "در", "درون", "فى", "بقريه", "وفي"];
/// Nouns naming a kind of place right before a place name.
const PLACE_NOUNS: &[&str] = &[
    "مدينه", "المدينه", "قريه", "محافظه", "ولايه", "اقليم", "منطقه", "عاصمه", "العاصمه", "بلده", "مقاطعه", "ميناء", "مطار", "شهر", "روستاي", "استان", "شهرستان",
    "پايتخت", "بندر", "فرودگاه", "بخش",
];
/// Prepositions before the object side.
const RECIPIENT_PREPS: &[&str] = &["مع", "الي", "علي", "ضد", "عن", "لدي", "با", "به", "عليه", "از", "بر", "نزد", "براي", "بين", "ميان"];
/// Prepositions before a destination.
const DESTINATION_PREPS: &[&str] = &["الي", "به", "لـ", "نحو", "باتجاه"];
/// Passive agent markers ("by").
const AGENT_PREPS: &[&str] = &["قبل", "توسط", "جانب"];

/// A mention seen from the event: index, token range, what stands before it.
#[derive(Debug, Clone)]
struct Seen {
    a: usize,
    /// The proclitics glued to the mention's first token ("ب", "ول"), normalised.
    clitic: String,
    /// The token before the mention (normalised), "" at the window start.
    prev: String,
    /// The token before that.
    prev2: String,
}

impl Ctx<'_> {
    fn seen(&self, m: usize, win: (usize, usize)) -> Seen {
        let (a, _) = self.mention_toks[m];
        let t = &self.tokens[a];
        let skip = self.mentions[m].span.start.saturating_sub(t.span.start) as usize;
        let clitic: String = if skip > 0 { crate::text::normalize(&self.chars[t.span.start as usize..t.span.start as usize + skip].iter().collect::<String>()) } else { String::new() };
        let prev = if a > win.0 { self.tokens[a - 1].norm.clone() } else { String::new() };
        let prev2 = if a > win.0 + 1 { self.tokens[a - 2].norm.clone() } else { String::new() };
        Seen { a, clitic, prev, prev2 }
    }

    /// Mentions whose first token lies in the token window.
    fn mentions_in(&self, win: (usize, usize)) -> impl Iterator<Item = usize> + '_ {
        let lo = self.mention_toks.partition_point(|&(a, _)| a < win.0);
        let hi = self.mention_toks.partition_point(|&(a, _)| a < win.1);
        lo..hi
    }

    /// The place of an event with triggers at `trig` in window `win`.
    pub(super) fn place(&self, etype: EventType, trig: &[usize], win: (usize, usize)) -> Option<(usize, EventPlace)> {
        let mut best: Option<(i64, usize)> = None;
        for m in self.mentions_in(win) {
            let men = &self.mentions[m];
            if !matches!(men.etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac) {
                continue;
            }
            let s = self.seen(m, win);
            let loc = LOCATIVE.contains(&s.prev.as_str())
                || s.clitic.ends_with('ب')
                || s.clitic == "في"
                || PLACE_NOUNS.contains(&s.prev.as_str())
                || (PLACE_NOUNS.contains(&s.prev2.as_str()) && matches!(s.prev.as_str(), "\"" | "«" | "“"))
                || (matches!(s.prev.as_str(), "\"" | "«" | "“") && LOCATIVE.contains(&s.prev2.as_str()));
            let dest = DESTINATION_PREPS.contains(&s.prev.as_str()) || s.clitic.ends_with('ل');
            let target = matches!(s.prev.as_str(), "علي" | "بر");
            // the object of "زار/يزوران" is the place visited
            let visited = etype == EventType::Visit && s.a > trig[0] && !RECIPIENT_PREPS.contains(&s.prev.as_str()) && !matches!(s.prev.as_str(), "من" | "از") && s.clitic.is_empty();
            let ok = loc || visited || (dest && matches!(etype, EventType::Visit)) || (target && etype == EventType::Attack) || (men.etype != EntityType::Gpe && !dest);
            if !ok {
                continue;
            }
            let d = trig.iter().map(|&t| (s.a as i64 - t as i64).abs()).min().unwrap_or(0);
            if d > PLACE_REACH as i64 {
                continue;
            }
            // prefer a marked place, then the nearest, then the later one (Arabic puts it after)
            let score = d * 4 - if loc || (dest && etype == EventType::Visit) { 40 } else { 0 } - (s.a > trig[0]) as i64;
            if best.is_none_or(|(b, _)| score < b) {
                best = Some((score, m));
            }
        }
        let (_, m) = best?;
        let men = &self.mentions[m];
        Some((m, EventPlace { entity: men.entity.clone(), text: men.span.text(self.chars) }))
    }

    /// Participants of an event.
    /// A name that opens its sentence and is followed by a colon ("الرئيس إلهام علييف: زيارة
    /// …", "ظریف: …"): the speaker of what follows, as headlines quote it, not a party of the
    /// event told after the colon. At most two words (a title) may come before the name.
    fn speaker(&self, a: usize, b: usize) -> bool {
        let tokens = self.tokens;
        let Some(colon) = tokens.get(b) else { return false };
        if colon.kind != TokenKind::Punct || !matches!(colon.norm.as_str(), ":" | "：") {
            return false;
        }
        let sentence = tokens[a].sentence;
        // at most two words back to the sentence's first token
        let mut start = a;
        while start > 0 && tokens[start - 1].sentence == sentence {
            if a - start == 2 || tokens[start - 1].kind != TokenKind::Word {
                return false;
            }
            start -= 1;
        }
        true
    }

    pub(super) fn participants(&self, etype: EventType, trig: &[usize], first_is_verb: bool, win: (usize, usize), place: Option<usize>) -> (Vec<Participant>, Option<String>) {
        let mut out: Vec<Participant> = Vec::new();
        let mut event_entity = None;
        let t0 = trig[0];
        let t_last = *trig.iter().max().unwrap_or(&t0);
        let mut bare_after = 0usize;
        for m in self.mentions_in(win) {
            if Some(m) == place {
                continue;
            }
            let men = &self.mentions[m];
            let Some(id) = men.entity.clone() else { continue };
            let (a, b) = self.mention_toks[m];
            if b <= t0 && self.speaker(a, b) {
                continue;
            }
            // how far from the nearest trigger
            let d = trig.iter().map(|&t| if a > t { a - t } else { t.saturating_sub(b) }).min().unwrap_or(0);
            if d > super::PARTICIPANT_REACH {
                continue;
            }
            let id = match men.etype {
                EntityType::Person | EntityType::Org | EntityType::Gpe => id,
                EntityType::Norp => match self.related(&id) {
                    Some(r) => r,
                    None => continue,
                },
                EntityType::Event => {
                    if event_entity.is_none() && (a <= t_last + 2 && b + 1 >= t0) {
                        event_entity = Some(id.clone());
                    }
                    // a summit that adopts a resolution is its actor; a conference is not its own party
                    if etype == EventType::Conference {
                        continue;
                    }
                    id
                }
                _ => continue,
            };
            let s = self.seen(m, win);
            let prev = s.prev.as_str();
            let marked = RECIPIENT_PREPS.contains(&prev) || matches!(s.clitic.as_str(), "ب" | "ل" | "وب" | "ول" | "فب" | "لل");
            let agent = AGENT_PREPS.contains(&prev) && matches!(s.prev2.as_str(), "من" | "از");
            let role = if etype == EventType::Conference {
                if men.etype == EntityType::Org && a > t0 && a <= t_last + 2 && !marked { Role::Organizer } else { Role::Participant }
            } else if agent {
                Role::Actor
            } else if a < t0 {
                if marked { Role::Recipient } else { Role::Actor }
            } else if marked {
                Role::Recipient
            } else if men.etype == EntityType::Norp && self.mention_starting(b, (b + 2).min(win.1), &[EntityType::Person]) {
                // a nationality in a title before a name ("وزير الخارجية الأردني أيمن الصفدي"):
                // it sides with that name and takes no slot of its own; it is a party of the
                // event but not a core one, so the same visit reported with and without the
                // adjective ("الرئيس الفرنسي ماكرون" / "ماكرون") keeps one key (`key.rs`)
                Role::Participant
            } else if first_is_verb || self.lang == Lang::Fa {
                // VSO: the first bare name after the verb is its subject, the next its object
                bare_after += 1;
                if bare_after == 1 && !(self.lang == Lang::Fa && a > t_last) { Role::Actor } else { Role::Recipient }
            } else {
                // a noun's genitive ("زيارة الرئيس", "هجوم أرمينيا"): the doer
                bare_after += 1;
                if bare_after == 1 { Role::Actor } else { Role::Recipient }
            };
            if men.etype == EntityType::Norp && out.iter().any(|p| p.entity == id) {
                continue;
            }
            let text = men.span.text(self.chars);
            match out.iter_mut().find(|p| p.entity == id) {
                Some(p) => {
                    if role_rank(role) < role_rank(p.role) {
                        p.role = role;
                    }
                }
                None => out.push(Participant { entity: id, role, text }),
            }
        }
        if etype == EventType::Meet {
            // both sides of a meeting are parties to it; keep the direction when the text gives it
            if !out.iter().any(|p| p.role == Role::Actor) {
                if let Some(p) = out.iter_mut().find(|p| p.role == Role::Recipient) {
                    p.role = Role::Actor;
                }
            }
        }
        (out, event_entity)
    }

    /// The organiser a named conference implies: the organisation its knowledge-base entry is
    /// related to (the Islamic Summit → the OIC), or an organisation of the document whose
    /// name the event's name contains ("قمة منظمة الأمن والتعاون في أوروبا" → the OSCE).
    pub(super) fn implied_organizer(&self, event_mention: usize) -> Option<Participant> {
        let men = &self.mentions[event_mention];
        let by_id = |id: &str| self.entities.binary_search_by(|e| e.id.as_str().cmp(id)).ok().map(|i| &self.entities[i]);
        if let Some(rel) = men.entity.as_deref().and_then(|id| by_id(id)).and_then(|e| e.related.clone()) {
            if let Some(org) = by_id(&rel).filter(|e| e.etype == EntityType::Org) {
                let text = self.mentions.iter().find(|m| m.entity.as_deref() == Some(org.id.as_str())).map(|m| m.span.text(self.chars)).unwrap_or_else(|| org.display_name.clone());
                return Some(Participant { entity: org.id.clone(), role: Role::Organizer, text });
            }
        }
        let name = crate::text::normalize(&men.span.text(self.chars));
        self.mentions
            .iter()
            .filter(|m| m.etype == EntityType::Org && m.entity.is_some() && (m.span.end <= men.span.start || m.span.start >= men.span.end || (m.span.start > men.span.start)))
            .map(|m| (m, crate::text::normalize(&m.span.text(self.chars))))
            .filter(|(_, n)| n.split(' ').count() >= 2 && name.contains(n.as_str()) && n.len() < name.len())
            .max_by_key(|(_, n)| n.len())
            .map(|(m, _)| Participant { entity: m.entity.clone().unwrap_or_default(), role: Role::Organizer, text: m.span.text(self.chars) })
    }

    fn related(&self, id: &str) -> Option<String> {
        let i = self.entities.binary_search_by(|e| e.id.as_str().cmp(id)).ok()?;
        self.entities[i].related.clone()
    }

    /// The time of an event: the time expression nearest its anchors (its triggers and the
    /// support verbs next to them) inside the window, among those not nearer to another event
    /// word (`others`: "عقد في مكة يومي 7، 8 ديسمبر 2005، بعد مؤتمر إسلام أباد في 23 مارس 1997"
    /// gives the summit December 2005, not the date of the other conference).
    ///
    /// A date in a relative clause on the event noun ("مؤتمر … الذي عقد في مكة يومي 7، 8 ديسمبر
    /// 2005") is taken first: `held` lists the time expressions right after a support verb whose
    /// head is one of this event's words.
    pub(super) fn time(&self, anchors: &[usize], others: &[usize], held: &[usize], win: (usize, usize)) -> Option<EventTime> {
        let mut best: Option<(i64, usize)> = None;
        let first_anchor = anchors.iter().copied().min()?;
        for (k, &(a, b)) in self.time_toks.iter().enumerate() {
            if a < win.0 || b > win.1 || (!held.is_empty() && !held.contains(&k)) {
                continue;
            }
            let v = &self.times[k].value;
            let first = v.split('/').next().unwrap_or("");
            if first.split('-').next().is_none_or(|y| y.len() != 4) {
                continue; // centuries, decades
            }
            // "منذ 2009" / "حتى 2026": the start or end of a period, not the event's time
            if a > 0 && matches!(self.tokens[a - 1].norm.as_str(), "منذ" | "حتي" | "از" | "تا" | "قبل" | "بعد" | "لغايه") && v.len() == 4 {
                continue;
            }
            let dist = |p: usize| -> usize {
                if p < a {
                    a - p
                } else if p >= b {
                    p - b + 1
                } else {
                    0
                }
            };
            let d_own = anchors.iter().map(|&p| dist(p)).min().unwrap_or(usize::MAX);
            // a date follows its event noun ("مؤتمر … في 23 مارس 1997، ومؤتمر الدوحة في 5 مارس
            // 2003"): another event word after the date is a little farther than it looks
            let d_other = others.iter().map(|&p| if p >= b { dist(p) + 3 } else { dist(p) }).min().unwrap_or(usize::MAX);
            if d_other < d_own {
                continue;
            }
            // a date after the anchor is a little better than one before it ("عقد … في 5
            // ديسمبر"), and a day beats a month or a year a little farther away
            let precision = first.split('-').count() as i64;
            // the date as written in the Gregorian calendar beats its Hijri twin ("9 شعبان 1418
            // هـ/ 9 ديسمبر 1997 م"), whose conversion may be a day off
            let native = (self.times[k].calendar != crate::model::Calendar::Gregorian) as i64;
            let score = d_own as i64 * 2 + (b <= first_anchor) as i64 - 3 * precision + 3 * native;
            if best.is_none_or(|(s, _)| score < s) {
                best = Some((score, k));
            }
        }
        let (_, mut k) = best?;
        // the Gregorian twin of a Hijri or Solar date ("9 شعبان 1418 هـ/ 9 ديسمبر 1997 م") is the
        // date as the text gives it; the conversion of the other may be a day off
        if self.times[k].calendar != crate::model::Calendar::Gregorian {
            let (_, b) = self.time_toks[k];
            if let Some(j) = (k + 1..self.times.len()).find(|&j| self.times[j].calendar == crate::model::Calendar::Gregorian && self.time_toks[j].0 >= b && self.time_toks[j].0 <= b + 2 && self.time_toks[j].1 <= win.1) {
                k = j;
            }
        }
        let t = &self.times[k];
        let mut value = t.value.clone();
        if value.starts_with("XXXX") {
            if let Some(y) = self.narrative_year(k) {
                value = value.replace("XXXX", &y);
            }
        }
        Some(EventTime { value, calendar: t.calendar })
    }

    /// The year a narrative is in at time expression `k` whose year is not written ("في 27-28
    /// فبراير" after "في فبراير 1992"): the year of the nearest earlier time expression with
    /// one, at most [`NARRATIVE_YEAR_REACH`] code points back. Only used when the text has no
    /// document date (with one, the time layer has already completed the year).
    fn narrative_year(&self, k: usize) -> Option<String> {
        let start = self.times[k].span.start;
        self.times[..k]
            .iter()
            .rev()
            .take_while(|t| start - t.span.end <= NARRATIVE_YEAR_REACH)
            .find_map(|t| {
                let last = t.value.rsplit('/').next().unwrap_or("");
                let y = last.split('-').next().unwrap_or("");
                (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())).then(|| y.to_string())
            })
    }

    /// Casualty counts in the window: counts of people next to casualty words.
    pub(super) fn casualties(&self, cas: &[(usize, TriggerKind)], win: (usize, usize)) -> Casualties {
        let mut out = Casualties::default();
        let mut best: [Option<(usize, Count)>; 3] = [None; 3];
        for (k, &(a, b)) in self.quantity_toks.iter().enumerate() {
            if a < win.0 || b > win.1 {
                continue;
            }
            let q = &self.quantities[k];
            if q.kind != QuantityKind::Count || q.value < 1.0 || q.value.fract() != 0.0 || q.value > 1e8 {
                continue;
            }
            // the counted noun itself may say it: "14 قتيلاً", "70 جريحاً"
            let mut class = (a..b).rev().find_map(|i| casualty_noun(&self.tokens[i].norm));
            let mut dist = 0usize;
            if class.is_none() {
                // a casualty word before (Arabic "قتل 21", "مقتل أكثر من") or after the count
                // (Persian "30 هزار … کشته", Arabic "21 شخصا قتلوا")
                let near = cas
                    .iter()
                    .map(|&(t, kind)| {
                        let d = if t < a { a - t } else { t.saturating_sub(b) + 1 };
                        let after_penalty = if t >= b && self.lang != Lang::Fa { 2 } else { 0 };
                        (d + after_penalty, kind)
                    })
                    .filter(|&(d, _)| d <= 6)
                    .min_by_key(|&(d, _)| d);
                if let Some((d, kind)) = near {
                    class = match kind {
                        TriggerKind::Kill => Some(0),
                        TriggerKind::Injure => Some(1),
                        TriggerKind::Displace => Some(2),
                        _ => None,
                    };
                    dist = d;
                }
            }
            let Some(c) = class else { continue };
            // counts of people (or of the casualty noun itself); another counted noun only right
            // next to the casualty word ("30 هزار مسلمان … کشته")
            if !(q.unit == "person" || q.unit.is_empty() || casualty_noun(&q.unit).is_some() || (dist <= 3 && !q.unit.is_ascii())) {
                continue;
            }
            let count = Count { value: q.value as u64, qualifier: q.qualifier };
            if best[c].is_none_or(|(d, _)| dist < d) {
                best[c] = Some((dist, count));
            }
        }
        if best[0].is_none() {
            // no number: victims listed after a killing verb ("قتل الطفلة … مع جدتها")
            best[0] = cas.iter().filter(|c| c.1 == TriggerKind::Kill).find_map(|&(t, _)| self.listed_victims(t, win)).map(|n| (0, Count { value: n, qualifier: crate::model::Qualifier::Exact }));
        }
        out.dead = best[0].map(|x| x.1);
        out.injured = best[1].map(|x| x.1);
        out.displaced = best[2].map(|x| x.1);
        out
    }

    /// The number of victims a killing verb lists as its object: a person noun or name right
    /// after it, and one more for each person noun joined by مع / و before the clause ends.
    fn listed_victims(&self, t: usize, win: (usize, usize)) -> Option<u64> {
        let is_person = |k: usize| {
            self.lex.is_cue(self.tokens, k, Cue::PersonNoun, self.lang) || self.mention_at_start(k).is_some_and(|m| self.mentions[m].etype == EntityType::Person)
        };
        let first = t + 1;
        if first >= win.1 || !is_person(first) {
            return None;
        }
        let mut n = 1u64;
        let mut k = first + 1;
        while k < win.1.min(t + 24) {
            let tok = &self.tokens[k];
            if tok.kind == TokenKind::Punct && matches!(tok.norm.as_str(), "،" | "," | "." | "؛" | ";" | ":") {
                break;
            }
            let conj = matches!(tok.norm.as_str(), "مع" | "و" | "با");
            if conj && k + 1 < win.1 && is_person(k + 1) {
                n += 1;
                k += 2;
                continue;
            }
            // "وجدتها": the conjunction glued to the noun
            if tok.norm.starts_with('و') && tok.kind == TokenKind::Word && is_person(k) && !is_person(k - 1) {
                n += 1;
            }
            k += 1;
        }
        Some(n)
    }

    fn mention_at_start(&self, k: usize) -> Option<usize> {
        let i = self.mention_toks.partition_point(|&(a, _)| a < k);
        (self.mention_toks.get(i).is_some_and(|&(a, _)| a == k)).then_some(i)
    }

    /// A document number or named document in the window after the first trigger.
    pub(super) fn document_reference(&self, trig: &[usize], win: (usize, usize)) -> Option<String> {
        let t0 = trig[0];
        let lo = t0.saturating_sub(4).max(win.0);
        let hi = (t0 + 12).min(win.1);
        for i in lo..hi {
            let f = self.tokens[i].norm.as_str();
            let after_cue = matches!(f, "رقم" | "شماره" | "الرقم") || (self.lex.is_cue(self.tokens, i, Cue::ResDoc, self.lang) && self.tokens.get(i + 1).is_some_and(|t| t.kind == TokenKind::Number));
            if after_cue {
                if let Some(r) = self.identifier_at(i + 1, hi.max(i + 2)) {
                    return Some(r);
                }
            }
        }
        // a named document (LAW mention) right after the trigger: "انضمت إلى ميثاق باريس"
        for m in self.mentions_in((t0, (t0 + 6).min(win.1))) {
            if self.mentions[m].etype == EntityType::Law {
                return Some(self.mentions[m].span.text(self.chars));
            }
        }
        None
    }

    /// An identifier starting at token `i`: numbers glued with / - . ("10/33", "2-33", "-2/11").
    fn identifier_at(&self, mut i: usize, hi: usize) -> Option<String> {
        let toks = self.tokens;
        if toks.get(i).is_some_and(|t| t.norm == "-") {
            i += 1;
        }
        let first = toks.get(i).filter(|t| t.kind == TokenKind::Number)?;
        let start = first.span.start;
        let mut end = first.span.end;
        let mut j = i + 1;
        while j + 1 < hi.min(toks.len()) && toks[j].span.start == end && matches!(toks[j].norm.as_str(), "/" | "-") && toks[j + 1].kind == TokenKind::Number && toks[j + 1].span.start == toks[j].span.end {
            end = toks[j + 1].span.end;
            j += 2;
        }
        Some(Span { start, end }.text(self.chars))
    }
}

fn role_rank(r: Role) -> u8 {
    match r {
        Role::Actor => 0,
        Role::Recipient => 1,
        Role::Organizer => 2,
        Role::Participant => 3,
    }
}

/// 0 dead, 1 injured, 2 displaced, for a casualty noun (normalised, possibly with clitics).
pub fn casualty_noun(form: &str) -> Option<usize> {
    let f = form.trim_start_matches('و');
    let f = f.strip_prefix("ال").unwrap_or(f);
    let stem = f.trim_end_matches('ا');
    match stem {
        "قتيل" | "قتلي" | "شهيد" | "شهداء" | "كشته" | "قرباني" | "جانباخته" => Some(0),
        "جريح" | "جرحي" | "مصاب" | "مصابين" | "مصابون" | "زخمي" | "مجروح" | "مصدوم" => Some(1),
        "نازح" | "نازحين" | "لاجي" | "لاجيين" | "مشرد" | "مشردين" | "مهجر" | "مهجرين" | "اواره" | "پناهجو" | "بيخانمان" | "اوارگان" => Some(2),
        _ => None,
    }
}
