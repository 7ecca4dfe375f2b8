//! One criterion benchmark per annotation stage, on the committed seed documents (real Arabic
//! and Persian news), with throughput in bytes of UTF-8 text per second (one core). Each stage
//! runs on inputs prepared outside the measured loop, as the pipeline hands them over:
//!
//! - `lang_id`: document language from the tokens (`text::lang::detect`);
//! - `text`: code points, normalisation and tokens, sentences, zones (`TextView::new` with the
//!   language given, so no language identification but for zones in another language);
//! - `time_quantity`: dateline/title/source, time expressions and quantities;
//! - `entities_kb`: the entity stage without the learned tagger (knowledge-base matching and
//!   resolution, patterns, overlap policy, coreference);
//! - `ner`: the learned tagger alone;
//! - `events`: event extraction from the view and the other annotations;
//! - `annotate`: the whole pipeline (`Annotator::annotate`), for scale.
//!
//! Run: `cargo bench -p khabar-annotate --bench stages` (add `-- ner` for one stage).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use khabar_annotate::entities::EntityStage;
use khabar_annotate::ner::Models;
use khabar_annotate::text::{self, TextView};
use khabar_annotate::{events, quantity, time, Annotations, Annotator, Input, Lang, Span};

/// The seed documents (`seeds/*.txt` in the repository) with their detected language.
fn seeds() -> Vec<(String, Lang)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("seeds/ in the repository").flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).expect("a readable seed");
            let lang = TextView::new(&t, None).lang;
            (t, lang)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let seeds = seeds();
    let seeds: Vec<(&str, Lang)> = seeds.iter().map(|(t, l)| (t.as_str(), *l)).collect();
    let bytes: usize = seeds.iter().map(|(t, _)| t.len()).sum();
    let annotator = Annotator::new();
    let views: Vec<TextView> = seeds.iter().map(|(t, l)| TextView::new(t, Some(*l))).collect();
    let anns: Vec<Annotations> = seeds.iter().map(|(t, l)| annotator.annotate(&Input { text: t, lang_hint: Some(*l), publish_date: None })).collect();
    let kb_only = EntityStage { ner: None, ..EntityStage::embedded() };
    let models = Models::embedded();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("lang_id", |b| b.iter(|| views.iter().map(|v| text::lang::detect(black_box(&v.chars), &v.tokens) as usize).sum::<usize>()));
    g.bench_function("text", |b| b.iter(|| seeds.iter().map(|(t, l)| TextView::new(black_box(t), Some(*l)).tokens.len()).sum::<usize>()));
    g.bench_function("time_quantity", |b| {
        b.iter(|| {
            let mut n = 0;
            for v in &views {
                let md = text::metadata::extract(&v.chars, &v.tokens, &v.zones, v.dateline.as_ref());
                let times = time::find_times(black_box(&v.chars), &v.tokens, v.lang, None);
                let taken: Vec<Span> = times.iter().map(|t| t.span).collect();
                n += times.len() + quantity::find_quantities(&v.chars, &v.tokens, v.lang, &taken).len() + md.title.is_some() as usize;
            }
            n
        })
    });
    g.bench_function("entities_kb", |b| b.iter(|| views.iter().map(|v| kb_only.run(black_box(v)).0.len()).sum::<usize>()));
    g.bench_function("ner", |b| b.iter(|| views.iter().map(|v| models.tag(black_box(v)).len()).sum::<usize>()));
    g.bench_function("events", |b| b.iter(|| views.iter().zip(&anns).map(|(v, a)| events::extract(black_box(v), a, None).len()).sum::<usize>()));
    g.bench_function("annotate", |b| {
        b.iter(|| seeds.iter().map(|(t, _)| annotator.annotate(&Input { text: black_box(t), lang_hint: None, publish_date: None }).mentions.len()).sum::<usize>())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
