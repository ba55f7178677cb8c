using System.Diagnostics;
using System.Text;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.GoalFiles.Tests.GoalFileTestHelpers;

namespace AlignmentEngine.GoalFiles.Tests;

public sealed class GoalFileReaderLimitsTests
{
    [Test]
    public void Read_TenMegabyteFile_ReadsEveryGoalQuickly()
    {
        var content = GoalFileSamples.Large(10 * 1024 * 1024);
        var expectedGoals = content.Split("\n  - ").Length - 1;
        var clock = Stopwatch.StartNew();

        var document = Read(content);

        document.Tree.Goals.Should().HaveCount(expectedGoals);
        document.GoalPositions.Should().HaveCount(expectedGoals);
        document.Tree.Goals[^1].Metric!.Target.Should().Be(100);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [Test]
    public void ReadFile_FileOverTheLimit_FailsBeforeParsing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"big-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, GoalFileSamples.Large(4096));
        try
        {
            var result = new GoalFileReader { MaxBytes = 1024 }.ReadFile(path);

            result.Error!.Message.Should().Contain("larger than the 1,024 bytes");
            (result.Error.Line, result.Error.Column).Should().Be((1, 1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Read_PipeOverTheLimit_FailsWithoutReadingItAll()
    {
        using var pipe = new NonSeekableStream(Encoding.UTF8.GetBytes(GoalFileSamples.Large(1 << 20)));

        var result = new GoalFileReader { MaxBytes = 100_000 }.Read(pipe, "-");

        result.Error!.Message.Should().Contain("larger than");
        pipe.BytesRead.Should().BeLessThan(1 << 20);
    }

    [Test]
    public void Read_PipeUnderTheLimit_Reads()
    {
        using var pipe = new NonSeekableStream(Encoding.UTF8.GetBytes("goals: [{ id: A, type: objective }]"));

        var result = GoalFileReader.Default.Read(pipe, "-");

        result.Document!.Tree.Goals.Should().ContainSingle();
    }

    [Test]
    public void Read_StringOverTheLimit_Fails()
    {
        var result = new GoalFileReader { MaxBytes = 10 }.Read("goals: [{ id: A, type: objective }]", FileName);

        result.Error!.Message.Should().Contain("larger than");
    }

    [Test]
    public void MaxBytes_Zero_IsMisuse()
    {
        var create = () => new GoalFileReader { MaxBytes = 0 };

        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void Read_HundredThousandLevelChain_ReadsEveryGoal()
    {
        var document = Read(GoalFileSamples.Chain(100_000));

        document.Tree.Goals.Should().HaveCount(100_000);
        document.Tree.Goals[^1].Parents.Single().ParentId.Should().Be("L99998");
    }

    [Test]
    public void Read_DeeplyNestedFlowLists_FailsWithoutOverflow()
    {
        var content = "goals: " + new string('[', 200_000) + new string(']', 200_000);

        var error = ReadError(content);

        error.Message.Should().Contain("each goal must be a mapping, not a list");
    }

    private sealed class NonSeekableStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
