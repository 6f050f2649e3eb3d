using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Cases;

/// <summary>
/// Need-to-know for reads of one case: an organisation reads a case it takes part in (registered it, was consulted or
/// referred, or acted on it); auditors read every case. Anyone else is answered 404, so the case's existence is not
/// revealed. (Reads under a recorded legal basis by non-participants are a later addition; see issue 7.)
/// </summary>
public interface ICaseAccess
{
    /// <summary>Throws <see cref="Errors.NotFoundException"/> unless <paramref name="actor"/> may read the case.</summary>
    Task EnsureCanReadAsync(IQuerySession session, Guid caseId, Actor actor, CancellationToken ct);

    /// <summary>Of <paramref name="caseIds"/>, those <paramref name="actor"/> may read (one query, for lists).</summary>
    Task<IReadOnlySet<Guid>> ReadableAsync(IQuerySession session, IReadOnlyCollection<Guid> caseIds, Actor actor, CancellationToken ct);

    /// <summary>Adds the read check to <paramref name="batch"/>; the function answers it once the batch has run.</summary>
    Func<Actor, bool> Enlist(IBatchedQuery batch, Guid caseId);
}

/// <summary>A step's part of the case overview (<c>GET /api/v1/cases/{id}</c>), read in one batch with every other step's.</summary>
public interface ICaseOverviewContributor
{
    /// <summary>The step name, used as the key in the overview.</summary>
    string Step { get; }

    /// <summary>
    /// Adds this step's document read to <paramref name="batch"/>; the returned function makes the step's view for an
    /// actor once the batch has run, or <c>null</c> when the step has not started for this case.
    /// </summary>
    Func<Actor, object?> Enlist(IBatchedQuery batch, Guid caseId);

    /// <summary>
    /// The step's view rebuilt from the case's events up to a past moment (an auditor's replay), with the same fold the
    /// live projection uses; <c>null</c> when the step had not started.
    /// </summary>
    object? Replay(IReadOnlyList<IEvent> events, Actor actor, DateTimeOffset moment);
}
