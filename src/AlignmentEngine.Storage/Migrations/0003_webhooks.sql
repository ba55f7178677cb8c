-- Webhook subscriptions and their transactional outbox.
-- A subscription's secret is kept as given to the subscriber (whsec_...): signing needs the key itself, so unlike
-- an API key it cannot be kept as a hash. After a rotation the previous secret still signs until
-- previous_expires_at, so that a receiver can switch keys without losing events.
CREATE TABLE webhooks (
    id                   TEXT    NOT NULL PRIMARY KEY,
    tenant               TEXT    NOT NULL,
    url                  TEXT    NOT NULL,
    -- The goal whose subtree the subscription watches; NULL for the whole tenant.
    subtree              TEXT    NULL,
    -- Comma-separated event kinds ('value,health,appeared,disappeared') and finding codes; empty for all.
    kinds                TEXT    NOT NULL,
    codes                TEXT    NOT NULL,
    secret               TEXT    NOT NULL,
    previous_secret      TEXT    NULL,
    previous_expires_at  BIGINT  NULL,
    created_at           BIGINT  NOT NULL,
    -- Set when deliveries kept failing past the bound: nothing is sent until the subscription is redelivered.
    disabled_at          BIGINT  NULL
);

CREATE INDEX webhooks_tenant ON webhooks (tenant);

-- One row per event to send to one subscription, inserted in the transaction that commits the change (so an event
-- exists exactly when its change does), deleted once the receiver acknowledged it. status: 'pending' or 'failed'
-- (its subscription was disabled; redelivery makes it pending again).
CREATE TABLE webhook_outbox (
    webhook_id       TEXT    NOT NULL,
    version          BIGINT  NOT NULL,
    tenant           TEXT    NOT NULL,
    committed_at     BIGINT  NOT NULL,
    payload          TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    attempts         BIGINT  NOT NULL,
    first_failed_at  BIGINT  NULL,
    last_error       TEXT    NULL,
    PRIMARY KEY (webhook_id, version)
);

CREATE INDEX webhook_outbox_tenant ON webhook_outbox (tenant, status);
