-- 002: the closed loop (issue 6, docs/adr/0013-server-closed-loop.md). Hazards grow their
-- lifecycle (applied steps, conflicts, deadlines, flags) and may come from a resident's report
-- rather than an inspection; the district's rules; residents' reports and their steps; warnings,
-- the grids' duty rosters and the receipt trail; user-specific rows in the changes feed.

-- The hazard ledger (隐患台账), rebuilt: `inspection_id`/`item_id` are absent when a resident's
-- report opened the hazard. Deadlines are server times; `due_at` is whichever applies now (the
-- report, fix or re-check deadline) and `overdue` what the server last computed from it.
CREATE TABLE hazards_v2 (
    hazard_id       TEXT PRIMARY KEY NOT NULL,
    inspection_id   TEXT REFERENCES inspections (inspection_id),
    item_id         TEXT,
    report_id       TEXT,                              -- the resident's report it came from
    venue_id        TEXT NOT NULL,
    grid            TEXT NOT NULL,
    street          TEXT NOT NULL,
    area            TEXT NOT NULL,
    grade           TEXT NOT NULL CHECK (grade IN ('general', 'suspected_major')),
    status          TEXT NOT NULL,                     -- DOMAIN.md state, e.g. REPORTED
    note            TEXT,
    reported_at     TEXT NOT NULL,                     -- device time
    received_at     TEXT NOT NULL,
    found_by        TEXT NOT NULL,                     -- user id of the inspector or checker
    owner           TEXT,                              -- who fixes it (assign)
    department      TEXT,                              -- referred to (refer)
    merged_into     TEXT,                              -- duplicate of (merge)
    report_deadline TEXT,                              -- suspected major: escalate or assign by
    fix_deadline    TEXT,                              -- assign: the rules' or the supervisor's
    recheck_due     TEXT,                              -- request_recheck + working days
    due_at          TEXT,                              -- the deadline that applies now
    overdue         INTEGER NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1)),
    supervised      INTEGER NOT NULL DEFAULT 0 CHECK (supervised IN (0, 1)),
    escalated       INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1))
) STRICT;
INSERT INTO hazards_v2 (hazard_id, inspection_id, item_id, venue_id, grid, street, area, grade,
    status, note, reported_at, received_at, found_by, supervised, report_deadline, due_at)
SELECT h.hazard_id, h.inspection_id, h.item_id, h.venue_id, h.grid, h.street, h.area, h.grade,
    h.status, h.note, h.reported_at, h.received_at, i.user_id,
    h.grade = 'suspected_major', NULL, NULL
FROM hazards h JOIN inspections i ON i.inspection_id = h.inspection_id;
DROP TABLE hazards;
ALTER TABLE hazards_v2 RENAME TO hazards;
CREATE INDEX hazards_by_grid ON hazards (grid);
CREATE INDEX hazards_by_street ON hazards (street);
CREATE INDEX hazards_by_answer ON hazards (inspection_id, item_id);
CREATE INDEX hazards_by_due ON hazards (due_at) WHERE due_at IS NOT NULL;

-- Every applied step of a hazard's lifecycle, oldest first (HazardStep). `event_id` is the
-- transition that made it (NULL for the server's own steps: overdue escalation).
CREATE TABLE hazard_steps (
    hazard_id TEXT NOT NULL REFERENCES hazards (hazard_id),
    step_no   INTEGER NOT NULL,
    event_id  TEXT,
    device_id TEXT,
    action    TEXT NOT NULL,                           -- `reported`, `confirm`, …
    status    TEXT NOT NULL,                           -- the state after the step
    at        TEXT NOT NULL,                           -- server time
    by_name   TEXT NOT NULL,                           -- staff name, or `system`
    note      TEXT,
    photos    TEXT NOT NULL DEFAULT '[]',              -- JSON array of SHA-256
    PRIMARY KEY (hazard_id, step_no)
) STRICT;
CREATE INDEX hazard_steps_by_event ON hazard_steps (event_id);

-- Hazards found before this migration start their timeline with the report.
INSERT INTO hazard_steps (hazard_id, step_no, action, status, at, by_name, note)
SELECT h.hazard_id, 0, 'reported', 'REPORTED', h.received_at,
    COALESCE((SELECT display_name FROM users u WHERE u.user_id = h.found_by), 'system'), h.note
FROM hazards h;

-- Transitions that clashed with another device's (R10): kept, never applied over the first,
-- until a supervisor's resolve_conflict keeps one of the two.
CREATE TABLE hazard_conflicts (
    event_id      TEXT PRIMARY KEY NOT NULL REFERENCES events (event_id),
    hazard_id     TEXT NOT NULL REFERENCES hazards (hazard_id),
    conflict_with TEXT NOT NULL,                       -- the applied event it clashed with
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'kept', 'void')),
    resolved_at   TEXT,
    resolved_by   TEXT                                 -- the resolve_conflict event
) STRICT;
CREATE INDEX hazard_conflicts_by_hazard ON hazard_conflicts (hazard_id, state);

-- The district's rules (deadlines, escalation, rate limits, dispatch radius) as JSON
-- (`rules::Rules`); a district without a row uses the defaults.
CREATE TABLE district_rules (
    district   TEXT PRIMARY KEY NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- A resident's phone number, if they gave one. Never shown to workers or venues.
CREATE TABLE resident_contacts (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (user_id),
    phone   TEXT NOT NULL
) STRICT;

-- Residents' reports, from the app (an event) or the venue page's web form. `grid` NULL with a
-- `street`: no venue near enough, so the street's supervisors dispatch it.
CREATE TABLE reports (
    report_id   TEXT PRIMARY KEY NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('app', 'web')),
    user_id     TEXT,                                  -- the resident (app); NULL (web)
    device_id   TEXT,
    rate_key    TEXT NOT NULL,                         -- `device:<id>` or `web:<address>`
    category    TEXT NOT NULL,
    description TEXT NOT NULL,
    location    TEXT,                                  -- GeoPoint JSON
    venue_id    TEXT,
    grid        TEXT,
    street      TEXT,
    status      TEXT NOT NULL,                         -- ReportStatus
    hazard_id   TEXT,
    secret_hash TEXT,                                  -- web: SHA-256 of the status link's key
    phone       TEXT,                                  -- web: the number given, never shown
    received_at TEXT NOT NULL
) STRICT;
CREATE INDEX reports_by_rate_key ON reports (rate_key, received_at);
CREATE INDEX reports_by_user ON reports (user_id);

-- What a reporter sees: each step, server time, never a name.
CREATE TABLE report_steps (
    report_id TEXT NOT NULL REFERENCES reports (report_id),
    step_no   INTEGER NOT NULL,
    status    TEXT NOT NULL,
    at        TEXT NOT NULL,
    note      TEXT,
    PRIMARY KEY (report_id, step_no)
) STRICT;

-- Photos of a report (evidence.attached with a report target, or the web form's upload).
CREATE TABLE report_photos (
    report_id TEXT NOT NULL REFERENCES reports (report_id),
    sha256    TEXT NOT NULL,
    PRIMARY KEY (report_id, sha256)
) STRICT;

-- Who a grid's warning escalates to, in order, after the grid's workers (position 0, implicit:
-- every worker of the grid not listed here). Without rows: the street's supervisors.
CREATE TABLE duty_rosters (
    grid     TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 1),
    user_id  TEXT NOT NULL REFERENCES users (user_id),
    PRIMARY KEY (grid, position, user_id)
) STRICT;

-- Warnings (预警) issued by supervisors.
CREATE TABLE warnings (
    warning_id         TEXT PRIMARY KEY NOT NULL,
    event_id           TEXT NOT NULL REFERENCES events (event_id),
    issued_by          TEXT NOT NULL REFERENCES users (user_id),
    street             TEXT NOT NULL,
    level              TEXT NOT NULL,
    warning_type       TEXT NOT NULL,
    grids              TEXT NOT NULL,                  -- JSON array
    text               TEXT NOT NULL,
    ack_within_minutes INTEGER NOT NULL,
    issued_at          TEXT NOT NULL
) STRICT;

-- The receipt trail: one row per recipient and grid. Position 0 rows are added at issue;
-- later positions when the one before did not acknowledge by `due_at` (escalation).
CREATE TABLE warning_receipts (
    warning_id      TEXT NOT NULL REFERENCES warnings (warning_id),
    user_id         TEXT NOT NULL REFERENCES users (user_id),
    grid            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    added_at        TEXT NOT NULL,
    escalated_from  TEXT,                              -- user id who did not acknowledge
    due_at          TEXT NOT NULL,
    delivered_at    TEXT,                              -- first sent to the user's device
    acknowledged_at TEXT,
    passed_on_at    TEXT,                              -- escalated onward from this row
    PRIMARY KEY (warning_id, user_id, grid)
) STRICT;
CREATE INDEX warning_receipts_due ON warning_receipts (due_at)
    WHERE acknowledged_at IS NULL AND passed_on_at IS NULL;
CREATE INDEX warning_receipts_by_user ON warning_receipts (user_id);

-- What came of applying an accepted event that was not simply applied (a refused transition,
-- a conflict, a report over the rate limit), so a duplicate push answers the same.
CREATE TABLE event_outcomes (
    event_id      TEXT PRIMARY KEY NOT NULL REFERENCES events (event_id),
    refused       TEXT,
    conflict_with TEXT
) STRICT;

-- Feed rows for one user only (a warning's recipient, a report's reporter). NULL: scoped by
-- grid/street as before.
ALTER TABLE changes ADD COLUMN user_id TEXT;
CREATE INDEX changes_by_user ON changes (user_id, server_seq);
