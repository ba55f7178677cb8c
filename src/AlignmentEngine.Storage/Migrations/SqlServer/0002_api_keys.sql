-- The T-SQL of ../0002_api_keys.sql (read that file for what each column holds).
CREATE TABLE api_keys (
    id          NVARCHAR(128) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    tenant      NVARCHAR(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    scopes      NVARCHAR(400) NOT NULL,
    hash        {blob}  NOT NULL,
    created_at  BIGINT  NOT NULL,
    revoked_at  BIGINT  NULL
);

CREATE INDEX api_keys_tenant ON api_keys (tenant);
