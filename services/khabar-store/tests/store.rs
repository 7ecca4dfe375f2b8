//! Store behaviour over both backends: atomic writes, replacement, counts, indexes, event
//! merging independent of ingestion order, check and repair.

use std::collections::BTreeMap;
use std::sync::Arc;

use khabar_annotate::*;
use khabar_store::*;
use proptest::prelude::*;

fn entity(id: &str, t: EntityType, name: &str) -> EntityInfo {
    EntityInfo {
        id: id.into(),
        etype: t,
        display_name: name.into(),
        labels: BTreeMap::new(),
        aliases: vec![],
        subtype: String::new(),
        wikidata: String::new(),
        related: None,
        origin: Origin::KnowledgeBase,
        source: "test".into(),
    }
}

/// A document mentioning `ents` (one mention each, in order) with one event per (type, time).
fn doc(id: &str, text: &str, ents: &[(&str, EntityType)], events: &[(&str, EventType, &str, &[&str])]) -> NewDocument {
    let chars: Vec<char> = text.chars().collect();
    let mut mentions = Vec::new();
    let mut infos = Vec::new();
    for (i, (e, t)) in ents.iter().enumerate() {
        let s = (i * 2).min(chars.len().saturating_sub(1));
        mentions.push(Mention { span: Span::new(s, s + 1), entity: Some(e.to_string()), etype: *t, confidence: 0.9, origin: Origin::KnowledgeBase });
        if !infos.iter().any(|x: &EntityInfo| x.id == *e) {
            infos.push(entity(e, *t, e));
        }
    }
    infos.sort_by(|a, b| a.id.cmp(&b.id));
    let events = events
        .iter()
        .enumerate()
        .map(|(i, (eid, t, time, parts))| EventReport {
            id: eid.to_string(),
            etype: *t,
            time: (!time.is_empty()).then(|| EventTime { value: time.to_string(), calendar: Calendar::Gregorian }),
            place: None,
            participants: parts.iter().map(|p| Participant { entity: p.to_string(), role: Role::Actor, text: p.to_string() }).collect(),
            casualties: Casualties::default(),
            trigger: Span::new(i, i + 1),
            evidence: Span::new(0, chars.len()),
            realis: Realis::Actual,
            confidence: 0.5 + i as f32 / 100.0,
            document_reference: None,
            event_entity: None,
        })
        .collect();
    NewDocument {
        id: id.into(),
        text: text.into(),
        given: Given::default(),
        annotations: Annotations { annotator_version: "test/1".into(), lang: Lang::Ar, mentions, entities: infos, events, ..Default::default() },
        now_ms: 1,
    }
}

fn backends() -> Vec<(Store, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    vec![(Store::with_backend(Arc::new(MemKv::default())).unwrap(), None), (Store::open(dir.path()).unwrap(), Some(dir))]
}

#[test]
fn put_get_replace_delete_keep_counts_and_indexes_right() {
    for (store, _dir) in backends() {
        let a = doc("a", "نص الوثيقة الأولى", &[("baku", EntityType::Gpe), ("osce", EntityType::Org), ("baku", EntityType::Gpe)], &[("e1", EventType::Meet, "2024-07-13", &["osce"])]);
        assert_eq!(store.put_document(&a).unwrap().0, PutOutcome::Created);
        assert_eq!(store.put_document(&a).unwrap().0, PutOutcome::Unchanged);
        let b = doc("b", "نص ثان", &[("baku", EntityType::Gpe)], &[("e1", EventType::Meet, "2024-07-13", &["osce"])]);
        store.put_document(&b).unwrap();
        assert_eq!(store.document_count().unwrap(), 2);
        let baku = store.get_entity("baku").unwrap().unwrap();
        assert_eq!((baku.mention_count, baku.document_count), (3, 2));
        let ev = store.get_event("e1").unwrap().unwrap();
        assert_eq!(ev.mentions.len(), 2, "one event, two reports");
        // replace b without baku: counts drop, the event loses b's report
        let b2 = doc("b", "نص ثان معدل", &[("osce", EntityType::Org)], &[]);
        assert_eq!(store.put_document(&b2).unwrap().0, PutOutcome::Updated);
        let baku = store.get_entity("baku").unwrap().unwrap();
        assert_eq!((baku.mention_count, baku.document_count), (2, 1));
        assert_eq!(store.get_event("e1").unwrap().unwrap().mentions.len(), 1);
        assert!(store.check(false).unwrap().is_clean());
        // delete a: baku and the event disappear with every index entry
        assert!(store.delete_document("a").unwrap());
        assert!(store.get_entity("baku").unwrap().is_none());
        assert!(store.get_event("e1").unwrap().is_none());
        assert!(store.list_events(&EventFilter::default(), None, 10).unwrap().items.is_empty());
        assert!(store.search_entities("baku", None, 10).unwrap().is_empty());
        let r = store.check(false).unwrap();
        assert!(r.is_clean(), "{r:?}");
        assert_eq!(store.document_count().unwrap(), 1);
    }
}

#[test]
fn filters_and_paging_visit_everything_once() {
    for (store, _dir) in backends() {
        for i in 0..37 {
            let t = if i % 3 == 0 { EventType::Attack } else { EventType::Meet };
            let time = format!("20{:02}-01-01", 10 + i % 10);
            let eid = format!("ev{i:02}");
            let d = doc(&format!("d{i:02}"), "نص", &[("baku", EntityType::Gpe)], &[(&eid, t, &time, &["baku"])]);
            store.put_document(&d).unwrap();
        }
        for limit in [1, 5, 50] {
            let mut seen = Vec::new();
            let mut after: Option<Vec<u8>> = None;
            loop {
                let p = store.list_documents(&DocFilter::default(), after.as_deref(), limit).unwrap();
                seen.extend(p.items.iter().map(|m| m.id.clone()));
                match p.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
            let mut sorted = seen.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(seen, sorted);
            assert_eq!(seen.len(), 37);
        }
        let f = EventFilter { etype: Some(EventType::Attack), time_from: Some("2015-01-01".into()), ..Default::default() };
        let mut got = Vec::new();
        let mut after: Option<Vec<u8>> = None;
        loop {
            let p = store.list_events(&f, after.as_deref(), 2).unwrap();
            got.extend(p.items.into_iter().map(|e| e.id));
            match p.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        got.sort();
        let want: Vec<String> = (0..37).filter(|i| i % 3 == 0 && 10 + i % 10 >= 15).map(|i| format!("ev{i:02}")).collect();
        assert_eq!(got, want);
        let by_part = store.list_events(&EventFilter { participant: Some("baku".into()), ..Default::default() }, None, 100).unwrap();
        assert_eq!(by_part.items.len(), 37);
        let ents = store.list_entities(&EntityFilter { document: Some("d03".into()), ..Default::default() }, None, 10).unwrap();
        assert_eq!(ents.items.len(), 1);
        // a cursor from another query is refused
        let p = store.list_documents(&DocFilter::default(), None, 1).unwrap();
        assert!(store.list_entities(&EntityFilter::default(), p.next.as_deref(), 1).is_err());
    }
}

#[test]
fn check_finds_and_repairs_damage() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.put_document(&doc("a", "نص", &[("baku", EntityType::Gpe)], &[("e1", EventType::Meet, "2024", &["baku"])])).unwrap();
        store.put_document(&doc("b", "نص", &[("osce", EntityType::Org)], &[])).unwrap();
        store.flush().unwrap();
    }
    // damage the indexes behind the store's back
    {
        let db = sled::open(dir.path()).unwrap();
        let t = db.open_tree("khabar").unwrap();
        t.remove(b"it/GPE/baku").unwrap();
        t.insert(b"jp/zzz/e1", b"").unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let r = store.check(false).unwrap();
    assert_eq!((r.missing_or_wrong, r.unexpected), (1, 1), "{r:?}");
    let r = store.check(true).unwrap();
    assert!(r.repaired);
    assert!(store.check(false).unwrap().is_clean());
    assert_eq!(store.reindex(|_| {}).unwrap(), 2);
    assert!(store.check(false).unwrap().is_clean());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    /// Ingesting the same documents in any order gives the same derived state.
    #[test]
    fn order_does_not_matter(perm in Just((0..6usize).collect::<Vec<_>>()).prop_shuffle()) {
        let docs = [
            doc("d0", "أ ب ت", &[("baku", EntityType::Gpe), ("osce", EntityType::Org)], &[("m1", EventType::Meet, "2024-07-13", &["osce", "baku"])]),
            doc("d1", "ث ج", &[("baku", EntityType::Gpe)], &[("m1", EventType::Meet, "2024-07-13", &["osce", "baku"]), ("a1", EventType::Attack, "2020", &["baku"])]),
            doc("d2", "ح خ", &[("oic", EntityType::Org)], &[("a1", EventType::Attack, "2020", &["baku"])]),
            doc("d3", "د ذ", &[("oic", EntityType::Org), ("baku", EntityType::Gpe)], &[]),
            doc("d4", "ر ز", &[], &[("c1", EventType::Conference, "", &["oic"])]),
            doc("d5", "س ش", &[("osce", EntityType::Org)], &[("m1", EventType::Meet, "2024-07-13", &["osce", "baku"])]),
        ];
        let a = Store::with_backend(Arc::new(MemKv::default())).unwrap();
        let b = Store::with_backend(Arc::new(MemKv::default())).unwrap();
        for d in &docs { a.put_document(d).unwrap(); }
        for &i in &perm { b.put_document(&docs[i]).unwrap(); }
        for id in ["m1", "a1", "c1"] {
            prop_assert_eq!(a.get_event(id).unwrap(), b.get_event(id).unwrap());
        }
        for id in ["baku", "osce", "oic"] {
            prop_assert_eq!(a.get_entity(id).unwrap(), b.get_entity(id).unwrap());
        }
        prop_assert!(b.check(false).unwrap().is_clean());
    }
}

/// A document mentioning the text-only entity `x-person-t` under the names `names`, as `origin`.
fn text_only_doc(id: &str, names: &[&str], origin: Origin, subtype: &str) -> NewDocument {
    let mut d = doc(id, "ن م ل ك", &[], &[]);
    let e = EntityInfo {
        id: "x-person-t".into(),
        etype: EntityType::Person,
        display_name: names[0].into(),
        labels: [("ar".to_string(), names[0].to_string())].into_iter().collect(),
        aliases: names[1..].iter().map(|s| s.to_string()).collect(),
        subtype: subtype.into(),
        wikidata: String::new(),
        related: None,
        origin,
        source: String::new(),
    };
    d.annotations.mentions.push(Mention { span: Span::new(0, 1), entity: Some(e.id.clone()), etype: EntityType::Person, confidence: 0.7, origin });
    d.annotations.entities.push(e);
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    /// A text-only entity named differently by each document (names, origin, subtype) ends with
    /// the same stored info whatever the order, and `check` agrees (it replays in id order).
    #[test]
    fn text_only_entities_merge_in_any_order(perm in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle()) {
        let docs = [
            text_only_doc("t0", &["زيد", "زيد بن علي"], Origin::Model, ""),
            text_only_doc("t1", &["أبو زيد"], Origin::Pattern, "official"),
            text_only_doc("t2", &["زيد علي", "زيد"], Origin::Model, ""),
            text_only_doc("t3", &["ابن زيد", "أبو زيد"], Origin::Coreference, "minister"),
        ];
        let a = Store::with_backend(Arc::new(MemKv::default())).unwrap();
        let b = Store::with_backend(Arc::new(MemKv::default())).unwrap();
        for d in &docs { a.put_document(d).unwrap(); }
        for &i in &perm { b.put_document(&docs[i]).unwrap(); }
        let (ea, eb) = (a.get_entity("x-person-t").unwrap().unwrap(), b.get_entity("x-person-t").unwrap().unwrap());
        prop_assert_eq!(&ea, &eb);
        prop_assert_eq!(ea.info.display_name.as_str(), "أبو زيد");
        prop_assert_eq!(ea.info.origin, Origin::Pattern);
        prop_assert_eq!(ea.info.subtype.as_str(), "minister");
        prop_assert!(!ea.info.aliases.contains(&ea.info.display_name));
        prop_assert!(b.check(false).unwrap().is_clean(), "{:?}", b.check(false).unwrap());
    }
}

#[test]
fn stats_count_every_key_by_table() {
    for (store, _dir) in backends() {
        let empty = store.stats().unwrap();
        assert_eq!(empty.documents, 0);
        assert!(empty.table("d/").is_none());
        let meta_keys = empty.keys();
        store.put_document(&doc("a", "نص الوثيقة", &[("baku", EntityType::Gpe), ("osce", EntityType::Org)], &[("e1", EventType::Meet, "2024-07-13", &["osce"])])).unwrap();
        store.put_document(&doc("b", "نص ثان", &[("baku", EntityType::Gpe)], &[])).unwrap();
        let s = store.stats().unwrap();
        assert_eq!(s.documents, 2);
        for (table, keys) in [("d/", 2), ("b/", 2), ("e/", 2), ("it/", 2), ("v/", 1), ("jt/", 1), ("jp/", 1), ("c/", 1), ("il/", 2)] {
            assert_eq!(s.table(table).map(|t| t.keys), Some(keys), "{table}: {s:?}");
        }
        // every key is counted once, in the table of its prefix, and key bytes add up
        let d = s.table("d/").unwrap();
        assert_eq!(d.key_bytes, 2 * "d/a".len() as u64);
        assert!(d.value_bytes > 0);
        assert_eq!(s.tables.iter().map(|t| t.keys).sum::<u64>(), s.keys());
        assert!(s.keys() > meta_keys + 10);
        assert!(s.tables.windows(2).all(|w| w[0].prefix < w[1].prefix));
        store.delete_document("a").unwrap();
        store.delete_document("b").unwrap();
        let s = store.stats().unwrap();
        assert_eq!(s.documents, 0);
        assert!(s.tables.iter().all(|t| t.prefix == "meta/" || t.prefix == "c/"), "only metadata and the change log stay: {s:?}");
    }
}

/// Every page of `list` with page size `limit`, following the cursors.
fn all_pages<T>(limit: usize, mut list: impl FnMut(Option<&[u8]>, usize) -> Page<T>) -> Vec<T> {
    let mut out = Vec::new();
    let mut after: Option<Vec<u8>> = None;
    loop {
        let p = list(after.as_deref(), limit);
        assert!(p.items.len() <= limit);
        out.extend(p.items);
        match p.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

#[test]
fn entity_mentions_and_per_document_lists_page_exactly() {
    for (store, _dir) in backends() {
        // ids that sort differently with and without a separator ("d1" < "d1-x" < "d10")
        let ids = ["d1", "d1-x", "d10", "d2"];
        for (n, id) in ids.iter().enumerate() {
            let mut ents = vec![("baku", EntityType::Gpe); n + 1];
            ents.push(("osce", EntityType::Org));
            ents.push(("baku", EntityType::Gpe));
            let evs: Vec<(String, EventType, &str, &[&str])> = (0..=n).map(|i| (format!("ev-{id}-{i}"), EventType::Meet, "2024-07-13", &["osce"][..])).collect();
            let evs: Vec<(&str, EventType, &str, &[&str])> = evs.iter().map(|(a, b, c, d)| (a.as_str(), *b, *c, *d)).collect();
            store.put_document(&doc(id, "أ ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ", &ents, &evs)).unwrap();
        }
        let baku = store.get_entity("baku").unwrap().unwrap();
        let want: Vec<(String, u32)> = ["d1", "d1-x", "d10", "d2"]
            .iter()
            .enumerate()
            .flat_map(|(n, id)| (0..n + 3).filter(move |&i| i != n + 1).map(move |i| (id.to_string(), (2 * i) as u32)))
            .collect();
        assert_eq!(baku.mention_count as usize, want.len());
        for limit in [1, 2, 3, 5, 100] {
            let got = all_pages(limit, |a, l| store.list_entity_mentions("baku", a, l).unwrap());
            let got: Vec<(String, u32)> = got.iter().map(|m| (m.document.clone(), m.mention.span.start)).collect();
            assert_eq!(got, want, "page size {limit}");
            let m = &store.list_entity_mentions("baku", None, 1).unwrap().items[0];
            assert_eq!((m.text.as_str(), m.mention.entity.as_deref()), ("أ", Some("baku")));
            let ents = all_pages(limit, |a, l| store.list_entities(&EntityFilter { document: Some("d10".into()), ..Default::default() }, a, l).unwrap());
            assert_eq!(ents.iter().map(|e| e.info.id.as_str()).collect::<Vec<_>>(), ["baku", "osce"]);
            let evs = all_pages(limit, |a, l| store.list_events(&EventFilter { document: Some("d2".into()), ..Default::default() }, a, l).unwrap());
            assert_eq!(evs.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["ev-d2-0", "ev-d2-1", "ev-d2-2", "ev-d2-3"]);
        }
        let typed = store.list_entities(&EntityFilter { document: Some("d10".into()), etype: Some(EntityType::Org) }, None, 10).unwrap();
        assert_eq!(typed.items.len(), 1);
        assert!(store.list_entities(&EntityFilter { document: Some("nope".into()), ..Default::default() }, None, 10).unwrap().items.is_empty());
        // cursors of another query are refused
        let p = store.list_entity_mentions("baku", None, 1).unwrap();
        assert!(store.list_entity_mentions("osce", p.next.as_deref(), 1).is_err());
        assert!(store.list_entity_mentions("baku", Some(b"im/baku/"), 1).is_err());
        assert!(store.list_events(&EventFilter { document: Some("d1".into()), ..Default::default() }, p.next.as_deref(), 1).is_err());
        let p = store.list_entities(&EntityFilter { document: Some("d10".into()), ..Default::default() }, None, 1).unwrap();
        assert!(store.list_entities(&EntityFilter { document: Some("d2".into()), ..Default::default() }, p.next.as_deref(), 1).is_err());
        // replacing a document replaces its mention index entries
        store.put_document(&doc("d1-x", "أ ب", &[("osce", EntityType::Org)], &[])).unwrap();
        let got = all_pages(2, |a, l| store.list_entity_mentions("baku", a, l).unwrap());
        assert!(got.iter().all(|m| m.document != "d1-x"));
        assert_eq!(got.len() as u64, store.get_entity("baku").unwrap().unwrap().mention_count);
        assert!(store.check(false).unwrap().is_clean());
    }
}

#[test]
fn a_batch_is_written_whole_or_not_at_all() {
    for (store, _dir) in backends() {
        let a = doc("a", "نص أول", &[("baku", EntityType::Gpe)], &[("e1", EventType::Meet, "2024-07-13", &["baku"])]);
        let b = doc("b", "نص ثان", &[("baku", EntityType::Gpe), ("osce", EntityType::Org)], &[("e1", EventType::Meet, "2024-07-13", &["baku"])]);
        let a2 = doc("a", "نص أول معدل", &[("osce", EntityType::Org)], &[]);
        let r = store.put_documents(&[a.clone(), b.clone(), a2.clone()]).unwrap();
        let outcomes: Vec<PutOutcome> = r.iter().map(|x| x.0).collect();
        assert_eq!(outcomes, [PutOutcome::Created, PutOutcome::Created, PutOutcome::Updated], "a later document with the same id replaces the earlier one");
        assert_eq!(store.document_count().unwrap(), 2);
        assert_eq!(store.get_body("a").unwrap().unwrap().text, a2.text);
        let baku = store.get_entity("baku").unwrap().unwrap();
        assert_eq!((baku.mention_count, baku.document_count), (1, 1));
        assert!(store.check(false).unwrap().is_clean());
        // a batch with a bad document writes nothing, not even its good documents
        let c = doc("c", "نص ثالث", &[("baku", EntityType::Gpe)], &[]);
        let mut bad = doc("d", "نص رابع", &[("oic", EntityType::Org)], &[]);
        bad.annotations.entities.clear(); // a mention of an entity without its info
        let before = store.stats().unwrap();
        assert!(store.put_documents(&[c.clone(), bad]).is_err());
        assert!(store.put_documents(&[c.clone(), doc("Bad Id", "نص", &[], &[])]).is_err());
        assert_eq!(store.stats().unwrap().tables, before.tables);
        assert!(store.get_document("c").unwrap().is_none());
        assert_eq!(store.put_documents(&[c]).unwrap()[0].0, PutOutcome::Created);
        assert!(store.check(false).unwrap().is_clean());
    }
}

#[test]
fn a_compacted_copy_holds_the_same_keys_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("src")).unwrap();
    for i in 0..30 {
        let eid = format!("ev{i:02}");
        store.put_document(&doc(&format!("d{i:02}"), "نص الوثيقة", &[("baku", EntityType::Gpe), ("osce", EntityType::Org)], &[(&eid, EventType::Meet, "2024-07-13", &["osce"])])).unwrap();
    }
    store.delete_document("d03").unwrap();
    store.put_document(&doc("d04", "نص معدل", &[("osce", EntityType::Org)], &[])).unwrap();
    let out = dir.path().join("dst");
    let copy = store.compact_into(&out, None).unwrap();
    let (a, b) = (store.stats().unwrap(), copy.stats().unwrap());
    assert_eq!(a.tables, b.tables);
    assert_eq!(b.documents, 29);
    assert_eq!(copy.secret(), store.secret(), "page tokens stay valid");
    assert!(copy.check(false).unwrap().is_clean());
    assert_eq!(copy.get_body("d04").unwrap(), store.get_body("d04").unwrap());
    drop(copy);
    // never over an existing store
    assert!(store.compact_into(&out, None).is_err());
}

#[test]
fn documents_encoded_beforehand_are_stored_as_put_documents_stores_them() {
    let docs = [
        doc("a", "نص أول", &[("baku", EntityType::Gpe)], &[("e1", EventType::Meet, "2024-07-13", &["baku"])]),
        doc("b", "نص ثان", &[("baku", EntityType::Gpe), ("osce", EntityType::Org)], &[("e1", EventType::Meet, "2024-07-13", &["baku"])]),
    ];
    let plain = Store::with_backend(Arc::new(MemKv::default())).unwrap();
    let encoded = Store::with_backend(Arc::new(MemKv::default())).unwrap();
    let r1 = plain.put_documents(&docs).unwrap();
    let r2 = encoded.put_encoded(&docs.iter().map(|d| encoded.encode(d.clone())).collect::<Vec<_>>()).unwrap();
    assert_eq!(r1, r2);
    assert_eq!(plain.stats().unwrap().tables, encoded.stats().unwrap().tables);
    for id in ["a", "b"] {
        assert_eq!(plain.get_body(id).unwrap(), encoded.get_body(id).unwrap());
        assert_eq!(plain.get_document(id).unwrap(), encoded.get_document(id).unwrap());
    }
    // the same text again is unchanged; an invalid id is refused before anything is written
    assert_eq!(encoded.put_encoded(&[encoded.encode(docs[0].clone())]).unwrap()[0].0, PutOutcome::Unchanged);
    assert!(encoded.put_encoded(&[encoded.encode(doc("Bad Id", "نص", &[], &[]))]).is_err());
}

#[test]
fn a_compressed_store_keeps_its_setting_and_compacts_either_way() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z");
    let docs: Vec<NewDocument> = (0..20).map(|i| doc(&format!("d{i:02}"), &"وصل وزير الخارجية إلى باكو في زيارة رسمية. ".repeat(20), &[("baku", EntityType::Gpe)], &[(&format!("ev{i}"), EventType::Visit, "2024-07-13", &["baku"])])).collect();
    let table = |s: &Store, p: &str| s.stats().unwrap().tables.into_iter().find(|t| t.prefix == p).unwrap();
    {
        let store = Store::open_with(&db, Some(3)).unwrap();
        assert!(store.compressed());
        store.put_documents(&docs).unwrap();
        store.flush().unwrap();
    }
    // reopened without asking, or asking for no compression: still compressed (sled refuses
    // another setting)
    drop(Store::open_with(&db, Some(0)).unwrap());
    let store = Store::open(&db).unwrap();
    assert!(store.compressed());
    assert_eq!(store.get_body("d07").unwrap().unwrap().text, docs[7].text);
    assert!(store.check(false).unwrap().is_clean());
    // an uncompressed copy deflates the bodies the compressed store kept plain
    let plain = store.compact_into(&dir.path().join("plain"), Some(0)).unwrap();
    assert!(!plain.compressed());
    assert_eq!(plain.get_body("d07").unwrap(), store.get_body("d07").unwrap());
    assert!(plain.check(false).unwrap().is_clean());
    let (zb, pb) = (table(&store, "b/"), table(&plain, "b/"));
    assert_eq!(zb.keys, pb.keys);
    assert!(pb.value_bytes * 3 < zb.value_bytes, "deflated {} vs plain {}", pb.value_bytes, zb.value_bytes);
    assert_eq!(table(&store, "e/"), table(&plain, "e/"), "everything but the bodies is copied as it is");
    // and a compressed copy of that keeps them plain again
    let again = plain.compact_into(&dir.path().join("again"), Some(5)).unwrap();
    assert!(again.compressed());
    assert_eq!(table(&again, "b/").value_bytes, zb.value_bytes);
    assert!(again.check(false).unwrap().is_clean());
    // a new document: deflated in the uncompressed store, plain in the compressed one
    let extra = doc("extra", &"نص إضافي للتجربة. ".repeat(30), &[], &[]);
    let (b0, z0) = (table(&plain, "b/").value_bytes, table(&again, "b/").value_bytes);
    plain.put_encoded(&[plain.encode(extra.clone())]).unwrap();
    again.put_encoded(&[again.encode(extra)]).unwrap();
    assert_eq!(plain.get_body("extra").unwrap(), again.get_body("extra").unwrap());
    assert!((table(&plain, "b/").value_bytes - b0) * 3 < table(&again, "b/").value_bytes - z0);
    // a bad level is refused before anything is created
    assert!(Store::open_with(&dir.path().join("bad"), Some(23)).is_err());
    assert!(!dir.path().join("bad").exists());
}
