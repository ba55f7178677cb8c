-- API keys: each bound to one tenant with its scopes. Only the SHA-256 of the secret is kept, so a copy of the
-- database does not let anyone call the service. A revoked key stays (revoked_at set) for the record, and so
-- that the service keeps requiring keys once any has been created.
CREATE TABLE api_keys (
    id          TEXT    NOT NULL PRIMARY KEY,
    tenant      TEXT    NOT NULL,
    -- Comma-separated scope names, e.g. 'read,write'.
    scopes      TEXT    NOT NULL,
    hash        {blob}  NOT NULL,
    created_at  BIGINT  NOT NULL,
    revoked_at  BIGINT  NULL
);

CREATE INDEX api_keys_tenant ON api_keys (tenant);
