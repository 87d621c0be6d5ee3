-- The provider's SLA policies as Billing hears of them from Slas (SlaPolicyCreated, SlaPolicyChanged, SlaPolicyDeleted;
-- decision 0071), so that a contract can only name a policy that exists. Policies belong to no tenant: no row-level
-- security. A deleted policy keeps its row, marked, so that a creation or change arriving after its deletion cannot
-- bring it back; changed_at keeps the newest change when events arrive out of order.
CREATE TABLE sla_policies (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL,
    deleted    boolean     NOT NULL DEFAULT false,
    changed_at timestamptz NOT NULL
);
