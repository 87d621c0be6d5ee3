-- What a copy of a user needs to take reactivations, role changes and profile changes in any order (decision 0051):
-- the instant of the last of each. Tokens issued before a reactivation or a role change are refused.
ALTER TABLE known_users
    ADD COLUMN reactivated_at  timestamptz,
    ADD COLUMN role_changed_at timestamptz,
    ADD COLUMN profile_at      timestamptz;
