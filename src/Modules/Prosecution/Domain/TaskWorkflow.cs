using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Prosecution.Features;

namespace Referral.Modules.Prosecution.Domain;

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
