-- Canned responses: the provider's snippets for replies, shared by every tenant (no tenant_id, so no row-level
-- security, like categories and queues); operators keep them, staff read and insert them. Retired ones stay for what
-- was sent with them.
CREATE TABLE canned_responses (
    id          uuid PRIMARY KEY,
    title       text        NOT NULL,
    body        text        NOT NULL,
    created_by  uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    retired_at  timestamptz
);
CREATE UNIQUE INDEX canned_responses_title_folded ON canned_responses (lower(title)) WHERE retired_at IS NULL;
