using AlignmentEngine.Api.V1;
using AlignmentEngine.GoalFiles;
using Grpc.Net.Client;
using AlignmentEngine.Service.Mapping;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// A real AlignmentService on Kestrel (127.0.0.1, a free port, HTTP/2 cleartext) and the generated client on Grpc.Net.Client
/// talking to it over the loopback: nothing in between is simulated. One server per test class; tests use
/// tenants of their own, so they cannot see each other's goals.
/// </summary>
public abstract class ServerFixture
{
    private GrpcServerHost? _host;
    private GrpcChannel? _channel;
    private string? _storeDirectory;

    protected AlignmentClient Client { get; private set; } = null!;

    /// <summary>The channel under <see cref="Client"/>, for calls to the other services (health, reflection).</summary>
    protected GrpcChannel Channel => _channel!;

    /// <summary>The store the server uses, for tests that put things in it directly (API keys).</summary>
    protected string StoreLocation => $"sqlite:{Path.Combine(_storeDirectory!, "alignment.db")}";

    protected static Google.Type.Date Date(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    /// <summary>The service's clock: "today", and the time changes are committed at.</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    protected virtual void Configure(AlignmentServiceOptions options)
    {
    }

    /// <summary>The transport's settings (the fixture's endpoint is always 127.0.0.1 on a free port).</summary>
    protected virtual void ConfigureHost(GrpcServerHostOptions host)
    {
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    protected Uri Address => _host!.Addresses[0];

    /// <summary>The cleartext HTTP/1.1 endpoint, when <see cref="ConfigureHost"/> asked for one.</summary>
    protected Uri HttpAddress => new($"http://127.0.0.1:{_host!.HttpPort ?? throw new InvalidOperationException("no HttpEndpoint configured")}/");

    /// <summary>The server's services (its OpenAPI document, its store).</summary>
    protected IServiceProvider Services => _host!.Services;

    /// <summary>The port the server listens on, for clients of other implementations.</summary>
    protected int Port => _host!.Port;

    /// <summary>A new channel to the server (so a new connection): for tests about connections.</summary>
    protected GrpcChannel NewChannel() => GrpcChannel.ForAddress(_host!.Addresses[0]);

    [OneTimeSetUp]
    public async Task StartServer()
    {
        // A store of its own per test class: a SQLite file in a temporary folder, removed afterwards.
        _storeDirectory = Path.Combine(Path.GetTempPath(), "okr-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_storeDirectory);
        var host = new GrpcServerHostOptions();
        ConfigureHost(host);
        _host = AlignmentServer.Create(host, options =>
        {
            options.Store = StoreLocation;
            options.Clock = Clock;
            Configure(options);
        });
        await _host.StartAsync();
        _channel = GrpcChannel.ForAddress(_host.Addresses[0]);
        Client = new AlignmentClient(_channel);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _channel?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        if (_storeDirectory is not null && Directory.Exists(_storeDirectory)) Directory.Delete(_storeDirectory, recursive: true);
    }

    /// <summary>A goal file as the protobuf tree a client would send.</summary>
    internal static Api.V1.GoalTree ReadTree(string path)
    {
        var read = GoalFileReader.Default.ReadFile(path);
        read.Error.Should().BeNull();
        var tree = read.Document!.Tree;
        var message = new Api.V1.GoalTree { Settings = ToProto.Settings(tree), AsOf = tree.AsOf is { } d ? Dates.ToProto(d) : null };
        message.Goals.AddRange(tree.Goals.Select(g => ToProto.Goal("t", g, null)));
        return message;
    }

    protected async Task<ImportTreeResponse> ImportAsync(string tenant, Api.V1.GoalTree tree, int chunk = 3, string requestId = "")
    {
        using var call = Client.ImportTree();
        await call.RequestStream.WriteAsync(new ImportTreeRequest { Parent = $"tenants/{tenant}", Settings = tree.Settings, RequestId = requestId });
        foreach (var part in tree.Goals.Chunk(chunk))
        {
            var message = new ImportTreeRequest();
            message.Goals.AddRange(part);
            await call.RequestStream.WriteAsync(message);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    protected static ApplyChangesRequest Changes(string tenant, params Api.V1.GoalChange[] changes)
    {
        var request = new ApplyChangesRequest { Parent = $"tenants/{tenant}", AsOf = Date(2026, 11, 15) };
        request.Changes.AddRange(changes);
        return request;
    }

    protected static Api.V1.Goal Objective(string id, Api.V1.GoalLevel level = Api.V1.GoalLevel.Unspecified, params string[] parents)
    {
        var goal = new Api.V1.Goal { GoalId = id, Type = Api.V1.GoalType.Objective, Level = level };
        goal.Parents.AddRange(parents.Select(p => new Api.V1.ParentLink { ParentGoalId = p }));
        return goal;
    }

    protected static Api.V1.Goal KeyResult(string id, string parent, double start, double target, double? current = null)
    {
        var metric = new Api.V1.Metric { Direction = MetricDirection.Increase, Start = start, Target = target };
        if (current is { } c) metric.Current = c;
        var goal = new Api.V1.Goal { GoalId = id, Type = Api.V1.GoalType.KeyResult, Metric = metric };
        goal.Parents.Add(new Api.V1.ParentLink { ParentGoalId = parent });
        return goal;
    }

    protected static Api.V1.GoalChange Upsert(Api.V1.Goal goal) => new() { UpsertGoal = goal };

    protected static Api.V1.GoalChange CheckIn(string id, double value) => new() { CheckIn = new Api.V1.CheckIn { GoalId = id, Value = value } };

    protected static Api.V1.GoalChange Archive(string id) => new() { SetState = new SetState { GoalId = id, State = Api.V1.GoalState.Archived } };

    /// <summary>A small company: C1 (company) ← KR1 (0→10, at 5), KR2 (0→10, at 0).</summary>
    protected async Task<long> SeedCompanyAsync(string tenant)
    {
        var response = await Client.ApplyChangesAsync(Changes(tenant,
            Upsert(Objective("C1", Api.V1.GoalLevel.Company)),
            Upsert(KeyResult("KR1", "C1", 0, 10, 5)),
            Upsert(KeyResult("KR2", "C1", 0, 10, 0))));
        return response.Version;
    }
}
