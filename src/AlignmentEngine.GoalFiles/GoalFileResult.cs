using System.Diagnostics.CodeAnalysis;

namespace AlignmentEngine.GoalFiles;

/// <summary>The outcome of reading a goal file: a document, or the first error that stopped the reader.</summary>
public sealed class GoalFileResult
{
    private GoalFileResult(GoalTreeDocument? document, GoalFileError? error)
    {
        Document = document;
        Error = error;
    }

    public GoalTreeDocument? Document { get; }

    public GoalFileError? Error { get; }

    [MemberNotNullWhen(true, nameof(Document))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Document is not null;

    public static GoalFileResult Success(GoalTreeDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new(document, null);
    }

    public static GoalFileResult Failure(GoalFileError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(null, error);
    }
}
