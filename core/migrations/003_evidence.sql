-- 003: photo evidence. Files live content-addressed in the evidence folder
-- (<sha256>.jpg, thumbs/<sha256>.jpg); these tables are projections of evidence.added and
-- evidence.attached.

-- One row per normalised photo (the same photo ingested twice is one row).
CREATE TABLE evidence (
    sha256          TEXT PRIMARY KEY NOT NULL,  -- of the stored evidence JPEG
    bytes           INTEGER NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    original_sha256 TEXT NOT NULL,              -- of the photo as the camera wrote it
    original_bytes  INTEGER NOT NULL,
    captured_at     TEXT,                       -- EXIF capture time, RFC 3339
    latitude        REAL,                       -- EXIF GPS, WGS-84
    longitude       REAL,
    added_at        TEXT NOT NULL               -- device time of evidence.added
) STRICT;
CREATE INDEX evidence_by_original ON evidence (original_sha256);

-- What each photo is evidence of: an answer (inspection_id + item_id) or a hazard.
CREATE TABLE evidence_links (
    sha256        TEXT NOT NULL REFERENCES evidence (sha256),
    inspection_id TEXT,
    item_id       TEXT,
    hazard_id     TEXT,
    attached_at   TEXT NOT NULL,
    CHECK ((inspection_id IS NOT NULL AND item_id IS NOT NULL AND hazard_id IS NULL)
        OR (inspection_id IS NULL AND item_id IS NULL AND hazard_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX evidence_links_unique
    ON evidence_links (sha256, coalesce(inspection_id, ''), coalesce(item_id, ''), coalesce(hazard_id, ''));
CREATE INDEX evidence_links_by_answer ON evidence_links (inspection_id, item_id);
CREATE INDEX evidence_links_by_hazard ON evidence_links (hazard_id);

-- This device's copy of each photo: the thumbnail and how the original was read, and whether the
-- files are still on disk. Not a projection: it is written in the transaction that records
-- evidence.added (or re-stores a collected photo), replay does not rebuild it and
-- `project::differences` does not compare it. Garbage collection of a photo nothing was
-- attached to deletes its files and sets `collected_at`; the evidence row and its event stay
-- (the journal is append-only, so replay must still produce the row).
CREATE TABLE evidence_files (
    sha256          TEXT PRIMARY KEY NOT NULL
                    REFERENCES evidence (sha256) DEFERRABLE INITIALLY DEFERRED, -- the event's row is projected after this one is written
    thumb_sha256    TEXT NOT NULL,             -- thumbs/<sha256>.jpg (named by the evidence hash)
    thumb_bytes     INTEGER NOT NULL,
    thumb_width     INTEGER NOT NULL,
    thumb_height    INTEGER NOT NULL,
    original_format TEXT NOT NULL CHECK (original_format IN ('jpeg', 'png')),
    original_width  INTEGER NOT NULL,          -- as stored in the file, before orientation
    original_height INTEGER NOT NULL,
    orientation     INTEGER NOT NULL CHECK (orientation BETWEEN 1 AND 8), -- EXIF, applied to the pixels
    stored_at       TEXT NOT NULL,             -- UTC; last time this photo was ingested (grace starts here)
    collected_at    TEXT                       -- UTC; files deleted as an abandoned draft, NULL while on disk
) STRICT;
