using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>Record an adult's consent (samtycke), its scope, or its withdrawal (rule R11).</summary>
/// <param name="Status">Given, Refused or Withdrawn.</param>
/// <param name="Scope">What the consent covers; required when the status is Given.</param>
/// <param name="Language">ISO 639 code of the language the consent was given in.</param>
/// <param name="InterpreterUsed">Whether an interpreter was used.</param>
[ReportingOrganisations]
public sealed record RecordConsent(
    [property: Required] ConsentStatus? Status,
    IReadOnlyList<ConsentScope>? Scope,
    [property: Required] string? Language,
    bool InterpreterUsed) : CaseCommand<SuspicionView>;

public sealed class RecordConsentValidator : AbstractValidator<RecordConsent>
{
    public RecordConsentValidator()
    {
        RuleFor(x => x.Status).NotNull().IsInEnum()
            .Must(s => s is ConsentStatus.Given or ConsentStatus.Refused or ConsentStatus.Withdrawn)
            .WithMessage("'Status' must be Given, Refused or Withdrawn.");
        RuleFor(x => x.Scope).NotEmpty().When(x => x.Status == ConsentStatus.Given)
            .WithMessage("'Scope' must name at least one use when consent is given.");
        RuleFor(x => x.Scope).Distinct();
        RuleForEach(x => x.Scope).IsInEnum();
        RuleFor(x => x.Language).NotEmpty().LanguageCode();
    }
}
