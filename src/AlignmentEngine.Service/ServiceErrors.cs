using AlignmentEngine.Core;
using AlignmentEngine.Rpc;
using AlignmentEngine.Service.Mapping;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace AlignmentEngine.Service;

/// <summary>
/// Every status the service answers with, built in one place, with rich details (<c>google.rpc.Status</c> in
/// <c>grpc-status-details-bin</c>) that a client can read field by field.
/// </summary>
internal static class ServiceErrors
{
    public static RpcException InvalidArgument(FieldViolations violations)
    {
        var first = violations.All[0];
        var message = violations.All.Count == 1
            ? $"{first.Field}: {first.Description}"
            : $"{first.Field}: {first.Description} (and {violations.All.Count - 1} more problems)";
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.All);
        return Rich(StatusCode.InvalidArgument, message, Any.Pack(badRequest));
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
            failure.Violations.Add(new PreconditionFailure.Types.Violation
            {
                Type = f.Code.Name(),
                Subject = f.Related.Count == 0 ? f.Goal : $"{f.Goal} ({string.Join(", ", f.Related)})",
                Description = f.Message,
            });
        }

        var where = operation is { } k ? $"changes[{k}]: " : string.Empty;
        return Rich(StatusCode.FailedPrecondition, $"{where}{errors[0].Message}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : string.Empty), Any.Pack(failure));
    }

    /// <summary>The database cannot commit a write just now: nothing was applied, and the client may retry.</summary>
    public static RpcException Unavailable(string message) =>
        Rich(StatusCode.Unavailable, message, Any.Pack(new ErrorInfo { Reason = "STORE_UNAVAILABLE", Domain = "okr.alignment.v1" }));

    /// <summary>The server is stopping: a watch ends with this, and the client may watch again elsewhere or later.</summary>
    public static RpcException ShuttingDown() =>
        Rich(StatusCode.Unavailable, "the server is shutting down: watch again, from the last version received, on another replica or after the restart",
            Any.Pack(new ErrorInfo { Reason = "SHUTTING_DOWN", Domain = "okr.alignment.v1" }));

    public static RpcException OutOfRange(string message) => Rich(StatusCode.OutOfRange, message);

    private static RpcException Rich(StatusCode code, string message, params Any[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.AddRange(details);
        return new RpcException(status);
    }
}
