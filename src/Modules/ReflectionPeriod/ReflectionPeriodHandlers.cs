using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>
/// Handles every command of the step: fetch the state at the expected version, let the reflection-period or the
/// cooperation-permit machine decide, append, and answer the new state.
/// </summary>
public sealed class ReflectionPeriodCommandHandler(
    IDocumentSession session, ICurrentActor current, TimeProvider clock, IOptions<ReflectionPeriodOptions> options) :
    ICommandHandler<AssessReflectionEligibility, ResidencePermitView>,
    ICommandHandler<SubmitReflectionApplication, ResidencePermitView>,
    ICommandHandler<RecordReflectionDecision, ResidencePermitView>,
    ICommandHandler<RequestReflectionExtension, ResidencePermitView>,
    ICommandHandler<RecordReflectionExtensionDecision, ResidencePermitView>,
    ICommandHandler<EndReflectionPeriodEarly, ResidencePermitView>,
    ICommandHandler<CorrectReflectionDecision, ResidencePermitView>,
    ICommandHandler<RetractReflectionDecision, ResidencePermitView>,
    ICommandHandler<CorrectCooperationPermitDecision, ResidencePermitView>,
    ICommandHandler<RetractCooperationPermitDecision, ResidencePermitView>,
    ICommandHandler<SubmitCooperationPermitApplication, ResidencePermitView>,
    ICommandHandler<RecordCooperationPermitDecision, ResidencePermitView>,
    ICommandHandler<RequestCooperationPermitRenewal, ResidencePermitView>,
    ICommandHandler<RecordCooperationPermitRenewalDecision, ResidencePermitView>,
    ICommandHandler<ReportCooperationConditionUnmet, ResidencePermitView>,
    ICommandHandler<ProposeCooperationPermitRevocation, ResidencePermitView>,
    ICommandHandler<RecordCooperationPermitRevocationDecision, ResidencePermitView>
{
    public ValueTask<ResidencePermitView> Handle(AssessReflectionEligibility command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(SubmitReflectionApplication command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordReflectionDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RequestReflectionExtension command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordReflectionExtensionDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(EndReflectionPeriodEarly command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(CorrectReflectionDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RetractReflectionDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(CorrectCooperationPermitDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RetractCooperationPermitDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(SubmitCooperationPermitApplication command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RequestCooperationPermitRenewal command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitRenewalDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(ReportCooperationConditionUnmet command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(ProposeCooperationPermitRevocation command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitRevocationDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    /// <summary>The events a command produces: the cooperation-permit commands go to that machine, the rest to the reflection period's.</summary>
    public static IReadOnlyList<object> Decide(ReflectionPeriodState state, Actor actor, object command, ReflectionPeriodOptions options, DateTimeOffset now) =>
        command is SubmitCooperationPermitApplication or RecordCooperationPermitDecision or RequestCooperationPermitRenewal
            or RecordCooperationPermitRenewalDecision or ReportCooperationConditionUnmet or ProposeCooperationPermitRevocation or RecordCooperationPermitRevocationDecision or ExpireCooperationPermit
            or CorrectCooperationPermitDecision or RetractCooperationPermitDecision
            ? new CooperationPermitWorkflow(state, actor, options, command, now).Decide(now)
            : new ReflectionPeriodWorkflow(state, actor, options, command, now).Decide(now);

    private async ValueTask<ResidencePermitView> Decide(CaseCommand<ResidencePermitView> command, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<ReflectionPeriodState>(command.CaseId, command.ExpectedVersion,
            s => Decide(s, actor, command, options.Value, now), ct);
        return ResidencePermitView.From(state, actor, options.Value, now);
    }
}
