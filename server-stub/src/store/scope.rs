//! Who is calling and what they may see: a worker their grids, a supervisor their street, a
//! resident (issue 6) only their own reports. Every route and every pushed event is checked
//! against a [`Scope`]; storage filters feeds and the ledger by it.

use gridpatrol_proto::sync::Role;

/// The authenticated device and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: String,
    pub device_id: String,
    pub role: Role,
    pub grids: Vec<String>,
    pub street: Option<String>,
}

/// What part of the district a caller may read and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// A grid worker: these grids only.
    Grids(Vec<String>),
    /// A supervisor: every grid of this street.
    Street(String),
    /// A resident: no venue or hazard data, only their own reports (issue 6).
    Own(String),
}

impl Caller {
    pub fn scope(&self) -> Scope {
        match (self.role, &self.street) {
            (Role::Worker, _) => Scope::Grids(self.grids.clone()),
            (Role::Supervisor, Some(street)) => Scope::Street(street.clone()),
            // A supervisor without a street sees nothing rather than everything.
            (Role::Supervisor, None) => Scope::Grids(Vec::new()),
            (Role::Resident, _) => Scope::Own(self.user_id.clone()),
        }
    }
}

impl Scope {
    /// True when a record of `grid` in `street` is inside this scope.
    pub fn covers(&self, grid: &str, street: &str) -> bool {
        match self {
            Scope::Grids(grids) => grids.iter().any(|g| g == grid),
            Scope::Street(s) => s == street,
            Scope::Own(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, grids: &[&str], street: Option<&str>) -> Caller {
        Caller {
            user_id: "u".into(),
            device_id: "d".into(),
            role,
            grids: grids.iter().map(|g| g.to_string()).collect(),
            street: street.map(str::to_owned),
        }
    }

    #[test]
    fn a_worker_covers_only_their_grids() {
        let scope = caller(Role::Worker, &["A-1"], Some("S")).scope();
        assert!(scope.covers("A-1", "S"));
        assert!(!scope.covers("A-2", "S"));
    }

    #[test]
    fn a_supervisor_covers_their_street_and_nothing_without_one() {
        assert!(caller(Role::Supervisor, &[], Some("S"))
            .scope()
            .covers("any", "S"));
        assert!(!caller(Role::Supervisor, &[], Some("S"))
            .scope()
            .covers("any", "T"));
        assert!(!caller(Role::Supervisor, &[], None)
            .scope()
            .covers("any", "S"));
    }

    #[test]
    fn a_resident_covers_no_venue() {
        assert!(!caller(Role::Resident, &["A-1"], Some("S"))
            .scope()
            .covers("A-1", "S"));
    }
}
