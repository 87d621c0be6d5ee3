-- Search by an expression index instead of a stored vector (docs/decisions/0012): writes no longer store a second
-- copy of the text, and reads no longer carry the vector back with every ticket. Queries match exactly this
-- expression, as TicketSearch writes it.
DROP INDEX tickets_search;
ALTER TABLE tickets DROP COLUMN search;
CREATE INDEX tickets_search ON tickets USING gin (to_tsvector('simple', subject || ' ' || description || ' ' || public_text));
