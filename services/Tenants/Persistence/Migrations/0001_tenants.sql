CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE tenants (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug          text        NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$'),
    time_zone     text        NOT NULL,
    country       char(2)     NOT NULL,
    contact_name  text        NULL,
    contact_email text        NULL,
    contact_phone text        NULL,
    status        text        NOT NULL CHECK (status IN ('Active', 'Suspended', 'Offboarded')),
    version       bigint      NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE UNIQUE INDEX ux_tenants_slug ON tenants (slug);
-- Lists are keyset-paged by (name, id), optionally filtered by status or a name fragment.
CREATE INDEX ix_tenants_name_id ON tenants (name, id);
CREATE INDEX ix_tenants_status_name_id ON tenants (status, name, id);
CREATE INDEX ix_tenants_name_trgm ON tenants USING gin (name gin_trgm_ops);
