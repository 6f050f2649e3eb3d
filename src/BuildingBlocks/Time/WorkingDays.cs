using PublicHoliday;

namespace Referral.BuildingBlocks.Time;

/// <summary>
/// Swedish working days (arbetsdagar) for any year: not a Saturday or Sunday, not a public holiday (allmän helgdag) and
/// not one of the eves authorities keep closed (midsommarafton, julafton, nyårsafton), all computed by the maintained
/// PublicHoliday package rather than configured lists. Extra closed days (a local decision) may be added.
/// </summary>
public sealed class WorkingDays(LocalCalendar calendar, IReadOnlyCollection<DateOnly>? extraClosedDays = null)
{
    private static readonly SwedenPublicHoliday Sweden = new();
    private readonly IReadOnlyCollection<DateOnly> _extra = extraClosedDays ?? [];

    /// <summary>Whether <paramref name="day"/> is a working day.</summary>
    public bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && !Sweden.IsPublicHoliday(day.ToDateTime(TimeOnly.MinValue))
        && !_extra.Contains(day);

    /// <summary>The working day <paramref name="count"/> working days after the local day of <paramref name="from"/>.</summary>
    public DateOnly DayAfter(DateTimeOffset from, int count)
    {
        var day = calendar.DateOf(from);
        for (var counted = 0; counted < count;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return day;
    }

    /// <summary>The end (local time) of the <paramref name="count"/>-th working day after <paramref name="from"/>.</summary>
    public DateTimeOffset After(DateTimeOffset from, int count) => calendar.EndOf(DayAfter(from, count));
}
