using FluentValidation;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Prosecution.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>Triggers of a preliminary investigation; each is fired by the command of the same name (judgments share one).</summary>
public enum InvestigationTrigger
{
    OpenPreliminaryInvestigation,
    StartInvestigativeMeasures,
    LinkCaseToInvestigation,
    CloseInvestigation,
    Indict,
    ScheduleTrial,
    RecordFirstInstanceJudgment,
    RecordAppeal,
    RecordAppealJudgment,
    RecordJudgmentFinal,
}

/// <summary>
/// A preliminary investigation (förundersökning, MANUAL.md §4.5) as a Stateless machine, and the pure decider of its
/// commands — including the case-level events every linked case receives in the same transaction (fan-out).
/// </summary>
public sealed class InvestigationWorkflow : StepWorkflow<InvestigationStatus, InvestigationTrigger>
{
    private static readonly WorkflowPool<InvestigationWorkflow> Pool = new(() => new InvestigationWorkflow());

    private static readonly TriggerTable<InvestigationTrigger> Table = new(
        (InvestigationTrigger.OpenPreliminaryInvestigation, typeof(OpenPreliminaryInvestigation)),
        (InvestigationTrigger.StartInvestigativeMeasures, typeof(StartInvestigativeMeasures)),
        (InvestigationTrigger.LinkCaseToInvestigation, typeof(LinkCaseToInvestigation)),
        (InvestigationTrigger.CloseInvestigation, typeof(CloseInvestigation)),
        (InvestigationTrigger.Indict, typeof(Indict)),
        (InvestigationTrigger.ScheduleTrial, typeof(ScheduleTrial)),
        (InvestigationTrigger.RecordFirstInstanceJudgment, typeof(RecordJudgment)),
        (InvestigationTrigger.RecordAppealJudgment, typeof(RecordJudgment)),
        (InvestigationTrigger.RecordAppeal, typeof(RecordAppeal)),
        (InvestigationTrigger.RecordJudgmentFinal, typeof(RecordJudgmentFinal)));

    private static readonly InvestigationStatus[] Linkable =
        [InvestigationStatus.Reported, InvestigationStatus.Opened, InvestigationStatus.Ongoing, InvestigationStatus.Indicted, InvestigationStatus.TrialScheduled];

    private InvestigationState _state = null!;
    private DateTimeOffset _now;

    public InvestigationWorkflow(InvestigationState state, Actor actor, DateTimeOffset? now = null)
        : this() => Bind(state, actor, now);

    private InvestigationWorkflow()
    {
        Machine.Configure(InvestigationStatus.Reported).Permit(InvestigationTrigger.OpenPreliminaryInvestigation, InvestigationStatus.Opened);
        Machine.Configure(InvestigationStatus.Opened).Permit(InvestigationTrigger.StartInvestigativeMeasures, InvestigationStatus.Ongoing);
        foreach (var open in new[] { InvestigationStatus.Opened, InvestigationStatus.Ongoing })
        {
            Machine.Configure(open)
                .PermitIf(InvestigationTrigger.CloseInvestigation, InvestigationStatus.ClosedNoProsecution, LeadsOrProsecutes, Guards.Leader)
                .Permit(InvestigationTrigger.Indict, InvestigationStatus.Indicted);
        }

        foreach (var status in Linkable)
        {
            Machine.Configure(status).PermitReentryIf(InvestigationTrigger.LinkCaseToInvestigation, NotYetLinked, Guards.NotYetLinked);
        }

        Machine.Configure(InvestigationStatus.Indicted).Permit(InvestigationTrigger.ScheduleTrial, InvestigationStatus.TrialScheduled);
        Machine.Configure(InvestigationStatus.TrialScheduled)
            .PermitIf(InvestigationTrigger.RecordFirstInstanceJudgment, InvestigationStatus.FirstInstanceJudgment, CoversEveryDefendant, Guards.EveryDefendant);
        Machine.Configure(InvestigationStatus.FirstInstanceJudgment)
            .Permit(InvestigationTrigger.RecordAppeal, InvestigationStatus.Appealed)
            .Permit(InvestigationTrigger.RecordJudgmentFinal, InvestigationStatus.Final);
        Machine.Configure(InvestigationStatus.Appealed)
            .PermitIf(InvestigationTrigger.RecordAppealJudgment, InvestigationStatus.AppealJudgment, CoversEveryDefendant, Guards.EveryDefendant);
        Machine.Configure(InvestigationStatus.AppealJudgment).Permit(InvestigationTrigger.RecordJudgmentFinal, InvestigationStatus.Final);
    }

    /// <summary>A configured machine from the pool, bound to the investigation and the actor; <c>Dispose</c> gives it back.</summary>
    public static InvestigationWorkflow For(InvestigationState state, Actor actor, DateTimeOffset? now = null) => Pool.Rent().Bind(state, actor, now);

    private InvestigationWorkflow Bind(InvestigationState state, Actor actor, DateTimeOffset? now)
    {
        Reset(state.Status, actor);
        _state = state;
        _now = now ?? DateTimeOffset.MinValue;
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string Leader = "the investigation leader's organisation or a prosecutor closes the investigation";
        public const string NotYetLinked = "the case is not already linked to this investigation";
        public const string EveryDefendant = "the judgment gives exactly one outcome for every indicted defendant";
    }

    protected override string Step => "prosecution";

    protected override TriggerTable<InvestigationTrigger> Triggers => Table;

    // The investigation-stream events of each command (pure).

    public IReadOnlyList<object> OpenPreliminaryInvestigation(OpenPreliminaryInvestigation c)
    {
        var role = Actor.OrgType == OrgType.Prosecution ? InvestigationLeaderRole.Prosecutor : InvestigationLeaderRole.Police;
        return [new PreliminaryInvestigationOpened(_state.Id, role, Actor.OrgId, Actor.UserId, _now, Fire(c))];
    }

    public IReadOnlyList<object> StartInvestigativeMeasures(StartInvestigativeMeasures c) => [new InvestigativeMeasuresStarted(_state.Id, _now, Fire(c))];

    public IReadOnlyList<object> LinkCaseToInvestigation(LinkCaseToInvestigation c)
    {
        Fire(c);
        return [new CaseLinkedToInvestigation(_state.Id, c.CaseId!.Value, c.Role!.Value, _now)];
    }

    public IReadOnlyList<object> CloseInvestigation(CloseInvestigation c) => [new PreliminaryInvestigationClosed(_state.Id, c.Ground!.Value, _now, Fire(c))];

    public IReadOnlyList<object> Indict(Indict c) => [new Indicted(_state.Id, c.Defendants!, _now, Fire(c))];

    public IReadOnlyList<object> ScheduleTrial(ScheduleTrial c) => [new TrialScheduled(_state.Id, c.CourtOrgId!, c.HearingDate!.Value, Fire(c))];

    /// <summary>A judgment: of the first instance, or on appeal when the investigation was appealed (one command, two triggers).</summary>
    public IReadOnlyList<object> RecordJudgment(RecordJudgment c)
    {
        var appeal = _state.Status == InvestigationStatus.Appealed;
        var status = Fire(appeal ? InvestigationTrigger.RecordAppealJudgment : InvestigationTrigger.RecordFirstInstanceJudgment, c);
        return [new JudgmentDelivered(_state.Id, c.CourtOrgId!, appeal, c.Outcomes!, c.DamagesAwarded, c.JudgmentDate!.Value, status)];
    }

    public IReadOnlyList<object> RecordAppeal(RecordAppeal c) => [new JudgmentAppealed(_state.Id, c.AppealedBy!.Value, _now, Fire(c))];

    public IReadOnlyList<object> RecordJudgmentFinal(RecordJudgmentFinal c) => [new JudgmentFinal(_state.Id, c.FinalOn!.Value, Fire(c))];

    /// <summary>
    /// The case-level events one linked case receives for the investigation's new events: the outcome, and the tasks it
    /// raises — an outcome review for social services and the coordinator on closure or acquittal (R9), "is the
    /// cooperation permit still needed?" for the investigation leader on a final judgment, and a non-punishment
    /// assessment for the prosecutor when a victim is linked as also-suspect.
    /// </summary>
    public static IReadOnlyList<object> FanOut(
        InvestigationState investigation, IReadOnlyList<object> events, Guid caseId, DateTimeOffset now, IReadOnlyList<OrganisationRef>? organisationsAfter = null)
    {
        var result = new List<object>();
        void Task(TaskKind kind, params OrgType[] forOrgTypes) =>
            result.Add(new ProsecutionTaskRaised(caseId, Guid.CreateVersion7(now), kind, investigation.Id, forOrgTypes, now));
        void Outcome(InvestigationStatus status) =>
            result.Add(new InvestigationOutcomeRecorded(caseId, investigation.Id, status, false, false, now));

        // Need-to-know: the organisations of the investigation take part in its linked cases — all of them on linking,
        // and each newcomer (a new leader, a referred prosecutor, the court) in the cases already linked.
        var organisations = organisationsAfter ?? investigation.Organisations;
        if (investigation.Links.Any(l => l.CaseId == caseId))
        {
            result.AddRange(organisations.Where(o => !investigation.TakesPart(o.OrgId))
                .Select(o => new InvestigationOrganisationAdmitted(caseId, investigation.Id, o, now)));
        }

        foreach (var e in events)
        {
            switch (e)
            {
                case CaseLinkedToInvestigation link when link.CaseId == caseId:
                    result.Add(new LinkedToInvestigation(caseId, investigation.Id, investigation.ReportRef, link.Role, investigation.Status, now, organisations));
                    if (link.Role == ParticipationRole.AlsoSuspect)
                    {
                        Task(TaskKind.NonPunishmentAssessment, OrgType.Prosecution);
                    }

                    break;
                case PreliminaryInvestigationClosed closed:
                    Outcome(closed.Status);
                    Task(TaskKind.OutcomeReview, OrgType.SocialServices, OrgType.RegionalCoordinator);
                    break;
                case JudgmentDelivered judgment:
                    var acquittal = judgment.Outcomes.Any(o => o.Verdict == Verdict.Acquitted);
                    result.Add(new InvestigationOutcomeRecorded(caseId, investigation.Id, judgment.Status, judgment.Outcomes.Any(o => o.Verdict == Verdict.Convicted), acquittal, now));
                    if (acquittal)
                    {
                        Task(TaskKind.OutcomeReview, OrgType.SocialServices, OrgType.RegionalCoordinator);
                    }

                    break;
                case JudgmentFinal final:
                    Outcome(final.Status);
                    Task(TaskKind.CooperationPermitStillNeeded, OrgType.Police, OrgType.Prosecution);
                    break;
                case PreliminaryInvestigationOpened opened:
                    Outcome(opened.Status);
                    break;
                case InvestigativeMeasuresStarted started:
                    Outcome(started.Status);
                    break;
                case Indicted indicted:
                    Outcome(indicted.Status);
                    break;
                case TrialScheduled trial:
                    Outcome(trial.Status);
                    break;
                case JudgmentAppealed appealed:
                    Outcome(appealed.Status);
                    break;
            }
        }

        return result;
    }

    /// <summary>The machine without an investigation, for the diagram.</summary>
    public static string Diagram() =>
        new InvestigationWorkflow(new InvestigationState(), new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();

    private bool LeadsOrProsecutes() => Actor.OrgType == OrgType.Prosecution || Actor.OrgId == _state.LeaderOrgId;

    private bool NotYetLinked() => Command is not LinkCaseToInvestigation { CaseId: { } caseId } || _state.Links.All(l => l.CaseId != caseId);

    private bool CoversEveryDefendant() =>
        Command is not RecordJudgment { Outcomes: { } outcomes }
        || (outcomes.Count == _state.Defendants.Count
            && outcomes.Select(o => o.DefendantRef).Order().SequenceEqual(_state.Defendants.Select(d => d.DefendantRef).Order()));
}
