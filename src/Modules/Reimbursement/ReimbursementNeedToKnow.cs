using Marten;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Reimbursement;

/// <summary>
/// Need-to-know of claims, checked before anything else: the claimant acts on its claim, Migrationsverket on a submitted
/// one; they and auditors read it. Anyone else gets 404, as for an unknown claim.
/// </summary>
public sealed class ClaimNeedToKnow : IStreamNeedToKnow
{
    public Guid? StreamOf(object message) => message switch
    {
        ClaimCommand command => command.ClaimId,
        GetClaim query => query.ClaimId,
        _ => null,
    };

    public Task EnsureTakesPartAsync(IDocumentSession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, claim => actor.OrgType != OrgType.Auditor && ClaimView.MaySee(claim, actor), ct);

    public Task EnsureMayReadAsync(IQuerySession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, claim => ClaimView.MaySee(claim, actor), ct);

    private static async Task EnsureAsync(IQuerySession session, Guid claimId, Func<ClaimState, bool> allowed, CancellationToken ct)
    {
        if (await session.LoadAsync<ClaimState>(claimId, ct) is not { } claim || !allowed(claim))
        {
            throw new NotFoundException("The claim");
        }
    }
}
