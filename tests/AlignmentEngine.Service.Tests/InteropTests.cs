using System.Globalization;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The AlignmentService called from another gRPC implementation, @grpc/grpc-js with @grpc/proto-loader reading
/// proto/ as it is, against a real <c>okr serve</c> process: the contract works from another language.
/// </summary>
[NonParallelizable]
public sealed class InteropTests
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), $"okr-interop-{Guid.NewGuid():N}.db");
    private OkrServer? _server;

    [OneTimeSetUp]
    public void StartServer() => _server = OkrServer.Start("sqlite:" + _store);

    [OneTimeTearDown]
    public void StopServer()
    {
        _server?.Dispose();
        foreach (var file in new[] { _store, _store + "-wal", _store + "-shm" }) File.Delete(file);
    }

    [TestCase("validate-tree")]
    [TestCase("apply-changes")]
    [TestCase("idempotent-retry")]
    [TestCase("get-rollup")]
    [TestCase("watch-rollups")]
    public async Task GrpcJsClient_Case_Passes(string caseName)
    {
        NodeScript.RequirePackages();

        var (exitCode, output) = await NodeScript.RunAsync("alignment.js", caseName, _server!.Port.ToString(CultureInfo.InvariantCulture));

        exitCode.Should().Be(0, output);
        output.Should().Contain("PASS");
    }
}
