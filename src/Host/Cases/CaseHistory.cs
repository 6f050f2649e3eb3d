using FluentValidation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Host.Cases;

/// <summary>The case across every step (one entry per step that has started) — now, or rebuilt as it was at a version or a time.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="AtVersion">Replay up to and including this case version.</param>
/// <param name="AsOf">Replay the events recorded up to this time.</param>
[AnyOrganisation]
public sealed record GetCaseOverview(Guid CaseId, long? AtVersion = null, DateTimeOffset? AsOf = null) : IQuery<CaseOverview>;

/// <summary>A case: its version (the ETag) and the state of each started step, keyed by step name.</summary>
public sealed record CaseOverview(Guid CaseId, long Version, IReadOnlyDictionary<string, object> Steps) : IVersionedView;

public sealed class GetCaseOverviewValidator : AbstractValidator<GetCaseOverview>
{
    public GetCaseOverviewValidator()
    {
        RuleFor(x => x.AtVersion).InclusiveBetween(1, long.MaxValue);
        RuleFor(x => x).Must(x => x.AtVersion is null || x.AsOf is null).WithName("asOf").WithMessage("Give 'atVersion' or 'asOf', not both.");
    }
}

public sealed class CaseHistoryHandler(
    IQuerySession session,
    ICurrentActor current,
    ICaseAccess access,
    IEnumerable<ICaseOverviewContributor> steps) :
    IQueryHandler<GetCaseOverview, CaseOverview>
{
    /// <summary>One round trip: the stream's version, the read check and every step's document, batched.</summary>
    public async ValueTask<CaseOverview> Handle(GetCaseOverview query, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        if (query.AtVersion is not null || query.AsOf is not null)
        {
            return await ReplayAsync(query, actor, cancellationToken);
        }

        var batch = session.CreateBatchQuery();
        var stream = batch.Events.FetchStreamState(query.CaseId);
        var mayRead = access.Enlist(batch, query.CaseId);
        var views = steps.Select(step => (step.Step, View: step.Enlist(batch, query.CaseId))).ToList();
        await batch.Execute(cancellationToken);
        if (await stream is not { } state || !mayRead(actor))
        {
            throw new NotFoundException("The case");
        }

        var result = new Dictionary<string, object>();
        foreach (var (name, view) in views)
        {
            if (view(actor) is { } stepView)
            {
                result[name] = stepView;
            }
        }

        return new CaseOverview(query.CaseId, state.Version, result);
    }

    /// <summary>Every step rebuilt by replaying the case's events up to the version or time — what the system showed then.</summary>
    private async ValueTask<CaseOverview> ReplayAsync(GetCaseOverview query, Actor actor, CancellationToken ct)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, actor, ct);
        var events = await session.Events.FetchStreamAsync(query.CaseId, version: query.AtVersion ?? 0, timestamp: query.AsOf, token: ct);
        if (events.Count == 0 || (query.AtVersion is { } at && events[^1].Version != at))
        {
            throw new NotFoundException("That version of the case");
        }

        var moment = query.AsOf ?? events[^1].Timestamp;
        var result = new Dictionary<string, object>();
        foreach (var step in steps)
        {
            if (step.Replay(events, actor, moment) is { } view)
            {
                result[step.Step] = view;
            }
        }

        return new CaseOverview(query.CaseId, events[^1].Version, result);
    }
}
