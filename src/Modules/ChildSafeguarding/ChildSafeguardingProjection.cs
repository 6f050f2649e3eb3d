using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;

namespace Referral.Modules.ChildSafeguarding;

/// <summary>Inline projection of the overlay over the case stream (with each event's acting organisation type, for R13).</summary>
public sealed partial class ChildSafeguardingProjection : SingleStreamProjection<ChildSafeguardingState, Guid>
{
    public override ChildSafeguardingState? Evolve(ChildSafeguardingState? snapshot, Guid id, IEvent e) =>
        ChildSafeguardingState.Fold(snapshot, e.Data, e.Info());
}
