namespace Referral.BuildingBlocks.Time;

/// <summary>
/// Calendar days in one time zone (Swedish time by default): deadlines of the manual are days ("by the end of the next
/// day", "the last day of the quarter"), while events carry instants. A day ends when the next one starts.
/// </summary>
public sealed class LocalCalendar(string timeZone = LocalCalendar.Swedish)
{
    /// <summary>The time zone of Swedish authorities' days.</summary>
    public const string Swedish = "Europe/Stockholm";

    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);

    /// <summary>The local calendar day of <paramref name="instant"/>.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    /// <summary>The instant <paramref name="day"/> starts, local time.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }

    /// <summary>The instant <paramref name="day"/> ends: the start of the next day, local time.</summary>
    public DateTimeOffset EndOf(DateOnly day) => StartOf(day.AddDays(1));
}
