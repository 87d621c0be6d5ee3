-- When each user was last reactivated, changed role, had their tenants replaced and changed their profile (decision
-- 0128): the instants the services' copies of the user order these changes by, which the Tenants service announces
-- again when a service that knows no one asks.
ALTER TABLE users
    ADD COLUMN reactivated_at     timestamptz NULL,
    ADD COLUMN role_changed_at    timestamptz NULL,
    ADD COLUMN scope_changed_at   timestamptz NULL,
    ADD COLUMN profile_changed_at timestamptz NULL;

-- Until now they lived only in the events published, which the outbox still holds, each user's last of each kind.
-- The fraction is cut to microseconds, as the copies stored it: rounding could make an instant a microsecond later
-- than a copy's, which the copy would then take as a newer change.
SELECT set_config('msp.all_tenants', 'on', true);

WITH changes AS (
    SELECT (payload->>'userId')::uuid AS user_id, message_type,
           regexp_replace(payload->>'occurredAt', '(\.\d{6})\d+', '\1')::timestamptz AS at
    FROM outbox
    WHERE message_type IN ('Msp.Contracts.Tenants.UserReactivated', 'Msp.Contracts.Tenants.UserRoleChanged',
                           'Msp.Contracts.Tenants.TechnicianScopeChanged', 'Msp.Contracts.Tenants.UserProfileChanged')
), last AS (
    SELECT user_id,
           max(at) FILTER (WHERE message_type = 'Msp.Contracts.Tenants.UserReactivated')        AS reactivated_at,
           max(at) FILTER (WHERE message_type = 'Msp.Contracts.Tenants.UserRoleChanged')        AS role_changed_at,
           max(at) FILTER (WHERE message_type = 'Msp.Contracts.Tenants.TechnicianScopeChanged') AS scope_changed_at,
           max(at) FILTER (WHERE message_type = 'Msp.Contracts.Tenants.UserProfileChanged')     AS profile_changed_at
    FROM changes
    GROUP BY user_id
)
UPDATE users u
SET reactivated_at = last.reactivated_at, role_changed_at = last.role_changed_at,
    scope_changed_at = last.scope_changed_at, profile_changed_at = last.profile_changed_at
FROM last
WHERE last.user_id = u.id;

SELECT set_config('msp.all_tenants', '', true);
