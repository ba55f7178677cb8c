using System.Data;
using System.Data.Common;
using System.Globalization;
using AlignmentEngine.Core;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The roll-up as a user would write it by hand on a relational store (<see cref="RollupPeerSql"/>), run the same
/// way on any ADO.NET connection: the database peers differ only in how they create and fill their tables.
/// </summary>
internal abstract class RollupPeer : IDisposable
{
    private readonly RollupPeerSql _sql;
    private readonly string _name;

    protected RollupPeer(DbConnection connection, RollupPeerSql sql, string name)
    {
        Connection = connection;
        _sql = sql;
        _name = name;
    }

    protected DbConnection Connection { get; }

    /// <summary>The whole roll-up: depths by the recursive query, then the level-by-level updates.</summary>
    public double RollUp()
    {
        Execute(_sql.Depths);
        return RollUpLevels();
    }

    /// <summary>The level-by-level updates alone, on depths already computed (a user who caches them).</summary>
    public double RollUpLevels()
    {
        using var transaction = Connection.BeginTransaction();
        Execute(_sql.Leaves, transaction);
        var deepest = Convert.ToInt32(Scalar(RollupPeerSql.Deepest, transaction), CultureInfo.InvariantCulture);
        using var sums = Command(_sql.Sums, transaction);
        using var sumValues = Command(_sql.SumValues, transaction);
        using var means = Command(_sql.Means, transaction);
        var perDepth = new[] { sums, sumValues, means };
        var depths = perDepth.Select(AddDepth).ToArray();
        foreach (var command in perDepth) command.Prepare();
        for (var d = deepest; d >= 0; d--)
        {
            foreach (var depth in depths) depth.Value = d;
            foreach (var command in perDepth) command.ExecuteNonQuery();
        }

        var top = Convert.ToDouble(Scalar(RollupPeerSql.Top, transaction), CultureInfo.InvariantCulture);
        transaction.Commit();
        return top;
    }

    /// <summary>
    /// Throws unless the peer holds every goal of the graph once, each valued as the engine values it to 1e-9:
    /// the comparison is only fair if both compute the same thing.
    /// </summary>
    public void Verify(AlignmentGraph graph, DateOnly asOf)
    {
        using var command = Command(RollupPeerSql.Values, null);
        using var reader = command.ExecuteReader();
        var checkedGoals = 0;
        while (reader.Read())
        {
            var id = reader.GetString(0);
            var mine = reader.GetDouble(1);
            var engine = graph.GetResult(id, asOf)!.Progress;
            if (Math.Abs(mine - engine) > 1e-9) throw new InvalidOperationException($"{_name} peer gives {mine:R} for '{id}', the engine {engine:R}");
            checkedGoals++;
        }

        if (checkedGoals != graph.Count) throw new InvalidOperationException($"{_name} peer holds {checkedGoals} goals, the engine {graph.Count}");
    }

    public void Dispose()
    {
        BeforeClose();
        Connection.Dispose();
    }

    /// <summary>Clean-up on the server before the connection closes (nothing by default).</summary>
    protected virtual void BeforeClose()
    {
    }

    protected void Execute(string sql, DbTransaction? transaction = null)
    {
        using var command = Command(sql, transaction);
        command.ExecuteNonQuery();
    }

    protected DbCommand Command(string sql, DbTransaction? transaction)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private object? Scalar(string sql, DbTransaction transaction)
    {
        using var command = Command(sql, transaction);
        return command.ExecuteScalar();
    }

    private DbParameter AddDepth(DbCommand command)
    {
        var depth = command.CreateParameter();
        depth.ParameterName = _sql.DepthParameter;
        depth.DbType = DbType.Int32;
        command.Parameters.Add(depth);
        return depth;
    }
}
