-- 001: the event journal and the outbox. The journal is the truth; everything else is derived.

-- Facts about this installation, e.g. the device id.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Every user action, append-only, hash-chained (docs/adr/0001-event-journal.md).
CREATE TABLE events (
    device_seq     INTEGER PRIMARY KEY NOT NULL, -- 1, 2, 3 ... without gaps
    event_id       TEXT NOT NULL UNIQUE,         -- UUIDv7, made on the device
    device_id      TEXT NOT NULL,
    kind           TEXT NOT NULL,                -- e.g. 'inspection.started'
    payload        TEXT NOT NULL,                -- canonical JSON
    device_time    TEXT NOT NULL,                -- UTC, RFC 3339 with milliseconds
    utc_offset_min INTEGER NOT NULL,             -- device UTC offset at device_time
    uptime_ms      INTEGER NOT NULL,             -- monotonic time since boot
    prev_hash      TEXT NOT NULL,                -- hash of device_seq - 1, or 64 zeros
    hash           TEXT NOT NULL                 -- SHA-256 of the canonical envelope
) STRICT;

-- Amendments are new events; a bug that tried to edit or delete one fails loudly.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event journal is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event journal is append-only');
END;

-- What still has to reach the server. A row leaves only after the server acknowledged it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    event_seq       INTEGER NOT NULL UNIQUE REFERENCES events (device_seq),
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'wedged')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,                        -- UTC RFC 3339; NULL = as soon as possible
    last_error      TEXT,                        -- wedge reason shown to the user
    created_at      TEXT NOT NULL
) STRICT;
