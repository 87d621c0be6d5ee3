-- Business calendars and SLA policies belong to the provider: every tenant may be served by them, so they carry no
-- tenant and no row-level security. Which policy and calendar a tenant is on, and everything about its tickets, is
-- the tenant's own.
CREATE TABLE sla_calendars (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    time_zone   text        NOT NULL,
    always_open boolean     NOT NULL,
    hours       jsonb       NOT NULL,
    holidays    jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE sla_policies (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL UNIQUE,
    calendar_id     uuid        NOT NULL REFERENCES sla_calendars (id),
    warning_percent integer     NOT NULL CHECK (warning_percent BETWEEN 1 AND 99),
    is_default      boolean     NOT NULL,
    targets         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX sla_policies_one_default ON sla_policies (is_default) WHERE is_default;
CREATE INDEX sla_policies_calendar ON sla_policies (calendar_id);

CREATE TABLE tenant_sla_settings (
    tenant_id   uuid PRIMARY KEY,
    policy_id   uuid REFERENCES sla_policies (id),
    calendar_id uuid REFERENCES sla_calendars (id),
    source      text        NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX tenant_sla_settings_policy ON tenant_sla_settings (policy_id);
CREATE INDEX tenant_sla_settings_calendar ON tenant_sla_settings (calendar_id);

-- A ticket as the SLA sees it; terms is the policy as it stood when the ticket was opened.
CREATE TABLE sla_tickets (
    ticket_id         uuid PRIMARY KEY,
    tenant_id         uuid        NOT NULL,
    reference         text,
    requester_id      uuid,
    opened_at         timestamptz,
    terms             jsonb,
    revision          bigint      NOT NULL,
    response_due_at   timestamptz,
    resolution_due_at timestamptz,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX sla_tickets_tenant_opened ON sla_tickets (tenant_id, opened_at);

-- The ticket events that move clocks, by the ticket's own sequence: the clocks are replayed from them.
CREATE TABLE sla_ticket_facts (
    ticket_id   uuid        NOT NULL,
    sequence    bigint      NOT NULL,
    tenant_id   uuid        NOT NULL,
    kind        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    priority    text,
    status      text,
    PRIMARY KEY (ticket_id, sequence)
);

CREATE TABLE sla_clocks (
    ticket_id        uuid        NOT NULL,
    kind             text        NOT NULL,
    tenant_id        uuid        NOT NULL,
    policy_id        uuid        NOT NULL,
    warning_percent  integer     NOT NULL,
    ticket_reference text,
    state            text        NOT NULL,
    priority         text        NOT NULL,
    target_minutes   integer     NOT NULL,
    calendar_id      uuid,
    started_at       timestamptz NOT NULL,
    elapsed_before   interval    NOT NULL,
    segment_start    timestamptz NOT NULL,
    due_at           timestamptz,
    warn_at          timestamptz,
    breach_at        timestamptz,
    stopped_at       timestamptz,
    stop_reason      text,
    met              boolean     NOT NULL,
    warned_at        timestamptz,
    breached_at      timestamptz,
    met_announced_at timestamptz,
    ledger           jsonb       NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- The next moment the sweep has something to publish for this clock; null when nothing is pending.
    next_fire_at     timestamptz GENERATED ALWAYS AS (
        LEAST(CASE WHEN warned_at IS NULL THEN warn_at END, CASE WHEN breached_at IS NULL THEN breach_at END)) STORED,
    PRIMARY KEY (ticket_id, kind)
);
CREATE INDEX sla_clocks_next_fire ON sla_clocks (next_fire_at) WHERE next_fire_at IS NOT NULL;
CREATE INDEX sla_clocks_tenant ON sla_clocks (tenant_id, ticket_id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant_sla_settings', 'sla_tickets', 'sla_ticket_facts', 'sla_clocks'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id))', t || '_scope', t);
    END LOOP;
END $$;

-- A starting point an operator edits: office hours Monday to Friday, and a default policy with P1 around the clock.
INSERT INTO sla_calendars (id, name, time_zone, always_open, hours, holidays, created_at, updated_at)
VALUES ('01930000-0000-7000-8000-00000000ca1e', 'Office hours (UTC)', 'UTC', false,
        '[{"day":"Monday","start":"09:00","end":"17:00"},{"day":"Tuesday","start":"09:00","end":"17:00"},
          {"day":"Wednesday","start":"09:00","end":"17:00"},{"day":"Thursday","start":"09:00","end":"17:00"},
          {"day":"Friday","start":"09:00","end":"17:00"}]', '[]', now(), now());

INSERT INTO sla_policies (id, name, calendar_id, warning_percent, is_default, targets, created_at, updated_at)
VALUES ('01930000-0000-7000-8000-0000000000d1', 'Standard', '01930000-0000-7000-8000-00000000ca1e', 75, true,
        '[{"priority":"P1","firstResponseMinutes":30,"resolutionMinutes":240,"aroundTheClock":true},
          {"priority":"P2","firstResponseMinutes":60,"resolutionMinutes":480,"aroundTheClock":false},
          {"priority":"P3","firstResponseMinutes":240,"resolutionMinutes":1440,"aroundTheClock":false},
          {"priority":"P4","firstResponseMinutes":480,"resolutionMinutes":2880,"aroundTheClock":false}]', now(), now());
