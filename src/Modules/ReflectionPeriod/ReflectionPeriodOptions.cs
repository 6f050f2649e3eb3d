using Referral.BuildingBlocks.Time;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>
/// Settings of the reflection-period step (configuration section <c>ReflectionPeriod</c>). Points the research could
/// not confirm ([U] in MANUAL.md) are settings, not hard-coded law.
/// </summary>
public sealed class ReflectionPeriodOptions
{
    /// <summary>[U] Whether a social welfare board may request an extension (the 2007 text names only the investigation leader).</summary>
    public bool WelfareBoardMayRequestExtension { get; set; }

    /// <summary>[U] Whether asylum seekers are eligible (treated as having a right to stay while the asylum case runs: R2).</summary>
    public bool AsylumSeekersEligible { get; set; }

    /// <summary>[A] Migrationsverket decides "within a couple of days": the decision is overdue after this many working days.</summary>
    public int DecisionDueWorkingDays { get; set; } = 3;

    /// <summary>[A] Reminders before a reflection period's last day, in days (default 7 and 2).</summary>
    /// <remarks>Empty means the default: the configuration binder appends to a pre-filled array instead of replacing it.</remarks>
    public int[] ReflectionReminderDays { get; set; } = [];

    /// <summary>[A] Reminders to the investigation leader before a cooperation permit's last day, in days (default 45).</summary>
    public int[] CooperationReminderDays { get; set; } = [];

    /// <summary>The reflection-period reminders in force.</summary>
    public IReadOnlyList<int> ReflectionReminders => ReflectionReminderDays.Length > 0 ? ReflectionReminderDays : [7, 2];

    /// <summary>The cooperation-permit reminders in force.</summary>
    public IReadOnlyList<int> CooperationReminders => CooperationReminderDays.Length > 0 ? CooperationReminderDays : [45];

    /// <summary>UtlL 5 kap. 15 §: a cooperation permit runs at least this many months.</summary>
    public int CooperationPermitMinimumMonths { get; set; } = 6;

    /// <summary>The time zone permit dates are in (a permit is valid through the end of its last day).</summary>
    public string TimeZone { get; set; } = LocalCalendar.Swedish;

    /// <summary>Public holidays that are not working days (weekends never are).</summary>
    public DateOnly[] Holidays { get; set; } = [];

    /// <summary>Residence bases that give no right to stay, so a 5 kap. 15 § permit is applicable (R2).</summary>
    public bool IsEligibleBasis(ResidenceBasis basis) =>
        basis is ResidenceBasis.NoRightOfResidence or ResidenceBasis.Unknown
        || (basis == ResidenceBasis.AsylumSeeker && AsylumSeekersEligible);

    /// <summary>The instant a permit valid through <paramref name="validTo"/> ends: the start of the next day, local time.</summary>
    public DateTimeOffset EndOf(DateOnly validTo) => Calendar().EndOf(validTo);

    /// <summary>The end of the <paramref name="workingDays"/>-th working day after <paramref name="from"/>, local time.</summary>
    public DateTimeOffset WorkingDaysAfter(DateTimeOffset from, int workingDays)
    {
        var day = Calendar().DateOf(from);
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.Contains(day))
            {
                counted++;
            }
        }

        return Calendar().EndOf(day);
    }

    private LocalCalendar Calendar() => new(TimeZone);
}
