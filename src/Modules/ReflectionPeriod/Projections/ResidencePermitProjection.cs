using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.ReflectionPeriod.Domain;

namespace Referral.Modules.ReflectionPeriod.Projections;

/// <summary>Inline projection of the step's state over the case stream, including the suspicion step's public events.</summary>
public sealed partial class ResidencePermitProjection : SingleStreamProjection<ResidencePermitState, Guid>
{
    public override ResidencePermitState? Evolve(ResidencePermitState? snapshot, Guid id, IEvent e) =>
        ResidencePermitState.Fold(snapshot, e.Data, e.Info());
}
