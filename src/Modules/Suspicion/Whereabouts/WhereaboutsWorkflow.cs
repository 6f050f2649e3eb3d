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
    private readonly SuspicionState _state;
    private readonly Actor _actor;
    private readonly object? _command;

    public WhereaboutsWorkflow(SuspicionState state, Actor actor, object? command = null)
        : base(state.IsMissing ? Whereabouts.Missing : Whereabouts.Present)
    {
        _state = state;
        _actor = actor;
        _command = command;
        Machine.Configure(Whereabouts.Present).Permit(WhereaboutsTrigger.ReportPersonMissing, Whereabouts.Missing);
        Machine.Configure(Whereabouts.Missing).Permit(WhereaboutsTrigger.ReportPersonFound, Whereabouts.Present);
    }

    protected override string Step => "suspicion";

    protected override Type CommandFor(WhereaboutsTrigger trigger) => trigger switch
    {
        WhereaboutsTrigger.ReportPersonMissing => typeof(ReportPersonMissing),
        _ => typeof(ReportPersonFound),
    };

    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        switch (_command)
        {
            case ReportPersonMissing c:
                Fire(WhereaboutsTrigger.ReportPersonMissing, _actor);
                return [new PersonReportedMissing(_state.Id, c.MissingSince ?? now, now)];
            case ReportPersonFound c:
                Fire(WhereaboutsTrigger.ReportPersonFound, _actor);
                return [new PersonFound(_state.Id, c.FoundAt ?? now, now)];
            default:
                throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a whereabouts command.");
        }
    }

    /// <summary>The allowed actions of this actor now.</summary>
    public IReadOnlyList<WhereaboutsTrigger> AllowedActions() => AllowedActions(_actor);

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new WhereaboutsWorkflow(new SuspicionState(), new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();
}
