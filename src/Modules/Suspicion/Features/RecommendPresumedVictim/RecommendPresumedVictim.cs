using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;

namespace Referral.Modules.Suspicion.Features;

/// <summary>Recommend that social services or the regional coordinator declare the person a presumed victim.</summary>
/// <param name="Reason">Why. No identifying details.</param>
[AllowedOrganisations(OrgType.NGO, OrgType.HealthCare, OrgType.WorkEnvironmentAuthority)]
public sealed record RecommendPresumedVictim(
    [property: Required] string? Reason) : CaseCommand<SuspicionView>;

public sealed class RecommendPresumedVictimValidator : AbstractValidator<RecommendPresumedVictim>
{
    public RecommendPresumedVictimValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}
