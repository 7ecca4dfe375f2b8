//! Document zones: title, subtitle, dateline, body, photo captions and page boilerplate.
//!
//! News text arrives as scraped pages: a header (site name, section label, headline, strap
//! line), a dateline, the body, captions set apart from the paragraphs, and a footer (share
//! buttons, "related headlines" lists, copyright). Zones are found line by line:
//! - header lines before the first body paragraph: site/outlet names and one- or two-word
//!   section labels are boilerplate, the first real line is the title, later ones subtitles;
//!   a markdown heading ("## …") is a title without its marks;
//! - a dateline line, or a dateline opening the first paragraph (see [`super::metadata`]);
//! - a footer starts at a share/follow/"more"/"related"/copyright line in the last part of the
//!   text; the short lines after it are related headlines;
//! - a short paragraph set apart by two or more blank lines (when paragraphs are normally
//!   separated by at most one), or opening with a photo word, is a caption;
//! - a short unpunctuated line between body paragraphs is a subtitle (section heading).
//!
//! Consecutive body lines form one zone; so do consecutive headline lines. Zone spans address
//! the original text and never include surrounding whitespace.

use super::metadata::{parse_dateline, DatelineParse};
use super::token::{Token, TokenKind};
use crate::model::{Lang, Span, Zone, ZoneType};

/// One non-empty line of the text.
#[derive(Debug, Clone)]
struct Line {
    /// Token range.
    start: usize,
    end: usize,
    /// Blank lines before and after.
    blank_before: usize,
    blank_after: usize,
    words: usize,
    /// Ends with . ! ? ؟ … (possibly followed by a closing quote).
    stop: bool,
    /// Ends with : or ، (an introduction, not a heading).
    colon: bool,
}

/// Normalised line openings that mark page boilerplate, with the most words such a line has:
/// share and follow buttons, "more" and "related" list heads, rights, tags, comment forms.
const FOOTER_CUES: &[(&str, usize)] = &[
    ("شاركوا", 8), ("شارك", 6), ("شاركها", 6), ("تابعنا", 8), ("تابعونا", 8), ("المزيد", 3), ("اقرا ايضا", 4), ("اقرا المزيد", 4),
    ("اخبار ذات صله", 5), ("مواضيع ذات صله", 5), ("اخبار متعلقه", 4), ("الاكثر قراءه", 4), ("جميع الحقوق محفوظه", 10), ("كلمات دلاليه", 12),
    ("الكلمات الدلاليه", 12), ("اخبار مرتبطه", 4), ("خبرهاي مرتبط", 4), ("اخبار مرتبط", 4), ("مطالب مرتبط", 4), ("بيشتر بخوانيد", 4),
    ("انتهاي پيام", 4), ("كد خبر", 6), ("برچسب ها", 12), ("اشتراك گذاري", 6), ("نظرات", 3), ("ارسال نظر", 4), ("share", 6), ("tweet", 6),
    ("follow us", 6), ("related", 4), ("read more", 4),
];

fn is_footer_cue(norm: &str, words: usize) -> bool {
    FOOTER_CUES.iter().any(|(c, max)| words <= *max && starts_with_word(norm, c))
}

/// `s` is `w` or starts with `w` followed by a space or a full stop.
fn starts_with_word(s: &str, w: &str) -> bool {
    s.strip_prefix(w).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '.']))
}

/// Normalised openings of a photo caption.
const CAPTION_CUES: &[&str] = &["صوره", "الصوره", "صور", "عكس", "تصوير", "فيديو", "بالصور"];
/// Normalised openings of a site or outlet name in a page header.
const OUTLET_WORDS: &[&str] = &["وكاله", "شبكه", "موقع", "صحيفه", "جريده", "خبرگزاري", "پايگاه", "روزنامه", "سايت", "مجله", "تلفزيون", "اذاعه", "راديو"];

fn lines(chars: &[char], tokens: &[Token]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut s = 0;
    for i in 0..=tokens.len() {
        let breaks = i == tokens.len() || (i > 0 && newlines(chars, tokens[i - 1].span.end as usize, tokens[i].span.start as usize) > 0);
        if breaks && i > s {
            let words = tokens[s..i].iter().filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Latin | TokenKind::Number)).count();
            let last = tokens[s..i].iter().rev().find(|t| !matches!(chars[t.span.start as usize], '"' | '”' | '»' | ')' | '\'' | '’' | '“'));
            let lc = last.map(|t| chars[t.span.start as usize]);
            let before = if s == 0 { newlines(chars, 0, tokens[0].span.start as usize) } else { newlines(chars, tokens[s - 1].span.end as usize, tokens[s].span.start as usize) };
            let after = if i == tokens.len() { newlines(chars, tokens[i - 1].span.end as usize, chars.len()) } else { newlines(chars, tokens[i - 1].span.end as usize, tokens[i].span.start as usize) };
            out.push(Line {
                start: s,
                end: i,
                blank_before: before.saturating_sub(1),
                blank_after: after.saturating_sub(1),
                words,
                stop: matches!(lc, Some('.' | '!' | '?' | '؟' | '…' | '۔')),
                colon: matches!(lc, Some(':' | '،' | ',')),
            });
            s = i;
        } else if breaks {
            s = i;
        }
    }
    out
}

fn newlines(chars: &[char], a: usize, b: usize) -> usize {
    chars[a..b].iter().filter(|c| **c == '\n').count()
}

fn line_norm(tokens: &[Token], l: &Line, max: usize) -> String {
    tokens[l.start..l.end.min(l.start + max)].iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ").to_lowercase()
}

fn starts_with_any(s: &str, cues: &[&str]) -> bool {
    cues.iter().any(|c| starts_with_word(s, c))
}

/// The result of zoning.
#[derive(Debug, Clone, Default)]
pub struct Zoning {
    pub zones: Vec<Zone>,
    pub dateline: Option<DatelineParse>,
}

/// Finds the zones of a text; `lang` is the document language.
pub fn detect(chars: &[char], tokens: &[Token], lang: Lang) -> Zoning {
    let ls = lines(chars, tokens);
    if ls.is_empty() {
        return Zoning::default();
    }
    let n = ls.len();
    let mut kind: Vec<Option<ZoneType>> = vec![None; n];
    // a Title zone may skip leading markdown marks
    let mut title_skip: Vec<usize> = vec![0; n];

    // ---- footer
    // the footer starts after some body text (a page's list of headlines may be longer than
    // the article itself, so its position in the text says little)
    let first_body = ls.iter().position(|l| l.words >= 25).map_or(n, |k| k + 1);
    let mut footer_start = None;
    for (k, l) in ls.iter().enumerate().skip(first_body.min(n)) {
        let norm = line_norm(tokens, l, 6);
        let copyright = chars[tokens[l.start].span.start as usize] == '©';
        if is_footer_cue(&norm, l.words) || copyright {
            footer_start = Some(k);
            break;
        }
    }
    if let Some(f) = footer_start.filter(|f| *f < n) {
        for k in f..n {
            let l = &ls[k];
            let norm = line_norm(tokens, l, 6);
            let copyright = chars[tokens[l.start].span.start as usize] == '©';
            kind[k] = Some(if copyright || is_footer_cue(&norm, l.words) || l.words <= 1 {
                ZoneType::Boilerplate
            } else if l.words <= 40 {
                ZoneType::RelatedHeadlines
            } else {
                ZoneType::Body
            });
        }
    }

    // ---- captions: short paragraphs set apart by extra blank lines, or with a photo word
    let body_gaps: Vec<usize> = ls.iter().filter(|l| l.words > 45).map(|l| l.blank_after).collect();
    let normal_gap = if body_gaps.is_empty() { 1 } else { *median(&body_gaps) };
    for (k, l) in ls.iter().enumerate() {
        if kind[k].is_some() || l.words > 45 || l.words < 3 {
            continue;
        }
        // paragraphs cut by the page layout are set apart too, but are longer than captions
        let isolated = normal_gap < 2 && l.words <= 30 && (l.blank_after >= 2 || (l.blank_before >= 2 && k > 0)) && n > 2;
        // a caption does not continue the discourse with a conjunction ("وهناك …")
        let conj = tokens[l.start].readings(chars).iter().any(|r| r.clitics.starts_with('و') || r.clitics.starts_with('ف'));
        let norm = line_norm(tokens, l, 3);
        // a photo word opening the first line is a photo-story headline, not a caption
        let cue = k > 0 && (starts_with_any(&norm, CAPTION_CUES) || norm.starts_with("( صوره") || norm.starts_with("(صوره"));
        if (isolated && !conj) || (cue && l.words <= 30) {
            kind[k] = Some(ZoneType::Caption);
        }
    }

    // ---- dateline: a line of its own or the opening of the first paragraph, near the top
    let mut dateline = None;
    for (k, l) in ls.iter().enumerate().take(8) {
        if kind[k].is_some() {
            continue;
        }
        if let Some(d) = parse_dateline(chars, tokens, l.start, l.end, lang) {
            if d.whole_line && l.words <= 14 || !d.whole_line {
                dateline = Some((k, d));
                break;
            }
        }
        if l.words > 25 {
            break; // the body has started
        }
    }

    // ---- header: lines before the first body paragraph (or the dateline)
    let body_like = |l: &Line| l.words >= 25 || (l.stop && l.words >= 10);
    let header_end = match &dateline {
        Some((k, d)) if d.whole_line => *k,
        Some((k, _)) => *k,
        None => ls.iter().enumerate().position(|(k, l)| kind[k].is_none() && body_like(l)).unwrap_or(n),
    };
    let has_body_after = (header_end..n).any(|k| kind[k].is_none() || kind[k] == Some(ZoneType::Body));
    if has_body_after {
        let mut title_done = false;
        for k in 0..header_end {
            if kind[k].is_some() {
                continue;
            }
            let l = &ls[k];
            let norm = line_norm(tokens, l, 8);
            let last_char = chars[tokens[l.end - 1].span.start as usize];
            let outlet = l.words <= 7 && (starts_with_any(&norm, OUTLET_WORDS) || last_char == '/' || is_source_line(tokens, l));
            if outlet || (!title_done && l.words <= 2 && k + 1 < header_end) {
                kind[k] = Some(ZoneType::Boilerplate);
            } else if !title_done && l.words <= 40 {
                kind[k] = Some(ZoneType::Title);
                title_done = true;
                // markdown heading marks
                let mut s = l.start;
                while s < l.end - 1 && matches!(chars[tokens[s].span.start as usize], '#' | '*' | '=') {
                    s += 1;
                }
                title_skip[k] = s - l.start;
            } else if title_done && l.words <= 40 {
                kind[k] = Some(ZoneType::Subtitle);
            }
        }
    }

    // ---- subtitles between body paragraphs: short, unpunctuated, not an introduction
    for k in 0..n {
        if kind[k].is_some() || k < header_end {
            continue;
        }
        let l = &ls[k];
        let prev_body = k > 0 && kind[k - 1].is_none_or(|z| z == ZoneType::Body || z == ZoneType::Caption);
        let next_body = k + 1 < n && kind[k + 1].is_none() && ls[k + 1].words > 12;
        let comma = tokens[l.start..l.end].iter().any(|t| matches!(t.norm.as_str(), "،" | ","));
        if l.words >= 3 && l.words <= 12 && !l.stop && !l.colon && !comma && prev_body && next_body {
            kind[k] = Some(ZoneType::Subtitle);
        }
    }

    // ---- build zones
    let mut zones: Vec<Zone> = Vec::new();
    let span_of = |s: usize, e: usize| Span { start: tokens[s].span.start, end: tokens[e - 1].span.end };
    for (k, l) in ls.iter().enumerate() {
        let mut start = l.start;
        let kd = kind[k].unwrap_or(ZoneType::Body);
        if let Some((dk, d)) = &dateline {
            if *dk == k {
                zones.push(Zone { kind: ZoneType::Dateline, span: d.span, lang: None });
                if d.end_tok >= l.end {
                    continue;
                }
                start = d.end_tok;
            }
        }
        if kd == ZoneType::Title {
            start += title_skip[k];
        }
        let span = span_of(start, l.end);
        // merge consecutive body lines and consecutive headline lines
        if let Some(last) = zones.last_mut() {
            if last.kind == kd && matches!(kd, ZoneType::Body | ZoneType::RelatedHeadlines) {
                last.span.end = span.end;
                continue;
            }
        }
        zones.push(Zone { kind: kd, span, lang: None });
    }
    Zoning { zones, dateline: dateline.map(|(_, d)| d) }
}

fn median(v: &[usize]) -> &usize {
    let mut s: Vec<&usize> = v.iter().collect();
    s.sort();
    s[s.len() / 2]
}

/// The whole line is a known agency or outlet name ("وكالة الأنباء الحكومية الأذربيجانية").
fn is_source_line(tokens: &[Token], l: &Line) -> bool {
    let forms: Vec<&str> = tokens[l.start..l.end].iter().filter(|t| t.kind != TokenKind::Punct).map(|t| t.norm.as_str()).collect();
    super::metadata::is_source_name(&forms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::token::tokenize;

    fn zones(s: &str) -> Vec<(ZoneType, String)> {
        let c: Vec<char> = s.chars().collect();
        let t = tokenize(&c);
        detect(&c, &t, Lang::Ar).zones.into_iter().map(|z| (z.kind, z.span.text(&c))).collect()
    }

    const BODY: &str = "لا تعكس الآراء الباطلة التي تعبر القيادة الأرمنية عنها حول تسوية النزاع الأرمني الأذربيجاني الحقائق التاريخية والطبيعة الأصلية للصراع وقد اثبت ذلك من قبل رئيس أذربيجان بأدلة دامغة في كلمته الملقاة في الاجتماع السنوي.";

    #[test]
    fn header_dateline_body_footer() {
        // a page's headline list is often longer than the article
        let headlines = "انخفاض سعر النفط الأذربيجاني\n\nبحث مسائل التعاون في مجال الطاقة بين البلدين\n\n".repeat(12);
        let text = format!(
            "وكالة الأنباء الحكومية الأذربيجانية\n\nسياسة\n\nالرئيس: استعادة السلامة الإقليمية هي الأولوية\nستعيد أذربيجان سلامتها الإقليمية\n\nباكو، 4 يوليو، أذرتاج\n\n{BODY}\n\n{BODY}\n\nشاركوا الأخبار على شبكات التواصل الاجتماعي\n\nالمزيد...\n\nالرئيس يصل الى ألمانيا في زيارة عمل\n\nارتفاع سعر برميل النفط\n{headlines}"
        );
        let z = zones(&text);
        let kinds: Vec<ZoneType> = z.iter().map(|x| x.0).collect();
        assert_eq!(
            kinds,
            [
                ZoneType::Boilerplate,
                ZoneType::Boilerplate,
                ZoneType::Title,
                ZoneType::Subtitle,
                ZoneType::Dateline,
                ZoneType::Body,
                ZoneType::Boilerplate,
                ZoneType::Boilerplate,
                ZoneType::RelatedHeadlines
            ],
            "{z:?}"
        );
        assert_eq!(z[2].1, "الرئيس: استعادة السلامة الإقليمية هي الأولوية");
        assert_eq!(z[4].1, "باكو، 4 يوليو، أذرتاج");
    }

    #[test]
    fn markdown_title_and_captions() {
        let text = format!("\n\n## عنوان الخبر المهم هنا\n\n{BODY}\n\nمدينة أغدام: أكبر مدينة في قراباغ بعد احتلالها.\n\n\n\n{BODY}\n\n{BODY}\n");
        let z = zones(&text);
        assert_eq!(z[0], (ZoneType::Title, "عنوان الخبر المهم هنا".to_string()));
        assert!(z.iter().any(|x| x.0 == ZoneType::Caption && x.1.starts_with("مدينة أغدام")), "{z:?}");
    }
}
