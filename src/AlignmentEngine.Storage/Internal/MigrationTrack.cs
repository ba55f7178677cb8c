namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// One numbered series of migration scripts and the table that records which of them a database has: the store's
/// own schema is one track, the cluster membership tables another, so that neither's numbers can collide with the
/// other's and each can be applied to a database without the other.
/// </summary>
/// <param name="What">What the track's schema is, for messages ("the store", "the cluster membership").</param>
/// <param name="Folder">The embedded scripts' folder (<c>Migrations/…/</c>).</param>
/// <param name="CreateVersionTable">Creates the version table unless it exists.</param>
/// <param name="CurrentVersion">The greatest version recorded (NULL when none).</param>
/// <param name="RecordVersion">Records one applied script.</param>
internal sealed record MigrationTrack(
    string What,
    string Folder,
    Statement<NoArguments> CreateVersionTable,
    Statement<NoArguments> CurrentVersion,
    Statement<MigrationRecord> RecordVersion);
