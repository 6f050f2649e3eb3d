using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>Whether the person is known to be reachable, or reported missing (rule R12).</summary>
public enum Whereabouts { Present, Missing }

/// <summary>The triggers of the whereabouts machine; each is fired by the command of the same name.</summary>
public enum WhereaboutsTrigger { ReportPersonMissing, ReportPersonFound }

/// <summary>
/// The person's whereabouts, owned by the first step because every later step reacts to it (R12): the reflection
/// period is suspended, a return is put on hold, a child's case becomes urgent. Independent of the identification state.
/// </summary>
public sealed class WhereaboutsWorkflow : StepWorkflow<Whereabouts, WhereaboutsTrigger>
{
    private static readonly WorkflowPool<WhereaboutsWorkflow> Pool = new(() => new WhereaboutsWorkflow());

    private static readonly TriggerTable<WhereaboutsTrigger> Table = new(
        (WhereaboutsTrigger.ReportPersonMissing, typeof(ReportPersonMissing)),
        (WhereaboutsTrigger.ReportPersonFound, typeof(ReportPersonFound)));

    private SuspicionState _state = null!;
    private DateTimeOffset _now;

    public WhereaboutsWorkflow(SuspicionState state, Actor actor, DateTimeOffset? now = null)
        : this() => Bind(state, actor, now);

    private WhereaboutsWorkflow()
    {
        Machine.Configure(Whereabouts.Present).Permit(WhereaboutsTrigger.ReportPersonMissing, Whereabouts.Missing);
        Machine.Configure(Whereabouts.Missing).Permit(WhereaboutsTrigger.ReportPersonFound, Whereabouts.Present);
    }

    /// <summary>A configured machine from the pool, bound to the case's suspicion step and the actor; <c>Dispose</c> gives it back.</summary>
    public static WhereaboutsWorkflow For(SuspicionState state, Actor actor, DateTimeOffset? now = null) => Pool.Rent().Bind(state, actor, now);

    private WhereaboutsWorkflow Bind(SuspicionState state, Actor actor, DateTimeOffset? now)
    {
        Reset(state.IsMissing ? Whereabouts.Missing : Whereabouts.Present, actor);
        _state = state;
        _now = now ?? DateTimeOffset.MinValue;
        return this;
    }

    protected override void Return() => Pool.Return(this);

    protected override string Step => "suspicion";

    protected override TriggerTable<WhereaboutsTrigger> Triggers => Table;

    public IReadOnlyList<object> ReportPersonMissing(ReportPersonMissing c)
    {
        Fire(c);
        return [new PersonReportedMissing(_state.Id, c.MissingSince ?? _now, _now)];
    }

    public IReadOnlyList<object> ReportPersonFound(ReportPersonFound c)
    {
        Fire(c);
        return [new PersonFound(_state.Id, c.FoundAt ?? _now, _now)];
    }

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new WhereaboutsWorkflow(new SuspicionState(), new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();
}
