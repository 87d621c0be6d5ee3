-- Each member of staff's stopwatch on a ticket (TicketTimer): one per ticket and technician, kept on the server so that
-- it survives a reload, a second tab or another device, until it is stopped into a time entry. Tenant-owned, so under
-- row-level security like every table of a ticket.
CREATE TABLE ticket_timers (
    tenant_id      uuid        NOT NULL,
    ticket_id      uuid        NOT NULL REFERENCES tickets (id),
    technician_id  uuid        NOT NULL,
    started_at     timestamptz NOT NULL,
    running_since  timestamptz,
    elapsed_before interval    NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, technician_id)
);
ALTER TABLE ticket_timers ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket_timers FORCE ROW LEVEL SECURITY;
CREATE POLICY ticket_timers_scope ON ticket_timers USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id));
