-- How many tickets each tenant has in each status, kept as the tickets change (decision 0127). A queue's header counts
-- its open tickets on every view and every live update; counted from the tickets it read every open ticket of the
-- scope and checked the row-level security of each (12 ms alone, 77 ms a call under the desk bench, the first
-- statement of pg_stat_statements). Read from here it is a few rows per tenant of the scope.
--
-- A write never updates a shared count: a trigger appends the change (+n or -n for a tenant and status) to
-- ticket_status_changes, and TicketStatusCounts.FoldAsync moves them into ticket_status_counts in one statement, in
-- the order of the key. A bulk change of many tickets, or two transactions changing tickets of one tenant, thus wait
-- for nothing and cannot deadlock on a count. A reader adds both tables up in one snapshot: the fold deletes the
-- changes and adds them to the counts in the same statement, so it sees each change exactly once.
CREATE TABLE ticket_status_counts (
    tenant_id uuid   NOT NULL,
    status    text   NOT NULL,
    tickets   bigint NOT NULL,
    PRIMARY KEY (tenant_id, status)
);

CREATE TABLE ticket_status_changes (
    tenant_id uuid   NOT NULL,
    status    text   NOT NULL,
    tickets   bigint NOT NULL
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['ticket_status_counts', 'ticket_status_changes'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id))', t || '_scope', t);
    END LOOP;
END $$;

-- Inserts and deletes once per statement, grouped (a COPY of many tickets appends one row per tenant and status);
-- an update only when it moves a ticket to another status or tenant.
CREATE FUNCTION tickets_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_status_changes (tenant_id, status, tickets)
    SELECT tenant_id, status, count(*) FROM inserted GROUP BY tenant_id, status;
    RETURN NULL;
END
$$;

CREATE FUNCTION tickets_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_status_changes (tenant_id, status, tickets)
    SELECT tenant_id, status, -count(*) FROM deleted GROUP BY tenant_id, status;
    RETURN NULL;
END
$$;

CREATE FUNCTION tickets_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_status_changes (tenant_id, status, tickets)
    VALUES (OLD.tenant_id, OLD.status, -1), (NEW.tenant_id, NEW.status, 1);
    RETURN NULL;
END
$$;

CREATE TRIGGER tickets_counted_on_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION tickets_count_inserted();
CREATE TRIGGER tickets_counted_on_delete AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION tickets_count_deleted();
CREATE TRIGGER tickets_counted_on_move AFTER UPDATE OF status, tenant_id ON tickets
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION tickets_count_moved();

-- The tickets already there, counted once (the migration runs in one transaction, across every tenant).
SELECT set_config('msp.all_tenants', 'on', true);
INSERT INTO ticket_status_counts (tenant_id, status, tickets)
SELECT tenant_id, status, count(*) FROM tickets GROUP BY tenant_id, status;
SELECT set_config('msp.all_tenants', '', true);
