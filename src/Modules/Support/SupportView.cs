using JasperFx.Events;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Support.Contracts;

namespace Referral.Modules.Support;

/// <summary>Support and protection of a case with the caller's allowed actions. No personal data (placements name no address).</summary>
public sealed record SupportView(
    Guid CaseId,
    long Version,
    SupportPhase Phase,
    SupportStartGround? StartGround,
    DateTimeOffset? PhaseSince,
    SupportEndReason? EndReason,
    bool PersonMissing,
    bool ReflectionPeriodOver,
    IReadOnlyList<ServiceLine> ServiceLines,
    IReadOnlyList<RiskAssessment> RiskAssessments,
    IReadOnlyList<InformationItem> InformationGiven,
    IReadOnlyList<InformationItem> InformationNotYetGiven,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public const string Step = "support";

    public static SupportView From(SupportState s, Actor actor, DateTimeOffset now, SupportOptions options) => new(
        s.Id, s.Version, s.Phase, s.StartGround, s.PhaseSince, s.EndReason, s.PersonMissing, s.ReflectionPeriodOver, s.Lines, s.RiskAssessments,
        s.InformationGiven, Enum.GetValues<InformationItem>().Except(s.InformationGiven).ToList(),
        SupportWorkflow.For(s, actor, now, options).Once(w => w.AllowedActionNames()).Select(a => AllowedAction.For(s.Id, Step, a)).ToList());
}

/// <summary>The support step of one case.</summary>
[AnyOrganisation]
public sealed record GetSupport(Guid CaseId) : IQuery<SupportView>;

public sealed class SupportReader(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock, IOptions<SupportOptions> options)
    : StepReader<SupportState, SupportView>(session, current, access, clock), IQueryHandler<GetSupport, SupportView>
{
    public override string Step => SupportView.Step;

    public ValueTask<SupportView> Handle(GetSupport query, CancellationToken cancellationToken) => ReadAsync(query.CaseId, cancellationToken);

    protected override SupportView View(SupportState state, Actor actor, DateTimeOffset now) => SupportView.From(state, actor, now, options.Value);

    protected override SupportState? Fold(SupportState? state, IEvent e) => SupportState.Fold(state, e.Data, e.Info());
}
