-- The T-SQL of ../0005_goal_counts.sql (read that file for what the column holds). The existing tenants are counted
-- through EXEC, compiled only once the column exists (a statement of the same batch naming it may be compiled before
-- the ALTER has run).
ALTER TABLE tenants ADD goal_count BIGINT NOT NULL CONSTRAINT tenants_goal_count_default DEFAULT 0;

EXEC (N'UPDATE tenants SET goal_count = (SELECT COUNT_BIG(*) FROM goals WHERE goals.tenant = tenants.tenant)');
