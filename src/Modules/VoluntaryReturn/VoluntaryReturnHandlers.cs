using Microsoft.Extensions.Options;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.VoluntaryReturn;

/// <summary>Every command of the step: fetch at the expected version, let the machine decide, append, answer the new state.</summary>
public sealed class VoluntaryReturnCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, IOptions<VoluntaryReturnOptions> options) :
    ICommandHandler<RecordReturnInformationGiven, ReturnView>,
    ICommandHandler<RecordReturnInterest, ReturnView>,
    ICommandHandler<PrepareReturnApplication, ReturnView>,
    ICommandHandler<SubmitReturnApplication, ReturnView>,
    ICommandHandler<RecordEligibilityDecision, ReturnView>,
    ICommandHandler<RecordPreDepartureAssessment, ReturnView>,
    ICommandHandler<RecordBestInterestsDetermination, ReturnView>,
    ICommandHandler<RecordInvestigationLeaderAcknowledgement, ReturnView>,
    ICommandHandler<RecordInvestigationLeaderNotified, ReturnView>,
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

    public ValueTask<ReturnView> Handle(RecordInvestigationLeaderNotified command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

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
        var state = await session.DecideAsync<VoluntaryReturnState>(command.CaseId, command.ExpectedVersion, s => new VoluntaryReturnWorkflow(s, actor, command, now, options.Value).Decide(now), ct);
        return ReturnView.From(state, actor, now, options.Value);
    }
}
