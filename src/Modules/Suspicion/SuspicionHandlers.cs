using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

public sealed class RegisterSuspicionHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, PersonRecordCipher cipher)
    : ICommandHandler<RegisterSuspicion, SuspicionView>
{
    public async ValueTask<SuspicionView> Handle(RegisterSuspicion c, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var caseId = Guid.CreateVersion7(now);
        var subjectId = Guid.CreateVersion7(now);
        var registered = new SuspicionRegistered(
            caseId,
            subjectId,
            c.ReportedAt ?? now,
            actor.OrgId,
            actor.OrgType,
            c.Channel!.Value,
            c.MunicipalityCode!,
            c.AgeCategory,
            c.Gender!.Value,
            c.Nationality,
            c.CitizenshipCategory!.Value,
            c.ResidenceBasis!.Value,
            c.Languages ?? [],
            c.InterpreterNeeded,
            c.ExploitationPurposes ?? [],
            c.LabourSector,
            c.Indicators ?? [],
            c.MethodsOfControl ?? [],
            c.CountriesOfExploitation ?? [],
            c.OperationRef,
            c.AgeCategory is Contracts.AgeCategory.Child or Contracts.AgeCategory.AgeDisputedTreatedAsChild
                ? ConsentStatus.NotRequiredChild
                : ConsentStatus.NotAsked,
            c.OperationId);

        if (c.Person is { } person)
        {
            var (record, key) = cipher.Seal(subjectId, caseId, person, now);
            session.Store(record);
            session.Store(key);
        }

        var state = await session.StartAsync<SuspicionState>(caseId, [registered], ct);
        return SuspicionView.From(state, actor);
    }
}

/// <summary>Only an organisation taking part in the case records the flag (checked before the handler); setting the current value appends nothing.</summary>
public sealed class SetProtectedIdentityHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock)
    : ICommandHandler<SetProtectedIdentity, SuspicionView>
{
    public async ValueTask<SuspicionView> Handle(SetProtectedIdentity command, CancellationToken ct)
    {
        var actor = current.Actor;
        var state = await session.DecideAsync<SuspicionState>(command.CaseId, command.ExpectedVersion, s =>
            s.ProtectedIdentity == command.Protected ? []
            : [new ProtectedIdentitySet(s.Id, command.Protected!.Value, clock.GetUtcNow())], ct);
        return SuspicionView.From(state, actor);
    }
}

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
