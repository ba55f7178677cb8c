using AlignmentEngine.Rpc.Internal;

namespace AlignmentEngine.Rpc.Tests;

/// <summary>The small protocol codecs, on their own.</summary>
[TestFixture]
public sealed class ProtocolCodecTests
{
    [TestCase("1H", 36_000_000_000L)]
    [TestCase("2M", 1_200_000_000L)]
    [TestCase("3S", 30_000_000L)]
    [TestCase("250m", 2_500_000L)]
    [TestCase("7u", 70L)]
    [TestCase("99999999n", 999_999L)]
    public void GrpcTimeoutTryParse_ValidValue_ParsedToTicks(string value, long ticks)
    {
        GrpcTimeout.TryParse(value, out var timeout).Should().BeTrue();
        timeout.Ticks.Should().Be(ticks);
    }

    [TestCase("")]
    [TestCase("S")]
    [TestCase("10")]
    [TestCase("10s")]
    [TestCase("123456789S")]
    [TestCase("-1S")]
    [TestCase("1.5S")]
    public void GrpcTimeoutTryParse_InvalidValue_Rejected(string value) => GrpcTimeout.TryParse(value, out _).Should().BeFalse();

    [TestCase(0.0005)]
    [TestCase(0.3)]
    [TestCase(45)]
    [TestCase(86_400)]
    [TestCase(10_000_000)]
    public void GrpcTimeoutFormat_AnyTimeout_ParsesBackWithoutShrinking(double seconds)
    {
        var timeout = TimeSpan.FromSeconds(seconds);

        var text = GrpcTimeout.Format(timeout);

        text.Length.Should().BeLessThanOrEqualTo(9);
        GrpcTimeout.TryParse(text, out var parsed).Should().BeTrue();
        parsed.Should().BeGreaterThanOrEqualTo(timeout);
    }

    [TestCase("plain ascii", "plain ascii")]
    [TestCase("100%", "100%25")]
    [TestCase("a\tb\n", "a%09b%0A")]
    [TestCase("\u263A", "%E2%98%BA")]
    public void PercentEncodingEncode_Message_EncodesPerSpec(string message, string expected) =>
        PercentEncoding.Encode(message).Should().Be(expected);

    [TestCase("%zz and %4", "%zz and %4")]
    [TestCase("%E2%98%BA%25", "\u263A%")]
    public void PercentEncodingDecode_ValidAndMalformedEscapes_DecodesLeniently(string wire, string expected) =>
        PercentEncoding.Decode(wire).Should().Be(expected);

    [TestCase("AQID", new byte[] { 1, 2, 3 })]
    [TestCase("AQI", new byte[] { 1, 2 })]
    [TestCase("AQI=", new byte[] { 1, 2 })]
    [TestCase("AQ", new byte[] { 1 })]
    [TestCase("AQ==", new byte[] { 1 })]
    public void MetadataCodecDecodeBase64_PaddedOrNot_Decodes(string value, byte[] expected) =>
        MetadataCodec.DecodeBase64(value).Should().Equal(expected);

    [Test]
    public void MetadataCodecEncodeBase64_Bytes_Unpadded() => MetadataCodec.EncodeBase64([1, 2]).Should().Be("AQI");

    [TestCase("application/grpc", true)]
    [TestCase("application/grpc+proto", true)]
    [TestCase("application/grpc; charset=utf-8", true)]
    [TestCase("Application/GRPC", true)]
    [TestCase("application/grpc+json", false)]
    [TestCase("application/grpc-web", false)]
    [TestCase("application/json", false)]
    [TestCase(null, false)]
    public void GrpcProtocolIsGrpcContentType_Value_AcceptsOnlyProtobufGrpc(string? contentType, bool expected) =>
        GrpcProtocol.IsGrpcContentType(contentType).Should().Be(expected);

    [Test]
    public void MetadataAdd_ReservedOrInvalidKey_Throws()
    {
        var metadata = new Metadata();

        ((Action)(() => metadata.Add("grpc-status", "0"))).Should().Throw<ArgumentException>();
        ((Action)(() => metadata.Add("Bad Key", "x"))).Should().Throw<ArgumentException>();
        ((Action)(() => metadata.Add("x-bin", "text"))).Should().Throw<ArgumentException>();
        ((Action)(() => metadata.Add("x-text", [1]))).Should().Throw<ArgumentException>();
    }

    [Test]
    public void GrpcServiceBuilder_MismatchedBinding_RejectedAtRegistration()
    {
        var descriptor = AlignmentEngine.Rpc.Testing.V1.InteropReflection.Descriptor.Services[0];
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        var wrongShape = () => services.AddGrpcService<object>(descriptor, b => b
            .Unary<AlignmentEngine.Rpc.Testing.V1.StreamingOutputCallRequest, AlignmentEngine.Rpc.Testing.V1.StreamingOutputCallResponse>("StreamingOutputCall", (_, _, _) => Task.FromResult(new AlignmentEngine.Rpc.Testing.V1.StreamingOutputCallResponse())));
        var wrongName = () => services.AddGrpcService<object>(descriptor, b => b
            .Unary<AlignmentEngine.Rpc.Testing.V1.EmptyCallRequest, AlignmentEngine.Rpc.Testing.V1.EmptyCallResponse>("NoSuchCall", (_, _, _) => Task.FromResult(new AlignmentEngine.Rpc.Testing.V1.EmptyCallResponse())));
        var wrongTypes = () => services.AddGrpcService<object>(descriptor, b => b
            .Unary<AlignmentEngine.Rpc.Testing.V1.UnaryCallRequest, AlignmentEngine.Rpc.Testing.V1.EmptyCallResponse>("EmptyCall", (_, _, _) => Task.FromResult(new AlignmentEngine.Rpc.Testing.V1.EmptyCallResponse())));

        wrongShape.Should().Throw<ArgumentException>();
        wrongName.Should().Throw<ArgumentException>();
        wrongTypes.Should().Throw<ArgumentException>();
    }
}
