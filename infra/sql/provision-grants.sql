-- What the two roles of a service's database may do. Run in that database (after provision-database.sql) as a
-- superuser, with the psql variable name. k8s/base/databases/*.yaml says the same to CloudNativePG.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I, %I', :'name', :'name' || '_owner', :'name' || '_app') \gexec
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'name' || '_app') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', :'name' || '_owner', :'name' || '_app') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', :'name' || '_owner', :'name' || '_app') \gexec
-- Full-text matching may use its GIN index under row-level security only if it is leakproof (it reveals nothing of
-- a row through errors or side effects); only a superuser can say so. See docs/decisions/0013.
ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF;
