-- Invoice runs in the background (decision 0112): a run is queued, then running with its progress (tenants done of the
-- total, reported on the row), then succeeded or failed. One run of a month is queued or running at a time.
ALTER TABLE invoice_runs
    ADD COLUMN status text NOT NULL DEFAULT 'Succeeded',
    ADD COLUMN queued_at timestamptz,
    ADD COLUMN updated_at timestamptz,
    ADD COLUMN tenants_done integer NOT NULL DEFAULT 0,
    ADD COLUMN error text;
UPDATE invoice_runs SET queued_at = started_at, updated_at = finished_at, tenants_done = tenants;
ALTER TABLE invoice_runs
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN queued_at SET NOT NULL,
    ALTER COLUMN updated_at SET NOT NULL,
    ALTER COLUMN started_at DROP NOT NULL,
    ALTER COLUMN finished_at DROP NOT NULL,
    ADD CONSTRAINT invoice_runs_status CHECK (status IN ('Queued', 'Running', 'Succeeded', 'Failed'));
CREATE UNIQUE INDEX invoice_runs_one_active_per_period ON invoice_runs (period) WHERE status IN ('Queued', 'Running');
