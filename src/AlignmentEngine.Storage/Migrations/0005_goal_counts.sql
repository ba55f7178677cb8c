-- A tenant's goal count on its row, so that placement learns how big a tenant is from one row, before any silo has
-- loaded it, rather than counting a million goal rows. Every commit writes it in the transaction that moves the
-- version: an import the count of its tree, a change set the count its writer's graph has after it (the graph at the
-- version before, which the version guard makes the store's). Tenants that exist already are counted once here.
ALTER TABLE tenants ADD COLUMN goal_count BIGINT NOT NULL DEFAULT 0;

UPDATE tenants SET goal_count = (SELECT COUNT(*) FROM goals WHERE goals.tenant = tenants.tenant);
