using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;
using Referral.Modules.Suspicion.Features;

namespace Referral.Modules.Suspicion.Projections;

/// <summary>Inline projection of the suspicion step's state over the case stream (same transaction as the events).</summary>
public sealed partial class SuspicionStateProjection : SingleStreamProjection<SuspicionState, Guid>
{
    public override SuspicionState? Evolve(SuspicionState? snapshot, Guid id, IEvent e) =>
        SuspicionState.Fold(snapshot, e.Data, e.Info());
}

/// <summary>Inline projection of an anonymous consultation stream into its (personal-data-free) record.</summary>
public sealed partial class ConsultationProjection : SingleStreamProjection<ConsultationView, Guid>
{
    /// <summary>Only consultation streams: without this, every case-stream save would load a consultation document.</summary>
    public ConsultationProjection() => IncludeType<AnonymousConsultationRecorded>();

    public override ConsultationView? Evolve(ConsultationView? snapshot, Guid id, IEvent e) =>
        e.Data is AnonymousConsultationRecorded recorded ? ConsultationHandler.FromEvent(recorded) : snapshot;
}
