-- Billable usage from the Tickets service's time-entry events (latest version of each entry), and SLA breaches from
-- the Slas service (one per ticket clock): what invoice runs read.
CREATE TABLE usage_entries (
    time_entry_id    uuid PRIMARY KEY,
    tenant_id        uuid        NOT NULL,
    ticket_id        uuid        NOT NULL,
    ticket_reference text        NOT NULL,
    technician_id    uuid        NOT NULL,
    minutes          integer     NOT NULL,
    work_type        text        NOT NULL,
    billable         boolean     NOT NULL,
    work_date        date        NOT NULL,
    version          bigint      NOT NULL,
    deleted          boolean     NOT NULL,
    logged_at        timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX usage_entries_tenant_work_date ON usage_entries (tenant_id, work_date, logged_at);

CREATE TABLE sla_breaches (
    ticket_id        uuid        NOT NULL,
    clock            text        NOT NULL,
    tenant_id        uuid        NOT NULL,
    ticket_reference text,
    priority         text        NOT NULL,
    due_at           timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, clock)
);
CREATE INDEX sla_breaches_tenant_due ON sla_breaches (tenant_id, due_at);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['usage_entries', 'sla_breaches'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id))', t || '_scope', t);
    END LOOP;
END $$;
