//! The hazard ledger (台账) offline: the server's view of the hazards in this user's grids, as
//! the last sync brought it (`ledger_hazards`, pulled data, not a projection), filtered by region
//! (区/街乡/社区/网格, from the venues), hazard area, venue type, industry, grade, status and
//! overdue, and counted per group. Overdue and deadlines are the server's, never the phone's.

use gridpatrol_proto::events::HazardGrade;
use gridpatrol_proto::hazard_flow::HazardStatus;
use gridpatrol_proto::sync::HazardState;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, Row, Transaction};

use super::lifecycle::PENDING_COUNT_SQL;
use super::{labels, Lang};
use crate::api::loop_records::{LedgerCount, LedgerFilter, LedgerGroup, LedgerRow};
use crate::error::Result;
use crate::store::text_enum;

/// Stores the server's view of a hazard from change `server_seq`; an older change than the one
/// stored is ignored.
pub fn store(tx: &Transaction<'_>, h: &HazardState, server_seq: u64) -> Result<()> {
    tx.execute(
        "INSERT INTO ledger_hazards (hazard_id, venue_id, grid, inspection_id, item_id, area, grade,
             status, note, reported_at, received_at, evidence_pending, server_seq, report_id,
             deadline, overdue, supervised, escalated, owner, department, merged_into, conflicts,
             timeline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23)
         ON CONFLICT (hazard_id) DO UPDATE SET venue_id = excluded.venue_id,
             grid = excluded.grid, inspection_id = excluded.inspection_id,
             item_id = excluded.item_id, area = excluded.area, grade = excluded.grade,
             status = excluded.status, note = excluded.note, reported_at = excluded.reported_at,
             received_at = excluded.received_at, evidence_pending = excluded.evidence_pending,
             server_seq = excluded.server_seq, report_id = excluded.report_id,
             deadline = excluded.deadline, overdue = excluded.overdue,
             supervised = excluded.supervised, escalated = excluded.escalated,
             owner = excluded.owner, department = excluded.department,
             merged_into = excluded.merged_into, conflicts = excluded.conflicts,
             timeline = excluded.timeline
         WHERE excluded.server_seq > ledger_hazards.server_seq",
        params![
            h.hazard_id,
            h.venue_id,
            h.grid,
            h.inspection_id,
            h.item_id,
            h.area,
            text_enum::to_text(&h.grade),
            h.status.as_str(),
            h.note,
            h.reported_at,
            h.received_at,
            h.evidence_pending,
            server_seq,
            h.report_id,
            h.deadline,
            h.overdue,
            h.supervised,
            h.escalated,
            h.owner,
            h.department,
            h.merged_into,
            serde_json::to_string(&h.conflicts)?,
            serde_json::to_string(&h.timeline)?,
        ],
    )?;
    Ok(())
}

const FROM: &str = "
    FROM ledger_hazards l
    LEFT JOIN venues v ON v.venue_id = l.venue_id
    LEFT JOIN venue_types t ON t.code = v.venue_type
    LEFT JOIN hazard_areas a ON a.code = l.area
    WHERE (?1 IS NULL OR v.district = ?1) AND (?2 IS NULL OR v.street = ?2)
      AND (?3 IS NULL OR v.community = ?3) AND (?4 IS NULL OR l.grid = ?4)
      AND (?5 IS NULL OR l.area = ?5) AND (?6 IS NULL OR v.venue_type = ?6)
      AND (?7 IS NULL OR v.industry = ?7) AND (?8 IS NULL OR l.grade = ?8)
      AND (?9 IS NULL OR l.status = ?9) AND (?10 IS NULL OR l.overdue = ?10)";

/// The filter as the ten parameters of [`FROM`].
fn bind(f: &LedgerFilter) -> Vec<Value> {
    let text = |v: Option<String>| v.map_or(Value::Null, Value::Text);
    vec![
        text(f.district.clone()),
        text(f.street.clone()),
        text(f.community.clone()),
        text(f.grid.clone()),
        text(f.area.clone()),
        text(f.venue_type.clone()),
        text(f.industry.clone()),
        text(f.grade.as_ref().map(text_enum::to_text)),
        text(f.status.map(|s| s.as_str().to_owned())),
        f.overdue.map_or(Value::Null, |o| Value::Integer(o.into())),
    ]
}

fn row(r: &Row<'_>, lang: Lang) -> rusqlite::Result<LedgerRow> {
    let status = text_enum::get(r, 14)?;
    Ok(LedgerRow {
        hazard_id: r.get(0)?,
        venue_id: r.get(1)?,
        venue_name: r.get(2)?,
        venue_type: r.get(3)?,
        venue_type_name: r.get(4)?,
        industry: r.get(5)?,
        address: r.get(6)?,
        district: r.get(7)?,
        street: r.get(8)?,
        community: r.get(9)?,
        grid: r.get(10)?,
        area: r.get(11)?,
        area_name: r.get(12)?,
        grade: text_enum::get(r, 13)?,
        status,
        status_name: labels::status(status, lang).to_owned(),
        overdue: r.get(15)?,
        deadline: r.get(16)?,
        supervised: r.get(17)?,
        escalated: r.get(18)?,
        owner: r.get(19)?,
        department: r.get(20)?,
        inspection_id: r.get(21)?,
        item_id: r.get(22)?,
        report_id: r.get(23)?,
        note: r.get(24)?,
        reported_at: r.get(25)?,
        received_at: r.get(26)?,
        evidence_pending: r.get(27)?,
        pending_actions: r.get(28)?,
    })
}

/// The ledger's rows that match `filter`, newest report first.
pub fn rows(conn: &Connection, lang: Lang, filter: &LedgerFilter) -> Result<Vec<LedgerRow>> {
    let l = lang.col();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT l.hazard_id, l.venue_id, coalesce(v.name, ''), coalesce(v.venue_type, ''),
                coalesce(t.name_{l}, v.venue_type, ''), coalesce(v.industry, ''),
                coalesce(v.address, ''), coalesce(v.district, ''), coalesce(v.street, ''), coalesce(v.community, ''),
                l.grid, l.area, coalesce(a.name_{l}, l.area), l.grade, l.status, l.overdue,
                l.deadline, l.supervised, l.escalated, l.owner, l.department, l.inspection_id,
                l.item_id, l.report_id, l.note, l.reported_at, l.received_at, l.evidence_pending,
                {PENDING_COUNT_SQL}
         {FROM}
         ORDER BY l.reported_at DESC, l.hazard_id"
    ))?;
    let rows = stmt.query_map(params_from_iter(bind(filter)), |r| row(r, lang))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SQL of a group's key, and of its label where the key is a code.
fn group_columns(group: LedgerGroup, lang: Lang) -> (&'static str, String) {
    let l = lang.col();
    match group {
        LedgerGroup::District => ("coalesce(v.district, '')", String::new()),
        LedgerGroup::Street => ("coalesce(v.street, '')", String::new()),
        LedgerGroup::Community => ("coalesce(v.community, '')", String::new()),
        LedgerGroup::Grid => ("l.grid", String::new()),
        LedgerGroup::Area => ("l.area", format!("a.name_{l}")),
        LedgerGroup::VenueType => ("coalesce(v.venue_type, '')", format!("t.name_{l}")),
        LedgerGroup::Industry => ("coalesce(v.industry, '')", String::new()),
        LedgerGroup::Grade => ("l.grade", String::new()),
        LedgerGroup::Status => ("l.status", String::new()),
    }
}

/// A stored code read back as its enum.
fn code<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// How many hazards matching `filter` fall in each group (open, overdue and suspected-major
/// ones among them), ordered by the group's key.
pub fn counts(
    conn: &Connection,
    lang: Lang,
    filter: &LedgerFilter,
    group: LedgerGroup,
) -> Result<Vec<LedgerCount>> {
    let (key, label) = group_columns(group, lang);
    let label = if label.is_empty() {
        "NULL".into()
    } else {
        label
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {key} AS k, min({label}), count(*),
                sum(l.status NOT IN ('CLOSED', 'DISMISSED', 'MERGED')), sum(l.overdue),
                sum(l.grade = 'suspected_major')
         {FROM}
         GROUP BY k ORDER BY k"
    ))?;
    let rows = stmt.query_map(params_from_iter(bind(filter)), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, label, total, open, overdue, suspected_major) = row?;
        let label = match (group, label) {
            (_, Some(label)) => label,
            (_, None) if key.is_empty() => labels::pick(lang, ("（未知）", "(unknown)")).to_owned(),
            (LedgerGroup::Grade, None) => code::<HazardGrade>(&key)
                .map_or_else(|| key.clone(), |g| labels::grade(g, lang).to_owned()),
            (LedgerGroup::Status, None) => code::<HazardStatus>(&key)
                .map_or_else(|| key.clone(), |s| labels::status(s, lang).to_owned()),
            (_, None) => key.clone(),
        };
        out.push(LedgerCount {
            key,
            label,
            total,
            open,
            overdue,
            suspected_major,
        });
    }
    Ok(out)
}
