using AlignmentEngine.Core;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// One palette for every picture (Mermaid, DOT, HTML), so a health looks the same wherever a reviewer meets it.
/// Fills are light enough for black text; strokes carry the colour for readers who cannot tell the fills apart.
/// </summary>
internal static class HealthColours
{
    /// <summary>The stroke of a goal with an error finding, and of the finding marks in the report.</summary>
    public const string ErrorStroke = "#c62828";

    /// <summary>The stroke of a goal whose worst finding is a warning.</summary>
    public const string WarningStroke = "#ef6c00";

    public static string Fill(Health health) => health switch
    {
        Health.Achieved => "#a5d6a7",
        Health.OnTrack => "#c8e6c9",
        Health.AtRisk => "#fff59d",
        Health.OffTrack => "#ffcdd2",
        Health.NotStarted => "#bbdefb",
        Health.NoPeriod => "#eeeeee",
        _ => "#e0e0e0",
    };

    public static string Stroke(Health health) => health switch
    {
        Health.Achieved => "#1b5e20",
        Health.OnTrack => "#2e7d32",
        Health.AtRisk => "#f9a825",
        Health.OffTrack => "#c62828",
        Health.NotStarted => "#1565c0",
        _ => "#757575",
    };

    /// <summary>The stroke that marks a goal by its worst finding; null when it has none worth a mark.</summary>
    public static string? FindingStroke(Severity? worst) => worst switch
    {
        Severity.Error => ErrorStroke,
        Severity.Warning => WarningStroke,
        _ => null,
    };
}
