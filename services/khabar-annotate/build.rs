//! Computes a fingerprint of everything that decides the annotations (the sources, the knowledge
//! base, the lexicons and the model files) so that ANNOTATOR_VERSION changes whenever any of it
//! does, and stored documents annotated by an older annotator are re-annotated on re-ingest.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if !p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let mut all = Vec::new();
    for d in ["src", "lexicon", "models"] {
        println!("cargo:rerun-if-changed={}", root.join(d).display());
        files(&root.join(d), &mut all);
    }
    let kb = root.join("kb/kb.jsonl");
    println!("cargo:rerun-if-changed={}", kb.display());
    all.push(kb);
    let mut h = Sha256::new();
    for p in &all {
        h.update(p.strip_prefix(&root).unwrap_or(p).to_string_lossy().as_bytes());
        h.update([0]);
        h.update(std::fs::read(p).unwrap_or_default());
        h.update([0]);
    }
    let digest = h.finalize();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=KHABAR_ANNOTATOR_FINGERPRINT={hex}");
}
