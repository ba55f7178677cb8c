using Google.Protobuf.Reflection;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>The call shape a method descriptor declares (which sides stream).</summary>
internal static class MethodShape
{
    public static MethodType Of(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (true, false) => MethodType.ClientStreaming,
        (false, true) => MethodType.ServerStreaming,
        _ => MethodType.DuplexStreaming,
    };
}
