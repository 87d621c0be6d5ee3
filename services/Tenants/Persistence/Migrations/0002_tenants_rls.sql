-- A tenant row is visible and writable only inside a scope that includes it.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_scope ON tenants
    USING (msp_in_scope(id)) WITH CHECK (msp_in_scope(id));
