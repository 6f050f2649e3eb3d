using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Cases;

/// <summary>Reads and registrations every step module does the same way.</summary>
public static class StepReads
{
    /// <summary>
    /// One step's view of a case for an actor, in one round trip: the need-to-know check and the step's document are
    /// read in the same batch; 404 when the actor may not read the case or the step has not started.
    /// </summary>
    public static async Task<TView> ReadStepAsync<TView>(this IQuerySession session, ICaseAccess access, ICaseOverviewContributor step, Guid caseId, Actor actor, CancellationToken ct)
        where TView : class
    {
        var batch = session.CreateBatchQuery();
        var mayRead = access.Enlist(batch, caseId);
        var view = step.Enlist(batch, caseId);
        await batch.Execute(ct);
        return mayRead(actor) && view(actor) is TView found ? found : throw new NotFoundException("The case");
    }

    /// <summary>Registers a step's events under their stored aliases (never the CLR names, so renames cannot break history).</summary>
    public static void MapEventAliases(this StoreOptions options, IReadOnlyDictionary<Type, string> aliases)
    {
        foreach (var (type, alias) in aliases)
        {
            options.Events.MapEventType(type, alias);
        }
    }
}

/// <summary>
/// The one reader of a case step (issue 22: a generic step reader instead of one copy per step): the step's view for the
/// caller in one round trip with the need-to-know check, its part of the case overview, and its view replayed from the
/// case's events at a past moment with the live projection's fold. A step names its document, its view and its fold.
/// </summary>
/// <typeparam name="TState">The step's document (kept by its inline projection).</typeparam>
/// <typeparam name="TView">The step's view, with the caller's allowed actions.</typeparam>
public abstract class StepReader<TState, TView>(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock) : ICaseOverviewContributor
    where TState : class
    where TView : class
{
    public abstract string Step { get; }

    /// <summary>The view of <paramref name="state"/> for <paramref name="actor"/> at <paramref name="now"/>.</summary>
    protected abstract TView View(TState state, Actor actor, DateTimeOffset now);

    /// <summary>The step's fold of one stored event (the same the inline projection applies).</summary>
    protected abstract TState? Fold(TState? state, IEvent e);

    /// <summary>The step's view of one case for the caller; 404 when the caller may not read it or the step has not started.</summary>
    protected async ValueTask<TView> ReadAsync(Guid caseId, CancellationToken ct) =>
        await session.ReadStepAsync<TView>(access, this, caseId, current.Actor, ct);

    public Func<Actor, object?> Enlist(IBatchedQuery batch, Guid caseId)
    {
        var state = batch.Load<TState>(caseId);
        return actor => state.Result is { } s ? View(s, actor, clock.GetUtcNow()) : null;
    }

    public object? Replay(IReadOnlyList<IEvent> events, Actor actor, DateTimeOffset moment) =>
        events.Aggregate((TState?)null, Fold) is { } state ? View(state, actor, moment) : null;
}

