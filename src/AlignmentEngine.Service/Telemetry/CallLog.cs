using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// One line per AlignmentService call (at Information, so off by default), written inside the call's span so that a
/// JSON log line carries the trace and span ids a trace viewer shows for it.
/// </summary>
internal static partial class CallLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Method} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    public static partial void Answered(ILogger logger, string method, StatusCode statusCode, double elapsedMilliseconds);
}
