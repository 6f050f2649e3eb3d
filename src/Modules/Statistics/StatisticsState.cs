using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Time;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.Statistics;

/// <summary>The age category as the statistics count it (a disputed age treated as a child's counts as a child).</summary>
public enum StatisticsAge { Adult, Child, Unknown }

/// <summary>
/// One case as the national statistics see it (MANUAL.md §7), folded inline from the case stream's public events:
/// pseudonymous only — the counted pseudonym (R18), the period, region, reporting organisation type, the person's
/// categories and the milestones reached. No name, no date of birth, no address; the municipality only as its county.
/// </summary>
public sealed record StatisticsRecord
{
    private static readonly LocalCalendar Calendar = new();

    public Guid Id { get; init; }
    public long Version { get; init; }
    public Guid SubjectId { get; init; }

    /// <summary>R18: the pseudonym the person is counted under (linked cases share it).</summary>
    public Guid CountedSubjectId { get; init; }

    public DateTimeOffset RegisteredAt { get; init; }
    public int Year { get; init; }
    public int Quarter { get; init; }

    /// <summary>The coordinator region: the county (län) code, the first two digits of the municipality code [U].</summary>
    public string Region { get; init; } = "";

    public OrgType ReportingOrgType { get; init; }
    public StatisticsAge Age { get; init; }
    public Gender Gender { get; init; }
    public CitizenshipCategory CitizenshipCategory { get; init; }
    public string? Nationality { get; init; }
    public IReadOnlyList<ExploitationPurpose> Purposes { get; init; } = [];
    public LabourSector? LabourSector { get; init; }
    public IReadOnlyList<MethodOfControl> MethodsOfControl { get; init; } = [];

    /// <summary>Closed as not trafficking (and not reopened): not counted.</summary>
    public bool NotTrafficking { get; init; }

    public DateTimeOffset? DeclaredAt { get; init; }
    public DateTimeOffset? ReflectionAppliedAt { get; init; }
    public DateTimeOffset? ReflectionDecidedAt { get; init; }
    public DateTimeOffset? ReflectionGrantedAt { get; init; }
    public DateTimeOffset? CooperationPermitGrantedAt { get; init; }
    public DateTimeOffset? IndictedAt { get; init; }
    public DateTimeOffset? ConvictedAt { get; init; }
    public DateTimeOffset? ReturnedAt { get; init; }

    public static StatisticsRecord? Fold(StatisticsRecord? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered e) => Registered(e, info),
            (null, _) => null,
            ({ } s, IndicatorsAssessed e) => s with
            {
                Purposes = e.ExploitationPurposes.Count > 0 ? e.ExploitationPurposes : s.Purposes,
                MethodsOfControl = e.MethodsOfControl.Count > 0 ? e.MethodsOfControl : s.MethodsOfControl,
            },
            ({ } s, PresumedVictimDeclared e) => s with { Age = AgeOf(e.AgeCategory), Purposes = e.ExploitationPurposes.Count > 0 ? e.ExploitationPurposes : s.Purposes, DeclaredAt = e.DeclaredAt },
            ({ } s, PresumedVictimDeclarationCorrected e) => s with { Age = AgeOf(e.AgeCategory), Purposes = e.ExploitationPurposes },
            ({ } s, PresumedVictimDeclarationRetracted) => s with { DeclaredAt = null },
            ({ } s, CaseClosedNotTrafficking) => s with { NotTrafficking = true },
            ({ } s, CaseReopened) => s with { NotTrafficking = false },
            ({ } s, SubjectLinked e) => s with { CountedSubjectId = e.CountedSubjectId },
            ({ } s, ReflectionApplicationSubmitted e) => s with { ReflectionAppliedAt = s.ReflectionAppliedAt ?? e.SubmittedAt },
            ({ } s, ReflectionPeriodGranted e) => s with { ReflectionGrantedAt = s.ReflectionGrantedAt ?? e.DecidedAt, ReflectionDecidedAt = s.ReflectionDecidedAt ?? e.DecidedAt },
            ({ } s, ReflectionPeriodRejected e) => s with { ReflectionDecidedAt = s.ReflectionDecidedAt ?? e.DecidedAt },
            ({ } s, CooperationPermitGranted e) => s with { CooperationPermitGrantedAt = s.CooperationPermitGrantedAt ?? e.DecidedAt },
            ({ } s, InvestigationOutcomeRecorded e) => s with
            {
                IndictedAt = s.IndictedAt ?? (e.InvestigationStatus >= InvestigationStatus.Indicted && e.InvestigationStatus != InvestigationStatus.ClosedNoProsecution ? e.RecordedAt : null),
                ConvictedAt = s.ConvictedAt ?? (e.AnyConviction ? e.RecordedAt : null),
            },
            ({ } s, ReturnDeparted e) => s with { ReturnedAt = s.ReturnedAt ?? e.DepartedAt },
            ({ } s, _) => s,
        };
        return next is null ? null : next with { Version = info.Version };
    }

    public static StatisticsAge AgeOf(AgeCategory? age) => age switch
    {
        AgeCategory.Adult => StatisticsAge.Adult,
        AgeCategory.Child or AgeCategory.AgeDisputedTreatedAsChild => StatisticsAge.Child,
        _ => StatisticsAge.Unknown,
    };

    private static StatisticsRecord Registered(SuspicionRegistered e, EventInfo info)
    {
        var day = Calendar.DateOf(info.Timestamp);
        return new StatisticsRecord
        {
            Id = e.CaseId, SubjectId = e.SubjectId, CountedSubjectId = e.SubjectId, RegisteredAt = info.Timestamp, Year = day.Year, Quarter = ((day.Month - 1) / 3) + 1,
            Region = e.MunicipalityCode.Length >= 2 ? e.MunicipalityCode[..2] : "", ReportingOrgType = e.ReportingOrgType, Age = AgeOf(e.AgeCategory), Gender = e.Gender,
            CitizenshipCategory = e.CitizenshipCategory, Nationality = e.Nationality, Purposes = e.ExploitationPurposes, LabourSector = e.LabourSector,
            MethodsOfControl = e.MethodsOfControl,
        };
    }
}
