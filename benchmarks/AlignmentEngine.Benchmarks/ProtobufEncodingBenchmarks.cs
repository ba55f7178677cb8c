using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Mapping;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The wire side of a whole tree, as ExportTree sends it: goals mapped to protobuf messages and encoded, in chunks
/// of 1,000 goals per message; and decoding them back, as ImportTree receives them.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class ProtobufEncodingBenchmarks
{
    private const int ChunkSize = 1_000;
    private Core.GoalTree _tree = null!;
    private List<byte[]> _encoded = null!;

    [Params(100_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tree = Fixtures.Tree(Goals);
        _encoded = Encode();
    }

    [Benchmark(Description = "map and encode a tree (ExportTree messages)")]
    public long MapAndEncode() => Encode().Sum(b => (long)b.Length);

    [Benchmark(Description = "decode a tree (ImportTree messages)")]
    public int Decode() => _encoded.Sum(bytes => ExportTreeResponse.Parser.ParseFrom(bytes).Goals.Count);

    private List<byte[]> Encode()
    {
        var chunks = new List<byte[]>(Goals / ChunkSize + 1);
        var chunk = new ExportTreeResponse { Settings = ToProto.Settings(_tree) };
        foreach (var goal in _tree.Goals)
        {
            chunk.Goals.Add(ToProto.Goal("bench", goal, null));
            if (chunk.Goals.Count < ChunkSize) continue;
            chunks.Add(chunk.ToByteArray());
            chunk = new ExportTreeResponse();
        }

        if (chunk.Goals.Count > 0) chunks.Add(chunk.ToByteArray());
        return chunks;
    }
}
