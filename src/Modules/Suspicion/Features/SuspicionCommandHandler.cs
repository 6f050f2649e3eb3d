using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>
/// Handles every workflow command of the step the same way: fetch the state at the expected version, let
/// <see cref="SuspicionWorkflow"/> decide, append, and answer the new state with the caller's allowed actions.
/// </summary>
public sealed class SuspicionCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock) :
    ICommandHandler<RecordConsent, SuspicionView>,
    ICommandHandler<RequestCoordinatorConsultation, SuspicionView>,
    ICommandHandler<RecordIndicatorAssessment, SuspicionView>,
    ICommandHandler<DeclarePresumedVictim, SuspicionView>,
    ICommandHandler<CorrectPresumedVictimDeclaration, SuspicionView>,
    ICommandHandler<RetractPresumedVictimDeclaration, SuspicionView>,
    ICommandHandler<RecommendPresumedVictim, SuspicionView>,
    ICommandHandler<CloseAsNotTrafficking, SuspicionView>,
    ICommandHandler<MarkContactLost, SuspicionView>,
    ICommandHandler<Reopen, SuspicionView>,
    ICommandHandler<ReportPersonMissing, SuspicionView>,
    ICommandHandler<ReportPersonFound, SuspicionView>
{
    public ValueTask<SuspicionView> Handle(RecordConsent command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(RequestCoordinatorConsultation command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(RecordIndicatorAssessment command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(DeclarePresumedVictim command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(CorrectPresumedVictimDeclaration command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(RetractPresumedVictimDeclaration command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(RecommendPresumedVictim command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(CloseAsNotTrafficking command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(MarkContactLost command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(Reopen command, CancellationToken ct) => Decide(command, ct);

    public ValueTask<SuspicionView> Handle(ReportPersonMissing command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<SuspicionView> Handle(ReportPersonFound command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    private async ValueTask<SuspicionView> Decide(CaseCommand<SuspicionView> command, CancellationToken ct)
    {
        var actor = current.Actor;
        var state = await session.DecideAsync<SuspicionState>(
            command.CaseId,
            command.ExpectedVersion,
            s => command is ReportPersonMissing or ReportPersonFound
                ? new WhereaboutsWorkflow(s, actor, command).Decide(clock.GetUtcNow())
                : new SuspicionWorkflow(s, actor, command).Decide(clock.GetUtcNow()),
            ct);
        return SuspicionView.From(state, actor);
    }
}
