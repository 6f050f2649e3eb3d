using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Prosecution.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>Triggers of a case's participation in an investigation (the testimony outcomes share one command).</summary>
public enum ParticipationTrigger
{
    RecordVictimInterview,
    RequestCounsel,
    RecordCounselAppointment,
    RecordSpecialRepresentativeAppointment,
    TestifyInPerson,
    TestifyRemotely,
    RecordNotHeard,
}

/// <summary>
/// A case's participation in one investigation (injured party, witness or also-suspect) as a Stateless machine: linked →
/// interviewed → counsel requested → counsel appointed → testified in person / remotely / not heard. Counsel
/// (målsägandebiträde) is for the injured party and never after a decision not to prosecute (lag 1988:609).
/// </summary>
public sealed class ParticipationWorkflow : StepWorkflow<ParticipationStatus, ParticipationTrigger>
{
    private static readonly WorkflowPool<ParticipationWorkflow> Pool = new(() => new ParticipationWorkflow());

    private static readonly InvestigationStatus[] AtTrial =
        [InvestigationStatus.TrialScheduled, InvestigationStatus.FirstInstanceJudgment, InvestigationStatus.Appealed, InvestigationStatus.AppealJudgment, InvestigationStatus.Final];

    private static readonly TriggerTable<ParticipationTrigger> Table = new(
        (ParticipationTrigger.RecordVictimInterview, typeof(RecordVictimInterview)),
        (ParticipationTrigger.RequestCounsel, typeof(RequestCounsel)),
        (ParticipationTrigger.RecordCounselAppointment, typeof(RecordCounselAppointment)),
        (ParticipationTrigger.RecordSpecialRepresentativeAppointment, typeof(RecordSpecialRepresentativeAppointment)),
        (ParticipationTrigger.TestifyInPerson, typeof(RecordTestimony)),
        (ParticipationTrigger.TestifyRemotely, typeof(RecordTestimony)),
        (ParticipationTrigger.RecordNotHeard, typeof(RecordTestimony)));

    private ProsecutionCaseState _state = null!;
    private Participation _participation = null!;
    private DateTimeOffset _now;

    public ParticipationWorkflow(ProsecutionCaseState state, Participation participation, Actor actor, DateTimeOffset? now = null)
        : this() => Bind(state, participation, actor, now);

    private ParticipationWorkflow()
    {
        var counselGuards = new[] { G(IsInjuredParty, Guards.InjuredParty), G(NotClosedWithoutProsecution, Guards.NoDecisionNotToProsecute) };
        var representativeGuards = new[] { G(() => _state.IsChild, Guards.Child), G(CustodianSuspected, Guards.CustodianSuspected), G(() => !_participation.SpecialRepresentativeAppointed, Guards.NoRepresentativeYet) };

        Machine.Configure(ParticipationStatus.Linked)
            .Permit(ParticipationTrigger.RecordVictimInterview, ParticipationStatus.Interviewed)
            .PermitIf(ParticipationTrigger.RequestCounsel, ParticipationStatus.CounselRequested, counselGuards);
        Machine.Configure(ParticipationStatus.Interviewed)
            .PermitReentry(ParticipationTrigger.RecordVictimInterview)
            .PermitIf(ParticipationTrigger.RequestCounsel, ParticipationStatus.CounselRequested, counselGuards);
        Machine.Configure(ParticipationStatus.CounselRequested)
            .PermitReentry(ParticipationTrigger.RecordVictimInterview)
            .PermitIf(ParticipationTrigger.RecordCounselAppointment, ParticipationStatus.CounselAppointed, counselGuards);
        Machine.Configure(ParticipationStatus.CounselAppointed)
            .PermitReentry(ParticipationTrigger.RecordVictimInterview);

        foreach (var status in new[] { ParticipationStatus.Linked, ParticipationStatus.Interviewed, ParticipationStatus.CounselRequested, ParticipationStatus.CounselAppointed })
        {
            Machine.Configure(status).PermitReentryIf(ParticipationTrigger.RecordSpecialRepresentativeAppointment, representativeGuards);
        }

        foreach (var status in new[] { ParticipationStatus.Interviewed, ParticipationStatus.CounselRequested, ParticipationStatus.CounselAppointed })
        {
            Machine.Configure(status)
                .PermitIf(ParticipationTrigger.TestifyInPerson, ParticipationStatus.TestifiedInPerson, HasReachedTrial, Guards.Trial)
                .PermitIf(ParticipationTrigger.TestifyRemotely, ParticipationStatus.TestifiedRemotely, HasReachedTrial, Guards.Trial)
                .PermitIf(ParticipationTrigger.RecordNotHeard, ParticipationStatus.NotHeard, HasReachedTrial, Guards.Trial);
        }
    }

    /// <summary>A configured machine from the pool, bound to the case's participation and the actor; <c>Dispose</c> gives it back.</summary>
    public static ParticipationWorkflow For(ProsecutionCaseState state, Participation participation, Actor actor, DateTimeOffset? now = null) => Pool.Rent().Bind(state, participation, actor, now);

    private ParticipationWorkflow Bind(ProsecutionCaseState state, Participation participation, Actor actor, DateTimeOffset? now)
    {
        Reset(participation.Status, actor);
        _state = state;
        _participation = participation;
        _now = now ?? DateTimeOffset.MinValue;
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string InjuredParty = "the person takes part as injured party (målsägande)";
        public const string NoDecisionNotToProsecute = "no decision not to prosecute has been made (no counsel after one, lag 1988:609)";
        public const string Child = "the person is a child";
        public const string CustodianSuspected = "a custodian is suspected of the crime, or will not protect the child's rights";
        public const string NoRepresentativeYet = "no special representative is appointed yet";
        public const string Trial = "the main hearing is scheduled or held";
    }

    protected override string Step => "prosecution";

    protected override TriggerTable<ParticipationTrigger> Triggers => Table;

    // The case-stream events of each command (pure).

    public IReadOnlyList<object> RecordVictimInterview(RecordVictimInterview c) =>
        [new VictimInterviewed(_state.Id, _participation.InvestigationId, c.InterpreterPresent, c.CounselPresent, _now, Fire(c))];

    public IReadOnlyList<object> RequestCounsel(RequestCounsel c) => [new CounselRequested(_state.Id, _participation.InvestigationId, _now, Fire(c))];

    public IReadOnlyList<object> RecordCounselAppointment(RecordCounselAppointment c) =>
        [new CounselAppointed(_state.Id, _participation.InvestigationId, c.CourtOrgId!, _now, Fire(c))];

    public IReadOnlyList<object> RecordSpecialRepresentativeAppointment(RecordSpecialRepresentativeAppointment c)
    {
        Fire(c);
        return [new SpecialRepresentativeAppointed(_state.Id, _participation.InvestigationId, c.CourtOrgId!, _now)];
    }

    /// <summary>The testimony: in person, remotely or not heard (one command, three triggers).</summary>
    public IReadOnlyList<object> RecordTestimony(RecordTestimony c)
    {
        var trigger = c.Testimony switch
        {
            Testimony.InPerson => ParticipationTrigger.TestifyInPerson,
            Testimony.Remotely => ParticipationTrigger.TestifyRemotely,
            _ => ParticipationTrigger.RecordNotHeard,
        };
        return [new TestimonyRecorded(_state.Id, _participation.InvestigationId, c.Testimony!.Value, _now, Fire(trigger, c))];
    }

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new ParticipationWorkflow(new ProsecutionCaseState(), new Participation(), new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();


    private bool IsInjuredParty() => _participation.Role == ParticipationRole.InjuredParty;

    private bool NotClosedWithoutProsecution() => _participation.InvestigationStatus != InvestigationStatus.ClosedNoProsecution;

    private bool CustodianSuspected() => Command is not RecordSpecialRepresentativeAppointment c || c.CustodianSuspected;

    private bool HasReachedTrial() => AtTrial.Contains(_participation.InvestigationStatus);
}

/// <summary>States of a task raised by the criminal track.</summary>
public enum TaskStatus { Open, Completed }

/// <summary>The one trigger of a task.</summary>
public enum TaskTrigger { CompleteProsecutionTask }

/// <summary>A task (R9 outcome review, permit still needed?, non-punishment): open until an addressed organisation completes it.</summary>
public sealed class TaskWorkflow : StepWorkflow<TaskStatus, TaskTrigger>
{
    private static readonly WorkflowPool<TaskWorkflow> Pool = new(() => new TaskWorkflow());

    private static readonly TriggerTable<TaskTrigger> Table = new((TaskTrigger.CompleteProsecutionTask, typeof(CompleteProsecutionTask)));

    private ProsecutionCaseState _state = null!;
    private ProsecutionTask _task = null!;
    private DateTimeOffset _now;

    public TaskWorkflow(ProsecutionCaseState state, ProsecutionTask task, Actor actor, DateTimeOffset? now = null)
        : this() => Bind(state, task, actor, now);

    private TaskWorkflow()
    {
        Machine.Configure(TaskStatus.Open)
            .PermitIf(TaskTrigger.CompleteProsecutionTask, TaskStatus.Completed, () => _task.ForOrgTypes.Contains(Actor.OrgType), Guards.Addressed);
    }

    /// <summary>A configured machine from the pool, bound to the task and the actor; <c>Dispose</c> gives it back.</summary>
    public static TaskWorkflow For(ProsecutionCaseState state, ProsecutionTask task, Actor actor, DateTimeOffset? now = null) => Pool.Rent().Bind(state, task, actor, now);

    private TaskWorkflow Bind(ProsecutionCaseState state, ProsecutionTask task, Actor actor, DateTimeOffset? now)
    {
        Reset(task.Completed ? TaskStatus.Completed : TaskStatus.Open, actor);
        _state = state;
        _task = task;
        _now = now ?? DateTimeOffset.MinValue;
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions.</summary>
    public static class Guards
    {
        public const string Addressed = "the task is addressed to the caller's organisation type";
    }

    protected override string Step => "prosecution";

    protected override TriggerTable<TaskTrigger> Triggers => Table;

    public IReadOnlyList<object> CompleteProsecutionTask(CompleteProsecutionTask c)
    {
        Fire(c);
        return [new ProsecutionTaskCompleted(_state.Id, _task.TaskId, c.Note, _now)];
    }

    /// <summary>The machine without a task, for the diagram.</summary>
    public static string Diagram() =>
        new TaskWorkflow(new ProsecutionCaseState(), new ProsecutionTask(Guid.Empty, TaskKind.OutcomeReview, Guid.Empty, [], default, false),
            new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();
}
