-- Ticket numbers: one counter row per tenant, incremented in the creating transaction. The row lock serializes
-- concurrent creates of one tenant and a rolled-back create gives its number back, so numbers have no gaps.
CREATE TABLE ticket_counters (
    tenant_id   uuid PRIMARY KEY,
    last_number bigint NOT NULL
);

-- What tickets are about, and the teams that work them: the provider's lists, shared by every tenant.
CREATE TABLE ticket_categories (
    key        text PRIMARY KEY,
    name       text NOT NULL,
    is_active  boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ticket_categories (key, name) VALUES
    ('hardware', 'Hardware'), ('software', 'Software'), ('network', 'Network and connectivity'),
    ('email', 'Email'), ('access', 'Accounts and access'), ('printing', 'Printing'),
    ('security', 'Security'), ('request', 'Service request'), ('other', 'Other');

CREATE TABLE ticket_queues (
    id         uuid PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ticket_queues (id, name) VALUES
    ('01930000-0000-7000-8000-000000000001', 'Service desk'),
    ('01930000-0000-7000-8000-000000000002', 'Field service'),
    ('01930000-0000-7000-8000-000000000003', 'Projects');

CREATE TABLE tickets (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid        NOT NULL,
    number             bigint      NOT NULL,
    reference          text        NOT NULL,
    subject            text        NOT NULL,
    description        text        NOT NULL,
    requester_id       uuid        NOT NULL,
    created_by         uuid        NOT NULL,
    source             text        NOT NULL,
    category           text        REFERENCES ticket_categories (key),
    impact             text        NOT NULL,
    urgency            text        NOT NULL,
    priority           text        NOT NULL,
    priority_reason    text,
    status             text        NOT NULL,
    assignee_id        uuid,
    queue_id           uuid        REFERENCES ticket_queues (id),
    sequence           bigint      NOT NULL,
    history_count      integer     NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    first_responded_at timestamptz,
    resolved_at        timestamptz,
    closed_at          timestamptz,
    sla_due_at         timestamptz,
    rating             smallint,
    rating_comment     text,
    rated_at           timestamptz,
    public_text        text        NOT NULL DEFAULT '',
    search             tsvector GENERATED ALWAYS AS (
                           to_tsvector('simple', subject || ' ' || description || ' ' || public_text)) STORED,
    UNIQUE (tenant_id, number)
);
-- Lists sort by creation (newest first) with the id as tie-breaker; each filter has an index that serves that order.
CREATE INDEX tickets_tenant_created ON tickets (tenant_id, created_at DESC, id DESC);
CREATE INDEX tickets_created ON tickets (created_at DESC, id DESC);
CREATE INDEX tickets_status_created ON tickets (status, created_at DESC, id DESC);
CREATE INDEX tickets_assignee_created ON tickets (assignee_id, created_at DESC, id DESC);
CREATE INDEX tickets_queue_created ON tickets (queue_id, created_at DESC, id DESC);
CREATE INDEX tickets_requester_created ON tickets (requester_id, created_at DESC, id DESC);
CREATE INDEX tickets_priority_created ON tickets (priority, created_at DESC, id DESC);
CREATE INDEX tickets_sla_due ON tickets (sla_due_at, id) WHERE sla_due_at IS NOT NULL;
CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE status = 'Resolved';
CREATE INDEX tickets_search ON tickets USING gin (search);

CREATE TABLE ticket_comments (
    id         uuid PRIMARY KEY,
    tenant_id  uuid        NOT NULL,
    ticket_id  uuid        NOT NULL REFERENCES tickets (id),
    author_id  uuid        NOT NULL,
    by_staff   boolean     NOT NULL,
    visibility text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id, created_at, id);

CREATE TABLE ticket_attachments (
    id           uuid PRIMARY KEY,
    tenant_id    uuid        NOT NULL,
    ticket_id    uuid        NOT NULL REFERENCES tickets (id),
    comment_id   uuid        REFERENCES ticket_comments (id),
    file_name    text        NOT NULL,
    content_type text        NOT NULL,
    size_bytes   bigint      NOT NULL,
    sha256       text        NOT NULL,
    visibility   text        NOT NULL,
    uploaded_by  uuid        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments (ticket_id, created_at);

CREATE TABLE time_entries (
    id           uuid PRIMARY KEY,
    tenant_id    uuid        NOT NULL,
    ticket_id    uuid        NOT NULL REFERENCES tickets (id),
    technician_id uuid       NOT NULL,
    minutes      integer     NOT NULL CHECK (minutes > 0),
    work_type    text        NOT NULL,
    billable     boolean     NOT NULL,
    note         text,
    work_date    date        NOT NULL,
    version      bigint      NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    deleted_at   timestamptz
);
CREATE INDEX time_entries_ticket ON time_entries (ticket_id, work_date, id);

-- Every change of a ticket and of its time entries: who, what, the old and the new value, when.
CREATE TABLE ticket_history (
    id        uuid PRIMARY KEY,
    tenant_id uuid        NOT NULL,
    ticket_id uuid        NOT NULL REFERENCES tickets (id),
    position  integer     NOT NULL,
    actor_id  uuid        NOT NULL,
    action    text        NOT NULL,
    field     text,
    old_value text,
    new_value text,
    detail    text,
    internal  boolean     NOT NULL DEFAULT false,
    at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX ticket_history_ticket ON ticket_history (ticket_id, position);

-- A create retried with the same Idempotency-Key by the same caller answers the ticket of the first attempt.
CREATE TABLE idempotency_keys (
    tenant_id    uuid        NOT NULL,
    caller_id    uuid        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    ticket_id    uuid        NOT NULL REFERENCES tickets (id),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (caller_id, key)
);
