using Mediator;

namespace Referral.BuildingBlocks.Behaviors;

/// <summary>
/// One span per command or query, named after it (e.g. <c>RecordConsent</c>), between the HTTP span and the store's —
/// so a trace reads HTTP → command → Marten → PostgreSQL. No attributes beyond the message's name.
/// </summary>
public sealed class TracingBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.Source.StartActivity(typeof(TMessage).Name);
        activity?.SetTag("referral.message.kind", message is IBaseCommand ? "command" : "query");
        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception e)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }
}
