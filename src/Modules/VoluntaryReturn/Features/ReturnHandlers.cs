using JasperFx.Events;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.Modules.VoluntaryReturn.Contracts;
using Referral.Modules.VoluntaryReturn.Domain;

namespace Referral.Modules.VoluntaryReturn.Features;

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

    public static ReturnView From(ReturnState s, Actor actor, DateTimeOffset now) => new(
        s.Id, s.Version, s.Status, s.Category, s.DestinationCountry, s.DestinationType, s.CoordinatorApproved, s.IomApproved, s.RiskLevel,
        s.FitToTravel, s.NeedsAssessed, s.PreparedApplication, s.IsChild, s.BestInterestsSweden, s.BestInterestsCountryOfReturn, s.SocialServicesResponsible, s.Investigations,
        s.AwaitingAcknowledgement.Select(i => i.InvestigationId).ToList(), s.DepartureDate, s.ArrivedAt, s.ReintegrationPlan,
        s.ReintegrationContacts, s.HoldReason,
        new ReturnWorkflow(s, actor, null, now).AllowedActionNames(actor).Select(a => AllowedAction.For(s.Id, Step, a)).ToList());
}

/// <summary>The voluntary-return step of one case.</summary>
[AnyOrganisation]
public sealed record GetReturn(Guid CaseId) : IQuery<ReturnView>;

public sealed class ReturnQueryHandler(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock)
    : StepReader<ReturnState, ReturnView>(session, current, access, clock), IQueryHandler<GetReturn, ReturnView>
{
    public override string Step => ReturnView.Step;

    public ValueTask<ReturnView> Handle(GetReturn query, CancellationToken cancellationToken) => ReadAsync(query.CaseId, cancellationToken);

    protected override ReturnView View(ReturnState state, Actor actor, DateTimeOffset now) => ReturnView.From(state, actor, now);

    protected override ReturnState? Fold(ReturnState? state, IEvent e) => ReturnState.Fold(state, e.Data, new EventInfo(e.Version, e.Timestamp));
}

/// <summary>Every command of the step: fetch at the expected version, let the machine decide, append, answer the new state.</summary>
public sealed class ReturnCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock) :
    ICommandHandler<RecordReturnInformationGiven, ReturnView>,
    ICommandHandler<RecordReturnInterest, ReturnView>,
    ICommandHandler<PrepareReturnApplication, ReturnView>,
    ICommandHandler<SubmitReturnApplication, ReturnView>,
    ICommandHandler<RecordEligibilityDecision, ReturnView>,
    ICommandHandler<RecordPreDepartureAssessment, ReturnView>,
    ICommandHandler<RecordBestInterestsDetermination, ReturnView>,
    ICommandHandler<RecordInvestigationLeaderAcknowledgement, ReturnView>,
    ICommandHandler<ArrangeTravel, ReturnView>,
    ICommandHandler<RecordDeparture, ReturnView>,
    ICommandHandler<RecordArrival, ReturnView>,
    ICommandHandler<RecordChildHandover, ReturnView>,
    ICommandHandler<StartReintegration, ReturnView>,
    ICommandHandler<RecordReintegrationContact, ReturnView>,
    ICommandHandler<CompleteReintegration, ReturnView>,
    ICommandHandler<MarkReintegrationContactLost, ReturnView>,
    ICommandHandler<WithdrawFromReturn, ReturnView>,
    ICommandHandler<PutReturnOnHold, ReturnView>,
    ICommandHandler<ResumeReturn, ReturnView>
{
    public ValueTask<ReturnView> Handle(RecordReturnInformationGiven command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordReturnInterest command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(PrepareReturnApplication command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(SubmitReturnApplication command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordEligibilityDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordPreDepartureAssessment command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordBestInterestsDetermination command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordInvestigationLeaderAcknowledgement command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(ArrangeTravel command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordDeparture command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordArrival command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordChildHandover command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(StartReintegration command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(RecordReintegrationContact command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(CompleteReintegration command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(MarkReintegrationContactLost command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(WithdrawFromReturn command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(PutReturnOnHold command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ReturnView> Handle(ResumeReturn command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    private async ValueTask<ReturnView> Decide(CaseCommand<ReturnView> command, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<ReturnState>(command.CaseId, command.ExpectedVersion, s => new ReturnWorkflow(s, actor, command, now).Decide(now), ct);
        return ReturnView.From(state, actor, now);
    }
}
