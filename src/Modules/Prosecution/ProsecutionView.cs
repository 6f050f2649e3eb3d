using FluentValidation;
using JasperFx.Events;
using Marten.Services.BatchQuerying;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Prosecution.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>A preliminary investigation with the caller's allowed actions. Defendants appear by pseudonymous reference only.</summary>
public sealed record InvestigationView(
    Guid InvestigationId,
    long Version,
    string ReportRef,
    InvestigationStatus Status,
    bool IsOpen,
    IReadOnlyList<OffenceClassification> SuspectedOffences,
    InvestigationLeaderRole? LeaderRole,
    string? LeaderOrgId,
    IReadOnlyList<InvestigationLink> LinkedCases,
    IReadOnlyList<Defendant> Defendants,
    IReadOnlyList<DefendantOutcome> LatestOutcomes,
    ClosureGround? ClosureGround,
    DateTimeOffset ReportedAt,
    DateTimeOffset LastEventAt,
    bool Stale,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    /// <summary>An open investigation with no event for this long is listed as stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(90);

    public static InvestigationView From(InvestigationState s, Actor actor, DateTimeOffset now) => new(
        s.Id, s.Version, s.ReportRef, s.Status, s.IsOpen, s.SuspectedOffences, s.LeaderRole, s.LeaderOrgId, s.Links, s.Defendants,
        s.LatestOutcomes, s.ClosureGround, s.ReportedAt, s.LastEventAt, s.IsOpen && now - s.LastEventAt > StaleAfter,
        InvestigationWorkflow.For(s, actor).Once(w => w.AllowedActionNames())
            .Select(a => new AllowedAction(a, $"/api/v1/investigations/{s.Id}/{CaseEndpoints.Kebab(a)}")).ToList());
}

/// <summary>A case's participation in one investigation, with the caller's allowed actions on it.</summary>
public sealed record ParticipationView(Participation Participation, IReadOnlyList<AllowedAction> AllowedActions);

/// <summary>The prosecution step of a case: participations, and the tasks raised for other organisations.</summary>
public sealed record ProsecutionCaseView(
    Guid CaseId,
    long Version,
    IReadOnlyList<ParticipationView> Participations,
    IReadOnlyList<ProsecutionTask> Tasks,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public const string Step = "prosecution";

    public static ProsecutionCaseView From(ProsecutionCaseState s, Actor actor) => new(
        s.Id, s.Version,
        s.Participations.Select(p => new ParticipationView(p,
            ParticipationWorkflow.For(s, p, actor).Once(w => w.AllowedActionNames()).Select(a => AllowedAction.For(s.Id, Step, a)).ToList())).ToList(),
        s.Tasks,
        s.Tasks.Any(t => TaskWorkflow.For(s, t, actor).Once(w => w.AllowedActionNames()).Count > 0)
            ? [AllowedAction.For(s.Id, Step, nameof(CompleteProsecutionTask))]
            : []);
}

/// <summary>One investigation.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.Court, OrgType.Auditor)]
public sealed record GetInvestigation(Guid InvestigationId) : IQuery<InvestigationView>, IInvestigationScoped;

/// <summary>Investigations, newest first; <c>Stale</c> lists open ones with no event for 90 days.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.Court, OrgType.Auditor)]
public sealed record ListInvestigations(bool Stale) : IQuery<IReadOnlyList<InvestigationView>>;

/// <summary>The prosecution step of one case.</summary>
[AnyOrganisation]
public sealed record GetProsecution(Guid CaseId) : IQuery<ProsecutionCaseView>;

public sealed class ProsecutionReader(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock) :
    IQueryHandler<GetInvestigation, InvestigationView>,
    IQueryHandler<ListInvestigations, IReadOnlyList<InvestigationView>>,
    IQueryHandler<GetProsecution, ProsecutionCaseView>,
    ICaseOverviewContributor
{
    public string Step => ProsecutionCaseView.Step;

    public async ValueTask<InvestigationView> Handle(GetInvestigation query, CancellationToken cancellationToken)
    {
        // Need-to-know was checked before the handler (InvestigationNeedToKnow).
        var state = await session.LoadAsync<InvestigationState>(query.InvestigationId, cancellationToken) ?? throw new NotFoundException("The investigation");
        return (await VisibleAsync([state], cancellationToken)).Single();
    }

    public async ValueTask<IReadOnlyList<InvestigationView>> Handle(ListInvestigations query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var actor = current.Actor;
        IQueryable<InvestigationState> investigations = session.Query<InvestigationState>();
        if (actor.OrgType != OrgType.Auditor)
        {
            investigations = investigations.Where(x => x.Organisations.Any(o => o.OrgId == actor.OrgId));
        }

        if (query.Stale)
        {
            var before = now - InvestigationView.StaleAfter;
            investigations = investigations.Where(x => x.LastEventAt < before
                && x.Status != InvestigationStatus.ClosedNoProsecution && x.Status != InvestigationStatus.Final);
        }

        var list = await investigations.OrderByDescending(x => x.ReportedAt).Take(500).ToListAsync(cancellationToken);
        return await VisibleAsync(list, cancellationToken);
    }

    /// <summary>The views, with only the linked cases the caller may read (a linked case id never reaches anyone else).</summary>
    private async Task<IReadOnlyList<InvestigationView>> VisibleAsync(IReadOnlyList<InvestigationState> states, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var readable = await access.ReadableAsync(session, [.. states.SelectMany(s => s.Links).Select(l => l.CaseId).Distinct()], actor with { Disclosure = null }, ct);
        return [.. states.Select(s => InvestigationView.From(s with { Links = [.. s.Links.Where(l => readable.Contains(l.CaseId))] }, actor, now))];
    }

    public async ValueTask<ProsecutionCaseView> Handle(GetProsecution query, CancellationToken cancellationToken) =>
        await session.ReadStepAsync<ProsecutionCaseView>(access, this, query.CaseId, current.Actor, cancellationToken);

    public object? Replay(IReadOnlyList<IEvent> events, Actor actor, DateTimeOffset moment) =>
        events.Aggregate((ProsecutionCaseState?)null, (s, e) => ProsecutionCaseState.Fold(s, e.Data, new EventInfo(e.Version, e.Timestamp)))
            is { } state ? ProsecutionCaseView.From(state, actor) : null;

    public Func<Actor, object?> Enlist(IBatchedQuery batch, Guid caseId)
    {
        var state = batch.Load<ProsecutionCaseState>(caseId);
        return actor => state.Result is { } s ? ProsecutionCaseView.From(s, actor) : null;
    }
}

/// <summary>Answers other modules' one question about the criminal track (<see cref="IInvestigationLookup"/>).</summary>
public sealed class InvestigationLookup(IQuerySession session) : IInvestigationLookup
{
    public async Task<InvestigationSummary?> FindAsync(Guid investigationId, CancellationToken ct) =>
        await session.LoadAsync<InvestigationState>(investigationId, ct) is { } s ? new InvestigationSummary(s.Id, s.ReportRef, s.Status, s.IsOpen) : null;

    public async Task<IReadOnlyList<(InvestigationSummary Investigation, ParticipationRole Role)>> OpenLinksOfCaseAsync(Guid caseId, CancellationToken ct) =>
        await session.LoadAsync<ProsecutionCaseState>(caseId, ct) is { } state
            ? state.Participations.Where(p => p.InvestigationIsOpen)
                .Select(p => (new InvestigationSummary(p.InvestigationId, p.ReportRef, p.InvestigationStatus, true), p.Role)).ToList()
            : [];
}
