using Microsoft.Extensions.ObjectPool;
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
public abstract class StepWorkflow<TStatus, TTrigger> : IDisposable
    where TStatus : struct, Enum
    where TTrigger : struct, Enum
{
    private TStatus _cursor;
    private bool _bound;

    /// <summary>The actor of system transitions (a timer, an upstream step's event) and of the diagrams: no organisation.</summary>
    protected static readonly Actor System = new("system", "system", Contracts.OrgType.Other, null);

    /// <summary>A machine to configure once and bind per use (<see cref="Reset"/>), e.g. kept in a <see cref="WorkflowPool{T}"/>.</summary>
    protected StepWorkflow()
    {
        Actor = System;
        Machine = new StateMachine<TStatus, TTrigger>(() => _cursor, s => _cursor = s);
    }

    /// <param name="current">The step's state now.</param>
    /// <param name="actor">Who acts: the guards, the permissions of the allowed actions and the deciders read it.</param>
    protected StepWorkflow(TStatus current, Actor actor)
        : this() => Reset(current, actor);

    protected StateMachine<TStatus, TTrigger> Machine { get; }

    /// <summary>Who acts.</summary>
    protected Actor Actor { get; private set; }

    /// <summary>The command being decided, for the guards that read it (none while listing allowed actions).</summary>
    protected object? Command { get; private set; }

    /// <summary>The step name used in problem details (e.g. <c>suspicion</c>).</summary>
    protected abstract string Step { get; }

    /// <summary>The machine's one trigger ↔ command table (a static field of the workflow, built once).</summary>
    protected abstract TriggerTable<TTrigger> Triggers { get; }

    public TStatus Current => _cursor;

    /// <summary>Binds the configured machine to a step's state and an actor for one use (no command yet).</summary>
    protected void Reset(TStatus current, Actor actor)
    {
        _cursor = current;
        Actor = actor;
        Command = null;
        _bound = true;
    }

    /// <summary>Ends this use: a pooled workflow goes back to its pool (once, however often this is called).</summary>
    public void Dispose()
    {
        if (_bound)
        {
            _bound = false;
            Command = null;
            Return();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Gives this configured machine back to its pool; a workflow that is not pooled does nothing.</summary>
    protected virtual void Return()
    {
    }

    /// <summary>Fires the trigger <paramref name="command"/>'s type has in the table, and returns the state it leads to.</summary>
    protected TStatus Fire(object command) => Fire(Triggers.TriggerFor(command.GetType()), command);

    /// <summary>
    /// Fires <paramref name="trigger"/> for <paramref name="command"/> (the guards read it; none for a system act) on the
    /// scratch cursor and returns the state it leads to. Throws <see cref="WorkflowViolationException"/> (with the unmet
    /// guards and the allowed actions) when it may not fire.
    /// </summary>
    protected TStatus Fire(TTrigger trigger, object? command)
    {
        Command = command;
        if (!Machine.CanFire(trigger, out var unmet))
        {
            throw new WorkflowViolationException(Step, _cursor.ToString(), Triggers.ActionName(trigger), unmet?.ToList() ?? [], AllowedActionNames());
        }

        Machine.Fire(trigger);
        return _cursor;
    }

    /// <summary>The triggers the actor's organisation type may fire and whose guards hold now.</summary>
    public IReadOnlyList<TTrigger> AllowedActions()
    {
        var allowed = new List<TTrigger>();
        foreach (var trigger in Triggers.All)
        {
            if (Triggers.IsAllowed(trigger, Actor.OrgType) && Machine.CanFire(trigger))
            {
                allowed.Add(trigger);
            }
        }

        return allowed;
    }

    /// <summary>The commands the actor may send now (several triggers may share one command, e.g. a decision's outcomes).</summary>
    public IReadOnlyList<string> AllowedActionNames() => AllowedActions().Select(Triggers.ActionName).Distinct().ToList();

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

/// <summary>
/// Configured machines of one workflow type, reused: configuring a Stateless machine allocates about 10 KB (states,
/// transitions, guards), and a request would otherwise configure one to nine of them (docs/benchmarks.md). A workflow is
/// rented per use, bound to the case's state and the actor, and given back by <c>Dispose</c>; at most a few per core are
/// kept. A rented workflow is used by one request at a time only.
/// </summary>
/// <typeparam name="T">The workflow type.</typeparam>
public sealed class WorkflowPool<T>(Func<T> configure) where T : class
{
    private readonly DefaultObjectPool<T> _pool = new(new Policy(configure), Environment.ProcessorCount * 4);

    /// <summary>A configured machine (a new one when none is free).</summary>
    public T Rent() => _pool.Get();

    /// <summary>Gives a machine back.</summary>
    public void Return(T workflow) => _pool.Return(workflow);

    private sealed class Policy(Func<T> configure) : IPooledObjectPolicy<T>
    {
        public T Create() => configure();

        public bool Return(T obj) => true;
    }
}

/// <summary>One use of a rented workflow.</summary>
public static class WorkflowUse
{
    /// <summary>Runs <paramref name="use"/> on <paramref name="workflow"/> and gives the workflow back (also when it throws a 409).</summary>
    public static TResult Once<TWorkflow, TResult>(this TWorkflow workflow, Func<TWorkflow, TResult> use) where TWorkflow : IDisposable
    {
        using (workflow)
        {
            return use(workflow);
        }
    }
}
