using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.Reimbursement.Contracts;

namespace Referral.Modules.Reimbursement;

/// <summary>Inline projection of each claim over its own stream.</summary>
public sealed partial class ClaimProjection : SingleStreamProjection<ClaimState, Guid>
{
    /// <summary>
    /// Only claim streams: without the event types, every case-stream save would load a claim document that never exists
    /// (one round trip per command, found by the benchmark's statement capture).
    /// </summary>
    public ClaimProjection()
    {
        foreach (var type in ReimbursementEventAliases.All.Keys)
        {
            IncludeType(type);
        }
    }

    public override ClaimState? Evolve(ClaimState? snapshot, Guid id, IEvent e) =>
        ClaimState.Fold(snapshot, e.Data, e.Info());
}

/// <summary>Inline projection of a case's reimbursement facts over the case stream (with the deciding organisation of each event).</summary>
public sealed partial class CaseCostBasisProjection : SingleStreamProjection<CaseCostBasis, Guid>
{
    public override CaseCostBasis? Evolve(CaseCostBasis? snapshot, Guid id, IEvent e) =>
        CaseCostBasis.Fold(snapshot, e.Data, e.Info());
}
