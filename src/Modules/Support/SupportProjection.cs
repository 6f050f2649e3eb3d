using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;

namespace Referral.Modules.Support;

/// <summary>Inline projection of the support step over the case stream.</summary>
public sealed partial class SupportProjection : SingleStreamProjection<SupportState, Guid>
{
    public override SupportState? Evolve(SupportState? snapshot, Guid id, IEvent e) =>
        SupportState.Fold(snapshot, e.Data, e.Info());
}
