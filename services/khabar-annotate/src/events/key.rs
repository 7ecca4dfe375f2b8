//! This is where an event's key (and id) is computed.
//!
//! Every report of an event gets an id that depends only on what the report says about the
//! event, never on the document, its position or the order of ingestion, so the store can merge
//! reports by id (a pure function of the set of reports) and several workers can ingest at once.
//!
//! The key is a string of fields joined by `|`, hashed with SHA-256; the id is `ev-` and the first
//! 16 hex digits (`[a-z0-9-]`, as resource ids require):
//!
//! ```text
//! v2 | TYPE | time | place | participants | document | anchor
//! ```
//!
//! - **type**: the event type;
//! - **time**: the normalised time value ("2020-10-28", "1994-12-05/1994-12-06", "2017-02",
//!   "XXXX-07-13"), empty when the report gives none;
//! - **place**: the place's entity id, or for an unlinked place the *rasm* skeleton of its name
//!   (see [`skeleton`]). With a day-precise date and at least one core party the place is left
//!   out: type + day + parties already single out an event, and the place is the least reliable
//!   argument (a misspelt or unrecognised city name, a city in one report and its province or
//!   country in another, a place attached to the wrong clause). With a day-precise date and no
//!   party (a conference, an attack on a town) this slot holds the named event (`@id`) if there
//!   is one, else the place: many conferences are held on one day;
//! - **participants**: the sorted, de-duplicated entity ids of the *core* parties (actors and
//!   recipients; for MEET every party), at most four. Organisers, co-participants and a
//!   nationality standing for its country are left out: they vary most between reports;
//! - **document**: a resolution or document number ("10/33"), digits and separators only. When
//!   there is one, the key of a RESOLUTION or AGREEMENT is type + document alone (the same
//!   resolution is quoted with and without its date and issuing body);
//! - **anchor**: only for a report too weak to identify an event (no document number, and either
//!   a day-precise time with no party, named event or place, or no day-precise time and fewer
//!   than two of place and parties): the SHA-256 of the normalised
//!   evidence sentence. Such a report merges with the same sentence elsewhere (a syndicated copy,
//!   a repeated caption) but never with another weak report of the same type.
//!
//! Trade-offs:
//! - two events of one type on the same day with the same parties in different places get ONE
//!   id (two strikes by the same army on one day); reports of one event that disagree on the
//!   parties (one names the army, another the country) or on the date (the day of the strike vs.
//!   the day it was reported) get TWO ids;
//! - a report naming only some of the parties of a meeting splits from one naming all of them;
//! - realis is not in the key: "سيزور" and a later "زار" are the same visit.

use sha2::{Digest, Sha256};

use crate::model::{EventReport, EventType, Role};
use crate::text::normalize;

/// Version prefix of the key: change it when the key's recipe changes.
pub const KEY_VERSION: &str = "v2";
/// At most this many participants enter the key.
pub const MAX_KEY_PARTICIPANTS: usize = 4;

/// True when a normalised time value is precise to the day (every part of a range too).
pub fn day_precise(value: &str) -> bool {
    !value.is_empty()
        && value.split('/').all(|p| {
            let parts: Vec<&str> = p.split('-').collect();
            parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2
        })
}

/// The rasm (consonantal skeleton) of a name: letters that differ only in their dots are folded
/// together (ب ت ث ن ي and initial/medial ی → one tooth; ج ح خ; د ذ; ر ز ژ; س ش; ص ض; ط ظ; ع غ;
/// ف ق; ك ک گ), long vowels and the article dropped. A misplaced dot is the commonest typo
/// and OCR error in Arabic script ("يردا" for "بردا"), and it survives here.
pub fn skeleton(name: &str) -> String {
    let n = normalize(name);
    let mut out = String::with_capacity(n.len());
    for word in n.split(' ').filter(|w| !w.is_empty()) {
        let w = word.strip_prefix("ال").filter(|r| r.chars().count() >= 2).unwrap_or(word);
        for (i, c) in w.chars().enumerate() {
            let f = match c {
                'ب' | 'ت' | 'ث' | 'ن' | 'ي' | 'پ' => 'ٮ',
                'ج' | 'ح' | 'خ' | 'چ' => 'ح',
                'د' | 'ذ' => 'د',
                'ر' | 'ز' | 'ژ' => 'ر',
                'س' | 'ش' => 'س',
                'ص' | 'ض' => 'ص',
                'ط' | 'ظ' => 'ط',
                'ع' | 'غ' => 'ع',
                'ف' | 'ق' | 'ڤ' => 'ف',
                'ك' | 'گ' => 'ك',
                'ا' | 'و' if i > 0 => continue,
                'ه' if i + 1 == w.chars().count() && i > 1 => continue,
                c if c.is_alphanumeric() => c,
                _ => continue,
            };
            out.push(f);
        }
    }
    out
}

/// Digits and separators of a document number ("رقم -2/11 أ ق" → "2/11").
pub fn normalise_reference(r: &str) -> String {
    let n = normalize(r);
    let s: String = n.chars().filter(|c| c.is_ascii_digit() || matches!(c, '/' | '-')).collect();
    s.trim_matches(|c| c == '-' || c == '/').to_string()
}

/// The core participants that enter the key.
fn key_participants(r: &EventReport) -> Vec<String> {
    let mut ids: Vec<String> = r
        .participants
        .iter()
        .filter(|p| r.etype == EventType::Meet || matches!(p.role, Role::Actor | Role::Recipient))
        // the place standing as the target of a visit or an attack is the place, not a party
        .filter(|p| r.place.as_ref().and_then(|pl| pl.entity.as_ref()) != Some(&p.entity))
        .map(|p| p.entity.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids.truncate(MAX_KEY_PARTICIPANTS);
    ids
}

/// The key of a report. `evidence_text` is the text of its evidence span.
pub fn event_key(r: &EventReport, evidence_text: &str) -> String {
    let docref = r.document_reference.as_deref().map(normalise_reference).unwrap_or_default();
    let ty = r.etype.as_str();
    if !docref.is_empty() && matches!(r.etype, EventType::Resolution | EventType::Agreement) {
        return format!("{KEY_VERSION}|{ty}|||||{docref}|");
    }
    let time = r.time.as_ref().map(|t| t.value.clone()).unwrap_or_default();
    let precise = day_precise(&time);
    let parts = key_participants(r);
    // a day and the parties single out an event; a day alone does not (many conferences are
    // held on one day): without parties the named event, else the place, else the sentence
    let place_key = || r.place.as_ref().map(|p| p.entity.clone().unwrap_or_else(|| format!("~{}", skeleton(&p.text)))).unwrap_or_default();
    let place = if precise && !parts.is_empty() {
        String::new()
    } else if precise {
        r.event_entity.as_ref().map(|e| format!("@{e}")).unwrap_or_else(place_key)
    } else {
        place_key()
    };
    let have_place = r.place.is_some() as usize;
    let weak = docref.is_empty()
        && if precise { place.is_empty() && parts.is_empty() } else { have_place + parts.len() < 2 && !(time.len() >= 7 && have_place + parts.len() >= 1) };
    let anchor = if weak {
        let mut h = Sha256::new();
        h.update(normalize(evidence_text).as_bytes());
        hex::encode(h.finalize())[..16].to_string()
    } else {
        String::new()
    };
    format!("{KEY_VERSION}|{ty}|{time}|{place}|{}|{docref}|{anchor}", parts.join(","))
}

/// The id of a key: "ev-" and 16 hex digits of its SHA-256.
pub fn event_id(key: &str) -> String {
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    format!("ev-{}", &hex::encode(h.finalize())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeleton_folds_dots_and_vowels() {
        assert_eq!(skeleton("بردا"), skeleton("يردا"));
        assert_eq!(skeleton("غنجة"), skeleton("عنجه"));
        assert_ne!(skeleton("بردا"), skeleton("باكو"));
    }

    #[test]
    fn day_precision() {
        assert!(day_precise("2020-10-28"));
        assert!(day_precise("XXXX-07-13"));
        assert!(day_precise("1994-12-05/1994-12-06"));
        assert!(!day_precise("2020-10"));
        assert!(!day_precise("2020"));
        assert!(!day_precise(""));
    }

    #[test]
    fn references() {
        assert_eq!(normalise_reference("-2/11"), "2/11");
        assert_eq!(normalise_reference("١٠/٣٣"), "10/33");
    }

    #[test]
    fn ids_are_resource_ids() {
        let id = event_id("v1|ATTACK|2020-10-28||x||");
        assert!(id.len() == 19 && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{id}");
    }
}
