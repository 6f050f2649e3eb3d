using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;

namespace Referral.Modules.ChildSafeguarding;

/// <summary>Every command of the overlay through the one write path; each line names the decider of its command type.</summary>
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
    public ValueTask<ChildSafeguardingView> Handle(RecordConcernReport c, CancellationToken ct) => Write(c, w => w.RecordConcernReport(c), ct);

    public ValueTask<ChildSafeguardingView> Handle(RecordProtectionAssessment c, CancellationToken ct) => Write(c, w => w.RecordProtectionAssessment(c), ct);

    public ValueTask<ChildSafeguardingView> Handle(OpenChildInvestigation c, CancellationToken ct) => Write(c, w => w.OpenChildInvestigation(c), ct);

    public ValueTask<ChildSafeguardingView> Handle(DecideChildMeasure c, CancellationToken ct) => Write(c, w => w.DecideChildMeasure(c), ct);

    public ValueTask<ChildSafeguardingView> Handle(CloseChildOverlay c, CancellationToken ct) => Write(c, w => w.CloseChildOverlay(c), ct);

    public ValueTask<ChildSafeguardingView> Handle(RequestGuardian c, CancellationToken ct) => Write(c, w => w.RequestGuardian(c), ct);

    public ValueTask<ChildSafeguardingView> Handle(RecordGuardianAppointment c, CancellationToken ct) => Write(c, w => w.RecordGuardianAppointment(c), ct);

    public ValueTask<ChildSafeguardingView> Handle(RequestSpecialRepresentative c, CancellationToken ct) => Write(c, w => w.RequestSpecialRepresentative(c), ct);

    private async ValueTask<ChildSafeguardingView> Write(CaseCommand<ChildSafeguardingView> command, Func<ChildSafeguardingWorkflow, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<ChildSafeguardingState>(command.CaseId, command.ExpectedVersion,
            s => ChildSafeguardingWorkflow.For(s, actor, now, options.Value).Once(decide), ct);
        return ChildSafeguardingView.From(state, actor, now, options.Value);
    }
}
