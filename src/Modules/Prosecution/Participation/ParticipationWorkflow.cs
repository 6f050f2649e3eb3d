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
    private static readonly InvestigationStatus[] AtTrial =
        [InvestigationStatus.TrialScheduled, InvestigationStatus.FirstInstanceJudgment, InvestigationStatus.Appealed, InvestigationStatus.AppealJudgment, InvestigationStatus.Final];

    private readonly ProsecutionCaseState _state;
    private readonly Participation _participation;
    private readonly Actor _actor;
    private readonly object? _command;

    public ParticipationWorkflow(ProsecutionCaseState state, Participation participation, Actor actor, object? command = null)
        : base(participation.Status)
    {
        _state = state;
        _participation = participation;
        _actor = actor;
        _command = command;

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

    protected override Type CommandFor(ParticipationTrigger trigger) => trigger switch
    {
        ParticipationTrigger.RecordVictimInterview => typeof(RecordVictimInterview),
        ParticipationTrigger.RequestCounsel => typeof(RequestCounsel),
        ParticipationTrigger.RecordCounselAppointment => typeof(RecordCounselAppointment),
        ParticipationTrigger.RecordSpecialRepresentativeAppointment => typeof(RecordSpecialRepresentativeAppointment),
        _ => typeof(RecordTestimony),
    };

    /// <summary>The case-stream events of the command (pure).</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        var (caseId, investigationId) = (_state.Id, _participation.InvestigationId);
        switch (_command)
        {
            case RecordVictimInterview c:
                return [new VictimInterviewed(caseId, investigationId, c.InterpreterPresent, c.CounselPresent, now, Fire(ParticipationTrigger.RecordVictimInterview, _actor))];
            case RequestCounsel:
                return [new CounselRequested(caseId, investigationId, now, Fire(ParticipationTrigger.RequestCounsel, _actor))];
            case RecordCounselAppointment c:
                return [new CounselAppointed(caseId, investigationId, c.CourtOrgId!, now, Fire(ParticipationTrigger.RecordCounselAppointment, _actor))];
            case RecordSpecialRepresentativeAppointment c:
                Fire(ParticipationTrigger.RecordSpecialRepresentativeAppointment, _actor);
                return [new SpecialRepresentativeAppointed(caseId, investigationId, c.CourtOrgId!, now)];
            case RecordTestimony c:
                var trigger = c.Testimony switch
                {
                    Testimony.InPerson => ParticipationTrigger.TestifyInPerson,
                    Testimony.Remotely => ParticipationTrigger.TestifyRemotely,
                    _ => ParticipationTrigger.RecordNotHeard,
                };
                return [new TestimonyRecorded(caseId, investigationId, c.Testimony!.Value, now, Fire(trigger, _actor))];
            default:
                throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a participation command.");
        }
    }

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new ParticipationWorkflow(new ProsecutionCaseState(), new Participation(), new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();


    private bool IsInjuredParty() => _participation.Role == ParticipationRole.InjuredParty;

    private bool NotClosedWithoutProsecution() => _participation.InvestigationStatus != InvestigationStatus.ClosedNoProsecution;

    private bool CustodianSuspected() => _command is not RecordSpecialRepresentativeAppointment c || c.CustodianSuspected;

    private bool HasReachedTrial() => AtTrial.Contains(_participation.InvestigationStatus);
}

/// <summary>States of a task raised by the criminal track.</summary>
public enum TaskStatus { Open, Completed }

/// <summary>The one trigger of a task.</summary>
public enum TaskTrigger { CompleteProsecutionTask }

/// <summary>A task (R9 outcome review, permit still needed?, non-punishment): open until an addressed organisation completes it.</summary>
public sealed class TaskWorkflow : StepWorkflow<TaskStatus, TaskTrigger>
{
    private readonly ProsecutionCaseState _state;
    private readonly ProsecutionTask _task;
    private readonly Actor _actor;

    public TaskWorkflow(ProsecutionCaseState state, ProsecutionTask task, Actor actor)
        : base(task.Completed ? TaskStatus.Completed : TaskStatus.Open)
    {
        _state = state;
        _task = task;
        _actor = actor;
        Machine.Configure(TaskStatus.Open)
            .PermitIf(TaskTrigger.CompleteProsecutionTask, TaskStatus.Completed, () => _task.ForOrgTypes.Contains(_actor.OrgType), Guards.Addressed);
    }

    /// <summary>Guard descriptions.</summary>
    public static class Guards
    {
        public const string Addressed = "the task is addressed to the caller's organisation type";
    }

    protected override string Step => "prosecution";

    protected override Type CommandFor(TaskTrigger trigger) => typeof(CompleteProsecutionTask);

    public IReadOnlyList<object> Decide(string? note, DateTimeOffset now)
    {
        Fire(TaskTrigger.CompleteProsecutionTask, _actor);
        return [new ProsecutionTaskCompleted(_state.Id, _task.TaskId, note, now)];
    }

    /// <summary>The machine without a task, for the diagram.</summary>
    public static string Diagram() =>
        new TaskWorkflow(new ProsecutionCaseState(), new ProsecutionTask(Guid.Empty, TaskKind.OutcomeReview, Guid.Empty, [], default, false),
            new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();
}
