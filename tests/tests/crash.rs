//! Crash safety: SIGKILL the worker and the server in the middle of an ingest, restart, re-run,
//! and check that every acknowledged document is there, nothing is duplicated and every index
//! agrees with the documents.
//!
//! The default run uses generated articles. `.ci/run` repeats it on real news when ../shared
//! exists: KHABAR_CRASH_INPUT=file.jsonl[:file2.jsonl] with `--ignored` (KHABAR_CRASH_SAMPLE=N
//! takes the first N lines of each file).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use khabar_tests::{binary, free_port, synthetic_jsonl};

fn acked(path: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split('\t').next().map(|n| n.trim_start_matches("documents/").to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

fn wait_for_acks(path: &Path, n: usize, child: &mut Child, what: &str) {
    let start = Instant::now();
    while acked(path).len() < n {
        if let Ok(Some(st)) = child.try_wait() {
            panic!("{what} exited ({st}) before {n} acknowledgements");
        }
        assert!(start.elapsed() < Duration::from_secs(600), "{what}: no {n} acknowledgements in 600s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Ids of every JSON line of the inputs (the documents the run must end with).
fn input_ids(inputs: &[PathBuf]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for p in inputs {
        for line in std::fs::read_to_string(p).unwrap().lines() {
            if let Ok(raw) = khabar_worker::source::parse_json_line(line)
                && let Ok(doc) = khabar_worker::pipeline::prepare(raw, khabar_worker::pipeline::DEFAULT_MAX_DOCUMENT_BYTES)
            {
                ids.insert(doc.id);
            }
        }
    }
    ids
}

/// Opens the store after the run and checks it against what was acknowledged and what was input.
fn verify(db: &Path, acked: &BTreeSet<String>, all: Option<&BTreeSet<String>>) {
    let store = khabar_store::Store::open(db).unwrap();
    for id in acked {
        assert!(store.get_document(id).unwrap().is_some(), "acknowledged document {id} is missing after the crash");
        assert!(store.get_body(id).unwrap().is_some(), "acknowledged document {id} has no body");
    }
    let report = store.check(false).unwrap();
    assert!(report.is_clean(), "indexes disagree with documents after the crash: {report:?}");
    if let Some(all) = all {
        assert_eq!(store.document_count().unwrap() as usize, all.len(), "documents duplicated or lost");
        let mut seen = BTreeSet::new();
        let mut after: Option<Vec<u8>> = None;
        loop {
            let p = store.list_documents(&Default::default(), after.as_deref(), 1000).unwrap();
            for m in p.items {
                assert!(seen.insert(m.id.clone()), "document {} listed twice", m.id);
            }
            match p.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(&seen, all);
    }
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    match std::env::var("KHABAR_CRASH_INPUT") {
        Ok(list) => list
            .split(':')
            .filter(|s| !s.is_empty())
            .enumerate()
            .map(|(i, src)| {
                // Real corpora number their articles from 0 in every file: give each file's ids
                // its own prefix (as `khabar-worker ingest --id-prefix` would) so they stay apart.
                let dst = dir.join(format!("input-{i}.jsonl"));
                let raw = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("reading {src}: {e}"));
                let mut out = String::with_capacity(raw.len() + raw.len() / 50);
                let sample = std::env::var("KHABAR_CRASH_SAMPLE").ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
                for line in raw.lines().take(sample) {
                    match serde_json::from_str::<serde_json::Value>(line) {
                        Ok(serde_json::Value::Object(mut o)) => {
                            if let Some(id) = o.get("id").map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)) {
                                o.insert("id".into(), serde_json::Value::String(format!("f{i}-{id}")));
                            }
                            out.push_str(&serde_json::Value::Object(o).to_string());
                        }
                        _ => out.push_str(line), // kept as is: the worker reports it
                    }
                    out.push('\n');
                }
                std::fs::write(&dst, out).unwrap();
                dst
            })
            .collect(),
        Err(_) => {
            let p = dir.join("generated.jsonl");
            std::fs::write(&p, synthetic_jsonl(600, 7)).unwrap();
            vec![p]
        }
    }
}

fn kill_worker_mid_ingest_then_resume(threshold: usize) {
    let dir = tempfile::tempdir().unwrap();
    let files = inputs(dir.path());
    let all = input_ids(&files);
    let (db, ack) = (dir.path().join("db"), dir.path().join("acks"));
    let mut w = Command::new(binary("khabar-worker"))
        .args(["ingest", "--flush-every", "25", "--db"])
        .arg(&db)
        .arg("--ack-file")
        .arg(&ack)
        .args(&files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_acks(&ack, threshold, &mut w, "worker");
    w.kill().unwrap(); // SIGKILL
    w.wait().unwrap();
    let before = acked(&ack);
    assert!(before.len() < all.len(), "the worker finished before it was killed; raise the input size");
    verify(&db, &before, None);
    // re-run to completion: idempotent, nothing duplicated
    let out = Command::new(binary("khabar-worker")).args(["ingest", "--db"]).arg(&db).arg("--ack-file").arg(&ack).args(&files).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    verify(&db, &acked(&ack), Some(&all));
}

fn kill_server_mid_ingest_then_resume(threshold: usize) {
    let dir = tempfile::tempdir().unwrap();
    let files = inputs(dir.path());
    let all = input_ids(&files);
    let (db, ack) = (dir.path().join("db"), dir.path().join("acks"));
    let log = dir.path().join("server.log");
    let start_server = |port: u16| -> Child {
        let server_bin = binary("khabar-server");
        let mut s = Command::new(&server_bin)
            .arg("--db")
            .arg(&db)
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let t = Instant::now();
        while !Command::new(&server_bin).args(["healthcheck", "--addr", &format!("127.0.0.1:{port}")]).output().unwrap().status.success() {
            if let Ok(Some(st)) = s.try_wait() {
                panic!("server exited ({st}): {}", std::fs::read_to_string(&log).unwrap_or_default());
            }
            assert!(t.elapsed() < Duration::from_secs(120), "server did not become healthy: {}", std::fs::read_to_string(&log).unwrap_or_default());
            std::thread::sleep(Duration::from_millis(100));
        }
        s
    };
    let port = free_port();
    let mut server = start_server(port);
    let mut w = Command::new(binary("khabar-worker"))
        .args(["ingest", "--batch", "10", "--server", &format!("http://127.0.0.1:{port}")])
        .arg("--ack-file")
        .arg(&ack)
        .args(&files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_acks(&ack, threshold, &mut w, "worker");
    server.kill().unwrap(); // SIGKILL the server mid-stream
    server.wait().unwrap();
    let _ = w.kill();
    w.wait().unwrap();
    let before = acked(&ack);
    assert!(before.len() < all.len());
    verify(&db, &before, None);
    // restart, resume through the server, stop it gracefully
    let port = free_port();
    let mut server = start_server(port);
    let out = Command::new(binary("khabar-worker"))
        .args(["ingest", "--server", &format!("http://127.0.0.1:{port}")])
        .arg("--ack-file")
        .arg(&ack)
        .args(&files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    unsafe_sigterm(&server);
    let st = server.wait().unwrap();
    assert!(st.success(), "server exit after SIGTERM: {st}");
    verify(&db, &acked(&ack), Some(&all));
}

fn unsafe_sigterm(child: &Child) {
    let st = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(st.success());
}

#[test]
fn worker_killed_mid_ingest_loses_nothing_acknowledged() {
    kill_worker_mid_ingest_then_resume(60);
}

#[test]
fn server_killed_mid_ingest_loses_nothing_acknowledged() {
    kill_server_mid_ingest_then_resume(40);
}

/// The same on real news (set KHABAR_CRASH_INPUT; run with --ignored).
#[test]
#[ignore]
fn real_corpus_worker_and_server_kills() {
    assert!(std::env::var("KHABAR_CRASH_INPUT").is_ok(), "set KHABAR_CRASH_INPUT=a.jsonl[:b.jsonl]");
    kill_worker_mid_ingest_then_resume(1000);
    kill_server_mid_ingest_then_resume(500);
}
