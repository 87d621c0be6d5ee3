-- What the portal shows and changes of a user (decision 0050): their language and time zone (null follows the
-- tenant), when they accepted their invitation and when they were deactivated, and when they last asked for a
-- password reset (one a minute).
ALTER TABLE users
    ADD COLUMN language          text        NULL CHECK (language IN ('en', 'fr', 'it')),
    ADD COLUMN time_zone         text        NULL,
    ADD COLUMN activated_at      timestamptz NULL,
    ADD COLUMN deactivated_at    timestamptz NULL,
    ADD COLUMN password_reset_at timestamptz NULL;
UPDATE users SET activated_at = created_at WHERE password_hash IS NOT NULL;
-- A tenant's users are listed by name; the list's filters are few and the rows per tenant are tens to hundreds.
CREATE INDEX ix_users_staff_name ON users (display_name, id) WHERE tenant_id IS NULL;

-- A re-sent invitation replaces the one before.
ALTER TABLE invitations ADD COLUMN revoked_at timestamptz NULL;

-- A password reset is a single-use, expiring token, stored hashed like invitations. It carries the user's tenant
-- (null for staff) so that row-level security keeps it as it keeps the users.
CREATE TABLE password_resets (
    id           uuid PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id    uuid        NULL REFERENCES tenants (id),
    token_hash   text        NOT NULL,
    requested_by uuid        NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz NULL,
    revoked_at   timestamptz NULL
);
CREATE UNIQUE INDEX ux_password_resets_token_hash ON password_resets (token_hash);
CREATE INDEX ix_password_resets_user_id ON password_resets (user_id) WHERE used_at IS NULL AND revoked_at IS NULL;
ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_resets FORCE ROW LEVEL SECURITY;
CREATE POLICY password_resets_scope ON password_resets
    USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id));
