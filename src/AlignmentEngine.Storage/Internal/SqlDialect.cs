using System.Data.Common;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// Everything that differs between databases, and nothing else: how to connect, the schema's few types, the
/// upsert and insert-if-absent statements, bulk inserts, the migration lock, the write probe, and which errors
/// mean "conflict" or "unavailable". The rest of the SQL (<see cref="SqlStore"/>) is standard. A SQL Server
/// dialect would add a class here (MERGE for upserts, SqlBulkCopy, sp_getapplock).
/// </summary>
internal abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>The database, as OpenTelemetry's <c>db.system</c> names it.</summary>
    public abstract string DbSystem { get; }

    /// <summary>An open connection, set up for durable commits.</summary>
    public abstract DbConnection Open();

    /// <summary>A read-only transaction that sees one consistent state across all its queries.</summary>
    public abstract DbTransaction BeginRead(DbConnection connection);

    /// <summary>A migration script with the dialect's types put in (<c>{blob}</c>).</summary>
    public abstract string Schema(string script);

    /// <summary>Run first in a migration's transaction, so that two processes migrating at once take turns.</summary>
    public abstract void LockForMigration(DbConnection connection, DbTransaction transaction);

    /// <summary>Creates the tenant row at version 0 unless it exists (parameters @tenant, @settings, @committedAt).</summary>
    public abstract string InsertTenantIfAbsent { get; }

    /// <summary>Inserts or replaces one goal row (parameters @tenant and every <see cref="GoalRow"/> property).</summary>
    public abstract string UpsertGoal { get; }

    /// <summary>Inserts many rows of one table in the open transaction, as fast as the database allows.</summary>
    public abstract void BulkInsert(DbConnection connection, DbTransaction transaction, string table, string tenant, string[] columns, IEnumerable<object?[]> rows);

    /// <summary>Throws when a write could not be committed now (down, locked).</summary>
    public abstract void ProbeWrite(DbConnection connection);

    /// <summary>A unique key violation: another writer committed the same version.</summary>
    public abstract bool IsConflict(Exception exception);

    /// <summary>The database cannot be reached or written just now (as opposed to a bug in a statement).</summary>
    public abstract bool IsUnavailable(Exception exception);
}
