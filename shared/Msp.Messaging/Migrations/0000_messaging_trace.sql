-- The trace of the change that wrote an outbox row, so that its publish and its consumers join that trace.
ALTER TABLE outbox ADD COLUMN trace_parent text NULL;
