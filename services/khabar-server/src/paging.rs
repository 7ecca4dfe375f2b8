//! Page sizes and opaque page tokens (AIP-158).
//!
//! A token carries the store cursor (the last index key examined), a fingerprint of the query it
//! belongs to and a MAC keyed with a per-store secret, so that forged tokens and tokens reused
//! with a different filter are refused with INVALID_ARGUMENT.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// Default page size.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// Largest page size; larger requests are capped.
pub const MAX_PAGE_SIZE: usize = 1000;

/// Checks and defaults a page size: 0 → `default`, above the maximum → the maximum, negative → error.
pub fn page_size(requested: i32, default: usize) -> ApiResult<usize> {
    if requested < 0 {
        return Err(ApiError::invalid("page_size", "must not be negative"));
    }
    Ok(if requested == 0 { default } else { (requested as usize).min(MAX_PAGE_SIZE) })
}

/// Issues and verifies page tokens.
#[derive(Clone)]
pub struct Tokens {
    secret: [u8; 32],
}

const VERSION: u8 = 1;
const FP: usize = 12;
const MAC: usize = 16;

impl Tokens {
    pub fn new(secret: [u8; 32]) -> Tokens {
        Tokens { secret }
    }

    fn fingerprint(query: &str) -> [u8; FP] {
        let d = Sha256::digest(query.as_bytes());
        d[..FP].try_into().expect("slice of 12")
    }

    fn mac(&self, payload: &[u8]) -> [u8; MAC] {
        // HMAC-SHA256 (RFC 2104) with the store secret, truncated.
        let mut k = [0u8; 64];
        k[..32].copy_from_slice(&self.secret);
        let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
        let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
        let inner = Sha256::new().chain_update(&ipad).chain_update(payload).finalize();
        let outer = Sha256::new().chain_update(&opad).chain_update(inner).finalize();
        outer[..MAC].try_into().expect("slice of 16")
    }

    /// A token continuing `query` (a canonical description of the RPC and its filter) after `cursor`.
    pub fn issue(&self, query: &str, cursor: &[u8]) -> String {
        let mut payload = Vec::with_capacity(1 + FP + cursor.len() + MAC);
        payload.push(VERSION);
        payload.extend_from_slice(&Tokens::fingerprint(query));
        payload.extend_from_slice(cursor);
        let mac = self.mac(&payload);
        payload.extend_from_slice(&mac);
        URL_SAFE_NO_PAD.encode(payload)
    }

    /// The cursor of a token; `None` for an empty token.
    pub fn verify(&self, query: &str, token: &str) -> ApiResult<Option<Vec<u8>>> {
        if token.is_empty() {
            return Ok(None);
        }
        let bad = |why: &str| ApiError::invalid("page_token", why.to_string());
        if token.len() > 4096 {
            return Err(bad("too long"));
        }
        let raw = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad("malformed (not a token this server issued)"))?;
        if raw.len() < 1 + FP + MAC || raw[0] != VERSION {
            return Err(bad("malformed (not a token this server issued)"));
        }
        let (payload, mac) = raw.split_at(raw.len() - MAC);
        if self.mac(payload) != mac {
            return Err(bad("not issued by this server, or issued before the store was rebuilt"));
        }
        if payload[1..1 + FP] != Tokens::fingerprint(query) {
            return Err(bad("issued for a different request; page tokens must be reused with the same filter and parent"));
        }
        Ok(Some(payload[1 + FP..].to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let t = Tokens::new([7; 32]);
        let tok = t.issue("ListEvents|type=ATTACK", b"jt/ATTACK/x");
        assert_eq!(t.verify("ListEvents|type=ATTACK", &tok).unwrap().unwrap(), b"jt/ATTACK/x");
        assert!(t.verify("ListEvents|type=MEET", &tok).is_err());
        assert!(Tokens::new([8; 32]).verify("ListEvents|type=ATTACK", &tok).is_err());
        let mut forged = URL_SAFE_NO_PAD.decode(&tok).unwrap();
        let n = forged.len();
        forged[n - 20] ^= 1;
        assert!(t.verify("ListEvents|type=ATTACK", &URL_SAFE_NO_PAD.encode(forged)).is_err());
        assert!(t.verify("q", "!!!").is_err());
        assert!(t.verify("q", "").unwrap().is_none());
        assert!(page_size(-1, 50).is_err());
        assert_eq!(page_size(0, 50).unwrap(), 50);
        assert_eq!(page_size(5000, 50).unwrap(), 1000);
    }
}
