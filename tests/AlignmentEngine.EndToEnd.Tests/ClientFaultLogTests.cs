using System.Globalization;
using System.Net;
using System.Text.Json;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// What a client does wrong is the client's fault: a real <c>okr serve</c> answers each such call with its status and
/// logs no stack trace for it (a stack trace in a service's log pages someone). A fault of the server's own still logs
/// one, in full.
/// </summary>
public sealed class ClientFaultLogTests : ScratchStoreTests
{
    private const string GetGoal = "/okr.alignment.v1.AlignmentService/GetGoal";

    [Test]
    public async Task ClientFaults_AnsweredWithTheirStatus_NoStackTraceLogged_WhileAServerFaultLogsOne()
    {
        string log;
        using (var server = OkrServer.Start(Store, "--log-format", "json", "--log-level", "information",
                   "--request-body-timeout", "1", "--max-receive-message-size", "1024"))
        {
            await server.Client.ApplyChangesAsync(Changes("faults", Upsert(Goals.Objective("C1"))));
            using var handler = new SocketsHttpHandler();
            using var http = new HttpClient(handler);

            // Bytes that are not a GetGoalRequest.
            (await Send(http, server.Address, GetGoal, Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]))).Should().Be((StatusCode.Internal, "the request message could not be read"));

            // A message over --max-receive-message-size.
            (await Send(http, server.Address, GetGoal, Frame(new byte[2048]))).Status.Should().Be(StatusCode.ResourceExhausted);

            // A name that is not UTF-8: GetGoalRequest.name (field 1) = 58 ff.
            (await Send(http, server.Address, GetGoal, Frame([0x0A, 0x02, 0x58, 0xFF]))).Status.Should().Be(StatusCode.InvalidArgument);

            // A method the service does not have.
            (await Send(http, server.Address, "/okr.alignment.v1.AlignmentService/NoSuchMethod", Frame([]))).Status.Should().Be(StatusCode.Unimplemented);

            // A request body that stalls: DEADLINE_EXCEEDED after --request-body-timeout (1 s), for that call alone.
            using (var stalled = new StalledContent())
            {
                (await Send(http, server.Address, GetGoal, stalled)).Should().Be((StatusCode.DeadlineExceeded,
                    "the request message did not arrive in full within 1 s (request_body_timeout, raised with okr serve --request-body-timeout)"));
            }

            // A call the client cancels part way: an import whose request stream is reset after its first message.
            using (var cancel = new CancellationTokenSource())
            {
                using var import = server.Client.ImportTree(cancellationToken: cancel.Token);
                await import.RequestStream.WriteAsync(new ImportTreeRequest { Parent = "tenants/faults" });
                await cancel.CancelAsync();
                Assert.ThrowsAsync<RpcException>(() => import.ResponseAsync)!.StatusCode.Should().Be(StatusCode.Cancelled);
            }

            // A watch whose deadline passes while it waits for changes.
            using (var watch = server.Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/faults" }, deadline: DateTime.UtcNow.AddMilliseconds(300)))
            {
                Assert.ThrowsAsync<RpcException>(async () => { while (await watch.ResponseStream.MoveNext()) { } })!.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
            }

            // The server's own fault: history it cannot read, because its change log was damaged behind its back.
            await RawDatabase.ExecuteAsync(Store, "UPDATE change_log SET body = 'not the operations'");
            await Task.Delay(100);
            var past = new GetRollupRequest { Name = "tenants/faults/goals/C1", ReadTime = Timestamp.FromDateTime(DateTime.UtcNow.AddMilliseconds(-50)) };
            var failed = Assert.ThrowsAsync<RpcException>(() => server.Client.GetRollupAsync(past).ResponseAsync)!;
            failed.StatusCode.Should().Be(StatusCode.Internal);
            failed.Status.Detail.Should().Be("the server failed to handle the call");

            (await server.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/faults/goals/C1" })).Goal.GoalId.Should().Be("C1", "the server goes on serving");
            server.Terminate(TimeSpan.FromSeconds(30)).Should().Be(0);
            log = server.ErrorOutput;
        }

        var withStackTraces = log.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(entry => entry.TryGetProperty("Exception", out var exception) && exception.GetString()!.Contains("\n   at ", StringComparison.Ordinal))
            .Select(entry => $"{entry.GetProperty("Category").GetString()}: {entry.GetProperty("Message").GetString()}")
            .ToList();
        withStackTraces.Should().Equal(["AlignmentEngine.Service.Pipeline.CallPipeline: /okr.alignment.v1.AlignmentService/GetRollup failed; the client gets INTERNAL"],
            "only the server's own fault logs a stack trace; the log was:\n" + log);
    }

    private static ByteArrayContent Frame(byte[] message)
    {
        var content = new ByteArrayContent([0, .. BitConverter.GetBytes(message.Length).Reverse(), .. message]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        return content;
    }

    /// <summary>One call made with raw HTTP/2 (cleartext, prior knowledge): its gRPC status and message.</summary>
    private static async Task<(StatusCode Status, string Message)> Send(HttpClient http, Uri server, string path, HttpContent body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.ReadAsByteArrayAsync();
        string Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
            : response.Headers.TryGetValues(name, out var header) ? header.Single() : string.Empty;
        return ((StatusCode)int.Parse(Header("grpc-status"), CultureInfo.InvariantCulture), Uri.UnescapeDataString(Header("grpc-message")));
    }
}
