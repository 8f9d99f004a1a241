-- 004: sync. The account this device enrolled with, the evidence upload queue, and the data
-- pull brings from the server (keys, code revocations, the server's hazard ledger). The pull
-- cursor, clock skew and last sync time live in meta.

-- The enrollment (one row). The bearer token is app-private data like the rest of the file.
CREATE TABLE account (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    server_url   TEXT NOT NULL,
    token        TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('worker', 'supervisor', 'resident')),
    grids        TEXT NOT NULL,                -- JSON array of grid names
    street       TEXT,
    enrolled_at  TEXT NOT NULL,
    auth_failed  INTEGER NOT NULL DEFAULT 0    -- the server answered 401: paused until re-enrolled
) STRICT;

-- A back-off the server asked for (Retry-After) is kept even when the user presses "sync now";
-- the client's own exponential back-off is not.
ALTER TABLE outbox ADD COLUMN server_delay INTEGER NOT NULL DEFAULT 0 CHECK (server_delay IN (0, 1));

-- Evidence files waiting to be uploaded; a row leaves when the server holds the verified blob.
CREATE TABLE blob_uploads (
    sha256          TEXT PRIMARY KEY NOT NULL REFERENCES evidence (sha256),
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'wedged')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,                        -- UTC RFC 3339; NULL = as soon as possible
    server_delay    INTEGER NOT NULL DEFAULT 0 CHECK (server_delay IN (0, 1)),
    last_error      TEXT,                        -- wedge reason shown to the user
    created_at      TEXT NOT NULL
) STRICT;

-- Public keys venue codes are verified with (docs/adr/0006-venue-token.md).
CREATE TABLE signing_keys (
    key_id     INTEGER PRIMARY KEY NOT NULL,
    public_key TEXT NOT NULL,                    -- Ed25519, base64url
    revoked    INTEGER NOT NULL CHECK (revoked IN (0, 1))
) STRICT;

-- Codes of a venue issued before `before` (Unix seconds) are refused.
CREATE TABLE venue_code_revocations (
    venue_id TEXT PRIMARY KEY NOT NULL,
    before   INTEGER NOT NULL
) STRICT;

-- The server's view of the hazards in this user's grids (the ledger, 台账); the authority on
-- status. The `hazards` table holds what this device reported, as its journal says.
CREATE TABLE ledger_hazards (
    hazard_id        TEXT PRIMARY KEY NOT NULL,
    venue_id         TEXT NOT NULL,
    grid             TEXT NOT NULL,
    inspection_id    TEXT,                         -- NULL when a resident's report found it
    item_id          TEXT,
    area             TEXT NOT NULL,
    grade            TEXT NOT NULL CHECK (grade IN ('general', 'suspected_major')),
    status           TEXT NOT NULL,
    note             TEXT,
    reported_at      TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    evidence_pending INTEGER NOT NULL CHECK (evidence_pending IN (0, 1)),
    server_seq       INTEGER NOT NULL
) STRICT;
