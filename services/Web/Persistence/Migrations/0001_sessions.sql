-- Sign-in sessions of the web app (a backend for the front end). The browser's cookie carries only the session key;
-- this table keeps, per session, the signed-in principal and the user's access and refresh tokens, each protected
-- with ASP.NET Core Data Protection (the key ring every Msp process shares). The key itself is stored hashed.
CREATE TABLE sessions (
    key_hash          bytea       PRIMARY KEY,
    user_id           uuid        NOT NULL,
    ticket            bytea       NOT NULL,
    access_token      bytea       NOT NULL,
    refresh_token     bytea       NOT NULL,
    access_expires_at timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    refreshed_at      timestamptz NULL,
    expires_at        timestamptz NOT NULL
);

-- Sign-out everywhere and the sweep of expired sessions.
CREATE INDEX ix_sessions_user ON sessions (user_id);
CREATE INDEX ix_sessions_expires ON sessions (expires_at);
