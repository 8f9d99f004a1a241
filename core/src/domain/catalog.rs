//! Reference data that districts configure and the server will sync: venue types, hazard areas
//! and versioned checklist templates with per-venue-type applicability rules. The app ships a
//! starting pack (`data/reference-pack.json`, from DOMAIN.md) and installs it on first open.
//!
//! A template version is immutable once installed: inspections pin it (R9).

use gridpatrol_proto::reference::{Applicability, ReferencePack, Template};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::Lang;
use crate::api::records::HazardAreaRecord;
use crate::error::{Error, Result};

/// The pack shipped with the app.
const DEFAULT_PACK: &str = include_str!("../../data/reference-pack.json");
/// `meta` key recording the installed pack version, so open skips re-installing it.
const PACK_KEY: &str = "reference_pack_version";

/// The checklist template new inspections use.
pub const ACTIVE_TEMPLATE: &str = "default";

/// Installs the shipped pack unless this pack version (or a newer one) is already installed.
pub fn install_default_pack(tx: &Transaction<'_>) -> Result<()> {
    let pack: ReferencePack = serde_json::from_str(DEFAULT_PACK)?;
    let installed: Option<u32> = tx
        .query_row("SELECT value FROM meta WHERE key = ?1", [PACK_KEY], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .and_then(|v| v.parse().ok());
    if installed.is_some_and(|v| v >= pack.pack_version) {
        return Ok(());
    }
    install(tx, &pack)?;
    crate::store::set_meta(tx, PACK_KEY, &pack.pack_version.to_string())?;
    Ok(())
}

/// Installs a pack: labels are updated, template versions already present are left as they are.
pub fn install(tx: &Transaction<'_>, pack: &ReferencePack) -> Result<()> {
    for t in &pack.venue_types {
        tx.execute(
            "INSERT INTO venue_types (code, name_zh, name_en, small_venue) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh,
                 name_en = excluded.name_en, small_venue = excluded.small_venue",
            params![t.code, t.name_zh, t.name_en, t.small_venue],
        )?;
    }
    for a in &pack.hazard_areas {
        tx.execute(
            "INSERT INTO hazard_areas (code, name_zh, name_en) VALUES (?1, ?2, ?3)
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en",
            params![a.code, a.name_zh, a.name_en],
        )?;
    }
    for t in &pack.templates {
        validate(tx, t)?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO checklist_templates (template_id, version, title_zh, title_en)
             VALUES (?1, ?2, ?3, ?4)",
            params![t.template_id, t.version, t.title_zh, t.title_en],
        )?;
        if inserted == 0 {
            continue; // an installed version never changes
        }
        for (ordinal, item) in t.items.iter().enumerate() {
            tx.execute(
                "INSERT INTO checklist_items (template_id, version, item_id, ordinal, area,
                     title_zh, title_en, photo_on_fail, may_be_major, applies)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    t.template_id,
                    t.version,
                    item.item_id,
                    ordinal,
                    item.area,
                    item.title_zh,
                    item.title_en,
                    item.photo_on_fail,
                    item.may_be_major,
                    serde_json::to_string(&item.applies)?,
                ],
            )?;
        }
    }
    Ok(())
}

/// Checks a template against the installed venue types and hazard areas.
fn validate(conn: &Connection, t: &Template) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    let exists =
        |sql: &str, code: &str| -> Result<bool> { Ok(conn.query_row(sql, [code], |r| r.get(0))?) };
    for item in &t.items {
        let named = |what: &str| {
            Error::InvalidInput(format!(
                "checklist {} v{} item {}: {what}",
                t.template_id, t.version, item.item_id
            ))
        };
        if !seen.insert(item.item_id.as_str()) {
            return Err(named("duplicate item id"));
        }
        if !exists(
            "SELECT EXISTS (SELECT 1 FROM hazard_areas WHERE code = ?1)",
            &item.area,
        )? {
            return Err(named(&format!("unknown hazard area '{}'", item.area)));
        }
        if let Applicability::Types(list) | Applicability::Except(list) = &item.applies {
            for code in list {
                if !exists(
                    "SELECT EXISTS (SELECT 1 FROM venue_types WHERE code = ?1)",
                    code,
                )? {
                    return Err(named(&format!("unknown venue type '{code}'")));
                }
            }
        }
    }
    Ok(())
}

/// One item of an installed template.
#[derive(Debug, Clone)]
pub struct ChecklistItem {
    pub item_id: String,
    pub area: String,
    pub photo_on_fail: bool,
    pub may_be_major: bool,
    pub applies: Applicability,
}

/// Every hazard area with its label in `lang`, in checklist order (areas no item uses last).
pub fn hazard_areas(conn: &Connection, lang: Lang) -> Result<Vec<HazardAreaRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.code, a.name_{l} FROM hazard_areas a
         ORDER BY (SELECT min(c.ordinal) FROM checklist_items c WHERE c.area = a.code) NULLS LAST,
                  a.code",
        l = lang.col()
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(HazardAreaRecord {
            code: r.get(0)?,
            label: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest installed version of `template_id`.
pub fn latest_version(conn: &Connection, template_id: &str) -> Result<u32> {
    conn.query_row(
        "SELECT max(version) FROM checklist_templates WHERE template_id = ?1",
        [template_id],
        |r| r.get::<_, Option<u32>>(0),
    )?
    .ok_or_else(|| {
        Error::NotFound(format!(
            "checklist template '{template_id}' is not installed"
        ))
    })
}

/// The items of one template version, in checklist order.
pub fn items(conn: &Connection, template_id: &str, version: u32) -> Result<Vec<ChecklistItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT item_id, area, photo_on_fail, may_be_major, applies FROM checklist_items
         WHERE template_id = ?1 AND version = ?2 ORDER BY ordinal",
    )?;
    let rows = stmt.query_map(params![template_id, version], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (item_id, area, photo_on_fail, may_be_major, applies) = row?;
        out.push(ChecklistItem {
            item_id,
            area,
            photo_on_fail,
            may_be_major,
            applies: serde_json::from_str(&applies)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> ReferencePack {
        serde_json::from_str(DEFAULT_PACK).unwrap()
    }

    fn install_into_scratch(pack: &ReferencePack) -> Result<()> {
        let mut conn = crate::store::scratch().unwrap();
        let tx = conn.transaction().unwrap();
        install(&tx, pack)
    }

    #[test]
    fn the_shipped_pack_installs_and_covers_every_small_venue_type() {
        let pack = shipped();
        install_into_scratch(&pack).unwrap();
        assert_eq!(pack.venue_types.iter().filter(|t| t.small_venue).count(), 9);
        let template = &pack.templates[0];
        assert_eq!(template.items.len(), 23);
        for t in pack.venue_types.iter().filter(|t| t.small_venue) {
            let n = template
                .items
                .iter()
                .filter(|i| i.applies.applies_to(&t.code))
                .count();
            assert!(n >= 10, "{} has only {n} items", t.code);
        }
        let gas_alarm = template.items.iter().find(|i| i.item_id == "G01").unwrap();
        assert!(gas_alarm.applies.applies_to("small_eatery"));
        assert!(!gas_alarm.applies.applies_to("small_shop"));
    }

    #[test]
    fn applicability_rules_read_as_written() {
        let rule: Applicability = serde_json::from_str(r#"{"except":["a"]}"#).unwrap();
        assert!(!rule.applies_to("a") && rule.applies_to("b"));
        let all: Applicability = serde_json::from_str(r#""all""#).unwrap();
        assert!(all.applies_to("anything"));
    }

    #[test]
    fn a_pack_naming_an_unknown_area_or_type_is_rejected_naming_the_item() {
        let mut pack = shipped();
        pack.templates[0].items[3].area = "nowhere".into();
        let err = install_into_scratch(&pack).unwrap_err().to_string();
        assert_eq!(
            err,
            "checklist default v1 item E04: unknown hazard area 'nowhere'"
        );
        let mut pack = shipped();
        pack.templates[0].items[12].applies = Applicability::Types(vec!["spaceport".into()]);
        let err = install_into_scratch(&pack).unwrap_err().to_string();
        assert_eq!(
            err,
            "checklist default v1 item G01: unknown venue type 'spaceport'"
        );
    }
}
