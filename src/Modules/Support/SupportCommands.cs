using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Support.Contracts;

namespace Referral.Modules.Support;

/// <summary>
/// Start support before a declaration, when the person is in acute danger (support also starts by itself when the case
/// is declared a presumed victim). Social services decide; police and health care may record it.
/// </summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.Police, OrgType.HealthCare)]
public sealed record StartSupport(bool AcuteDanger) : CaseCommand<SupportView>;

/// <summary>Move from the acute to the initial phase: the acute needs are met, or the acute phase has lasted its minimum.</summary>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record StartInitialPhase(bool AcuteNeedsMet) : CaseCommand<SupportView>;

/// <summary>Move to long-term support: the reflection period is over (ended, expired or converted), or the initial phase has lasted its minimum.</summary>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record StartLongTermPhase : CaseCommand<SupportView>;

/// <summary>End support, with the reason.</summary>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record EndSupport([property: Required] SupportEndReason? Reason) : CaseCommand<SupportView>;

/// <summary>Record information given to the person: checklist items and the language (ISO 639) it was given in.</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.Police, OrgType.RegionalCoordinator, OrgType.NGO)]
public sealed record RecordInformationGiven([property: Required] IReadOnlyList<InformationItem>? Items, [property: Required] string? Language) : CaseCommand<SupportView>;

/// <summary>Record a risk assessment (risk of further violence, protection needs) and when it is reviewed.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record RecordRiskAssessment([property: Required] ProtectionRiskLevel? Level, [property: Required] DateOnly? ReviewBy) : CaseCommand<SupportView>;

/// <summary>Request a service from a provider organisation; the answer names the new service line.</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare, OrgType.NGO, OrgType.RegionalCoordinator)]
public sealed record RequestService([property: Required] ServiceType? Type, [property: Required] string? ProviderOrgId) : CaseCommand<SupportView>;

/// <summary>
/// Decide a requested service. Social services decide social services (SoL, LVU, LVM), health care decides its own care,
/// an NGO only its own services at its own cost; anything else is 403. A reimbursable line needs a decision reference
/// and a statute reference (R19: data written the Swedish way, e.g. "SoL 4 kap. 1 §").
/// </summary>
/// <param name="CostAmount">SEK for the period, two decimals at most; never negative.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare, OrgType.NGO)]
public sealed record DecideService(
    [property: Required] Guid? ServiceLineId,
    bool Granted,
    [property: Required] FundingBasis? FundingBasis,
    string? DecisionRef,
    string? StatuteRef,
    bool Reimbursable,
    DateOnly? From,
    DateOnly? To,
    decimal? CostAmount) : CaseCommand<SupportView>;

/// <summary>
/// R20: correct the decision on a service line (references, reimbursability, period, cost) with a compensating event. Only
/// the organisation that decided it, while the line is granted or active.
/// </summary>
/// <param name="CostAmount">SEK for the period, two decimals at most; never negative.</param>
/// <param name="Reason">What was wrong. No identifying details.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare, OrgType.NGO)]
public sealed record CorrectServiceDecision(
    [property: Required] Guid? ServiceLineId,
    string? DecisionRef,
    string? StatuteRef,
    bool Reimbursable,
    [property: Required] DateOnly? From,
    DateOnly? To,
    decimal? CostAmount,
    [property: Required] string? Reason) : CaseCommand<SupportView>;

/// <summary>
/// R20: retract the decision on a service line; the line is requested again. Only the organisation that decided it, before
/// the service starts (a granted line) or any time for a rejection.
/// </summary>
/// <param name="Reason">Why. No identifying details.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare, OrgType.NGO)]
public sealed record RetractServiceDecision([property: Required] Guid? ServiceLineId, [property: Required] string? Reason) : CaseCommand<SupportView>;

/// <summary>Record that a granted service began.</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare, OrgType.NGO)]
public sealed record StartService([property: Required] Guid? ServiceLineId, [property: Required] DateOnly? StartedOn) : CaseCommand<SupportView>;

/// <summary>Record that a service ended (or a granted one will not start).</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare, OrgType.NGO)]
public sealed record EndService([property: Required] Guid? ServiceLineId, [property: Required] DateOnly? EndedOn) : CaseCommand<SupportView>;

public sealed class EndSupportValidator : AbstractValidator<EndSupport>
{
    public EndSupportValidator() => RuleFor(x => x.Reason).NotNull().IsInEnum();
}

public sealed class RecordInformationGivenValidator : AbstractValidator<RecordInformationGiven>
{
    public RecordInformationGivenValidator()
    {
        RuleFor(x => x.Items).NotEmpty();
        RuleFor(x => x.Items).Distinct();
        RuleForEach(x => x.Items).IsInEnum();
        RuleFor(x => x.Language).NotEmpty().LanguageCode();
    }
}

public sealed class RecordRiskAssessmentValidator : AbstractValidator<RecordRiskAssessment>
{
    public RecordRiskAssessmentValidator(TimeProvider clock)
    {
        RuleFor(x => x.Level).NotNull().IsInEnum();
        RuleFor(x => x.ReviewBy).NotNull().Must(d => d > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage("'Review By' must be a date after today.");
    }
}

public sealed class RequestServiceValidator : AbstractValidator<RequestService>
{
    public RequestServiceValidator()
    {
        RuleFor(x => x.Type).NotNull().IsInEnum();
        RuleFor(x => x.ProviderOrgId).OrganisationId();
    }
}

public sealed class DecideServiceValidator : AbstractValidator<DecideService>
{
    public DecideServiceValidator()
    {
        RuleFor(x => x.ServiceLineId).NotNull();
        RuleFor(x => x.FundingBasis).NotNull().IsInEnum();
        RuleFor(x => x.DecisionRef).Reference().When(x => x.DecisionRef is not null);
        RuleFor(x => x.StatuteRef).StatuteReference().When(x => x.StatuteRef is not null);
        RuleFor(x => x.CostAmount).Sek()
            .WithMessage("'Cost Amount' must be SEK from 0 with at most two decimals.");
        RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From).When(x => x.From is not null && x.To is not null)
            .WithMessage("'To' must not be before 'From'.");
        RuleFor(x => x.From).NotNull().When(x => x.Granted).WithMessage("A granted service needs 'From'.");
        RuleFor(x => x.Reimbursable).Equal(false)
            .When(x => !x.FundingBasis.IsReimbursable())
            .WithMessage("Only costs under SoL 4:1, LVU, LVM, regional health care or municipal schooling are reimbursable.");
    }
}

public sealed class CorrectServiceDecisionValidator : AbstractValidator<CorrectServiceDecision>
{
    public CorrectServiceDecisionValidator()
    {
        RuleFor(x => x.ServiceLineId).NotNull();
        RuleFor(x => x.DecisionRef).Reference().When(x => x.DecisionRef is not null);
        RuleFor(x => x.StatuteRef).StatuteReference().When(x => x.StatuteRef is not null);
        RuleFor(x => x.CostAmount).Sek().WithMessage("'Cost Amount' must be SEK from 0 with at most two decimals.");
        RuleFor(x => x.From).NotNull();
        RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From).When(x => x.From is not null && x.To is not null)
            .WithMessage("'To' must not be before 'From'.");
        RuleFor(x => x.Reason).NotEmpty().CaseText();
    }
}

public sealed class RetractServiceDecisionValidator : AbstractValidator<RetractServiceDecision>
{
    public RetractServiceDecisionValidator()
    {
        RuleFor(x => x.ServiceLineId).NotNull();
        RuleFor(x => x.Reason).NotEmpty().CaseText();
    }
}

public sealed class StartServiceValidator : AbstractValidator<StartService>
{
    public StartServiceValidator()
    {
        RuleFor(x => x.ServiceLineId).NotNull();
        RuleFor(x => x.StartedOn).NotNull();
    }
}

public sealed class EndServiceValidator : AbstractValidator<EndService>
{
    public EndServiceValidator()
    {
        RuleFor(x => x.ServiceLineId).NotNull();
        RuleFor(x => x.EndedOn).NotNull();
    }
}
