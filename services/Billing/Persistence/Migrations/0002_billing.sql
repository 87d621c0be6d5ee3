-- Billing accounts, contracts, invoices and the time each invoice bills; gapless numbering; invoice runs; block-hours
-- alerts already sent.
CREATE TABLE billing_accounts (
    tenant_id          uuid PRIMARY KEY,
    currency           text          NOT NULL,
    tax_rate_percent   numeric(7, 4) NOT NULL,
    billing_contact    text,
    payment_terms_days integer       NOT NULL,
    created_at         timestamptz   NOT NULL,
    updated_at         timestamptz   NOT NULL
);

CREATE TABLE contracts (
    id            uuid PRIMARY KEY,
    tenant_id     uuid        NOT NULL,
    name          text        NOT NULL,
    kind          text        NOT NULL,
    status        text        NOT NULL,
    starts_on     date        NOT NULL,
    ends_on       date,
    sla_policy_id uuid,
    fee           jsonb,
    blocks        jsonb       NOT NULL,
    overage_rate  numeric,
    rates         jsonb       NOT NULL,
    default_rate  numeric,
    sla_credit    jsonb,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX contracts_tenant ON contracts (tenant_id, starts_on);

CREATE TABLE invoices (
    id               uuid PRIMARY KEY,
    tenant_id        uuid          NOT NULL,
    period           text          NOT NULL,
    kind             text          NOT NULL,
    status           text          NOT NULL,
    number           text UNIQUE,
    currency         text          NOT NULL,
    tax_rate_percent numeric(7, 4) NOT NULL,
    subtotal         numeric       NOT NULL,
    tax              numeric       NOT NULL,
    total            numeric       NOT NULL,
    lines            jsonb         NOT NULL,
    voids            uuid REFERENCES invoices (id),
    voided_by        uuid,
    issued_at        timestamptz,
    due_on           date,
    paid_at          timestamptz,
    voided_at        timestamptz,
    created_at       timestamptz   NOT NULL,
    updated_at       timestamptz   NOT NULL,
    CHECK ((status = 'Draft') = (number IS NULL))
);
-- One invoice per tenant and period; a voided one makes room for its replacement.
CREATE UNIQUE INDEX invoices_one_per_period ON invoices (tenant_id, period) WHERE kind = 'Invoice' AND status <> 'Void';
CREATE INDEX invoices_period ON invoices (period, tenant_id);

CREATE TABLE billed_time (
    invoice_id    uuid    NOT NULL,
    seq           integer NOT NULL,
    tenant_id     uuid    NOT NULL,
    time_entry_id uuid    NOT NULL,
    contract_id   uuid,
    block_id      uuid,
    minutes       integer NOT NULL,
    hourly_rate   numeric NOT NULL,
    PRIMARY KEY (invoice_id, seq)
);
CREATE INDEX billed_time_entry ON billed_time (time_entry_id);
CREATE INDEX billed_time_tenant ON billed_time (tenant_id, block_id);

-- The last number of each series. Taken with UPDATE ... RETURNING in the issuing transaction, so a rolled-back issue
-- gives its number back and the series has no gaps.
CREATE TABLE invoice_numbers (
    series      text PRIMARY KEY,
    last_number bigint NOT NULL
);
INSERT INTO invoice_numbers (series, last_number) VALUES ('INV', 0), ('CN', 0);

CREATE TABLE invoice_runs (
    id           uuid PRIMARY KEY,
    period       text        NOT NULL,
    requested_by uuid,
    trigger      text        NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    tenants      integer     NOT NULL,
    created      integer     NOT NULL,
    updated      integer     NOT NULL,
    unchanged    integer     NOT NULL,
    issued       integer     NOT NULL
);
CREATE INDEX invoice_runs_period ON invoice_runs (period, started_at);

CREATE TABLE block_alerts (
    contract_id       uuid        NOT NULL,
    threshold_percent integer     NOT NULL,
    hours_bought      numeric     NOT NULL,
    tenant_id         uuid        NOT NULL,
    sent_at           timestamptz NOT NULL,
    PRIMARY KEY (contract_id, threshold_percent, hours_bought)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['billing_accounts', 'contracts', 'invoices', 'billed_time', 'block_alerts'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id))', t || '_scope', t);
    END LOOP;
END $$;
