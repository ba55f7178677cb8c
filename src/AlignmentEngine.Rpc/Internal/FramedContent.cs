namespace AlignmentEngine.Rpc.Internal;

/// <summary>A complete, already framed request body (unary and server-streaming calls).</summary>
internal sealed class FramedContent : ByteArrayContent
{
    public FramedContent(byte[] frame)
        : base(frame) => Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
}
