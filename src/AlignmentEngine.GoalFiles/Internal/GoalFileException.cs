namespace AlignmentEngine.GoalFiles.Internal;

/// <summary>
/// Unwinds the reader from wherever it meets the first problem; <see cref="GoalFileReader"/> turns it into a
/// <see cref="GoalFileResult"/> so that no caller ever sees it.
/// </summary>
internal sealed class GoalFileException(GoalFileError error) : Exception(error.ToString())
{
    public GoalFileError Error { get; } = error;
}
