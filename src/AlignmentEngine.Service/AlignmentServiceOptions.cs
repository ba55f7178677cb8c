using AlignmentEngine.Service.Cluster;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service;

/// <summary>Where the service keeps its tenants, and its limits (each answered with RESOURCE_EXHAUSTED naming it).</summary>
public sealed class AlignmentServiceOptions
{
    /// <summary>The store: <c>sqlite:PATH</c> (default <c>sqlite:alignment.db</c>), <c>postgres:CONNECTION-STRING</c> or <c>sqlserver:CONNECTION-STRING</c>.</summary>
    public string Store { get; set; } = AlignmentStores.DefaultLocation;

    /// <summary>How long a write waits for the database (to connect, or for a lock) before it is UNAVAILABLE.</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an unavailable database is tried again (the writes' health probe, webhook outboxes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The cluster this process is a silo of (<c>okr serve --cluster</c>), its membership in PostgreSQL; null, the
    /// default: a single silo on its own, with localhost clustering.
    /// </summary>
    public ClusterSettings? Cluster { get; set; }

    /// <summary>
    /// The Kubernetes pod this silo of <see cref="Cluster"/> runs in (<c>okr serve --kubernetes</c>), hosted with
    /// Microsoft.Orleans.Hosting.Kubernetes; null, the default: not in Kubernetes.
    /// </summary>
    public Hosting.KubernetesPod? Kubernetes { get; set; }

    /// <summary>
    /// The goals this silo's activated tenants may hold together (<c>okr serve --max-resident-goals</c>): above it, the
    /// least recently called tenants are deactivated until the rest fit (<see cref="Capacity.ResidentGoals"/>); null, the
    /// default: no budget, tenants stay until idle collection.
    /// </summary>
    public int? MaxResidentGoals { get; set; }

    /// <summary>Tenants this silo loads from the store at once (<c>okr serve --max-concurrent-loads</c>); other activations wait for a slot.</summary>
    public int MaxConcurrentLoads { get; set; } = 2;

    /// <summary>The clock commit times and "today" come from (tests set a fixed one).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where spans and metrics go, by OTLP/HTTP (e.g. <c>http://otel-collector:4318</c>; <c>/v1/traces</c> and
    /// <c>/v1/metrics</c> are appended to its path); null: telemetry is off.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// Origins (<c>https://dashboard.example.com</c>) whose pages may call the service from a browser (CORS, for gRPC-Web
    /// and REST/JSON); empty, the default: none.
    /// </summary>
    public IList<string> CorsOrigins { get; } = [];

    /// <summary>Largest request message, in bytes after decompression (the gRPC default: 4 MiB); checked before it is buffered.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long the request message of a unary or server-streaming call may take to arrive in full. A client whose
    /// body stalls gets DEADLINE_EXCEEDED for that call alone; its connection and other calls go on.
    /// </summary>
    public TimeSpan RequestBodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Operations in one ApplyChanges or SimulateChanges, check-ins in one RecordCheckIns.</summary>
    public int MaxChangesPerRequest { get; set; } = 10_000;

    /// <summary>Goals one tenant may hold.</summary>
    public int MaxGoalsPerTenant { get; set; } = 2_000_000;

    /// <summary>Open WatchRollups streams per tenant.</summary>
    public int MaxWatchersPerTenant { get; set; } = 1_000;

    /// <summary>
    /// Calls (unary or streaming, watches included) one API key may have in progress at once, over all its
    /// connections; with no keys configured, one client address. Each connection's HTTP/2 stream limit is the
    /// transport's own (<c>Hosting.GrpcServerHostOptions.MaxStreamsPerConnection</c>).
    /// </summary>
    public int MaxConcurrentStreamsPerKey { get; set; } = 1_000;

    /// <summary>Calls a second one API key may make on average (0: no limit); with no keys configured nothing is limited.</summary>
    public double RateLimitPerKey { get; set; } = 200;

    /// <summary>Calls one API key may make at once before <see cref="RateLimitPerKey"/> applies.</summary>
    public int RateLimitBurst { get; set; } = 400;

    /// <summary>
    /// Committed changes kept in memory per tenant for WatchRollups clients to resume from; a watch resuming from further
    /// back is replayed from the store's change log.
    /// </summary>
    public int WatchLogCapacity { get; set; } = 10_000;

    /// <summary>
    /// How often an open WatchRollups stream renews its subscription to the tenant's grain, and the longest silence after
    /// which it asks the grain whether it missed a change. A grain that moved to another silo, or was reactivated, knows
    /// none of its watchers until they renew: this is how long a watcher can go without seeing the changes committed
    /// meanwhile, which it then replays in order. A subscription not renewed within three times this is forgotten.
    /// Set by <c>okr serve --watch-renewal</c>.
    /// </summary>
    public TimeSpan WatchResubscribePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Goals per ExportTree message.</summary>
    public int ExportChunkSize { get; set; } = 1_000;

    /// <summary>
    /// How long the API keys read from the store are trusted before being read again: a key created or revoked
    /// elsewhere takes effect within this time.
    /// </summary>
    public TimeSpan ApiKeyCacheTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Points in one GetProgressHistory answer.</summary>
    public int MaxHistoryPoints { get; set; } = 1_000;

    /// <summary>
    /// Whether webhooks may go to http URLs and to loopback or private addresses (receivers on this machine or a private
    /// network; tests). Off: https to public addresses only, checked at creation and at every connection.
    /// </summary>
    public bool AllowInsecureWebhooks { get; set; }

    /// <summary>How long a webhook event may keep failing (from its first failed attempt) before its subscription is disabled.</summary>
    public TimeSpan WebhookDisableAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The first retry's delay of a failed webhook attempt; each next one doubles, with jitter, up to <see cref="WebhookRetryMaxDelay"/>.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts of one webhook event.</summary>
    public TimeSpan WebhookRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a webhook receiver may take to answer before the attempt counts as failed.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
