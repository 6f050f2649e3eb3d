using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Prosecution.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>
/// Investigation commands. A command's investigation events and the case-level events of every linked case are
/// appended in one transaction: if any stream cannot be written, none is (all or nothing). Each line names the decider
/// of its command type.
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

    public ValueTask<InvestigationView> Handle(OpenPreliminaryInvestigation c, CancellationToken ct) => Write(c, w => w.OpenPreliminaryInvestigation(c), ct);

    public ValueTask<InvestigationView> Handle(StartInvestigativeMeasures c, CancellationToken ct) => Write(c, w => w.StartInvestigativeMeasures(c), ct);

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

        return await Write(command, w => w.LinkCaseToInvestigation(command), cancellationToken);
    }

    public async ValueTask<InvestigationView> Handle(ReferInvestigation command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var organisation = new OrganisationRef(command.OrgId!, command.OrgType!.Value);
        return await Write(command, (investigation, _) => investigation.TakesPart(organisation.OrgId)
            ? []
            : [new InvestigationReferred(investigation.Id, organisation, now)], cancellationToken);
    }

    public ValueTask<InvestigationView> Handle(CloseInvestigation c, CancellationToken ct) => Write(c, w => w.CloseInvestigation(c), ct);

    public ValueTask<InvestigationView> Handle(Indict c, CancellationToken ct) => Write(c, w => w.Indict(c), ct);

    public ValueTask<InvestigationView> Handle(ScheduleTrial c, CancellationToken ct) => Write(c, w => w.ScheduleTrial(c), ct);

    public ValueTask<InvestigationView> Handle(RecordJudgment c, CancellationToken ct) => Write(c, w => w.RecordJudgment(c), ct);

    public ValueTask<InvestigationView> Handle(RecordAppeal c, CancellationToken ct) => Write(c, w => w.RecordAppeal(c), ct);

    public ValueTask<InvestigationView> Handle(RecordJudgmentFinal c, CancellationToken ct) => Write(c, w => w.RecordJudgmentFinal(c), ct);

    private ValueTask<InvestigationView> Write(InvestigationCommand command, Func<InvestigationWorkflow, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Write(command, (investigation, now) => InvestigationWorkflow.For(investigation, current.Actor, now).Once(decide), ct);

    private async ValueTask<InvestigationView> Write(InvestigationCommand command, Func<InvestigationState, DateTimeOffset, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var stream = command.ExpectedVersion is { } version
            ? await session.Events.FetchForWriting<InvestigationState>(command.InvestigationId, version, ct)
            : await session.Events.FetchForWriting<InvestigationState>(command.InvestigationId, ct);
        var investigation = stream.Aggregate ?? throw new NotFoundException("The investigation");
        var events = decide(investigation, now);
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

/// <summary>Participation and task commands on a case's stream; each line names the decider of its command type.</summary>
public sealed class ParticipationCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock) :
    ICommandHandler<RecordVictimInterview, ProsecutionCaseView>,
    ICommandHandler<RequestCounsel, ProsecutionCaseView>,
    ICommandHandler<RecordCounselAppointment, ProsecutionCaseView>,
    ICommandHandler<RecordSpecialRepresentativeAppointment, ProsecutionCaseView>,
    ICommandHandler<RecordTestimony, ProsecutionCaseView>,
    ICommandHandler<CompleteProsecutionTask, ProsecutionCaseView>
{
    public ValueTask<ProsecutionCaseView> Handle(RecordVictimInterview c, CancellationToken ct) => Write(c, w => w.RecordVictimInterview(c), ct);

    public ValueTask<ProsecutionCaseView> Handle(RequestCounsel c, CancellationToken ct) => Write(c, w => w.RequestCounsel(c), ct);

    public ValueTask<ProsecutionCaseView> Handle(RecordCounselAppointment c, CancellationToken ct) => Write(c, w => w.RecordCounselAppointment(c), ct);

    public ValueTask<ProsecutionCaseView> Handle(RecordSpecialRepresentativeAppointment c, CancellationToken ct) => Write(c, w => w.RecordSpecialRepresentativeAppointment(c), ct);

    public ValueTask<ProsecutionCaseView> Handle(RecordTestimony c, CancellationToken ct) => Write(c, w => w.RecordTestimony(c), ct);

    public async ValueTask<ProsecutionCaseView> Handle(CompleteProsecutionTask command, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var state = await session.DecideAsync<ProsecutionCaseState>(command.CaseId, command.ExpectedVersion, s =>
            TaskWorkflow.For(s, s.Tasks.FirstOrDefault(t => t.TaskId == command.TaskId) ?? throw new NotFoundException("The task"), actor, clock.GetUtcNow()).Once(w => w.CompleteProsecutionTask(command)), cancellationToken);
        return ProsecutionCaseView.From(state, actor);
    }

    private async ValueTask<ProsecutionCaseView> Write(ParticipationCommand command, Func<ParticipationWorkflow, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var state = await session.DecideAsync<ProsecutionCaseState>(command.CaseId, command.ExpectedVersion, s =>
            ParticipationWorkflow.For(s, s.In(command.InvestigationId!.Value) ?? throw new NotFoundException("The case's participation in that investigation"),
                actor, clock.GetUtcNow()).Once(decide), ct);
        return ProsecutionCaseView.From(state, actor);
    }
}
