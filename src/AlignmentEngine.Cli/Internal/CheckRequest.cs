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

    /// <summary>SARIF 2.1.0, for code-scanning views (validate only).</summary>
    Sarif,

    /// <summary>JUnit XML, for test-report views (validate only).</summary>
    JUnit,
}

/// <summary>One <c>validate</c> or <c>rollup</c> invocation, its options parsed.</summary>
internal sealed record CheckRequest(CheckMode Mode, string File, DateOnly? AsOf, OutputFormat Format, Severity FailOn);
