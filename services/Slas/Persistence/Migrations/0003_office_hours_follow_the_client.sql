-- The seeded office hours count in each client's own time zone (decision 0115): a client in Europe/Berlin had its
-- 09:00-17:00 counted in UTC. Only the seeded calendar, and only if an operator left it as it was.
UPDATE sla_calendars
SET time_zone = 'client', name = 'Office hours (each client''s time zone)', updated_at = now()
WHERE id = '01930000-0000-7000-8000-00000000ca1e' AND time_zone = 'UTC' AND name = 'Office hours (UTC)';
