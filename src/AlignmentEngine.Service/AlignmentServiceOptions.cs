namespace AlignmentEngine.Service;

/// <summary>Limits of the AlignmentService, each answered with RESOURCE_EXHAUSTED naming it.</summary>
public sealed class AlignmentServiceOptions
{
    /// <summary>Operations in one ApplyChanges or SimulateChanges, check-ins in one RecordCheckIns.</summary>
    public int MaxChangesPerRequest { get; set; } = 10_000;

    /// <summary>Goals one tenant may hold.</summary>
    public int MaxGoalsPerTenant { get; set; } = 2_000_000;

    /// <summary>Committed changes kept per tenant for WatchRollups clients to resume from.</summary>
    public int WatchLogCapacity { get; set; } = 10_000;

    /// <summary>Goals per ExportTree message.</summary>
    public int ExportChunkSize { get; set; } = 1_000;
}
