//! The hazard lifecycle (DOMAIN.md "Hazards"): states, the actions that move a hazard between
//! them, who may take each action, and the one transition table both sides use — the phone to
//! refuse an impossible action at once, the server (the authority) to apply or refuse what
//! arrives, in `server_seq` order (docs/adr/0012-closed-loop.md).
//!
//! ```text
//! REPORTED ─┬─> VERIFYING ─> DISMISSED | MERGED(duplicate)
//!           └─> CONFIRMED{general | suspected_major}        (VERIFYING ─> CONFIRMED too)
//! CONFIRMED ─┬─> FIXED_ON_SITE ─────────────────────────────────────> CLOSED
//!            ├─> ASSIGNED(owner, deadline) ─> IN_PROGRESS ─> AWAITING_RECHECK
//!            └─> REFERRED(department) ──────────────────────────────> CLOSED
//! AWAITING_RECHECK ─> RECHECK_PASSED ─> CLOSED (销号)
//!                  └> RECHECK_FAILED ─> IN_PROGRESS
//! SUPERVISED and ESCALATED are flags; OVERDUE is derived by the server.
//! ```

use serde::{Deserialize, Serialize};

use crate::events::HazardGrade;
use crate::sync::Role;

/// Where a hazard is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HazardStatus {
    Reported,
    Verifying,
    Confirmed,
    FixedOnSite,
    Assigned,
    InProgress,
    AwaitingRecheck,
    RecheckPassed,
    RecheckFailed,
    Referred,
    Dismissed,
    Merged,
    Closed,
}

impl HazardStatus {
    /// No action changes a hazard in this state any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            HazardStatus::Dismissed | HazardStatus::Merged | HazardStatus::Closed
        )
    }

    /// The DOMAIN.md spelling, e.g. `AWAITING_RECHECK`.
    pub fn as_str(self) -> &'static str {
        match self {
            HazardStatus::Reported => "REPORTED",
            HazardStatus::Verifying => "VERIFYING",
            HazardStatus::Confirmed => "CONFIRMED",
            HazardStatus::FixedOnSite => "FIXED_ON_SITE",
            HazardStatus::Assigned => "ASSIGNED",
            HazardStatus::InProgress => "IN_PROGRESS",
            HazardStatus::AwaitingRecheck => "AWAITING_RECHECK",
            HazardStatus::RecheckPassed => "RECHECK_PASSED",
            HazardStatus::RecheckFailed => "RECHECK_FAILED",
            HazardStatus::Referred => "REFERRED",
            HazardStatus::Dismissed => "DISMISSED",
            HazardStatus::Merged => "MERGED",
            HazardStatus::Closed => "CLOSED",
        }
    }
}

/// What someone does to a hazard. Photos are SHA-256s of evidence already attached to the
/// hazard (`evidence.attached` with a hazard target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum HazardAction {
    /// Start checking a report (REPORTED → VERIFYING).
    Verify,
    /// It is a hazard, of this grade (REPORTED/VERIFYING → CONFIRMED). A worker may only say
    /// `suspected_major`; a regulator confirms "major" outside this app.
    Confirm { grade: HazardGrade },
    /// Not a hazard after all (VERIFYING → DISMISSED).
    Dismiss { reason: String },
    /// The same hazard as another (VERIFYING → MERGED).
    Merge { into_hazard_id: String },
    /// Fixed while the worker was there, with photos before and after (CONFIRMED → FIXED_ON_SITE).
    FixOnSite {
        before: Vec<String>,
        after: Vec<String>,
    },
    /// Given to someone to fix (CONFIRMED → ASSIGNED). The deadline comes from the district's
    /// rules; a supervisor may set one (suspected-major hazards: the regulator's).
    Assign {
        owner: String,
        deadline: Option<String>,
    },
    /// Work on the fix starts (ASSIGNED/RECHECK_FAILED → IN_PROGRESS).
    Start,
    /// The owner says it is fixed (IN_PROGRESS → AWAITING_RECHECK).
    RequestRecheck,
    /// Re-checked on site: fixed (AWAITING_RECHECK → RECHECK_PASSED).
    RecheckPass { photos: Vec<String> },
    /// Re-checked on site: not fixed (AWAITING_RECHECK → RECHECK_FAILED).
    RecheckFail { photos: Vec<String> },
    /// Handed to a department (吹哨报到) (CONFIRMED → REFERRED).
    Refer { department: String },
    /// Closed (销号) (RECHECK_PASSED/FIXED_ON_SITE/REFERRED → CLOSED).
    Close,
    /// Put under (or taken off) supervision (督办); any open state.
    Supervise { on: bool },
    /// Escalated to the street or district; any open state.
    Escalate,
    /// Settles a conflict: the transition of event `keep_event_id` stands, the other is void.
    ResolveConflict { keep_event_id: String },
}

/// Why an action cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a hazard that is {} cannot be {}", .from.as_str(), .action)]
    NotFrom {
        from: HazardStatus,
        action: &'static str,
    },
    #[error("a {role} may not {action} a hazard")]
    NotAllowed {
        role: &'static str,
        action: &'static str,
    },
    #[error("{0}")]
    Invalid(&'static str),
}

impl HazardAction {
    /// The action's name, e.g. `recheck_pass`.
    pub fn name(&self) -> &'static str {
        match self {
            HazardAction::Verify => "verify",
            HazardAction::Confirm { .. } => "confirm",
            HazardAction::Dismiss { .. } => "dismiss",
            HazardAction::Merge { .. } => "merge",
            HazardAction::FixOnSite { .. } => "fix_on_site",
            HazardAction::Assign { .. } => "assign",
            HazardAction::Start => "start",
            HazardAction::RequestRecheck => "request_recheck",
            HazardAction::RecheckPass { .. } => "recheck_pass",
            HazardAction::RecheckFail { .. } => "recheck_fail",
            HazardAction::Refer { .. } => "refer",
            HazardAction::Close => "close",
            HazardAction::Supervise { .. } => "supervise",
            HazardAction::Escalate => "escalate",
            HazardAction::ResolveConflict { .. } => "resolve_conflict",
        }
    }

    /// Photos this action references (the server expects their blobs).
    pub fn photos(&self) -> Vec<&str> {
        match self {
            HazardAction::FixOnSite { before, after } => {
                before.iter().chain(after).map(String::as_str).collect()
            }
            HazardAction::RecheckPass { photos } | HazardAction::RecheckFail { photos } => {
                photos.iter().map(String::as_str).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Only a supervisor (street staff) may take this action.
    pub fn supervisors_only(&self) -> bool {
        matches!(
            self,
            HazardAction::Merge { .. }
                | HazardAction::Assign { .. }
                | HazardAction::Refer { .. }
                | HazardAction::Supervise { .. }
                | HazardAction::Escalate
                | HazardAction::ResolveConflict { .. }
        )
    }

    /// What the hazard's grade asks of this action: a suspected-major hazard is assigned with
    /// the regulator's deadline, never the district's default one.
    pub fn check_grade(&self, grade: HazardGrade) -> Result<(), TransitionError> {
        match self {
            HazardAction::Assign { deadline: None, .. } if grade == HazardGrade::SuspectedMajor => {
                Err(TransitionError::Invalid(
                    "a suspected-major hazard is assigned with the regulator's deadline, \
                     and none was given",
                ))
            }
            _ => Ok(()),
        }
    }

    /// The state this action leads to from `from`, or why it cannot be taken by `role`.
    /// Flags (`supervise`, `escalate`) and `resolve_conflict` keep the state.
    pub fn next(&self, from: HazardStatus, role: Role) -> Result<HazardStatus, TransitionError> {
        use HazardStatus as S;
        let name = self.name();
        if role == Role::Resident || (role == Role::Worker && self.supervisors_only()) {
            let role = if role == Role::Resident {
                "resident"
            } else {
                "grid worker"
            };
            return Err(TransitionError::NotAllowed { role, action: name });
        }
        let not_from = || TransitionError::NotFrom { from, action: name };
        if from.is_terminal() {
            return Err(not_from());
        }
        let to = match (self, from) {
            (HazardAction::Verify, S::Reported) => S::Verifying,
            (HazardAction::Confirm { .. }, S::Reported | S::Verifying) => S::Confirmed,
            (HazardAction::Dismiss { reason }, S::Verifying) => {
                if reason.trim().is_empty() {
                    return Err(TransitionError::Invalid(
                        "dismissing a hazard needs a reason",
                    ));
                }
                S::Dismissed
            }
            (HazardAction::Merge { .. }, S::Verifying) => S::Merged,
            (HazardAction::FixOnSite { before, after }, S::Confirmed) => {
                if before.is_empty() || after.is_empty() {
                    return Err(TransitionError::Invalid(
                        "a fix on site needs a photo before and a photo after",
                    ));
                }
                S::FixedOnSite
            }
            (HazardAction::Assign { owner, .. }, S::Confirmed) => {
                if owner.trim().is_empty() {
                    return Err(TransitionError::Invalid(
                        "assigning a hazard needs an owner",
                    ));
                }
                S::Assigned
            }
            (HazardAction::Start, S::Assigned | S::RecheckFailed) => S::InProgress,
            (HazardAction::RequestRecheck, S::InProgress) => S::AwaitingRecheck,
            (
                HazardAction::RecheckPass { photos } | HazardAction::RecheckFail { photos },
                S::AwaitingRecheck,
            ) => {
                if photos.is_empty() {
                    return Err(TransitionError::Invalid("a re-check needs a photo"));
                }
                if matches!(self, HazardAction::RecheckPass { .. }) {
                    S::RecheckPassed
                } else {
                    S::RecheckFailed
                }
            }
            (HazardAction::Refer { department }, S::Confirmed) => {
                if department.trim().is_empty() {
                    return Err(TransitionError::Invalid(
                        "referring a hazard needs a department",
                    ));
                }
                S::Referred
            }
            (HazardAction::Close, S::RecheckPassed | S::FixedOnSite | S::Referred) => S::Closed,
            (
                HazardAction::Supervise { .. }
                | HazardAction::Escalate
                | HazardAction::ResolveConflict { .. },
                s,
            ) => s,
            _ => return Err(not_from()),
        };
        Ok(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HazardStatus as S;

    fn photo() -> Vec<String> {
        vec!["ab".repeat(32)]
    }

    #[test]
    fn a_suspected_major_hazard_is_assigned_only_with_a_deadline() {
        let assign = |deadline: Option<&str>| HazardAction::Assign {
            owner: "店主".into(),
            deadline: deadline.map(str::to_owned),
        };
        let refused = assign(None).check_grade(HazardGrade::SuspectedMajor);
        assert!(
            matches!(&refused, Err(TransitionError::Invalid(why)) if why.contains("regulator")),
            "{refused:?}"
        );
        let deadline = Some("2026-12-01T18:00:00+08:00");
        assert_eq!(
            assign(deadline).check_grade(HazardGrade::SuspectedMajor),
            Ok(())
        );
        assert_eq!(assign(None).check_grade(HazardGrade::General), Ok(()));
        assert_eq!(
            HazardAction::Start.check_grade(HazardGrade::SuspectedMajor),
            Ok(())
        );
    }

    #[test]
    fn the_happy_paths_of_domain_md_are_allowed() {
        let w = Role::Worker;
        let s = Role::Supervisor;
        let steps: &[(HazardAction, Role, S, S)] = &[
            (HazardAction::Verify, w, S::Reported, S::Verifying),
            (
                HazardAction::Confirm {
                    grade: HazardGrade::General,
                },
                w,
                S::Verifying,
                S::Confirmed,
            ),
            (
                HazardAction::Assign {
                    owner: "店主".into(),
                    deadline: None,
                },
                s,
                S::Confirmed,
                S::Assigned,
            ),
            (HazardAction::Start, w, S::Assigned, S::InProgress),
            (
                HazardAction::RequestRecheck,
                w,
                S::InProgress,
                S::AwaitingRecheck,
            ),
            (
                HazardAction::RecheckFail { photos: photo() },
                w,
                S::AwaitingRecheck,
                S::RecheckFailed,
            ),
            (HazardAction::Start, w, S::RecheckFailed, S::InProgress),
            (
                HazardAction::RequestRecheck,
                w,
                S::InProgress,
                S::AwaitingRecheck,
            ),
            (
                HazardAction::RecheckPass { photos: photo() },
                w,
                S::AwaitingRecheck,
                S::RecheckPassed,
            ),
            (HazardAction::Close, w, S::RecheckPassed, S::Closed),
            (
                HazardAction::FixOnSite {
                    before: photo(),
                    after: photo(),
                },
                w,
                S::Confirmed,
                S::FixedOnSite,
            ),
            (HazardAction::Close, w, S::FixedOnSite, S::Closed),
            (
                HazardAction::Refer {
                    department: "市场监管所".into(),
                },
                s,
                S::Confirmed,
                S::Referred,
            ),
            (
                HazardAction::Dismiss {
                    reason: "已整改".into(),
                },
                w,
                S::Verifying,
                S::Dismissed,
            ),
            (
                HazardAction::Merge {
                    into_hazard_id: "h1".into(),
                },
                s,
                S::Verifying,
                S::Merged,
            ),
            (
                HazardAction::Supervise { on: true },
                s,
                S::InProgress,
                S::InProgress,
            ),
        ];
        for (action, role, from, to) in steps {
            assert_eq!(
                action.next(*from, *role),
                Ok(*to),
                "{action:?} from {from:?}"
            );
        }
    }

    #[test]
    fn invalid_transitions_say_why() {
        let err = HazardAction::Close
            .next(S::InProgress, Role::Worker)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a hazard that is IN_PROGRESS cannot be close"
        );
        let err = HazardAction::Assign {
            owner: "x".into(),
            deadline: None,
        }
        .next(S::Confirmed, Role::Worker)
        .unwrap_err();
        assert_eq!(err.to_string(), "a grid worker may not assign a hazard");
        assert!(HazardAction::Verify
            .next(S::Closed, Role::Supervisor)
            .is_err());
        assert!(HazardAction::RecheckPass { photos: vec![] }
            .next(S::AwaitingRecheck, Role::Worker)
            .is_err());
        assert!(HazardAction::Start
            .next(S::Reported, Role::Resident)
            .is_err());
    }

    #[test]
    fn every_action_from_every_state_is_decided_without_panicking() {
        let all = [
            S::Reported,
            S::Verifying,
            S::Confirmed,
            S::FixedOnSite,
            S::Assigned,
            S::InProgress,
            S::AwaitingRecheck,
            S::RecheckPassed,
            S::RecheckFailed,
            S::Referred,
            S::Dismissed,
            S::Merged,
            S::Closed,
        ];
        for from in all {
            assert!(
                HazardAction::Escalate.next(from, Role::Supervisor).is_ok() != from.is_terminal()
            );
            assert_eq!(
                serde_json::from_str::<S>(&format!("\"{}\"", from.as_str())).unwrap(),
                from
            );
        }
    }
}
