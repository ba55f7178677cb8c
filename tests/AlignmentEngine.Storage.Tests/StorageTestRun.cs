using AlignmentEngine.Storage.Tests.Support;

namespace AlignmentEngine.Storage.Tests;

/// <summary>Removes what the run's stores left behind: SQLite folders, PostgreSQL schemas, SQL Server databases, and the containers started for them.</summary>
[SetUpFixture]
public sealed class StorageTestRun
{
    [OneTimeTearDown]
    public void RemoveStores()
    {
        SqliteProvider.RemoveAll();
        TestPostgres.DropSchemas();
        TestSqlServer.DropDatabases();
    }
}
