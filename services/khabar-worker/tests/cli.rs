//! The worker binary as a user runs it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn worker() -> Command {
    Command::new(env!("CARGO_BIN_EXE_khabar-worker"))
}

fn seeds() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds"))
}

#[test]
fn ingest_db_reports_bad_lines_goes_on_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let jsonl = dir.path().join("batch.jsonl");
    std::fs::write(&jsonl, "{\"id\": \"A-1\", \"text\": \"خبر من باكو\", \"source\": \"ترند\"}\nnot json\n{\"id\": 2}\n{\"id\": 3, \"text\": \"   \"}\n{\"id\": 4, \"text\": \"خبر رابع\", \"date\": \"2024-07-13\"}\n").unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"caf\xe9").unwrap();
    let out = worker().args(["ingest", "--db"]).arg(&db).arg(seeds()).arg(&jsonl).arg(&bad).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "any failure makes the exit status non-zero\n{stdout}\n{stderr}");
    assert!(stdout.contains("7 created, 0 unchanged, 0 updated, 4 failed"), "{stdout}");
    assert!(stderr.contains("batch.jsonl:2: not JSON"), "{stderr}");
    assert!(stderr.contains("batch.jsonl:3: missing field \"text\""), "{stderr}");
    assert!(stderr.contains("batch.jsonl:4: the text is empty"), "{stderr}");
    assert!(stderr.contains("latin1.txt: invalid UTF-8 at byte 3"), "{stderr}");

    let again = worker().args(["ingest", "--db"]).arg(&db).arg(seeds()).arg(&jsonl).output().unwrap();
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("0 created, 7 unchanged"), "{stdout}");

    let check = worker().args(["check", "--db"]).arg(&db).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{stdout}");
    assert!(stdout.contains("documents: 7;") && stdout.contains("missing or wrong 0, unexpected 0"), "{stdout}");

    let re = worker().args(["reindex", "--db"]).arg(&db).output().unwrap();
    assert!(String::from_utf8_lossy(&re.stdout).contains("reindexed 7 documents"));

    let stats = worker().args(["stats", "--json", "--db"]).arg(&db).output().unwrap();
    assert!(stats.status.success(), "{}", String::from_utf8_lossy(&stats.stderr));
    let s: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(s["documents"], 7);
    let table = |p: &str| s["tables"].as_array().unwrap().iter().find(|t| t["prefix"] == p).cloned().unwrap_or_default();
    assert_eq!(table("d/")["keys"], 7, "{s}");
    assert_eq!(table("b/")["keys"], 7, "{s}");
    assert!(s["size_on_disk"].as_u64().unwrap() > s["logical_bytes"].as_u64().unwrap(), "{s}");

    // a compacted copy checks clean and holds the same keys
    let copy = dir.path().join("copy");
    let out = worker().args(["compact", "--db"]).arg(&db).arg("--out").arg(&copy).output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("copied 7 documents"), "{}", String::from_utf8_lossy(&out.stderr));
    let check = worker().args(["check", "--db"]).arg(&copy).output().unwrap();
    assert!(check.status.success() && String::from_utf8_lossy(&check.stdout).contains("documents: 7;"), "{}", String::from_utf8_lossy(&check.stdout));
    let copied = worker().args(["stats", "--json", "--db"]).arg(&copy).output().unwrap();
    let c: serde_json::Value = serde_json::from_slice(&copied.stdout).unwrap();
    assert_eq!((&c["keys"], &c["logical_bytes"], &c["tables"]), (&s["keys"], &s["logical_bytes"], &s["tables"]));
    assert!(!worker().args(["compact", "--db"]).arg(&db).arg("--out").arg(&copy).output().unwrap().status.success(), "never over a store");
    assert!(!dir.path().join("copy.partial").exists(), "the copy is moved into place");
    // a maintenance command on a path with no store fails and creates nothing
    let missing = dir.path().join("missing");
    let out = worker().args(["stats", "--db"]).arg(&missing).output().unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("no store at"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!missing.exists());

    // the same JSON Lines under a prefix are new documents, not new versions
    let pre = worker().args(["ingest", "--id-prefix", "src2-", "--db"]).arg(&db).arg(&jsonl).output().unwrap();
    assert!(String::from_utf8_lossy(&pre.stdout).contains("2 created, 0 unchanged, 0 updated"), "{}", String::from_utf8_lossy(&pre.stdout));
    let store = khabar_store::Store::open(&db).unwrap();
    assert!(store.get_document("src2-a-1").unwrap().is_some());
    assert!(store.get_document("src2-4").unwrap().is_some());
}

#[test]
fn stdin_json_lines_and_a_locked_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    // a first worker reading stdin holds the store
    let mut first = worker().args(["ingest", "-", "--db"]).arg(&db).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = first.stdin.take().unwrap();
    stdin.write_all("{\"id\": \"s1\", \"text\": \"خبر\"}\n".as_bytes()).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let second = worker().args(["ingest", "--db"]).arg(&db).arg(seeds()).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success());
    assert!(stderr.contains("in use by another process"), "{stderr}");
    drop(stdin);
    let out = first.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 created"));
}

#[test]
fn refuses_missing_paths_and_needs_a_target() {
    let out = worker().args(["ingest", "/nonexistent/x.txt", "--db", "/tmp/never"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file or folder"));
    let out = worker().args(["ingest", "x.txt"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--server"));
}

#[test]
fn a_second_version_of_an_id_in_one_run_is_not_taken_for_unchanged() {
    // the store holds "a" v1; one run brings v2 then v1 again: the second must be written (the
    // store holds v2 by then), not acknowledged as unchanged against the store as it was
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let (first, second) = (dir.path().join("first.jsonl"), dir.path().join("second.jsonl"));
    std::fs::write(&first, "{\"id\": \"a\", \"text\": \"وصل الوزير إلى باكو\"}\n").unwrap();
    std::fs::write(&second, "{\"id\": \"a\", \"text\": \"وصل الوزير إلى أنقرة\"}\n{\"id\": \"a\", \"text\": \"وصل الوزير إلى باكو\"}\n").unwrap();
    let out = worker().args(["ingest", "--threads", "1", "--db"]).arg(&db).arg(&first).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 created"), "{}", String::from_utf8_lossy(&out.stdout));
    let out = worker().args(["ingest", "--threads", "1", "--db"]).arg(&db).arg(&second).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 created, 0 unchanged, 2 updated"), "{stdout}");
    let store = khabar_store::Store::open(&db).unwrap();
    assert_eq!(store.get_body("a").unwrap().unwrap().text, "وصل الوزير إلى باكو");
}

#[test]
fn a_store_created_compressed_stays_compressed_and_compacts_to_plain() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let stats = |db: &Path| -> serde_json::Value {
        let out = worker().args(["stats", "--json", "--db"]).arg(db).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let out = worker().args(["ingest", "--store-compression", "3", "--db"]).arg(&db).arg(seeds()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stats(&db)["compressed"], true);
    // a second run without the flag writes into the same compressed store
    let again = worker().args(["ingest", "--db"]).arg(&db).arg(seeds()).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 created, 5 unchanged"), "{}", String::from_utf8_lossy(&again.stdout));
    assert_eq!(stats(&db)["compressed"], true);
    let plain = dir.path().join("plain");
    let out = worker().args(["compact", "--store-compression", "0", "--db"]).arg(&db).arg("--out").arg(&plain).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (z, p) = (stats(&db), stats(&plain));
    assert_eq!(p["compressed"], false);
    assert_eq!(z["keys"], p["keys"]);
    let check = worker().args(["check", "--db"]).arg(&plain).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    // out-of-range levels are refused before anything is created
    let bad = worker().args(["ingest", "--store-compression", "30", "--db"]).arg(dir.path().join("bad")).arg(seeds()).output().unwrap();
    assert!(!bad.status.success() && !dir.path().join("bad").exists());
}
