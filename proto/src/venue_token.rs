//! Signed venue codes (扫码检查): the token printed in each venue's QR code, and the URL that
//! carries it (docs/adr/0006-venue-token.md). The server signs; phones verify offline against
//! the public keys they synced. Both sides use this module, so the format cannot drift.
//!
//! Token bytes (then base64url without padding):
//! `version (1) | key_id (u32 BE) | issued_at (u32 BE, Unix seconds) | venue_id length (1) |
//! venue_id (UTF-8, 1–64 bytes) | Ed25519 signature (64)`; the signature covers
//! `"GPV1" || every byte before it`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// The token format version this code writes and reads.
pub const VERSION: u8 = 1;
/// Path prefix of the URL a venue code carries: `https://<server>/q/<token>`.
pub const URL_PATH: &str = "/q/";
const DOMAIN: &[u8] = b"GPV1";
const MAX_VENUE_ID: usize = 64;
const SIG_LEN: usize = 64;

/// What a venue code says, once its signature has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueClaim {
    pub venue_id: String,
    pub key_id: u32,
    /// Unix seconds when the code was issued.
    pub issued_at: u32,
}

/// A token read from a code, signature not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedToken {
    pub claim: VenueClaim,
    signed: Vec<u8>,
    signature: [u8; SIG_LEN],
}

/// Why a scanned text is not a valid venue token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The text is not a GridPatrol venue URL at all (someone else's QR code).
    #[error("not a GridPatrol venue code")]
    NotGridPatrol,
    /// It looks like ours but cannot be decoded (damaged, truncated, wrong version).
    #[error("malformed venue code: {0}")]
    Malformed(&'static str),
    /// The signature does not match: a forged or altered code.
    #[error("the venue code's signature is not valid (forged or altered)")]
    BadSignature,
}

/// Signs a token for `venue_id` (server side).
pub fn sign(
    key: &SigningKey,
    key_id: u32,
    venue_id: &str,
    issued_at: u32,
) -> Result<String, TokenError> {
    if venue_id.is_empty() || venue_id.len() > MAX_VENUE_ID {
        return Err(TokenError::Malformed("venue id must be 1 to 64 bytes"));
    }
    let mut bytes = Vec::with_capacity(10 + venue_id.len() + SIG_LEN);
    bytes.push(VERSION);
    bytes.extend_from_slice(&key_id.to_be_bytes());
    bytes.extend_from_slice(&issued_at.to_be_bytes());
    bytes.push(venue_id.len() as u8);
    bytes.extend_from_slice(venue_id.as_bytes());
    let signature = key.sign(&[DOMAIN, &bytes].concat());
    bytes.extend_from_slice(&signature.to_bytes());
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The URL printed in the QR code: `<base_url>/q/<token>`.
pub fn url(base_url: &str, token: &str) -> String {
    format!("{}{URL_PATH}{token}", base_url.trim_end_matches('/'))
}

/// Extracts the token from a scanned text: a GridPatrol venue URL (any host: codes outlive
/// server moves; the signature is what counts) or a bare token.
pub fn token_from_scan(text: &str) -> Result<&str, TokenError> {
    let text = text.trim();
    let token = match text.find(URL_PATH) {
        Some(at) if text.starts_with("https://") || text.starts_with("http://") => {
            &text[at + URL_PATH.len()..]
        }
        _ if !text.contains('/') && !text.contains(':') => text,
        _ => return Err(TokenError::NotGridPatrol),
    };
    let token = token
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    if token.is_empty()
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(TokenError::NotGridPatrol);
    }
    Ok(token)
}

/// Decodes a token without checking its signature (the key it names must be looked up first).
pub fn parse(token: &str) -> Result<ParsedToken, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| TokenError::Malformed("not base64url"))?;
    if bytes.len() < 10 + 1 + SIG_LEN {
        return Err(TokenError::Malformed("too short"));
    }
    if bytes[0] != VERSION {
        return Err(TokenError::Malformed("unknown version"));
    }
    let id_len = bytes[9] as usize;
    if id_len == 0 || id_len > MAX_VENUE_ID || bytes.len() != 10 + id_len + SIG_LEN {
        return Err(TokenError::Malformed("inconsistent length"));
    }
    let venue_id = std::str::from_utf8(&bytes[10..10 + id_len])
        .map_err(|_| TokenError::Malformed("venue id is not UTF-8"))?
        .to_owned();
    let (signed, signature) = bytes.split_at(10 + id_len);
    Ok(ParsedToken {
        claim: VenueClaim {
            venue_id,
            key_id: u32::from_be_bytes(bytes[1..5].try_into().expect("4 bytes")),
            issued_at: u32::from_be_bytes(bytes[5..9].try_into().expect("4 bytes")),
        },
        signed: signed.to_vec(),
        signature: signature.try_into().expect("64 bytes"),
    })
}

impl ParsedToken {
    /// Checks the signature with the public key its `key_id` names.
    pub fn verify(self, key: &VerifyingKey) -> Result<VenueClaim, TokenError> {
        let signature = Signature::from_bytes(&self.signature);
        key.verify_strict(&[DOMAIN, &self.signed].concat(), &signature)
            .map_err(|_| TokenError::BadSignature)?;
        Ok(self.claim)
    }
}

/// Encodes a public key for the wire (base64url, 32 bytes).
pub fn encode_public_key(key: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// Decodes a public key from the wire.
pub fn decode_public_key(text: &str) -> Result<VerifyingKey, TokenError> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(TokenError::Malformed(
            "public key is not 32 base64url bytes",
        ))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| TokenError::Malformed("not an Ed25519 public key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn a_signed_token_round_trips_through_its_url() {
        let token = sign(&key(7), 3, "CY-JS-001", 1_795_000_000).unwrap();
        let url = url("https://gp.example.cn/", &token);
        assert_eq!(url, format!("https://gp.example.cn/q/{token}"));
        assert!(url.len() < 160, "{} chars", url.len());
        let parsed = parse(token_from_scan(&url).unwrap()).unwrap();
        assert_eq!(parsed.claim.key_id, 3);
        let claim = parsed.verify(&key(7).verifying_key()).unwrap();
        assert_eq!(
            claim,
            VenueClaim {
                venue_id: "CY-JS-001".into(),
                key_id: 3,
                issued_at: 1_795_000_000
            }
        );
    }

    #[test]
    fn another_key_or_an_altered_byte_is_a_bad_signature() {
        let token = sign(&key(7), 3, "CY-JS-001", 1_795_000_000).unwrap();
        assert_eq!(
            parse(&token).unwrap().verify(&key(8).verifying_key()),
            Err(TokenError::BadSignature)
        );
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[12] ^= 1; // inside the venue id: CY-JS-001 -> CY-JS-000-ish
        let forged = URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(
            parse(&forged).unwrap().verify(&key(7).verifying_key()),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn foreign_and_damaged_codes_are_told_apart() {
        assert_eq!(
            token_from_scan("https://weixin.qq.com/r/abc"),
            Err(TokenError::NotGridPatrol)
        );
        assert_eq!(
            token_from_scan("WIFI:S:cafe;T:WPA;P:x;;"),
            Err(TokenError::NotGridPatrol)
        );
        assert_eq!(
            token_from_scan("https://gp.example.cn/q/"),
            Err(TokenError::NotGridPatrol)
        );
        let token = sign(&key(1), 1, "V1", 0).unwrap();
        assert!(matches!(
            parse(&token[..token.len() - 5]),
            Err(TokenError::Malformed(_))
        ));
        assert!(matches!(parse("!!!"), Err(TokenError::Malformed(_))));
        assert_eq!(
            token_from_scan(&format!("https://x.cn/q/{token}?from=wechat")),
            Ok(token.as_str())
        );
    }

    #[test]
    fn public_keys_round_trip() {
        let vk = key(9).verifying_key();
        assert_eq!(decode_public_key(&encode_public_key(&vk)).unwrap(), vk);
        assert!(decode_public_key("short").is_err());
    }
}
