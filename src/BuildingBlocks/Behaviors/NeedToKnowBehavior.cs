using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Behaviors;

/// <summary>
/// Need-to-know on the one write path, before anything else: a command on a case, an investigation or a claim runs
/// only for an organisation that takes part in it; anyone else is answered 404 exactly as for an unknown id — no state,
/// no allowed actions, nothing appended. Reads of a stream named by the message are checked here too (participants and
/// auditors); case reads check the same participation in their batched read path (<see cref="ICaseAccess"/>).
/// </summary>
public sealed class NeedToKnowBehavior<TMessage, TResponse>(ICurrentActor current, IEnumerable<IStreamNeedToKnow> kinds, IQuerySession session, IDocumentSession writing)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        foreach (var kind in kinds)
        {
            if (kind.StreamOf(message) is not { } streamId)
            {
                continue;
            }

            if (message is IBaseCommand)
            {
                if (current.Actor.OrgType == Contracts.OrgType.Auditor)
                {
                    // Auditors read every stream (so a 404 would hide nothing from them) and act on none.
                    throw new Errors.ForbiddenException("Auditors read every case, investigation and claim, and act on none.");
                }

                // In the command's own session, so what the check reads serves the write path too (ADR 0010).
                await kind.EnsureTakesPartAsync(writing, streamId, current.Actor, cancellationToken);
            }
            else if (AllowedOrganisations.IsAllowed(typeof(TMessage), current.Actor.OrgType))
            {
                // A read by a type that may never read this kind of data is refused by type (403, revealing nothing about
                // the stream) in the next behaviour; otherwise participation decides.
                await kind.EnsureMayReadAsync(session, streamId, current.Actor, cancellationToken);
            }
        }

        return await next(message, cancellationToken);
    }
}
