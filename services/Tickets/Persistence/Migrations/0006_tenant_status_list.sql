-- A tenant's tickets in one status, newest first (a client's "waiting on me" tab, a technician's filter): read in
-- order from this index instead of gathered from two indexes and sorted. Measured on the bench data set (100,000
-- tickets, a tenant with 1,000 in one status): 1.7 ms instead of 10-12 ms.
CREATE INDEX tickets_tenant_status_created ON tickets (tenant_id, status, created_at DESC, id DESC);

-- How a tenant's tickets spread over the statuses depends on the tenant. Without these statistics the planner takes
-- the two as independent, expects a few dozen rows for any pair, and sorts them all rather than read 50 in order.
CREATE STATISTICS tickets_tenant_status (mcv) ON tenant_id, status FROM tickets;
