using Microsoft.Extensions.Options;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;

namespace Referral.Modules.VoluntaryReturn;

/// <summary>Every command of the step through the one write path; each line names the decider of its command type.</summary>
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
    public ValueTask<ReturnView> Handle(RecordReturnInformationGiven c, CancellationToken ct) => Write(c, w => w.RecordReturnInformationGiven(c), ct);

    public ValueTask<ReturnView> Handle(RecordReturnInterest c, CancellationToken ct) => Write(c, w => w.RecordReturnInterest(c), ct);

    public ValueTask<ReturnView> Handle(PrepareReturnApplication c, CancellationToken ct) => Write(c, w => w.PrepareReturnApplication(c), ct);

    public ValueTask<ReturnView> Handle(SubmitReturnApplication c, CancellationToken ct) => Write(c, w => w.SubmitReturnApplication(c), ct);

    public ValueTask<ReturnView> Handle(RecordEligibilityDecision c, CancellationToken ct) => Write(c, w => w.RecordEligibilityDecision(c), ct);

    public ValueTask<ReturnView> Handle(RecordPreDepartureAssessment c, CancellationToken ct) => Write(c, w => w.RecordPreDepartureAssessment(c), ct);

    public ValueTask<ReturnView> Handle(RecordBestInterestsDetermination c, CancellationToken ct) => Write(c, w => w.RecordBestInterestsDetermination(c), ct);

    public ValueTask<ReturnView> Handle(RecordInvestigationLeaderAcknowledgement c, CancellationToken ct) => Write(c, w => w.RecordInvestigationLeaderAcknowledgement(c), ct);

    public ValueTask<ReturnView> Handle(RecordInvestigationLeaderNotified c, CancellationToken ct) => Write(c, w => w.RecordInvestigationLeaderNotified(c), ct);

    public ValueTask<ReturnView> Handle(ArrangeTravel c, CancellationToken ct) => Write(c, w => w.ArrangeTravel(c), ct);

    public ValueTask<ReturnView> Handle(RecordDeparture c, CancellationToken ct) => Write(c, w => w.RecordDeparture(c), ct);

    public ValueTask<ReturnView> Handle(RecordArrival c, CancellationToken ct) => Write(c, w => w.RecordArrival(c), ct);

    public ValueTask<ReturnView> Handle(RecordChildHandover c, CancellationToken ct) => Write(c, w => w.RecordChildHandover(c), ct);

    public ValueTask<ReturnView> Handle(StartReintegration c, CancellationToken ct) => Write(c, w => w.StartReintegration(c), ct);

    public ValueTask<ReturnView> Handle(RecordReintegrationContact c, CancellationToken ct) => Write(c, w => w.RecordReintegrationContact(c), ct);

    public ValueTask<ReturnView> Handle(CompleteReintegration c, CancellationToken ct) => Write(c, w => w.CompleteReintegration(c), ct);

    public ValueTask<ReturnView> Handle(MarkReintegrationContactLost c, CancellationToken ct) => Write(c, w => w.MarkReintegrationContactLost(c), ct);

    public ValueTask<ReturnView> Handle(WithdrawFromReturn c, CancellationToken ct) => Write(c, w => w.WithdrawFromReturn(c), ct);

    public ValueTask<ReturnView> Handle(PutReturnOnHold c, CancellationToken ct) => Write(c, w => w.PutReturnOnHold(c), ct);

    public ValueTask<ReturnView> Handle(ResumeReturn c, CancellationToken ct) => Write(c, w => w.ResumeReturn(c), ct);

    private async ValueTask<ReturnView> Write(CaseCommand<ReturnView> command, Func<VoluntaryReturnWorkflow, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<VoluntaryReturnState>(command.CaseId, command.ExpectedVersion,
            s => VoluntaryReturnWorkflow.For(s, actor, now, options.Value).Once(decide), ct);
        return ReturnView.From(state, actor, now, options.Value);
    }
}
