-- Row-level security reads the unit of work's scope from two settings that every connection of the
-- application sets when it opens (TenantScopeInterceptor). Unset or empty means: no tenant at all.
CREATE FUNCTION msp_in_scope(tenant uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('msp.all_tenants', true), '') = 'on'
        OR tenant = ANY (coalesce(nullif(current_setting('msp.tenant_ids', true), ''), '{}')::uuid[])
$$;
