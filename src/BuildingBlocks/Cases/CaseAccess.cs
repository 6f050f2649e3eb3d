using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Cases;

/// <summary>
/// Need-to-know of one case (docs/manual/privacy.md): an organisation reads and acts on a case it takes part in —
/// it registered it, was designated or referred, joined under a legal basis, or takes part in a linked investigation.
/// Acting never makes it take part. Auditors read every case and act on none; other organisations read only under a
/// stated legal basis that fits them (logged). Anyone else is answered 404, so the case's existence is not revealed.
/// </summary>
public interface ICaseAccess
{
    /// <summary>Whether <paramref name="actor"/>'s organisation takes part in the case (false for an unknown case).</summary>
    Task<bool> TakesPartAsync(IQuerySession session, Guid caseId, Actor actor, CancellationToken ct);

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

/// <summary>The write-path form of the participation check.</summary>
public static class CaseAccessExtensions
{
    /// <summary>Throws <see cref="Errors.NotFoundException"/> (as for an unknown case) unless the actor's organisation takes part in the case.</summary>
    public static async Task EnsureParticipantAsync(this ICaseAccess access, IQuerySession session, Guid caseId, Actor actor, CancellationToken ct)
    {
        if (!await access.TakesPartAsync(session, caseId, actor, ct))
        {
            throw new Errors.NotFoundException("The case");
        }
    }
}
