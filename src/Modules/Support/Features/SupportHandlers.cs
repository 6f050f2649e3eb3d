using JasperFx.Events;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Support.Contracts;
using Referral.Modules.Support.Domain;

namespace Referral.Modules.Support.Features;

/// <summary>Support and protection of a case with the caller's allowed actions. No personal data (placements name no address).</summary>
public sealed record SupportView(
    Guid CaseId,
    long Version,
    SupportPhase Phase,
    SupportStartGround? StartGround,
    DateTimeOffset? PhaseSince,
    SupportEndReason? EndReason,
    bool PersonMissing,
    bool ReflectionPeriodOver,
    IReadOnlyList<ServiceLine> ServiceLines,
    IReadOnlyList<RiskAssessment> RiskAssessments,
    IReadOnlyList<InformationItem> InformationGiven,
    IReadOnlyList<InformationItem> InformationNotYetGiven,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public const string Step = "support";

    public static SupportView From(SupportState s, Actor actor, DateTimeOffset now, SupportOptions options) => new(
        s.Id, s.Version, s.Phase, s.StartGround, s.PhaseSince, s.EndReason, s.PersonMissing, s.ReflectionPeriodOver, s.Lines, s.RiskAssessments,
        s.InformationGiven, Enum.GetValues<InformationItem>().Except(s.InformationGiven).ToList(),
        new SupportWorkflow(s, actor, null, now, options).AllowedActionNames(actor).Select(a => AllowedAction.For(s.Id, Step, a)).ToList());
}

/// <summary>The support step of one case.</summary>
[AnyOrganisation]
public sealed record GetSupport(Guid CaseId) : IQuery<SupportView>;

public sealed class SupportQueryHandler(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock, IOptions<SupportOptions> options)
    : StepReader<SupportState, SupportView>(session, current, access, clock), IQueryHandler<GetSupport, SupportView>
{
    public override string Step => SupportView.Step;

    public ValueTask<SupportView> Handle(GetSupport query, CancellationToken cancellationToken) => ReadAsync(query.CaseId, cancellationToken);

    protected override SupportView View(SupportState state, Actor actor, DateTimeOffset now) => SupportView.From(state, actor, now, options.Value);

    protected override SupportState? Fold(SupportState? state, IEvent e) => SupportState.Fold(state, e.Data, e.Info());
}

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
