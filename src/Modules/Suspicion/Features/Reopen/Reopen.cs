using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>Reopen a case closed as not trafficking, or one where contact was lost, on new information.</summary>
/// <param name="NewInformation">What is new. No identifying details.</param>
[AssessingOrganisations]
public sealed record Reopen(
    [property: Required] string? NewInformation) : CaseCommand<SuspicionView>;

public sealed class ReopenValidator : AbstractValidator<Reopen>
{
    public ReopenValidator() => RuleFor(x => x.NewInformation).NotEmpty().CaseText();
}
