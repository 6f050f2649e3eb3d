using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.ReflectionPeriod.Contracts;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>
/// Assess eligibility for a 5 kap. 15 § permit (R2). The outcome follows from the case: the person must be declared a
/// presumed victim, and without a right to stay (EU citizens without a right of residence included) the period is
/// applicable; otherwise it is recorded as not applicable.
/// </summary>
/// <param name="PersonWishesReflection">Whether the person wishes time to recover and reflect.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.Police, OrgType.Prosecution, OrgType.RegionalCoordinator)]
public sealed record AssessReflectionEligibility(bool PersonWishesReflection) : CaseCommand<ResidencePermitView>;

/// <summary>
/// Apply to Migrationsverket for a reflection period (R1). Police or a prosecutor apply as investigation leader (form
/// 194011) and must name the preliminary investigation; social services apply as the social welfare board (form
/// 195011, since 1 Aug 2022) and need none. The route follows from the caller's organisation type.
/// </summary>
/// <param name="PreliminaryInvestigationId">The preliminary investigation (förundersökning) the case takes part in; required for an investigation leader.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.SocialServices)]
public sealed record SubmitReflectionApplication(Guid? PreliminaryInvestigationId) : CaseCommand<ResidencePermitView>;

/// <summary>A Migrationsverket decision on a permit application: granted with dates as decided, or rejected with a reason.</summary>
public interface IPermitDecision
{
    Guid? ApplicationId { get; }
    DecisionOutcome? Outcome { get; }
    string? DecisionRef { get; }
    DateOnly? ValidFrom { get; }
    DateOnly? ValidTo { get; }
    string? RejectionReason { get; }
}

/// <summary>Record Migrationsverket's decision on the reflection-period application. Dates are taken as decided, never computed (R6).</summary>
/// <param name="ApplicationId">The application decided on.</param>
/// <param name="Outcome">Granted or Rejected.</param>
/// <param name="DecisionRef">Migrationsverket's decision reference.</param>
/// <param name="ValidFrom">First day of the period (when granted).</param>
/// <param name="ValidTo">Last day of the period (when granted).</param>
/// <param name="RejectionReason">Why (when rejected). No identifying details.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RecordReflectionDecision(
    [property: Required] Guid? ApplicationId,
    [property: Required] DecisionOutcome? Outcome,
    [property: Required] string? DecisionRef,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    string? RejectionReason) : CaseCommand<ResidencePermitView>, IPermitDecision;

/// <summary>
/// R20: correct the recorded grant (a wrong date or decision reference) with a compensating event. Only the Migrationsverket
/// organisation that recorded the decision, and only while the period runs.
/// </summary>
/// <param name="DecisionRef">The decision reference as it should have been recorded.</param>
/// <param name="ValidFrom">First day, as decided.</param>
/// <param name="ValidTo">Last day, as decided.</param>
/// <param name="Reason">What was wrong. No identifying details.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record CorrectReflectionDecision(
    [property: Required] string? DecisionRef,
    [property: Required] DateOnly? ValidFrom,
    [property: Required] DateOnly? ValidTo,
    [property: Required] string? Reason) : CaseCommand<ResidencePermitView>, IPermitCorrection;

/// <summary>A correction of a recorded permit grant (R20): what it should have said, and why.</summary>
public interface IPermitCorrection
{
    string? DecisionRef { get; }
    DateOnly? ValidFrom { get; }
    DateOnly? ValidTo { get; }
    string? Reason { get; }
}

/// <summary>
/// R20: retract the recorded decision (grant or rejection); the application awaits a decision again. Only the
/// Migrationsverket organisation that recorded it, and only while a granted period runs or until a new application follows a rejection.
/// </summary>
/// <param name="Reason">Why the decision is retracted. No identifying details.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RetractReflectionDecision([property: Required] string? Reason) : CaseCommand<ResidencePermitView>;

/// <summary>Request an extension of the running period on special reasons (särskilda skäl), with its conditions still met.</summary>
/// <param name="SpecialReasons">The special reasons. No identifying details.</param>
/// <param name="ConditionsStillMet">The investigation need and public order conditions still hold.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.SocialServices)]
public sealed record RequestReflectionExtension(
    [property: Required] string? SpecialReasons,
    bool ConditionsStillMet) : CaseCommand<ResidencePermitView>;

/// <summary>A Migrationsverket decision on an extension or renewal: granted with the new last day, or rejected.</summary>
public interface IProlongationDecision
{
    DecisionOutcome? Outcome { get; }
    string? DecisionRef { get; }
    DateOnly? NewValidTo { get; }
}

/// <summary>Record Migrationsverket's decision on the extension request.</summary>
/// <param name="Outcome">Granted or Rejected.</param>
/// <param name="DecisionRef">Migrationsverket's decision reference.</param>
/// <param name="NewValidTo">The new last day (when granted).</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RecordReflectionExtensionDecision(
    [property: Required] DecisionOutcome? Outcome,
    [property: Required] string? DecisionRef,
    DateOnly? NewValidTo) : CaseCommand<ResidencePermitView>, IProlongationDecision;

/// <summary>End the reflection period before its last day (e.g. the person declined further reflection or went home).</summary>
/// <param name="Reason">Why the period ends early.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.Police, OrgType.Prosecution, OrgType.RegionalCoordinator)]
public sealed record EndReflectionPeriodEarly([property: Required] EarlyEndReason? Reason) : CaseCommand<ResidencePermitView>;

/// <summary>Shared rules of permit decisions (reflection period and cooperation permit).</summary>
public abstract class PermitDecisionValidator<T> : AbstractValidator<T>
    where T : IPermitDecision
{
    protected PermitDecisionValidator()
    {
        RuleFor(x => x.ApplicationId).NotNull();
        RuleFor(x => x.Outcome).NotNull().IsInEnum();
        RuleFor(x => x.DecisionRef).Reference();
        When(x => x.Outcome == DecisionOutcome.Granted, () =>
        {
            RuleFor(x => x.ValidFrom).NotNull();
            RuleFor(x => x.ValidTo).NotNull();
            RuleFor(x => x.ValidTo).GreaterThanOrEqualTo(x => x.ValidFrom).When(x => x.ValidFrom is not null && x.ValidTo is not null)
                .WithMessage("'Valid To' must not be before 'Valid From'.");
            RuleFor(x => x.RejectionReason).Null().WithMessage("'Rejection Reason' belongs to a rejection.");
        });
        When(x => x.Outcome == DecisionOutcome.Rejected, () =>
        {
            RuleFor(x => x.RejectionReason).NotEmpty().CaseText();
            RuleFor(x => x.ValidFrom).Null().WithMessage("'Valid From' belongs to a grant.");
            RuleFor(x => x.ValidTo).Null().WithMessage("'Valid To' belongs to a grant.");
        });
    }
}

/// <summary>Shared rules of extension and renewal decisions.</summary>
public abstract class ProlongationDecisionValidator<T> : AbstractValidator<T>
    where T : IProlongationDecision
{
    protected ProlongationDecisionValidator()
    {
        RuleFor(x => x.Outcome).NotNull().IsInEnum();
        RuleFor(x => x.DecisionRef).Reference();
        RuleFor(x => x.NewValidTo).NotNull().When(x => x.Outcome == DecisionOutcome.Granted)
            .WithMessage("'New Valid To' is required when granted.");
        RuleFor(x => x.NewValidTo).Null().When(x => x.Outcome == DecisionOutcome.Rejected)
            .WithMessage("'New Valid To' belongs to a grant.");
    }
}

public sealed class RecordReflectionDecisionValidator : PermitDecisionValidator<RecordReflectionDecision>;

public sealed class RecordReflectionExtensionDecisionValidator : ProlongationDecisionValidator<RecordReflectionExtensionDecision>;

public sealed class RequestReflectionExtensionValidator : AbstractValidator<RequestReflectionExtension>
{
    public RequestReflectionExtensionValidator() => RuleFor(x => x.SpecialReasons).NotEmpty().CaseText();
}

public sealed class EndReflectionPeriodEarlyValidator : AbstractValidator<EndReflectionPeriodEarly>
{
    public EndReflectionPeriodEarlyValidator() => RuleFor(x => x.Reason).NotNull().IsInEnum();
}

/// <summary>The rules of every permit correction (R20): a reference, both dates in order, a reason.</summary>
public abstract class PermitCorrectionValidator<T> : AbstractValidator<T>
    where T : IPermitCorrection
{
    protected PermitCorrectionValidator()
    {
        RuleFor(x => x.DecisionRef).Reference();
        RuleFor(x => x.ValidFrom).NotNull();
        RuleFor(x => x.ValidTo).NotNull().GreaterThanOrEqualTo(x => x.ValidFrom).When(x => x.ValidFrom is not null)
            .WithMessage("'Valid To' must not be before 'Valid From'.");
        RuleFor(x => x.Reason).NotEmpty().CaseText();
    }
}

public sealed class CorrectReflectionDecisionValidator : PermitCorrectionValidator<CorrectReflectionDecision>;

public sealed class RetractReflectionDecisionValidator : AbstractValidator<RetractReflectionDecision>
{
    public RetractReflectionDecisionValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}
