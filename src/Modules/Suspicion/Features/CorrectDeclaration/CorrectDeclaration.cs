using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>
/// R20: correct the presumed-victim declaration (its age category or exploitation purposes) with a compensating event —
/// the original stays in the history. Only the organisation that declared, while the person is a presumed victim.
/// </summary>
/// <param name="AgeCategory">The age category as it should have been declared.</param>
/// <param name="ExploitationPurposes">The exploitation purposes as they should have been declared (at least one).</param>
/// <param name="Reason">What was wrong. No identifying details.</param>
[AssessingOrganisations]
public sealed record CorrectPresumedVictimDeclaration(
    [property: Required] AgeCategory? AgeCategory,
    [property: Required] IReadOnlyList<ExploitationPurpose>? ExploitationPurposes,
    [property: Required] string? Reason) : CaseCommand<SuspicionView>;

/// <summary>
/// R20: retract the presumed-victim declaration (e.g. made on the wrong case); the case is under assessment again. Only the
/// organisation that declared, while the person is a presumed victim. Decisions other steps took on it stand.
/// </summary>
/// <param name="Reason">Why. No identifying details.</param>
[AssessingOrganisations]
public sealed record RetractPresumedVictimDeclaration([property: Required] string? Reason) : CaseCommand<SuspicionView>;

public sealed class CorrectPresumedVictimDeclarationValidator : AbstractValidator<CorrectPresumedVictimDeclaration>
{
    public CorrectPresumedVictimDeclarationValidator()
    {
        RuleFor(x => x.AgeCategory).NotNull().IsInEnum();
        RuleFor(x => x.ExploitationPurposes).NotEmpty().Distinct();
        RuleForEach(x => x.ExploitationPurposes).IsInEnum();
        RuleFor(x => x.Reason).NotEmpty().CaseText();
    }
}

public sealed class RetractPresumedVictimDeclarationValidator : AbstractValidator<RetractPresumedVictimDeclaration>
{
    public RetractPresumedVictimDeclarationValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}
