using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Support;

/// <summary>Every command of the step: fetch at the expected version, let the machines decide, append, answer the new state.</summary>
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
    public ValueTask<SupportView> Handle(StartSupport command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(StartInitialPhase command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(StartLongTermPhase command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(EndSupport command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(RecordInformationGiven command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(RecordRiskAssessment command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(RequestService command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(DecideService command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(CorrectServiceDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(RetractServiceDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(StartService command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SupportView> Handle(EndService command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    private async ValueTask<SupportView> Decide(CaseCommand<SupportView> command, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var newLineId = Guid.NewGuid();
        var state = await session.DecideAsync<SupportState>(command.CaseId, command.ExpectedVersion,
            s => new SupportWorkflow(s, actor, command, now, options.Value).Decide(now, newLineId), ct);
        return SupportView.From(state, actor, now, options.Value);
    }
}
