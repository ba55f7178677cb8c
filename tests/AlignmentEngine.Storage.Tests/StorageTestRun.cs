using System.Globalization;
using AlignmentEngine.Storage.Tests.Support;

namespace AlignmentEngine.Storage.Tests;

/// <summary>Sets the run up (the culture) and removes what its stores left behind: SQLite folders, PostgreSQL schemas, SQL Server databases, and the containers started for them.</summary>
[SetUpFixture]
public sealed class StorageTestRun
{
    /// <summary>Globalization is on here (for SQL Server's client), but nothing checked may depend on the machine's locale.</summary>
    [OneTimeSetUp]
    public void FormatInvariantly()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
    }

    [OneTimeTearDown]
    public void RemoveStores()
    {
        SqliteProvider.RemoveAll();
        TestPostgres.DropSchemas();
        TestSqlServer.DropDatabases();
    }
}
