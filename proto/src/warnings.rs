//! Warnings (预警) and their acknowledgement (叫应) (DOMAIN.md "Warnings and 叫应"): a supervisor
//! issues one for some grids; each worker of those grids must acknowledge; unacknowledged after
//! the set minutes it escalates to the next person on the grid's duty roster. The receipt trail
//! (delivered, acknowledged, escalated: who, when, server time) is kept.

use serde::{Deserialize, Serialize};

/// Blue is lowest, red highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    Blue,
    Yellow,
    Orange,
    Red,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningType {
    Rainstorm,
    Flood,
    Geological,
    Wind,
    Fire,
    Heat,
    Snow,
    Other,
}

/// A supervisor issues a warning (event `warning.issued` from a supervisor's device).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningIssued {
    pub warning_id: String,
    pub level: WarningLevel,
    pub warning_type: WarningType,
    /// The grids it is for; empty: every grid of the supervisor's street.
    pub grids: Vec<String>,
    pub text: String,
    /// Minutes a recipient has to acknowledge before it escalates.
    pub ack_within_minutes: u32,
}

/// A recipient acknowledges (event `warning.acknowledged`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningAcknowledged {
    pub warning_id: String,
}

/// A warning as a recipient sees it (changes feed and the live stream).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningForRecipient {
    pub warning_id: String,
    pub level: WarningLevel,
    pub warning_type: WarningType,
    pub grids: Vec<String>,
    pub text: String,
    /// Server time it was issued, and by whom (staff name).
    pub issued_at: String,
    pub issued_by: String,
    /// Acknowledge before this (server time).
    pub ack_due_at: String,
    /// It reached this user because someone before them on a roster did not acknowledge.
    pub escalated_from: Option<String>,
    /// This user has acknowledged (server's view).
    pub acknowledged: bool,
}

/// One line of the receipt trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningReceipt {
    pub user_id: String,
    pub display_name: String,
    pub grid: String,
    /// Position on the grid's duty roster (0: first responsible).
    pub roster_position: u32,
    /// Server times; absent until it happened.
    pub delivered_at: Option<String>,
    pub acknowledged_at: Option<String>,
    /// When this user was added because the one before did not acknowledge in time.
    pub escalated_at: Option<String>,
}

/// `GET /v1/warnings/{id}`: the warning and its receipt trail (supervisors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningTrail {
    pub warning: WarningForRecipient,
    pub receipts: Vec<WarningReceipt>,
}
