using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Prosecution.Domain;

namespace Referral.Modules.Prosecution.Features;

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
        new InvestigationWorkflow(s, actor).AllowedActionNames(actor)
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
            new ParticipationWorkflow(s, p, actor).AllowedActionNames(actor).Select(a => AllowedAction.For(s.Id, Step, a)).ToList())).ToList(),
        s.Tasks,
        s.Tasks.Any(t => new TaskWorkflow(s, t, actor).AllowedActionNames(actor).Count > 0)
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

public sealed class ProsecutionQueryHandler(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock) :
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

/// <summary>
/// Investigation commands. A command's investigation events and the case-level events of every linked case are
/// appended in one transaction: if any stream cannot be written, none is (all or nothing).
/// </summary>
public sealed class InvestigationCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, ICaseAccess access) :
    ICommandHandler<ReferInvestigation, InvestigationView>,
    ICommandHandler<FilePoliceReport, InvestigationView>,
    ICommandHandler<OpenPreliminaryInvestigation, InvestigationView>,
    ICommandHandler<StartInvestigativeMeasures, InvestigationView>,
    ICommandHandler<LinkCaseToInvestigation, InvestigationView>,
    ICommandHandler<CloseInvestigation, InvestigationView>,
    ICommandHandler<Indict, InvestigationView>,
    ICommandHandler<ScheduleTrial, InvestigationView>,
    ICommandHandler<RecordJudgment, InvestigationView>,
    ICommandHandler<RecordAppeal, InvestigationView>,
    ICommandHandler<RecordJudgmentFinal, InvestigationView>
{
    public async ValueTask<InvestigationView> Handle(FilePoliceReport command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var state = await session.StartAsync<InvestigationState>(id,
            [new PoliceReportFiled(id, command.ReportRef!, command.SuspectedOffences ?? [], now, InvestigationStatus.Reported,
                command.ReceivingPoliceOrgId is null ? null : current.Actor.OrgType, command.ReceivingPoliceOrgId)], cancellationToken);
        return InvestigationView.From(state, current.Actor, now);
    }

    public ValueTask<InvestigationView> Handle(OpenPreliminaryInvestigation command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<InvestigationView> Handle(StartInvestigativeMeasures command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    /// <summary>
    /// Only an organisation taking part in the case links it — or one stating OSL 10:21 or 10:23 that fits the case
    /// (logged in the access log); anyone else is answered 404 as for an unknown case.
    /// </summary>
    public async ValueTask<InvestigationView> Handle(LinkCaseToInvestigation command, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var caseId = command.CaseId!.Value;
        if (!await access.TakesPartAsync(session, caseId, actor, cancellationToken))
        {
            if (actor.Disclosure is not { LegalBasis: LegalBasis.CrimeAgainstChild_OSL_10_21 or LegalBasis.SeriousCrime_OSL_10_23 })
            {
                throw new NotFoundException("The case");
            }

            await access.EnsureCanReadAsync(session, caseId, actor, cancellationToken);
            AccessLog.Record(session, caseId, actor, "link-case-to-investigation", clock.GetUtcNow());
        }

        return await Decide(command, cancellationToken);
    }

    public async ValueTask<InvestigationView> Handle(ReferInvestigation command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var organisation = new OrganisationRef(command.OrgId!, command.OrgType!.Value);
        return await Decide(command, cancellationToken, investigation => investigation.TakesPart(organisation.OrgId)
            ? []
            : [new InvestigationReferred(investigation.Id, organisation, now)]);
    }

    public ValueTask<InvestigationView> Handle(CloseInvestigation command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<InvestigationView> Handle(Indict command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<InvestigationView> Handle(ScheduleTrial command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<InvestigationView> Handle(RecordJudgment command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<InvestigationView> Handle(RecordAppeal command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<InvestigationView> Handle(RecordJudgmentFinal command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    private async ValueTask<InvestigationView> Decide(InvestigationCommand command, CancellationToken ct, Func<InvestigationState, IReadOnlyList<object>>? decide = null)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var stream = command.ExpectedVersion is { } version
            ? await session.Events.FetchForWriting<InvestigationState>(command.InvestigationId, version, ct)
            : await session.Events.FetchForWriting<InvestigationState>(command.InvestigationId, ct);
        var investigation = stream.Aggregate ?? throw new NotFoundException("The investigation");
        var events = decide?.Invoke(investigation) ?? new InvestigationWorkflow(investigation, actor, command).Decide(now);
        stream.AppendMany(events);
        var after = events.Aggregate(investigation, (s, e) => InvestigationState.Fold(s, e, new EventInfo(s.Version + 1, now, actor.OrgId, actor.OrgType))!);

        var cases = investigation.Links.Select(l => l.CaseId)
            .Concat(events.OfType<CaseLinkedToInvestigation>().Select(l => l.CaseId))
            .Distinct();
        foreach (var caseId in cases)
        {
            var caseEvents = InvestigationWorkflow.FanOut(investigation, events, caseId, now, after.Organisations);
            if (caseEvents.Count == 0)
            {
                continue;
            }

            var caseStream = await session.Events.FetchForWriting<ProsecutionCaseState>(caseId, ct);
            if (caseStream.Aggregate is null)
            {
                throw new NotFoundException("The case");
            }

            caseStream.AppendMany(caseEvents);
        }

        await session.SaveChangesAsync(ct);
        var latest = await session.Events.FetchLatest<InvestigationState>(command.InvestigationId, ct)
            ?? throw new InvalidOperationException("The investigation was not projected.");
        return InvestigationView.From(latest, actor, now);
    }
}

/// <summary>Need-to-know of investigations: only the organisations taking part act on one; they and auditors read it; anyone else gets 404.</summary>
public sealed class InvestigationNeedToKnow : IStreamNeedToKnow
{
    public Guid? StreamOf(object message) => message is IInvestigationScoped scoped ? scoped.InvestigationId : null;

    public Task EnsureTakesPartAsync(IDocumentSession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, state => state.TakesPart(actor.OrgId), ct);

    public Task EnsureMayReadAsync(IQuerySession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, state => MayRead(state, actor), ct);

    private static async Task EnsureAsync(IQuerySession session, Guid investigationId, Func<InvestigationState, bool> allowed, CancellationToken ct)
    {
        if (await session.LoadAsync<InvestigationState>(investigationId, ct) is not { } state || !allowed(state))
        {
            throw new NotFoundException("The investigation");
        }
    }

    public static bool MayRead(InvestigationState state, Actor actor) => actor.OrgType == OrgType.Auditor || state.TakesPart(actor.OrgId);
}

/// <summary>Participation and task commands on a case's stream.</summary>
public sealed class ParticipationCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock) :
    ICommandHandler<RecordVictimInterview, ProsecutionCaseView>,
    ICommandHandler<RequestCounsel, ProsecutionCaseView>,
    ICommandHandler<RecordCounselAppointment, ProsecutionCaseView>,
    ICommandHandler<RecordSpecialRepresentativeAppointment, ProsecutionCaseView>,
    ICommandHandler<RecordTestimony, ProsecutionCaseView>,
    ICommandHandler<CompleteProsecutionTask, ProsecutionCaseView>
{
    public ValueTask<ProsecutionCaseView> Handle(RecordVictimInterview command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ProsecutionCaseView> Handle(RequestCounsel command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ProsecutionCaseView> Handle(RecordCounselAppointment command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ProsecutionCaseView> Handle(RecordSpecialRepresentativeAppointment command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ProsecutionCaseView> Handle(RecordTestimony command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public async ValueTask<ProsecutionCaseView> Handle(CompleteProsecutionTask command, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var state = await session.DecideAsync<ProsecutionCaseState>(command.CaseId, command.ExpectedVersion, s =>
            new TaskWorkflow(s, s.Tasks.FirstOrDefault(t => t.TaskId == command.TaskId) ?? throw new NotFoundException("The task"), actor)
                .Decide(command.Note, clock.GetUtcNow()), cancellationToken);
        return ProsecutionCaseView.From(state, actor);
    }

    private async ValueTask<ProsecutionCaseView> Decide(ParticipationCommand command, CancellationToken ct)
    {
        var actor = current.Actor;
        var state = await session.DecideAsync<ProsecutionCaseState>(command.CaseId, command.ExpectedVersion, s =>
            new ParticipationWorkflow(s, s.In(command.InvestigationId!.Value) ?? throw new NotFoundException("The case's participation in that investigation"), actor, command)
                .Decide(clock.GetUtcNow()), ct);
        return ProsecutionCaseView.From(state, actor);
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
