using System.Text;
using AlignmentEngine.GoalFiles.Internal;

namespace AlignmentEngine.GoalFiles;

/// <summary>
/// Reads goal tree files (YAML, or JSON, which YAML 1.2 reads as flow syntax) into the core model. A file that
/// is not a well-formed goal file gives a <see cref="GoalFileError"/> with its line and column; everything the
/// format allows but the semantics forbid (unknown parents, zero weights, NaN, undeclared period names, ...) is
/// read as written so that the core reports it as a finding.
/// </summary>
public sealed class GoalFileReader
{
    /// <summary>64 MiB: far beyond any real goal tree, small enough that reading one cannot exhaust memory.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static GoalFileReader Default { get; } = new();

    /// <summary>The largest file, in bytes, the reader accepts.</summary>
    public long MaxBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = DefaultMaxBytes;

    /// <summary>Reads the file at <paramref name="path"/>; a missing or unreadable file is an error result too.</summary>
    public GoalFileResult ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return FileError(path, $"cannot read the file: {e.Message}");
        }
    }

    /// <summary>Reads UTF-8 (or BOM-marked UTF-16/32) goal file content from a stream, which stays open.</summary>
    public GoalFileResult Read(Stream stream, string path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(path);
        if (stream.CanSeek)
        {
            return stream.Length - stream.Position > MaxBytes ? TooLarge(path) : Decode(stream, path);
        }

        // Pipes do not tell their length: buffer up to the limit, and one chunk more to know it was passed.
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes) return TooLarge(path);
        }

        buffer.Position = 0;
        return Decode(buffer, path);
    }

    private static GoalFileResult Decode(Stream stream, string path)
    {
        using var text = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        return Parse(text, path);
    }

    /// <summary>Reads goal file content already in memory (the service's import).</summary>
    public GoalFileResult Read(string content, string path)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(path);
        if (content.Length > MaxBytes || Encoding.UTF8.GetByteCount(content) > MaxBytes) return TooLarge(path);
        using var text = new StringReader(content);
        return Parse(text, path);
    }

    private static GoalFileResult Parse(TextReader text, string path)
    {
        try
        {
            return GoalFileResult.Success(GoalFileParser.Parse(text, path));
        }
        catch (GoalFileException e)
        {
            return GoalFileResult.Failure(e.Error);
        }
        catch (DecoderFallbackException)
        {
            return FileError(path, "the file is not UTF-8 text");
        }
    }

    private GoalFileResult TooLarge(string path) =>
        FileError(path, $"the file is larger than the {MaxBytes:N0} bytes a goal file may have");

    private static GoalFileResult FileError(string path, string message) =>
        GoalFileResult.Failure(new GoalFileError(path, SourcePosition.FileStart.Line, SourcePosition.FileStart.Column, message));
}
