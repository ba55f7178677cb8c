using AlignmentEngine.Api.V1;
using Google.Rpc;
using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// A status travels in HTTP/2 trailers, and a client drops a header list over its limit (Grpc.Net.Client's is 64 KiB)
/// together with the connection it came on. Requests that once produced statuses that large get a bounded one: the
/// first violations that fit, the total count in the message, echoed names cut. Each case runs on a connection that
/// also carries an open WatchRollups, and that connection goes on serving it and other calls.
/// </summary>
public sealed class BoundedErrorTests : ServerFixture
{
    /// <summary>Far below the 8 KiB header lists that proxies and clients commonly accept.</summary>
    private const int TrailerBudget = 4096;

    /// <summary>Long enough for a bounded answer on a loaded machine; an unbounded one never came (the call hung).</summary>
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    private static readonly string LongTenant = new('a', 24 * 1024);

    [Test]
    public async Task ImportTree_500GoalsWithMissingParents_BoundedFailedPrecondition_ConnectionServesOn()
    {
        var goals = Enumerable.Range(0, 500).Select(k => KeyResult($"KR{k:D3}", $"MISSING-{k:D3}", 0, 10)).ToList();
        var tree = new Api.V1.GoalTree();
        tree.Goals.AddRange(goals);

        var error = await ServedOnAsync("bounded-import", async () => await ImportAsync("bounded-import-target", tree, chunk: 100));

        error.StatusCode.Should().Be(StatusCode.FailedPrecondition);
        var violations = error.GetRpcStatus()!.Details.Single().Unpack<PreconditionFailure>().Violations;
        violations.Should().NotBeEmpty().And.HaveCountLessThan(500);
        error.Status.Detail.Should().Contain("(and 499 more)").And.Contain($"the details list the first {violations.Count} of 500");
    }

    [Test]
    public async Task AddEdge_ClosingACycleThrough3000Goals_BoundedFailedPrecondition_ConnectionServesOn()
    {
        var tree = new Api.V1.GoalTree();
        tree.Goals.Add(Objective("G0000", Api.V1.GoalLevel.Company));
        tree.Goals.AddRange(Enumerable.Range(1, 2999).Select(k => Objective($"G{k:D4}", Api.V1.GoalLevel.Team, $"G{k - 1:D4}")));
        await ImportAsync("bounded-cycle", tree, chunk: 1000);
        var closing = new Api.V1.GoalChange { AddEdge = new AddEdge { GoalId = "G0000", Link = new Api.V1.ParentLink { ParentGoalId = "G2999" } } };

        var error = await ServedOnAsync("bounded-cycle-watch", () => Client.ApplyChangesAsync(Changes("bounded-cycle", closing), deadline: DateTime.UtcNow + Answer).ResponseAsync);

        error.StatusCode.Should().Be(StatusCode.FailedPrecondition);
        error.GetRpcStatus()!.Details.Single().Unpack<PreconditionFailure>().Violations.Should().NotBeEmpty()
            .And.OnlyContain(v => v.Subject.Length <= ServiceErrors.MaxEchoLength + 30 && v.Description.Length <= ServiceErrors.MaxDescriptionLength);
    }

    [Test]
    public async Task Tenant24KBLong_BoundedInvalidArgument_NameCut_ConnectionServesOn()
    {
        var error = await ServedOnAsync("bounded-name", () => Client.GetRollupAsync(new GetRollupRequest { Name = $"tenants/{LongTenant}/goals/C1" }, deadline: DateTime.UtcNow + Answer).ResponseAsync);

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.Status.Detail.Should().Contain($"({LongTenant.Length + "tenants//goals/C1".Length} characters)").And.NotContain(LongTenant[..(ServiceErrors.MaxEchoLength + 1)]);
        error.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field.Should().Be("name");
    }

    /// <summary>
    /// Opens a watch on <paramref name="tenant"/>, makes the failing call on the same channel, and checks that its
    /// status is bounded and that the connection still serves: the watch sees the next change, a new call is answered.
    /// </summary>
    private async Task<RpcException> ServedOnAsync(string tenant, Func<Task> failing)
    {
        await SeedCompanyAsync(tenant);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = Client.WatchRollups(new WatchRollupsRequest { Parent = $"tenants/{tenant}" }, cancellationToken: cancel.Token);
        await watch.ResponseHeadersAsync;

        var error = Assert.ThrowsAsync<RpcException>(() => failing())!;

        var trailerBytes = error.Trailers.Sum(t => t.Key.Length + (t.IsBinary ? (t.ValueBytes.Length + 2) / 3 * 4 : t.Value.Length)) + error.Status.Detail.Length;
        trailerBytes.Should().BeLessThan(TrailerBudget);
        var applied = await Client.ApplyChangesAsync(Changes(tenant, CheckIn("KR2", 3)), deadline: DateTime.UtcNow + Answer);
        (await watch.ResponseStream.MoveNext(cancel.Token)).Should().BeTrue("the watch on the same connection goes on");
        watch.ResponseStream.Current.Version.Should().Be(applied.Version);
        return error;
    }
}
