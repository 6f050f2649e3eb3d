using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.Modules.ChildSafeguarding.Contracts;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.ChildSafeguarding;

/// <summary>A measure decided for the child.</summary>
public sealed record DecidedMeasure(ChildMeasure Measure, string DecisionRef, DateTimeOffset DecidedAt);

/// <summary>
/// The child-safeguarding overlay of one case (barnperspektivet, MANUAL.md §4.8), projected inline from the case stream.
/// It applies once the case's age category is Child or AgeDisputedTreatedAsChild (at registration or declaration), and
/// reacts to the person going missing or being found (R12) and to a special representative's appointment in the
/// criminal proceedings. Whether social services take part is read from the acting organisation of every event (R13).
/// </summary>
public sealed record ChildSafeguardingState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public ChildOverlayStatus Status { get; init; } = ChildOverlayStatus.NotApplicable;

    /// <summary>When the overlay began to apply (the child's case was registered, or declared with a child's age).</summary>
    public DateTimeOffset? AppliesSince { get; init; }

    /// <summary>The child is not a Swedish citizen (a god man is for foreign children separated from their parents).</summary>
    public bool ForeignCitizen { get; init; }

    public bool SocialServicesTakePart { get; init; }
    public string? ConcernReportedTo { get; init; }
    public DateTimeOffset? ConcernReportedAt { get; init; }
    public DateTimeOffset? ProtectionAssessmentDueAt { get; init; }
    public DateTimeOffset? ProtectionAssessedAt { get; init; }
    public bool? ImmediateProtectionNeeded { get; init; }
    public IReadOnlyList<DecidedMeasure> Measures { get; init; } = [];
    public RepresentationStatus Guardian { get; init; }
    public DateOnly? GuardianAppointedOn { get; init; }
    public RepresentationStatus SpecialRepresentative { get; init; }
    public bool Missing { get; init; }
    public DateTimeOffset? MissingSince { get; init; }
    public DateTimeOffset? FoundAt { get; init; }
    public bool EscalatedSocialServicesNotLinked { get; init; }
    public bool EscalatedProtectionAssessmentOverdue { get; init; }
    public ChildOverlayCloseReason? CloseReason { get; init; }

    public bool Applies => Status != ChildOverlayStatus.NotApplicable;

    public bool IsOpen => Applies && Status != ChildOverlayStatus.Closed;

    public static bool IsChild(AgeCategory? age) => age is AgeCategory.Child or AgeCategory.AgeDisputedTreatedAsChild;

    public static ChildSafeguardingState? Fold(ChildSafeguardingState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered e) => IsChild(e.AgeCategory)
                ? new ChildSafeguardingState { Id = e.CaseId, Status = ChildOverlayStatus.ConcernReportRequired, AppliesSince = info.Timestamp, ForeignCitizen = e.CitizenshipCategory != CitizenshipCategory.Swedish }
                : new ChildSafeguardingState { Id = e.CaseId, ForeignCitizen = e.CitizenshipCategory != CitizenshipCategory.Swedish },
            (null, _) => null,
            ({ Applies: false } s, PresumedVictimDeclared e) when IsChild(e.AgeCategory) =>
                s with { Status = ChildOverlayStatus.ConcernReportRequired, AppliesSince = info.Timestamp },
            // R20: a declaration corrected to a child brings the child overlay, as the declaration would have.
            ({ Applies: false } s, PresumedVictimDeclarationCorrected e) when IsChild(e.AgeCategory) =>
                s with { Status = ChildOverlayStatus.ConcernReportRequired, AppliesSince = info.Timestamp },
            ({ } s, PersonReportedMissing e) => s with { Missing = true, MissingSince = e.MissingSince, FoundAt = null },
            ({ } s, PersonFound e) => s with { Missing = false, FoundAt = e.FoundAt },
            ({ } s, SpecialRepresentativeAppointed) => s with { SpecialRepresentative = RepresentationStatus.Appointed },
            ({ } s, ConcernReported e) => s with
            {
                Status = e.Status, ConcernReportedTo = e.SocialServicesOrgId, ConcernReportedAt = e.ReportedAt,
                ProtectionAssessmentDueAt = e.ProtectionAssessmentDueAt,
            },
            ({ } s, ProtectionAssessed e) => s with { Status = e.Status, ProtectionAssessedAt = e.AssessedAt, ImmediateProtectionNeeded = e.ImmediateProtectionNeeded },
            ({ } s, ChildInvestigationOpened e) => s with { Status = e.Status },
            ({ } s, ChildMeasureDecided e) => s with { Status = e.Status, Measures = [.. s.Measures, new DecidedMeasure(e.Measure, e.DecisionRef, e.DecidedAt)] },
            ({ } s, GuardianRequested) => s with { Guardian = RepresentationStatus.Requested },
            ({ } s, GuardianAppointed e) => s with { Guardian = RepresentationStatus.Appointed, GuardianAppointedOn = e.AppointedOn },
            ({ } s, SpecialRepresentativeRequested) => s with
            {
                SpecialRepresentative = s.SpecialRepresentative == RepresentationStatus.Appointed ? RepresentationStatus.Appointed : RepresentationStatus.Requested,
            },
            ({ } s, ChildCaseEscalated { Reason: ChildEscalationReason.SocialServicesNotLinked }) => s with { EscalatedSocialServicesNotLinked = true },
            ({ } s, ChildCaseEscalated { Reason: ChildEscalationReason.ProtectionAssessmentOverdue }) => s with { EscalatedProtectionAssessmentOverdue = true },
            ({ } s, ChildOverlayClosed e) => s with { Status = e.Status, CloseReason = e.Reason },
            ({ } s, _) => s,
        };
        return next is null ? null : next with
        {
            Version = info.Version,
            SocialServicesTakePart = next.SocialServicesTakePart || info.OrgType == OrgType.SocialServices,
        };
    }
}
