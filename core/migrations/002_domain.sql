-- 002: reference data (venue types, hazard areas, checklists, venues) and the projections the
-- screens read (inspections, answers, hazards). Projections are rebuilt from the journal by
-- replay; reference data arrives from outside (a pack shipped with the app, an import, sync).

-- Venue types (the nine small venues and the other sites the policy names); data, not code.
CREATE TABLE venue_types (
    code        TEXT PRIMARY KEY NOT NULL,       -- e.g. 'small_eatery'
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    small_venue INTEGER NOT NULL CHECK (small_venue IN (0, 1)) -- one of the 九小场所
) STRICT;

-- Hazard areas that checklist items and hazards are grouped by (消防器材, 疏散通道, ...).
CREATE TABLE hazard_areas (
    code    TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
) STRICT;

CREATE TABLE venues (
    venue_id          TEXT PRIMARY KEY NOT NULL,
    name              TEXT NOT NULL,
    venue_type        TEXT NOT NULL REFERENCES venue_types (code),
    industry          TEXT NOT NULL,
    address           TEXT NOT NULL,
    district          TEXT NOT NULL,             -- 区
    street            TEXT NOT NULL,             -- 街乡
    community         TEXT NOT NULL,             -- 社区
    grid              TEXT NOT NULL,             -- 网格
    latitude          REAL,
    longitude         REAL,
    coord_system      TEXT CHECK (coord_system IN ('wgs84', 'gcj02')), -- as picked on the map
    responsible_name  TEXT,
    responsible_phone TEXT,
    risk_colour       TEXT NOT NULL CHECK (risk_colour IN ('red', 'orange', 'yellow', 'blue')),
    CHECK ((latitude IS NULL) = (longitude IS NULL) AND (latitude IS NULL) = (coord_system IS NULL))
) STRICT;

-- Versioned checklist templates; an inspection pins the version it started with (R9).
CREATE TABLE checklist_templates (
    template_id TEXT NOT NULL,
    version     INTEGER NOT NULL,
    title_zh    TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    PRIMARY KEY (template_id, version)
) STRICT;

CREATE TABLE checklist_items (
    template_id   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    item_id       TEXT NOT NULL,                 -- e.g. 'E01'
    ordinal       INTEGER NOT NULL,
    area          TEXT NOT NULL REFERENCES hazard_areas (code),
    title_zh      TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    photo_on_fail INTEGER NOT NULL CHECK (photo_on_fail IN (0, 1)),
    may_be_major  INTEGER NOT NULL CHECK (may_be_major IN (0, 1)),
    applies       TEXT NOT NULL,                 -- JSON rule: "all" | {"types":[..]} | {"except":[..]}
    PRIMARY KEY (template_id, version, item_id),
    FOREIGN KEY (template_id, version) REFERENCES checklist_templates (template_id, version)
) STRICT;

-- Projection of inspection.started / inspection.finished.
CREATE TABLE inspections (
    inspection_id    TEXT PRIMARY KEY NOT NULL,
    venue_id         TEXT NOT NULL REFERENCES venues (venue_id),
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('in_progress', 'finished')),
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    FOREIGN KEY (template_id, template_version) REFERENCES checklist_templates (template_id, version)
) STRICT;

-- The items that applied to the venue when the inspection started, pinned with it.
CREATE TABLE inspection_items (
    inspection_id TEXT NOT NULL REFERENCES inspections (inspection_id),
    item_id       TEXT NOT NULL,
    PRIMARY KEY (inspection_id, item_id)
) STRICT;

-- Projection of inspection.answered: the latest answer per item wins (amendments are events).
CREATE TABLE answers (
    inspection_id   TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    result          TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'na')),
    note            TEXT,
    suspected_major INTEGER NOT NULL CHECK (suspected_major IN (0, 1)),
    answered_at     TEXT NOT NULL,
    PRIMARY KEY (inspection_id, item_id),
    FOREIGN KEY (inspection_id, item_id) REFERENCES inspection_items (inspection_id, item_id)
) STRICT;

-- Projection of the hazards an inspection found (one per failed item).
CREATE TABLE hazards (
    hazard_id     TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (inspection_id),
    venue_id      TEXT NOT NULL REFERENCES venues (venue_id),
    item_id       TEXT NOT NULL,
    area          TEXT NOT NULL REFERENCES hazard_areas (code),
    grade         TEXT NOT NULL CHECK (grade IN ('general', 'suspected_major')),
    status        TEXT NOT NULL,                 -- DOMAIN.md states, e.g. 'REPORTED'
    note          TEXT,
    reported_at   TEXT NOT NULL
) STRICT;
CREATE INDEX hazards_by_venue ON hazards (venue_id);
