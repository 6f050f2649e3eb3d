using Referral.BuildingBlocks.Contracts;

namespace Referral.Modules.ChildSafeguarding.Contracts;

// The public, immutable history of the child-safeguarding overlay (MANUAL.md §4.8, R13). It applies to cases whose
// age category is Child or AgeDisputedTreatedAsChild. No personal data: organisations and dates only.

/// <summary>
/// The main track of the overlay. A child's case starts in <see cref="ConcernReportRequired"/> (the statutory duty to
/// report concern, orosanmälan, SoL 14 kap. 1 §); social services then assess protection needs (skyddsbedömning) by
/// the end of the next calendar day, may open a child investigation (barnutredning) and decide measures.
/// </summary>
public enum ChildOverlayStatus
{
    NotApplicable,
    ConcernReportRequired,
    ConcernReported,
    ProtectionAssessed,
    ChildInvestigationOpened,
    MeasuresInPlace,
    Closed,
}

/// <summary>A measure social services decide for the child.</summary>
public enum ChildMeasure
{
    /// <summary>Placement (e.g. HVB, family home) with the child's consent or custodians' (SoL).</summary>
    Placement,
    /// <summary>LVU 6 § — immediate custody (omedelbart omhändertagande).</summary>
    ImmediateCustodyLvu6,
    /// <summary>Support in the home (öppenvård).</summary>
    SupportInHome,
}

/// <summary>A representative side track: a god man (guardian) for an unaccompanied child, or a särskild företrädare.</summary>
public enum RepresentationStatus { NotRequested, Requested, Appointed }

/// <summary>Why a child's case was escalated by the system.</summary>
public enum ChildEscalationReason
{
    /// <summary>R13: no social services organisation took part in the case within the configured time (24 hours).</summary>
    SocialServicesNotLinked,
    /// <summary>The protection assessment was not recorded by the end of the day after the concern report.</summary>
    ProtectionAssessmentOverdue,
}

/// <summary>Why the overlay closed.</summary>
public enum ChildOverlayCloseReason
{
    /// <summary>No further protection needs; the child is in regular care or at home with safe custodians.</summary>
    ProtectionNoLongerNeeded,
    /// <summary>The age assessment found the person an adult.</summary>
    AssessedAsAdult,
    /// <summary>The person turned 18.</summary>
    TurnedEighteen,
    /// <summary>Handed over to another country's authorities (R14: only after a positive best-interests determination).</summary>
    HandedOverAbroad,
    /// <summary>The child is missing and the search is closed (the case stays reopenable).</summary>
    ClosedMissing,
}

/// <summary>A concern report (orosanmälan) about the child was made to social services.</summary>
/// <param name="SocialServicesOrgId">The social services (socialnämnd) receiving the report.</param>
/// <param name="ProtectionAssessmentDueAt">The end of the calendar day after the report, Swedish time.</param>
public sealed record ConcernReported(
    Guid CaseId,
    string SocialServicesOrgId,
    DateTimeOffset ReportedAt,
    DateTimeOffset ProtectionAssessmentDueAt,
    ChildOverlayStatus Status) : IAdmitsParticipants
{
    /// <summary>The receiving social services take part in the case (designated by the reporting participant; OSL 10:28).</summary>
    public IEnumerable<Admission> Admits() => [new(SocialServicesOrgId, OrgType.SocialServices, ParticipationRoute.Designated)];
}

/// <summary>Social services assessed the child's protection needs (skyddsbedömning).</summary>
public sealed record ProtectionAssessed(Guid CaseId, bool ImmediateProtectionNeeded, DateTimeOffset AssessedAt, ChildOverlayStatus Status);

/// <summary>Social services opened a child investigation (barnutredning, SoL 11 kap. 1 §).</summary>
public sealed record ChildInvestigationOpened(Guid CaseId, DateTimeOffset OpenedAt, ChildOverlayStatus Status);

/// <summary>Social services decided a measure. <c>DecisionRef</c> is the municipality's reference, never a name.</summary>
public sealed record ChildMeasureDecided(Guid CaseId, ChildMeasure Measure, string DecisionRef, DateTimeOffset DecidedAt, ChildOverlayStatus Status);

/// <summary>A god man was requested for a foreign child separated from both parents (lag 2005:429).</summary>
public sealed record GuardianRequested(Guid CaseId, DateTimeOffset RequestedAt);

/// <summary>The överförmyndare appointed a god man.</summary>
public sealed record GuardianAppointed(Guid CaseId, DateOnly AppointedOn, DateTimeOffset RecordedAt);

/// <summary>The prosecutor applied for a särskild företrädare because a custodian is suspected or linked to the suspect.</summary>
public sealed record SpecialRepresentativeRequested(Guid CaseId, DateTimeOffset RequestedAt);

/// <summary>The system escalated the child's case: a duty of R13 was not met in time.</summary>
public sealed record ChildCaseEscalated(Guid CaseId, ChildEscalationReason Reason, DateTimeOffset DueAt, DateTimeOffset EscalatedAt);

/// <summary>The overlay closed, with the reason.</summary>
public sealed record ChildOverlayClosed(Guid CaseId, ChildOverlayCloseReason Reason, DateTimeOffset ClosedAt, ChildOverlayStatus Status);

/// <summary>The stored names of the overlay's events. Never rename one.</summary>
public static class ChildSafeguardingEventAliases
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(ConcernReported)] = "child_safeguarding.concern_reported",
        [typeof(ProtectionAssessed)] = "child_safeguarding.protection_assessed",
        [typeof(ChildInvestigationOpened)] = "child_safeguarding.investigation_opened",
        [typeof(ChildMeasureDecided)] = "child_safeguarding.measure_decided",
        [typeof(GuardianRequested)] = "child_safeguarding.guardian_requested",
        [typeof(GuardianAppointed)] = "child_safeguarding.guardian_appointed",
        [typeof(SpecialRepresentativeRequested)] = "child_safeguarding.special_representative_requested",
        [typeof(ChildCaseEscalated)] = "child_safeguarding.escalated",
        [typeof(ChildOverlayClosed)] = "child_safeguarding.closed",
    };
}
