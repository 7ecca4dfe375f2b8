//! Unit tests of the event stage, on sentences written for these tests.

use crate::model::*;
use crate::{Annotator, Input};

fn annotator() -> &'static Annotator {
    static A: std::sync::OnceLock<Annotator> = std::sync::OnceLock::new();
    A.get_or_init(Annotator::new)
}

pub(super) fn events(text: &str) -> Vec<EventReport> {
    annotator().annotate(&Input { text, lang_hint: None, publish_date: None }).events
}

#[test]
fn smoke() {
    let e = events("التقى الرئيس الفرنسي إيمانويل ماكرون في باريس يوم 3 مارس 2021 مع رئيس الوزراء الكندي.");
    assert!(e.iter().any(|e| e.etype == EventType::Meet), "{e:?}");
}
