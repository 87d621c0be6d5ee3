-- What a downstream service knows of each user, kept from the Tenants service's events: enough to name a
-- requester or an assignee, to check a technician's tenants, and to refuse a deactivated user's tokens.
CREATE TABLE known_users (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid,                      -- null: the provider's staff
    email               text        NOT NULL,
    display_name        text        NOT NULL,
    role                text        NOT NULL,
    all_tenants         boolean     NOT NULL DEFAULT false,
    assigned_tenants    uuid[]      NOT NULL DEFAULT '{}',
    sessions_valid_from timestamptz,                -- tokens issued before this are refused
    deactivated_at      timestamptz,
    recorded_at         timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE INDEX known_users_tenant ON known_users (tenant_id);

-- A client's users are theirs; staff rows (no tenant) are visible to every scope, so a client sees who works on
-- their ticket and a technician's own row is readable whatever tenant they act on.
ALTER TABLE known_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE known_users FORCE ROW LEVEL SECURITY;
CREATE POLICY known_users_scope ON known_users
    USING (tenant_id IS NULL OR msp_in_scope(tenant_id))
    WITH CHECK (tenant_id IS NULL OR msp_in_scope(tenant_id));
