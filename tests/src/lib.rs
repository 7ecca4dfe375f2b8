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
