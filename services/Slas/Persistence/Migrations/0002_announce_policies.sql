-- Billing learns the provider's SLA policies from SlaPolicyCreated, SlaPolicyChanged and SlaPolicyDeleted (decision
-- 0071). The policies that exist before those events did (the seeded default, any an operator made) are announced once
-- here, through the outbox like every other event, so that Billing knows every policy whatever its age.
INSERT INTO outbox (id, message_type, payload, tenant_id, occurred_at)
SELECT e.id, 'Msp.Contracts.Slas.SlaPolicyCreated',
       jsonb_build_object('eventId', e.id, 'tenantId', '00000000-0000-0000-0000-000000000000', 'occurredAt', now(),
                          'policyId', p.id, 'name', p.name),
       '00000000-0000-0000-0000-000000000000', now()
FROM sla_policies p
CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id) e;
