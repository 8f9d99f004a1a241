-- 006: the closed loop (docs/adr/0012-closed-loop.md). Projections of the new events (hazard
-- transitions, residents' reports and their checks, warnings issued and acknowledged), what the
-- server pulls down (the reports of this user's grids, a resident's own reports, warnings, the
-- ledger's new fields), and what the server answered about each event this device sent.

-- A photo may now be evidence of a resident's report too: the table is rebuilt with the new
-- target column (SQLite cannot change a CHECK in place). Rows are copied as they were.
ALTER TABLE evidence_links RENAME TO evidence_links_005;
CREATE TABLE evidence_links (
    sha256        TEXT NOT NULL REFERENCES evidence (sha256),
    inspection_id TEXT,
    item_id       TEXT,
    hazard_id     TEXT,
    report_id     TEXT,                          -- a resident's report (on the reporter's device)
    attached_at   TEXT NOT NULL,
    CHECK ((inspection_id IS NULL) = (item_id IS NULL)),
    CHECK ((inspection_id IS NOT NULL) + (hazard_id IS NOT NULL) + (report_id IS NOT NULL) = 1)
) STRICT;
INSERT INTO evidence_links (sha256, inspection_id, item_id, hazard_id, attached_at)
    SELECT sha256, inspection_id, item_id, hazard_id, attached_at FROM evidence_links_005;
DROP TABLE evidence_links_005;
CREATE UNIQUE INDEX evidence_links_unique ON evidence_links (sha256, coalesce(inspection_id, ''),
    coalesce(item_id, ''), coalesce(hazard_id, ''), coalesce(report_id, ''));
CREATE INDEX evidence_links_by_answer ON evidence_links (inspection_id, item_id);
CREATE INDEX evidence_links_by_hazard ON evidence_links (hazard_id);
CREATE INDEX evidence_links_by_report ON evidence_links (report_id);

-- Projection of hazard.transitioned: every action this device took on a hazard, in journal
-- order. Together with `event_outcomes` it gives the actions the server's ledger does not show
-- yet (pending), and those it refused or recorded as conflicts.
CREATE TABLE hazard_transitions (
    event_seq       INTEGER PRIMARY KEY NOT NULL, -- the event's device_seq
    event_id        TEXT NOT NULL UNIQUE,
    hazard_id       TEXT NOT NULL,
    action          TEXT NOT NULL,                -- 'confirm', 'recheck_pass', ... (HazardAction::name)
    detail          TEXT NOT NULL,                -- the action with its fields, JSON
    expected_status TEXT NOT NULL,                -- the state the device saw (DOMAIN.md spelling)
    to_status       TEXT NOT NULL,                -- the state the action leads to from there
    note            TEXT,
    recorded_at     TEXT NOT NULL                 -- device time of the event
) STRICT;
CREATE INDEX hazard_transitions_by_hazard ON hazard_transitions (hazard_id, event_seq);

-- Projection of report.submitted: the reports a resident sent from this device.
CREATE TABLE submitted_reports (
    report_id    TEXT PRIMARY KEY NOT NULL,       -- UUIDv7, made on the device
    category     TEXT NOT NULL,                   -- ReportCategory, e.g. 'escape_route'
    description  TEXT NOT NULL,
    latitude     REAL,
    longitude    REAL,
    coord_system TEXT CHECK (coord_system IN ('wgs84', 'gcj02')),
    venue_token  TEXT,                            -- the venue code scanned, as scanned
    submitted_at TEXT NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL) AND (latitude IS NULL) = (coord_system IS NULL))
) STRICT;

-- Projection of report.checked: what a worker on this device found on site. A hazard outcome
-- opens a hazard (REPORTED) the device can act on before the ledger brings it back.
CREATE TABLE report_checks (
    report_id  TEXT PRIMARY KEY NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('hazard', 'no_hazard')),
    hazard_id  TEXT UNIQUE,                       -- made on the device
    venue_id   TEXT,
    area       TEXT,
    grade      TEXT CHECK (grade IN ('general', 'suspected_major')),
    note       TEXT,                              -- the hazard's note, or why there is none
    checked_at TEXT NOT NULL,
    CHECK ((outcome = 'hazard') = (hazard_id IS NOT NULL AND venue_id IS NOT NULL
        AND area IS NOT NULL AND grade IS NOT NULL))
) STRICT;

-- Projection of warning.issued: warnings a supervisor issued from this device.
CREATE TABLE issued_warnings (
    warning_id         TEXT PRIMARY KEY NOT NULL,
    level              TEXT NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
    warning_type       TEXT NOT NULL,
    grids              TEXT NOT NULL,             -- JSON array; empty: every grid of the street
    text               TEXT NOT NULL,
    ack_within_minutes INTEGER NOT NULL,
    issued_at          TEXT NOT NULL
) STRICT;

-- Projection of warning.acknowledged: the 叫应 this device recorded.
CREATE TABLE warning_acks (
    warning_id      TEXT PRIMARY KEY NOT NULL,
    acknowledged_at TEXT NOT NULL
) STRICT;

-- Pulled, not projections (like ledger_hazards): the server's data, newest change wins.

-- Residents' reports dispatched to this user's grids. Never the reporter's identity.
CREATE TABLE grid_reports (
    report_id    TEXT PRIMARY KEY NOT NULL,
    category     TEXT NOT NULL,
    description  TEXT NOT NULL,
    latitude     REAL,
    longitude    REAL,
    coord_system TEXT CHECK (coord_system IN ('wgs84', 'gcj02')),
    venue_id     TEXT,
    grid         TEXT NOT NULL,
    status       TEXT NOT NULL,                   -- ReportStatus, e.g. 'dispatched'
    photos       TEXT NOT NULL,                   -- JSON array of evidence SHA-256s
    received_at  TEXT NOT NULL,                   -- server time
    hazard_id    TEXT,
    server_seq   INTEGER NOT NULL
) STRICT;

-- A resident's own reports and their steps, as the server tells the reporter.
CREATE TABLE my_reports (
    report_id   TEXT PRIMARY KEY NOT NULL,
    category    TEXT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL,
    steps       TEXT NOT NULL,                    -- JSON array of ReportStep
    server_seq  INTEGER NOT NULL
) STRICT;

-- Warnings for this user (new, escalated to them, acknowledged), as the server sent them.
CREATE TABLE warnings (
    warning_id     TEXT PRIMARY KEY NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
    warning_type   TEXT NOT NULL,
    grids          TEXT NOT NULL,                 -- JSON array
    text           TEXT NOT NULL,
    issued_at      TEXT NOT NULL,                 -- server time
    issued_by      TEXT NOT NULL,
    ack_due_at     TEXT NOT NULL,                 -- server time
    escalated_from TEXT,
    acknowledged   INTEGER NOT NULL CHECK (acknowledged IN (0, 1)), -- the server's view
    server_seq     INTEGER NOT NULL
) STRICT;

-- What the server answered about each event of this device it acknowledged, written in the
-- transaction that removes the event's outbox row. `refused`: accepted into the chain but not
-- applied (shown to the user); `conflict_with`: a hazard transition that clashed with another
-- device's event. `pulled` turns 1 at the end of the first complete pull after the answer:
-- from then on the ledger shows what the event did.
CREATE TABLE event_outcomes (
    event_seq       INTEGER PRIMARY KEY NOT NULL, -- this device's event
    server_seq      INTEGER,
    refused         TEXT,
    conflict_with   TEXT,
    acknowledged_at TEXT NOT NULL,                -- device time (UTC) of the answer
    pulled          INTEGER NOT NULL DEFAULT 0 CHECK (pulled IN (0, 1))
) STRICT;
CREATE INDEX event_outcomes_unpulled ON event_outcomes (pulled) WHERE pulled = 0;

-- The ledger's new fields (HazardState): deadlines and overdue from the server's clock, the
-- supervision and escalation flags, who fixes it, merges, open conflicts and the timeline.
ALTER TABLE ledger_hazards ADD COLUMN report_id TEXT;
ALTER TABLE ledger_hazards ADD COLUMN deadline TEXT;
ALTER TABLE ledger_hazards ADD COLUMN overdue INTEGER NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1));
ALTER TABLE ledger_hazards ADD COLUMN supervised INTEGER NOT NULL DEFAULT 0 CHECK (supervised IN (0, 1));
ALTER TABLE ledger_hazards ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1));
ALTER TABLE ledger_hazards ADD COLUMN owner TEXT;
ALTER TABLE ledger_hazards ADD COLUMN department TEXT;
ALTER TABLE ledger_hazards ADD COLUMN merged_into TEXT;
ALTER TABLE ledger_hazards ADD COLUMN conflicts TEXT NOT NULL DEFAULT '[]'; -- JSON: event ids
ALTER TABLE ledger_hazards ADD COLUMN timeline TEXT NOT NULL DEFAULT '[]';  -- JSON: HazardStep list
CREATE INDEX ledger_hazards_by_grid ON ledger_hazards (grid, status);
