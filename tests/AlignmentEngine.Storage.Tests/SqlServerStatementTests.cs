using AlignmentEngine.Storage.Internal;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// What can be checked of the SQL Server store without a SQL Server: every statement its dialect sends and every
/// T-SQL migration script parse with Microsoft's own T-SQL parser (SQL Server 2022's grammar), and the parameters
/// each statement uses are exactly, case included, the ones the code binds to it (a server with a case-sensitive
/// collation matches parameter names case-sensitively).
/// </summary>
public sealed class SqlServerStatementTests
{
    private static readonly SqlServerDialect Dialect = (SqlServerDialect)AlignmentStores.Dialect(
        "sqlserver:Server=127.0.0.1,53433;Database=okr;User ID=okr;Password=not-a-secret;TrustServerCertificate=True", TimeSpan.FromSeconds(5));

    public static IEnumerable<TestCaseData> Statements() =>
        Dialect.Statements().Select(s => new TestCaseData(s.Name).SetArgDisplayNames(s.Name));

    public static IEnumerable<TestCaseData> MigrationScripts() =>
        Migrator.Scripts(Dialect.MigrationsFolder).Select(s => new TestCaseData(s.Name).SetArgDisplayNames(s.Name));

    [TestCaseSource(nameof(Statements))]
    public void Statement_ParsesAsTSql_AndUsesExactlyTheParametersTheCodeBinds(string name)
    {
        var statement = Dialect.Statements().Single(s => s.Name == name).Statement;

        var script = Parse(statement.Text);

        Parameters(script).Should().BeEquivalentTo(statement.ParameterNames, "{0}: {1}", name, statement.Text);
    }

    [TestCaseSource(nameof(MigrationScripts))]
    public void MigrationScript_ParsesAsTSql_AndBindsNothing(string name)
    {
        var script = Migrator.Scripts(Dialect.MigrationsFolder).Single(s => s.Name == name);

        var parsed = Parse(Dialect.Schema(script.Text));

        Parameters(parsed).Should().BeEmpty();
        script.Text.Should().NotContain("TEXT ", "TEXT is deprecated in T-SQL and cannot be a key: {0}", name);
    }

    [Test]
    public void MigrationScripts_NumberedLikeTheStandardOnes()
    {
        Migrator.Scripts(Dialect.MigrationsFolder).Select(s => (s.Version, s.Name)).Should().Equal(
            Migrator.Scripts("Migrations/").Select(s => (s.Version, s.Name)));
    }

    [Test]
    public void Statements_CoverTheStoreAndTheMigrator()
    {
        // The statements only this dialect sends are there too, next to the standard ones it keeps.
        Dialect.Statements().Select(s => s.Name).Should().Contain(
            ["UpsertGoal", "InsertTenantIfAbsent", "MigrationLock", "CreateSchemaVersion", "DatabaseOptions", "MoveVersion", "InsertApiKey"]);
    }

    [Test]
    public void Location_SqlServer_OpensTheSqlServerDialect_AndItsNameHidesThePassword()
    {
        Dialect.Name.Should().Be("sqlserver:Server=127.0.0.1,53433;Database=okr;User ID=okr");
        AlignmentStores.Dialect("mssql:Server=db;Database=okr;User ID=sa;Password=x", TimeSpan.FromSeconds(1)).Should().BeOfType<SqlServerDialect>();
    }

    [Test]
    public void Parser_StatementsThatAreNotTSql_AreRejected()
    {
        // The parser is strict enough to tell: the standard upsert and schema table of the other stores are not T-SQL.
        var standard = AlignmentStores.Dialect("sqlite:/nonexistent/okr.db", TimeSpan.FromSeconds(1));

        foreach (var text in new[] { standard.UpsertGoal.Text, standard.CreateSchemaVersion.Text })
        {
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(text), out var errors);
            errors.Should().NotBeEmpty(text);
        }
    }

    /// <summary>The parsed script; fails the test with every syntax error, by line and column.</summary>
    private static TSqlFragment Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").Should().BeEmpty("T-SQL must parse: {0}", sql);
        return fragment;
    }

    /// <summary>The variables a script reads that it does not declare itself: the parameters it must be given.</summary>
    private static IReadOnlyCollection<string> Parameters(TSqlFragment script)
    {
        var variables = new Variables();
        script.Accept(variables);
        return variables.Parameters();
    }

    private sealed class Variables : TSqlFragmentVisitor
    {
        private readonly List<VariableReference> _references = [];
        private readonly HashSet<VariableReference> _procedureArgumentNames = [];
        private readonly HashSet<string> _declared = new(StringComparer.Ordinal);

        public override void Visit(VariableReference node) => _references.Add(node);

        // In EXEC proc @Name = value, @Name names the procedure's parameter: it is not ours to bind.
        public override void Visit(ExecuteParameter node)
        {
            if (node.Variable is not null) _procedureArgumentNames.Add(node.Variable);
        }

        public override void Visit(DeclareVariableElement node) => _declared.Add(node.VariableName.Value);

        public IReadOnlyCollection<string> Parameters() =>
            _references.Where(r => !_procedureArgumentNames.Contains(r) && !_declared.Contains(r.Name))
                .Select(r => r.Name.TrimStart('@'))
                .ToHashSet(StringComparer.Ordinal);
    }
}
