using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AlignmentEngine.Service.Pipeline;

/// <summary>
/// Finds the first string field of a serialized message whose bytes are not valid UTF-8. Google.Protobuf decodes such
/// bytes with replacement characters, so <c>58 ff</c> and <c>58 fe</c> would both become "X\uFFFD" (one goal id
/// for two): the check reads the raw bytes, before the message is parsed. A payload of ASCII bytes alone (the usual
/// case) holds no invalid UTF-8 and is not walked.
/// </summary>
internal static class Utf8Fields
{
    // Deeper than any message of the contract nests; the parser refuses what is deeper still.
    private const int MaxDepth = 32;

    /// <summary>The path of the first string field that is not UTF-8 (<c>changes[0].upsert_goal.goal_id</c>), or null.</summary>
    public static string? FirstInvalid(ReadOnlySequence<byte> payload, MessageDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!HasNonAscii(payload)) return null;
        try
        {
            return FirstInvalid(new CodedInputStream(payload.ToArray()), descriptor, string.Empty, 0);
        }
        catch (InvalidProtocolBufferException)
        {
            // Not a message at all: the parser says so, in its own terms.
            return null;
        }
    }

    private static bool HasNonAscii(ReadOnlySequence<byte> payload)
    {
        foreach (var segment in payload)
        {
            if (segment.Span.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0) return true;
        }

        return false;
    }

    private static string? FirstInvalid(CodedInputStream input, MessageDescriptor descriptor, string path, int depth)
    {
        var repeats = new Dictionary<int, int>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = descriptor.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            var lengthDelimited = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            var isString = field?.FieldType == FieldType.String;
            var isMessage = field?.FieldType == FieldType.Message && depth < MaxDepth;
            if (field is null || !lengthDelimited || !(isString || isMessage))
            {
                input.SkipLastField();
                continue;
            }

            var name = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            if (field.IsRepeated && !field.IsMap)
            {
                repeats.TryGetValue(field.FieldNumber, out var index);
                repeats[field.FieldNumber] = index + 1;
                name = $"{name}[{index}]";
            }

            var bytes = input.ReadBytes();
            if (isString)
            {
                if (!System.Text.Unicode.Utf8.IsValid(bytes.Span)) return name;
            }
            else if (FirstInvalid(bytes.CreateCodedInput(), field.MessageType, name, depth + 1) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}
