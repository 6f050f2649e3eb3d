using Marten;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Prosecution;

/// <summary>Need-to-know of investigations: only the organisations taking part act on one; they and auditors read it; anyone else gets 404.</summary>
public sealed class InvestigationNeedToKnow : IStreamNeedToKnow
{
    public Guid? StreamOf(object message) => message is IInvestigationScoped scoped ? scoped.InvestigationId : null;

    public Task EnsureTakesPartAsync(IDocumentSession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, state => state.TakesPart(actor.OrgId), ct);

    public Task EnsureMayReadAsync(IQuerySession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, state => MayRead(state, actor), ct);

    private static async Task EnsureAsync(IQuerySession session, Guid investigationId, Func<InvestigationState, bool> allowed, CancellationToken ct)
    {
        if (await session.LoadAsync<InvestigationState>(investigationId, ct) is not { } state || !allowed(state))
        {
            throw new NotFoundException("The investigation");
        }
    }

    public static bool MayRead(InvestigationState state, Actor actor) => actor.OrgType == OrgType.Auditor || state.TakesPart(actor.OrgId);
}
