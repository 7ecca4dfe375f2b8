//! The khabar.v1 gRPC API: prost messages, tonic clients and servers, and the encoded
//! file descriptor set that the server registers for reflection.

/// Generated code for package `khabar.v1`.
pub mod v1 {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("khabar.v1");

    /// Encoded `FileDescriptorSet` of every khabar.v1 proto file (for server reflection).
    pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/khabar_v1_descriptor.bin"));
}

pub use v1::*;
