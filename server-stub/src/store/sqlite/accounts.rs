//! Users, enrollment codes and devices. Codes and tokens are stored as SHA-256 only; a code is
//! redeemed once, before it expires.

use chrono::{DateTime, Utc};
use gridpatrol_proto::sync::Role;
use rusqlite::{params, OptionalExtension, Transaction};

use super::ts;
use crate::store::{Account, Caller, DeviceEnrollment, StoreError, StoreResult};

pub fn role_text(role: Role) -> &'static str {
    match role {
        Role::Worker => "worker",
        Role::Supervisor => "supervisor",
        Role::Resident => "resident",
    }
}

pub fn parse_role(text: &str) -> StoreResult<Role> {
    match text {
        "worker" => Ok(Role::Worker),
        "supervisor" => Ok(Role::Supervisor),
        "resident" => Ok(Role::Resident),
        other => Err(StoreError::Backend(format!(
            "unknown role '{other}' stored"
        ))),
    }
}

pub fn upsert(tx: &Transaction<'_>, account: &Account, now: DateTime<Utc>) -> StoreResult<()> {
    if account.role == Role::Supervisor && account.street.is_none() {
        return Err(StoreError::Invalid("a supervisor needs a street".into()));
    }
    tx.execute(
        "INSERT INTO users (user_id, display_name, role, street, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name,
             role = excluded.role, street = excluded.street",
        params![
            account.user_id,
            account.display_name,
            role_text(account.role),
            account.street,
            ts(now)
        ],
    )?;
    tx.execute(
        "DELETE FROM user_grids WHERE user_id = ?1",
        [&account.user_id],
    )?;
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO user_grids (user_id, grid) VALUES (?1, ?2)")?;
    for grid in &account.grids {
        insert.execute([&account.user_id, grid])?;
    }
    Ok(())
}

pub fn add_code(
    tx: &Transaction<'_>,
    user_id: &str,
    code_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE user_id = ?1)",
        [user_id],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StoreError::NotFound(format!("no user '{user_id}'")));
    }
    tx.execute(
        "INSERT INTO enrollment_codes (code_hash, user_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![code_hash, user_id, ts(now), ts(expires_at)],
    )?;
    Ok(())
}

pub fn enroll(
    tx: &Transaction<'_>,
    code_hash: &str,
    device: &DeviceEnrollment<'_>,
    now: DateTime<Utc>,
) -> StoreResult<Account> {
    let now_text = ts(now);
    let user_id: String = tx
        .query_row(
            "SELECT user_id FROM enrollment_codes
             WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![code_hash, now_text],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::InvalidCode)?;
    let holder: Option<String> = tx
        .query_row(
            "SELECT user_id FROM devices WHERE device_id = ?1",
            [device.device_id],
            |r| r.get(0),
        )
        .optional()?;
    if holder.is_some_and(|h| h != user_id) {
        return Err(StoreError::DeviceTaken);
    }
    tx.execute(
        "UPDATE enrollment_codes SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1",
        params![code_hash, now_text, device.device_id],
    )?;
    tx.execute(
        "INSERT INTO devices (device_id, user_id, device_name, token_hash, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (device_id) DO UPDATE SET device_name = excluded.device_name,
             token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at",
        params![
            device.device_id,
            user_id,
            device.device_name,
            device.token_hash,
            now_text
        ],
    )?;
    load_account(tx, &user_id)
}

pub fn caller(tx: &Transaction<'_>, token_hash: &str) -> StoreResult<Option<Caller>> {
    let found: Option<(String, String)> = tx
        .query_row(
            "SELECT device_id, user_id FROM devices WHERE token_hash = ?1",
            [token_hash],
            |r| r.try_into(),
        )
        .optional()?;
    let Some((device_id, user_id)) = found else {
        return Ok(None);
    };
    let account = load_account(tx, &user_id)?;
    Ok(Some(Caller {
        user_id,
        device_id,
        role: account.role,
        grids: account.grids,
        street: account.street,
    }))
}

/// An account with its grids: a worker's own, a supervisor's every grid of their street.
pub fn load_account(tx: &Transaction<'_>, user_id: &str) -> StoreResult<Account> {
    let (display_name, role, street): (String, String, Option<String>) = tx.query_row(
        "SELECT display_name, role, street FROM users WHERE user_id = ?1",
        [user_id],
        |r| r.try_into(),
    )?;
    let role = parse_role(&role)?;
    let grids = match (role, &street) {
        (Role::Supervisor, Some(street)) => super::reference::street_grids(tx, street)?,
        _ => {
            let mut stmt =
                tx.prepare_cached("SELECT grid FROM user_grids WHERE user_id = ?1 ORDER BY grid")?;
            let rows = stmt.query_map([user_id], |r| r.get(0))?;
            rows.collect::<Result<Vec<String>, _>>()?
        }
    };
    Ok(Account {
        user_id: user_id.to_owned(),
        display_name,
        role,
        grids,
        street,
    })
}

/// Registers an anonymous resident device: a new resident user (`r-<device id>`), the device
/// with its token hash, and the phone number if one was given (never shown to staff).
pub fn enroll_resident(
    tx: &Transaction<'_>,
    device: &DeviceEnrollment<'_>,
    phone: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<Account> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM devices WHERE device_id = ?1)",
        [device.device_id],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::DeviceTaken);
    }
    let user_id = format!("r-{}", uuid::Uuid::new_v4());
    tx.execute(
        "INSERT INTO users (user_id, display_name, role, street, created_at)
         VALUES (?1, '居民', 'resident', NULL, ?2)",
        params![user_id, ts(now)],
    )?;
    if let Some(phone) = phone {
        tx.execute(
            "INSERT INTO resident_contacts (user_id, phone) VALUES (?1, ?2)",
            params![user_id, phone],
        )?;
    }
    tx.execute(
        "INSERT INTO devices (device_id, user_id, device_name, token_hash, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            device.device_id,
            user_id,
            device.device_name,
            device.token_hash,
            ts(now)
        ],
    )?;
    load_account(tx, &user_id)
}
