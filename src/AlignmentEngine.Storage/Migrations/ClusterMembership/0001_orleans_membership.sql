-- The membership of an Orleans cluster of `okr serve` silos, on PostgreSQL, for Microsoft.Orleans.Clustering.AdoNet
-- (invariant "Npgsql"). That provider ships no tables: it reads the statements it runs from OrleansQuery at start,
-- by key, binds its own parameters to them (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
-- @Status, @ProxyPort, @SuspectTimes, @StartTime, @IAmAliveTime, @Version) and reads the results' columns by name
-- (so the result columns below carry the provider's names, quoted to keep their case). Everything else here is ours.
--
-- The protocol (Orleans' IMembershipTable): each silo has one row per incarnation (address, port, generation);
-- the cluster has one version row. A silo reads the rows and the version together, decides (I joined, I suspect
-- that silo, that silo is dead), and writes back with the version it read. A write made on a stale read must change
-- nothing and say so, so that the silo reads again: that conditional version move is what makes membership changes
-- safe when silos decide at the same time. "@DeploymentId" is Orleans' cluster id: several clusters can share
-- these tables.

CREATE TABLE OrleansQuery (
    QueryKey   VARCHAR(64) NOT NULL PRIMARY KEY,
    QueryText  TEXT        NOT NULL
);

-- One row per cluster: its membership version, moved by one with every change of a member row except heartbeats.
CREATE TABLE cluster_membership_version (
    deployment_id  VARCHAR(150) NOT NULL PRIMARY KEY,
    version        INTEGER      NOT NULL DEFAULT 0,
    changed_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One row per silo incarnation. status is Orleans' SiloStatus (3 = Active, 6 = Dead); suspect_times lists the
-- silos that suspect this one and when ("address,time|..."), as the provider writes it; proxy_port is the
-- gateway port (0 for none).
CREATE TABLE cluster_members (
    deployment_id    VARCHAR(150) NOT NULL REFERENCES cluster_membership_version (deployment_id),
    address          VARCHAR(45)  NOT NULL,
    port             INTEGER      NOT NULL,
    generation       INTEGER      NOT NULL,
    silo_name        VARCHAR(150) NOT NULL,
    host_name        VARCHAR(150) NOT NULL,
    status           INTEGER      NOT NULL,
    proxy_port       INTEGER      NOT NULL,
    suspect_times    TEXT         NULL,
    start_time       TIMESTAMPTZ  NOT NULL,
    i_am_alive_time  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Locks the cluster's version row, and only if it still holds the version the silo read: true when locked. Every
-- membership write of a cluster takes this lock first, so they run one at a time, and one made on a stale read
-- changes nothing (under READ COMMITTED the condition is checked again on the newest row once a concurrent
-- writer's lock is released).
CREATE FUNCTION cluster_lock_version(p_deployment_id TEXT, p_expected_version INTEGER)
RETURNS BOOLEAN LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM 1 FROM cluster_membership_version
     WHERE deployment_id = p_deployment_id AND version = p_expected_version
       FOR UPDATE;
    RETURN FOUND;
END
$body$;

-- Moves the (locked) version row on by one: the membership changed.
CREATE FUNCTION cluster_move_version(p_deployment_id TEXT)
RETURNS VOID LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE cluster_membership_version SET version = version + 1, changed_at = now() WHERE deployment_id = p_deployment_id;
END
$body$;

-- Adds a silo's row and moves the version, both or neither: 1 when done, 0 when the version is no longer the one
-- the silo read or the row already exists (then nothing changed).
CREATE FUNCTION cluster_insert_member(
    p_deployment_id TEXT, p_address TEXT, p_port INTEGER, p_generation INTEGER, p_silo_name TEXT, p_host_name TEXT,
    p_status INTEGER, p_proxy_port INTEGER, p_start_time TIMESTAMPTZ, p_i_am_alive_time TIMESTAMPTZ, p_expected_version INTEGER)
RETURNS INTEGER LANGUAGE plpgsql AS $body$
BEGIN
    IF NOT cluster_lock_version(p_deployment_id, p_expected_version) THEN
        RETURN 0;
    END IF;

    INSERT INTO cluster_members (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
                                 suspect_times, start_time, i_am_alive_time)
    VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
            COALESCE(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time)
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING;
    IF NOT FOUND THEN
        RETURN 0; -- the row exists: nothing was written, the version stays
    END IF;

    PERFORM cluster_move_version(p_deployment_id);
    RETURN 1;
END
$body$;

-- Replaces a silo's status and suspicions (and its heartbeat) and moves the version, both or neither: 1 when done,
-- 0 when the version is no longer the one the silo read or the row is not there. The provider hands no row etag
-- to check: every change of any row moves the version under the same lock, so the version check covers the row.
CREATE FUNCTION cluster_update_member(
    p_deployment_id TEXT, p_address TEXT, p_port INTEGER, p_generation INTEGER,
    p_status INTEGER, p_suspect_times TEXT, p_i_am_alive_time TIMESTAMPTZ, p_expected_version INTEGER)
RETURNS INTEGER LANGUAGE plpgsql AS $body$
BEGIN
    IF NOT cluster_lock_version(p_deployment_id, p_expected_version) THEN
        RETURN 0;
    END IF;

    UPDATE cluster_members
       SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
     WHERE deployment_id = p_deployment_id AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    PERFORM cluster_move_version(p_deployment_id);
    RETURN 1;
END
$body$;

-- A cluster's members with its version, in the columns the provider reads: every member, or with an address only
-- the silo incarnation (address, port, generation) given. One statement, so one snapshot: the rows and the version
-- agree. The version row drives the join: without a matching member the result is still one row, the version's,
-- with NULL member columns, which the provider reads as "no member".
CREATE FUNCTION cluster_membership(p_deployment_id TEXT, p_address TEXT, p_port INTEGER, p_generation INTEGER)
RETURNS TABLE ("DeploymentId" VARCHAR, "Address" VARCHAR, "Port" INTEGER, "Generation" INTEGER, "SiloName" VARCHAR,
               "HostName" VARCHAR, "Status" INTEGER, "ProxyPort" INTEGER, "SuspectTimes" TEXT, "StartTime" TIMESTAMPTZ,
               "IAmAliveTime" TIMESTAMPTZ, "Version" INTEGER)
LANGUAGE sql STABLE AS $body$
SELECT v.deployment_id, m.address, m.port, m.generation, m.silo_name, m.host_name, m.status, m.proxy_port,
       m.suspect_times, m.start_time, m.i_am_alive_time, v.version
  FROM cluster_membership_version v
  LEFT JOIN cluster_members m
    ON m.deployment_id = v.deployment_id
   AND (p_address IS NULL OR (m.address = p_address AND m.port = p_port AND m.generation = p_generation))
 WHERE v.deployment_id = p_deployment_id
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Creates the cluster's version row if it is missing (each silo tries at start); one row, one column: the number
-- of rows created, 1 or 0.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO cluster_membership_version (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1)
SELECT COUNT(*)::INTEGER FROM created
$q$),

-- A silo joins: its row and the version move, atomically, on the version it read (1 or 0).
('InsertMembershipKey', $q$
SELECT cluster_insert_member(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
                             @StartTime, @IAmAliveTime, @Version)
$q$),

-- A silo's status or suspicions change: its row and the version move, atomically, on the version read (1 or 0).
('UpdateMembershipKey', $q$
SELECT cluster_update_member(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version)
$q$),

-- A silo's heartbeat: its own row's time only, with no version check and no version move (a heartbeat is not a
-- membership change, and must not make other silos' pending writes fail).
('UpdateIAmAlivetimeKey', $q$
UPDATE cluster_members SET i_am_alive_time = @IAmAliveTime
 WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- One silo's row with the cluster's version (cluster_membership with the silo's key), in one statement.
('MembershipReadRowKey', $q$
SELECT * FROM cluster_membership(@DeploymentId, @Address, @Port, @Generation)
$q$),

-- Every row of the cluster with its version (cluster_membership without a key), in one statement.
('MembershipReadAllKey', $q$
SELECT * FROM cluster_membership(@DeploymentId, NULL, NULL, NULL)
$q$),

-- The gateways a client may connect to: members with the status asked for (Active) and a gateway port.
('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
  FROM cluster_members
 WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Removes a whole cluster (its rows, then its version row), as one implicit transaction.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM cluster_members WHERE deployment_id = @DeploymentId;
DELETE FROM cluster_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Forgets incarnations that are not active and gave no sign of life (heartbeat or start) since @IAmAliveTime.
-- The version does not move: no live member's view changes.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM cluster_members
 WHERE deployment_id = @DeploymentId AND status <> 3 AND GREATEST(i_am_alive_time, start_time) < @IAmAliveTime
$q$);
