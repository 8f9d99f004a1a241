-- 001: the server's first schema. Accounts and devices; the event log every device pushes into
-- and the projections derived from it (inspections, answers, hazards, evidence); reference data
-- (grids, venues, checklist packs, signing keys); and the changes feed phones pull.
-- Times are UTC RFC 3339 text from the server clock unless the column says "device time".

-- People who may enroll devices.
CREATE TABLE users (
    user_id      TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('worker', 'supervisor', 'resident')),
    street       TEXT,                          -- supervisor: the street they supervise
    created_at   TEXT NOT NULL
) STRICT;

-- The grids a worker works in.
CREATE TABLE user_grids (
    user_id TEXT NOT NULL REFERENCES users (user_id),
    grid    TEXT NOT NULL,
    PRIMARY KEY (user_id, grid)
) STRICT;

-- Single-use enrollment codes. Only the SHA-256 of a code is kept.
CREATE TABLE enrollment_codes (
    code_hash  TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (user_id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,                            -- NULL until redeemed
    used_by    TEXT                             -- the device that redeemed it
) STRICT;

-- Enrolled devices. Only the SHA-256 of the current bearer token is kept; re-enrolling
-- replaces it, which revokes the old token.
CREATE TABLE devices (
    device_id   TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (user_id),
    device_name TEXT,
    token_hash  TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL
) STRICT;

-- Where each grid sits: 区 › 街乡 › 社区 › 网格.
CREATE TABLE grids (
    grid      TEXT PRIMARY KEY NOT NULL,
    community TEXT NOT NULL,
    street    TEXT NOT NULL,
    district  TEXT NOT NULL
) STRICT;

-- Venues (场所). `body` is the proto Venue as JSON; grid and street are copied out for scope.
CREATE TABLE venues (
    venue_id   TEXT PRIMARY KEY NOT NULL,
    grid       TEXT NOT NULL REFERENCES grids (grid),
    street     TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX venues_by_grid ON venues (grid, venue_id);

-- Published checklist packs (venue types, hazard areas, templates), immutable per version.
CREATE TABLE reference_packs (
    pack_version INTEGER PRIMARY KEY NOT NULL,
    body         TEXT NOT NULL,
    published_at TEXT NOT NULL
) STRICT;

-- Keys that sign venue codes (docs/adr/0006-venue-token.md). The secret is the Ed25519 seed;
-- a production server would keep it in a KMS, not beside the data.
CREATE TABLE signing_keys (
    key_id     INTEGER PRIMARY KEY NOT NULL,
    secret_key BLOB NOT NULL CHECK (length(secret_key) = 32),
    public_key TEXT NOT NULL,                   -- base64url, as published
    revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

-- Codes of a venue issued before `before` (Unix seconds) are refused.
CREATE TABLE venue_code_revocations (
    venue_id   TEXT PRIMARY KEY NOT NULL,
    before     INTEGER NOT NULL,
    revoked_at TEXT NOT NULL
) STRICT;

-- Every event a device pushed, exactly as sent (the hash covers all of it). Append-only.
CREATE TABLE events (
    server_seq     INTEGER PRIMARY KEY AUTOINCREMENT,  -- commit order across devices
    event_id       TEXT NOT NULL UNIQUE,
    device_id      TEXT NOT NULL,
    device_seq     INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    payload        TEXT NOT NULL,                      -- canonical JSON
    device_time    TEXT NOT NULL,                      -- device time
    utc_offset_min INTEGER NOT NULL,
    uptime_ms      INTEGER NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    user_id        TEXT NOT NULL,                      -- who held the device's token
    received_at    TEXT NOT NULL,
    UNIQUE (device_id, device_seq)
) STRICT;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Blobs an event needs (DomainEvent::blobs). An event is evidence-pending while one of its
-- blobs has no row in `blobs`.
CREATE TABLE event_blobs (
    event_id TEXT NOT NULL REFERENCES events (event_id),
    sha256   TEXT NOT NULL,
    PRIMARY KEY (event_id, sha256)
) STRICT;
CREATE INDEX event_blobs_by_sha ON event_blobs (sha256);

-- Blobs stored and verified.
CREATE TABLE blobs (
    sha256       TEXT PRIMARY KEY NOT NULL,
    length       INTEGER NOT NULL,
    completed_at TEXT NOT NULL
) STRICT;

-- Inspections as the events describe them; grid and street are the venue's at the start.
CREATE TABLE inspections (
    inspection_id    TEXT PRIMARY KEY NOT NULL,
    venue_id         TEXT NOT NULL REFERENCES venues (venue_id),
    grid             TEXT NOT NULL,
    street           TEXT NOT NULL,
    device_id        TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    items            TEXT NOT NULL,                    -- JSON array of the pinned item ids
    started_at       TEXT NOT NULL,                    -- device time
    finished_at      TEXT,                             -- device time
    received_at      TEXT NOT NULL
) STRICT;

-- The latest answer per item.
CREATE TABLE answers (
    inspection_id   TEXT NOT NULL REFERENCES inspections (inspection_id),
    item_id         TEXT NOT NULL,
    verdict         TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'na')),
    note            TEXT,
    suspected_major INTEGER NOT NULL CHECK (suspected_major IN (0, 1)),
    answered_at     TEXT NOT NULL,                     -- device time
    PRIMARY KEY (inspection_id, item_id)
) STRICT;

-- The hazard ledger (隐患台账).
CREATE TABLE hazards (
    hazard_id     TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (inspection_id),
    venue_id      TEXT NOT NULL,
    grid          TEXT NOT NULL,
    street        TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    area          TEXT NOT NULL,
    grade         TEXT NOT NULL CHECK (grade IN ('general', 'suspected_major')),
    status        TEXT NOT NULL,                       -- DOMAIN.md state, e.g. REPORTED
    note          TEXT,
    reported_at   TEXT NOT NULL,                       -- device time
    received_at   TEXT NOT NULL
) STRICT;
CREATE INDEX hazards_by_grid ON hazards (grid);
CREATE INDEX hazards_by_answer ON hazards (inspection_id, item_id);

-- Photo metadata from evidence.added (the bytes are blobs).
CREATE TABLE evidence (
    sha256          TEXT PRIMARY KEY NOT NULL,
    bytes           INTEGER NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    original_sha256 TEXT NOT NULL,
    original_bytes  INTEGER NOT NULL,
    captured_at     TEXT,
    location        TEXT,                              -- GeoPoint JSON
    device_id       TEXT NOT NULL,
    added_at        TEXT NOT NULL,                     -- device time
    received_at     TEXT NOT NULL
) STRICT;

-- What each photo is evidence of (evidence.attached), one row per event.
CREATE TABLE evidence_links (
    event_id      TEXT PRIMARY KEY NOT NULL REFERENCES events (event_id),
    sha256        TEXT NOT NULL,
    target_type   TEXT NOT NULL CHECK (target_type IN ('answer', 'hazard')),
    inspection_id TEXT,                                -- answer targets
    item_id       TEXT,
    hazard_id     TEXT                                 -- hazard targets
) STRICT;
CREATE INDEX evidence_links_by_sha ON evidence_links (sha256);
CREATE INDEX evidence_links_by_answer ON evidence_links (inspection_id, item_id);
CREATE INDEX evidence_links_by_hazard ON evidence_links (hazard_id);

-- The changes feed phones pull, in commit order. Each row is appended in the same transaction
-- as the data it describes. `grid`/`street` scope it; both NULL = everyone (packs, keys).
CREATE TABLE changes (
    server_seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type       TEXT NOT NULL,                          -- the ChangeBody tag
    entity_id  TEXT NOT NULL,
    grid       TEXT,
    street     TEXT,
    body       TEXT NOT NULL,                          -- the ChangeBody as JSON
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX changes_by_grid ON changes (grid, server_seq);
CREATE INDEX changes_by_street ON changes (street, server_seq);

-- One-off facts, e.g. that the demo district was seeded.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
