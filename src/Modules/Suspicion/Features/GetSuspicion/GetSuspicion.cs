using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>The suspicion step of one case with the caller's allowed actions.</summary>
[AnyOrganisation]
public sealed record GetSuspicion(Guid CaseId) : IQuery<SuspicionView>;

public sealed class GetSuspicionHandler(IQuerySession session, ICurrentActor current) : IQueryHandler<GetSuspicion, SuspicionView>
{
    public async ValueTask<SuspicionView> Handle(GetSuspicion query, CancellationToken ct)
    {
        var state = await CaseParticipation.ReadableStateAsync(session, query.CaseId, current.Actor, ct);
        return SuspicionView.From(state, current.Actor);
    }
}

/// <summary>The suspicion step's part of the case overview and of an auditor's replay.</summary>
public sealed class SuspicionOverview : ICaseOverviewContributor
{
    public string Step => "suspicion";

    public Func<Actor, object?> Enlist(IBatchedQuery batch, Guid caseId)
    {
        var state = batch.Load<SuspicionState>(caseId);
        return actor => state.Result is { } s ? SuspicionView.From(s, actor) : null;
    }

    public object? Replay(IReadOnlyList<IEvent> events, Actor actor, DateTimeOffset moment) =>
        events.Aggregate((SuspicionState?)null, (s, e) => SuspicionState.Fold(s, e.Data, e.Info()))
            is { } state ? SuspicionView.From(state, actor) : null;
}
