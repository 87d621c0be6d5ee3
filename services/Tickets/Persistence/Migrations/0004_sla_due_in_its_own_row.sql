-- The SLA's due instant moves to a row of its own: Slas announces it after nearly every change of a ticket, and
-- written on the ticket it would change the ticket's version, so a client's next If-Match would fail for nothing.
DROP INDEX tickets_sla_due;
ALTER TABLE tickets DROP COLUMN sla_due_at;

CREATE TABLE ticket_sla_due (
    ticket_id  uuid PRIMARY KEY REFERENCES tickets (id),
    tenant_id  uuid        NOT NULL,
    revision   bigint      NOT NULL,
    due_at     timestamptz,
    updated_at timestamptz NOT NULL
);
CREATE INDEX ticket_sla_due_order ON ticket_sla_due (due_at, ticket_id) WHERE due_at IS NOT NULL;

ALTER TABLE ticket_sla_due ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket_sla_due FORCE ROW LEVEL SECURITY;
CREATE POLICY ticket_sla_due_scope ON ticket_sla_due USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id));
