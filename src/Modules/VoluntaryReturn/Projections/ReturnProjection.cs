using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.VoluntaryReturn.Domain;

namespace Referral.Modules.VoluntaryReturn.Projections;

/// <summary>Inline projection of the voluntary-return step over the case stream.</summary>
public sealed partial class ReturnProjection : SingleStreamProjection<ReturnState, Guid>
{
    public override ReturnState? Evolve(ReturnState? snapshot, Guid id, IEvent e) =>
        ReturnState.Fold(snapshot, e.Data, new EventInfo(e.Version, e.Timestamp));
}
