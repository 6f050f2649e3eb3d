using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;

namespace Referral.Modules.Tasks;

/// <summary>Inline projection of a case's tasks over the case stream (every step's public events).</summary>
public sealed partial class TasksProjection(TasksRules rules) : SingleStreamProjection<TasksState, Guid>
{
    public override TasksState? Evolve(TasksState? snapshot, Guid id, IEvent e) => TasksState.Fold(snapshot, e.Data, e.Info(), rules);
}
