-- Transactional outbox: written in the same transaction as the change it announces.
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,
    message_type  text        NOT NULL,
    payload       jsonb       NOT NULL,
    tenant_id     uuid        NOT NULL,
    correlation_id text       NULL,
    occurred_at   timestamptz NOT NULL,
    published_at  timestamptz NULL,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text        NULL
);
-- The relay only ever looks for what is still unpublished, oldest first.
CREATE INDEX ix_outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Inbox: one row per (event, consumer) processed, written with the consumer's own changes.
CREATE TABLE inbox (
    event_id     uuid        NOT NULL,
    consumer     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);
