//! Runs the annotator over corpora and prints text-layer statistics.
//!
//! ```text
//! cargo run --release -p khabar-annotate --example corpus_stats -- [options] FILE_OR_DIR...
//!   --sample N      print N random time expressions and N random quantities with their sentence
//!   --seed S        seed of the sample (default 1)
//!   --limit N       at most N documents per corpus
//!   --no-title      do not prepend the JSON "title" field to the text
//!   --show          print every document's text-layer annotations (for small sets such as seeds/)
//!   --date FIELD    JSON field holding the publication date (e.g. date_extracted)
//!   --text-layer    run only the text layer (language, zones, metadata, dates, quantities),
//!                   not the entity stages, to see its own cost
//! ```
//!
//! Inputs: JSON Lines files (fields `id`, `text`, optional `title`) or `.txt` files, or
//! directories of `.txt` files. A corpus whose file name starts with `ar_` or `fa_` is expected
//! to be in that language; language accuracy is reported against it.
//!
//! Reported per corpus: documents, words (whitespace-separated), time expressions and
//! quantities per thousand words, language distribution and accuracy, offset errors (spans
//! outside the text, empty, or with surrounding whitespace: must be 0), panics (caught),
//! and throughput of `Annotator::annotate` in MB/s on one thread, both per CPU second of the
//! thread (meaningful on a shared machine) and per wall-clock second.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use khabar_annotate::{quantity, text, time, Annotations, Annotator, Input, Lang, Span};

/// The text layer alone, through the public APIs (what `Annotator::annotate` does before the
/// entity stages).
fn text_layer(input: &Input<'_>) -> Annotations {
    let view = text::TextView::new(input.text, input.lang_hint);
    let md = text::metadata::extract(&view.chars, &view.tokens, &view.zones, view.dateline.as_ref());
    let dateline_date = md.dateline.as_ref().and_then(|d| d.date.clone());
    let doc = input.publish_date.and_then(time::DocDate::parse).or_else(|| dateline_date.as_deref().and_then(time::DocDate::parse));
    let times = time::find_times(&view.chars, &view.tokens, view.lang, doc.as_ref());
    let taken: Vec<Span> = times.iter().map(|t| t.span).collect();
    let quantities = quantity::find_quantities(&view.chars, &view.tokens, view.lang, &taken);
    Annotations {
        lang: view.lang,
        sentences: view.sentences,
        zones: view.zones,
        dateline: md.dateline,
        title: md.title,
        source_name: md.source_name,
        publish_date: if input.publish_date.is_none() { dateline_date } else { None },
        times,
        quantities,
        ..Annotations::default()
    }
}

struct Doc {
    id: String,
    text: String,
    date: Option<String>,
}

fn load(path: &Path, title: bool, date_field: Option<&str>) -> Vec<Doc> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path).expect("read dir").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
        files.sort();
        return files.iter().flat_map(|f| load(f, title, date_field)).collect();
    }
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|x| x == "jsonl" || x == "json") {
        raw.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json line");
                let text = v["text"].as_str().unwrap_or("").to_string();
                let t = v["title"].as_str().unwrap_or("").trim().to_string();
                let text = if title && !t.is_empty() { format!("{t}\n\n{text}") } else { text };
                let date = date_field.and_then(|f| v[f].as_str()).map(str::to_string);
                Doc { id: v["id"].to_string(), text, date }
            })
            .collect()
    } else {
        vec![Doc { id: path.file_name().unwrap().to_string_lossy().to_string(), text: raw, date: None }]
    }
}

/// Spans that do not address the text cleanly.
fn offset_errors(a: &Annotations, chars: &[char]) -> usize {
    let n = chars.len();
    let bad = |s: &Span, strict: bool| {
        let (st, en) = (s.start as usize, s.end as usize);
        st > en || en > n || (strict && (st == en || chars[st].is_whitespace() || chars[en - 1].is_whitespace()))
    };
    let mut e = 0;
    e += a.sentences.iter().filter(|s| bad(s, true)).count();
    e += a.zones.iter().filter(|z| bad(&z.span, true)).count();
    e += a.times.iter().filter(|t| bad(&t.span, true)).count();
    e += a.quantities.iter().filter(|q| bad(&q.span, true)).count();
    e += a.dateline.iter().filter(|d| bad(&d.span, true)).count();
    e += a.mentions.iter().filter(|m| bad(&m.span, false)).count();
    e
}

/// CPU time of the current thread in seconds (Linux), to measure throughput per core even on a
/// busy machine; `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// A small deterministic generator for the sample.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut sample, mut seed, mut limit, mut title, mut show, mut date_field) = (0usize, 1u64, usize::MAX, true, false, None::<String>);
    let mut text_only = false;
    let mut paths = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sample" => sample = args.next().and_then(|x| x.parse().ok()).expect("--sample N"),
            "--seed" => seed = args.next().and_then(|x| x.parse().ok()).expect("--seed S"),
            "--limit" => limit = args.next().and_then(|x| x.parse().ok()).expect("--limit N"),
            "--no-title" => title = false,
            "--show" => show = true,
            "--date" => date_field = args.next(),
            "--text-layer" => text_only = true,
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        eprintln!("usage: corpus_stats [--sample N] [--seed S] [--limit N] [--no-title] [--show] [--date FIELD] [--text-layer] FILE_OR_DIR...");
        std::process::exit(2);
    }
    let annotator = Annotator::new();
    // warm up the lazily built tables and models
    let _ = annotator.annotate(&Input { text: "باكو، 4 يوليو، أذرتاج. وزیر امور خارجه گفت 20 درصد.", ..Default::default() });
    if text_only {
        println!("(text layer only)");
    }
    let mut total_errors = 0;
    let mut total_panics = 0;
    for path in &paths {
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let expected = if name.starts_with("ar_") {
            Some(Lang::Ar)
        } else if name.starts_with("fa_") {
            Some(Lang::Fa)
        } else {
            None
        };
        let docs = load(path, title, date_field.as_deref());
        let docs = &docs[..docs.len().min(limit)];
        let (mut words, mut bytes, mut ntimes, mut nqty, mut errors, mut panics) = (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
        let (mut ar, mut fa, mut und, mut right) = (0usize, 0usize, 0usize, 0usize);
        let mut elapsed = 0.0f64;
        let mut cpu = 0.0f64;
        let (mut with_title, mut with_source, mut with_dateline, mut with_headlines, mut with_caption, mut sentences) = (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
        let mut title_examples: Vec<String> = Vec::new();
        let mut source_counts: std::collections::BTreeMap<String, usize> = Default::default();
        let mut time_items: Vec<String> = Vec::new();
        let mut qty_items: Vec<String> = Vec::new();
        let mut wrong_lang: Vec<String> = Vec::new();
        for d in docs {
            let chars: Vec<char> = d.text.chars().collect();
            words += d.text.split_whitespace().count();
            bytes += d.text.len();
            let input = Input { text: &d.text, lang_hint: None, publish_date: d.date.as_deref() };
            let c0 = thread_cpu_seconds();
            let t0 = Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| if text_only { text_layer(&input) } else { annotator.annotate(&input) }));
            elapsed += t0.elapsed().as_secs_f64();
            if let (Some(a), Some(b)) = (c0, thread_cpu_seconds()) {
                cpu += b - a;
            }
            let a = match r {
                Ok(a) => a,
                Err(_) => {
                    panics += 1;
                    eprintln!("PANIC in {} {}", name, d.id);
                    continue;
                }
            };
            errors += offset_errors(&a, &chars);
            sentences += a.sentences.len();
            with_title += a.title.is_some() as usize;
            with_source += a.source_name.is_some() as usize;
            with_dateline += a.dateline.is_some() as usize;
            with_headlines += a.zones.iter().any(|z| z.kind == khabar_annotate::ZoneType::RelatedHeadlines) as usize;
            with_caption += a.zones.iter().any(|z| z.kind == khabar_annotate::ZoneType::Caption) as usize;
            if let Some(s) = &a.source_name {
                *source_counts.entry(s.clone()).or_default() += 1;
            }
            if title_examples.len() < 3 {
                if let Some(t) = &a.title {
                    title_examples.push(t.chars().take(60).collect());
                }
            }
            ntimes += a.times.len();
            nqty += a.quantities.len();
            match a.lang {
                Lang::Ar => ar += 1,
                Lang::Fa => fa += 1,
                Lang::Und => und += 1,
            }
            if expected == Some(a.lang) {
                right += 1;
            } else if expected.is_some() && wrong_lang.len() < 10 {
                let head: String = chars.iter().take(80).collect::<String>().replace('\n', " ");
                wrong_lang.push(format!("  {} -> {}: {head}", d.id, a.lang.code()));
            }
            let sentence_of = |s: Span| -> String {
                let sent = a.sentences.iter().find(|x| x.contains(&s)).copied().unwrap_or(s);
                let st = (sent.start as usize).max((s.start as usize).saturating_sub(120));
                let en = (sent.end as usize).min(s.end as usize + 120);
                chars[st..en].iter().collect::<String>().replace('\n', " ")
            };
            if sample > 0 || show {
                for t in &a.times {
                    time_items.push(format!(
                        "[{}] «{}» → {} {:?}{}{}\n      … {}",
                        d.id,
                        t.span.text(&chars),
                        t.value,
                        t.calendar,
                        t.native_value.as_ref().map(|n| format!(" native={n}")).unwrap_or_default(),
                        if t.anchored { " anchored" } else { "" },
                        sentence_of(t.span)
                    ));
                }
                for q in &a.quantities {
                    qty_items.push(format!(
                        "[{}] «{}» → {:?} {} {} {:?}\n      … {}",
                        d.id,
                        q.span.text(&chars),
                        q.kind,
                        q.value,
                        q.unit,
                        q.qualifier,
                        sentence_of(q.span)
                    ));
                }
            }
            if show {
                println!("=== {} lang={} title={:?} source={:?} publish_date={:?}", d.id, a.lang.code(), a.title, a.source_name, a.publish_date);
                if let Some(dl) = &a.dateline {
                    println!("  dateline: «{}» place={:?} date={:?} source={:?}", dl.span.text(&chars), dl.place, dl.date, dl.source);
                }
                for z in &a.zones {
                    let txt: String = z.span.text(&chars).chars().take(70).collect::<String>().replace('\n', " ⏎ ");
                    println!("  zone {:?}{}: {}", z.kind, z.lang.map(|l| format!(" ({})", l.code())).unwrap_or_default(), txt);
                }
                for x in time_items.drain(..) {
                    println!("  time {x}");
                }
                for x in qty_items.drain(..) {
                    println!("  qty  {x}");
                }
            }
        }
        let kw = words as f64 / 1000.0;
        println!("== {name}");
        println!("  documents           {}", docs.len());
        println!("  words               {words}");
        println!("  time expressions    {ntimes} ({:.2} per 1000 words)", ntimes as f64 / kw.max(1e-9));
        println!("  quantities          {nqty} ({:.2} per 1000 words)", nqty as f64 / kw.max(1e-9));
        println!("  language            ar {ar}, fa {fa}, und {und}");
        if let Some(e) = expected {
            println!("  language accuracy   {:.4} (expected {})", right as f64 / docs.len().max(1) as f64, e.code());
            for w in &wrong_lang {
                println!("{w}");
            }
        }
        println!("  sentences           {sentences} ({:.1} words per sentence)", words as f64 / sentences.max(1) as f64);
        println!("  with title          {with_title}; with source {with_source}; with dateline {with_dateline}; with captions {with_caption}; with related headlines {with_headlines}");
        let mut top: Vec<(&String, &usize)> = source_counts.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1));
        println!("  top sources         {}", top.iter().take(8).map(|(k, v)| format!("{k} ({v})")).collect::<Vec<_>>().join(", "));
        println!("  offset errors       {errors}");
        println!("  panics              {panics}");
        println!(
            "  throughput          {:.2} MB/s per core on CPU time ({:.1} MB in {:.2} s CPU); {:.2} MB/s wall clock ({:.2} s)",
            bytes as f64 / 1e6 / cpu.max(1e-9),
            bytes as f64 / 1e6,
            cpu,
            bytes as f64 / 1e6 / elapsed.max(1e-9),
            elapsed
        );
        if sample > 0 && !show {
            let mut rng = Lcg(seed);
            for (label, items) in [("time expressions", &mut time_items), ("quantities", &mut qty_items)] {
                println!("  -- sample of {label}");
                for _ in 0..sample.min(items.len()) {
                    let k = (rng.next() as usize) % items.len();
                    println!("  {}", items.swap_remove(k));
                }
            }
        }
        total_errors += errors;
        total_panics += panics;
    }
    if total_errors > 0 || total_panics > 0 {
        std::process::exit(1);
    }
}
