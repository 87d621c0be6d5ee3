-- A tenant's e-mail domains (decision 0082): mail from an unknown sender of one of them opens a ticket as a new
-- requester of that tenant. A domain belongs to one tenant at most (checked by the API).
ALTER TABLE tenants ADD COLUMN email_domains text[] NOT NULL DEFAULT '{}';
CREATE INDEX ix_tenants_email_domains ON tenants USING gin (email_domains);
