using FluentValidation;
using Referral.BuildingBlocks.Cases;

namespace Referral.Modules.Suspicion;

/// <summary>Report that the person is missing (R12): the reflection period is suspended and other steps react.</summary>
/// <param name="MissingSince">Since when, if known (defaults to now); never in the future.</param>
[ReportingOrganisations]
public sealed record ReportPersonMissing(DateTimeOffset? MissingSince) : CaseCommand<SuspicionView>;

/// <summary>Report that a person reported missing was found; the steps resume.</summary>
/// <param name="FoundAt">When, if known (defaults to now); never in the future.</param>
[ReportingOrganisations]
public sealed record ReportPersonFound(DateTimeOffset? FoundAt) : CaseCommand<SuspicionView>;

public sealed class ReportPersonMissingValidator : AbstractValidator<ReportPersonMissing>
{
    public ReportPersonMissingValidator(TimeProvider clock) =>
        RuleFor(x => x.MissingSince).Must(t => t is null || t <= clock.GetUtcNow().AddMinutes(5)).WithMessage("'Missing Since' must not be in the future.");
}

public sealed class ReportPersonFoundValidator : AbstractValidator<ReportPersonFound>
{
    public ReportPersonFoundValidator(TimeProvider clock) =>
        RuleFor(x => x.FoundAt).Must(t => t is null || t <= clock.GetUtcNow().AddMinutes(5)).WithMessage("'Found At' must not be in the future.");
}
