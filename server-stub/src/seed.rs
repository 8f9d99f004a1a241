//! What a server holds before anyone pushes: at every start the checklist pack and a venue-code
//! signing key (created once); with `--seed-demo` the demo district — 北京市朝阳区 › 劲松街道,
//! three communities, five grids, thirty venues (`data/demo-venues.json`, which includes the
//! four venues of `tests/fixtures/venues.json` unchanged), the district's rules (the defaults,
//! written out), a grid lead (网格长) per grid and each grid's duty roster for warnings (the
//! grid's workers, then its lead, then the street supervisor) — and fresh enrollment codes for
//! two grid workers in different grids, one street supervisor and the five grid leads.

use gridpatrol_proto::reference::{ReferencePack, VenueFile};
use gridpatrol_proto::sync::Role;

use crate::auth::issue_code;
use crate::rules::Rules;
use crate::state::AppState;
use crate::store::{Account, SigningKeyRecord, StoreError, StoreResult};

/// The checklist pack the phone core also ships.
const REFERENCE_PACK: &str = include_str!("../../core/data/reference-pack.json");
const DEMO_VENUES: &str = include_str!("../data/demo-venues.json");
const DEMO_SEEDED: &str = "demo_seeded";

/// The demo street and its users.
pub const DEMO_STREET: &str = "劲松街道";
/// Grid of demo worker A (张伟).
pub const DEMO_GRID_A: &str = "劲松三区-03";
/// Grid of demo worker B (李娜).
pub const DEMO_GRID_B: &str = "劲松二区-01";
/// The demo district.
pub const DEMO_DISTRICT: &str = "朝阳区";
/// The street supervisor, last on every demo grid's duty roster.
pub const DEMO_SUPERVISOR: &str = "u-wangjing";
/// Each demo grid and its lead (网格长): `(grid, user_id, name)`.
pub const DEMO_GRID_LEADS: [(&str, &str, &str); 5] = [
    ("劲松三区-03", "u-lead-js3-03", "赵强"),
    ("劲松三区-04", "u-lead-js3-04", "钱敏"),
    ("劲松二区-01", "u-lead-js2-01", "孙磊"),
    ("劲松二区-02", "u-lead-js2-02", "周芳"),
    ("劲松一区-01", "u-lead-js1-01", "吴刚"),
];

/// An enrollment code issued at start for a demo user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCode {
    pub user_id: String,
    pub display_name: String,
    pub role: Role,
    /// The grids (worker) or the street (supervisor) the user covers.
    pub covers: String,
    pub code: String,
}

/// The demo street's supervisor (王静), e.g. for a fresh code for another of her devices.
pub fn demo_supervisor() -> Account {
    Account {
        user_id: DEMO_SUPERVISOR.into(),
        display_name: "王静".into(),
        role: Role::Supervisor,
        grids: Vec::new(),
        street: Some(DEMO_STREET.into()),
    }
}

fn demo_accounts() -> Vec<Account> {
    let worker = |user_id: &str, name: &str, grid: &str| Account {
        user_id: user_id.into(),
        display_name: name.into(),
        role: Role::Worker,
        grids: vec![grid.into()],
        street: Some(DEMO_STREET.into()),
    };
    let mut accounts = vec![
        worker("u-zhangwei", "张伟", DEMO_GRID_A),
        worker("u-lina", "李娜", DEMO_GRID_B),
        demo_supervisor(),
    ];
    accounts.extend(
        DEMO_GRID_LEADS
            .iter()
            .map(|(grid, user_id, name)| worker(user_id, name, grid)),
    );
    accounts
}

/// Publishes the built-in checklist pack and makes sure a signing key exists (blocking).
pub fn bootstrap(state: &AppState) -> StoreResult<()> {
    let now = state.clock.now();
    let pack: ReferencePack = serde_json::from_str(REFERENCE_PACK)
        .map_err(|e| StoreError::Backend(format!("built-in reference pack: {e}")))?;
    state.store.publish_reference_pack(&pack, now)?;
    if state.store.active_signing_key()?.is_none() {
        state.store.add_signing_key(
            &SigningKeyRecord {
                key_id: 1,
                secret: rand::random::<[u8; 32]>(),
                revoked: false,
            },
            now,
        )?;
    }
    Ok(())
}

/// Seeds the demo district once, then issues fresh codes for the demo users (blocking).
pub fn seed_demo(state: &AppState) -> StoreResult<Vec<DemoCode>> {
    if state.store.meta(DEMO_SEEDED)?.is_none() {
        let file: VenueFile = serde_json::from_str(DEMO_VENUES)
            .map_err(|e| StoreError::Backend(format!("demo venues: {e}")))?;
        for venue in &file.venues {
            state.store.upsert_venue(venue, state.clock.now())?;
        }
        // Written out once, so a district's later edits survive restarts.
        state
            .store
            .set_rules(DEMO_DISTRICT, &Rules::default(), state.clock.now())?;
        state.store.set_meta(DEMO_SEEDED, "1")?;
    }
    let codes = demo_accounts()
        .into_iter()
        .map(|account| {
            let code = issue_code(state, &account)?;
            Ok(DemoCode {
                covers: match account.role {
                    Role::Supervisor => account.street.clone().unwrap_or_default(),
                    _ => account.grids.join(","),
                },
                user_id: account.user_id,
                display_name: account.display_name,
                role: account.role,
                code,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    // The rosters name the users above, so they come after them; both are idempotent.
    for (grid, lead, _) in DEMO_GRID_LEADS {
        state.store.set_roster(
            grid,
            &[(1, lead.to_owned()), (2, DEMO_SUPERVISOR.to_owned())],
        )?;
    }
    Ok(codes)
}
