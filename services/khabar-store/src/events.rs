//! The merged view of an event over all its reports. A pure function of the set of reports,
//! so the result does not depend on the order documents were ingested in.

use khabar_annotate::{Casualties, Count, EventPlace, EventTime, EventType, Participant, Realis, Role, Span};

use crate::records::EventRecord;

/// One report of an event, as the API shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMentionView {
    pub document: String,
    pub trigger: Span,
    pub evidence: Span,
    pub trigger_text: String,
    pub evidence_text: String,
    pub realis: Realis,
    pub confidence: f32,
}

/// An event merged over its reports.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub id: String,
    pub etype: EventType,
    pub time: Option<EventTime>,
    pub place: Option<EventPlace>,
    pub participants: Vec<Participant>,
    pub casualties: Casualties,
    pub mentions: Vec<EventMentionView>,
    pub confidence: f32,
    pub realis: Realis,
    pub document_reference: Option<String>,
    pub event_entity: Option<String>,
}

fn role_rank(r: Role) -> u8 {
    match r {
        Role::Actor => 0,
        Role::Recipient => 1,
        Role::Organizer => 2,
        Role::Participant => 3,
    }
}

fn max_count(a: Option<Count>, b: Option<Count>) -> Option<Count> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if (y.value, std::cmp::Reverse(y.qualifier)) > (x.value, std::cmp::Reverse(x.qualifier)) { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Merges the reports of `rec`; `None` when it has none.
pub fn merge(rec: &EventRecord) -> Option<EventView> {
    let first = &rec.reports.first()?.report;
    let mut participants: Vec<Participant> = Vec::new();
    let mut casualties = Casualties::default();
    let mut confidence = 0f32;
    let mut realis_counts = [0usize; 4];
    let mut time = None;
    let mut place: Option<EventPlace> = None;
    let mut docref = None;
    let mut event_entity = None;
    for r in rec.reports.iter().map(|s| &s.report) {
        for p in &r.participants {
            match participants.iter_mut().find(|q| q.entity == p.entity) {
                Some(q) => {
                    if (role_rank(p.role), &p.text) < (role_rank(q.role), &q.text) {
                        *q = p.clone();
                    }
                }
                None => participants.push(p.clone()),
            }
        }
        casualties.dead = max_count(casualties.dead, r.casualties.dead);
        casualties.injured = max_count(casualties.injured, r.casualties.injured);
        casualties.displaced = max_count(casualties.displaced, r.casualties.displaced);
        confidence = confidence.max(r.confidence);
        realis_counts[r.realis as usize] += 1;
        // the first (by document, offset) non-empty value wins: deterministic for a set of reports
        if time.is_none() {
            time = r.time.clone();
        }
        match (&place, &r.place) {
            (None, Some(p)) => place = Some(p.clone()),
            (Some(q), Some(p)) if q.entity.is_none() && p.entity.is_some() => place = Some(p.clone()),
            _ => {}
        }
        if docref.is_none() {
            docref = r.document_reference.clone();
        }
        if event_entity.is_none() {
            event_entity = r.event_entity.clone();
        }
    }
    participants.sort_by(|a, b| (role_rank(a.role), &a.entity).cmp(&(role_rank(b.role), &b.entity)));
    let realis = if realis_counts[Realis::Actual as usize] > 0 {
        Realis::Actual
    } else {
        [Realis::Future, Realis::Negated, Realis::Hypothetical].into_iter().max_by_key(|r| (realis_counts[*r as usize], std::cmp::Reverse(*r as usize))).unwrap_or(Realis::Actual)
    };
    let mentions = rec
        .reports
        .iter()
        .map(|s| EventMentionView {
            document: s.document.clone(),
            trigger: s.report.trigger,
            evidence: s.report.evidence,
            trigger_text: s.trigger_text.clone(),
            evidence_text: s.evidence_text.clone(),
            realis: s.report.realis,
            confidence: s.report.confidence,
        })
        .collect();
    Some(EventView {
        id: rec.id.clone(),
        etype: first.etype,
        time,
        place,
        participants,
        casualties,
        mentions,
        confidence,
        realis,
        document_reference: docref,
        event_entity,
    })
}

/// The interval a partial ISO date or range covers, as comparable strings
/// ("2020" → ("2020-01-01", "2020-12-31")); `None` for an unknown year.
pub fn interval(value: &str) -> Option<(String, String)> {
    let (a, b) = value.split_once('/').unwrap_or((value, value));
    let lo = expand(a, false)?;
    let hi = expand(b, true)?;
    Some((lo, hi))
}

fn expand(v: &str, end: bool) -> Option<String> {
    let v = v.trim();
    if v.is_empty() || v.starts_with('X') || !v.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let parts: Vec<&str> = v.split('-').collect();
    let fill = |p: Option<&&str>, lo: &str, hi: &str| p.map(|s| s.to_string()).unwrap_or_else(|| if end { hi } else { lo }.to_string());
    if parts[0].len() != 4 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(format!("{}-{}-{}", parts[0], fill(parts.get(1), "01", "12"), fill(parts.get(2), "01", "31")))
}

/// Keys of the merged view that the time and type indexes use: (type, end of interval or "").
pub fn index_time_end(view: &EventView) -> String {
    view.time.as_ref().and_then(|t| interval(&t.value)).map(|(_, hi)| hi).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(interval("2020"), Some(("2020-01-01".into(), "2020-12-31".into())));
        assert_eq!(interval("2020-09"), Some(("2020-09-01".into(), "2020-09-31".into())));
        assert_eq!(interval("1994-12-05/1994-12-06"), Some(("1994-12-05".into(), "1994-12-06".into())));
        assert_eq!(interval("XXXX-06-03"), None);
        assert_eq!(interval(""), None);
    }
}
