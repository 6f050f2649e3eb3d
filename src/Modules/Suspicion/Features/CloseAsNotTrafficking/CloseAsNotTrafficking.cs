using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>Close the case: the assessment found no human trafficking. It can be reopened on new information.</summary>
/// <param name="Reason">NoIndicators, OtherCrimeOnly, OtherExploitationNotTrafficking or Duplicate.</param>
/// <param name="Justification">Why. No identifying details.</param>
[AssessingOrganisations]
public sealed record CloseAsNotTrafficking(
    [property: Required] ClosureReason? Reason,
    [property: Required] string? Justification) : CaseCommand<SuspicionView>;

public sealed class CloseAsNotTraffickingValidator : AbstractValidator<CloseAsNotTrafficking>
{
    public CloseAsNotTraffickingValidator()
    {
        RuleFor(x => x.Reason).NotNull().IsInEnum();
        RuleFor(x => x.Justification).NotEmpty().CaseText();
    }
}
