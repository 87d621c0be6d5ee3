-- The same test as 0000_access_scope, written so that the planner cannot inline it (docs/decisions/0013).
-- Inlined, its OR of two settings looked to the planner as if it kept about one row in two hundred, so a list
-- "newest first" of full-text matches sorted every match instead of walking the newest tickets until it had a page.
-- Opaque, it is guessed at one row in three, which is about what a scope of one tenant among dozens, or of every
-- tenant, keeps. It still runs once per row checked; it reads two settings and returns.
CREATE OR REPLACE FUNCTION msp_in_scope(tenant uuid) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN coalesce(current_setting('msp.all_tenants', true), '') = 'on'
        OR tenant = ANY (coalesce(nullif(current_setting('msp.tenant_ids', true), ''), '{}')::uuid[]);
END
$$;
