using AlignmentEngine.Core;
using Grpc.Core;
using AlignmentEngine.Service.Mapping;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace AlignmentEngine.Service;

/// <summary>
/// Every status the service answers with, built in one place, with rich details (<c>google.rpc.Status</c> in
/// <c>grpc-status-details-bin</c>) that a client can read field by field.
/// A status travels in HTTP/2 trailers, and a client (or a proxy) drops a header list past its limit (commonly
/// 8 to 16 KiB), often with the whole connection: so every status is bounded whatever the request held. The message
/// is cut at <see cref="MaxMessageLength"/> characters, a name echoed back at <see cref="MaxEchoLength"/>, and the
/// details list violations only while they fit <see cref="MaxDetailBytes"/>, the message giving the total count.
/// </summary>
internal static class ServiceErrors
{
    /// <summary>The longest status message (percent-encoded in grpc-message, so up to three times as many bytes).</summary>
    public const int MaxMessageLength = 512;

    /// <summary>The longest piece of a request (a name, an id) echoed back in a message or a violation.</summary>
    public const int MaxEchoLength = 100;

    /// <summary>The longest description of one violation, in the message or the details.</summary>
    public const int MaxDescriptionLength = 256;

    /// <summary>The largest serialized details (base64 in grpc-status-details-bin: a third more on the wire).</summary>
    public const int MaxDetailBytes = 2048;

    /// <summary><paramref name="text"/> as echoed back: at most <see cref="MaxEchoLength"/> characters, a cut one marked.</summary>
    public static string Echo(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxEchoLength ? text : $"{text[..MaxEchoLength]}… ({text.Length} characters)";
    }

    public static RpcException InvalidArgument(FieldViolations violations)
    {
        var all = violations.All;
        var first = all[0];
        var message = all.Count == 1
            ? $"{Echo(first.Field)}: {Cut(first.Description, MaxDescriptionLength)}"
            : $"{Echo(first.Field)}: {Cut(first.Description, MaxDescriptionLength)} (and {all.Count - 1} more problems)";
        var badRequest = new BadRequest();
        foreach (var v in all)
        {
            var bounded = new BadRequest.Types.FieldViolation { Field = Echo(v.Field), Description = Cut(v.Description, MaxDescriptionLength) };
            if (badRequest.CalculateSize() + bounded.CalculateSize() > MaxDetailBytes) break;
            badRequest.FieldViolations.Add(bounded);
        }

        return Rich(StatusCode.InvalidArgument, Listed(message, badRequest.FieldViolations.Count, all.Count), Any.Pack(badRequest));
    }

    public static RpcException InvalidArgument(string field, string description)
    {
        var violations = new FieldViolations();
        violations.Add(field, description);
        return InvalidArgument(violations);
    }

    public static RpcException NotFound(string what) => Rich(StatusCode.NotFound, what);

    /// <summary>A tenant with no goals, and equally another tenant's resources: the two must not be told apart.</summary>
    public static RpcException TenantHasNoGoals(string tenant) => NotFound($"tenant '{tenant}' has no goals");

    public static RpcException Unauthenticated(string message) =>
        Rich(StatusCode.Unauthenticated, message, Any.Pack(new ErrorInfo { Reason = "API_KEY_INVALID", Domain = "okr.alignment.v1" }));

    public static RpcException PermissionDenied(string message) =>
        Rich(StatusCode.PermissionDenied, message, Any.Pack(new ErrorInfo { Reason = "SCOPE_MISSING", Domain = "okr.alignment.v1" }));

    public static RpcException Aborted(long expected, long actual) =>
        Rich(StatusCode.Aborted, $"expected_version {expected} does not match the tenant's version {actual}: read again and retry",
            Any.Pack(new ErrorInfo { Reason = "VERSION_MISMATCH", Domain = "okr.alignment.v1", Metadata = { ["expected_version"] = $"{expected}", ["version"] = $"{actual}" } }));

    /// <summary>A limit reached: the message names it, and the <c>okr serve</c> option (of the same name) that raises it.</summary>
    public static RpcException ResourceExhausted(string limit, string message)
    {
        var full = $"{message} (raised with okr serve --{limit.Replace('_', '-')})";
        return Rich(StatusCode.ResourceExhausted, full, Any.Pack(new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = limit, Description = full } } }));
    }

    /// <summary>A change that would make the tree invalid: FAILED_PRECONDITION with one violation per error finding.</summary>
    public static RpcException InvalidTree(IReadOnlyList<Finding> errors, int? operation)
    {
        var failure = new PreconditionFailure();
        foreach (var f in errors)
        {
            var violation = new PreconditionFailure.Types.Violation
            {
                Type = f.Code.Name(),
                Subject = Echo(f.Related.Count == 0 ? f.Goal : $"{f.Goal} ({string.Join(", ", f.Related)})"),
                Description = Cut(f.Message, MaxDescriptionLength),
            };
            if (failure.CalculateSize() + violation.CalculateSize() > MaxDetailBytes) break;
            failure.Violations.Add(violation);
        }

        var where = operation is { } k ? $"changes[{k}]: " : string.Empty;
        var message = $"{where}{Cut(errors[0].Message, MaxDescriptionLength)}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : string.Empty);
        return Rich(StatusCode.FailedPrecondition, Listed(message, failure.Violations.Count, errors.Count), Any.Pack(failure));
    }

    /// <summary>The database cannot commit a write just now: nothing was applied, and the client may retry.</summary>
    public static RpcException Unavailable(string message) =>
        Rich(StatusCode.Unavailable, message, Any.Pack(new ErrorInfo { Reason = "STORE_UNAVAILABLE", Domain = "okr.alignment.v1" }));

    /// <summary>The server is stopping: a watch ends with this, and the client may watch again elsewhere or later.</summary>
    public static RpcException ShuttingDown() =>
        Rich(StatusCode.Unavailable, "the server is shutting down: watch again, from the last version received, on another replica or after the restart",
            Any.Pack(new ErrorInfo { Reason = "SHUTTING_DOWN", Domain = "okr.alignment.v1" }));

    public static RpcException OutOfRange(string message) => Rich(StatusCode.OutOfRange, message);

    /// <summary>The message, saying how many of <paramref name="total"/> problems the details list when not all.</summary>
    private static string Listed(string message, int listed, int total) =>
        listed == total ? message : $"{message}; the details list the first {listed} of {total}";

    /// <summary>A message or description cut at <paramref name="max"/> characters, the cut marked.</summary>
    private static string Cut(string text, int max) => text.Length <= max ? text : $"{text[..(max - 1)]}…";

    private static RpcException Rich(StatusCode code, string message, params Any[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = Cut(message, MaxMessageLength) };
        status.Details.AddRange(details);
        return status.ToRpcException();
    }
}
