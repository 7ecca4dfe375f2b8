//! Entity mentions of texts, for inspection and measurement (not used by the service).
//!
//! - `entity_dump probe [ar|fa] < text`: prints every mention (surface, type, id, origin);
//! - `entity_dump seeds DIR OUT.json`: annotates every `.txt` in DIR and writes the mentions in
//!   the layout of the evaluation script's `--dump` files;
//! - `entity_dump tagger MODEL.bin ar|fa < texts.jsonl`: the tagger alone (no knowledge base)
//!   on each line's JSON string, one JSON array of `[type, start, end]` (code points) per line;
//! - `entity_dump bench FILE.jsonl...`: times `Annotator::new()` and the whole pipeline over
//!   JSON Lines articles (field `text`) and prints MB/s.

use std::io::Read;
use std::time::Instant;

use khabar_annotate::{Annotator, Input, Lang};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("probe") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).unwrap();
            let lang = args.get(2).and_then(|l| Lang::from_code(l));
            let a = Annotator::new();
            let out = a.annotate(&Input { text: &text, lang_hint: lang, publish_date: None });
            let chars: Vec<char> = text.chars().collect();
            for m in &out.mentions {
                println!("{}\t{:?}\t{}\t{:?}\t{:.2}", m.span.text(&chars), m.etype, m.entity.as_deref().unwrap_or("-"), m.origin, m.confidence);
            }
        }
        Some("tagger") => {
            let tagger = khabar_annotate::ner::Tagger::from_bytes(&std::fs::read(&args[2]).unwrap()).unwrap();
            let lang = Lang::from_code(&args[3]);
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).unwrap();
            for line in input.lines().filter(|l| !l.trim().is_empty()) {
                let text: String = serde_json::from_str(line).unwrap();
                let view = khabar_annotate::text::TextView::new(&text, lang);
                let spans: Vec<(String, u32, u32)> = tagger.tag(&view).into_iter().map(|s| (format!("{:?}", s.etype).to_uppercase(), s.span.start, s.span.end)).collect();
                println!("{}", serde_json::to_string(&spans).unwrap());
            }
        }
        Some("seeds") => {
            let dir = &args[2];
            let a = Annotator::new();
            let mut docs = serde_json::Map::new();
            let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
            names.sort();
            for p in names {
                let text = std::fs::read_to_string(&p).unwrap();
                let out = a.annotate(&Input { text: &text, lang_hint: None, publish_date: None });
                let chars: Vec<char> = text.chars().collect();
                let mentions: Vec<serde_json::Value> = out
                    .mentions
                    .iter()
                    .map(|m| serde_json::json!({"entity": format!("entities/{}", m.entity.as_deref().unwrap_or("")), "type": m.etype.as_str(), "start": m.span.start, "end": m.span.end, "content": m.span.text(&chars)}))
                    .collect();
                let stem = p.file_stem().unwrap().to_string_lossy().to_string();
                docs.insert(stem, serde_json::json!({"text": text, "mentions": mentions, "times": [], "quantities": [], "events": []}));
            }
            std::fs::write(&args[3], serde_json::to_string(&docs).unwrap()).unwrap();
        }
        Some("bench") => {
            let t0 = Instant::now();
            let _ = khabar_annotate::kb::Kb::embedded();
            let t_kb = t0.elapsed();
            let _ = khabar_annotate::entities::Cues::embedded();
            let t_cues = t0.elapsed() - t_kb;
            let _ = khabar_annotate::entities::trained_models();
            let t_ner = t0.elapsed() - t_kb - t_cues;
            let a = Annotator::new();
            let init = t0.elapsed();
            println!("knowledge base {:.1} ms, cue lists {:.1} ms, NER models {:.1} ms", t_kb.as_secs_f64() * 1e3, t_cues.as_secs_f64() * 1e3, t_ner.as_secs_f64() * 1e3);
            let mut texts = Vec::new();
            for f in &args[2..] {
                for line in std::fs::read_to_string(f).unwrap().lines() {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                            texts.push(t.to_string());
                        }
                    }
                }
            }
            let bytes: usize = texts.iter().map(|t| t.len()).sum();
            let t1 = Instant::now();
            let mut mentions = 0usize;
            for t in &texts {
                mentions += a.annotate(&Input { text: t, lang_hint: None, publish_date: None }).mentions.len();
            }
            let secs = t1.elapsed().as_secs_f64();
            println!("Annotator::new(): {:.1} ms", init.as_secs_f64() * 1e3);
            // the entity stage alone, with and without the NER model, on prepared views
            let views: Vec<_> = texts.iter().map(|t| khabar_annotate::text::TextView::new(t, None)).collect();
            let full = khabar_annotate::entities::EntityStage::embedded();
            let no_model = khabar_annotate::entities::EntityStage { ner: None, ..full };
            for (name, st) in [("entities (knowledge base + patterns + coreference)", no_model), ("entities with the NER model", full)] {
                let t = Instant::now();
                let n: usize = views.iter().map(|v| st.run(v).0.len()).sum();
                let s = t.elapsed().as_secs_f64();
                println!("{name}: {n} mentions, {:.2} s, {:.2} MB/s", s, bytes as f64 / 1e6 / s);
            }
            println!("{} docs, {:.1} MB, {} mentions, {:.2} s, {:.2} MB/s", texts.len(), bytes as f64 / 1e6, mentions, secs, bytes as f64 / 1e6 / secs);
        }
        _ => eprintln!("usage: entity_dump probe [ar|fa] | tagger MODEL.bin ar|fa < texts.jsonl | seeds DIR OUT.json | bench FILE.jsonl..."),
    }
}
