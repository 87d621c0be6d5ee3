-- A client's own tickets are those they asked for or opened for someone else (TicketFilter's "mine": requester_id or
-- created_by). Without an index on created_by the planner could not combine the two (a bitmap OR) and read the
-- tenant's open tickets one by one for the client's few. Measured on the bench data set (a tenant of 2,000 tickets, a
-- client with 71 open): the portal list's page in 0.7 ms instead of 4 ms, 71 table pages read instead of 999.
CREATE INDEX tickets_creator_created ON tickets (created_by, created_at DESC, id DESC);
