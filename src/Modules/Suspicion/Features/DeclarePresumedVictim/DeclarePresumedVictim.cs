using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>
/// Declare the person a presumed victim (förmodat offer). Not a legal status and not a criminal-law decision: it starts
/// support. NGOs, health care and the Work Environment Authority recommend instead.
/// </summary>
/// <param name="Assessment">The overall assessment (observations plus the person's own account). No identifying details.</param>
/// <param name="AgeCategory">Sets or confirms the age category; required if the case has none.</param>
/// <param name="ExploitationPurposes">Confirmed exploitation purposes; if empty, those on the case stand (at least one is required).</param>
[AssessingOrganisations]
public sealed record DeclarePresumedVictim(
    [property: Required] string? Assessment,
    AgeCategory? AgeCategory,
    IReadOnlyList<ExploitationPurpose>? ExploitationPurposes) : CaseCommand<SuspicionView>;

public sealed class DeclarePresumedVictimValidator : AbstractValidator<DeclarePresumedVictim>
{
    public DeclarePresumedVictimValidator()
    {
        RuleFor(x => x.Assessment).NotEmpty().CaseText();
        RuleFor(x => x.AgeCategory).IsInEnum();
        RuleFor(x => x.ExploitationPurposes).Distinct();
        RuleForEach(x => x.ExploitationPurposes).IsInEnum();
    }
}
