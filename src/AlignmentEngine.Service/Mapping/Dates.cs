using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Mapping;

/// <summary><c>google.type.Date</c> ↔ <see cref="DateOnly"/>.</summary>
internal static class Dates
{
    public static Google.Type.Date ToProto(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    /// <summary>A full date, or null with a violation when the message is partial or impossible.</summary>
    public static DateOnly? FromProto(Google.Type.Date? date, string field, FieldViolations violations)
    {
        if (date is null) return null;
        if (date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            violations.Add(field, $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2} is not a full calendar date");
            return null;
        }

        return new DateOnly(date.Year, date.Month, date.Day);
    }

    /// <summary>The request's as_of, or today (UTC).</summary>
    public static DateOnly AsOf(Google.Type.Date? date, FieldViolations violations, TimeProvider clock) =>
        FromProto(date, "as_of", violations) ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The request's read_time as an instant, or null (the tree as it stands) with a violation when impossible.</summary>
    public static DateTimeOffset? ReadTime(Google.Protobuf.WellKnownTypes.Timestamp? time, FieldViolations violations)
    {
        if (time is null) return null;

        // The range google.protobuf.Timestamp documents: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
        if (time.Seconds is < -62_135_596_800 or > 253_402_300_799 || time.Nanos is < 0 or > 999_999_999)
        {
            violations.Add("read_time", $"seconds {time.Seconds} and nanos {time.Nanos} are not a time between years 1 and 9999");
            return null;
        }

        return time.ToDateTimeOffset();
    }

    public static Api.V1.Period ToProto(Period period) => new() { Start = ToProto(period.Start), End = ToProto(period.End) };

    public static Period? FromProto(Api.V1.Period? period, string field, FieldViolations violations)
    {
        if (period is null) return null;
        if (period.Start is null) violations.Add(field + ".start", "required");
        if (period.End is null) violations.Add(field + ".end", "required");
        var start = FromProto(period.Start, field + ".start", violations);
        var end = FromProto(period.End, field + ".end", violations);
        return start is { } s && end is { } e ? new Period(s, e) : null;
    }
}
