using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Marten;
using Marten.Services.BatchQuerying;

namespace Referral.BuildingBlocks.Cases;

/// <summary>
/// The documents the inline projections of a case stream keep — one per step — and the steps' reactions to each other's
/// events. Before a command on a case saves, the write path loads every step document in one batched round trip into the
/// session's identity map, so the projections fold without loading each its own (one round trip per step otherwise;
/// measured by the benchmark's statement capture), and asks every reaction for the events its step appends in the same
/// transaction (e.g. a departure ends the running permits, R7). Modules register both with their inline projections.
/// </summary>
public static class CaseStepDocuments
{
    private static readonly ConcurrentDictionary<Type, Func<IBatchedQuery, Guid, Task>> Loaders = new();
    private static readonly ConcurrentDictionary<string, CaseReaction> Reactions = new();
    private static readonly ConditionalWeakTable<IDocumentSession, ConcurrentDictionary<Guid, long>> Preloaded = new();

    /// <summary>Whether <paramref name="state"/> is a case step's document (so its stream is a case stream).</summary>
    public static bool IsCaseStep(Type state) => Loaders.ContainsKey(state);

    /// <summary>Registers a step's reaction to events on a case (named, so registering twice keeps one).</summary>
    public static void React(string name, CaseReaction reaction) => Reactions.TryAdd(name, reaction);

    /// <summary>The events every step's reaction adds to <paramref name="events"/> on <paramref name="caseId"/>.</summary>
    public static async Task<IReadOnlyList<object>> ReactionsAsync(IDocumentSession session, Guid caseId, IReadOnlyList<object> events, CancellationToken ct)
    {
        var added = new List<object>();
        foreach (var reaction in Reactions.Values)
        {
            added.AddRange(await reaction(session, caseId, events, ct));
        }

        return added;
    }

    /// <summary>Registers a step document folded from case streams (called by each module with its inline projection).</summary>
    public static void Register<TState>() where TState : class =>
        Loaders.TryAdd(typeof(TState), (batch, id) => batch.Load<TState>(id));

    /// <summary>
    /// Before a command on a case: in one round trip, the stream's version and then every registered step document of the
    /// case (the participation check reads one of them from the identity map right after). The write path then decides on
    /// the preloaded state and appends at that version, with no read of its own (ADR 0010). The version is read first, so
    /// a document read after it is at least as new; if the stream moved on in between, the append's version check refuses
    /// the save (409/412), so a projection never folds onto a stale document.
    /// </summary>
    public static async Task PreloadForCommandAsync(IDocumentSession session, Guid caseId, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var stream = batch.Events.FetchStreamState(caseId);
        var loads = Loaders.Values.Select(load => load(batch, caseId)).ToList();
        await batch.Execute(ct);
        await Task.WhenAll(loads);
        if (await stream is { } state)
        {
            Preloaded.GetOrCreateValue(session)[caseId] = state.Version;
        }
    }

    /// <summary>The stream version read by <see cref="PreloadForCommandAsync"/> in this session, once (a second write reads again).</summary>
    public static bool TryTakePreloaded(IDocumentSession session, Guid caseId, out long version)
    {
        version = 0;
        return Preloaded.TryGetValue(session, out var versions) && versions.TryRemove(caseId, out version);
    }

    /// <summary>Loads every registered step document of <paramref name="caseId"/> but <paramref name="except"/>, in one round trip.</summary>
    public static async Task PreloadAsync(IDocumentSession session, Guid caseId, Type except, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var loads = Loaders.Where(l => l.Key != except).Select(l => l.Value(batch, caseId)).ToList();
        if (loads.Count == 0)
        {
            return;
        }

        await batch.Execute(ct);
        await Task.WhenAll(loads);
    }
}

/// <summary>A step's reaction to events appended to a case: the events it appends itself, in the same transaction.</summary>
public delegate Task<IReadOnlyList<object>> CaseReaction(IDocumentSession session, Guid caseId, IReadOnlyList<object> events, CancellationToken ct);
