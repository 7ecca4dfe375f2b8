//! The knowledge base: `kb/kb.jsonl` compiled into the library, indexed once per process.
//!
//! Every name and alias of every entity is turned into a *match key*: the normalised token forms
//! of the name (see [`crate::text::normalize`]: hamza, yeh, kaf, teh marbuta, harakat, ZWNJ folded)
//! joined by single spaces, exactly as [`crate::entities`] writes the text it searches. All keys go
//! into one Aho-Corasick automaton (daachorse), so matching a document is linear in its length
//! whatever the size of the knowledge base.
//!
//! Besides each name as written, a few variants are indexed (flagged by [`Variant`]):
//! - a name that starts with the article ال is also indexed without it, for the contraction
//!   لل = ل + ال ("للأمم المتحدة"); the matcher accepts that variant only after لل;
//! - a name with a hyphen is also indexed without it ("ناغورنو-كاراباخ" / "ناغورنو كاراباخ");
//! - a two-word name is also indexed written as one word ("قره باغ" / "قرهباغ").
//!
//! `weak` forms of an entity (ordinary words, or forms shared by several entities) keep their
//! flag; the entity stage uses them only with supporting context.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use daachorse::DoubleArrayAhoCorasick;
use serde::Deserialize;

use crate::model::{EntityInfo, EntityType, Origin};
use crate::text::token::{tokenize, TokenKind};

/// The knowledge base source, one JSON object a line.
pub const KB_JSONL: &str = include_str!("../kb/kb.jsonl");

/// One knowledge-base entity as stored in `kb.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct KbEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub etype_str: String,
    #[serde(default)]
    pub subtype: String,
    #[serde(default)]
    pub wikidata: String,
    #[serde(default)]
    pub source: String,
    /// Preferred name per language ("ar", "fa", "en").
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// Other forms per language.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub related: Option<String>,
    /// Forms that need supporting context.
    #[serde(default)]
    pub weak: Vec<String>,
    #[serde(skip, default = "default_type")]
    pub etype: EntityType,
}

fn default_type() -> EntityType {
    EntityType::Gpe
}

impl KbEntity {
    /// Every form of the entity: preferred names, then aliases (ar, fa, en order of the map).
    pub fn forms(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(|(l, n)| (l.as_str(), n.as_str())).chain(self.aliases.iter().flat_map(|(l, v)| v.iter().map(move |a| (l.as_str(), a.as_str()))))
    }

    /// The API view of the entity.
    pub fn info(&self) -> EntityInfo {
        let mut aliases: Vec<String> = Vec::new();
        for lang in ["ar", "fa", "en"] {
            if let Some(v) = self.aliases.get(lang) {
                for a in v {
                    if !aliases.contains(a) {
                        aliases.push(a.clone());
                    }
                }
            }
        }
        EntityInfo {
            id: self.id.clone(),
            etype: self.etype,
            display_name: self.names.get("en").or_else(|| self.names.values().next()).cloned().unwrap_or_else(|| self.id.clone()),
            labels: self.names.clone(),
            aliases,
            subtype: self.subtype.clone(),
            wikidata: self.wikidata.clone(),
            related: self.related.clone(),
            origin: Origin::KnowledgeBase,
            source: self.source.clone(),
        }
    }

    /// Preference among entities sharing a form: curated before generated, countries and
    /// capitals before other places (smaller is better).
    pub fn rank(&self) -> (u8, u8) {
        let src = if self.source.contains("curated") {
            0
        } else if self.source.contains("cldr") {
            1
        } else {
            2
        };
        let sub = match self.subtype.as_str() {
            "country" => 0,
            "capital" => 1,
            "province" | "region" => 2,
            "city" => 3,
            _ => 2,
        };
        (src, sub)
    }
}

/// How a key was derived from a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// The name as written (normalised).
    Exact,
    /// The name without its leading article ال; valid only after the contraction لل.
    NoArticle,
    /// The name without hyphens.
    NoHyphen,
    /// A two-word name written as one word.
    Compact,
}

/// One entity a key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyEntity {
    /// Index into [`Kb::entities`].
    pub entity: u32,
    /// The form is weak for this entity.
    pub weak: bool,
    pub variant: Variant,
}

/// A match key and the entities it stands for.
#[derive(Debug, Clone)]
pub struct Key {
    /// The normalised form (token forms joined by spaces).
    pub text: String,
    /// Entities, the preferred first: strong before weak, then by [`KbEntity::rank`].
    pub entities: Vec<KeyEntity>,
    /// A Latin acronym ("OSCE"): matched only when written in capitals.
    pub acronym: bool,
    /// Number of tokens.
    pub tokens: u16,
}

/// The compiled knowledge base.
pub struct Kb {
    pub entities: Vec<KbEntity>,
    by_id: HashMap<String, u32>,
    /// Match keys; the automaton's values index this.
    pub keys: Vec<Key>,
    ac: DoubleArrayAhoCorasick<u32>,
    /// (key text, entity) sorted, for prefix search.
    search: Vec<(String, u32)>,
    /// (type family, spelling-independent key) of strong names to the one entity of that
    /// family with a name of that key (see [`Kb::fuzzy`]).
    fuzzy: HashMap<(u8, String), u32>,
}

impl fmt::Debug for Kb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kb").field("entities", &self.entities.len()).field("keys", &self.keys.len()).finish()
    }
}

/// The match key of a phrase: its normalised token forms joined by single spaces.
pub fn match_key(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let toks = tokenize(&chars);
    let mut out = String::with_capacity(s.len());
    for t in &toks {
        if t.norm.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.norm);
    }
    out
}

fn is_acronym(s: &str) -> bool {
    let n = s.chars().count();
    (3..=8).contains(&n) && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

impl Kb {
    /// The knowledge base compiled into the library, built once per process.
    pub fn embedded() -> &'static Kb {
        static KB: OnceLock<Kb> = OnceLock::new();
        KB.get_or_init(|| Kb::from_jsonl(KB_JSONL).expect("embedded kb.jsonl is valid"))
    }

    /// Builds the index from JSON Lines text in the `kb.jsonl` format.
    pub fn from_jsonl(src: &str) -> Result<Kb, String> {
        let mut entities = Vec::new();
        for (n, line) in src.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut e: KbEntity = serde_json::from_str(line).map_err(|err| format!("kb line {}: {err}", n + 1))?;
            e.etype = EntityType::parse(&e.etype_str).ok_or_else(|| format!("kb line {}: type {}", n + 1, e.etype_str))?;
            entities.push(e);
        }
        let by_id = entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i as u32)).collect();
        // every entity's own keys, and which entities a key names
        // every form's key, computed once: (language, acronym, key)
        let form_keys: Vec<Vec<(&str, bool, String)>> = entities.iter().map(|e| e.forms().map(|(l, f)| (l, l == "en" && is_acronym(f), match_key(f))).collect()).collect();
        let own: Vec<HashSet<String>> = form_keys.iter().map(|v| v.iter().filter(|(l, _, _)| *l != "en").map(|(_, _, k)| k.clone()).collect()).collect();
        let mut named_by: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, keys) in own.iter().enumerate() {
            for k in keys {
                named_by.entry(k.as_str()).or_default().push(i as u32);
            }
        }
        // "A <link> B" where A is another form of the same entity and B ends the form and names
        // another entity ("مجموعة مينسك التابعة لمنظمة الأمن والتعاون في أوروبا", "إلهام علييف
        // رئيس جمهورية أذربيجان") is a description made of two mentions, not a name: not matched.
        let composite = |i: usize, key: &str| -> bool {
            let words: Vec<&str> = key.split(' ').collect();
            if words.len() < 3 {
                return false;
            }
            // "قرارات مجلس الأمن", "قطعنامه های شورای امنیت": a law named only by a plural head and
            // its issuing body is a reference to the body's documents, not a name
            if entities[i].etype == EntityType::Law {
                for b in 1..=2.min(words.len() - 1) {
                    let tail = words[b..].join(" ");
                    if named_by.get(tail.as_str()).is_some_and(|v| v.iter().any(|&e| e as usize != i && entities[e as usize].etype == EntityType::Org)) {
                        return true;
                    }
                }
            }
            let Some(a) = (1..words.len() - 1).rev().find(|&a| own[i].contains(&words[..a].join(" "))) else { return false };
            (a..words.len()).any(|b| {
                let tail = words[b..].join(" ");
                // also behind the preposition ل ("لمنظمة ...", "للأمم ...")
                let forms = [tail.strip_prefix("لل").map(|t| format!("ال{t}")), tail.strip_prefix('ل').map(str::to_string), Some(tail.clone())];
                forms.iter().flatten().any(|t| named_by.get(t.as_str()).is_some_and(|v| v.iter().any(|&e| e as usize != i)))
            })
        };
        // key text -> (entities, acronym)
        let mut map: HashMap<String, (Vec<KeyEntity>, bool)> = HashMap::new();
        let mut search: Vec<(String, u32)> = Vec::new();
        for (i, e) in entities.iter().enumerate() {
            let weak: HashSet<String> = e.weak.iter().map(|w| match_key(w)).collect();
            let mut seen: HashSet<(String, Variant)> = HashSet::new();
            for (lang, acronym, key) in &form_keys[i] {
                let (lang, acronym, key) = (*lang, *acronym, key.clone());
                if key.chars().count() < 2 {
                    continue;
                }
                search.push((key.clone(), i as u32));
                // English names are for search; in text only Latin acronyms are matched
                if lang == "en" && !acronym || composite(i, &key) {
                    continue;
                }
                let is_weak = weak.contains(&key);
                let mut add = |k: String, variant: Variant| {
                    if k.chars().count() < 3 && !acronym {
                        return;
                    }
                    if seen.insert((k.clone(), variant)) {
                        let slot = map.entry(k).or_insert_with(|| (Vec::new(), acronym));
                        slot.1 &= acronym;
                        slot.0.push(KeyEntity { entity: i as u32, weak: is_weak, variant });
                    }
                };
                add(key.clone(), Variant::Exact);
                if acronym {
                    continue;
                }
                if let Some(rest) = key.strip_prefix("ال") {
                    if rest.chars().count() >= 3 && !rest.starts_with(' ') {
                        add(rest.to_string(), Variant::NoArticle);
                    }
                }
                if key.contains(" - ") || key.contains('-') {
                    let k = key.replace(" - ", " ").replace('-', " ");
                    add(k, Variant::NoHyphen);
                }
                let words: Vec<&str> = key.split(' ').collect();
                if words.len() == 2 && words.iter().all(|w| w.chars().count() >= 2) && key.chars().count() >= 6 {
                    add(words.concat(), Variant::Compact);
                }
            }
        }
        let mut keys: Vec<Key> = map
            .into_iter()
            .map(|(text, (mut ents, acronym))| {
                // an exact form beats a derived one for the same entity; keep one entry per entity
                ents.sort_by_key(|k| (k.entity, k.variant));
                ents.dedup_by_key(|k| k.entity);
                ents.sort_by(|a, b| {
                    let (ea, eb) = (&entities[a.entity as usize], &entities[b.entity as usize]);
                    (a.weak, a.variant != Variant::Exact, ea.rank(), &ea.id).cmp(&(b.weak, b.variant != Variant::Exact, eb.rank(), &eb.id))
                });
                let tokens = text.split(' ').count() as u16;
                Key { text, entities: ents, acronym, tokens }
            })
            .collect();
        keys.sort_by(|a, b| a.text.cmp(&b.text));
        let ac = DoubleArrayAhoCorasick::with_values(keys.iter().enumerate().map(|(i, k)| (k.text.as_str(), i as u32))).map_err(|e| format!("automaton: {e}"))?;
        search.sort();
        search.dedup();
        let mut fuzzy: HashMap<(u8, String), Option<u32>> = HashMap::new();
        // several words, or one word of an entity not known from GeoNames alone (countries,
        // regions and curated names: "قيرغزستان" is Kyrgyzstan; a village's one-word name is not
        // the key to every word that looks like it)
        for k in keys.iter().filter(|k| !k.acronym) {
            for ke in k.entities.iter().filter(|e| !e.weak && e.variant == Variant::Exact && (k.tokens >= 2 || entities[e.entity as usize].source != "geonames")) {
                let f = crate::entities::identity_key(&k.text);
                if f.chars().count() < 6 {
                    continue;
                }
                let slot = fuzzy.entry((type_family(entities[ke.entity as usize].etype), f)).or_insert(Some(ke.entity));
                if *slot != Some(ke.entity) {
                    *slot = None;
                }
            }
        }
        let fuzzy = fuzzy.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
        Ok(Kb { entities, by_id, keys, ac, search, fuzzy })
    }

    /// The automaton over all match keys (values index [`Kb::keys`]).
    pub fn automaton(&self) -> &DoubleArrayAhoCorasick<u32> {
        &self.ac
    }

    /// The entity with this id.
    pub fn get(&self, id: &str) -> Option<&KbEntity> {
        self.by_id.get(id).map(|&i| &self.entities[i as usize])
    }

    /// Index of the entity with this id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// The entity of `etype`'s family with a name of this spelling-independent key
    /// ([`crate::entities::identity_key`], at least 6 letters), if exactly one has: names of
    /// several words, and one-word names of entities that are not known from GeoNames alone.
    ///
    /// Entities of one type family compete for a key (a place's and a nationality's names fold
    /// alike: "قيرغيزستان", "قيرغيزستاني"): `etype` picks the family, every place type being
    /// one.
    pub fn fuzzy(&self, identity: &str, etype: EntityType) -> Option<u32> {
        self.fuzzy.get(&(type_family(etype), identity.to_string())).copied()
    }

    /// The key with exactly this text, if any.
    pub fn key(&self, text: &str) -> Option<&Key> {
        self.keys.binary_search_by(|k| k.text.as_str().cmp(text)).ok().map(|i| &self.keys[i])
    }

    /// Entities whose normalised name or alias equals or starts with the normalised `query`
    /// (exact matches first, then shorter names first), optionally of one type. A query that
    /// finds nothing is retried without an attached Arabic proclitic ("لقاراباغ").
    pub fn search(&self, query: &str, etype: Option<EntityType>, limit: usize) -> Vec<EntityInfo> {
        let q = match_key(query);
        let mut out = self.search_key(&q, etype, limit);
        if out.is_empty() {
            let chars: Vec<char> = query.trim().chars().collect();
            let toks = tokenize(&chars);
            if let Some(first) = toks.first().filter(|t| t.kind == TokenKind::Word) {
                for r in first.readings_with_article(&chars).into_iter().skip(1) {
                    let rest: String = toks[1..].iter().map(|t| format!(" {}", t.norm)).collect();
                    out = self.search_key(&format!("{}{}", r.form, rest), etype, limit);
                    if !out.is_empty() {
                        break;
                    }
                }
            }
        }
        out
    }

    fn search_key(&self, q: &str, etype: Option<EntityType>, limit: usize) -> Vec<EntityInfo> {
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let from = self.search.partition_point(|(k, _)| k.as_str() < q);
        let mut hits: Vec<(bool, usize, (u8, u8), u32)> = Vec::new();
        for (k, e) in self.search[from..].iter().take_while(|(k, _)| k.starts_with(q)) {
            let ent = &self.entities[*e as usize];
            if etype.is_some_and(|t| t != ent.etype) {
                continue;
            }
            hits.push((k != q, k.chars().count(), ent.rank(), *e));
        }
        hits.sort();
        let mut seen = HashSet::new();
        hits.into_iter().filter(|h| seen.insert(h.3)).take(limit).map(|h| self.entities[h.3 as usize].info()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_kb_loads_and_finds_by_id() {
        let kb = Kb::embedded();
        assert!(kb.entities.len() > 7000);
        let k = kb.get("karabakh").expect("karabakh");
        assert_eq!(k.etype, EntityType::Gpe);
        assert_eq!(k.info().display_name, "Karabakh");
        assert!(kb.key(&match_key("قره‌باغ")).is_some());
        assert_eq!(match_key("قره‌باغ"), match_key("قره باغ"));
    }

    #[test]
    fn composite_aliases_are_not_matched() {
        let kb = Kb::embedded();
        assert!(kb.key(&match_key("مجموعة مينسك التابعة لمنظمة الأمن والتعاون في أوروبا")).is_none());
        assert!(kb.key(&match_key("مجموعة مينسك")).is_some());
        assert!(kb.key(&match_key("مؤسسة حيدر علييف")).is_some());
    }

    #[test]
    fn search_any_spelling() {
        let kb = Kb::embedded();
        for q in ["قره باغ", "قره‌باغ", "كاراباخ", "قاراباغ", "ناغورنو كاراباخ", "Karabakh", "لقاراباغ"] {
            let r = kb.search(q, None, 5);
            assert_eq!(r.first().map(|e| e.id.as_str()), Some("karabakh"), "{q}: {r:?}");
        }
        let r = kb.search("باك", Some(EntityType::Gpe), 10);
        assert!(r.iter().any(|e| e.id == "baku"), "{r:?}");
        assert!(kb.search("باك", Some(EntityType::Person), 10).iter().all(|e| e.etype == EntityType::Person));
    }
}

/// The family of a type for spelling-independent lookups: places (GPE, LOC, FAC) are one.
fn type_family(t: EntityType) -> u8 {
    match t {
        EntityType::Gpe | EntityType::Loc | EntityType::Fac => 0,
        other => 1 + other as u8,
    }
}
