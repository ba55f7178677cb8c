-- The T-SQL of ../0003_webhooks.sql (read that file for what each column holds).
CREATE TABLE webhooks (
    id                   NVARCHAR(64)   COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    tenant               NVARCHAR(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    url                  NVARCHAR(2048) NOT NULL,
    subtree              NVARCHAR(MAX)  NULL,
    kinds                NVARCHAR(200)  NOT NULL,
    codes                NVARCHAR(MAX)  NOT NULL,
    secret               NVARCHAR(200)  NOT NULL,
    previous_secret      NVARCHAR(200)  NULL,
    previous_expires_at  BIGINT         NULL,
    created_at           BIGINT         NOT NULL,
    disabled_at          BIGINT         NULL
);

CREATE INDEX webhooks_tenant ON webhooks (tenant);

CREATE TABLE webhook_outbox (
    webhook_id       NVARCHAR(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    version          BIGINT        NOT NULL,
    tenant           NVARCHAR(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    committed_at     BIGINT        NOT NULL,
    payload          NVARCHAR(MAX) NOT NULL,
    status           NVARCHAR(16)  NOT NULL,
    attempts         BIGINT        NOT NULL,
    first_failed_at  BIGINT        NULL,
    last_error       NVARCHAR(MAX) NULL,
    PRIMARY KEY (webhook_id, version)
);

CREATE INDEX webhook_outbox_tenant ON webhook_outbox (tenant, status);
