using JasperFx.Events;
using Marten.Events.Aggregation;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.Statistics;

/// <summary>Inline projection of a case's statistics record over the case stream (only the events it reads).</summary>
public sealed partial class StatisticsProjection : SingleStreamProjection<StatisticsRecord, Guid>
{
    public StatisticsProjection()
    {
        foreach (var type in new[]
        {
            typeof(SuspicionRegistered), typeof(IndicatorsAssessed), typeof(PresumedVictimDeclared), typeof(PresumedVictimDeclarationCorrected),
            typeof(PresumedVictimDeclarationRetracted), typeof(CaseClosedNotTrafficking), typeof(CaseReopened), typeof(SubjectLinked),
            typeof(ReflectionApplicationSubmitted), typeof(ReflectionPeriodGranted), typeof(ReflectionPeriodRejected), typeof(CooperationPermitGranted), typeof(InvestigationOutcomeRecorded), typeof(ReturnDeparted),
        })
        {
            IncludeType(type);
        }
    }

    public override StatisticsRecord? Evolve(StatisticsRecord? snapshot, Guid id, IEvent e) => StatisticsRecord.Fold(snapshot, e.Data, e.Info());
}
