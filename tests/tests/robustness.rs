//! Bad and strange input through the annotator, AnalyzeText and IngestDocuments: never a panic,
//! never a span outside the text; TLS and the size limit at the gRPC layer.

use std::sync::OnceLock;

use khabar_annotate::{Annotations, Annotator, Input};
use khabar_proto::v1 as pb;
use khabar_tests::TestServer;
use proptest::prelude::*;

fn annotator() -> &'static Annotator {
    static A: OnceLock<Annotator> = OnceLock::new();
    A.get_or_init(Annotator::new)
}

/// Every span of every annotation lies inside the text; ids are well-formed.
fn check_invariants(text: &str, a: &Annotations) {
    let n = text.chars().count() as u32;
    let ok = |s: &khabar_annotate::Span| s.start <= s.end && s.end <= n;
    for s in &a.sentences {
        assert!(ok(s) && !s.is_empty(), "sentence {s:?} of {n}");
    }
    for z in &a.zones {
        assert!(ok(&z.span), "zone {z:?}");
    }
    for t in &a.times {
        assert!(ok(&t.span) && !t.span.is_empty(), "time {t:?}");
        assert!(t.value.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '/' || c == 'X'), "time value {:?}", t.value);
    }
    for q in &a.quantities {
        assert!(ok(&q.span) && !q.span.is_empty() && q.value.is_finite(), "quantity {q:?}");
    }
    let mut last_end = 0;
    for m in &a.mentions {
        assert!(ok(&m.span) && !m.span.is_empty(), "mention {m:?}");
        assert!(m.span.start >= last_end, "mentions overlap or are out of order: {m:?}");
        last_end = m.span.end;
        assert!((0.0..=1.0).contains(&m.confidence));
        if let Some(e) = &m.entity {
            assert!(khabar_store::is_valid_id(e), "entity id {e:?}");
            assert!(a.entities.iter().any(|x| &x.id == e), "mention of {e} without entity info");
        }
    }
    for e in &a.events {
        assert!(ok(&e.trigger) && ok(&e.evidence) && e.evidence.contains(&e.trigger), "event {e:?}");
        assert!(khabar_store::is_valid_id(&e.id));
    }
    if let Some(d) = &a.dateline {
        assert!(ok(&d.span));
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        // Arabic and Persian words, with clitics, marks and tatweel
        prop::sample::select(vec!["في", "وأذربيجان", "لقاراباغ", "الرئيس", "إلهام", "علييف", "باكو،", "قره\u{200C}باغ", "کوهستانی", "ممدیاراف", "مُحَمَّد", "عـــلي", "19 يونيو 2006", "۲۹ خرداد ۱۳۸۵", "23 جمادى الأولى 1427 هـ", "60 مليار دولار", "20%", "٪۲۰", "یک میلیون", "ألفي", "قتل 21 مدنياً", "التقى", "قصف"]).prop_map(String::from),
        // marks, controls and invisible characters
        prop::sample::select(vec!["\u{200F}", "\u{200E}", "\u{200C}", "\u{200D}", "\u{FEFF}", "\u{202E}", "\u{0640}", "\u{064B}", "\u{0670}", "\u{7}", "\u{1b}", "\t", "\r\n", "\n\n", "\u{2028}", "\u{FDFD}", "\u{FEFB}"]).prop_map(String::from),
        // other scripts, digits, punctuation, emoji
        prop::sample::select(vec!["Baku", "OSCE", "COP29", "كوب-29", "1,000.5", "٣٫٥", "(", ")", "«", "»", ":", "؟", ".", "…", "❁", "🙂", "-", "/", "1994-12-05"]).prop_map(String::from),
        // anything at all
        any::<String>(),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, max_shrink_iters: 200, ..ProptestConfig::default() })]
    #[test]
    fn the_pipeline_never_panics_and_spans_stay_inside(t in text(), hint in prop::sample::select(vec![None, Some("ar"), Some("fa")]), date in prop::sample::select(vec![None, Some("2024-07-13"), Some("2024"), Some("XXXX-07-04")])) {
        let a = annotator().annotate(&Input { text: &t, lang_hint: hint.and_then(khabar_annotate::Lang::from_code), publish_date: date });
        check_invariants(&t, &a);
        // deterministic
        let b = annotator().annotate(&Input { text: &t, lang_hint: hint.and_then(khabar_annotate::Lang::from_code), publish_date: date });
        prop_assert_eq!(a, b);
    }
}

#[test]
fn extremely_long_tokens_and_lines() {
    for t in [
        "ب".repeat(300_000),
        "a".repeat(300_000),
        "1".repeat(100_000),
        format!("{}\n", "في باكو ".repeat(40_000)),
        "\u{200F}".repeat(50_000),
        "\u{064B}".repeat(50_000),
        "-".repeat(100_000),
    ] {
        let a = annotator().annotate(&Input { text: &t, ..Default::default() });
        check_invariants(&t, &a);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strange_documents_through_the_rpcs() {
    let s = TestServer::start(|_| {}).await;
    let texts = [
        "\u{7}خبر مع محرف تحكم",
        "\u{200F}باكو\u{200E} Baku 2024 \u{202E}reversed\u{202C}",
        "English only text without Arabic script.",
        "قره\u{200C}باغ و قره باغ و لقاراباغ",
        "۱۲۳۴۵ ٦٧٨٩٠ 12345",
    ];
    let reqs: Vec<_> = texts.iter().enumerate().map(|(i, t)| pb::IngestDocumentsRequest { id: format!("odd-{i}"), text: t.to_string(), ..Default::default() }).collect();
    let r = s.documents().ingest_documents(tokio_stream::iter(reqs)).await.unwrap().into_inner();
    assert_eq!(r.created_count as usize, texts.len(), "{r:?}");
    for (i, t) in texts.iter().enumerate() {
        let d = s.documents().get_document(pb::GetDocumentRequest { name: format!("documents/odd-{i}"), view: pb::DocumentView::Full as i32 }).await.unwrap().into_inner();
        assert_eq!(&d.text, t);
        let chars: Vec<char> = d.text.chars().collect();
        for sp in d.entity_mentions.iter().filter_map(|m| m.span.as_ref()).chain(d.time_expressions.iter().filter_map(|x| x.span.as_ref())) {
            assert_eq!(chars[sp.start_offset as usize..sp.end_offset as usize].iter().collect::<String>(), sp.content);
        }
        let a = s.documents().analyze_text(pb::AnalyzeTextRequest { text: t.to_string(), ..Default::default() }).await.unwrap().into_inner();
        assert_eq!(a.entity_mentions, d.entity_mentions.iter().map(|m| pb::EntityMention { document: String::new(), ..m.clone() }).collect::<Vec<_>>());
    }
    let english = s.documents().get_document(pb::GetDocumentRequest { name: "documents/odd-2".into(), view: 0 }).await.unwrap().into_inner();
    assert_eq!(english.language_code, "und");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_over_the_limit_is_refused_by_the_transport_and_the_server_goes_on() {
    let s = TestServer::start(|c| c.limits.max_document_bytes = 16 * 1024).await;
    // far over the gRPC message limit (document limit + 1 MiB): refused before decoding
    let huge = "ب".repeat(2 << 20);
    let st = s.documents().analyze_text(pb::AnalyzeTextRequest { text: huge, ..Default::default() }).await.unwrap_err();
    // tonic reports an over-limit message as OUT_OF_RANGE ("decoded message length too large")
    assert_eq!(st.code(), tonic::Code::OutOfRange, "{st:?}");
    assert!(st.message().contains("too large"));
    assert!(s.documents().list_documents(pb::ListDocumentsRequest::default()).await.is_ok());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).unwrap();
    let mut cfg = khabar_server::Config::new(dir.path().join("db"));
    cfg.tls = Some((cert_path, key_path));
    let server = khabar_server::Running::start(cfg).await.unwrap();
    let tls = tonic::transport::ClientTlsConfig::new().ca_certificate(tonic::transport::Certificate::from_pem(cert.cert.pem())).domain_name("localhost");
    let ch = tonic::transport::Endpoint::from_shared(format!("https://localhost:{}", server.addr.port())).unwrap().tls_config(tls).unwrap().connect().await.unwrap();
    let mut h = tonic_health::pb::health_client::HealthClient::new(ch);
    let mut ok = false;
    for _ in 0..200 {
        if h.check(tonic_health::pb::HealthCheckRequest::default()).await.is_ok_and(|r| r.into_inner().status() == tonic_health::pb::health_check_response::ServingStatus::Serving) {
            ok = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ok, "TLS health check");
    // plaintext clients cannot talk to it
    let plain = tonic::transport::Endpoint::from_shared(server.url()).unwrap().connect().await;
    if let Ok(ch) = plain {
        assert!(tonic_health::pb::health_client::HealthClient::new(ch).check(tonic_health::pb::HealthCheckRequest::default()).await.is_err());
    }
    server.stop().await.unwrap();
}
