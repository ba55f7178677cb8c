namespace AlignmentEngine.Service.Hosting;

/// <summary>How <see cref="GrpcServerHost"/> writes its log lines (to standard error).</summary>
public enum LogFormat
{
    /// <summary>Readable text, for a person at a terminal.</summary>
    Text,

    /// <summary>
    /// One JSON object per line (timestamp, level, category, message, the structured state), with the trace and span
    /// ids of the span it was written in, for a log collector.
    /// </summary>
    Json,
}
