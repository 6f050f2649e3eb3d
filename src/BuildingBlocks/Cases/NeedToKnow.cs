using Marten;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Cases;

/// <summary>A message about one case: its id comes from the route.</summary>
public interface ICaseScoped
{
    Guid CaseId { get; }
}

/// <summary>A command or read of one preliminary investigation (its own stream, with its own need-to-know).</summary>
public interface IInvestigationScoped
{
    Guid InvestigationId { get; }
}

/// <summary>
/// A message that names a joint outreach operation (its own stream): the operation's commands, and a suspicion registered
/// from an operation. Only the operation's participants may name it (the outreach module's need-to-know).
/// </summary>
public interface IOperationLinked
{
    Guid? OperationId { get; }
}

/// <summary>
/// An explicit entry route: a command an organisation that does not take part may send in order to take part (a join
/// under a legal basis). Its handler checks the route's own conditions; every other command requires participation.
/// </summary>
public interface IEntryRoute;

/// <summary>
/// Need-to-know of one kind of stream — cases, investigations, claims: who takes part. Checked for every command
/// before anything else (<see cref="Behaviors.NeedToKnowBehavior{TMessage,TResponse}"/>), so no module can forget it.
/// </summary>
public interface IStreamNeedToKnow
{
    /// <summary>The stream <paramref name="message"/> acts on, when it is of this kind; otherwise <c>null</c>.</summary>
    Guid? StreamOf(object message);

    /// <summary>
    /// Throws <see cref="Errors.NotFoundException"/> — with the same answer as an unknown id — unless
    /// <paramref name="actor"/>'s organisation takes part in the stream. <paramref name="session"/> is the command's own
    /// session, so what the check reads can serve the write that follows (ADR 0010).
    /// </summary>
    Task EnsureTakesPartAsync(IDocumentSession session, Guid streamId, Actor actor, CancellationToken ct);

    /// <summary>The read form: participants and auditors; 404 for anyone else.</summary>
    Task EnsureMayReadAsync(IQuerySession session, Guid streamId, Actor actor, CancellationToken ct);
}

/// <summary>
/// The case kind of stream: a command names its case (<see cref="ICaseScoped"/>); entry routes are checked by their
/// handlers. Case reads check the same participation in their own batched read (<see cref="StepReads"/>), so reads are not
/// <see cref="ICaseScoped"/>.
/// </summary>
public sealed class CaseNeedToKnow(ICaseAccess access) : IStreamNeedToKnow
{
    public Guid? StreamOf(object message) => message is ICaseScoped scoped and not IEntryRoute ? scoped.CaseId : null;

    public async Task EnsureTakesPartAsync(IDocumentSession session, Guid streamId, Actor actor, CancellationToken ct)
    {
        // The check reads the participation from the documents the write path needs, in one batch.
        await CaseStepDocuments.PreloadForCommandAsync(session, streamId, ct);
        await access.EnsureParticipantAsync(session, streamId, actor, ct);
    }

    public Task EnsureMayReadAsync(IQuerySession session, Guid streamId, Actor actor, CancellationToken ct) =>
        access.EnsureCanReadAsync(session, streamId, actor, ct);
}

/// <summary>Registers the need-to-know of one kind of stream.</summary>
public static class NeedToKnowRegistration
{
    public static void AddStreamNeedToKnow<T>(this Microsoft.Extensions.DependencyInjection.IServiceCollection services)
        where T : class, IStreamNeedToKnow =>
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddScoped<IStreamNeedToKnow, T>(services);
}
