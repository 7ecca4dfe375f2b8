//! Tagging speed of the sequence labeller on the committed seed documents (four Arabic, one
//! Persian). Throughput is reported in tokens (of the text layer) per second on one core; the
//! text layer (TextView) is built outside the measured loop.
//!
//! Run: `cargo bench -p khabar-annotate --bench ner`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use khabar_annotate::ner::Models;
use khabar_annotate::text::TextView;
use khabar_annotate::Lang;

const SEEDS: [(&str, Lang); 5] = [
    (include_str!("../../../seeds/000_c90f51232120332e.txt"), Lang::Ar),
    (include_str!("../../../seeds/001_3169932901df644c.txt"), Lang::Ar),
    (include_str!("../../../seeds/002_113ac6fcba148375.txt"), Lang::Ar),
    (include_str!("../../../seeds/003_582982c64e34e579.txt"), Lang::Fa),
    (include_str!("../../../seeds/004_59fe5a5b44760efe.txt"), Lang::Ar),
];

fn bench(c: &mut Criterion) {
    let models = Models::embedded();
    let views: Vec<TextView> = SEEDS.iter().map(|(t, l)| TextView::new(t, Some(*l))).collect();
    let mut g = c.benchmark_group("ner");
    for lang in [Lang::Ar, Lang::Fa] {
        let vs: Vec<&TextView> = views.iter().filter(|v| v.lang == lang).collect();
        let tokens: usize = vs.iter().map(|v| v.tokens.len()).sum();
        g.throughput(Throughput::Elements(tokens as u64));
        g.bench_function(format!("tag_{}", lang.code()), |b| {
            b.iter(|| {
                let mut n = 0;
                for v in &vs {
                    n += models.tag(black_box(v)).len();
                }
                n
            })
        });
    }
    // the text layer plus tagging, for scale
    let all: usize = views.iter().map(|v| v.tokens.len()).sum();
    g.throughput(Throughput::Elements(all as u64));
    g.bench_function("textview_and_tag_all", |b| {
        b.iter(|| {
            let mut n = 0;
            for (t, l) in SEEDS {
                let v = TextView::new(black_box(t), Some(l));
                n += models.tag(&v).len();
            }
            n
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
