//! The enrollment this device holds: server, bearer token, user, role and grids (one row).

use gridpatrol_proto::sync::EnrollResponse;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::api::records::AccountRecord;
use crate::error::Result;
use crate::store::text_enum;

/// The stored enrollment: what the app may see, and the bearer token it may not.
#[derive(Debug, Clone)]
pub struct Account {
    pub record: AccountRecord,
    pub token: String,
}

pub fn load(conn: &Connection) -> Result<Option<Account>> {
    let row = conn
        .query_row(
            "SELECT server_url, token, user_id, display_name, role, grids, street, enrolled_at,
                    auth_failed
             FROM account WHERE id = 1",
            [],
            |r| {
                Ok((
                    Account {
                        record: AccountRecord {
                            server_url: r.get(0)?,
                            user_id: r.get(2)?,
                            display_name: r.get(3)?,
                            role: text_enum::get(r, 4)?,
                            grids: Vec::new(),
                            street: r.get(6)?,
                            enrolled_at: r.get(7)?,
                            auth_required: r.get(8)?,
                        },
                        token: r.get(1)?,
                    },
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    Ok(match row {
        Some((mut account, grids)) => {
            account.record.grids = serde_json::from_str(&grids)?;
            Some(account)
        }
        None => None,
    })
}

/// Stores a new enrollment, replacing any earlier one (the queue is kept). `token` is what the
/// database keeps: the bearer token, or an empty string when the app's credential store has it.
pub fn save(
    tx: &Transaction<'_>,
    server_url: &str,
    reply: &EnrollResponse,
    token: &str,
    now: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO account (id, server_url, token, user_id, display_name, role, grids, street,
                              enrolled_at, auth_failed)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)
         ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, token = excluded.token,
             user_id = excluded.user_id, display_name = excluded.display_name,
             role = excluded.role, grids = excluded.grids, street = excluded.street,
             enrolled_at = excluded.enrolled_at, auth_failed = 0",
        params![
            server_url.trim_end_matches('/'),
            token,
            reply.user_id,
            reply.display_name,
            text_enum::to_text(&reply.role),
            serde_json::to_string(&reply.grids)?,
            reply.street,
            now,
        ],
    )?;
    Ok(())
}

/// Records that the server refused the token.
pub fn mark_auth_failed(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("UPDATE account SET auth_failed = 1 WHERE id = 1", [])?;
    Ok(())
}
