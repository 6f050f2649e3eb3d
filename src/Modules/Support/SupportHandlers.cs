using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;

namespace Referral.Modules.Support;

/// <summary>
/// Every command of the step through the one write path (fetch at the expected version, decide, append, answer the new
/// state). Each line names the decider of its command type: one dispatch per command.
/// </summary>
public sealed class SupportCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, IOptions<SupportOptions> options) :
    ICommandHandler<StartSupport, SupportView>,
    ICommandHandler<StartInitialPhase, SupportView>,
    ICommandHandler<StartLongTermPhase, SupportView>,
    ICommandHandler<EndSupport, SupportView>,
    ICommandHandler<RecordInformationGiven, SupportView>,
    ICommandHandler<RecordRiskAssessment, SupportView>,
    ICommandHandler<RequestService, SupportView>,
    ICommandHandler<DecideService, SupportView>,
    ICommandHandler<CorrectServiceDecision, SupportView>,
    ICommandHandler<RetractServiceDecision, SupportView>,
    ICommandHandler<StartService, SupportView>,
    ICommandHandler<EndService, SupportView>
{
    public ValueTask<SupportView> Handle(StartSupport c, CancellationToken ct) => Write(c, w => w.StartSupport(c), ct);

    public ValueTask<SupportView> Handle(StartInitialPhase c, CancellationToken ct) => Write(c, w => w.StartInitialPhase(c), ct);

    public ValueTask<SupportView> Handle(StartLongTermPhase c, CancellationToken ct) => Write(c, w => w.StartLongTermPhase(c), ct);

    public ValueTask<SupportView> Handle(EndSupport c, CancellationToken ct) => Write(c, w => w.EndSupport(c), ct);

    public ValueTask<SupportView> Handle(RecordInformationGiven c, CancellationToken ct) => Write(c, w => w.RecordInformationGiven(c), ct);

    public ValueTask<SupportView> Handle(RecordRiskAssessment c, CancellationToken ct) => Write(c, w => w.RecordRiskAssessment(c), ct);

    public ValueTask<SupportView> Handle(RequestService c, CancellationToken ct) => Write(c, w => w.RequestService(c, Guid.NewGuid()), ct);

    public ValueTask<SupportView> Handle(DecideService c, CancellationToken ct) => WriteLine(c, c.ServiceLineId, w => w.DecideService(c), ct);

    public ValueTask<SupportView> Handle(CorrectServiceDecision c, CancellationToken ct) => WriteLine(c, c.ServiceLineId, w => w.CorrectServiceDecision(c), ct);

    public ValueTask<SupportView> Handle(RetractServiceDecision c, CancellationToken ct) => WriteLine(c, c.ServiceLineId, w => w.RetractServiceDecision(c), ct);

    public ValueTask<SupportView> Handle(StartService c, CancellationToken ct) => WriteLine(c, c.ServiceLineId, w => w.StartService(c), ct);

    public ValueTask<SupportView> Handle(EndService c, CancellationToken ct) => WriteLine(c, c.ServiceLineId, w => w.EndService(c), ct);

    private ValueTask<SupportView> Write(CaseCommand<SupportView> command, Func<SupportWorkflow, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Write(command, (s, actor, now) => SupportWorkflow.For(s, actor, now, options.Value).Once(decide), ct);

    /// <summary>A command on one service line (its own machine, a sub-feature of the step).</summary>
    private ValueTask<SupportView> WriteLine(CaseCommand<SupportView> command, Guid? lineId, Func<ServiceLineWorkflow, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Write(command, (s, actor, now) => decide(new ServiceLineWorkflow(s, lineId, actor, now)), ct);

    private async ValueTask<SupportView> Write(CaseCommand<SupportView> command, Func<SupportState, Actor, DateTimeOffset, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<SupportState>(command.CaseId, command.ExpectedVersion, s => decide(s, actor, now), ct);
        return SupportView.From(state, actor, now, options.Value);
    }
}
