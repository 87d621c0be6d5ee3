-- The mail service's own data (decision 0080). Tenant-owned tables carry tenant_id and are scoped by row-level
-- security like every service's; rows of the provider (staff mail, mail not matched to a tenant yet) are visible only
-- to a scope of every tenant.

-- The mailboxes polled over IMAP and how far: messages above last_uid are new (while uid_validity holds).
CREATE TABLE mailboxes (
    name         text PRIMARY KEY,
    uid_validity bigint      NOT NULL DEFAULT 0,
    last_uid     bigint      NOT NULL DEFAULT 0,
    polled_at    timestamptz
);

-- Every notification, once per (event, recipient), with our own Message-ID. Pending ones are sent when due.
CREATE TABLE deliveries (
    id                uuid PRIMARY KEY,
    tenant_id         uuid        NOT NULL,       -- the event's tenant; all zeros for the provider's staff
    event_id          uuid        NOT NULL,
    recipient         text        NOT NULL,       -- lowercase address
    recipient_user_id uuid,
    template          text        NOT NULL,
    language          text        NOT NULL,
    ticket_id         uuid,
    message_id        text        NOT NULL,
    model             jsonb       NOT NULL,
    status            text        NOT NULL,       -- Pending, Sent, Failed, Suppressed
    attempts          int         NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz,
    last_error        text,
    created_at        timestamptz NOT NULL,
    sent_at           timestamptz,
    CONSTRAINT deliveries_once UNIQUE (event_id, recipient)
);
CREATE UNIQUE INDEX deliveries_message_id ON deliveries (message_id);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'Pending';
CREATE INDEX deliveries_status ON deliveries (status, id);
CREATE INDEX deliveries_ticket ON deliveries (ticket_id, template);
ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY deliveries_scope ON deliveries USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id));

-- Every message read from the support mailbox, with what became of it. tenant_id is null while nobody knows whose it
-- is (held as unmatched, or ignored as automatic); raw keeps an unmatched message until an operator assigns it.
CREATE TABLE inbound_messages (
    id           uuid PRIMARY KEY,
    tenant_id    uuid,
    message_id   text        NOT NULL,
    sender       text        NOT NULL,
    sender_name  text        NOT NULL,
    subject      text        NOT NULL,
    outcome      text        NOT NULL,       -- NewTicket, Reply, Unmatched, Ignored
    reason       text,
    ticket_id    uuid,
    author_id    uuid,
    received_at  timestamptz NOT NULL,
    processed_at timestamptz NOT NULL,
    raw          bytea,
    assigned_by  uuid,
    assigned_at  timestamptz
);
CREATE UNIQUE INDEX inbound_messages_message_id ON inbound_messages (message_id);
CREATE INDEX inbound_messages_outcome ON inbound_messages (outcome, id);
ALTER TABLE inbound_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbound_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY inbound_messages_scope ON inbound_messages
    USING (CASE WHEN tenant_id IS NULL THEN coalesce(current_setting('msp.all_tenants', true), '') = 'on' ELSE msp_in_scope(tenant_id) END)
    WITH CHECK (CASE WHEN tenant_id IS NULL THEN coalesce(current_setting('msp.all_tenants', true), '') = 'on' ELSE msp_in_scope(tenant_id) END);

-- What the mail service knows of each ticket, from the ticket and SLA events: enough to address and word its mails,
-- and to find a ticket by its reference within one tenant.
CREATE TABLE mail_tickets (
    ticket_id             uuid PRIMARY KEY,
    tenant_id             uuid        NOT NULL,
    reference             text        NOT NULL,
    subject               text        NOT NULL,
    requester_id          uuid        NOT NULL,
    assignee_id           uuid,
    first_response_due_at timestamptz,
    sla_revision          bigint      NOT NULL DEFAULT 0,
    updated_at            timestamptz NOT NULL
);
CREATE UNIQUE INDEX mail_tickets_reference ON mail_tickets (tenant_id, reference);
ALTER TABLE mail_tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY mail_tickets_scope ON mail_tickets USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id));

-- A tenant's e-mail domains, from TenantCreated/TenantUpdated (only a newer version replaces them).
CREATE TABLE tenant_mail_domains (
    tenant_id  uuid PRIMARY KEY,
    domains    text[]      NOT NULL,
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX tenant_mail_domains_domains ON tenant_mail_domains USING gin (domains);
ALTER TABLE tenant_mail_domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_mail_domains FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_mail_domains_scope ON tenant_mail_domains USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id));

-- Senders of a tenant's domain that this service gave a user id (MailSenderAdmitted), until the Tenants service's
-- announcement of the user arrives: their next mail goes to the same requester.
CREATE TABLE admitted_senders (
    email       text PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    user_id     uuid        NOT NULL,
    admitted_at timestamptz NOT NULL
);
ALTER TABLE admitted_senders ENABLE ROW LEVEL SECURITY;
ALTER TABLE admitted_senders FORCE ROW LEVEL SECURITY;
CREATE POLICY admitted_senders_scope ON admitted_senders USING (msp_in_scope(tenant_id)) WITH CHECK (msp_in_scope(tenant_id));

-- The language each user reads mail in, and the notifications they turned off. tenant_id null: staff, visible to every
-- scope (as in known_users).
CREATE TABLE mail_recipients (
    user_id     uuid PRIMARY KEY,
    tenant_id   uuid,
    language    text,
    language_at timestamptz,
    muted       text[]      NOT NULL DEFAULT '{}',
    updated_at  timestamptz NOT NULL
);
ALTER TABLE mail_recipients ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_recipients FORCE ROW LEVEL SECURITY;
CREATE POLICY mail_recipients_scope ON mail_recipients
    USING (tenant_id IS NULL OR msp_in_scope(tenant_id)) WITH CHECK (tenant_id IS NULL OR msp_in_scope(tenant_id));
