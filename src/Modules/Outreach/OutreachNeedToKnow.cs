using Marten;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Outreach;

/// <summary>
/// Need-to-know of operations, checked before anything else: the participating organisations act on an operation (and
/// register cases from it); they and auditors read it. Anyone else gets 404, as for an unknown operation.
/// </summary>
public sealed class OperationNeedToKnow : IStreamNeedToKnow
{
    public Guid? StreamOf(object message) => message switch
    {
        IOperationLinked { OperationId: { } operationId } => operationId,
        GetOperation query => query.OperationId,
        _ => null,
    };

    public Task EnsureTakesPartAsync(IDocumentSession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, operation => operation.TakesPart(actor.OrgId), ct);

    public Task EnsureMayReadAsync(IQuerySession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, operation => OperationView.MaySee(operation, actor), ct);

    private static async Task EnsureAsync(IQuerySession session, Guid operationId, Func<OutreachState, bool> allowed, CancellationToken ct)
    {
        if (await session.LoadAsync<OutreachState>(operationId, ct) is not { } operation || !allowed(operation))
        {
            throw new NotFoundException("The operation");
        }
    }
}
