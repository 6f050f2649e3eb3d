using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>Inline projection of the step's state over the case stream, including the suspicion step's public events.</summary>
public sealed partial class ReflectionPeriodProjection : SingleStreamProjection<ReflectionPeriodState, Guid>
{
    public override ReflectionPeriodState? Evolve(ReflectionPeriodState? snapshot, Guid id, IEvent e) =>
        ReflectionPeriodState.Fold(snapshot, e.Data, e.Info());
}
