using System.Net;
using System.Net.Http.Headers;
using AlignmentEngine.Rpc.Testing.V1;
using AlignmentEngine.Tests.Shared;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using static AlignmentEngine.Rpc.Tests.Methods;

namespace AlignmentEngine.Rpc.Tests;

/// <summary>Our C# client against our server over real loopback HTTP/2 (Kestrel, SocketsHttpHandler).</summary>
[TestFixture]
public sealed class ClientServerTests
{
    private LoopbackServer _server = null!;

    private GrpcChannel Channel => _server.Channel;

    [OneTimeSetUp]
    public async Task Start() => _server = await LoopbackServer.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task UnaryAsync_EmptyRequest_ReturnsEmptyResponse()
    {
        var response = await Channel.UnaryAsync(EmptyCall, new EmptyCallRequest());

        response.Should().Be(new EmptyCallResponse());
    }

    [Test]
    public async Task UnaryAsync_LargePayloads_RoundTrip()
    {
        var response = await Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { ResponseSize = 314159, Payload = Zeros(271828) });

        response.Payload.Body.Length.Should().Be(314159);
    }

    [Test]
    public async Task ServerStreaming_FourSizes_ReceivedInOrderWithOkStatus()
    {
        int[] sizes = [31415, 9, 2653, 58979];
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(sizes.Select(s => new ResponseParameters { Size = s }));
        using var call = Channel.ServerStreaming(StreamingOutputCall, request);

        var received = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            received.Add(response.Payload.Body.Length);
        }

        received.Should().Equal(sizes);
        call.GetStatus().Code.Should().Be(StatusCode.OK);
    }

    [Test]
    public async Task ClientStreaming_FourPayloads_ReturnsAggregatedSize()
    {
        using var call = Channel.ClientStreaming(StreamingInputCall);
        foreach (var size in new[] { 27182, 8, 1828, 45904 })
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) });
        }

        await call.RequestStream.CompleteAsync();

        (await call.ResponseAsync).AggregatedPayloadSize.Should().Be(74922);
    }

    [Test]
    public async Task DuplexStreaming_PingPong_EachRequestAnsweredBeforeTheNext()
    {
        using var call = Channel.DuplexStreaming(FullDuplexCall);
        foreach (var (responseSize, requestSize) in new[] { (31415, 27182), (9, 8), (2653, 1828), (58979, 45904) })
        {
            var request = new FullDuplexCallRequest { Payload = Zeros(requestSize) };
            request.ResponseParameters.Add(new ResponseParameters { Size = responseSize });
            await call.RequestStream.WriteAsync(request);

            (await call.ResponseStream.MoveNext()).Should().BeTrue();
            call.ResponseStream.Current.Payload.Body.Length.Should().Be(responseSize);
        }

        await call.RequestStream.CompleteAsync();
        (await call.ResponseStream.MoveNext()).Should().BeFalse();
    }

    [Test]
    public async Task DuplexStreaming_EmptyStream_EndsWithOk()
    {
        using var call = Channel.DuplexStreaming(FullDuplexCall);
        await call.RequestStream.CompleteAsync();

        (await call.ResponseStream.MoveNext()).Should().BeFalse();
        call.GetStatus().Code.Should().Be(StatusCode.OK);
    }

    [TestCase(2, "test status message")]
    [TestCase(9, "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \U0001F608\t\n")]
    [TestCase(5, "100% sure: %41 is not A, %% %zz")]
    public async Task UnaryAsync_ServerReturnsStatus_RpcExceptionCarriesCodeAndExactMessage(int code, string message)
    {
        var act = () => Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { ResponseStatus = new EchoStatus { Code = code, Message = message } });

        var thrown = (await act.Should().ThrowAsync<RpcException>()).Which;
        thrown.StatusCode.Should().Be((StatusCode)code);
        thrown.Status.Message.Should().Be(message);
    }

    [Test]
    public async Task UnaryAsync_StatusWithDetails_DetailsDecodedAsGoogleRpcStatus()
    {
        var act = () => Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { ResponseStatus = new EchoStatus { Code = 3, Message = "bad", IncludeDetails = true } });

        var details = (await act.Should().ThrowAsync<RpcException>()).Which.Status.Details;
        details.Should().NotBeNull();
        details!.Code.Should().Be(3);
        details.Details.Should().HaveCount(2);
        details.Details[0].Unpack<ErrorInfo>().Reason.Should().Be("ECHOED");
        details.Details[1].Unpack<BadRequest>().FieldViolations[0].Field.Should().Be("response_status");
    }

    [Test]
    public async Task UnaryAsync_HandlerThrowsPlainException_InternalWithoutExceptionText()
    {
        var act = () => Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { ThrowException = true });

        var status = (await act.Should().ThrowAsync<RpcException>()).Which.Status;
        status.Code.Should().Be(StatusCode.Internal);
        status.Message.Should().NotContain("secret").And.NotContain("hunter2").And.NotContain("InvalidOperationException");
    }

    [Test]
    public async Task UnaryAsync_UnboundMethod_Unimplemented()
    {
        var act = () => Channel.UnaryAsync(UnimplementedCall, new UnimplementedCallRequest());

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unimplemented);
    }

    [Test]
    public async Task UnaryAsync_UnknownService_UnimplementedNamingTheService()
    {
        var method = new GrpcMethod<EmptyCallRequest, EmptyCallResponse>("okr.testing.v1.NoSuchService", "EmptyCall", MethodType.Unary);

        var act = () => Channel.UnaryAsync(method, new EmptyCallRequest());

        var status = (await act.Should().ThrowAsync<RpcException>()).Which.Status;
        status.Code.Should().Be(StatusCode.Unimplemented);
        status.Message.Should().Contain("okr.testing.v1.NoSuchService");
    }

    [Test]
    public async Task StartUnary_EchoMetadata_AsciiHeaderAndBinaryTrailerComeBack()
    {
        var trailing = new byte[] { 0xab, 0xab, 0xab, 0x00, 0xff };
        var headers = new Metadata().Add("x-grpc-test-echo-initial", "test_initial_metadata_value").Add("x-grpc-test-echo-trailing-bin", trailing);
        using var call = Channel.StartUnary(UnaryCall, new UnaryCallRequest { ResponseSize = 10 }, new CallOptions { Headers = headers });

        await call.ResponseAsync;

        (await call.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial").Should().Be("test_initial_metadata_value");
        call.GetTrailers().GetValueBytes("x-grpc-test-echo-trailing-bin").Should().Equal(trailing);
    }

    [Test]
    public async Task RpcException_ErrorWithMetadata_TrailersOnlyResponseStillCarriesIt()
    {
        var headers = new Metadata().Add("x-grpc-test-echo-trailing-bin", [1, 2, 3]);
        var act = () => Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { ResponseStatus = new EchoStatus { Code = 7, Message = "no" } }, new CallOptions { Headers = headers });

        var thrown = (await act.Should().ThrowAsync<RpcException>()).Which;
        thrown.StatusCode.Should().Be(StatusCode.PermissionDenied);
        thrown.Trailers.GetValueBytes("x-grpc-test-echo-trailing-bin").Should().Equal([1, 2, 3]);
    }

    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public async Task UnaryAsync_Compression_PayloadsIntact(bool compressRequest, bool compressResponse)
    {
        var response = await Channel.UnaryAsync(
            UnaryCall,
            new UnaryCallRequest { ResponseSize = 314159, Payload = Zeros(271828), ResponseCompressed = compressResponse },
            new CallOptions { CompressRequests = compressRequest });

        response.Payload.Body.Length.Should().Be(314159);
    }

    [Test]
    public async Task UnaryAsync_RequestOverDefaultLimit_ResourceExhausted()
    {
        var act = () => Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { Payload = Zeros((4 * 1024 * 1024) + 1) });

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Test]
    public async Task UnaryAsync_ResponseOverClientLimit_ResourceExhausted()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_server.Port}", new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });

        var act = () => channel.UnaryAsync(UnaryCall, new UnaryCallRequest { ResponseSize = 2000 });

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Test]
    public async Task UnaryAsync_DeadlinePassesWhileServerSleeps_DeadlineExceeded()
    {
        var act = () => Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { SleepMs = 20_000 }, new CallOptions { Deadline = Deadline.After(TimeSpan.FromMilliseconds(300)) });

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
    }

    [Test]
    public async Task UnaryAsync_TokenCancelled_Cancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { SleepMs = 20_000 }, new CallOptions { CancellationToken = cts.Token });

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Cancelled);
    }

    [Test]
    public async Task ServerStreaming_SlowReader_ServerWriterIsHeldBackByFlowControl()
    {
        // 2,000 responses of 64 KiB (125 MiB) to a client that reads one and then nothing: the handler
        // must stall after a few windows' worth instead of buffering the stream.
        var before = _server.Interop.StreamedMessages;
        var request = new StreamingOutputCallRequest { Repeat = 2000 };
        request.ResponseParameters.Add(new ResponseParameters { Size = 64 * 1024 });
        using (var call = Channel.ServerStreaming(StreamingOutputCall, request))
        {
            (await call.ResponseStream.MoveNext()).Should().BeTrue();
            await Task.Delay(1500);

            (_server.Interop.StreamedMessages - before).Should().BeLessThan(200);
        }
    }

    [Test]
    public async Task Health_Check_ServerIsServingAndUnknownServiceIsNotFound()
    {
        var check = new GrpcMethod<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor.Services[0].FindMethodByName("Check"));

        (await Channel.UnaryAsync(check, new HealthCheckRequest())).Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
        var act = () => Channel.UnaryAsync(check, new HealthCheckRequest { Service = "nope" });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.NotFound);
    }

    [Test]
    public async Task Health_Watch_SeesStatusChanges()
    {
        var watch = new GrpcMethod<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor.Services[0].FindMethodByName("Watch"));
        var health = _server.Services.GetRequiredService<GrpcHealthService>();
        using var call = Channel.ServerStreaming(watch, new HealthCheckRequest { Service = "okr.testing.v1.InteropService" });

        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        call.ResponseStream.Current.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.ServiceUnknown);
        health.SetStatus("okr.testing.v1.InteropService", HealthCheckResponse.Types.ServingStatus.NotServing);
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        call.ResponseStream.Current.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.NotServing);
    }

    [Test]
    public async Task Reflection_ListServicesAndFileBySymbol_DescribeRegisteredServices()
    {
        var info = new GrpcMethod<Grpc.Reflection.V1.ServerReflectionRequest, Grpc.Reflection.V1.ServerReflectionResponse>(
            Grpc.Reflection.V1.ReflectionReflection.Descriptor.Services[0].FindMethodByName("ServerReflectionInfo"));
        using var call = Channel.DuplexStreaming(info);
        await call.RequestStream.WriteAsync(new() { ListServices = string.Empty });
        await call.RequestStream.WriteAsync(new() { FileContainingSymbol = "okr.testing.v1.UnaryCallRequest" });
        await call.RequestStream.CompleteAsync();

        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Should().Contain(
            ["okr.testing.v1.InteropService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]);
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]);
        file.Name.Should().Be("okr/testing/v1/interop.proto");
        file.Service.Single().Name.Should().Be("InteropService");
    }

    [Test]
    public async Task Http11Request_CleartextHttp2Endpoint_Refused()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{_server.Port}/okr.testing.v1.InteropService/EmptyCall")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(new byte[5]),
        };

        // Kestrel itself refuses it on an HTTP/2-only endpoint: 400 and the connection is closed.
        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("HTTP/2 only endpoint");
    }

    [TestCase("application/json", HttpStatusCode.UnsupportedMediaType)]
    [TestCase("application/grpc-web", HttpStatusCode.UnsupportedMediaType)]
    public async Task PlainHttp2Request_WrongContentType_Http415(string contentType, HttpStatusCode expected)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var content = new ByteArrayContent(new byte[5]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await http.PostAsync($"http://127.0.0.1:{_server.Port}/okr.testing.v1.InteropService/EmptyCall", content);

        response.StatusCode.Should().Be(expected);
    }
}

/// <summary>Handlers that report what they saw, bound to the interop descriptor, to observe the server side of a call.</summary>
[TestFixture]
public sealed class ServerCallContextTests
{
    [Test]
    public async Task Deadline_ServerSleepsPastIt_HandlerTokenCancelledAndClientGetsDeadlineExceeded()
    {
        var observed = new TaskCompletionSource<(DateTime Deadline, bool Cancelled)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartProbeAsync(async (request, context) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
            }
            finally
            {
                observed.TrySetResult((context.Deadline, context.CancellationToken.IsCancellationRequested));
            }

            return new UnaryCallResponse();
        });

        var act = () => server.Channel.UnaryAsync(UnaryCall, new UnaryCallRequest(), new CallOptions { Deadline = Deadline.After(TimeSpan.FromMilliseconds(500)) });

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
        var (deadline, cancelled) = await observed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        cancelled.Should().BeTrue();
        deadline.Should().BeBefore(DateTime.UtcNow.AddSeconds(1));
    }

    [Test]
    public async Task Deadline_HandlerIgnoresToken_ServerStillEndsCallWithDeadlineExceeded()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartProbeAsync(async (request, context) =>
        {
            // A handler that never looks at its token: it runs until the test lets it go.
            await release.Task;
            handlerDone.TrySetResult();
            return new UnaryCallResponse();
        });

        // A plain HTTP/2 request with grpc-timeout and no client-side deadline: only the server can end it.
        using var http = new HttpClient(new SocketsHttpHandler());
        using var content = new ByteArrayContent(new byte[5]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Port}/okr.testing.v1.InteropService/UnaryCall")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-timeout", "200m");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();

        handlerDone.Task.IsCompleted.Should().BeFalse("the answer must not wait for the handler");
        response.Headers.GetValues("grpc-status").Should().Equal("4");
        release.SetResult();
        await handlerDone.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Test]
    public async Task Cancel_ClientDisposesCall_HandlerTokenCancelled_AndASecondDisposeIsHarmless()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartProbeAsync(async (request, context) =>
        {
            using var registration = context.CancellationToken.Register(() => cancelled.TrySetResult());
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new UnaryCallResponse();
        });

        var call = server.Channel.StartUnary(UnaryCall, new UnaryCallRequest());
        _ = call.ResponseAsync.ContinueWith(static t => t.Exception, TaskScheduler.Default);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        call.Dispose();

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        call.Invoking(c => c.Dispose()).Should().NotThrow("disposing twice (a using block and a cleanup list) must be harmless");
    }

    [Test]
    public async Task Context_RequestMetadataAndPeer_VisibleToHandler()
    {
        await using var server = await StartProbeAsync((request, context) =>
        {
            var reply = context.RequestHeaders.GetValue("x-user") + "|" + Convert.ToHexString(context.RequestHeaders.GetValueBytes("x-blob-bin")!) + "|" + context.Peer.StartsWith("ipv4:127.0.0.1:", StringComparison.Ordinal)
                + "|" + (context.RequestHeaders.Get("te") is null) + "|" + context.Method;
            return Task.FromResult(new UnaryCallResponse { Payload = new Payload { Body = ByteString.CopyFromUtf8(reply) } });
        });

        var response = await server.Channel.UnaryAsync(UnaryCall, new UnaryCallRequest(), new CallOptions { Headers = new Metadata().Add("x-user", "ada").Add("x-blob-bin", [0, 1, 254]) });

        response.Payload.Body.ToStringUtf8().Should().Be("ada|0001FE|True|True|/okr.testing.v1.InteropService/UnaryCall");
    }

    [Test]
    public async Task MaxReceiveMessageSize_Configured_SmallerLimitEnforced()
    {
        await using var server = await StartProbeAsync((r, c) => Task.FromResult(new UnaryCallResponse()), o => o.MaxReceiveMessageSize = 1024);

        await server.Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { Payload = Zeros(500) });
        var act = () => server.Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { Payload = Zeros(2000) });

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Test]
    public async Task HealthWatch_ServerStops_WatcherSeesNotServingAndCallEnds()
    {
        await using var server = await LoopbackServer.StartAsync();
        var watch = new GrpcMethod<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor.Services[0].FindMethodByName("Watch"));
        using var call = server.Channel.ServerStreaming(watch, new HealthCheckRequest());
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        call.ResponseStream.Current.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);

        var stopping = server.StopServerAsync();

        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        call.ResponseStream.Current.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.NotServing);
        (await call.ResponseStream.MoveNext()).Should().BeFalse();
        await stopping;
    }

    [Test]
    public async Task MaxSendMessageSize_Configured_LargerResponseIsResourceExhausted()
    {
        await using var server = await LoopbackServer.StartAsync(services => services.AddGrpcTransport(o => o.MaxSendMessageSize = 1000));

        (await server.Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { ResponseSize = 500 })).Payload.Body.Length.Should().Be(500);
        var act = () => server.Channel.UnaryAsync(UnaryCall, new UnaryCallRequest { ResponseSize = 2000 });

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Test]
    public async Task Tls_Http2NegotiatedByAlpn_CallSucceedsAndHttp11Gets426()
    {
        using var certificate = TestCertificates.SelfSignedLoopback();
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString();
        await using var server = await LoopbackServer.StartAsync(certificate: certificate, channelOptions: new GrpcChannelOptions { HttpHandler = handler });

        (await server.Channel.UnaryAsync(EmptyCall, new EmptyCallRequest())).Should().NotBeNull();

        using var http1 = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        using var content = new ByteArrayContent(new byte[5]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://127.0.0.1:{server.Port}/okr.testing.v1.InteropService/EmptyCall")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        using var response = await http1.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.UpgradeRequired);
    }


    private static Task<LoopbackServer> StartProbeAsync(Func<UnaryCallRequest, ServerCallContext, Task<UnaryCallResponse>> unary, Action<GrpcServerOptions>? options = null) =>
        LoopbackServer.StartAsync(services =>
        {
            services.AddSingleton(new Probe(unary));
            services.AddGrpcService<Probe>(InteropReflection.Descriptor.Services[0], b => b
                .Unary<UnaryCallRequest, UnaryCallResponse>("UnaryCall", static (p, r, c) => p.Handler(r, c)));
            if (options is not null)
            {
                services.AddGrpcTransport(options);
            }
        },
        includeInterop: false);

    private sealed record Probe(Func<UnaryCallRequest, ServerCallContext, Task<UnaryCallResponse>> Handler);
}
