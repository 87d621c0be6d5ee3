-- Every tenant-owned table of Tickets: a unit of work reads and writes only its scope's rows.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['ticket_counters', 'tickets', 'ticket_comments', 'ticket_attachments', 'time_entries',
                             'ticket_history', 'idempotency_keys'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id))', t || '_scope', t);
    END LOOP;
END $$;
