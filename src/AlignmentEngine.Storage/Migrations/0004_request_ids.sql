-- Idempotent writes (AIP-155): a change or import sent with a request_id keeps it in its change log row, written in
-- the transaction that commits it, with what is needed to answer a retry: request_hash, the SHA-256 of what the
-- request asked (a retry that asks something else is refused), and response, the response message as it was sent
-- (protobuf bytes), so that a retry is answered exactly, whatever changed since. All three are NULL for a write sent
-- without one. The unique index makes a request_id name one version per tenant: of two writers committing the same
-- id, the second's insert fails. An id lives as long as its change log row.
ALTER TABLE change_log ADD COLUMN request_id TEXT NULL;
ALTER TABLE change_log ADD COLUMN request_hash {blob} NULL;
ALTER TABLE change_log ADD COLUMN response {blob} NULL;

CREATE UNIQUE INDEX change_log_request ON change_log (tenant, request_id) WHERE request_id IS NOT NULL;
