using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.ReflectionPeriod.Contracts;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>
/// Apply for a cooperation permit (TUT, at least six months) as investigation leader, with the four conditions of
/// UtlL 5 kap. 15 § confirmed (R4). A running reflection period is converted.
/// </summary>
/// <param name="PreliminaryInvestigationId">The open preliminary investigation the case takes part in, which the stay is needed for.</param>
/// <param name="NeededForInvestigationOrTrial">The stay is needed for the investigation or the main hearing.</param>
/// <param name="ClearWillingnessToCooperate">The person has clearly shown willingness to cooperate.</param>
/// <param name="BrokenTiesWithSuspects">The person has broken all ties with the suspects.</param>
/// <param name="NoPublicOrderObjection">Public order and security do not speak against it.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record SubmitCooperationPermitApplication(
    [property: Required] Guid? PreliminaryInvestigationId,
    bool NeededForInvestigationOrTrial,
    bool ClearWillingnessToCooperate,
    bool BrokenTiesWithSuspects,
    bool NoPublicOrderObjection) : CaseCommand<ResidencePermitView>;

/// <summary>Record Migrationsverket's decision on the cooperation-permit application (a grant runs at least six months).</summary>
/// <param name="ApplicationId">The application decided on.</param>
/// <param name="Outcome">Granted or Rejected.</param>
/// <param name="DecisionRef">Migrationsverket's decision reference.</param>
/// <param name="ValidFrom">First day (when granted).</param>
/// <param name="ValidTo">Last day (when granted).</param>
/// <param name="RejectionReason">Why (when rejected). No identifying details.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RecordCooperationPermitDecision(
    [property: Required] Guid? ApplicationId,
    [property: Required] DecisionOutcome? Outcome,
    [property: Required] string? DecisionRef,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    string? RejectionReason) : CaseCommand<ResidencePermitView>, IPermitDecision;

/// <summary>Request renewal of the cooperation permit as investigation leader, with the four conditions reconfirmed.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record RequestCooperationPermitRenewal(
    bool NeededForInvestigationOrTrial,
    bool ClearWillingnessToCooperate,
    bool BrokenTiesWithSuspects,
    bool NoPublicOrderObjection) : CaseCommand<ResidencePermitView>;

/// <summary>Record Migrationsverket's decision on the renewal.</summary>
/// <param name="Outcome">Granted or Rejected.</param>
/// <param name="DecisionRef">Migrationsverket's decision reference.</param>
/// <param name="NewValidTo">The new last day (when granted).</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RecordCooperationPermitRenewalDecision(
    [property: Required] DecisionOutcome? Outcome,
    [property: Required] string? DecisionRef,
    DateOnly? NewValidTo) : CaseCommand<ResidencePermitView>, IProlongationDecision;

/// <summary>
/// R20: correct the recorded grant (a wrong date or decision reference) with a compensating event. Only the Migrationsverket
/// organisation that recorded the decision, and only while the permit runs (not once a revocation is proposed).
/// </summary>
/// <param name="DecisionRef">The decision reference as it should have been recorded.</param>
/// <param name="ValidFrom">First day, as decided.</param>
/// <param name="ValidTo">Last day, as decided (at least six months, the last day inclusive).</param>
/// <param name="Reason">What was wrong. No identifying details.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record CorrectCooperationPermitDecision(
    [property: Required] string? DecisionRef,
    [property: Required] DateOnly? ValidFrom,
    [property: Required] DateOnly? ValidTo,
    [property: Required] string? Reason) : CaseCommand<ResidencePermitView>, IPermitCorrection;

/// <summary>
/// R20: retract the recorded decision (grant or rejection); the application awaits a decision again. Only the
/// Migrationsverket organisation that recorded it, while the permit runs or until a new application follows a rejection.
/// </summary>
/// <param name="Reason">Why the decision is retracted. No identifying details.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RetractCooperationPermitDecision([property: Required] string? Reason) : CaseCommand<ResidencePermitView>;

/// <summary>
/// Report that a condition of the running cooperation permit no longer holds (R5), e.g. contact with the suspects resumed:
/// the investigation leader and Migrationsverket get a task to consider proposing revocation. The permit is unchanged.
/// </summary>
/// <param name="Condition">The condition that stopped holding.</param>
/// <param name="Reason">What was observed. No identifying details.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency, OrgType.SocialServices, OrgType.RegionalCoordinator)]
public sealed record ReportCooperationConditionUnmet(
    [property: Required] CooperationCondition? Condition,
    [property: Required] string? Reason) : CaseCommand<ResidencePermitView>;

/// <summary>Propose revocation because a condition no longer holds (R5), e.g. contact with the suspects resumed.</summary>
/// <param name="ConditionNoLongerMet">The condition that stopped holding.</param>
/// <param name="Reason">What happened. No identifying details.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency)]
public sealed record ProposeCooperationPermitRevocation(
    [property: Required] CooperationCondition? ConditionNoLongerMet,
    [property: Required] string? Reason) : CaseCommand<ResidencePermitView>;

/// <summary>Record Migrationsverket's decision on the proposed revocation.</summary>
/// <param name="Revoked">Whether the permit is revoked (otherwise it stands).</param>
/// <param name="DecisionRef">Migrationsverket's decision reference.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RecordCooperationPermitRevocationDecision(
    bool Revoked,
    [property: Required] string? DecisionRef) : CaseCommand<ResidencePermitView>;

public sealed class SubmitCooperationPermitApplicationValidator : AbstractValidator<SubmitCooperationPermitApplication>
{
    public SubmitCooperationPermitApplicationValidator() => RuleFor(x => x.PreliminaryInvestigationId).NotNull().NotEqual(Guid.Empty);
}

public sealed class RecordCooperationPermitDecisionValidator : PermitDecisionValidator<RecordCooperationPermitDecision>;

public sealed class RecordCooperationPermitRenewalDecisionValidator : ProlongationDecisionValidator<RecordCooperationPermitRenewalDecision>;

public sealed class ReportCooperationConditionUnmetValidator : AbstractValidator<ReportCooperationConditionUnmet>
{
    public ReportCooperationConditionUnmetValidator()
    {
        RuleFor(x => x.Condition).NotNull().IsInEnum();
        RuleFor(x => x.Reason).NotEmpty().CaseText();
    }
}

public sealed class ProposeCooperationPermitRevocationValidator : AbstractValidator<ProposeCooperationPermitRevocation>
{
    public ProposeCooperationPermitRevocationValidator()
    {
        RuleFor(x => x.ConditionNoLongerMet).NotNull().IsInEnum();
        RuleFor(x => x.Reason).NotEmpty().CaseText();
    }
}

public sealed class RecordCooperationPermitRevocationDecisionValidator : AbstractValidator<RecordCooperationPermitRevocationDecision>
{
    public RecordCooperationPermitRevocationDecisionValidator() => RuleFor(x => x.DecisionRef).Reference();
}

public sealed class CorrectCooperationPermitDecisionValidator : PermitCorrectionValidator<CorrectCooperationPermitDecision>;

public sealed class RetractCooperationPermitDecisionValidator : AbstractValidator<RetractCooperationPermitDecision>
{
    public RetractCooperationPermitDecisionValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}
