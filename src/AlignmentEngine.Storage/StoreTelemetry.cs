using System.Diagnostics;

namespace AlignmentEngine.Storage;

/// <summary>
/// A client span per store transaction, with the OpenTelemetry database conventions (<c>db.system</c>,
/// <c>db.operation.name</c>) and the tenant and rows it concerned. The store only emits them: whoever hosts it decides
/// whether anything listens (the service exports them under <see cref="SourceName"/>), and with nothing listening a
/// transaction pays one check.
/// </summary>
public static class StoreTelemetry
{
    /// <summary>The ActivitySource name a tracer provider subscribes to.</summary>
    public const string SourceName = "AlignmentEngine.Storage";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Rows written (goals, alignments, check-ins, log entries) or read back, when counting them costs nothing.</summary>
    internal const string RowsAttribute = "db.response.rows";

    /// <summary>
    /// A span for one transaction, or null outside any traced work: the service's follower reads the store every
    /// poll interval whether or not anything changed, and a root span for each poll would bury the traces that matter.
    /// </summary>
    internal static Activity? Start(string dbSystem, string operation, string? tenant)
    {
        if (Activity.Current is null) return null;
        var span = Source.StartActivity($"{operation} {dbSystem}", ActivityKind.Client);
        if (span is null) return null;
        span.SetTag("db.system", dbSystem);
        span.SetTag("db.operation.name", operation);
        if (tenant is not null) span.SetTag("okr.tenant", tenant);
        return span;
    }

    internal static void Failed(Activity? span, Exception exception)
    {
        if (span is null) return;
        span.SetTag("error.type", exception.GetType().FullName);
        span.SetStatus(ActivityStatusCode.Error, exception.Message);
    }
}
