using System.CommandLine;
using System.Globalization;
using AlignmentEngine.Service.Hosting;
using AlignmentEngine.Service;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// The service's limits as <c>okr serve</c> options, each named after the limit its RESOURCE_EXHAUSTED (or, for the
/// request body's time, DEADLINE_EXCEEDED) names (defaults: <see cref="AlignmentServiceOptions"/>).
/// </summary>
internal sealed class LimitOptions
{
    private static readonly AlignmentServiceOptions Defaults = new();

    private readonly Option<int> _maxMessage = Positive("--max-receive-message-size", "Largest request message, in bytes.", Defaults.MaxReceiveMessageSize);
    private readonly Option<int> _maxChanges = Positive("--max-changes-per-request", "Operations in one ApplyChanges or SimulateChanges, check-ins in one RecordCheckIns.", Defaults.MaxChangesPerRequest);
    private readonly Option<int> _maxGoals = Positive("--max-goals-per-tenant", "Goals one tenant may hold.", Defaults.MaxGoalsPerTenant);
    private readonly Option<int> _maxWatchers = Positive("--max-watchers-per-tenant", "Open WatchRollups streams per tenant.", Defaults.MaxWatchersPerTenant);
    private readonly Option<int> _maxStreams = Positive("--max-concurrent-streams-per-key", "Calls one API key (with no keys: one client address) may have in progress at once, over all its connections.", Defaults.MaxConcurrentStreamsPerKey);
    private readonly Option<int> _maxStreamsPerConnection = Positive("--max-streams-per-connection", "HTTP/2 streams one connection may have open at once (advertised in SETTINGS).", GrpcServerHostOptions.DefaultMaxStreamsPerConnection);
    private readonly Option<double> _rate = new("--rate-limit-per-key")
    {
        Description = "Calls a second one API key may make on average; 0 for no limit.",
        DefaultValueFactory = _ => Defaults.RateLimitPerKey,
        CustomParser = r =>
        {
            // A parser rather than a validator: a validator would read a value that failed to parse, and throw.
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)) return value;
            r.AddError($"--rate-limit-per-key must be a number, 0 or more, not '{text}'.");
            return 0;
        },
    };

    private readonly Option<int> _burst = Positive("--rate-limit-burst", "Calls one API key may make at once before --rate-limit-per-key applies.", Defaults.RateLimitBurst);

    private readonly Option<TimeSpan> _requestBodyTimeout = CommonOptions.Duration("--request-body-timeout",
        "Seconds the request message of a unary or server-streaming call may take to arrive in full; a call whose body stalls longer ends with DEADLINE_EXCEEDED, its connection and other calls go on.",
        Defaults.RequestBodyTimeout, 0.001, MaxRequestBodySeconds, "10 or 2.5");

    /// <summary>An hour: a request message that takes longer to arrive is no longer a call's but a stall's.</summary>
    private const int MaxRequestBodySeconds = 3600;

    public IEnumerable<Option> All => [_maxMessage, _maxChanges, _maxGoals, _maxWatchers, _maxStreams, _maxStreamsPerConnection, _rate, _burst, _requestBodyTimeout];

    /// <summary>The transport's own limit, per HTTP/2 connection.</summary>
    public int MaxStreamsPerConnection(ParseResult result) => result.GetValue(_maxStreamsPerConnection);

    /// <summary>Sets the limits given on the command line.</summary>
    public Action<AlignmentServiceOptions> Read(ParseResult result)
    {
        var message = result.GetValue(_maxMessage);
        var (changes, goals, watchers, streams, rate, burst) =
            (result.GetValue(_maxChanges), result.GetValue(_maxGoals), result.GetValue(_maxWatchers), result.GetValue(_maxStreams), result.GetValue(_rate), result.GetValue(_burst));
        var bodyTimeout = result.GetValue(_requestBodyTimeout);
        return options =>
        {
            options.MaxReceiveMessageSize = message;
            options.MaxChangesPerRequest = changes;
            options.MaxGoalsPerTenant = goals;
            options.MaxWatchersPerTenant = watchers;
            options.MaxConcurrentStreamsPerKey = streams;
            options.RateLimitPerKey = rate;
            options.RateLimitBurst = burst;
            options.RequestBodyTimeout = bodyTimeout;
        };
    }

    private static Option<int> Positive(string name, string description, int defaultValue) =>
        CommonOptions.WholeNumber(name, description, 1, int.MaxValue, defaultValue);
}
