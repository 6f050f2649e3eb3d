using Mediator;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Behaviors;

/// <summary>
/// Deny by default: a command or query runs only when the caller's organisation type is listed in its
/// <see cref="AllowedOrganisationsAttribute"/>. A message without the attribute runs for nobody.
/// </summary>
public sealed class AuthorizationBehavior<TMessage, TResponse>(ICurrentActor current) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var allowed = AllowedOrganisations.For(typeof(TMessage));
        if (!allowed.Contains(actor.OrgType))
        {
            var who = allowed.Count == 0 ? "no organisation type" : string.Join(", ", allowed.Order());
            throw new ForbiddenException(
                $"Organisation type {actor.OrgType} may not perform {typeof(TMessage).Name}. Allowed: {who}.");
        }

        return next(message, cancellationToken);
    }
}
