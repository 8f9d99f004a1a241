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
