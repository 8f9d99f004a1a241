//! Enrollment codes and bearer tokens. A code is 12 Crockford base32 characters shown as
//! `XXXX-XXXX-XXXX` (60 random bits, single use, expires); a token is 32 random bytes,
//! base64url. The server stores only SHA-256 of either. The [`Caller`] extractor turns
//! `Authorization: Bearer <token>` into the device and user, or answers 401.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;
use crate::store::{Account, Caller, StoreResult};

/// Crockford's base32 alphabet: no I, L, O, U, so a code read aloud or typed is unambiguous.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

pub fn sha256_hex_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A new bearer token.
pub fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// A new enrollment code, `XXXX-XXXX-XXXX`.
pub fn new_enrollment_code() -> String {
    let bytes = rand::random::<[u8; 12]>();
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| CODE_ALPHABET[(b & 31) as usize] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The canonical form of a typed code: upper case, separators dropped, look-alikes mapped
/// (O → 0, I/L → 1) as Crockford's base32 does.
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// What is stored for a code.
pub fn code_hash(code: &str) -> String {
    sha256_hex(&normalize_code(code))
}

/// Creates or updates `account` and issues it a new enrollment code (blocking).
pub fn issue_code(state: &AppState, account: &Account) -> StoreResult<String> {
    let now = state.clock.now();
    state.store.upsert_account(account, now)?;
    let code = new_enrollment_code();
    state.store.add_enrollment_code(
        &account.user_id,
        &code_hash(&code),
        now + state.settings.code_ttl,
        now,
    )?;
    Ok(code)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| AppError::unauthorized("an Authorization: Bearer token is required"))?;
        let token_hash = sha256_hex(token);
        state
            .db(move |store| store.caller(&token_hash))
            .await?
            .ok_or_else(|| AppError::unauthorized("the token is unknown or was replaced"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_and_typed_variants_hash_alike() {
        let code = new_enrollment_code();
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(code_hash(&typed), code_hash(&code));
        assert_eq!(normalize_code("ab-o1 il"), "AB0111");
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
