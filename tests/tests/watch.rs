//! WatchEvents: live changes as documents are ingested, resumable from a cursor, filtered.

use std::time::Duration;

use khabar_proto::v1 as pb;
use khabar_tests::TestServer;

const ATTACK: &str = "قصفت القوات الأرمنية مدينة ترتر الأذربيجانية بالصواريخ في 27 سبتمبر 2020، مما أسفر عن مقتل 5 مدنيين وإصابة 12 آخرين.";
const MEET: &str = "التقى الرئيس الأذربيجاني إلهام علييف في باكو يوم 13 يوليو 2024 بالأمين العام لمنظمة الأمن والتعاون في أوروبا.";

async fn ingest(s: &TestServer, id: &str, text: &str) {
    let r = s.documents().ingest_documents(tokio_stream::iter(vec![pb::IngestDocumentsRequest { id: id.into(), text: text.into(), ..Default::default() }])).await.unwrap().into_inner();
    assert_eq!(r.failed_count, 0, "{r:?}");
}

async fn next(stream: &mut tonic::Streaming<pb::WatchEventsResponse>) -> pb::WatchEventsResponse {
    tokio::time::timeout(Duration::from_secs(20), stream.message()).await.expect("a change within 20s").unwrap().expect("stream open")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_follows_ingest_and_resumes_from_a_cursor() {
    let s = TestServer::start(|_| {}).await;
    let mut ev = s.events();
    let mut live = ev.watch_events(pb::WatchEventsRequest { filter: String::new(), cursor: String::new(), replay: false }).await.unwrap().into_inner();
    ingest(&s, "attack", ATTACK).await;
    let first = next(&mut live).await;
    assert_eq!(first.change(), pb::ChangeType::Created);
    let e = first.event.clone().unwrap();
    assert!(e.mentions.iter().any(|m| m.document == "documents/attack"), "{e:?}");
    // the event is there through the unary API too
    let got = ev.get_event(pb::GetEventRequest { name: e.name.clone() }).await.unwrap().into_inner();
    assert_eq!(got.name, e.name);
    // drain whatever else the first document produced, remember the last cursor, disconnect
    let mut cursor = first.cursor.clone();
    while let Ok(Some(Ok(m))) = tokio::time::timeout(Duration::from_millis(500), live.message()).await.map(|r| r.transpose()) {
        cursor = m.cursor;
    }
    drop(live);
    ingest(&s, "meet", MEET).await;
    // resuming from the cursor sees the second document's events and nothing of the first
    let mut resumed = ev.watch_events(pb::WatchEventsRequest { filter: String::new(), cursor: cursor.clone(), replay: false }).await.unwrap().into_inner();
    let m = next(&mut resumed).await;
    assert!(m.cursor.parse::<u64>().unwrap() > cursor.parse::<u64>().unwrap());
    let e2 = m.event.unwrap();
    assert!(e2.mentions.iter().all(|x| x.document == "documents/meet"), "{e2:?}");
    drop(resumed);
    // a filtered replay from the beginning holds only that type
    let mut attacks = ev.watch_events(pb::WatchEventsRequest { filter: "type = ATTACK".into(), cursor: String::new(), replay: true }).await.unwrap().into_inner();
    let a = next(&mut attacks).await;
    assert_eq!(a.event.unwrap().r#type(), pb::EventType::Attack);
    // replacing the attack report by a text without events deletes the event
    let mut all = ev.watch_events(pb::WatchEventsRequest::default()).await.unwrap().into_inner();
    ingest(&s, "attack", "نص بلا أحداث.").await;
    let mut deleted = false;
    for _ in 0..20 {
        let m = next(&mut all).await;
        if m.change() == pb::ChangeType::Deleted && m.event.as_ref().is_some_and(|x| x.name == e.name) {
            deleted = true;
            break;
        }
    }
    assert!(deleted, "the attack event was not reported deleted");
    assert_eq!(ev.get_event(pb::GetEventRequest { name: e.name.clone() }).await.unwrap_err().code(), tonic::Code::NotFound);
    // bad cursors and filters are refused
    assert_eq!(ev.watch_events(pb::WatchEventsRequest { cursor: "abc".into(), ..Default::default() }).await.unwrap_err().code(), tonic::Code::InvalidArgument);
    assert_eq!(ev.watch_events(pb::WatchEventsRequest { filter: "type = NOPE".into(), ..Default::default() }).await.unwrap_err().code(), tonic::Code::InvalidArgument);
    s.stop().await;
}
