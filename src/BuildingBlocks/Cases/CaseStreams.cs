using JasperFx.Events;
using Marten;
using Referral.BuildingBlocks.Errors;

namespace Referral.BuildingBlocks.Cases;

/// <summary>
/// The one write path to a case stream: fetch the step state for writing at the expected version, let a pure decider
/// turn it into events, append them, save (events and inline projections in one transaction), and return the new
/// state. A stale expected version or a racing writer surfaces as Marten's <c>ConcurrencyException</c>.
/// </summary>
public static class CaseStreams
{
    public static async Task<TState> DecideAsync<TState>(
        this IDocumentSession session,
        Guid caseId,
        long? expectedVersion,
        Func<TState, IReadOnlyList<object>> decide,
        CancellationToken ct,
        string streamName = "The case")
        where TState : class
    {
        var isCase = CaseStepDocuments.IsCaseStep(typeof(TState));
        TState? current;
        Action<IReadOnlyList<object>> append;
        var preloaded = false;
        if (isCase && CaseStepDocuments.TryTakePreloaded(session, caseId, out var read) && (expectedVersion is null || expectedVersion == read))
        {
            // Preloaded with the participation check (ADR 0010): decide on it and append at the version read then.
            current = await session.LoadAsync<TState>(caseId, ct);
            append = events => session.Events.Append(caseId, read + events.Count, events);
            preloaded = true;
        }
        else
        {
            // No check ran in this session (the deadline service, retention, entry routes), or the caller's If-Match
            // differs from what was read: the checked fetch answers as Marten does (412 for a stale If-Match).
            var stream = expectedVersion is { } version
                ? await session.Events.FetchForWriting<TState>(caseId, version, ct)
                : await session.Events.FetchForWriting<TState>(caseId, ct);
            current = stream.Aggregate;
            append = stream.AppendMany;
        }

        var decided = decide(current ?? throw new NotFoundException(streamName));
        if (decided.Count > 0)
        {
            if (isCase)
            {
                if (!preloaded)
                {
                    // After the fetch, so the documents are at least as new as the version it read.
                    await CaseStepDocuments.PreloadAsync(session, caseId, typeof(TState), ct);
                }

                decided = [.. decided, .. await CaseStepDocuments.ReactionsAsync(session, caseId, decided, ct)];
            }

            append(decided);
        }

        await session.SaveChangesAsync(ct);
        return await session.Events.FetchLatest<TState>(caseId, ct)
            ?? throw new InvalidOperationException($"{streamName}'s state was not projected.");
    }

    /// <summary>Starts a new case stream (Guid v7 id) with its first events and returns the projected state.</summary>
    public static async Task<TState> StartAsync<TState>(
        this IDocumentSession session,
        Guid caseId,
        IReadOnlyList<object> events,
        CancellationToken ct)
        where TState : class
    {
        session.Events.StartStream<TState>(caseId, events.ToArray());
        await session.SaveChangesAsync(ct);
        return await session.Events.FetchLatest<TState>(caseId, ct)
            ?? throw new InvalidOperationException("The case state was not projected.");
    }

    /// <summary>The metadata a step's fold needs from a stored event (version, time, acting organisation and type).</summary>
    public static EventInfo Info(this IEvent e) =>
        new(e.Version, e.Timestamp, e.Header(EventHeaders.OrgId),
            Enum.TryParse<Referral.BuildingBlocks.Contracts.OrgType>(e.Header(EventHeaders.OrgType), out var type) ? type : null);

    /// <summary>The metadata header <paramref name="name"/> of an event, or <c>null</c>.</summary>
    public static string? Header(this IEvent e, string name) =>
        e.Headers is not null && e.Headers.TryGetValue(name, out var value) ? value?.ToString() : null;
}
