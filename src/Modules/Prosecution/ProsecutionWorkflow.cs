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
    private static readonly InvestigationStatus[] Linkable =
        [InvestigationStatus.Reported, InvestigationStatus.Opened, InvestigationStatus.Ongoing, InvestigationStatus.Indicted, InvestigationStatus.TrialScheduled];

    private readonly InvestigationState _state;
    private readonly Actor _actor;
    private readonly object? _command;

    public InvestigationWorkflow(InvestigationState state, Actor actor, object? command = null)
        : base(state.Status)
    {
        _state = state;
        _actor = actor;
        _command = command;

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

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string Leader = "the investigation leader's organisation or a prosecutor closes the investigation";
        public const string NotYetLinked = "the case is not already linked to this investigation";
        public const string EveryDefendant = "the judgment gives exactly one outcome for every indicted defendant";
    }

    protected override string Step => "prosecution";

    protected override Type CommandFor(InvestigationTrigger trigger) => trigger switch
    {
        InvestigationTrigger.OpenPreliminaryInvestigation => typeof(OpenPreliminaryInvestigation),
        InvestigationTrigger.StartInvestigativeMeasures => typeof(StartInvestigativeMeasures),
        InvestigationTrigger.LinkCaseToInvestigation => typeof(LinkCaseToInvestigation),
        InvestigationTrigger.CloseInvestigation => typeof(CloseInvestigation),
        InvestigationTrigger.Indict => typeof(Indict),
        InvestigationTrigger.ScheduleTrial => typeof(ScheduleTrial),
        InvestigationTrigger.RecordFirstInstanceJudgment or InvestigationTrigger.RecordAppealJudgment => typeof(RecordJudgment),
        InvestigationTrigger.RecordAppeal => typeof(RecordAppeal),
        _ => typeof(RecordJudgmentFinal),
    };

    /// <summary>The investigation-stream events of the command (pure).</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        var id = _state.Id;
        switch (_command)
        {
            case OpenPreliminaryInvestigation:
                var role = _actor.OrgType == OrgType.Prosecution ? InvestigationLeaderRole.Prosecutor : InvestigationLeaderRole.Police;
                return [new PreliminaryInvestigationOpened(id, role, _actor.OrgId, _actor.UserId, now, Fire(InvestigationTrigger.OpenPreliminaryInvestigation, _actor))];
            case StartInvestigativeMeasures:
                return [new InvestigativeMeasuresStarted(id, now, Fire(InvestigationTrigger.StartInvestigativeMeasures, _actor))];
            case LinkCaseToInvestigation c:
                Fire(InvestigationTrigger.LinkCaseToInvestigation, _actor);
                return [new CaseLinkedToInvestigation(id, c.CaseId!.Value, c.Role!.Value, now)];
            case CloseInvestigation c:
                return [new PreliminaryInvestigationClosed(id, c.Ground!.Value, now, Fire(InvestigationTrigger.CloseInvestigation, _actor))];
            case Indict c:
                return [new Indicted(id, c.Defendants!, now, Fire(InvestigationTrigger.Indict, _actor))];
            case ScheduleTrial c:
                return [new TrialScheduled(id, c.CourtOrgId!, c.HearingDate!.Value, Fire(InvestigationTrigger.ScheduleTrial, _actor))];
            case RecordJudgment c:
                var appeal = _state.Status == InvestigationStatus.Appealed;
                var status = Fire(appeal ? InvestigationTrigger.RecordAppealJudgment : InvestigationTrigger.RecordFirstInstanceJudgment, _actor);
                return [new JudgmentDelivered(id, c.CourtOrgId!, appeal, c.Outcomes!, c.DamagesAwarded, c.JudgmentDate!.Value, status)];
            case RecordAppeal c:
                return [new JudgmentAppealed(id, c.AppealedBy!.Value, now, Fire(InvestigationTrigger.RecordAppeal, _actor))];
            case RecordJudgmentFinal c:
                return [new JudgmentFinal(id, c.FinalOn!.Value, Fire(InvestigationTrigger.RecordJudgmentFinal, _actor))];
            default:
                throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not an investigation command.");
        }
    }

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

    private T? Command<T>() where T : class => _command as T;

    private bool LeadsOrProsecutes() => _actor.OrgType == OrgType.Prosecution || _actor.OrgId == _state.LeaderOrgId;

    private bool NotYetLinked() => Command<LinkCaseToInvestigation>() is not { CaseId: { } caseId } || _state.Links.All(l => l.CaseId != caseId);

    private bool CoversEveryDefendant() =>
        Command<RecordJudgment>() is not { Outcomes: { } outcomes }
        || (outcomes.Count == _state.Defendants.Count
            && outcomes.Select(o => o.DefendantRef).Order().SequenceEqual(_state.Defendants.Select(d => d.DefendantRef).Order()));
}
