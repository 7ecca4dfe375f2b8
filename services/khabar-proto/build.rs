//! Compiles `proto/khabar/v1/*.proto` with protox (pure Rust, no protoc needed) and generates
//! prost messages and tonic clients/servers, plus the encoded file descriptor set for reflection.
use std::path::PathBuf;

use prost::Message;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../proto");
    let files = ["khabar/v1/common.proto", "khabar/v1/document.proto", "khabar/v1/entity.proto", "khabar/v1/event.proto"];
    // tonic-prost-build 0.14 emits no rerun-if-changed when given a descriptor set: do it here.
    println!("cargo:rerun-if-changed={}", proto_root.display());
    for f in files {
        println!("cargo:rerun-if-changed={}", proto_root.join(f).display());
    }
    let fds = protox::compile(files, [&proto_root])?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("khabar_v1_descriptor.bin"), fds.encode_to_vec())?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;
    Ok(())
}
