using Microsoft.Extensions.Options;
using JasperFx.Events;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.VoluntaryReturn;

/// <summary>The voluntary return of a case with the caller's allowed actions. No personal data.</summary>
public sealed record ReturnView(
    Guid CaseId,
    long Version,
    ReturnStatus Status,
    EligibilityCategory? Category,
    string? DestinationCountry,
    DestinationType? DestinationType,
    bool CoordinatorApproved,
    bool IomApproved,
    RiskLevel? RiskLevel,
    bool FitToTravel,
    bool NeedsAssessed,
    PreparedApplication? PreparedApplication,
    bool IsChild,
    Determination? BestInterestsSweden,
    Determination? BestInterestsCountryOfReturn,
    bool SocialServicesResponsible,
    IReadOnlyList<OpenRole> Investigations,
    IReadOnlyList<Guid> AwaitingInvestigationLeaderAcknowledgement,
    DateOnly? DepartureDate,
    DateTimeOffset? ArrivedAt,
    IReadOnlyList<ReintegrationComponent> ReintegrationPlan,
    int ReintegrationContacts,
    HoldReason? HoldReason,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public const string Step = "voluntary-return";

    public static ReturnView From(VoluntaryReturnState s, Actor actor, DateTimeOffset now, VoluntaryReturnOptions options) => new(
        s.Id, s.Version, s.Status, s.Category, s.DestinationCountry, s.DestinationType, s.CoordinatorApproved, s.IomApproved, s.RiskLevel,
        s.FitToTravel, s.NeedsAssessed, s.PreparedApplication, s.IsChild, s.BestInterestsSweden, s.BestInterestsCountryOfReturn, s.SocialServicesResponsible, s.Investigations,
        s.AwaitingAcknowledgement.Select(i => i.InvestigationId).ToList(), s.DepartureDate, s.ArrivedAt, s.ReintegrationPlan,
        s.ReintegrationContacts, s.HoldReason,
        VoluntaryReturnWorkflow.For(s, actor, now, options).Once(w => w.AllowedActionNames()).Select(a => AllowedAction.For(s.Id, Step, a)).ToList());
}

/// <summary>The voluntary-return step of one case.</summary>
[AnyOrganisation]
public sealed record GetReturn(Guid CaseId) : IQuery<ReturnView>;

public sealed class VoluntaryReturnReader(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock, IOptions<VoluntaryReturnOptions> options)
    : StepReader<VoluntaryReturnState, ReturnView>(session, current, access, clock), IQueryHandler<GetReturn, ReturnView>
{
    public override string Step => ReturnView.Step;

    public ValueTask<ReturnView> Handle(GetReturn query, CancellationToken cancellationToken) => ReadAsync(query.CaseId, cancellationToken);

    protected override ReturnView View(VoluntaryReturnState state, Actor actor, DateTimeOffset now) => ReturnView.From(state, actor, now, options.Value);

    protected override VoluntaryReturnState? Fold(VoluntaryReturnState? state, IEvent e) => VoluntaryReturnState.Fold(state, e.Data, new EventInfo(e.Version, e.Timestamp));
}
