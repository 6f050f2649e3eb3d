using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.Prosecution.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>Inline projection of an investigation stream.</summary>
public sealed partial class InvestigationProjection : SingleStreamProjection<InvestigationState, Guid>
{
    /// <summary>Only investigation-stream events: without this, every case-stream save would load an investigation document.</summary>
    public InvestigationProjection()
    {
        IncludeType<PoliceReportFiled>();
        IncludeType<PreliminaryInvestigationOpened>();
        IncludeType<InvestigativeMeasuresStarted>();
        IncludeType<CaseLinkedToInvestigation>();
        IncludeType<PreliminaryInvestigationClosed>();
        IncludeType<Indicted>();
        IncludeType<TrialScheduled>();
        IncludeType<JudgmentDelivered>();
        IncludeType<JudgmentAppealed>();
        IncludeType<JudgmentFinal>();
        IncludeType<InvestigationReferred>();
    }

    public override InvestigationState? Evolve(InvestigationState? snapshot, Guid id, IEvent e) =>
        InvestigationState.Fold(snapshot, e.Data, e.Info());
}

/// <summary>Inline projection of the prosecution step over the case stream.</summary>
public sealed partial class ProsecutionCaseProjection : SingleStreamProjection<ProsecutionCaseState, Guid>
{
    public override ProsecutionCaseState? Evolve(ProsecutionCaseState? snapshot, Guid id, IEvent e) =>
        ProsecutionCaseState.Fold(snapshot, e.Data, new EventInfo(e.Version, e.Timestamp));
}
