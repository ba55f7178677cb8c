using AlignmentEngine.Core;

namespace AlignmentEngine.Cli.Internal;

internal enum CheckMode
{
    Validate,
    Rollup,
}

internal enum OutputFormat
{
    Text,
    Json,
}

/// <summary>One <c>validate</c> or <c>rollup</c> invocation, its options parsed.</summary>
internal sealed record CheckRequest(CheckMode Mode, string File, DateOnly? AsOf, OutputFormat Format, Severity FailOn);
