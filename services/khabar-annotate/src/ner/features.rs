//! Feature extraction for the sequence labeller.
//!
//! Every feature is a 32-bit key: a template id mixed with the hash of the value it looks at
//! (a word, a suffix, a shape, a cue class...). Training and tagging call the same code, so a
//! model only works with the feature set it was trained with ([`FEATURE_VERSION`] is stored in
//! the model file and checked at load).

use std::collections::HashMap;

use crate::lexicon::FxBuild;

use crate::model::{EntityType, Lang};
use crate::text::{normalize, TextView, TokenKind};

use super::TokenCue;

/// Version of the feature templates below; bump it whenever a template changes meaning.
pub const FEATURE_VERSION: u32 = 1;

/// FNV-1a over bytes, then a final mix.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    fmix(h)
}

/// The 64-bit finaliser of MurmurHash3.
#[inline]
pub fn fmix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Combines two hashes (order matters).
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    fmix(a.rotate_left(23) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// The key of template `t` with value hash `v`.
#[inline]
fn key(t: u32, v: u64) -> u32 {
    (mix(0x5bd1_e995_u64.wrapping_mul(t as u64 + 1), v) >> 32) as u32
}

// Template ids. Never reuse a number for a different meaning without bumping FEATURE_VERSION.
const T_BIAS: u32 = 0;
const T_W: u32 = 1; // + offset (-2..=2) => 1..=5
const T_RAW0: u32 = 10;
const T_STEM: u32 = 11; // + offset (-1..=1) => 11..=13
const T_NOAL0: u32 = 15;
const T_READ0: u32 = 16;
const T_PRE0: u32 = 20; // + k (1..=4)
const T_SUF0: u32 = 25; // + k (1..=4)
const T_SHAPE: u32 = 30; // + offset (-1..=1) => 30..=32
const T_SHAPE3: u32 = 33;
const T_CLITIC0: u32 = 34;
const T_CUE: u32 = 40; // + offset (-2..=2) => 40..=44
const T_BI_M1_0: u32 = 50;
const T_BI_0_P1: u32 = 51;
const T_BI_M1_P1: u32 = 52;
const T_BI_M2_M1: u32 = 53;
const T_SUF_NB: u32 = 55; // 55: suf2(-1), 56: suf2(+1), 57: pre2(-1), 58: pre2(+1)
const T_POS: u32 = 60;
const T_JOINED: u32 = 61;
const T_CUE_W: u32 = 62; // cue class of -1 with the word itself
const T_KB: u32 = 70; // + offset (-1..=1) => 70..=72
const T_CLUSTER: u32 = 80; // + 4 * granularity + offset (-1..=1)
const T_GAZ: u32 = 95; // + offset (-1..=1) => 95..=97

/// Cue classes of a word (bit flags).
pub mod cue {
    /// A title or honorific that precedes a person's name (الرئيس، السيد، آقای).
    pub const TITLE: u8 = 1;
    /// A verb of saying that often follows a person's name (قال، گفت).
    pub const SAY: u8 = 2;
    /// The head noun of an organisation name (وزارة، منظمة، سازمان).
    pub const ORG_HEAD: u8 = 4;
    /// The head noun of a place name (مدينة، محافظة، استان).
    pub const LOC_HEAD: u8 = 8;
    /// A kinship or name particle inside personal names (بن، ابن، أبو، عبد).
    pub const NAME_PART: u8 = 16;
    /// A nationality or people adjective pattern is not listed; reserved.
    pub const RESERVED: u8 = 32;
}

const AR_TITLES: &[&str] = &[
    "الرئيس", "رئيس", "السيد", "السيدة", "الشيخ", "الشيخة", "الأمير", "الأميرة", "الملك", "الملكة", "السلطان",
    "الوزير", "وزير", "الوزيرة", "وزيرة", "الدكتور", "الدكتورة", "د", "المهندس", "العقيد", "اللواء", "العميد",
    "الفريق", "المشير", "الجنرال", "الرائد", "النقيب", "النائب", "المتحدث", "الناطق", "السفير", "المستشار",
    "الزعيم", "الإمام", "المرشد", "آية", "البابا", "الرئيسة", "نائب", "المبعوث", "المدير", "مدير", "الأمين",
    "القاضي", "المحامي", "الكاتب", "الشاعر", "الفنان", "الفنانة", "اللاعب", "المدرب", "الصحفي", "البروفيسور",
    "الأستاذ", "الحاج", "المطران", "الكاردينال", "رئيسة", "المفوض", "العاهل", "ولي", "الجنرال", "السناتور",
    "المستشارة", "الممثل", "الممثلة", "المخرج", "المغني", "المطرب", "المطربة", "الرسام", "الفيلسوف", "العالم",
];
const FA_TITLES: &[&str] = &[
    "آقای", "آقا", "خانم", "رئیس", "رئیس‌جمهور", "جمهور", "وزیر", "دکتر", "مهندس", "سردار", "سرلشکر", "سرتیپ",
    "سرهنگ", "ژنرال", "حجت‌الاسلام", "حجت", "الاسلام", "آیت‌الله", "آیت", "الله", "سفیر", "سخنگوی", "سخنگو",
    "امام", "شیخ", "نماینده", "استاد", "پروفسور", "مدیرعامل", "مدیر", "دبیرکل", "دبیر", "معاون", "رهبر",
    "فرمانده", "سرمربی", "مربی", "بازیکن", "هنرمند", "شاعر", "نویسنده", "کارگردان", "خواننده", "بازیگر",
    "شاه", "ملکه", "پادشاه", "شاهزاده", "نخست‌وزیر", "نخست", "قاضی", "وکیل", "سناتور", "اسقف", "پاپ",
    "حضرت", "شهید", "مرحوم", "جناب", "سید", "حاج", "استاندار", "فرماندار", "شهردار", "نایب",
];
const AR_SAY: &[&str] = &[
    "قال", "قالت", "أضاف", "أضافت", "أكد", "أكدت", "أوضح", "أوضحت", "صرح", "صرحت", "أعلن", "أعلنت", "ذكر",
    "ذكرت", "أشار", "أشارت", "يقول", "تقول", "رأى", "اعتبر", "طالب", "دعا", "نفى", "شدد", "أفاد",
];
const FA_SAY: &[&str] = &[
    "گفت", "افزود", "اظهار", "تاکید", "تأکید", "خاطرنشان", "اعلام", "عنوان", "تصریح", "یادآور", "گفته",
    "می‌گوید", "نوشت", "معتقد", "کرد", "داشت",
];
const AR_ORG: &[&str] = &[
    "منظمة", "وزارة", "شركة", "مؤسسة", "هيئة", "جامعة", "مجلس", "حزب", "حركة", "جمعية", "اتحاد", "بنك", "وكالة",
    "مصرف", "صندوق", "لجنة", "محكمة", "جيش", "قوات", "مركز", "معهد", "نادي", "فريق", "منتخب", "صحيفة", "جريدة",
    "مجلة", "قناة", "إذاعة", "تلفزيون", "برلمان", "حكومة", "رابطة", "نقابة", "سفارة", "مديرية", "دائرة", "مكتب",
    "كلية", "أكاديمية", "مستشفى", "مجموعة", "تنظيم", "جبهة", "ائتلاف", "تحالف", "الأمم", "مفوضية", "بورصة",
    "وحدة", "كتائب", "جماعة", "الكونغرس", "الكونجرس", "البرلمان", "الحكومة", "المجلس", "الاتحاد",
];
const FA_ORG: &[&str] = &[
    "سازمان", "وزارت", "وزارتخانه", "شرکت", "دانشگاه", "بانک", "مجلس", "حزب", "خبرگزاری", "انجمن", "اتحادیه",
    "کمیته", "کمیسیون", "دادگاه", "ارتش", "سپاه", "نیروی", "نیروهای", "بنیاد", "موسسه", "مؤسسه", "صندوق",
    "شورای", "شورا", "ستاد", "اداره", "باشگاه", "تیم", "دانشکده", "پژوهشگاه", "روزنامه", "شبکه", "رادیو",
    "تلویزیون", "گروه", "جبهه", "جنبش", "فدراسیون", "کانون", "مرکز", "پژوهشکده", "هیئت", "هیات", "دولت",
    "سفارت", "مجمع", "قوه", "دیوان", "بورس", "کنفدراسیون", "اتاق", "خانه", "جامعه", "نهاد", "پلیس",
];
const AR_LOC: &[&str] = &[
    "مدينة", "محافظة", "ولاية", "منطقة", "إقليم", "جزيرة", "جزر", "نهر", "بحر", "جبل", "جبال", "عاصمة", "قرية",
    "دولة", "بلدة", "مقاطعة", "صحراء", "خليج", "وادي", "شارع", "حي", "ميدان", "ساحة", "مخيم", "قضاء", "ناحية",
    "بحيرة", "المحيط", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "جمهورية", "مملكة",
    "إمارة", "سلطنة", "مسجد", "جامع", "قلعة", "مطار", "ميناء",
];
const FA_LOC: &[&str] = &[
    "شهر", "استان", "کشور", "منطقه", "جزیره", "جزایر", "رود", "رودخانه", "دریای", "دریا", "کوه", "کوه‌های",
    "روستای", "روستا", "پایتخت", "شهرستان", "خیابان", "بخش", "میدان", "بندر", "خلیج", "اقیانوس", "دریاچه",
    "کویر", "دره", "شمال", "جنوب", "شرق", "غرب", "جمهوری", "پادشاهی", "مسجد", "فرودگاه", "بزرگراه", "محله",
    "ایالت", "قاره", "منطقه‌ی",
];
const AR_NAME_PART: &[&str] = &["بن", "ابن", "أبو", "ابو", "أبي", "عبد", "بنت", "أم", "آل", "الـ"];
const FA_NAME_PART: &[&str] = &["بن", "ابن", "ابو", "عبد", "زاده", "پور", "بنت", "آل"];

/// Cue words of one language, by normalised form.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    cues: HashMap<u64, u8, FxBuild>,
    lang: Lang,
}

impl Lexicon {
    /// The built-in cue lists of `lang` (Arabic lists for `Und`).
    pub fn builtin(lang: Lang) -> Lexicon {
        let mut lex = Lexicon { lang, ..Lexicon::default() };
        let sets: [(&[&str], u8); 5] = if lang == Lang::Fa {
            [(FA_TITLES, cue::TITLE), (FA_SAY, cue::SAY), (FA_ORG, cue::ORG_HEAD), (FA_LOC, cue::LOC_HEAD), (FA_NAME_PART, cue::NAME_PART)]
        } else {
            [(AR_TITLES, cue::TITLE), (AR_SAY, cue::SAY), (AR_ORG, cue::ORG_HEAD), (AR_LOC, cue::LOC_HEAD), (AR_NAME_PART, cue::NAME_PART)]
        };
        for (words, flag) in sets {
            for w in words {
                let n = normalize(w);
                *lex.cues.entry(hash_str(&n)).or_insert(0) |= flag;
                // the same word without the article
                if let Some(rest) = n.strip_prefix("ال") {
                    if rest.chars().count() >= 2 {
                        *lex.cues.entry(hash_str(rest)).or_insert(0) |= flag;
                    }
                }
            }
        }
        lex
    }

    #[inline]
    fn get(&self, h: u64) -> u8 {
        self.cues.get(&h).copied().unwrap_or(0)
    }
}

/// Word clusters learnt from unlabelled text: normalised-word hash to its cluster at each of
/// [`CLUSTER_LEVELS`] granularities (coarse to fine).
#[derive(Debug, Clone, Default)]
pub struct Clusters {
    /// [`cluster_key`] of a normalised word to its cluster ids.
    pub map: HashMap<u32, [u16; CLUSTER_LEVELS], FxBuild>,
}

/// The key of a normalised word in [`Clusters`].
#[inline]
pub fn cluster_key(norm: &str) -> u32 {
    (hash_str(norm) >> 32) as u32
}

/// Names seen in the training data: the [`name_key`] of a name to the types it was seen with
/// (bit k for type k).
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub map: HashMap<u64, u8, FxBuild>,
}

/// Longest name in a [`Gazetteer`], in tokens.
pub const GAZ_MAX: usize = 6;

/// The key of a name given the hashes of its tokens' forms (the first one without proclitics,
/// see [`core_form`]).
#[inline]
pub fn name_key(hashes: impl Iterator<Item = u64>) -> u64 {
    hashes.fold(0x6a09_e667_f3bc_c908, mix)
}

/// The forms of a token under which a name starting with it is compared: the normalised form,
/// then for Arabic the form without an attached proclitic (و ف ب ك before the article, or one
/// of و ف ب ل ك before a word without it: "وطارق" → "طارق"; since names can start with those
/// letters too, "بغداد" gives "بغداد" and "غداد", and "وبغداد" gives "وبغداد" and "بغداد").
pub fn core_forms(view: &TextView, ti: usize, lang: Lang) -> Vec<String> {
    let t = &view.tokens[ti];
    let mut out = vec![t.norm.clone()];
    if lang != Lang::Fa && t.kind == TokenKind::Word && may_have_clitics(&t.norm) {
        if let Some(f) = core_alt(&t.readings(&view.chars)) {
            out.push(f.to_string());
        }
    }
    out
}

/// The second form of [`core_forms`], from a word's readings.
fn core_alt(readings: &[crate::text::Reading]) -> Option<&str> {
    let art = readings
        .iter()
        .filter(|r| !r.clitics.is_empty() && !r.clitics.ends_with("لل") && r.form.starts_with("ال") && r.form.chars().count() >= 4)
        .max_by_key(|r| r.skip);
    match art {
        Some(r) => Some(&r.form),
        None => readings.iter().skip(1).find(|r| r.clitics.chars().count() == 1 && !r.form.starts_with("ال")).map(|r| r.form.as_str()),
    }
}

/// Number of cluster granularities.
pub const CLUSTER_LEVELS: usize = 3;

/// What the feature templates need to know about one token.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordInfo {
    norm: u64,
    raw: u64,
    stem: u64,
    noal: u64,
    reads: [u64; 3],
    pre: [u64; 4],
    suf: [u64; 4],
    shape: u64,
    clitic: u64,
    cue: u8,
    joined: bool,
    cluster: Option<[u16; CLUSTER_LEVELS]>,
    kb: u64,
    /// Hashes of the forms under which a name starting here is compared (see [`core_forms`]).
    core: [u64; 2],
    /// Gazetteer match covering the token: hash of (B/I, types, length).
    gaz: u64,
}

fn shape_of(kind: TokenKind, orig: &[char], norm_len: usize) -> u64 {
    let code: String = match kind {
        TokenKind::Word => {
            let b = match norm_len {
                0..=1 => "1",
                2 => "2",
                3 => "3",
                4 => "4",
                5..=6 => "5",
                _ => "7",
            };
            format!("A{b}")
        }
        TokenKind::Latin => {
            let mut s = String::from("L");
            let mut last = ' ';
            for &c in orig.iter().take(12) {
                let k = if c.is_uppercase() {
                    'X'
                } else if c.is_lowercase() {
                    'x'
                } else if c.is_numeric() {
                    'd'
                } else {
                    c
                };
                if k != last {
                    s.push(k);
                    last = k;
                }
            }
            s
        }
        TokenKind::Number => format!("N{}", orig.len().min(5)),
        TokenKind::Punct => format!("P{}", orig.iter().collect::<String>()),
        TokenKind::Symbol => "S".to_string(),
    };
    hash_str(&code)
}

/// FNV-1a fed piece by piece: `Fnv::new().write(a).write(b).finish()` is `hash_str(a + b)`.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    #[inline]
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    #[inline]
    fn write(mut self, bytes: &[u8]) -> Fnv {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }
    #[inline]
    fn finish(self) -> u64 {
        fmix(self.0)
    }
}

/// True when [`crate::text::Token::readings`] of a word token with normalised form `norm` can
/// give more than the form itself: only a word of more than three letters that starts with one
/// of the proclitics و ف ب ل ك has other readings. Lets the common case skip the allocations.
#[inline]
pub(crate) fn may_have_clitics(norm: &str) -> bool {
    let mut it = norm.chars();
    matches!(it.next(), Some('و' | 'ف' | 'ب' | 'ل' | 'ك')) && it.nth(2).is_some()
}

/// The hash of the knowledge-base cue of a token (0 when none).
#[inline]
fn kb_cue_hash(c: &TokenCue) -> u64 {
    match c.kb_type {
        Some(ty) => Fnv::new().write(ty.as_str().as_bytes()).write(if c.kb_begin { b"B" } else { b"I" }).finish(),
        None => 0,
    }
}

/// Per-token information of a whole text, computed once and shared by its sentences.
pub(crate) fn word_infos(view: &TextView, range: std::ops::Range<usize>, lex: &Lexicon, clusters: &Clusters, gaz: &Gazetteer, cues: &[TokenCue]) -> Vec<WordInfo> {
    let mut out = Vec::with_capacity(range.len());
    // byte offsets of the first chars of the normalised form (at most 5: prefixes up to 4 chars)
    let mut starts: Vec<usize> = Vec::with_capacity(32);
    let mut utf8 = [0u8; 4];
    for ti in range {
        let t = &view.tokens[ti];
        let orig = &view.chars[t.span.start as usize..t.span.end as usize];
        // the lower-cased original, hashed without building it
        let mut raw = Fnv::new();
        for c in orig {
            for lc in c.to_lowercase() {
                raw = raw.write(lc.encode_utf8(&mut utf8).as_bytes());
            }
        }
        let norm = t.norm.as_str();
        starts.clear();
        starts.extend(norm.char_indices().map(|(b, _)| b));
        let nlen = starts.len();
        let mut info = WordInfo {
            norm: hash_str(norm),
            raw: raw.finish(),
            shape: shape_of(t.kind, orig, nlen),
            joined: t.joined,
            ..WordInfo::default()
        };
        for k in 1..=4 {
            if nlen > k {
                info.pre[k - 1] = hash_str(&norm[..starts[k]]);
                info.suf[k - 1] = hash_str(&norm[starts[nlen - k]..]);
            }
        }
        let mut cue = lex.get(info.norm);
        info.stem = info.norm;
        info.clitic = 0;
        if !gaz.map.is_empty() {
            info.core = [info.norm, 0];
        }
        if t.kind == TokenKind::Word {
            let clitic_hash = |clitics: &str, art: bool| Fnv::new().write(clitics.as_bytes()).write(b"|").write(if art { b"true" } else { b"false" }).finish();
            if may_have_clitics(norm) {
                let readings = t.readings(&view.chars);
                if !gaz.map.is_empty() && lex.lang != Lang::Fa {
                    info.core[1] = core_alt(&readings).map_or(0, hash_str);
                }
                for (j, r) in readings.iter().enumerate().skip(1).take(3) {
                    let h = hash_str(&r.form);
                    info.reads[j - 1] = h;
                    cue |= lex.get(h);
                }
                if let Some(last) = readings.last() {
                    info.stem = hash_str(&last.form);
                    let art = last.form.starts_with("ال") && last.form.chars().count() >= 4;
                    let noal = if art { &last.form["ال".len()..] } else { last.form.as_str() };
                    info.noal = hash_str(noal);
                    if art {
                        cue |= lex.get(info.noal);
                    }
                    info.clitic = clitic_hash(&last.clitics, art);
                }
            } else {
                // the only reading is the form itself, without clitics
                let art = norm.starts_with("ال") && nlen >= 4;
                info.noal = if art { hash_str(&norm["ال".len()..]) } else { info.norm };
                if art {
                    cue |= lex.get(info.noal);
                }
                info.clitic = clitic_hash("", art);
            }
        }
        info.cue = cue;
        info.cluster = clusters.map.get(&((info.norm >> 32) as u32)).copied();
        if let Some(c) = cues.get(ti) {
            info.kb = kb_cue_hash(c);
        }
        out.push(info);
    }
    if !gaz.map.is_empty() {
        let n = out.len();
        let mut i = 0;
        while i < n {
            let mut hit = None;
            'len: for len in (1..=GAZ_MAX.min(n - i)).rev() {
                for &c in out[i].core.iter().filter(|c| **c != 0) {
                    let k = name_key(std::iter::once(c).chain(out[i + 1..i + len].iter().map(|x| x.norm)));
                    if let Some(&bits) = gaz.map.get(&k) {
                        hit = Some((len, bits));
                        break 'len;
                    }
                }
            }
            match hit {
                Some((len, bits)) => {
                    for j in i..i + len {
                        let v = (((j == i) as u64) << 16) | ((bits as u64) << 4) | len.min(4) as u64;
                        out[j].gaz = hash_str(&v.to_string()) | 1;
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
    }
    out
}

const BOS: u64 = 0x0b05_0b05_0b05_0b05;
const EOS: u64 = 0x0e05_0e05_0e05_0e05;

/// Appends the features of position `i` of a sentence whose tokens are described by `w`.
pub(crate) fn token_features(w: &[WordInfo], i: usize, out: &mut Vec<u32>) {
    let n = w.len();
    let at = |j: isize| -> Option<&WordInfo> { if j < 0 || j as usize >= n { None } else { Some(&w[j as usize]) } };
    let word = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |x| x.norm);
    let ii = i as isize;
    let c = &w[i];
    out.push(key(T_BIAS, 0));
    for d in -2..=2isize {
        out.push(key(T_W + (d + 2) as u32, word(ii + d)));
    }
    out.push(key(T_RAW0, c.raw));
    for d in -1..=1isize {
        out.push(key(T_STEM + (d + 1) as u32, at(ii + d).map_or(word(ii + d), |x| x.stem)));
    }
    if c.noal != 0 {
        out.push(key(T_NOAL0, c.noal));
    }
    for &r in c.reads.iter().filter(|r| **r != 0) {
        out.push(key(T_READ0, r));
    }
    for k in 0..4 {
        if c.pre[k] != 0 {
            out.push(key(T_PRE0 + k as u32 + 1, c.pre[k]));
        }
        if c.suf[k] != 0 {
            out.push(key(T_SUF0 + k as u32 + 1, c.suf[k]));
        }
    }
    let shape = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |x| x.shape);
    for d in -1..=1isize {
        out.push(key(T_SHAPE + (d + 1) as u32, shape(ii + d)));
    }
    out.push(key(T_SHAPE3, mix(mix(shape(ii - 1), shape(ii)), shape(ii + 1))));
    out.push(key(T_CLITIC0, c.clitic));
    for d in -2..=2isize {
        if let Some(x) = at(ii + d) {
            if x.cue != 0 {
                out.push(key(T_CUE + (d + 2) as u32, x.cue as u64));
            }
        }
    }
    if let Some(p) = at(ii - 1) {
        if p.cue != 0 {
            out.push(key(T_CUE_W, mix(p.cue as u64, c.norm)));
        }
    }
    out.push(key(T_BI_M1_0, mix(word(ii - 1), c.norm)));
    out.push(key(T_BI_0_P1, mix(c.norm, word(ii + 1))));
    out.push(key(T_BI_M1_P1, mix(word(ii - 1), word(ii + 1))));
    out.push(key(T_BI_M2_M1, mix(word(ii - 2), word(ii - 1))));
    if let Some(p) = at(ii - 1) {
        out.push(key(T_SUF_NB, p.suf[1]));
        out.push(key(T_SUF_NB + 2, p.pre[1]));
    }
    if let Some(x) = at(ii + 1) {
        out.push(key(T_SUF_NB + 1, x.suf[1]));
        out.push(key(T_SUF_NB + 3, x.pre[1]));
    }
    let pos = if i == 0 { 1 } else if i == 1 { 2 } else if i + 1 == n { 3 } else { 0 };
    if pos != 0 {
        out.push(key(T_POS, pos));
    }
    let jn = (c.joined as u64) | (at(ii + 1).is_some_and(|x| x.joined) as u64) << 1;
    if jn != 0 {
        out.push(key(T_JOINED, jn));
    }
    for d in -1..=1isize {
        if let Some(x) = at(ii + d) {
            if x.kb != 0 {
                out.push(key(T_KB + (d + 1) as u32, x.kb));
            }
        }
    }
    for d in -1..=1isize {
        if let Some(x) = at(ii + d) {
            if x.gaz != 0 {
                out.push(key(T_GAZ + (d + 1) as u32, x.gaz));
            }
        }
    }
    for d in -1..=1isize {
        if let Some(cl) = at(ii + d).and_then(|x| x.cluster) {
            for (g, &id) in cl.iter().enumerate() {
                out.push(key(T_CLUSTER + 4 * g as u32 + (d + 1) as u32, id as u64));
            }
        }
    }
}

/// Maps a knowledge-base cue to the hash used by the KB templates (exposed for tests).
#[allow(dead_code)]
pub(crate) fn kb_hash(ty: EntityType, begin: bool) -> u64 {
    hash_str(&format!("{}{}", ty.as_str(), if begin { "B" } else { "I" }))
}
