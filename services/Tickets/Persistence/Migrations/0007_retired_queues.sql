-- Queues can be retired like categories: a retired queue stays on the tickets that have it and in the history, but
-- cannot be chosen for a ticket any more. Names stay unique whatever their case, so two queues never read alike.
ALTER TABLE ticket_queues ADD COLUMN is_active boolean NOT NULL DEFAULT true;
ALTER TABLE ticket_queues ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE ticket_categories ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX ticket_queues_name_folded ON ticket_queues (lower(name));
