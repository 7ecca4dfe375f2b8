//! Conversions from annotator and store types to the khabar.v1 messages.

use khabar_annotate as a;
use khabar_proto::v1 as pb;
use khabar_store::{DocBody, DocMeta, EntityRecord, EventView, StoredMention};

pub fn span(s: a::Span, chars: &[char]) -> pb::TextSpan {
    let (st, en) = ((s.start as usize).min(chars.len()), (s.end as usize).min(chars.len()));
    pb::TextSpan { start_offset: st as i32, end_offset: en.max(st) as i32, content: chars[st..en.max(st)].iter().collect() }
}

pub fn span_with(s: a::Span, content: String) -> pb::TextSpan {
    pb::TextSpan { start_offset: s.start as i32, end_offset: s.end as i32, content }
}

pub fn entity_type(t: a::EntityType) -> pb::EntityType {
    match t {
        a::EntityType::Person => pb::EntityType::Person,
        a::EntityType::Org => pb::EntityType::Org,
        a::EntityType::Gpe => pb::EntityType::Gpe,
        a::EntityType::Loc => pb::EntityType::Loc,
        a::EntityType::Fac => pb::EntityType::Fac,
        a::EntityType::Event => pb::EntityType::Event,
        a::EntityType::Norp => pb::EntityType::Norp,
        a::EntityType::Law => pb::EntityType::Law,
    }
}

pub fn entity_type_from(t: pb::EntityType) -> Option<a::EntityType> {
    Some(match t {
        pb::EntityType::Unspecified => return None,
        pb::EntityType::Person => a::EntityType::Person,
        pb::EntityType::Org => a::EntityType::Org,
        pb::EntityType::Gpe => a::EntityType::Gpe,
        pb::EntityType::Loc => a::EntityType::Loc,
        pb::EntityType::Fac => a::EntityType::Fac,
        pb::EntityType::Event => a::EntityType::Event,
        pb::EntityType::Norp => a::EntityType::Norp,
        pb::EntityType::Law => a::EntityType::Law,
    })
}

pub fn origin(o: a::Origin) -> pb::Origin {
    match o {
        a::Origin::KnowledgeBase => pb::Origin::KnowledgeBase,
        a::Origin::Pattern => pb::Origin::Pattern,
        a::Origin::Model => pb::Origin::Model,
        a::Origin::Coreference => pb::Origin::Coreference,
    }
}

pub fn calendar(c: a::Calendar) -> pb::Calendar {
    match c {
        a::Calendar::Gregorian => pb::Calendar::Gregorian,
        a::Calendar::Islamic => pb::Calendar::Islamic,
        a::Calendar::Persian => pb::Calendar::Persian,
    }
}

pub fn qualifier(q: a::Qualifier) -> pb::Qualifier {
    match q {
        a::Qualifier::Exact => pb::Qualifier::Exact,
        a::Qualifier::MoreThan => pb::Qualifier::MoreThan,
        a::Qualifier::AtLeast => pb::Qualifier::AtLeast,
        a::Qualifier::Approximate => pb::Qualifier::Approximate,
        a::Qualifier::AtMost => pb::Qualifier::AtMost,
    }
}

pub fn time_expr(t: &a::TimeExpr, chars: &[char]) -> pb::TimeExpression {
    pb::TimeExpression {
        span: Some(span(t.span, chars)),
        value: t.value.clone(),
        calendar: calendar(t.calendar) as i32,
        native_value: t.native_value.clone().unwrap_or_default(),
        anchored: t.anchored,
    }
}

pub fn quantity(q: &a::Quantity, chars: &[char]) -> pb::Quantity {
    let kind = match q.kind {
        a::QuantityKind::Money => pb::QuantityKind::Money,
        a::QuantityKind::Percent => pb::QuantityKind::Percent,
        a::QuantityKind::Count => pb::QuantityKind::Count,
        a::QuantityKind::Measure => pb::QuantityKind::Measure,
    };
    pb::Quantity { span: Some(span(q.span, chars)), kind: kind as i32, value: q.value, unit: q.unit.clone(), qualifier: qualifier(q.qualifier) as i32 }
}

pub fn zone(z: &a::Zone, chars: &[char]) -> pb::Zone {
    let t = match z.kind {
        a::ZoneType::Title => pb::ZoneType::Title,
        a::ZoneType::Subtitle => pb::ZoneType::Subtitle,
        a::ZoneType::Dateline => pb::ZoneType::Dateline,
        a::ZoneType::Body => pb::ZoneType::Body,
        a::ZoneType::Caption => pb::ZoneType::Caption,
        a::ZoneType::Boilerplate => pb::ZoneType::Boilerplate,
        a::ZoneType::RelatedHeadlines => pb::ZoneType::RelatedHeadlines,
    };
    pb::Zone { r#type: t as i32, span: Some(span(z.span, chars)), language_code: z.lang.map(|l| l.code().to_string()).unwrap_or_default() }
}

pub fn dateline(d: &a::Dateline, chars: &[char]) -> pb::Dateline {
    pb::Dateline {
        span: Some(span(d.span, chars)),
        place: d.place.clone(),
        place_entity: d.place_entity.as_deref().map(entity_name).unwrap_or_default(),
        date: d.date.clone().unwrap_or_default(),
        source: d.source.clone().unwrap_or_default(),
    }
}

pub fn document_name(id: &str) -> String {
    format!("documents/{id}")
}
pub fn entity_name(id: &str) -> String {
    format!("entities/{id}")
}
pub fn event_name(id: &str) -> String {
    format!("events/{id}")
}

pub fn mention(m: &a::Mention, document: &str, content: String) -> pb::EntityMention {
    pb::EntityMention {
        entity: m.entity.as_deref().map(entity_name).unwrap_or_default(),
        document: if document.is_empty() { String::new() } else { document_name(document) },
        r#type: entity_type(m.etype) as i32,
        span: Some(span_with(m.span, content)),
        confidence: m.confidence,
        origin: origin(m.origin) as i32,
    }
}

pub fn stored_mention(s: &StoredMention) -> pb::EntityMention {
    mention(&s.mention, &s.document, s.text.clone())
}

fn timestamp(ms: i64) -> prost_types::Timestamp {
    prost_types::Timestamp { seconds: ms.div_euclid(1000), nanos: (ms.rem_euclid(1000) * 1_000_000) as i32 }
}

/// A document; `body` present means the FULL view.
pub fn document(m: &DocMeta, body: Option<&DocBody>) -> pb::Document {
    let chars: Vec<char> = body.map(|b| b.text.chars().collect()).unwrap_or_default();
    let mut d = pb::Document {
        name: document_name(&m.id),
        language_code: m.lang.code().to_string(),
        title: m.title.clone(),
        source_name: m.source_name.clone(),
        source_uri: m.source_uri.clone(),
        publish_date: m.publish_date.clone(),
        content_sha256: m.content_sha256.clone(),
        annotator_version: m.annotator_version.clone(),
        create_time: Some(timestamp(m.create_time_ms)),
        update_time: Some(timestamp(m.update_time_ms)),
        entity_mention_count: m.entity_mention_count as i32,
        event_count: m.event_count as i32,
        char_count: m.char_count as i32,
        dateline: None,
        ..Default::default()
    };
    if let Some(b) = body {
        let an = &b.annotations;
        d.dateline = an.dateline.as_ref().map(|x| dateline(x, &chars));
        d.sentences = an.sentences.iter().map(|s| span(*s, &chars)).collect();
        d.zones = an.zones.iter().map(|z| zone(z, &chars)).collect();
        d.time_expressions = an.times.iter().map(|t| time_expr(t, &chars)).collect();
        d.quantities = an.quantities.iter().map(|q| quantity(q, &chars)).collect();
        d.entity_mentions = an.mentions.iter().map(|x| mention(x, &m.id, span(x.span, &chars).content)).collect();
        d.text = b.text.clone();
    } else if let Some(dl) = &m.dateline {
        d.dateline = Some(pb::Dateline {
            span: None,
            place: dl.place.clone(),
            place_entity: dl.place_entity.as_deref().map(entity_name).unwrap_or_default(),
            date: dl.date.clone().unwrap_or_default(),
            source: dl.source.clone().unwrap_or_default(),
        });
    }
    d
}

pub fn entity(e: &a::EntityInfo, mention_count: u64, document_count: u64) -> pb::Entity {
    pb::Entity {
        name: entity_name(&e.id),
        r#type: entity_type(e.etype) as i32,
        display_name: e.display_name.clone(),
        labels: e.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        aliases: e.aliases.clone(),
        mention_count: mention_count as i64,
        document_count: document_count as i64,
        subtype: e.subtype.clone(),
        wikidata_id: e.wikidata.clone(),
        related_entity: e.related.as_deref().map(entity_name).unwrap_or_default(),
        origin: origin(e.origin) as i32,
        source: e.source.clone(),
    }
}

pub fn entity_record(r: &EntityRecord) -> pb::Entity {
    entity(&r.info, r.mention_count, r.document_count)
}

pub fn event_type(t: a::EventType) -> pb::EventType {
    match t {
        a::EventType::Meet => pb::EventType::Meet,
        a::EventType::Visit => pb::EventType::Visit,
        a::EventType::Conference => pb::EventType::Conference,
        a::EventType::Resolution => pb::EventType::Resolution,
        a::EventType::Agreement => pb::EventType::Agreement,
        a::EventType::Establish => pb::EventType::Establish,
        a::EventType::Protest => pb::EventType::Protest,
        a::EventType::Attack => pb::EventType::Attack,
        a::EventType::Casualties => pb::EventType::Casualties,
        a::EventType::Accuse => pb::EventType::Accuse,
        a::EventType::Request => pb::EventType::Request,
        a::EventType::Support => pb::EventType::Support,
        a::EventType::Aid => pb::EventType::Aid,
    }
}

pub fn realis(r: a::Realis) -> pb::Realis {
    match r {
        a::Realis::Actual => pb::Realis::Actual,
        a::Realis::Future => pb::Realis::Future,
        a::Realis::Negated => pb::Realis::Negated,
        a::Realis::Hypothetical => pb::Realis::Hypothetical,
    }
}

fn role(r: a::Role) -> pb::ParticipantRole {
    match r {
        a::Role::Actor => pb::ParticipantRole::Actor,
        a::Role::Recipient => pb::ParticipantRole::Recipient,
        a::Role::Organizer => pb::ParticipantRole::Organizer,
        a::Role::Participant => pb::ParticipantRole::Participant,
    }
}

fn count(c: Option<a::Count>) -> Option<pb::Count> {
    c.map(|c| pb::Count { value: c.value as i64, qualifier: qualifier(c.qualifier) as i32 })
}

fn casualties(c: &a::Casualties) -> Option<pb::Casualties> {
    (!c.is_empty()).then(|| pb::Casualties { dead: count(c.dead), injured: count(c.injured), displaced: count(c.displaced) })
}

pub fn event(v: &EventView) -> pb::Event {
    pb::Event {
        name: event_name(&v.id),
        r#type: event_type(v.etype) as i32,
        time: v.time.as_ref().map(|t| pb::EventTime { value: t.value.clone(), calendar: calendar(t.calendar) as i32 }),
        place: v.place.as_ref().map(|p| pb::EventPlace { entity: p.entity.as_deref().map(entity_name).unwrap_or_default(), text: p.text.clone() }),
        participants: v.participants.iter().map(|p| pb::Participant { entity: entity_name(&p.entity), role: role(p.role) as i32, text: p.text.clone() }).collect(),
        casualties: casualties(&v.casualties),
        mentions: v
            .mentions
            .iter()
            .map(|m| pb::EventMention {
                document: document_name(&m.document),
                trigger: Some(span_with(m.trigger, m.trigger_text.clone())),
                evidence: Some(span_with(m.evidence, m.evidence_text.clone())),
                realis: realis(m.realis) as i32,
                confidence: m.confidence,
            })
            .collect(),
        confidence: v.confidence,
        realis: realis(v.realis) as i32,
        document_reference: v.document_reference.clone().unwrap_or_default(),
        event_entity: v.event_entity.as_deref().map(entity_name).unwrap_or_default(),
    }
}

/// An event reported in an analysed (not stored) text.
pub fn analyzed_event(r: &a::EventReport, chars: &[char]) -> pb::Event {
    let view = EventView {
        id: r.id.clone(),
        etype: r.etype,
        time: r.time.clone(),
        place: r.place.clone(),
        participants: r.participants.clone(),
        casualties: r.casualties,
        mentions: vec![],
        confidence: r.confidence,
        realis: r.realis,
        document_reference: r.document_reference.clone(),
        event_entity: r.event_entity.clone(),
    };
    let mut e = event(&view);
    e.mentions = vec![pb::EventMention {
        document: String::new(),
        trigger: Some(span(r.trigger, chars)),
        evidence: Some(span(r.evidence, chars)),
        realis: realis(r.realis) as i32,
        confidence: r.confidence,
    }];
    e
}
