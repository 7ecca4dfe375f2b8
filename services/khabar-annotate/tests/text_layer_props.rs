//! Property tests of the text layer: on arbitrary Unicode and on mixed Arabic/Persian/Latin
//! text with digits and invisible marks, the pipeline never panics and every span it returns
//! addresses the original text (start <= end <= number of code points).

use khabar_annotate::text::{tokenize, NormView, TextView};
use khabar_annotate::{Annotations, Annotator, Input, Lang, Span};
use proptest::prelude::*;

/// Pieces real news text is made of, including the awkward ones.
const PIECES: &[&str] = &[
    "باكو", "، ", "4", "يوليو", "أذرتاج", "\n", "\n\n\n", " ", "في", "23", "جمادى الأولى", "1427", "هـ", "/", "19", "يونيو", "2006م", "من", "إلى", "-",
    "5-6", "ديسمبر", "الثالث عشر", "الشهر الجاري", "۲۹", "خرداد", "۱۳۸۵", "سال", "87", "٢٠٢٠", "٪", "%", "20", "درصد", "60", "مليار", "دولار",
    "أكثر من", "ألفي", "مدنياً", "یک", "میلیون", "هزار", "و", "تومان", "ریال", "نفر", "\u{200C}", "\u{200D}", "\u{200F}", "\u{200E}", "\u{202B}",
    "\u{FEFF}", "َ", "ً", "ّ", "ـ", "ﻻ", "ﷺ", "ة", "ى", "ی", "ک", "ي", "ك", "لأذربيجان", "قره\u{200C}باغ", "های", "ها", "را", "است", "می\u{200C}شود",
    "OSCE", "COP29", "U.S.", "Dr.", ".", "...", "…", "؟", "!", "«", "»", "“", "”", "(", ")", "ق. أ", "3.5", "1,000", "١٢٫٥", "۱۲٬۰۰۰", "رقم", "10/33",
    "القرن", "التاسع عشر", "عام", "رجب", "شعبان", "ماه", "می", "#", "##", "©", "المزيد...", "شاركوا", "😀", "\u{0301}", "e\u{0301}", "\t", "\r\n",
    "ـ15", "الـ", "1385/03/29", "04.07.2020", "وكالة تسنيم للأنباء", "به گزارش", "آران نیوز", ":", "سبق-", "واس", "ﺑ", "ﻼ", "\u{10FFFF}", "\u{0}",
];

fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|v| v.concat())
}

fn check_span(s: &Span, n: usize, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(s.start <= s.end && (s.end as usize) <= n, "{what} span {s:?} outside 0..{n}");
    Ok(())
}

fn check_annotations(a: &Annotations, n: usize) -> Result<(), TestCaseError> {
    for s in &a.sentences {
        check_span(s, n, "sentence")?;
        prop_assert!(s.start < s.end, "empty sentence");
    }
    for w in a.sentences.windows(2) {
        prop_assert!(w[0].end <= w[1].start, "sentences overlap: {w:?}");
    }
    for z in &a.zones {
        check_span(&z.span, n, "zone")?;
    }
    for w in a.zones.windows(2) {
        prop_assert!(w[0].span.end <= w[1].span.start, "zones overlap: {w:?}");
    }
    for t in &a.times {
        check_span(&t.span, n, "time")?;
        prop_assert!(t.span.start < t.span.end, "empty time span");
        prop_assert!(!t.value.is_empty());
        prop_assert!(t.value.chars().all(|c| c.is_ascii_digit() || c == 'X' || c == '-' || c == '/'), "bad time value {:?}", t.value);
    }
    for q in &a.quantities {
        check_span(&q.span, n, "quantity")?;
        prop_assert!(q.span.start < q.span.end, "empty quantity span");
        prop_assert!(q.value.is_finite());
    }
    if let Some(d) = &a.dateline {
        check_span(&d.span, n, "dateline")?;
    }
    for m in &a.mentions {
        check_span(&m.span, n, "mention")?;
    }
    Ok(())
}

fn check_text(text: &str, annotator: &Annotator) -> Result<(), TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    // normalised view: every code point maps back inside the text, in order
    let v = NormView::new(&chars);
    prop_assert_eq!(v.chars.len(), v.origin.len());
    for w in v.origin.windows(2) {
        prop_assert!(w[0] <= w[1]);
    }
    prop_assert!(v.origin.iter().all(|&o| (o as usize) < n));
    // tokens: in order, disjoint, inside the text; readings stay inside their token
    let tokens = tokenize(&chars);
    for w in tokens.windows(2) {
        prop_assert!(w[0].span.end <= w[1].span.start);
    }
    for t in &tokens {
        check_span(&t.span, n, "token")?;
        prop_assert!(t.span.start < t.span.end);
        let len = t.span.end - t.span.start;
        for r in t.readings_with_article(&chars) {
            prop_assert!(r.skip <= len, "reading skip {} > {len} in {:?}", r.skip, t);
        }
        for lang in [Lang::Ar, Lang::Fa] {
            for r in t.suffix_readings(&chars, lang) {
                prop_assert!(r.trim < len);
            }
        }
    }
    // the whole pipeline, with and without a document date and a language hint
    for (hint, date) in [(None, None), (Some(Lang::Fa), Some("2020-07-15")), (Some(Lang::Ar), Some("2015"))] {
        let a = annotator.annotate(&Input { text, lang_hint: hint, publish_date: date });
        check_annotations(&a, n)?;
    }
    let view = TextView::new(text, None);
    prop_assert!(view.tokens.iter().all(|t| (t.sentence as usize) < view.sentences.len().max(1)));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn spans_address_arbitrary_unicode(text in any::<String>()) {
        let annotator = Annotator::new();
        check_text(&text, &annotator)?;
    }

    #[test]
    fn spans_address_mixed_news_like_text(text in mixed_text()) {
        let annotator = Annotator::new();
        check_text(&text, &annotator)?;
    }
}

#[test]
fn seeds_annotate_cleanly() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let annotator = Annotator::new();
    for e in entries.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let a = annotator.annotate(&Input { text: &text, ..Default::default() });
        let n = text.chars().count();
        check_annotations(&a, n).unwrap();
        assert_ne!(a.lang, Lang::Und, "{:?}", e.path());
    }
}
