using AlignmentEngine.Core;

namespace AlignmentEngine.GoalFiles;

/// <summary>
/// A goal tree read from a file, with where each goal stands in it so that findings can point back into the
/// source (SARIF, editor annotations).
/// </summary>
/// <param name="Tree">The tree as written; nothing beyond the file format has been checked yet.</param>
/// <param name="GoalPositions">The position of each goal, index for index with <c>Tree.Goals</c>.</param>
/// <param name="Path">The file's path as the caller named it.</param>
public sealed record GoalTreeDocument(GoalTree Tree, IReadOnlyList<SourcePosition> GoalPositions, string Path);
