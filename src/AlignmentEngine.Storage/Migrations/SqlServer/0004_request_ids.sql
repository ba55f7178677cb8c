-- The T-SQL of ../0004_request_ids.sql (read that file for what each column holds). A unique index of SQL Server
-- counts NULLs as equal, so it is filtered to the rows that have an id. The index is created through EXEC, compiled
-- only once the columns exist (a statement of the same batch naming them may be compiled before the ALTER has run).
ALTER TABLE change_log ADD
    request_id    NVARCHAR(36) COLLATE Latin1_General_100_BIN2 NULL,
    request_hash  VARBINARY(32)  NULL,
    response      {blob}         NULL;

EXEC (N'CREATE UNIQUE INDEX change_log_request ON change_log (tenant, request_id) WHERE request_id IS NOT NULL');
