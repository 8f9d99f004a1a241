//! Offline verification of a scanned payload (docs/adr/0006-venue-token.md): is it a GridPatrol
//! venue code, signed by a key this device synced, not revoked, for a venue in this worker's
//! list? Each answer is its own [`ScanVerification`], so the app can say exactly what is wrong.
//!
//! Order of the checks: the signature is checked before revocation, so an altered code is
//! reported as forged even when its key has since been revoked.

use gridpatrol_proto::venue_token::{self, TokenError};
use rusqlite::{Connection, OptionalExtension};

use super::keys;
use crate::api::scan_records::ScanVerification;
use crate::error::{Error, Result};

/// A payload's verification, with the token it carried (when it had one).
pub struct Checked {
    pub token: Option<String>,
    pub verification: ScanVerification,
}

/// Checks `text` (a scanned URL or a bare token) against the keys and venues in `conn`.
pub fn check(conn: &Connection, text: &str) -> Result<Checked> {
    let token = match venue_token::token_from_scan(text) {
        Ok(token) => token,
        Err(e) => return Ok(unverified(None, from_token_error(e))),
    };
    let parsed = match venue_token::parse(token) {
        Ok(parsed) => parsed,
        // Our codes always carry the URL; a bare text that is not a token is someone else's
        // (a shop's numeric id, a word), not a damaged venue code.
        Err(_) if !is_url(text) => return Ok(unverified(None, ScanVerification::NotGridpatrol)),
        Err(e) => return Ok(unverified(Some(token), from_token_error(e))),
    };
    let claim = parsed.claim.clone();
    let key_id = claim.key_id;
    let token = Some(token.to_owned());
    let Some(stored) = keys::get(conn, key_id)? else {
        return Ok(Checked {
            token,
            verification: ScanVerification::UnknownKey { key_id },
        });
    };
    let key = match venue_token::decode_public_key(&stored.public_key) {
        Ok(key) => key,
        Err(e) => {
            // checked on import and on pull, so only a damaged database gets here
            tracing::warn!(key_id, error = %e, "stored signing key does not decode");
            return Ok(Checked {
                token,
                verification: ScanVerification::UnknownKey { key_id },
            });
        }
    };
    if parsed.verify(&key).is_err() {
        return Ok(Checked {
            token,
            verification: ScanVerification::Forged { key_id },
        });
    }
    let venue_revoked = keys::venue_revoked_before(conn, &claim.venue_id)?
        .is_some_and(|before| claim.issued_at < before);
    let verification = if stored.revoked || venue_revoked {
        ScanVerification::Revoked {
            venue_id: claim.venue_id,
            key_id,
            issued_at: claim.issued_at,
            key_revoked: stored.revoked,
        }
    } else {
        match venue_name(conn, &claim.venue_id)? {
            Some(venue_name) => ScanVerification::Verified {
                venue_id: claim.venue_id,
                venue_name,
                key_id,
                issued_at: claim.issued_at,
            },
            None => ScanVerification::VenueNotInList {
                venue_id: claim.venue_id,
                key_id,
                issued_at: claim.issued_at,
            },
        }
    };
    Ok(Checked {
        token,
        verification,
    })
}

/// The error `start_inspection_from_scan` returns for a code that did not verify: the variant
/// says what the app can do (rescan or sync: `NotFound`; refuse: `Rejected`; another code:
/// `InvalidInput`), the reason says which outcome it was.
pub fn refusal(verification: &ScanVerification) -> Option<Error> {
    Some(match verification {
        ScanVerification::Verified { .. } => return None,
        ScanVerification::NotGridpatrol => Error::InvalidInput(
            "not a GridPatrol venue code (not_gridpatrol): scan the code posted at the venue"
                .into(),
        ),
        ScanVerification::Malformed { reason } => Error::InvalidInput(format!(
            "malformed venue code (malformed: {reason}): the code is damaged or incomplete"
        )),
        ScanVerification::UnknownKey { key_id } => Error::NotFound(format!(
            "the venue code is signed with key {key_id}, which this device does not know \
             (unknown_key): sync, then scan again"
        )),
        ScanVerification::Forged { key_id } => Error::Rejected(format!(
            "the venue code's signature is not valid for key {key_id} (forged): the code is \
             forged or altered; report it"
        )),
        ScanVerification::Revoked {
            venue_id,
            key_revoked: true,
            ..
        } => Error::Rejected(format!(
            "the code of venue {venue_id} is signed with a revoked key (revoked): ask for a \
             reprinted code"
        )),
        ScanVerification::Revoked { venue_id, .. } => Error::Rejected(format!(
            "this code of venue {venue_id} was revoked (revoked): a newer code replaces it"
        )),
        ScanVerification::VenueNotInList { venue_id, .. } => Error::NotFound(format!(
            "venue {venue_id} is not in this worker's list (venue_not_in_list)"
        )),
    })
}

fn unverified(token: Option<&str>, verification: ScanVerification) -> Checked {
    Checked {
        token: token.map(str::to_owned),
        verification,
    }
}

fn from_token_error(e: TokenError) -> ScanVerification {
    match e {
        TokenError::NotGridPatrol => ScanVerification::NotGridpatrol,
        TokenError::Malformed(reason) => ScanVerification::Malformed {
            reason: reason.to_owned(),
        },
        // not produced before a signature check; listed so a new variant is a compile error
        TokenError::BadSignature => ScanVerification::Malformed {
            reason: "bad signature".to_owned(),
        },
    }
}

fn is_url(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with("https://") || text.starts_with("http://")
}

fn venue_name(conn: &Connection, venue_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM venues WHERE venue_id = ?1",
            [venue_id],
            |r| r.get(0),
        )
        .optional()?)
}
