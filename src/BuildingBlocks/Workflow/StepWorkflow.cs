using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Stateless;
using Stateless.Graph;

namespace Referral.BuildingBlocks.Workflow;

/// <summary>Marks a trigger only the system fires (a timer or an upstream step's event): no organisation may send it.</summary>
public sealed class SystemAct;

/// <summary>
/// Base of every step's Stateless machine. The machine reads an immutable snapshot of the step state and moves only a
/// scratch cursor: it decides whether a trigger may fire and explains why not (unmet guard descriptions), lists the
/// caller's allowed actions, and draws the Mermaid diagram. It has no entry/exit actions and does no I/O, so replaying
/// history can never cause side effects. Events are produced by the step's decider, not by the machine.
/// </summary>
/// <typeparam name="TStatus">The step's states.</typeparam>
/// <typeparam name="TTrigger">The step's triggers; each is named after the command that fires it.</typeparam>
public abstract class StepWorkflow<TStatus, TTrigger>
    where TStatus : struct, Enum
    where TTrigger : struct, Enum
{
    private TStatus _cursor;

    /// <summary>The actor of system transitions (a timer, an upstream step's event) and of the diagrams: no organisation.</summary>
    protected static readonly Actor System = new("system", "system", Contracts.OrgType.Other, null);

    protected StepWorkflow(TStatus current)
    {
        _cursor = current;
        Machine = new StateMachine<TStatus, TTrigger>(() => _cursor, s => _cursor = s);
    }

    protected StateMachine<TStatus, TTrigger> Machine { get; }

    /// <summary>The step name used in problem details (e.g. <c>suspicion</c>).</summary>
    protected abstract string Step { get; }

    /// <summary>The command type that fires <paramref name="trigger"/>; its <see cref="AllowedOrganisationsAttribute"/> says who may.</summary>
    protected abstract Type CommandFor(TTrigger trigger);

    public TStatus Current => _cursor;

    /// <summary>
    /// Fires <paramref name="trigger"/> on the scratch cursor and returns the state it leads to.
    /// Throws <see cref="WorkflowViolationException"/> (with unmet guards and allowed actions) when it may not fire.
    /// </summary>
    public TStatus Fire(TTrigger trigger, Actor actor)
    {
        if (!Machine.CanFire(trigger, out var unmet))
        {
            throw new WorkflowViolationException(Step, _cursor.ToString(), ActionName(trigger), unmet?.ToList() ?? [], AllowedActionNames(actor));
        }

        Machine.Fire(trigger);
        return _cursor;
    }

    /// <summary>The triggers this actor's organisation type may fire and whose guards hold now.</summary>
    public IReadOnlyList<TTrigger> AllowedActions(Actor actor) =>
        Enum.GetValues<TTrigger>()
            .Where(t => AllowedOrganisations.IsAllowed(CommandFor(t), actor.OrgType) && Machine.CanFire(t))
            .ToList();

    /// <summary>The commands this actor may send now (several triggers may share one command, e.g. a decision's outcomes).</summary>
    public IReadOnlyList<string> AllowedActionNames(Actor actor) => AllowedActions(actor).Select(ActionName).Distinct().ToList();

    /// <summary>The command name of a trigger; a system trigger (timer, upstream event) keeps its own name.</summary>
    protected string ActionName(TTrigger trigger) =>
        CommandFor(trigger) is var type && type == typeof(SystemAct) ? trigger.ToString() : type.Name;

    /// <summary>
    /// Moves the cursor for a transition caused by the system (a passed deadline, an upstream step's event) when the
    /// machine permits it here; otherwise the state stays as it is. Used when folding events, so guards are not re-run.
    /// </summary>
    public TStatus React(TTrigger trigger)
    {
        if (Machine.CanFire(trigger))
        {
            Machine.Fire(trigger);
        }

        return _cursor;
    }

    /// <summary>A guard with its description (shown in 409 answers and diagrams), as Stateless takes several.</summary>
    protected static Tuple<Func<bool>, string> G(Func<bool> guard, string description) => Tuple.Create(guard, description);

    /// <summary>The machine as a Mermaid state diagram (written to docs/manual by a test).</summary>
    public string ToMermaid() => MermaidGraph.Format(Machine.GetInfo()).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
}
