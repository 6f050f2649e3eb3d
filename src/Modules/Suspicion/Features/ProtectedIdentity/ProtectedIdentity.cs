using FluentValidation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>
/// Record that the person has, or no longer has, protected personal data (skyddade personuppgifter, decided by
/// Skatteverket). While set, the municipality is hidden from everyone not taking part in the case, auditors included.
/// </summary>
/// <param name="Protected">Whether the person's data are protected.</param>
[AssessingOrganisations]
public sealed record SetProtectedIdentity(bool? Protected) : CaseCommand<SuspicionView>;

public sealed class SetProtectedIdentityValidator : AbstractValidator<SetProtectedIdentity>
{
    public SetProtectedIdentityValidator() => RuleFor(x => x.Protected).NotNull();
}

/// <summary>Only an organisation taking part in the case records the flag (checked before the handler); setting the current value appends nothing.</summary>
public sealed class SetProtectedIdentityHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock)
    : ICommandHandler<SetProtectedIdentity, SuspicionView>
{
    public async ValueTask<SuspicionView> Handle(SetProtectedIdentity command, CancellationToken ct)
    {
        var actor = current.Actor;
        var state = await session.DecideAsync<SuspicionState>(command.CaseId, command.ExpectedVersion, s =>
            s.ProtectedIdentity == command.Protected ? []
            : [new ProtectedIdentitySet(s.Id, command.Protected!.Value, clock.GetUtcNow())], ct);
        return SuspicionView.From(state, actor);
    }
}
