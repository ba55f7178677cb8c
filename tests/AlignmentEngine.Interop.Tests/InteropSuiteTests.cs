using System.Globalization;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Interop.Tests;

/// <summary>
/// The interop suite: each case of tests/interop/client.js (@grpc/grpc-js, an independent gRPC
/// implementation) against the real server process. One NUnit test per case.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class InteropSuiteTests
{
    private InteropServerProcess? _server;

    public static IEnumerable<string> Cases =>
    [
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "timeout_on_sleeping_server", "cancel_after_begin", "cancel_after_first_response",
        "status_code_and_message", "special_status_message", "percent_status_message", "status_details",
        "internal_error_hides_exception", "unimplemented_method", "unimplemented_service", "custom_metadata",
        "client_compressed_unary", "server_compressed_unary", "client_compressed_streaming", "server_compressed_streaming",
        "max_message_size", "health", "reflection_v1", "reflection_v1alpha", "reflection_dynamic_call",
    ];

    [OneTimeSetUp]
    public void StartServer() => _server = InteropServerProcess.Start();

    [OneTimeTearDown]
    public void StopServer() => _server?.Dispose();

    [TestCaseSource(nameof(Cases))]
    public async Task GrpcJsClient_InteropCase_Passes(string caseName)
    {
        var (exitCode, output) = await NodeScript.RunAsync("client.js", caseName, _server!.Port.ToString(CultureInfo.InvariantCulture));

        exitCode.Should().Be(0, output);
        output.Should().Contain("PASS " + caseName);
        _server.HasExited.Should().BeFalse();
    }
}

/// <summary>Hand-built HTTP/2 requests (tests/interop/raw.js, Node's http2 module): bad input gets the right status, no crash.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RawHttp2Tests
{
    private InteropServerProcess? _server;

    public static IEnumerable<string> Cases =>
    [
        "truncated_frame", "truncated_header", "declared_length_4gb", "declared_length_4gb_stream",
        "compressed_flag_without_encoding", "invalid_compressed_flag", "invalid_gzip_data", "gzip_bomb",
        "garbage_after_last_message", "no_message", "unknown_encoding", "wrong_content_type", "grpc_json_content_type",
        "grpc_proto_content_type", "get_method", "http1_refused", "trailers_only_on_error", "normal_response_layout",
        "compressed_response", "no_compression_unless_accepted", "bad_timeout_ignored", "reset_mid_stream",
    ];

    [OneTimeSetUp]
    public void StartServer() => _server = InteropServerProcess.Start();

    [OneTimeTearDown]
    public void StopServer() => _server?.Dispose();

    [TestCaseSource(nameof(Cases))]
    public async Task RawHttp2Request_BadOrEdgeInput_AnsweredCorrectlyAndServerSurvives(string caseName)
    {
        var (exitCode, output) = await NodeScript.RunAsync("raw.js", caseName, _server!.Port.ToString(CultureInfo.InvariantCulture));

        exitCode.Should().Be(0, output);
        output.Should().Contain("PASS " + caseName);
        _server.HasExited.Should().BeFalse();
    }
}
