namespace Referral.Modules.ReflectionPeriod.Contracts;

// The public, immutable history of the reflection-period step. Permit dates are stored as Migrationsverket decided
// them (rule R6): validFrom/validTo are never computed; ExpiresAt is the end of the last valid day in Swedish time.

/// <summary>Eligibility for a 5 kap. 15 § permit was assessed (R2). Not applicable is an outcome, not a refusal.</summary>
public sealed record ReflectionEligibilityAssessed(
    Guid CaseId,
    bool Eligible,
    IReadOnlyList<string> Reasons,
    bool PersonWishesReflection,
    DateTimeOffset AssessedAt,
    ReflectionStatus Status);

/// <summary>A reflection-period application was sent to Migrationsverket (R1).</summary>
public sealed record ReflectionApplicationSubmitted(
    Guid CaseId,
    Guid ApplicationId,
    ApplicationRoute Route,
    string FormNumber,
    string ApplicantOrgId,
    Guid? PreliminaryInvestigationId,
    string? PreliminaryInvestigationRef,
    DateTimeOffset SubmittedAt,
    DateTimeOffset DecisionDueAt,
    ReflectionStatus Status);

/// <summary>Migrationsverket granted the reflection period, valid from/to as decided.</summary>
public sealed record ReflectionPeriodGranted(
    Guid CaseId,
    Guid ApplicationId,
    string DecisionRef,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    DateTimeOffset ExpiresAt,
    DateTimeOffset DecidedAt,
    ReflectionStatus Status);

/// <summary>Migrationsverket rejected the application. <c>Reason</c>: no identifying details.</summary>
public sealed record ReflectionPeriodRejected(
    Guid CaseId,
    Guid ApplicationId,
    string DecisionRef,
    string Reason,
    DateTimeOffset DecidedAt,
    ReflectionStatus Status);

/// <summary>An extension was requested on special reasons (särskilda skäl). No identifying details.</summary>
public sealed record ReflectionExtensionRequested(
    Guid CaseId,
    string SpecialReasons,
    DateTimeOffset RequestedAt,
    ReflectionStatus Status);

/// <summary>Migrationsverket decided on the extension; when granted, the period now ends on <c>NewValidTo</c>.</summary>
public sealed record ReflectionExtensionDecided(
    Guid CaseId,
    DecisionOutcome Outcome,
    string DecisionRef,
    DateOnly? NewValidTo,
    DateTimeOffset? NewExpiresAt,
    DateTimeOffset DecidedAt,
    ReflectionStatus Status);

/// <summary>
/// R20: Migrationsverket corrected its grant of the reflection period (a wrong date or reference) — a compensating event;
/// the original decision stays in the history. <c>Reason</c>: no identifying details.
/// </summary>
public sealed record ReflectionDecisionCorrected(
    Guid CaseId,
    string DecisionRef,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    DateTimeOffset ExpiresAt,
    string Reason,
    DateTimeOffset CorrectedAt,
    ReflectionStatus Status);

/// <summary>
/// R20: Migrationsverket retracted its decision on the reflection-period application (<c>RetractedOutcome</c>); the
/// application awaits a decision again. The original decision stays in the history.
/// </summary>
public sealed record ReflectionDecisionRetracted(
    Guid CaseId,
    Guid ApplicationId,
    DecisionOutcome RetractedOutcome,
    string Reason,
    DateTimeOffset RetractedAt,
    ReflectionStatus Status);

/// <summary>The reflection period ended before its last day.</summary>
public sealed record ReflectionPeriodEndedEarly(
    Guid CaseId,
    EarlyEndReason Reason,
    DateTimeOffset EndedAt,
    ReflectionStatus Status);

/// <summary>The reflection period was converted: a cooperation-permit application was filed.</summary>
public sealed record ReflectionPeriodConverted(
    Guid CaseId,
    Guid CooperationApplicationId,
    DateTimeOffset ConvertedAt,
    ReflectionStatus Status);

/// <summary>The reflection period's last day passed (appended by the deadline service).</summary>
public sealed record ReflectionPeriodExpired(
    Guid CaseId,
    DateOnly ValidTo,
    DateTimeOffset ExpiredAt,
    ReflectionStatus Status);

/// <summary>The investigation leader applied for a cooperation permit with the four conditions confirmed (R4).</summary>
public sealed record CooperationPermitApplied(
    Guid CaseId,
    Guid ApplicationId,
    string ApplicantOrgId,
    Guid PreliminaryInvestigationId,
    string PreliminaryInvestigationRef,
    bool NeededForInvestigationOrTrial,
    bool ClearWillingnessToCooperate,
    bool BrokenTiesWithSuspects,
    bool NoPublicOrderObjection,
    DateTimeOffset SubmittedAt,
    DateTimeOffset DecisionDueAt,
    CooperationPermitStatus Status);

/// <summary>Migrationsverket granted the cooperation permit (at least six months).</summary>
public sealed record CooperationPermitGranted(
    Guid CaseId,
    Guid ApplicationId,
    string DecisionRef,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    DateTimeOffset ExpiresAt,
    DateTimeOffset DecidedAt,
    CooperationPermitStatus Status);

/// <summary>Migrationsverket rejected the cooperation-permit application. <c>Reason</c>: no identifying details.</summary>
public sealed record CooperationPermitRejected(
    Guid CaseId,
    Guid ApplicationId,
    string DecisionRef,
    string Reason,
    DateTimeOffset DecidedAt,
    CooperationPermitStatus Status);

/// <summary>R20: Migrationsverket corrected its grant of the cooperation permit (a compensating event). <c>Reason</c>: no identifying details.</summary>
public sealed record CooperationPermitDecisionCorrected(
    Guid CaseId,
    string DecisionRef,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    DateTimeOffset ExpiresAt,
    string Reason,
    DateTimeOffset CorrectedAt,
    CooperationPermitStatus Status);

/// <summary>R20: Migrationsverket retracted its decision on the cooperation-permit application; it awaits a decision again.</summary>
public sealed record CooperationPermitDecisionRetracted(
    Guid CaseId,
    Guid ApplicationId,
    DecisionOutcome RetractedOutcome,
    string Reason,
    DateTimeOffset RetractedAt,
    CooperationPermitStatus Status);

/// <summary>The investigation leader requested a renewal with the conditions reconfirmed.</summary>
public sealed record CooperationPermitRenewalRequested(
    Guid CaseId,
    DateTimeOffset RequestedAt,
    CooperationPermitStatus Status);

/// <summary>Migrationsverket decided on the renewal; when granted, the permit now ends on <c>NewValidTo</c>.</summary>
public sealed record CooperationPermitRenewalDecided(
    Guid CaseId,
    DecisionOutcome Outcome,
    string DecisionRef,
    DateOnly? NewValidTo,
    DateTimeOffset? NewExpiresAt,
    DateTimeOffset DecidedAt,
    CooperationPermitStatus Status);

/// <summary>
/// R5: an organisation on the case reports that one of the four conditions of the running cooperation permit no longer
/// holds (e.g. contact with the suspects resumed). The permit does not change; the investigation leader and Migrationsverket
/// consider proposing revocation. <c>Reason</c>: no identifying details.
/// </summary>
public sealed record CooperationConditionReportedUnmet(
    Guid CaseId,
    CooperationCondition Condition,
    string Reason,
    DateTimeOffset ReportedAt,
    CooperationPermitStatus Status);

/// <summary>A condition no longer holds: revocation is proposed to Migrationsverket (R5). <c>Reason</c>: no identifying details.</summary>
public sealed record CooperationPermitRevocationProposed(
    Guid CaseId,
    CooperationCondition ConditionNoLongerMet,
    string Reason,
    DateTimeOffset ProposedAt,
    CooperationPermitStatus Status);

/// <summary>Migrationsverket decided on the proposed revocation: revoked, or the permit stands.</summary>
public sealed record CooperationPermitRevocationDecided(
    Guid CaseId,
    bool Revoked,
    string DecisionRef,
    DateTimeOffset DecidedAt,
    CooperationPermitStatus Status);

/// <summary>
/// The cooperation permit ended before its last day (R7: the person departed on a voluntary return). Appended with the
/// departure, in the same transaction; claims see the permit end on that day (R16).
/// </summary>
public sealed record CooperationPermitEnded(
    Guid CaseId,
    CooperationEndReason Reason,
    DateTimeOffset EndedAt,
    CooperationPermitStatus Status);

/// <summary>The cooperation permit's last day passed (appended by the deadline service).</summary>
public sealed record CooperationPermitExpired(
    Guid CaseId,
    DateOnly ValidTo,
    DateTimeOffset ExpiredAt,
    CooperationPermitStatus Status);

/// <summary>The stored names of the step's events. Never rename one.</summary>
public static class ReflectionPeriodEventAliases
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(ReflectionEligibilityAssessed)] = "reflection_period.eligibility_assessed",
        [typeof(ReflectionApplicationSubmitted)] = "reflection_period.application_submitted",
        [typeof(ReflectionPeriodGranted)] = "reflection_period.granted",
        [typeof(ReflectionPeriodRejected)] = "reflection_period.rejected",
        [typeof(ReflectionExtensionRequested)] = "reflection_period.extension_requested",
        [typeof(ReflectionExtensionDecided)] = "reflection_period.extension_decided",
        [typeof(ReflectionPeriodEndedEarly)] = "reflection_period.ended_early",
        [typeof(ReflectionPeriodConverted)] = "reflection_period.converted",
        [typeof(ReflectionPeriodExpired)] = "reflection_period.expired",
        [typeof(CooperationPermitApplied)] = "reflection_period.cooperation_permit_applied",
        [typeof(CooperationPermitGranted)] = "reflection_period.cooperation_permit_granted",
        [typeof(CooperationPermitRejected)] = "reflection_period.cooperation_permit_rejected",
        [typeof(CooperationPermitRenewalRequested)] = "reflection_period.cooperation_permit_renewal_requested",
        [typeof(CooperationPermitRenewalDecided)] = "reflection_period.cooperation_permit_renewal_decided",
        [typeof(CooperationConditionReportedUnmet)] = "reflection_period.cooperation_condition_reported_unmet",
        [typeof(CooperationPermitRevocationProposed)] = "reflection_period.cooperation_permit_revocation_proposed",
        [typeof(CooperationPermitRevocationDecided)] = "reflection_period.cooperation_permit_revocation_decided",
        [typeof(CooperationPermitExpired)] = "reflection_period.cooperation_permit_expired",
        [typeof(CooperationPermitEnded)] = "reflection_period.cooperation_permit_ended",
        [typeof(ReflectionDecisionCorrected)] = "reflection_period.decision_corrected",
        [typeof(ReflectionDecisionRetracted)] = "reflection_period.decision_retracted",
        [typeof(CooperationPermitDecisionCorrected)] = "reflection_period.cooperation_permit_decision_corrected",
        [typeof(CooperationPermitDecisionRetracted)] = "reflection_period.cooperation_permit_decision_retracted",
    };
}
