-- What a downstream service knows of each tenant, kept from the Tenants service's events.
CREATE TABLE known_tenants (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    slug        text        NOT NULL,
    status      text        NOT NULL,
    time_zone   text        NOT NULL,
    country     text        NOT NULL,
    version     bigint      NOT NULL,
    recorded_at timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
