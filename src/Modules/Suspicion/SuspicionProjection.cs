using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;

namespace Referral.Modules.Suspicion;

/// <summary>Inline projection of the suspicion step's state over the case stream (same transaction as the events).</summary>
public sealed partial class SuspicionStateProjection : SingleStreamProjection<SuspicionState, Guid>
{
    public override SuspicionState? Evolve(SuspicionState? snapshot, Guid id, IEvent e) =>
        SuspicionState.Fold(snapshot, e.Data, e.Info());
}
