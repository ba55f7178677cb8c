using System.Diagnostics;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// Runs each store call inside its telemetry span and turns the driver's failures into the store's: a conflict or
/// an unavailable database, and the span's status says which. Shared by the stores on one dialect.
/// </summary>
internal sealed class StoreCalls(SqlDialect dialect)
{
    public T Run<T>(string operation, string? tenant, Func<Activity?, T> action)
    {
        using var span = StoreTelemetry.Start(dialect.DbSystem, operation, tenant);
        try
        {
            return action(span);
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

    public void Run(string operation, string? tenant, Action<Activity?> action) => Run(operation, tenant, span =>
    {
        action(span);
        return true;
    });

    /// <summary>The rows, after tagging the span with their count.</summary>
    public static List<T> Counted<T>(Activity? span, List<T> rows)
    {
        span?.SetTag(StoreTelemetry.RowsAttribute, rows.Count);
        return rows;
    }
}
