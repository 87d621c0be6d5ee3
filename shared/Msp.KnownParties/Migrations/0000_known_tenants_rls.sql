-- A service sees and writes the copies of only the tenants in its unit of work's scope.
ALTER TABLE known_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE known_tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY known_tenants_scope ON known_tenants
    USING (msp_in_scope(id)) WITH CHECK (msp_in_scope(id));
