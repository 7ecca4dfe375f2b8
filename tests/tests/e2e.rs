//! End-to-end: the real server on 127.0.0.1:0, real tonic clients, the seed documents.

use std::collections::BTreeSet;
use std::time::Duration;

use khabar_proto::v1::{self as pb, IngestStatus};
use khabar_tests::{seed_request, seeds, seeds_dir, TestServer};
use tonic::Code;
use tonic_types::StatusExt;

/// Ingests the seeds through IngestDocuments and returns the response.
async fn ingest_seeds(s: &TestServer) -> pb::IngestDocumentsResponse {
    let reqs: Vec<_> = seeds().iter().map(|(id, text)| seed_request(id, text)).collect();
    s.documents().ingest_documents(tokio_stream::iter(reqs)).await.expect("ingest").into_inner()
}

async fn full_text(s: &TestServer, id: &str) -> pb::Document {
    s.documents()
        .get_document(pb::GetDocumentRequest { name: format!("documents/{id}"), view: pb::DocumentView::Full as i32 })
        .await
        .expect("get")
        .into_inner()
}

fn chars_slice(text: &str, a: i32, b: i32) -> String {
    text.chars().skip(a as usize).take((b - a) as usize).collect()
}

/// Every span of a FULL document addresses its text exactly.
fn assert_spans_exact(d: &pb::Document) {
    let mut spans: Vec<&pb::TextSpan> = d.sentences.iter().collect();
    spans.extend(d.zones.iter().filter_map(|z| z.span.as_ref()));
    spans.extend(d.time_expressions.iter().filter_map(|t| t.span.as_ref()));
    spans.extend(d.quantities.iter().filter_map(|q| q.span.as_ref()));
    spans.extend(d.entity_mentions.iter().filter_map(|m| m.span.as_ref()));
    for s in spans {
        assert_eq!(chars_slice(&d.text, s.start_offset, s.end_offset), s.content, "span {}..{} of {}", s.start_offset, s.end_offset, d.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_through_the_rpc_round_trip_exactly_and_reingest_is_idempotent() {
    let s = TestServer::start(|_| {}).await;
    let r = ingest_seeds(&s).await;
    assert_eq!(r.created_count, 5, "{r:?}");
    assert_eq!(r.failed_count, 0);
    for (i, res) in r.results.iter().enumerate() {
        assert_eq!(res.index as usize, i);
        assert_eq!(res.status(), IngestStatus::Created);
    }
    for (id, text) in seeds() {
        let d = full_text(&s, &id).await;
        assert_eq!(d.text, text, "{id}: stored text differs from the seed file");
        assert_eq!(d.char_count as usize, text.chars().count());
        assert!(!d.sentences.is_empty());
        assert_spans_exact(&d);
        // BASIC view carries no text or lists
        let b = s.documents().get_document(pb::GetDocumentRequest { name: format!("documents/{id}"), view: 0 }).await.unwrap().into_inner();
        assert!(b.text.is_empty() && b.sentences.is_empty() && b.entity_mentions.is_empty());
        assert_eq!(b.content_sha256, d.content_sha256);
    }
    let again = ingest_seeds(&s).await;
    assert_eq!(again.unchanged_count, 5, "{again:?}");
    // the Persian seed is fa, the others ar
    let fa = s.documents().list_documents(pb::ListDocumentsRequest { filter: "language_code = \"fa\"".into(), ..Default::default() }).await.unwrap().into_inner();
    assert_eq!(fa.documents.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["documents/003_582982c64e34e579"]);
    let ar = s.documents().list_documents(pb::ListDocumentsRequest { filter: "language_code = ar".into(), ..Default::default() }).await.unwrap().into_inner();
    assert_eq!(ar.documents.len(), 4);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_through_the_worker_then_served() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = khabar_store::Store::open(&dir.path().join("db")).unwrap();
        let annotator = khabar_annotate::Annotator::new();
        let (inputs, _) = khabar_worker::source::expand(&[seeds_dir()]).unwrap();
        let items = khabar_worker::source::read_inputs(inputs, 1 << 20);
        let sum = khabar_worker::local::ingest_local(items, &annotator, &store, &Default::default(), &|_| {}, None).unwrap();
        assert_eq!((sum.created, sum.failed), (5, 0), "{}", sum.report());
    }
    let s = TestServer::start_in(dir, |_| {}).await;
    for (id, text) in seeds() {
        let d = full_text(&s, &id).await;
        assert_eq!(d.text, text);
        assert_eq!(d.source_uri, format!("{id}.txt"));
        assert_spans_exact(&d);
    }
    // the same files with the same metadata through the RPC: nothing changes
    let reqs: Vec<_> = seeds().iter().map(|(id, text)| pb::IngestDocumentsRequest { source_uri: format!("{id}.txt"), ..seed_request(id, text) }).collect();
    let r = s.documents().ingest_documents(tokio_stream::iter(reqs)).await.unwrap().into_inner();
    assert_eq!(r.unchanged_count, 5, "{r:?}");
    // different metadata for the same text is a new version
    let r = s.documents().ingest_documents(tokio_stream::iter(vec![pb::IngestDocumentsRequest { title: "عنوان".into(), ..seed_request(&seeds()[0].0, &seeds()[0].1) }])).await.unwrap().into_inner();
    assert_eq!(r.results[0].status(), IngestStatus::Updated);
    s.stop().await;
}

/// Collects every page of a list, asserting that tokens chain and end with an empty token.
async fn all_pages<T, F, Fut>(mut call: F) -> Vec<T>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = (Vec<T>, String)>,
{
    let mut out = Vec::new();
    let mut token = String::new();
    for _ in 0..10_000 {
        let (items, next) = call(token).await;
        out.extend(items);
        if next.is_empty() {
            return out;
        }
        token = next;
    }
    panic!("pagination did not end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagination_visits_every_item_once() {
    let s = TestServer::start(|_| {}).await;
    ingest_seeds(&s).await;
    // more documents than a page: generated copies with fresh ids
    let extra: Vec<_> = (0..23).map(|i| pb::IngestDocumentsRequest { id: format!("gen-{i:03}"), text: format!("خبر رقم {i} من باكو"), ..Default::default() }).collect();
    let r = s.documents().ingest_documents(tokio_stream::iter(extra)).await.unwrap().into_inner();
    assert_eq!(r.created_count, 23);
    for size in [1, 4, 7, 1000] {
        let mut c = s.documents();
        let names = all_pages(|token| {
            let mut c = c.clone();
            async move {
                let r = c.list_documents(pb::ListDocumentsRequest { page_size: size, page_token: token, ..Default::default() }).await.unwrap().into_inner();
                (r.documents.into_iter().map(|d| d.name).collect::<Vec<_>>(), r.next_page_token)
            }
        })
        .await;
        let set: BTreeSet<&String> = names.iter().collect();
        assert_eq!(set.len(), names.len(), "duplicates at page size {size}");
        assert_eq!(names.len(), 28, "page size {size}");
        c = s.documents();
        let _ = c;
    }
    // mentions of each document, page by page, equal the FULL view's list
    for (id, _) in seeds() {
        let full = full_text(&s, &id).await;
        let ec = s.entities();
        let ms = all_pages(|token| {
            let mut c = ec.clone();
            let parent = format!("documents/{id}");
            async move {
                let r = c.list_entity_mentions(pb::ListEntityMentionsRequest { parent, page_size: 3, page_token: token }).await.unwrap().into_inner();
                (r.entity_mentions, r.next_page_token)
            }
        })
        .await;
        assert_eq!(ms, full.entity_mentions, "{id}");
    }
    // events and entities page through without repeats
    let ev = s.events();
    let events = all_pages(|token| {
        let mut c = ev.clone();
        async move {
            let r = c.list_events(pb::ListEventsRequest { page_size: 2, page_token: token, ..Default::default() }).await.unwrap().into_inner();
            (r.events.into_iter().map(|e| e.name).collect::<Vec<_>>(), r.next_page_token)
        }
    })
    .await;
    assert_eq!(events.iter().collect::<BTreeSet<_>>().len(), events.len());
    let en = s.entities();
    let ents = all_pages(|token| {
        let mut c = en.clone();
        async move {
            let r = c.list_entities(pb::ListEntitiesRequest { page_size: 5, page_token: token, ..Default::default() }).await.unwrap().into_inner();
            (r.entities.into_iter().map(|e| e.name).collect::<Vec<_>>(), r.next_page_token)
        }
    })
    .await;
    assert_eq!(ents.iter().collect::<BTreeSet<_>>().len(), ents.len());
    s.stop().await;
}

fn bad_request_field(st: &tonic::Status) -> String {
    st.get_error_details().bad_request().and_then(|b| b.field_violations.first().map(|v| v.field.clone())).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_have_the_right_codes_and_details() {
    let s = TestServer::start(|c| c.limits.max_document_bytes = 64 * 1024).await;
    ingest_seeds(&s).await;
    let mut d = s.documents();
    let mut e = s.entities();
    let mut v = s.events();

    // malformed names → INVALID_ARGUMENT with a BadRequest on `name`
    for name in ["", "documents/", "docs/x", "documents/UPPER", "documents/a/b", "documents/ünï"] {
        let st = d.get_document(pb::GetDocumentRequest { name: name.into(), view: 0 }).await.unwrap_err();
        assert_eq!(st.code(), Code::InvalidArgument, "{name}");
        assert_eq!(bad_request_field(&st), "name");
    }
    // unknown resources → NOT_FOUND with ResourceInfo
    let st = d.get_document(pb::GetDocumentRequest { name: "documents/nope".into(), view: 0 }).await.unwrap_err();
    assert_eq!(st.code(), Code::NotFound);
    assert_eq!(st.get_error_details().resource_info().unwrap().resource_name, "documents/nope");
    assert_eq!(e.get_entity(pb::GetEntityRequest { name: "entities/nope".into() }).await.unwrap_err().code(), Code::NotFound);
    assert_eq!(v.get_event(pb::GetEventRequest { name: "events/nope".into() }).await.unwrap_err().code(), Code::NotFound);
    let st = e.list_entity_mentions(pb::ListEntityMentionsRequest { parent: "documents/nope".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(st.code(), Code::NotFound);
    let st = e.list_entity_mentions(pb::ListEntityMentionsRequest { parent: "events/x".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!((st.code(), bad_request_field(&st)), (Code::InvalidArgument, "parent".into()));

    // filters: unknown fields, malformed syntax, bad values
    for f in ["colour = red", "type = ", "type = ATTACK OR type = MEET", "time >= yesterday", "type = BOMBING", "participant = \"x\"", "document = \"documents/UP\"", "time != 2020"] {
        let st = v.list_events(pb::ListEventsRequest { filter: f.into(), ..Default::default() }).await.unwrap_err();
        assert_eq!((st.code(), bad_request_field(&st)), (Code::InvalidArgument, "filter".into()), "{f}");
    }
    for f in ["language_code = xx", "language_code > ar", "publish_date >= soon"] {
        let st = d.list_documents(pb::ListDocumentsRequest { filter: f.into(), ..Default::default() }).await.unwrap_err();
        assert_eq!(st.code(), Code::InvalidArgument, "{f}");
    }
    let st = e.list_entities(pb::ListEntitiesRequest { filter: "type = PLANET".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(st.code(), Code::InvalidArgument);

    // page sizes: negative refused, huge capped
    let st = d.list_documents(pb::ListDocumentsRequest { page_size: -5, ..Default::default() }).await.unwrap_err();
    assert_eq!((st.code(), bad_request_field(&st)), (Code::InvalidArgument, "page_size".into()));
    let big = d.list_documents(pb::ListDocumentsRequest { page_size: i32::MAX, ..Default::default() }).await.unwrap().into_inner();
    assert_eq!(big.documents.len(), 5);

    // page tokens: forged, garbage, reused with another filter
    let p1 = d.list_documents(pb::ListDocumentsRequest { page_size: 1, ..Default::default() }).await.unwrap().into_inner();
    assert!(!p1.next_page_token.is_empty());
    let mut forged = p1.next_page_token.clone().into_bytes();
    let n = forged.len();
    forged[n / 2] = if forged[n / 2] == b'A' { b'B' } else { b'A' };
    for tok in [String::from_utf8(forged).unwrap(), "garbage!".into(), "AAAA".into()] {
        let st = d.list_documents(pb::ListDocumentsRequest { page_size: 1, page_token: tok, ..Default::default() }).await.unwrap_err();
        assert_eq!((st.code(), bad_request_field(&st)), (Code::InvalidArgument, "page_token".into()));
    }
    let st = d
        .list_documents(pb::ListDocumentsRequest { page_size: 1, page_token: p1.next_page_token.clone(), filter: "language_code = ar".into(), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(st.code(), Code::InvalidArgument);
    let st = v.list_events(pb::ListEventsRequest { page_token: p1.next_page_token.clone(), ..Default::default() }).await.unwrap_err();
    assert_eq!(st.code(), Code::InvalidArgument, "a ListDocuments token is not a ListEvents token");

    // AnalyzeText: bad language, bad date, too large
    let st = d.analyze_text(pb::AnalyzeTextRequest { text: "نص".into(), language_code: "zz".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(bad_request_field(&st), "language_code");
    let st = d.analyze_text(pb::AnalyzeTextRequest { text: "نص".into(), publish_date: "13/07/2024".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(bad_request_field(&st), "publish_date");
    let st = d.analyze_text(pb::AnalyzeTextRequest { text: "ن".repeat(40_000), ..Default::default() }).await.unwrap_err();
    assert_eq!((st.code(), bad_request_field(&st)), (Code::InvalidArgument, "text".into()));

    // an expired deadline is DEADLINE_EXCEEDED, not CANCELLED
    let mut req = tonic::Request::new(pb::ListDocumentsRequest::default());
    req.metadata_mut().insert("grpc-timeout", "1m".parse().unwrap());
    let st = d.list_documents(req).await.unwrap_err();
    assert_eq!(st.code(), Code::DeadlineExceeded, "{st:?}");

    // ingest: bad documents fail one by one, the rest go in
    let batch = vec![
        pb::IngestDocumentsRequest { id: "ok-1".into(), text: "خبر أول".into(), ..Default::default() },
        pb::IngestDocumentsRequest { id: "empty".into(), text: "  \n ".into(), ..Default::default() },
        pb::IngestDocumentsRequest { id: "bad-date".into(), text: "خبر".into(), publish_date: "tomorrow".into(), ..Default::default() },
        pb::IngestDocumentsRequest { id: "binary".into(), text: "a\0b".into(), ..Default::default() },
        pb::IngestDocumentsRequest { id: "big".into(), text: "ب".repeat(40_000), ..Default::default() },
        pb::IngestDocumentsRequest { id: "Needs Sanitising!".into(), text: "خبر ثان".into(), ..Default::default() },
        pb::IngestDocumentsRequest { id: String::new(), text: "خبر بلا معرف".into(), ..Default::default() },
    ];
    let r = d.ingest_documents(tokio_stream::iter(batch)).await.unwrap().into_inner();
    let statuses: Vec<IngestStatus> = r.results.iter().map(|x| x.status()).collect();
    use IngestStatus::*;
    assert_eq!(statuses, [Created, Failed, Failed, Failed, Failed, Created, Created], "{r:?}");
    assert!(r.results[1].error.contains("empty"));
    assert!(r.results[4].error.contains("limit"));
    assert_eq!(r.results[5].name, "documents/needs-sanitising");
    assert_eq!(r.results[6].name.len(), "documents/".len() + 16);
    // the same id with different text is a new version
    let r = d.ingest_documents(tokio_stream::iter(vec![pb::IngestDocumentsRequest { id: "ok-1".into(), text: "خبر أول معدل".into(), ..Default::default() }])).await.unwrap().into_inner();
    assert_eq!(r.results[0].status(), Updated);
    assert_eq!(full_text(&s, "ok-1").await.text, "خبر أول معدل");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reflection_and_write_token() {
    let s = TestServer::start(|c| c.write_token = Some("s3cret".into())).await;
    // reflection v1 lists the services
    use tonic_reflection::pb::v1::{server_reflection_client::ServerReflectionClient, server_reflection_request::MessageRequest, server_reflection_response::MessageResponse, ServerReflectionRequest};
    let mut refl = ServerReflectionClient::new(s.channel.clone());
    let req = ServerReflectionRequest { host: String::new(), message_request: Some(MessageRequest::ListServices(String::new())) };
    let mut stream = refl.server_reflection_info(tokio_stream::iter(vec![req])).await.unwrap().into_inner();
    let msg = stream.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = msg.message_response else { panic!("{msg:?}") };
    let names: BTreeSet<String> = list.service.into_iter().map(|s| s.name).collect();
    for want in ["khabar.v1.DocumentService", "khabar.v1.EntityService", "khabar.v1.EventService", "grpc.health.v1.Health"] {
        assert!(names.contains(want), "{names:?}");
    }
    // per-service health
    let mut h = tonic_health::pb::health_client::HealthClient::new(s.channel.clone());
    let r = h.check(tonic_health::pb::HealthCheckRequest { service: "khabar.v1.EventService".into() }).await.unwrap().into_inner();
    assert_eq!(r.status(), tonic_health::pb::health_check_response::ServingStatus::Serving);
    // write RPCs need the token
    let mut d = s.documents();
    let st = d.ingest_documents(tokio_stream::iter(vec![seed_request("x", "نص")])).await.unwrap_err();
    assert_eq!(st.code(), Code::Unauthenticated);
    let mut req = tonic::Request::new(tokio_stream::iter(vec![seed_request("x", "نص")]));
    req.metadata_mut().insert("authorization", "Bearer s3cret".parse().unwrap());
    assert_eq!(d.ingest_documents(req).await.unwrap().into_inner().created_count, 1);
    // reads do not
    assert!(d.list_documents(pb::ListDocumentsRequest::default()).await.is_ok());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_stop_keeps_everything_acknowledged() {
    let s = TestServer::start(|_| {}).await;
    let r = ingest_seeds(&s).await;
    assert_eq!(r.created_count, 5);
    let dir = s.stop().await;
    // the store reopens with everything, and every index agrees with the documents
    let store = khabar_store::Store::open(&dir.path().join("db")).unwrap();
    assert_eq!(store.document_count().unwrap(), 5);
    let report = store.check(false).unwrap();
    assert!(report.is_clean(), "{report:?}");
    drop(store);
    let s = TestServer::start_in(dir, |_| {}).await;
    let all = s.documents().list_documents(pb::ListDocumentsRequest::default()).await.unwrap().into_inner();
    assert_eq!(all.documents.len(), 5);
    tokio::time::timeout(Duration::from_secs(10), s.stop()).await.expect("stops quickly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_streams_to_the_server_in_acknowledged_batches() {
    let s = TestServer::start(|_| {}).await;
    let url = s.server.url();
    let sum = tokio::task::spawn_blocking(move || {
        let (inputs, _) = khabar_worker::source::expand(&[seeds_dir()]).unwrap();
        let items = khabar_worker::source::read_inputs(inputs, 1 << 20);
        let opts = khabar_worker::remote::RemoteOptions { batch: 2, ..Default::default() };
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(khabar_worker::remote::ingest_remote(items, &url, &opts, &|_| {}, None)).unwrap()
    })
    .await
    .unwrap();
    assert_eq!((sum.created, sum.failed), (5, 0), "{}", sum.report());
    for (id, text) in seeds() {
        assert_eq!(full_text(&s, &id).await.text, text);
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entities_are_canonical_across_spellings_documents_and_languages() {
    let s = TestServer::start(|_| {}).await;
    ingest_seeds(&s).await;
    let mut e = s.entities();
    // every spelling finds the same entity first
    for q in ["قاراباغ", "كاراباخ", "قره باغ", "قره‌باغ", "Karabakh", "لقاراباغ"] {
        let r = e.search_entities(pb::SearchEntitiesRequest { query: q.into(), page_size: 5, r#type: 0 }).await.unwrap().into_inner();
        assert_eq!(r.entities.first().map(|x| x.name.as_str()), Some("entities/karabakh"), "query {q}: {:?}", r.entities.iter().map(|x| &x.name).collect::<Vec<_>>());
    }
    let k = e.get_entity(pb::GetEntityRequest { name: "entities/karabakh".into() }).await.unwrap().into_inner();
    assert_eq!(k.r#type(), pb::EntityType::Gpe);
    assert!(k.labels.contains_key("ar") && k.labels.contains_key("fa") && k.labels.contains_key("en"), "{k:?}");
    // mentioned in Arabic and Persian seeds: one entity across documents and languages
    let mentions = all_pages(|token| {
        let mut c = e.clone();
        async move {
            let r = c.list_entity_mentions(pb::ListEntityMentionsRequest { parent: "entities/karabakh".into(), page_size: 7, page_token: token }).await.unwrap().into_inner();
            (r.entity_mentions, r.next_page_token)
        }
    })
    .await;
    let docs: BTreeSet<&str> = mentions.iter().map(|m| m.document.as_str()).collect();
    assert!(docs.contains("documents/003_582982c64e34e579"), "the Persian seed mentions Karabakh: {docs:?}");
    assert!(docs.len() >= 3, "{docs:?}");
    assert_eq!(k.mention_count as usize, mentions.len());
    assert_eq!(k.document_count as usize, docs.len());
    for m in &mentions {
        let d = full_text(&s, m.document.trim_start_matches("documents/")).await;
        let sp = m.span.as_ref().unwrap();
        assert_eq!(chars_slice(&d.text, sp.start_offset, sp.end_offset), sp.content);
    }
    // the document filter of ListEntities agrees with the mentions
    let in_doc = e.list_entities(pb::ListEntitiesRequest { filter: "document = \"documents/003_582982c64e34e579\"".into(), page_size: 1000, ..Default::default() }).await.unwrap().into_inner();
    assert!(in_doc.entities.iter().any(|x| x.name == "entities/karabakh"));
    // a knowledge-base entity no stored document mentions is still known, with zero counts
    let tokyo = e.get_entity(pb::GetEntityRequest { name: "entities/tokyo".into() }).await.unwrap().into_inner();
    assert_eq!((tokyo.mention_count, tokyo.document_count), (0, 0));
    assert_eq!(e.get_entity(pb::GetEntityRequest { name: "entities/no_such_thing_here".into() }).await.unwrap_err().code(), Code::NotFound);
    // type filter
    let people = e.list_entities(pb::ListEntitiesRequest { filter: "type = PERSON".into(), page_size: 1000, ..Default::default() }).await.unwrap().into_inner();
    assert!(people.entities.iter().all(|x| x.r#type() == pb::EntityType::Person));
    assert!(people.entities.iter().any(|x| x.name == "entities/ilham_aliyev"));
    s.stop().await;
}
