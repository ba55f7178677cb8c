namespace AlignmentEngine.Api.V1;

/// <summary>
/// A response that can travel as the protobuf encoding the server already holds: a tenant's grain encodes its answer,
/// and the gRPC front writes those bytes to the wire as they are, instead of decoding them into the message's fields
/// and encoding them again. Such a message has its fields unset and <see cref="Encoded"/> set; only the server makes
/// one, and it decodes it (<see cref="Google.Protobuf.MessageExtensions.MergeFrom(Google.Protobuf.IMessage, byte[])"/>)
/// before anything reads its fields (JSON transcoding).
/// </summary>
internal interface IPreEncodedResponse
{
    /// <summary>The message's protobuf encoding, sent in place of its fields; null: the fields are the message.</summary>
    byte[]? Encoded { get; set; }
}

// The unary responses that a tenant's grain answers (every AlignmentService RPC but ValidateTree, which runs in the
// front, and the two server streams). The generated classes are partial for this.

public sealed partial class ApplyChangesResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class SimulateChangesResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class RecordCheckInsResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class ImportTreeResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class GetGoalResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class ListGoalsResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class GetRollupResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class GetTreeResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class AnalyzeAlignmentResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class GetProgressHistoryResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class CreateWebhookResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class ListWebhooksResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class DeleteWebhookResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class RotateWebhookSecretResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class ListFailedWebhookDeliveriesResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}

public sealed partial class RedeliverWebhookResponse : IPreEncodedResponse
{
    byte[]? IPreEncodedResponse.Encoded { get; set; }
}
