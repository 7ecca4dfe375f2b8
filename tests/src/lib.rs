//! Helpers for the end-to-end tests: start a real server on a port-0 listener and connect
//! tonic clients to it.

use std::path::{Path, PathBuf};

use khabar_proto::v1::{
    document_service_client::DocumentServiceClient, entity_service_client::EntityServiceClient, event_service_client::EventServiceClient,
    IngestDocumentsRequest,
};
use tonic::transport::Channel;

/// The repository's seed documents.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds")
}

/// (file stem, text) of every seed, in name order.
pub fn seeds() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(seeds_dir()).expect("seeds/").map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    files.sort();
    files.iter().map(|p| (p.file_stem().unwrap().to_string_lossy().to_string(), std::fs::read_to_string(p).expect("utf-8 seed"))).collect()
}

/// A running server with its store directory and connected clients.
pub struct TestServer {
    pub server: khabar_server::Running,
    pub dir: tempfile::TempDir,
    pub channel: Channel,
}

impl TestServer {
    /// Starts a server on a fresh store (optionally with extra configuration) and waits until it
    /// reports SERVING.
    pub async fn start(configure: impl FnOnce(&mut khabar_server::Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        TestServer::start_in(dir, configure).await
    }

    /// Starts a server on the store in `dir`.
    pub async fn start_in(dir: tempfile::TempDir, configure: impl FnOnce(&mut khabar_server::Config)) -> TestServer {
        let mut cfg = khabar_server::Config::new(dir.path().join("db"));
        configure(&mut cfg);
        let server = khabar_server::Running::start(cfg).await.expect("server starts");
        let channel = tonic::transport::Endpoint::from_shared(server.url()).unwrap().connect().await.expect("connect");
        let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
        for _ in 0..600 {
            let r = health.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await;
            if r.is_ok_and(|r| r.into_inner().status() == tonic_health::pb::health_check_response::ServingStatus::Serving) {
                return TestServer { server, dir, channel };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("server never became SERVING");
    }

    pub fn documents(&self) -> DocumentServiceClient<Channel> {
        DocumentServiceClient::new(self.channel.clone()).max_decoding_message_size(64 << 20)
    }
    pub fn entities(&self) -> EntityServiceClient<Channel> {
        EntityServiceClient::new(self.channel.clone()).max_decoding_message_size(64 << 20)
    }
    pub fn events(&self) -> EventServiceClient<Channel> {
        EventServiceClient::new(self.channel.clone()).max_decoding_message_size(64 << 20)
    }

    /// Stops the server and returns its store directory.
    pub async fn stop(self) -> tempfile::TempDir {
        self.server.stop().await.expect("clean shutdown");
        self.dir
    }
}

/// An ingest request for a seed.
pub fn seed_request(id: &str, text: &str) -> IngestDocumentsRequest {
    IngestDocumentsRequest { id: id.to_string(), text: text.to_string(), ..Default::default() }
}

/// Path of a workspace binary built with the same profile as this test. The first call in a
/// test process runs `cargo build` for it (a no-op when it is up to date), so a stale binary from
/// an earlier build is never tested.
pub fn binary(name: &str) -> PathBuf {
    static BUILT: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let exe = std::env::current_exe().expect("current exe");
    let profile_dir = exe.parent().and_then(|d| d.parent()).expect("target/<profile>").to_path_buf();
    let path = profile_dir.join(name);
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if !built.iter().any(|b| b == name) {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "--quiet", "--bin", name]).current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let st = cmd.status().expect("cargo build");
        assert!(st.success(), "building {name} failed");
        built.push(name.to_string());
    }
    path
}

/// A free TCP port on 127.0.0.1 (bound and released: a small race, acceptable in tests).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Deterministic synthetic Arabic and Persian news articles as JSON Lines (for load and crash
/// tests that must not depend on ../shared).
pub fn synthetic_jsonl(n: usize, seed: u64) -> String {
    const AR: &[&str] = &[
        "أعلن", "الرئيس", "إلهام", "علييف", "في", "باكو", "اليوم", "أن", "أذربيجان", "ستواصل", "التعاون", "مع", "منظمة", "الأمن", "والتعاون",
        "أوروبا", "وقال", "وزير", "الخارجية", "خلال", "اجتماع", "عقد", "يونيو", "2024", "مليون", "دولار", "بنسبة", "20%", "قتل", "مدنيين",
        "أصيب", "آخرون", "قصف", "صاروخي", "على", "مدينة", "برده", "الأمم", "المتحدة", "مجلس", "القرار", "رقم", "853", "التقى", "السفير",
    ];
    const FA: &[&str] = &[
        "وزیر", "امور", "خارجه", "جمهوری", "آذربایجان", "در", "نشست", "سازمان", "ملل", "متحد", "گفت", "که", "ارمنستان", "قره", "باغ", "۲۹",
        "خرداد", "۱۳۸۵", "میلیون", "دلار", "درصد", "تهران", "دیدار", "کرد", "است", "این", "را", "با", "هزار", "نفر",
    ];
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = move || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) as usize
    };
    let mut out = String::new();
    for i in 0..n {
        let words = if i % 3 == 2 { FA } else { AR };
        let len = 80 + next() % 220;
        let mut text = String::new();
        for w in 0..len {
            text.push_str(words[next() % words.len()]);
            text.push(if w % 17 == 16 { '.' } else { ' ' });
            if w % 60 == 59 {
                text.push('\n');
            }
        }
        let line = format!("{{\"id\": \"gen-{seed}-{i:06}\", \"text\": {:?}}}\n", text.trim());
        out.push_str(&line);
    }
    out
}
