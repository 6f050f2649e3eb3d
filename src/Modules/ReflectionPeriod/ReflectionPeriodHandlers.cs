using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>
/// Every command of the step through the one write path (fetch at the expected version, decide, append, answer the new
/// state). Each line names the decider of its command type, on the reflection period's machine or the cooperation permit's.
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
    public ValueTask<ResidencePermitView> Handle(AssessReflectionEligibility c, CancellationToken ct) => Write(c, w => w.AssessReflectionEligibility(c), ct);

    public ValueTask<ResidencePermitView> Handle(SubmitReflectionApplication c, CancellationToken ct) => Write(c, w => w.SubmitReflectionApplication(c), ct);

    public ValueTask<ResidencePermitView> Handle(RecordReflectionDecision c, CancellationToken ct) => Write(c, w => w.RecordReflectionDecision(c), ct);

    public ValueTask<ResidencePermitView> Handle(RequestReflectionExtension c, CancellationToken ct) => Write(c, w => w.RequestReflectionExtension(c), ct);

    public ValueTask<ResidencePermitView> Handle(RecordReflectionExtensionDecision c, CancellationToken ct) => Write(c, w => w.RecordReflectionExtensionDecision(c), ct);

    public ValueTask<ResidencePermitView> Handle(EndReflectionPeriodEarly c, CancellationToken ct) => Write(c, w => w.EndReflectionPeriodEarly(c), ct);

    public ValueTask<ResidencePermitView> Handle(CorrectReflectionDecision c, CancellationToken ct) => Write(c, w => w.CorrectReflectionDecision(c), ct);

    public ValueTask<ResidencePermitView> Handle(RetractReflectionDecision c, CancellationToken ct) => Write(c, w => w.RetractReflectionDecision(c), ct);

    public ValueTask<ResidencePermitView> Handle(CorrectCooperationPermitDecision c, CancellationToken ct) => Permit(c, w => w.CorrectCooperationPermitDecision(c), ct);

    public ValueTask<ResidencePermitView> Handle(RetractCooperationPermitDecision c, CancellationToken ct) => Permit(c, w => w.RetractCooperationPermitDecision(c), ct);

    public ValueTask<ResidencePermitView> Handle(SubmitCooperationPermitApplication c, CancellationToken ct) => Permit(c, w => w.SubmitCooperationPermitApplication(c), ct);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitDecision c, CancellationToken ct) => Permit(c, w => w.RecordCooperationPermitDecision(c), ct);

    public ValueTask<ResidencePermitView> Handle(RequestCooperationPermitRenewal c, CancellationToken ct) => Permit(c, w => w.RequestCooperationPermitRenewal(c), ct);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitRenewalDecision c, CancellationToken ct) => Permit(c, w => w.RecordCooperationPermitRenewalDecision(c), ct);

    public ValueTask<ResidencePermitView> Handle(ReportCooperationConditionUnmet c, CancellationToken ct) => Permit(c, w => w.ReportCooperationConditionUnmet(c), ct);

    public ValueTask<ResidencePermitView> Handle(ProposeCooperationPermitRevocation c, CancellationToken ct) => Permit(c, w => w.ProposeCooperationPermitRevocation(c), ct);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitRevocationDecision c, CancellationToken ct) => Permit(c, w => w.RecordCooperationPermitRevocationDecision(c), ct);

    private ValueTask<ResidencePermitView> Write(CaseCommand<ResidencePermitView> command, Func<ReflectionPeriodWorkflow, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Write(command, (s, actor, now) => ReflectionPeriodWorkflow.For(s, actor, options.Value, now).Once(decide), ct);

    /// <summary>A cooperation-permit command (the sub-feature's own machine).</summary>
    private ValueTask<ResidencePermitView> Permit(CaseCommand<ResidencePermitView> command, Func<CooperationPermitWorkflow, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Write(command, (s, actor, now) => CooperationPermitWorkflow.For(s, actor, options.Value, now).Once(decide), ct);

    private async ValueTask<ResidencePermitView> Write(
        CaseCommand<ResidencePermitView> command, Func<ReflectionPeriodState, Actor, DateTimeOffset, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<ReflectionPeriodState>(command.CaseId, command.ExpectedVersion, s => decide(s, actor, now), ct);
        return ResidencePermitView.From(state, actor, options.Value, now);
    }
}
