-- Who opened each ticket, from TicketCreated: a ClientUser reads the clocks of the tickets they requested or opened
-- (decision 0052). Null for tickets announced before the event carried it; their requester still reads them.
ALTER TABLE sla_tickets ADD COLUMN created_by uuid;
