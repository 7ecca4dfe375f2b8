//! Events of texts, for inspection and measurement (not used by the service).
//!
//! ```text
//! cargo run --release -p khabar-annotate --example event_dump -- show FILE_OR_DIR...
//!     every event of each text (type, id, time, place, parties, casualties, realis, evidence)
//! cargo run --release -p khabar-annotate --example event_dump -- probe [ar|fa] < text
//! cargo run --release -p khabar-annotate --example event_dump -- sample N SEED FILE.jsonl...
//!     N events drawn at random from JSON Lines corpora, with their evidence (for hand checks)
//! cargo run --release -p khabar-annotate --example event_dump -- stats FILE.jsonl... [--limit N]
//!     events per 1000 words and per type, realis mix, and throughput: the whole pipeline and
//!     the event stage alone (MB/s per CPU second of this thread)
//! ```

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use khabar_annotate::{events, text, Annotations, Annotator, EventReport, Input, Lang};

fn load(path: &Path, limit: usize) -> Vec<(String, String, Option<String>)> {
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
        files.sort();
        return files.iter().flat_map(|f| load(f, limit)).collect();
    }
    let raw = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|x| x == "jsonl") {
        raw.lines()
            .filter(|l| !l.trim().is_empty())
            .take(limit)
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let t = v["title"].as_str().unwrap_or("").trim().to_string();
                let body = v["text"].as_str().unwrap_or("").to_string();
                let text = if t.is_empty() { body } else { format!("{t}\n\n{body}") };
                (v["id"].to_string(), text, None)
            })
            .collect()
    } else {
        vec![(path.file_stem().unwrap().to_string_lossy().to_string(), raw, None)]
    }
}

fn show(e: &EventReport, chars: &[char], full: bool) -> String {
    let ev: String = e.evidence.text(chars);
    let ev = if full || ev.chars().count() < 400 { ev } else { ev.chars().take(400).collect::<String>() + " …" };
    let parts: Vec<String> = e.participants.iter().map(|p| format!("{:?}:{}", p.role, p.entity)).collect();
    let cas = |c: Option<khabar_annotate::Count>| c.map(|c| format!("{}{:?}", c.value, c.qualifier)).unwrap_or_else(|| "-".into());
    format!(
        "{} {:?} {} realis={:?} conf={:.2}\n  trigger={:?} time={} place={} parties=[{}] dead={} injured={} displaced={} doc={:?} event={:?}\n  evidence: {}",
        e.etype.as_str(),
        e.id,
        "",
        e.realis,
        e.confidence,
        e.trigger.text(chars),
        e.time.as_ref().map(|t| t.value.as_str()).unwrap_or("-"),
        e.place.as_ref().map(|p| format!("{}({})", p.text, p.entity.as_deref().unwrap_or("-"))).unwrap_or_else(|| "-".into()),
        parts.join(" "),
        cas(e.casualties.dead),
        cas(e.casualties.injured),
        cas(e.casualties.displaced),
        e.document_reference,
        e.event_entity,
        ev.replace('\n', " ")
    )
}

/// CPU time of this thread in seconds (Linux /proc/thread-self/schedstat; 0 elsewhere).
fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok().and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok()).map_or(0.0, |ns| ns / 1e9)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let a = Annotator::new();
    match args.get(1).map(String::as_str) {
        Some("probe") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).unwrap();
            let lang = args.get(2).and_then(|l| Lang::from_code(l));
            let out = a.annotate(&Input { text: &text, lang_hint: lang, publish_date: None });
            let chars: Vec<char> = text.chars().collect();
            for e in &out.events {
                println!("{}", show(e, &chars, true));
            }
        }
        Some("times") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).unwrap();
            let out = a.annotate(&Input { text: &text, lang_hint: None, publish_date: None });
            let chars: Vec<char> = text.chars().collect();
            for t in &out.times {
                println!("time {:?} = {} ({:?})", t.span.text(&chars), t.value, t.calendar);
            }
            for q in &out.quantities {
                println!("qty {:?} = {} {} {:?}", q.span.text(&chars), q.value, q.unit, q.qualifier);
            }
            for m in &out.mentions {
                println!("mention {:?} {:?} {:?}", m.span.text(&chars), m.etype, m.entity);
            }
        }
        Some("show") => {
            for p in &args[2..] {
                for (id, text, date) in load(Path::new(p), usize::MAX) {
                    let out = a.annotate(&Input { text: &text, lang_hint: None, publish_date: date.as_deref() });
                    let chars: Vec<char> = text.chars().collect();
                    println!("=== {id}: {} events", out.events.len());
                    for e in &out.events {
                        println!("{}", show(e, &chars, false));
                    }
                }
            }
        }
        Some("sample") => {
            let n: usize = args[2].parse().unwrap();
            let mut seed: u64 = args[3].parse().unwrap();
            let mut all: Vec<(String, String)> = Vec::new();
            for p in &args[4..] {
                for (id, text, date) in load(Path::new(p), 4000) {
                    let out = a.annotate(&Input { text: &text, lang_hint: None, publish_date: date.as_deref() });
                    let chars: Vec<char> = text.chars().collect();
                    for e in &out.events {
                        all.push((id.clone(), show(e, &chars, false)));
                    }
                }
            }
            let mut picked = std::collections::BTreeSet::new();
            while picked.len() < n.min(all.len()) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                picked.insert((seed % all.len() as u64) as usize);
            }
            for (k, i) in picked.into_iter().enumerate() {
                println!("[{}] doc {}: {}\n", k + 1, all[i].0, all[i].1);
            }
        }
        Some("stats") => {
            let mut limit = usize::MAX;
            let mut files = Vec::new();
            let mut it = args[2..].iter();
            while let Some(x) = it.next() {
                if x == "--limit" {
                    limit = it.next().unwrap().parse().unwrap();
                } else {
                    files.push(x.clone());
                }
            }
            for f in files {
                let docs = load(Path::new(&f), limit);
                let (mut bytes, mut words, mut n_events) = (0usize, 0usize, 0usize);
                let (mut t_all, mut t_ev) = (0f64, 0f64);
                let mut by_type = std::collections::BTreeMap::new();
                let mut by_realis = std::collections::BTreeMap::new();
                let wall = Instant::now();
                for (_, text, date) in &docs {
                    bytes += text.len();
                    words += text.split_whitespace().count();
                    let c0 = thread_cpu();
                    let out: Annotations = a.annotate(&Input { text, lang_hint: None, publish_date: date.as_deref() });
                    let c1 = thread_cpu();
                    let view = text::TextView::new(text, Some(out.lang));
                    let c2 = thread_cpu();
                    let ev = events::extract(&view, &out, out.publish_date.as_deref());
                    let c3 = thread_cpu();
                    t_all += c1 - c0;
                    t_ev += c3 - c2;
                    assert_eq!(ev, out.events);
                    n_events += ev.len();
                    for e in &ev {
                        *by_type.entry(e.etype.as_str()).or_insert(0usize) += 1;
                        *by_realis.entry(format!("{:?}", e.realis)).or_insert(0usize) += 1;
                    }
                }
                let mb = bytes as f64 / 1e6;
                println!("{f}: {} docs, {:.1} MB, {} words, {} events = {:.2} per 1000 words", docs.len(), mb, words, n_events, n_events as f64 * 1000.0 / words.max(1) as f64);
                println!("  by type: {by_type:?}");
                println!("  realis: {by_realis:?}");
                println!(
                    "  pipeline {:.2} MB/s per CPU s; event stage alone {:.1} MB/s per CPU s ({:.1}% of the pipeline); wall {:.1}s",
                    mb / t_all,
                    mb / t_ev,
                    100.0 * t_ev / t_all,
                    wall.elapsed().as_secs_f64()
                );
            }
        }
        _ => eprintln!("usage: event_dump show|probe|sample|stats …"),
    }
}
