using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;

namespace Referral.Modules.VoluntaryReturn;

/// <summary>Inline projection of the voluntary-return step over the case stream.</summary>
public sealed partial class VoluntaryReturnProjection : SingleStreamProjection<VoluntaryReturnState, Guid>
{
    public override VoluntaryReturnState? Evolve(VoluntaryReturnState? snapshot, Guid id, IEvent e) =>
        VoluntaryReturnState.Fold(snapshot, e.Data, new EventInfo(e.Version, e.Timestamp));
}
