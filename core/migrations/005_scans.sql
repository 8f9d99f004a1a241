-- 005: scan-to-inspect. The projection of venue.scanned: each verified scan of a venue's code
-- that started or continued an inspection, with where the phone was (the proof of presence).

CREATE TABLE venue_scans (
    scan_id        TEXT PRIMARY KEY NOT NULL,    -- UUIDv7, made on the device
    inspection_id  TEXT NOT NULL REFERENCES inspections (inspection_id),
    venue_id       TEXT NOT NULL,
    key_id         INTEGER NOT NULL,             -- the signing key the code names
    issued_at      INTEGER NOT NULL,             -- when the code was issued, Unix seconds
    token          TEXT NOT NULL,                -- as scanned, for the server to check again
    verification   TEXT NOT NULL,                -- ScanOutcome; the core records only 'verified'
    latitude       REAL,                         -- the GPS fix, WGS-84; NULL = no fix
    longitude      REAL,
    accuracy_m     REAL,
    provider       TEXT,                         -- 'gps', 'network', 'fused', ...
    mock           INTEGER CHECK (mock IN (0, 1)), -- the OS said: mock location provider
    fix_time       TEXT,                         -- UTC RFC 3339
    distance_m     REAL,                         -- fix to venue; NULL = unknown
    threshold_m    REAL NOT NULL,                -- farther than this is 'far'
    presence       TEXT NOT NULL CHECK (presence IN ('near', 'far', 'no_fix', 'venue_unlocated')),
    far_from_venue INTEGER NOT NULL CHECK (far_from_venue IN (0, 1)),
    scanned_at     TEXT NOT NULL,                -- device time of the event
    CHECK ((latitude IS NULL) = (longitude IS NULL) AND (latitude IS NULL) = (fix_time IS NULL))
) STRICT;
CREATE INDEX venue_scans_by_inspection ON venue_scans (inspection_id);
