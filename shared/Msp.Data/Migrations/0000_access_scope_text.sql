-- The same test as 0000_access_scope_planner, without turning msp.tenant_ids into a uuid[] on every call
-- (decision 0018). The policies call it once per row they check, and a batch of events or a technician's scope
-- carries dozens of tenants: parsing them per row was about a twelfth of PostgreSQL's time under load. The setting
-- is written only by TenantScopeInterceptor, as canonical ids joined by commas in braces; a canonical id contains no
-- comma or brace, so it is found in that text exactly when it is one of its elements.
CREATE OR REPLACE FUNCTION msp_in_scope(tenant uuid) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN coalesce(current_setting('msp.all_tenants', true), '') = 'on'
        OR strpos(coalesce(current_setting('msp.tenant_ids', true), ''), tenant::text) > 0;
END
$$;
