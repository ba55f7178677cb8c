using System.Diagnostics;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// Runs each store call inside its telemetry span and turns the driver's failures into the store's: a conflict or
/// an unavailable database, and the span's status says which. A call whose token was cancelled ends with
/// <see cref="OperationCanceledException"/> whatever the driver threw for it (Npgsql cancels the statement on the
/// server; SqlClient reports "operation cancelled" as a SqlException). Shared by the stores on one dialect.
/// </summary>
internal sealed class StoreCalls(SqlDialect dialect)
{
    public async Task<T> RunAsync<T>(string operation, string? tenant, Func<Activity?, Task<T>> action, CancellationToken cancellationToken)
    {
        using var span = StoreTelemetry.Start(dialect.DbSystem, operation, tenant);
        try
        {
            return await action(span).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            StoreTelemetry.Failed(span, e);
            if (e is OperationCanceledException) throw;
            throw new OperationCanceledException($"{operation} was cancelled", e, cancellationToken);
        }
        catch (Exception e) when (dialect.IsConflict(e))
        {
            var conflict = new StoreConflictException("another writer committed the same version first", e);
            StoreTelemetry.Failed(span, conflict);
            throw conflict;
        }
        catch (Exception e) when (dialect.IsUnavailable(e))
        {
            var unavailable = new StoreUnavailableException($"{dialect.Name} is unavailable: {e.Message}", e);
            StoreTelemetry.Failed(span, unavailable);
            throw unavailable;
        }
        catch (Exception e)
        {
            StoreTelemetry.Failed(span, e);
            throw;
        }
    }

    public Task RunAsync(string operation, string? tenant, Func<Activity?, Task> action, CancellationToken cancellationToken) => RunAsync(operation, tenant, async span =>
    {
        await action(span).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    /// <summary>The rows, after tagging the span with their count.</summary>
    public static List<T> Counted<T>(Activity? span, List<T> rows)
    {
        span?.SetTag(StoreTelemetry.RowsAttribute, rows.Count);
        return rows;
    }
}
