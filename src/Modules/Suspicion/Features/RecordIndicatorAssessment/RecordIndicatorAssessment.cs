using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>
/// Record an assessment of indicators and methods of control. Indicators are aids only: an overall assessment is
/// always needed and missing indicators never exclude trafficking, so nothing is decided automatically.
/// </summary>
/// <param name="Indicators">Observed indicators (may be empty when a narrative is given).</param>
/// <param name="MethodsOfControl">Observed methods of control.</param>
/// <param name="ExploitationPurposes">Exploitation purposes the assessment supports, added to the case.</param>
/// <param name="Narrative">The assessment in words. Labelled free text: no identifying details.</param>
[ReportingOrganisations]
public sealed record RecordIndicatorAssessment(
    IReadOnlyList<Indicator>? Indicators,
    IReadOnlyList<MethodOfControl>? MethodsOfControl,
    IReadOnlyList<ExploitationPurpose>? ExploitationPurposes,
    string? Narrative) : CaseCommand<SuspicionView>;

public sealed class RecordIndicatorAssessmentValidator : AbstractValidator<RecordIndicatorAssessment>
{
    public RecordIndicatorAssessmentValidator()
    {
        RuleFor(x => x.Indicators).Distinct();
        RuleForEach(x => x.Indicators).IsInEnum();
        RuleFor(x => x.MethodsOfControl).Distinct();
        RuleForEach(x => x.MethodsOfControl).IsInEnum();
        RuleFor(x => x.ExploitationPurposes).Distinct();
        RuleForEach(x => x.ExploitationPurposes).IsInEnum();
        RuleFor(x => x.Narrative).CaseText();
    }
}
