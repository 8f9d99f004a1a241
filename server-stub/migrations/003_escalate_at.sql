-- 003: when an overdue hazard escalates by itself (`due_at` + the district's grace), kept
-- beside `due_at` so the periodic check reads only the hazards whose moment has come instead of
-- re-evaluating every overdue one at each pull.
ALTER TABLE hazards ADD COLUMN escalate_at TEXT;
CREATE INDEX hazards_by_escalate_at ON hazards (escalate_at)
    WHERE escalate_at IS NOT NULL AND escalated = 0;
