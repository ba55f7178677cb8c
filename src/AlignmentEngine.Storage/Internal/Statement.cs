using System.Data.Common;
using System.Reflection;
using Dapper;

namespace AlignmentEngine.Storage.Internal;

/// <summary>One SQL statement as a dialect sends it, and the names of the parameters the code binds to it.</summary>
internal interface IStatement
{
    string Text { get; }

    /// <summary>The parameter names (without <c>@</c>) every execution binds: the properties of its arguments' type.</summary>
    IReadOnlyList<string> ParameterNames { get; }
}

/// <summary>
/// A statement whose parameters are exactly the public properties of <typeparamref name="TArguments"/>: every call
/// binds an instance of that type, so the names the text uses can be checked against the names the code binds
/// (the T-SQL test does, with Microsoft's parser).
/// </summary>
internal sealed class Statement<TArguments>(string text) : IStatement
    where TArguments : notnull
{
    private static readonly PropertyInfo[] Properties = typeof(TArguments).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    public string Text => text;

    public IReadOnlyList<string> ParameterNames { get; } = [.. Properties.Select(p => p.Name)];

    public Task<int> ExecuteAsync(DbConnection connection, TArguments arguments, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(text, arguments, transaction, cancellationToken: cancellationToken));

    /// <summary>Runs the statement once per element (one prepared command, many executions).</summary>
    public Task<int> ExecuteEachAsync(DbConnection connection, IEnumerable<TArguments> arguments, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(text, arguments, transaction, cancellationToken: cancellationToken));

    public Task<T?> ScalarAsync<T>(DbConnection connection, TArguments arguments, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<T>(new CommandDefinition(text, arguments, transaction, cancellationToken: cancellationToken));

    /// <summary>Every row, read before the task completes (buffered).</summary>
    public Task<IEnumerable<TRow>> QueryAsync<TRow>(DbConnection connection, TArguments arguments, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.QueryAsync<TRow>(new CommandDefinition(text, arguments, transaction, cancellationToken: cancellationToken));

    /// <summary>A command with every argument bound, for reading with typed getters (no per-row mapping).</summary>
    public DbCommand Command(DbConnection connection, TArguments arguments, DbTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        foreach (var property in Properties)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = property.Name;
            parameter.Value = property.GetValue(arguments) ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
