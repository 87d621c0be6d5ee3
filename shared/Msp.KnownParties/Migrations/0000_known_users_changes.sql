-- Every change to known_users is announced on the channel msp_known_users when its transaction commits, so that a
-- service keeps a user's state in memory until it changes instead of reading it again on every request
-- (KnownUserChanges, decision 0018). One notification per statement: the listeners only need to know that
-- something changed, and PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION msp_known_users_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('msp_known_users', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER known_users_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON known_users
    FOR EACH STATEMENT EXECUTE FUNCTION msp_known_users_changed();
