using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>Record that contact with the person is lost. The case can be reopened when contact is regained.</summary>
/// <param name="LastContactAt">When there was last contact, if known; never in the future.</param>
[ReportingOrganisations]
public sealed record MarkContactLost(DateTimeOffset? LastContactAt) : CaseCommand<SuspicionView>;

public sealed class MarkContactLostValidator : AbstractValidator<MarkContactLost>
{
    public MarkContactLostValidator(TimeProvider clock) =>
        RuleFor(x => x.LastContactAt).Must(t => t is null || t <= clock.GetUtcNow().AddMinutes(5))
            .WithMessage("'Last Contact At' must not be in the future.");
}
