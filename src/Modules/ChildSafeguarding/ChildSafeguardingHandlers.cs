using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.ChildSafeguarding;

/// <summary>Every command of the overlay: fetch at the expected version, let the machine decide, append, answer the new state.</summary>
public sealed class ChildSafeguardingCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, IOptions<ChildSafeguardingOptions> options) :
    ICommandHandler<RecordConcernReport, ChildSafeguardingView>,
    ICommandHandler<RecordProtectionAssessment, ChildSafeguardingView>,
    ICommandHandler<OpenChildInvestigation, ChildSafeguardingView>,
    ICommandHandler<DecideChildMeasure, ChildSafeguardingView>,
    ICommandHandler<CloseChildOverlay, ChildSafeguardingView>,
    ICommandHandler<RequestGuardian, ChildSafeguardingView>,
    ICommandHandler<RecordGuardianAppointment, ChildSafeguardingView>,
    ICommandHandler<RequestSpecialRepresentative, ChildSafeguardingView>
{
    public ValueTask<ChildSafeguardingView> Handle(RecordConcernReport command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ChildSafeguardingView> Handle(RecordProtectionAssessment command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ChildSafeguardingView> Handle(OpenChildInvestigation command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ChildSafeguardingView> Handle(DecideChildMeasure command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ChildSafeguardingView> Handle(CloseChildOverlay command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ChildSafeguardingView> Handle(RequestGuardian command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ChildSafeguardingView> Handle(RecordGuardianAppointment command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ChildSafeguardingView> Handle(RequestSpecialRepresentative command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    private async ValueTask<ChildSafeguardingView> Decide(CaseCommand<ChildSafeguardingView> command, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<ChildSafeguardingState>(command.CaseId, command.ExpectedVersion,
            s => new ChildSafeguardingWorkflow(s, actor, command, now, options.Value).Decide(), ct);
        return ChildSafeguardingView.From(state, actor, now, options.Value);
    }
}
