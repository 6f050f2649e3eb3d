using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.Outreach.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Outreach;

/// <summary>Inline projection of each operation over its own stream (only the operations' events, so case saves never load it).</summary>
public sealed partial class OutreachProjection : SingleStreamProjection<OutreachState, Guid>
{
    public OutreachProjection()
    {
        foreach (var type in OutreachEventAliases.All.Keys)
        {
            IncludeType(type);
        }
    }

    public override OutreachState? Evolve(OutreachState? snapshot, Guid id, IEvent e) => OutreachState.Fold(snapshot, e.Data, e.Info());
}

/// <summary>Inline projection of a case's link to the operation it was registered from, over the case stream.</summary>
public sealed partial class OperationCaseLinkProjection : SingleStreamProjection<OperationCaseLink, Guid>
{
    public OperationCaseLinkProjection()
    {
        IncludeType<SuspicionRegistered>();
        IncludeType<PresumedVictimDeclared>();
    }

    public override OperationCaseLink? Evolve(OperationCaseLink? snapshot, Guid id, IEvent e) => OperationCaseLink.Fold(snapshot, e.Data, e.Info());
}
