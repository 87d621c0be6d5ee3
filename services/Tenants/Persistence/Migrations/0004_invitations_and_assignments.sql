-- An invitation is a single-use, expiring token that lets an invited user choose their password.
CREATE TABLE invitations (
    id          uuid PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz NULL
);
CREATE UNIQUE INDEX ux_invitations_token_hash ON invitations (token_hash);
CREATE INDEX ix_invitations_user_id ON invitations (user_id);

-- Which tenants a technician works for; or all of them.
ALTER TABLE users ADD COLUMN all_tenants boolean NOT NULL DEFAULT false;
CREATE TABLE technician_tenants (
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (user_id, tenant_id)
);
CREATE INDEX ix_technician_tenants_tenant_id ON technician_tenants (tenant_id);
ALTER TABLE technician_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE technician_tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY technician_tenants_scope ON technician_tenants
    USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id));
