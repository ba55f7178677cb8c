-- Tenants, their current goals and alignments, the append-only check-in history and the change log.
-- Instants are microseconds since the Unix epoch (UTC), dates are day numbers (DateOnly.DayNumber): both
-- compare and index the same way in every dialect. Enums are stored by name, so reordering one in code is safe.
-- {blob} is the dialect's binary type.

CREATE TABLE tenants (
    tenant        TEXT    NOT NULL PRIMARY KEY,
    -- The number of committed changes: equal to the change log's greatest version for the tenant.
    version       BIGINT  NOT NULL,
    -- Periods, default period and tolerances, as JSON (they change only with an import).
    settings      TEXT    NOT NULL,
    -- The commit time of the latest change; commit times never go backwards within a tenant.
    committed_at  BIGINT  NOT NULL
);

CREATE TABLE goals (
    tenant            TEXT             NOT NULL,
    goal_id           TEXT             NOT NULL,
    type              TEXT             NOT NULL,
    level             TEXT             NULL,
    title             TEXT             NULL,
    owner             TEXT             NULL,
    -- JSON array of strings; NULL for none.
    tags              TEXT             NULL,
    state             TEXT             NOT NULL,
    period_start      BIGINT           NULL,
    period_end        BIGINT           NULL,
    period_name       TEXT             NULL,
    metric_direction  TEXT             NULL,
    metric_start      DOUBLE PRECISION NULL,
    metric_target     DOUBLE PRECISION NULL,
    metric_current    DOUBLE PRECISION NULL,
    metric_unit       TEXT             NULL,
    metric_key        TEXT             NULL,
    metric_aggregate  TEXT             NULL,
    progress_override DOUBLE PRECISION NULL,
    PRIMARY KEY (tenant, goal_id)
);

-- A goal's parents in order: position 0 is the primary parent.
CREATE TABLE alignments (
    tenant       TEXT             NOT NULL,
    child_id     TEXT             NOT NULL,
    position     BIGINT           NOT NULL,
    parent_id    TEXT             NOT NULL,
    weight       DOUBLE PRECISION NOT NULL,
    contributes  BIGINT           NOT NULL,
    PRIMARY KEY (tenant, child_id, position)
);

-- Every check-in ever committed, never updated or deleted.
CREATE TABLE check_ins (
    tenant        TEXT             NOT NULL,
    version       BIGINT           NOT NULL,
    ordinal       BIGINT           NOT NULL,
    goal_id       TEXT             NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    at            BIGINT           NULL,
    confidence    DOUBLE PRECISION NULL,
    committed_at  BIGINT           NOT NULL,
    PRIMARY KEY (tenant, version, ordinal)
);

CREATE INDEX check_ins_goal ON check_ins (tenant, goal_id, version);

-- One row per committed version. The primary key (tenant, version) is what makes expected_version safe across
-- processes: of two writers of the same version, the insert of the second fails.
-- kind: 'changes' (body: the operations as JSON) or 'snapshot' (an import; the tree is in snapshots).
CREATE TABLE change_log (
    tenant        TEXT     NOT NULL,
    version       BIGINT   NOT NULL,
    kind          TEXT     NOT NULL,
    committed_at  BIGINT   NOT NULL,
    as_of         BIGINT   NOT NULL,
    body          TEXT     NULL,
    PRIMARY KEY (tenant, version)
);

CREATE INDEX change_log_time ON change_log (tenant, committed_at);

-- The whole tree of an import, gzip-compressed JSON, for answering history from before later changes.
CREATE TABLE snapshots (
    tenant   TEXT    NOT NULL,
    version  BIGINT  NOT NULL,
    body     {blob}  NOT NULL,
    PRIMARY KEY (tenant, version)
);
