using AlignmentEngine.Core;
using Grpc.Core;
using AlignmentEngine.Service.Mapping;
using Google.Protobuf;
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

    /// <summary>The trailer that carries the <c>google.rpc.Status</c>.</summary>
    private const string StatusDetailsTrailer = "grpc-status-details-bin";

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

    /// <summary>
    /// A request_id (AIP-155) that the tenant committed with a different request: INVALID_ARGUMENT on the field, since
    /// only a new id for the new request mends it, and retrying never does.
    /// </summary>
    public static RpcException RequestIdReused(string requestId, string tenant, long version) =>
        InvalidArgument(RequestIds.Field,
            $"'{requestId}' was already used by a different request, committed as version {version} of tenant '{Echo(tenant)}': send a new request_id for a new request");

    /// <summary>The resource type of a tenant in <c>google.rpc.ResourceInfo</c>.</summary>
    public const string TenantResource = "okr.alignment.v1.Tenant";

    /// <summary>The resource type of a goal in <c>google.rpc.ResourceInfo</c>.</summary>
    public const string GoalResource = "okr.alignment.v1.Goal";

    /// <summary>The resource type of a webhook subscription in <c>google.rpc.ResourceInfo</c>.</summary>
    public const string WebhookResource = "okr.alignment.v1.Webhook";

    /// <summary>NOT_FOUND with a <c>google.rpc.ResourceInfo</c> naming what was looked for.</summary>
    public static RpcException NotFound(string resourceType, string resourceName, string message) =>
        Rich(StatusCode.NotFound, message, Any.Pack(new ResourceInfo { ResourceType = resourceType, ResourceName = Echo(resourceName), Description = Cut(message, MaxDescriptionLength) }));

    /// <summary>A tenant with no goals, and equally another tenant's resources: the two must not be told apart.</summary>
    public static RpcException TenantHasNoGoals(string tenant) =>
        NotFound(TenantResource, $"tenants/{tenant}", $"tenant '{Echo(tenant)}' has no goals");

    /// <summary>A goal that does not exist in a tenant the caller may read.</summary>
    public static RpcException GoalNotFound(string name) => NotFound(GoalResource, name, $"goal '{Echo(name)}' does not exist");

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

    /// <summary>
    /// A change that would make the tree invalid: FAILED_PRECONDITION with one violation per error finding. The message
    /// names the request's field of the operation that failed (<c>changes[2]</c>, <c>check_ins[0]</c>), when one did.
    /// </summary>
    public static RpcException InvalidTree(IReadOnlyList<Finding> errors, string? field)
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

        var where = field is null ? string.Empty : $"{field}: ";
        var message = $"{where}{Cut(errors[0].Message, MaxDescriptionLength)}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : string.Empty);
        return Rich(StatusCode.FailedPrecondition, Listed(message, failure.Violations.Count, errors.Count), Any.Pack(failure));
    }

    /// <summary>
    /// The database cannot be used just now (a write: nothing was applied), and the client may retry. The message says
    /// only what failed: the store's location and the driver's words (which may hold a path or a host) stay in the
    /// <paramref name="cause"/>, which the pipeline logs and never sends.
    /// </summary>
    public static RpcException Unavailable(string message, Exception cause) =>
        Rich(StatusCode.Unavailable, $"{message}: the store is unavailable; retry later", cause, Any.Pack(new ErrorInfo { Reason = "STORE_UNAVAILABLE", Domain = "okr.alignment.v1" }));

    /// <summary>
    /// A tenant's grain gave no answer in time: it waited behind other loads on its silo (<c>--max-concurrent-loads</c>)
    /// longer than an activation may take, or the call itself ran out of time.
    /// </summary>
    public static RpcException TenantNotLoadedInTime(string tenant, Exception cause) =>
        Rich(StatusCode.Unavailable,
            $"tenant '{Echo(tenant)}' was not loaded in time: its silo loads a few tenants at a time (--max-concurrent-loads) and others were ahead of it; retry later",
            cause, Any.Pack(new ErrorInfo { Reason = "TENANT_NOT_LOADED", Domain = "okr.alignment.v1" }));

    /// <summary>
    /// The tenant's grain lost the first pieces of an import while it was on its way (the tenant moved to another silo, or
    /// was reloaded): nothing was applied, and the client may send the import again.
    /// </summary>
    public static RpcException ImportInterrupted(string tenant) =>
        Rich(StatusCode.Unavailable, $"the import into tenant '{Echo(tenant)}' was interrupted (the tenant moved or was reloaded while it was on its way): nothing was applied; send it again",
            Any.Pack(new ErrorInfo { Reason = "IMPORT_INTERRUPTED", Domain = "okr.alignment.v1" }));

    /// <summary>The server is stopping: a watch ends with this, and the client may watch again elsewhere or later.</summary>
    public static RpcException ShuttingDown() =>
        Rich(StatusCode.Unavailable, "the server is shutting down: watch again, from the last version received, on another replica or after the restart",
            Any.Pack(new ErrorInfo { Reason = "SHUTTING_DOWN", Domain = "okr.alignment.v1" }));

    /// <summary>A page token of a positional answer (GetTree) read at another version than the tenant's now.</summary>
    public static RpcException PageOfAnotherVersion(long tokenVersion, long version) =>
        Rich(StatusCode.Aborted, $"page_token was issued at version {tokenVersion}; the tenant is at version {version}: read again from the first page",
            Any.Pack(new ErrorInfo { Reason = "PAGE_TOKEN_STALE", Domain = "okr.alignment.v1", Metadata = { ["page_token_version"] = $"{tokenVersion}", ["version"] = $"{version}" } }));

    /// <summary>
    /// The tenant's grain could not be reached: the connection to the silo holding it failed (the silo died, or left, or
    /// closed it) while the call was on its way. After a silo's death a retry reaches the tenant once a survivor has
    /// activated it (docs/scale-out.md, "Failure detection"); a write may have committed before the silo died, which a
    /// retried <c>request_id</c> makes safe.
    /// </summary>
    public static RpcException TenantUnreachable(string tenant, Exception cause) =>
        Rich(StatusCode.Unavailable, $"the silo holding tenant '{Echo(tenant)}' cannot be reached (if it failed, the tenant moves to another): retry", cause,
            Any.Pack(new ErrorInfo { Reason = "TENANT_UNREACHABLE", Domain = "okr.alignment.v1" }));

    /// <summary>
    /// A status a tenant's grain answered (<c>google.rpc.Status</c>), as the handler there threw it: the same code, message
    /// and details, and the words of its cause (<see cref="Unavailable"/>) kept for the pipeline's log, never sent.
    /// </summary>
    public static RpcException FromGrain(Google.Rpc.Status status, string? cause)
    {
        ArgumentNullException.ThrowIfNull(status);
        var debug = cause is null ? null : new InvalidOperationException(cause);
        return new RpcException(new Grpc.Core.Status((StatusCode)status.Code, status.Message, debug), new Metadata { { StatusDetailsTrailer, status.ToByteArray() } });
    }

    /// <summary>The message, saying how many of <paramref name="total"/> problems the details list when not all.</summary>
    private static string Listed(string message, int listed, int total) =>
        listed == total ? message : $"{message}; the details list the first {listed} of {total}";

    /// <summary>A message or description cut at <paramref name="max"/> characters, the cut marked.</summary>
    private static string Cut(string text, int max) => text.Length <= max ? text : $"{text[..(max - 1)]}…";

    private static RpcException Rich(StatusCode code, string message, params Any[] details) => Rich(code, message, null, details);

    private static RpcException Rich(StatusCode code, string message, Exception? cause, params Any[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = Cut(message, MaxMessageLength) };
        status.Details.AddRange(details);

        // As Grpc.StatusProto's ToRpcException builds it, with the cause kept as the status's debug exception (never sent).
        return new RpcException(new Grpc.Core.Status(code, status.Message, cause), new Metadata { { StatusDetailsTrailer, status.ToByteArray() } });
    }
}
