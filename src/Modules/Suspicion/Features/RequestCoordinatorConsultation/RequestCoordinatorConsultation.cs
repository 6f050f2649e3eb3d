using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>
/// Consult a regional coordinator (regionkoordinator) about the case, which puts it under assessment. For an adult
/// this is a referral with personal data and needs consent covering referral to a coordinator (rule R11); without
/// consent use an anonymous consultation instead.
/// </summary>
/// <param name="CoordinatorOrgId">The coordinator's organisation id; it then takes part in the case.</param>
[ReportingOrganisations]
public sealed record RequestCoordinatorConsultation(
    [property: Required] string? CoordinatorOrgId) : CaseCommand<SuspicionView>;

public sealed class RequestCoordinatorConsultationValidator : AbstractValidator<RequestCoordinatorConsultation>
{
    public RequestCoordinatorConsultationValidator() => RuleFor(x => x.CoordinatorOrgId).OrganisationId();
}
