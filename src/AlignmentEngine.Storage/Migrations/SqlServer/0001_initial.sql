-- The T-SQL of ../0001_initial.sql: the same tables, columns and keys (read that file for what each holds).
-- Identifiers (tenants 1-63 characters, goal ids at most 128) are NVARCHAR with a binary collation, so that
-- they compare and sort ordinally and case-sensitively as in the other stores, whatever the database's collation.
-- Other text is NVARCHAR(MAX); {blob} is VARBINARY(MAX). The database must have READ_COMMITTED_SNAPSHOT and
-- ALLOW_SNAPSHOT_ISOLATION on (see the README, Storage): the store checks before migrating.

CREATE TABLE tenants (
    tenant        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    version       BIGINT        NOT NULL,
    settings      NVARCHAR(MAX) NOT NULL,
    committed_at  BIGINT        NOT NULL
);

CREATE TABLE goals (
    tenant            NVARCHAR(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    goal_id           NVARCHAR(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    type              NVARCHAR(32)     NOT NULL,
    level             NVARCHAR(32)     NULL,
    title             NVARCHAR(MAX)    NULL,
    owner             NVARCHAR(MAX)    NULL,
    tags              NVARCHAR(MAX)    NULL,
    state             NVARCHAR(32)     NOT NULL,
    period_start      BIGINT           NULL,
    period_end        BIGINT           NULL,
    period_name       NVARCHAR(MAX)    NULL,
    metric_direction  NVARCHAR(32)     NULL,
    metric_start      DOUBLE PRECISION NULL,
    metric_target     DOUBLE PRECISION NULL,
    metric_current    DOUBLE PRECISION NULL,
    metric_unit       NVARCHAR(MAX)    NULL,
    metric_key        NVARCHAR(MAX)    NULL,
    metric_aggregate  NVARCHAR(32)     NULL,
    progress_override DOUBLE PRECISION NULL,
    PRIMARY KEY (tenant, goal_id)
);

CREATE TABLE alignments (
    tenant       NVARCHAR(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    child_id     NVARCHAR(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    position     BIGINT           NOT NULL,
    parent_id    NVARCHAR(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    weight       DOUBLE PRECISION NOT NULL,
    contributes  BIGINT           NOT NULL,
    PRIMARY KEY (tenant, child_id, position)
);

CREATE TABLE check_ins (
    tenant        NVARCHAR(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    version       BIGINT           NOT NULL,
    ordinal       BIGINT           NOT NULL,
    goal_id       NVARCHAR(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    at            BIGINT           NULL,
    confidence    DOUBLE PRECISION NULL,
    committed_at  BIGINT           NOT NULL,
    PRIMARY KEY (tenant, version, ordinal)
);

CREATE INDEX check_ins_goal ON check_ins (tenant, goal_id, version);

CREATE TABLE change_log (
    tenant        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version       BIGINT        NOT NULL,
    kind          NVARCHAR(16)  NOT NULL,
    committed_at  BIGINT        NOT NULL,
    as_of         BIGINT        NOT NULL,
    body          NVARCHAR(MAX) NULL,
    PRIMARY KEY (tenant, version)
);

CREATE INDEX change_log_time ON change_log (tenant, committed_at);

CREATE TABLE snapshots (
    tenant   NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version  BIGINT  NOT NULL,
    body     {blob}  NOT NULL,
    PRIMARY KEY (tenant, version)
);
