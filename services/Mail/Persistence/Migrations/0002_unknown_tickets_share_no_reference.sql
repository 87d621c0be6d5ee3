-- A ticket known only from its SLA events (its creation has not arrived yet) has no reference yet: several such
-- tickets of one tenant must not collide on the reference's unique index. Lookups by reference keep a full index.
DROP INDEX mail_tickets_reference;
CREATE INDEX mail_tickets_reference ON mail_tickets (tenant_id, reference);
CREATE UNIQUE INDEX mail_tickets_reference_once ON mail_tickets (tenant_id, reference) WHERE reference <> '';
