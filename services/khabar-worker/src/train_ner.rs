//! `khabar-worker train-ner`: trains the named-entity sequence labeller of `khabar_annotate::ner`
//! from CoNLL/TSV files, reports dev-set scores the way `shared/eval/conll_eval.py` computes them,
//! and writes the compact model file that the annotator compiles in.
//!
//! The shipped models were made with these commands, run from the repository root with the
//! corpora of `shared/ner-train` and the raw news of `shared/corpus` beside it (see their
//! PROVENANCE.md files); the corpora never enter the repository, the model files do:
//!
//! ```text
//! # Arabic: ANERcorp (first 90% of its sentences) + 18 AQMAR articles + Wojood sample train;
//! # dev = last 10% of ANERcorp + 3 AQMAR articles + Wojood sample val.
//! cargo run --release -p khabar-worker -- train-ner --lang ar \
//!   --train ../shared/ner-train/ar/anercorp_train.tsv@0:0.9 ../shared/ner-train/ar/aqmar \
//!           ../shared/ner-train/ar/wojood_sample_train.tsv \
//!   --dev ../shared/ner-train/ar/anercorp_train.tsv@0.9:1 \
//!         ../shared/ner-train/ar/aqmar/Enrico_Fermi.tsv ../shared/ner-train/ar/aqmar/Internet.tsv \
//!         ../shared/ner-train/ar/aqmar/Ummaya_Mosque.tsv ../shared/ner-train/ar/wojood_sample_val.tsv \
//!   --unlabeled ../shared/corpus/ar_saudinewsnet_20MB.jsonl \
//!   --propagate --final --epochs 10 --out services/khabar-annotate/models/ner-ar.bin
//!
//! # Persian: PEYMA train; dev = PEYMA dev.
//! cargo run --release -p khabar-worker -- train-ner --lang fa \
//!   --train ../shared/ner-train/fa/peyma_train.tsv --dev ../shared/ner-train/fa/peyma_dev.tsv \
//!   --unlabeled ../shared/corpus/fa_news_mix_20MB.jsonl \
//!   --propagate --final --epochs 10 --out services/khabar-annotate/models/ner-fa.bin
//! ```
//!
//! `FILE@A:B` takes the sentences from fraction A to fraction B of a file; a folder stands for
//! its files in name order, less those given to `--dev`. What a run does:
//! 1. word clusters from the unlabelled text plus the training sentences (never the dev ones);
//! 2. every corpus sentence joined with spaces and re-tokenised by the text layer, its BIO tags
//!    projected onto Khabar's tokens; a gazetteer of the training names, whose features are
//!    jackknifed over 5 folds;
//! 3. up to `--epochs` epochs of the averaged perceptron (sentence order from `--seed`), each
//!    scored on dev exactly as `shared/eval/conll_eval.py` scores the service; the best epoch
//!    is kept, its per-file dev scores printed, and the confidence temperature fitted on dev;
//!    the best epoch's model is also scored *through the entity stage* (knowledge base,
//!    patterns, overlap policy and coreference around it, as `AnalyzeText` returns mentions),
//!    and `KHABAR_NER_STAGE_DIFF=1` prints the chunks where the stage and the labeller alone
//!    disagree with the gold in opposite ways (`STAGE-FP`: the stage's wrong chunk, with the
//!    origin of its mention; `STAGE-LOST`: a chunk the labeller had right and the stage lost);
//! 4. with `--final`, training again on train + dev for the chosen number of epochs (the dev
//!    scores printed before are the honest ones); then the model file is written.
//!
//! Deterministic: the same files and options give the same model, byte for byte.
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use khabar_annotate::model::{EntityType, Lang};
use khabar_annotate::ner::cluster;
use khabar_annotate::ner::train::{self, Example, SplitMix64, TrainOptions, Trainer, TYPES, TYPES_MISC};
use khabar_annotate::entities::EntityStage;
use khabar_annotate::ner::{Clusters, Gazetteer, Lexicon, Model, Models, NerSpan, Tagger};
use khabar_annotate::text::TextView;

/// Options of `train-ner`.
#[derive(Debug, Clone, clap::Args)]
pub struct TrainNerArgs {
    /// Language of the corpora: ar or fa.
    #[arg(long)]
    pub lang: String,
    /// Training files or folders (CoNLL/TSV: token TAB tag, blank line between sentences);
    /// `FILE@A:B` keeps the sentences from fraction A to B.
    #[arg(long, required = true, num_args = 1..)]
    pub train: Vec<String>,
    /// Dev files or folders, same syntax; scored after every epoch, never trained on.
    #[arg(long, num_args = 1..)]
    pub dev: Vec<String>,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
    /// Maximum number of epochs.
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Seed of the sentence shuffling.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Ignore features seen fewer times than this.
    #[arg(long, default_value_t = 1)]
    pub min_count: u32,
    /// Drop features whose largest averaged weight is below this.
    #[arg(long, default_value_t = 0.0)]
    pub prune: f32,
    /// After choosing the epoch on dev, retrain on train + dev for that many epochs.
    #[arg(long)]
    pub r#final: bool,
    /// Gazetteer of the training names: number of folds for its jackknifed features (0 = none).
    #[arg(long, default_value_t = 5)]
    pub gazetteer_folds: usize,
    /// Keep a name in the gazetteer when at least this share of its occurrences are tagged.
    #[arg(long, default_value_t = 0.3)]
    pub gazetteer_ratio: f32,
    /// Also learn MISC (names of no kept type), which is never returned.
    #[arg(long)]
    pub misc: bool,
    /// Turn on label propagation (other occurrences of a found name in the same text).
    #[arg(long)]
    pub propagate: bool,
    /// Unlabelled text for the word clusters: JSON Lines with a "text" field (records whose
    /// "source" mentions PEYMA are skipped, as its raw text may hold test sentences) or plain text.
    #[arg(long, num_args = 1..)]
    pub unlabeled: Vec<PathBuf>,
    /// Most frequent words to cluster.
    #[arg(long, default_value_t = 80_000)]
    pub cluster_words: usize,
    /// Cluster only words seen at least this often.
    #[arg(long, default_value_t = 4)]
    pub cluster_min_count: u32,
    /// Dimension of the word vectors that are clustered.
    #[arg(long, default_value_t = 128)]
    pub cluster_dims: usize,
    /// Also write the dev sentences (as read) to this folder, for `conll_eval.py`.
    #[arg(long)]
    pub dump_dev: Option<PathBuf>,
}

/// One corpus sentence: (token, tag) pairs.
pub type Sentence = Vec<(String, String)>;

/// Reads a CoNLL file exactly as `conll_eval.py` does: LRM/RLM removed, "tok TAG", "tok<TAB>TAG"
/// or "tok|B_TAG" lines, sentences cut at 200 tokens.
pub fn read_conll(text: &str) -> Vec<Sentence> {
    let mut sents = Vec::new();
    let mut cur: Sentence = Vec::new();
    for line in text.split('\n') {
        let line = line.replace(['\u{200e}', '\u{200f}'], "");
        if line.trim().is_empty() {
            if !cur.is_empty() {
                sents.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let (tok, tag) = if line.contains('|') && !line.contains('\t') && !line.trim().contains(' ') {
            let (t, g) = line.rsplit_once('|').unwrap();
            (t.to_string(), g.replacen('_', "-", 1))
        } else {
            let parts: Vec<&str> = if line.contains('\t') { line.split('\t').collect() } else { line.split_whitespace().collect() };
            (parts[0].to_string(), parts[parts.len() - 1].to_string())
        };
        if tok.is_empty() {
            continue;
        }
        cur.push((tok, tag));
        if cur.len() >= 200 {
            sents.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        sents.push(cur);
    }
    sents
}

/// A file with an optional sentence range.
#[derive(Debug, Clone, PartialEq)]
struct Source {
    path: PathBuf,
    range: (f64, f64),
}

fn parse_source(s: &str) -> Result<Source> {
    if let Some((p, r)) = s.rsplit_once('@') {
        if let Some((a, b)) = r.split_once(':') {
            let (a, b): (f64, f64) = (a.parse().context("range start")?, b.parse().context("range end")?);
            if !(0.0..=1.0).contains(&a) || !(0.0..=1.0).contains(&b) || a >= b {
                bail!("bad sentence range in {s}");
            }
            return Ok(Source { path: PathBuf::from(p), range: (a, b) });
        }
    }
    Ok(Source { path: PathBuf::from(s), range: (0.0, 1.0) })
}

fn expand(args: &[String], exclude: &[Source]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for a in args {
        let src = parse_source(a)?;
        if src.path.is_dir() {
            let mut files: Vec<PathBuf> = fs::read_dir(&src.path)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
            files.sort();
            for f in files {
                let whole = exclude.iter().any(|d| same_file(&d.path, &f) && d.range == (0.0, 1.0));
                if !whole {
                    out.push(Source { path: f, range: src.range });
                }
            }
        } else {
            out.push(src);
        }
    }
    Ok(out)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn load(sources: &[Source]) -> Result<Vec<Sentence>> {
    let mut out = Vec::new();
    for s in sources {
        let text = fs::read_to_string(&s.path).with_context(|| format!("reading {}", s.path.display()))?;
        let sents = read_conll(&text);
        let n = sents.len();
        let (a, b) = ((s.range.0 * n as f64).round() as usize, (s.range.1 * n as f64).round() as usize);
        out.extend(sents.into_iter().skip(a).take(b - a));
    }
    Ok(out)
}

/// Counts of one entity type.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    /// (precision, recall, F1).
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.tp + self.fp > 0 { self.tp as f64 / (self.tp + self.fp) as f64 } else { 0.0 };
        let r = if self.tp + self.fn_ > 0 { self.tp as f64 / (self.tp + self.fn_) as f64 } else { 0.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// Dev scores: overall and per type (PER, ORG, LOC).
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub all: Counts,
    pub per_type: BTreeMap<&'static str, Counts>,
}

fn fold(t: EntityType) -> Option<&'static str> {
    match t {
        EntityType::Person => Some("PER"),
        EntityType::Org => Some("ORG"),
        EntityType::Loc | EntityType::Gpe | EntityType::Fac => Some("LOC"),
        _ => None,
    }
}

/// Scores `tagger` on `sents` exactly as `conll_eval.py` scores the service: sentences joined
/// with spaces, 40 to a text separated by line breaks, every mention mapped to the corpus tokens
/// it overlaps, conlleval chunks on PER/ORG/LOC.
pub fn evaluate(tagger: &Tagger, sents: &[Sentence], lang: Lang) -> Scores {
    evaluate_with(|v| tagger.tag(v), sents, lang)
}

/// [`evaluate`] with any tagging function.
pub fn evaluate_with(tag: impl Fn(&TextView) -> Vec<NerSpan>, sents: &[Sentence], lang: Lang) -> Scores {
    let show_errors = std::env::var_os("KHABAR_NER_ERRORS").is_some();
    let mut sc = Scores::default();
    for t in ["PER", "ORG", "LOC"] {
        sc.per_type.insert(t, Counts::default());
    }
    for batch in sents.chunks(40) {
        for (s, pred) in batch.iter().zip(predicted_chunks(&tag, batch, lang)) {
            let gold_tags: Vec<_> = s.iter().map(|(_, t)| eval_tag(t)).collect();
            let gold = train::chunks(&gold_tags);
            if show_errors && gold != pred {
                let toks: Vec<&str> = s.iter().map(|(t, _)| t.as_str()).collect();
                let show = |c: &[(&str, usize, usize)]| c.iter().map(|(t, a, b)| format!("{t}[{}]", toks[*a..*b].join(" "))).collect::<Vec<_>>().join(" ");
                eprintln!("--\n{}\n gold: {}\n pred: {}", toks.join(" "), show(&gold), show(&pred));
            }
            for c in &gold {
                let e = sc.per_type.entry(c.0).or_default();
                if pred.contains(c) {
                    e.tp += 1;
                    sc.all.tp += 1;
                } else {
                    e.fn_ += 1;
                    sc.all.fn_ += 1;
                }
            }
            for c in &pred {
                if !gold.contains(c) {
                    sc.per_type.entry(c.0).or_default().fp += 1;
                    sc.all.fp += 1;
                }
            }
        }
    }
    sc
}

/// The entity stage of the service (compiled knowledge base, cues, patterns, overlap policy,
/// coreference) with `tagger` as the labeller of `lang`, for scoring a model as `AnalyzeText`
/// would use it before it is compiled in.
pub fn entity_stage_with(lang: Lang, tagger: Tagger) -> EntityStage {
    let embedded = Models::embedded();
    let models = match lang {
        Lang::Fa => Models { ar: embedded.ar.clone(), fa: tagger },
        _ => Models { ar: tagger, fa: embedded.fa.clone() },
    };
    EntityStage { ner: Some(Box::leak(Box::new(models))), ..EntityStage::embedded() }
}

/// [`evaluate`] through a whole entity stage: the mentions `AnalyzeText` would return.
pub fn evaluate_stage(stage: &EntityStage, sents: &[Sentence], lang: Lang) -> Scores {
    evaluate_with(
        |v| stage_spans(stage, v).0,
        sents,
        lang,
    )
}

/// The mentions the entity stage finds in `view`, as spans, with each one's origin.
fn stage_spans(stage: &EntityStage, view: &TextView) -> (Vec<NerSpan>, Vec<khabar_annotate::model::Origin>) {
    stage.run(view).0.into_iter().map(|m| (NerSpan { span: m.span, tokens: 0..0, etype: m.etype, confidence: m.confidence }, m.origin)).unzip()
}

/// The chunks `tag` finds in each sentence of `batch`, sent as `conll_eval.py` sends them:
/// sentences joined with spaces, one per line, in one text; every mention mapped to the corpus
/// tokens it overlaps (a mention overlapping one already placed is dropped).
fn predicted_chunks(tag: &impl Fn(&TextView) -> Vec<NerSpan>, batch: &[Sentence], lang: Lang) -> Vec<Vec<(&'static str, usize, usize)>> {
    let mut text: Vec<char> = Vec::new();
    let mut tok_spans: Vec<Vec<(usize, usize)>> = Vec::new();
    for s in batch {
        let mut spans = Vec::new();
        for (tok, _) in s {
            let start = text.len();
            text.extend(tok.chars());
            spans.push((start, text.len()));
            text.push(' ');
        }
        text.pop();
        text.push('\n');
        tok_spans.push(spans);
    }
    let text: String = text.into_iter().collect();
    let view = TextView::new(&text, Some(lang));
    let mut mentions: Vec<(&str, usize, usize)> = tag(&view).into_iter().filter_map(|m| fold(m.etype).map(|t| (t, m.span.start as usize, m.span.end as usize))).collect();
    mentions.sort_by_key(|m| m.1);
    batch
        .iter()
        .zip(&tok_spans)
        .map(|(s, spans)| {
            let mut pred_tags: Vec<(char, Option<&'static str>)> = vec![('O', None); s.len()];
            for &(t, ms, me) in &mentions {
                let idx: Vec<usize> = spans.iter().enumerate().filter(|(_, (ts, te))| *ts < me && ms < *te).map(|(i, _)| i).collect();
                if idx.is_empty() || idx.iter().any(|&i| pred_tags[i].0 != 'O') {
                    continue;
                }
                let t = train::corpus_type(t);
                for (k, &i) in idx.iter().enumerate() {
                    pred_tags[i] = (if k == 0 { 'B' } else { 'I' }, t);
                }
            }
            train::chunks(&pred_tags)
        })
        .collect()
}

/// A corpus tag folded like `conll_eval.py` (PER/ORG/LOC, GPE and FAC as LOC, others O).
fn eval_tag(tag: &str) -> (char, Option<&'static str>) {
    if tag == "O" || !tag.contains('-') {
        return ('O', None);
    }
    let (b, t) = tag.split_once('-').unwrap();
    let t = match t.to_ascii_uppercase().as_str() {
        "PER" | "PERS" | "PERSON" => Some("PER"),
        "ORG" | "ORGANIZATION" => Some("ORG"),
        "LOC" | "GPE" | "FAC" | "LOCATION" => Some("LOC"),
        _ => None,
    };
    match (b, t) {
        ("B", Some(t)) => ('B', Some(t)),
        ("I", Some(t)) => ('I', Some(t)),
        _ => ('O', None),
    }
}

fn report(sc: &Scores) -> String {
    let (p, r, f) = sc.all.prf();
    let mut s = format!("P {:.4} R {:.4} F1 {:.4}", p, r, f);
    for (t, c) in &sc.per_type {
        let (p, r, f) = c.prf();
        s.push_str(&format!(" | {t} {:.4}/{:.4}/{:.4}", p, r, f));
    }
    s
}

/// Features of every sentence of `sents`, with labels projected onto Khabar's tokens, and the
/// gazetteer of their names. With `folds` > 1 the gazetteer features of each sentence come from
/// the names of the other folds (contiguous blocks of sentences), so that the model learns how
/// far to trust a name it has seen elsewhere, not one it is being taught right now; `folds` = 0
/// turns the gazetteer off.
pub fn examples(sents: &[Sentence], lang: Lang, types: &[&str], lex: &Lexicon, clusters: &Clusters, folds: usize, min_ratio: f32) -> (Vec<Example>, Gazetteer) {
    use std::collections::HashMap;
    struct Unit {
        sent: usize,
        proj: usize,
        range: std::ops::Range<usize>,
        labels: Vec<u8>,
        names: Vec<(u64, usize)>,
    }
    let mut projected = Vec::with_capacity(sents.len());
    let mut units = Vec::new();
    let mut occurrences: HashMap<u64, u32> = HashMap::new();
    for (si, s) in sents.iter().enumerate() {
        let toks: Vec<&str> = s.iter().map(|(t, _)| t.as_str()).collect();
        let tags: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
        let p = train::project(&toks, &tags, lang, types);
        for (r, labels) in &p.sentences {
            let mut names = Vec::new();
            if folds > 0 {
                let keys = train::ngram_keys(&p.view, r.clone(), lang);
                for &(_, _, k) in &keys {
                    *occurrences.entry(k).or_insert(0) += 1;
                }
                names = train::sentence_names(&keys, labels);
            }
            units.push(Unit { sent: si, proj: projected.len(), range: r.clone(), labels: labels.clone(), names });
        }
        projected.push(p);
    }
    let full = if folds > 0 { train::gazetteer(units.iter().flat_map(|u| u.names.iter()), &occurrences, min_ratio) } else { Gazetteer::default() };
    let n = sents.len().max(1);
    let fold_of = |u: &Unit| if folds > 1 { u.sent * folds / n } else { 0 };
    let per_fold: Vec<Gazetteer> = if folds > 1 {
        (0..folds).map(|f| train::gazetteer(units.iter().filter(|u| fold_of(u) != f).flat_map(|u| u.names.iter()), &occurrences, min_ratio)).collect()
    } else {
        vec![full.clone()]
    };
    let out = units
        .iter()
        .map(|u| train::example(&projected[u.proj].view, u.range.clone(), u.labels.clone(), lex, clusters, &per_fold[fold_of(u)], &[]))
        .collect();
    (out, full)
}

/// Normalised words of every sentence of a view.
fn norm_words(view: &TextView) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut last = u32::MAX;
    for t in &view.tokens {
        if t.sentence != last {
            out.push(Vec::new());
            last = t.sentence;
        }
        out.last_mut().unwrap().push(t.norm.clone());
    }
    out
}

/// Sentences of normalised words from unlabelled files.
fn unlabeled_sentences(paths: &[PathBuf], lang: Lang) -> Result<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for p in paths {
        let text = fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        let jsonl = p.extension().is_some_and(|e| e == "jsonl");
        for line in text.lines() {
            let body = if jsonl {
                let v: serde_json::Value = serde_json::from_str(line).with_context(|| format!("JSON in {}", p.display()))?;
                if v.get("source").and_then(|s| s.as_str()).is_some_and(|s| s.to_ascii_lowercase().contains("peyma")) {
                    continue;
                }
                let title = v.get("title").and_then(|s| s.as_str()).unwrap_or("");
                format!("{title}\n{}", v.get("text").and_then(|s| s.as_str()).unwrap_or(""))
            } else {
                line.to_string()
            };
            out.extend(norm_words(&TextView::new(&body, Some(lang))));
        }
    }
    Ok(out)
}

/// Mean negative log-likelihood of the gold labels under the model's marginals at `temp`.
fn label_nll(tagger: &Tagger, sents: &[Sentence], lang: Lang, types: &[&str], temp: f32) -> f64 {
    let (mut nll, mut n) = (0f64, 0usize);
    let l = tagger.model().n_labels();
    for s in sents {
        let toks: Vec<&str> = s.iter().map(|(t, _)| t.as_str()).collect();
        let tags: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
        let p = train::project(&toks, &tags, lang, types);
        for (r, labels) in p.sentences {
            let m = tagger.marginals(&p.view, r, temp);
            for (i, &y) in labels.iter().enumerate() {
                nll -= (m[i * l + y as usize].max(1e-6) as f64).ln();
                n += 1;
            }
        }
    }
    nll / n.max(1) as f64
}

/// Runs `train-ner`.
pub fn run(args: &TrainNerArgs) -> Result<()> {
    let lang = match Lang::from_code(&args.lang) {
        Some(l @ (Lang::Ar | Lang::Fa)) => l,
        _ => bail!("--lang must be ar or fa"),
    };
    let t0 = Instant::now();
    let dev_src = expand(&args.dev, &[])?;
    let train_src = expand(&args.train, &dev_src)?;
    let train_sents = load(&train_src)?;
    let dev_sents = load(&dev_src)?;
    let dev_parts: Vec<(String, Vec<Sentence>)> = dev_src
        .iter()
        .map(|s| Ok((format!("{}@{}:{}", s.path.file_name().unwrap_or_default().to_string_lossy(), s.range.0, s.range.1), load(std::slice::from_ref(s))?)))
        .collect::<Result<_>>()?;
    eprintln!(
        "train: {} files, {} sentences, {} tokens; dev: {} files, {} sentences, {} tokens",
        train_src.len(),
        train_sents.len(),
        train_sents.iter().map(|s| s.len()).sum::<usize>(),
        dev_src.len(),
        dev_sents.len(),
        dev_sents.iter().map(|s| s.len()).sum::<usize>()
    );
    if let Some(dir) = &args.dump_dev {
        fs::create_dir_all(dir)?;
        let mut out = String::new();
        for s in &dev_sents {
            for (t, g) in s {
                out.push_str(&format!("{t}\t{g}\n"));
            }
            out.push('\n');
        }
        let p = dir.join(format!("dev-{}.tsv", lang.code()));
        fs::write(&p, out)?;
        eprintln!("dev sentences written to {}", p.display());
    }
    if std::env::var_os("KHABAR_NER_ORACLE").is_some() {
        eprintln!("projection oracle on dev: {}", report(&oracle(&dev_sents, lang)));
    }
    let lex = Lexicon::builtin(lang);
    let clusters = if args.unlabeled.is_empty() {
        Clusters::default()
    } else {
        let tc = Instant::now();
        let mut sents = unlabeled_sentences(&args.unlabeled, lang)?;
        let n_unl = sents.len();
        // the training sentences' words too (never the dev ones)
        for s in &train_sents {
            let text: String = s.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(" ");
            sents.push(norm_words(&TextView::new(&text, Some(lang))).into_iter().flatten().collect());
        }
        let opts = cluster::ClusterOptions { max_words: args.cluster_words, min_count: args.cluster_min_count, dims: args.cluster_dims, seed: args.seed, ..cluster::ClusterOptions::default() };
        let c = cluster::learn(&sents, &opts);
        eprintln!(
            "clusters: {} words from {} unlabelled + {} training sentences, {} tokens ({:.1}s)",
            c.map.len(),
            n_unl,
            train_sents.len(),
            sents.iter().map(|s| s.len()).sum::<usize>(),
            tc.elapsed().as_secs_f64()
        );
        c
    };
    let opts = TrainOptions { min_count: args.min_count };
    let types: &[&str] = if args.misc { &TYPES_MISC } else { &TYPES };
    let (train_examples, gaz) = examples(&train_sents, lang, types, &lex, &clusters, args.gazetteer_folds, args.gazetteer_ratio);
    eprintln!("gazetteer: {} names", gaz.map.len());
    let mut trainer = Trainer::new(lang, types, train_examples, clusters.clone(), gaz, &opts);
    eprintln!("{} training sentences after re-tokenisation, {} features ({:.1}s)", trainer.n_examples(), trainer.n_features(), t0.elapsed().as_secs_f64());
    let mut rng = SplitMix64(args.seed);
    let mut best: Option<(f64, usize, Model, Scores)> = None;
    for epoch in 1..=args.epochs {
        let te = Instant::now();
        let st = trainer.epoch(&mut rng);
        let model = trainer.model(args.prune);
        if dev_sents.is_empty() {
            eprintln!("epoch {epoch}: {} token errors ({:.1}s)", st.token_errors, te.elapsed().as_secs_f64());
            best = Some((0.0, epoch, model, Scores::default()));
            continue;
        }
        let mut tagger = Tagger::new(model);
        tagger.propagate = args.propagate;
        let sc = evaluate(&tagger, &dev_sents, lang);
        let f = sc.all.prf().2;
        eprintln!("epoch {epoch}: train token errors {} | dev {} ({:.1}s)", st.token_errors, report(&sc), te.elapsed().as_secs_f64());
        if best.as_ref().is_none_or(|b| f > b.0) {
            best = Some((f, epoch, tagger.model().clone(), sc));
        }
    }
    let Some((f, epoch, mut model, sc)) = best else { bail!("no epochs") };
    model.propagate = args.propagate;
    if !dev_sents.is_empty() {
        eprintln!("best epoch {epoch}: dev {}", report(&sc));
        let _ = f;
        if dev_parts.len() > 1 {
            let tagger = Tagger::new(model.clone());
            for (name, part) in &dev_parts {
                eprintln!("  {name}: {}", report(&evaluate(&tagger, part, lang)));
            }
        }
    }
    if !dev_sents.is_empty() {
        // confidence calibration: the temperature that best predicts the dev labels (on the
        // model chosen on dev, before any retraining on train + dev)
        let tagger = Tagger::new(model.clone());
        let mut bt = (f64::INFINITY, 1.0f32);
        for t in [0.5f32, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0] {
            let nll = label_nll(&tagger, &dev_sents, lang, types, t);
            if nll < bt.0 {
                bt = (nll, t);
            }
        }
        eprintln!("confidence temperature {} (dev label NLL {:.4})", bt.1, bt.0);
        model.set_temperature(bt.1);
        // the model as the service would use it: inside the entity stage, at that temperature
        let stage = entity_stage_with(lang, Tagger::new(model.clone()));
        eprintln!("through the entity stage: dev {}", report(&evaluate_stage(&stage, &dev_sents, lang)));
        if std::env::var_os("KHABAR_NER_STAGE_DIFF").is_some() {
            for l in stage_diff(&stage, &Tagger::new(model.clone()), &dev_sents, lang) {
                println!("{l}");
            }
        }
    }
    if args.r#final && !dev_sents.is_empty() {
        let mut all = train_sents.clone();
        all.extend(dev_sents.iter().cloned());
        let (ex, gaz) = examples(&all, lang, types, &lex, &clusters, args.gazetteer_folds, args.gazetteer_ratio);
        let mut t = Trainer::new(lang, types, ex, clusters.clone(), gaz, &opts);
        let mut rng = SplitMix64(args.seed);
        for _ in 0..epoch {
            t.epoch(&mut rng);
        }
        let temp = model.temperature();
        model = t.model(args.prune);
        model.set_temperature(temp);
        model.propagate = args.propagate;
        eprintln!("retrained on train + dev for {epoch} epochs");
    }
    let bytes = model.to_bytes();
    if let Some(dir) = args.out.parent() {
        if !dir.as_os_str().is_empty() {
            fs::create_dir_all(dir)?;
        }
    }
    fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} bytes, {} features), training took {:.1}s",
        args.out.display(),
        bytes.len(),
        model.n_features(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_conll_like_the_evaluation() {
        let s = read_conll("a\tB-PER\nb\u{200f}\tI-PER\n\nc O\nd|B_LOC\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0][1], ("b".to_string(), "I-PER".to_string()));
        assert_eq!(s[1][1], ("d".to_string(), "B-LOC".to_string()));
        let long: String = (0..450).map(|i| format!("w{i}\tO\n")).collect();
        assert_eq!(read_conll(&long).iter().map(|s| s.len()).collect::<Vec<_>>(), [200, 200, 50]);
    }

    #[test]
    fn sources_with_ranges() {
        assert_eq!(parse_source("x.tsv@0.9:1").unwrap(), Source { path: "x.tsv".into(), range: (0.9, 1.0) });
        assert_eq!(parse_source("x.tsv").unwrap().range, (0.0, 1.0));
        assert!(parse_source("x.tsv@0.5:0.2").is_err());
    }
}

/// The projection oracle: dev scores when the gold labels projected onto Khabar's tokens are
/// returned as mentions (what the re-tokenisation alone loses). `KHABAR_NER_ORACLE=1` prints it.
pub fn oracle(sents: &[Sentence], lang: Lang) -> Scores {
    use std::collections::HashMap;
    let mut by_text: HashMap<String, Vec<NerSpan>> = HashMap::new();
    for batch in sents.chunks(40) {
        let text: String = batch.iter().map(|s| s.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(" ") + "\n").collect();
        let mut spans = Vec::new();
        let mut offset = 0u32;
        for s in batch {
            let toks: Vec<&str> = s.iter().map(|(t, _)| t.as_str()).collect();
            let tags: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
            let p = train::project(&toks, &tags, lang, &TYPES);
            for (r, labels) in &p.sentences {
                let mut i = 0;
                while i < labels.len() {
                    if labels[i] % 2 == 1 {
                        let mut j = i + 1;
                        while j < labels.len() && labels[j] == labels[i] + 1 {
                            j += 1;
                        }
                        let (a, b) = (&p.view.tokens[r.start + i], &p.view.tokens[r.start + j - 1]);
                        let etype = EntityType::parse(TYPES[(labels[i] as usize - 1) / 2]).unwrap();
                        spans.push(NerSpan {
                            span: khabar_annotate::model::Span { start: a.span.start + offset, end: b.span.end + offset },
                            tokens: 0..0,
                            etype,
                            confidence: 1.0,
                        });
                        i = j;
                    } else {
                        i += 1;
                    }
                }
            }
            offset += toks.iter().map(|t| t.chars().count() as u32 + 1).sum::<u32>();
        }
        by_text.insert(text, spans);
    }
    evaluate_with(|v| by_text.get(&v.chars.iter().collect::<String>()).cloned().unwrap_or_default(), sents, lang)
}

/// Chunks the stage gets wrong where the tagger alone is right, and the reverse: one line per
/// chunk, `STAGE-FP` (the stage's chunk, the origin and type of its mention, the gold chunk it
/// overlaps) or `STAGE-LOST` (the gold chunk, the stage's chunk over it).
pub fn stage_diff(stage: &EntityStage, tagger: &Tagger, sents: &[Sentence], lang: Lang) -> Vec<String> {
    let origins = std::cell::RefCell::new(Vec::new());
    let by_stage = |v: &TextView| {
        let (spans, origin) = stage_spans(stage, v);
        origins.borrow_mut().extend(spans.iter().zip(origin).map(|(m, o)| (v.text_of(m.span), format!("{o:?}/{:?}", m.etype))));
        spans
    };
    let by_tagger = |v: &TextView| tagger.tag(v);
    let mut out = Vec::new();
    for batch in sents.chunks(40) {
        origins.borrow_mut().clear();
        let st = predicted_chunks(&by_stage, batch, lang);
        let tg = predicted_chunks(&by_tagger, batch, lang);
        for ((s, st), tg) in batch.iter().zip(st).zip(tg) {
            let toks: Vec<&str> = s.iter().map(|(t, _)| t.as_str()).collect();
            let gold = train::chunks(&s.iter().map(|(_, t)| eval_tag(t)).collect::<Vec<_>>());
            let show = |c: &(&str, usize, usize)| format!("{}[{}]", c.0, toks[c.1..c.2].join(" "));
            let over = |cs: &[(&'static str, usize, usize)], c: &(&str, usize, usize)| cs.iter().find(|o| o.1 < c.2 && c.1 < o.2).map(show).unwrap_or_else(|| "-".into());
            for c in st.iter().filter(|c| !gold.contains(c) && !tg.contains(c)) {
                let txt = toks[c.1..c.2].join(" ");
                let origin = origins.borrow().iter().find(|(m, _)| txt.contains(m.as_str()) || m.contains(&txt)).map(|o| o.1.clone()).unwrap_or_default();
                out.push(format!("STAGE-FP\t{}\t{origin}\tgold {}", show(c), over(&gold, c)));
            }
            for c in gold.iter().filter(|c| tg.contains(c) && !st.contains(c)) {
                out.push(format!("STAGE-LOST\t{}\tstage {}", show(c), over(&st, c)));
            }
        }
    }
    out
}
