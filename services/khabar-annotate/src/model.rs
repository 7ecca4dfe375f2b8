//! The annotator's output: plain data, independent of the gRPC API and of the store.
//!
//! Every [`Span`] counts Unicode code points into the original text, never into a normalised copy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of code points in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Span {
    /// First code point (inclusive).
    pub start: u32,
    /// Code point after the last one (exclusive).
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (code points).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start: start as u32, end: end as u32 }
    }
    /// Number of code points covered.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// True when the two spans share at least one code point.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// True when `other` lies inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// The covered text of `chars` (the original text as code points).
    pub fn text(&self, chars: &[char]) -> String {
        chars[self.start as usize..self.end as usize].iter().collect()
    }
}

/// A document language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// Arabic.
    Ar,
    /// Persian.
    Fa,
    /// Undetermined.
    #[default]
    Und,
}

impl Lang {
    /// BCP-47 code: "ar", "fa" or "und".
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fa => "fa",
            Lang::Und => "und",
        }
    }
    /// Parses "ar", "fa", "und" (case-insensitive; regional subtags such as "fa-IR" accepted).
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "ar" => Some(Lang::Ar),
            "fa" | "per" | "fas" => Some(Lang::Fa),
            "und" => Some(Lang::Und),
            _ => None,
        }
    }
}

/// Coarse entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    Person,
    Org,
    Gpe,
    Loc,
    Fac,
    Event,
    Norp,
    Law,
}

impl EntityType {
    /// All types, in API order.
    pub const ALL: [EntityType; 8] = [
        EntityType::Person,
        EntityType::Org,
        EntityType::Gpe,
        EntityType::Loc,
        EntityType::Fac,
        EntityType::Event,
        EntityType::Norp,
        EntityType::Law,
    ];
    /// Upper-case name as used in filters and the knowledge base: "PERSON", "ORG", ...
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
            EntityType::Fac => "FAC",
            EntityType::Event => "EVENT",
            EntityType::Norp => "NORP",
            EntityType::Law => "LAW",
        }
    }
    /// Parses the upper-case name (also accepts PER/PERS, case-insensitive).
    pub fn parse(s: &str) -> Option<EntityType> {
        match s.to_ascii_uppercase().as_str() {
            "PERSON" | "PER" | "PERS" => Some(EntityType::Person),
            "ORG" | "ORGANIZATION" => Some(EntityType::Org),
            "GPE" => Some(EntityType::Gpe),
            "LOC" | "LOCATION" => Some(EntityType::Loc),
            "FAC" | "FACILITY" => Some(EntityType::Fac),
            "EVENT" => Some(EntityType::Event),
            "NORP" => Some(EntityType::Norp),
            "LAW" => Some(EntityType::Law),
            _ => None,
        }
    }
}

/// How an annotation was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Origin {
    KnowledgeBase,
    Pattern,
    Model,
    Coreference,
}

/// The calendar a date was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Calendar {
    #[default]
    Gregorian,
    Islamic,
    Persian,
}

/// A normalised time expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpr {
    pub span: Span,
    /// ISO-8601 (Gregorian) with partial precision, a range "a/b", or "XXXX-06-03".
    pub value: String,
    pub calendar: Calendar,
    /// The date in the calendar the text used when not Gregorian ("1427-05-23").
    pub native_value: Option<String>,
    /// True when completed from the document date.
    pub anchored: bool,
}

/// Kind of quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum QuantityKind {
    Money,
    Percent,
    Count,
    Measure,
}

/// How exactly a number is stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Qualifier {
    #[default]
    Exact,
    MoreThan,
    AtLeast,
    Approximate,
    AtMost,
}

/// A number with a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub span: Span,
    pub kind: QuantityKind,
    /// Value with multipliers applied.
    pub value: f64,
    /// ISO-4217 code for money, "percent", or what is counted ("person", "tonne").
    pub unit: String,
    pub qualifier: Qualifier,
}

/// Role of a region of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ZoneType {
    Title,
    Subtitle,
    Dateline,
    Body,
    Caption,
    Boilerplate,
    RelatedHeadlines,
}

/// A region of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    pub kind: ZoneType,
    pub span: Span,
    /// Language of the zone when it differs from the document's.
    pub lang: Option<Lang>,
}

/// A news dateline ("باكو، 4 يوليو، أذرتاج").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Dateline {
    pub span: Span,
    /// The place as written.
    pub place: String,
    /// The place's entity id when known.
    pub place_entity: Option<String>,
    /// ISO-8601 date with partial precision ("XXXX-07-04").
    pub date: Option<String>,
    /// The agency as written.
    pub source: Option<String>,
}

/// One occurrence of an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The mention without attached proclitics.
    pub span: Span,
    /// Entity id (without the "entities/" prefix); `None` when not linked.
    pub entity: Option<String>,
    pub etype: EntityType,
    pub confidence: f32,
    pub origin: Origin,
}

/// What the annotator knows about an entity referenced by a mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityInfo {
    /// Id in `[a-z0-9_-]`.
    pub id: String,
    pub etype: EntityType,
    pub display_name: String,
    /// Names by language code ("ar", "fa", "en").
    pub labels: BTreeMap<String, String>,
    pub aliases: Vec<String>,
    /// Finer type ("country", "city", "news_agency", ...), empty when unknown.
    pub subtype: String,
    /// Wikidata id ("Q227"), empty when unknown.
    pub wikidata: String,
    /// For NORP: the entity it is the nationality of.
    pub related: Option<String>,
    pub origin: Origin,
    /// Where the knowledge-base entry comes from ("cldr", "geonames", "curated").
    pub source: String,
}

/// Event types (PLOVER/CAMEO-aligned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventType {
    Meet,
    Visit,
    Conference,
    Resolution,
    Agreement,
    Establish,
    Protest,
    Attack,
    Casualties,
    Accuse,
    Request,
    Support,
    Aid,
}

impl EventType {
    /// All types, in API order.
    pub const ALL: [EventType; 13] = [
        EventType::Meet,
        EventType::Visit,
        EventType::Conference,
        EventType::Resolution,
        EventType::Agreement,
        EventType::Establish,
        EventType::Protest,
        EventType::Attack,
        EventType::Casualties,
        EventType::Accuse,
        EventType::Request,
        EventType::Support,
        EventType::Aid,
    ];
    /// Upper-case name as used in filters: "MEET", "ATTACK", ...
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Meet => "MEET",
            EventType::Visit => "VISIT",
            EventType::Conference => "CONFERENCE",
            EventType::Resolution => "RESOLUTION",
            EventType::Agreement => "AGREEMENT",
            EventType::Establish => "ESTABLISH",
            EventType::Protest => "PROTEST",
            EventType::Attack => "ATTACK",
            EventType::Casualties => "CASUALTIES",
            EventType::Accuse => "ACCUSE",
            EventType::Request => "REQUEST",
            EventType::Support => "SUPPORT",
            EventType::Aid => "AID",
        }
    }
    /// Parses the upper-case name (case-insensitive).
    pub fn parse(s: &str) -> Option<EventType> {
        let u = s.to_ascii_uppercase();
        EventType::ALL.into_iter().find(|t| t.as_str() == u)
    }
}

/// Role of an event participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    Actor,
    Recipient,
    Organizer,
    Participant,
}

/// Whether an event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Realis {
    #[default]
    Actual,
    Future,
    Negated,
    Hypothetical,
}

/// A party to an event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Participant {
    /// Entity id.
    pub entity: String,
    pub role: Role,
    /// As written.
    pub text: String,
}

/// A count that may be stated inexactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Count {
    pub value: u64,
    pub qualifier: Qualifier,
}

/// Dead, injured and displaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Casualties {
    pub dead: Option<Count>,
    pub injured: Option<Count>,
    pub displaced: Option<Count>,
}

impl Casualties {
    /// True when no count is stated.
    pub fn is_empty(&self) -> bool {
        self.dead.is_none() && self.injured.is_none() && self.displaced.is_none()
    }
}

/// The time of an event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventTime {
    pub value: String,
    pub calendar: Calendar,
}

/// The place of an event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventPlace {
    /// Entity id when linked.
    pub entity: Option<String>,
    /// As written.
    pub text: String,
}

/// One event as reported in one document: its arguments plus where the report is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventReport {
    /// Deterministic event id computed from the event key (see `events::key`).
    pub id: String,
    pub etype: EventType,
    pub time: Option<EventTime>,
    pub place: Option<EventPlace>,
    pub participants: Vec<Participant>,
    pub casualties: Casualties,
    pub trigger: Span,
    pub evidence: Span,
    pub realis: Realis,
    pub confidence: f32,
    /// Document or resolution number, or a named document.
    pub document_reference: Option<String>,
    /// The named event entity, when the event has one.
    pub event_entity: Option<String>,
}

/// Everything the annotator found in one text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Annotations {
    pub annotator_version: String,
    pub lang: Lang,
    pub sentences: Vec<Span>,
    pub zones: Vec<Zone>,
    pub dateline: Option<Dateline>,
    /// The headline found in the text.
    pub title: Option<String>,
    /// The agency or outlet the text names as its source.
    pub source_name: Option<String>,
    /// The publication date the text gives (from the dateline), ISO-8601 with partial precision.
    pub publish_date: Option<String>,
    pub times: Vec<TimeExpr>,
    pub quantities: Vec<Quantity>,
    /// Entity mentions in text order.
    pub mentions: Vec<Mention>,
    /// Every entity referenced by `mentions`, sorted by id.
    pub entities: Vec<EntityInfo>,
    /// Events in text order of their trigger.
    pub events: Vec<EventReport>,
}
