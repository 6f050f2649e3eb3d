using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
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

/// <summary>
/// R18: links two cases' persons for counting. The caller takes part in this case (checked before) and must take part in
/// the other (otherwise 404, as for an unknown case). Every case of both persons gets <c>SubjectLinked</c> with the smallest
/// pseudonym among them, in one transaction; already linked, nothing is appended.
/// </summary>
public sealed class LinkSubjectHandler(IDocumentSession session, ICurrentActor current, ICaseAccess access, TimeProvider clock)
    : ICommandHandler<LinkSubject, SuspicionView>
{
    public async ValueTask<SuspicionView> Handle(LinkSubject command, CancellationToken ct)
    {
        var actor = current.Actor;
        var otherId = command.OtherCaseId!.Value;
        await access.EnsureParticipantAsync(session, otherId, actor, ct);
        var other = await session.LoadAsync<SuspicionState>(otherId, ct) ?? throw new NotFoundException("The case");
        var now = clock.GetUtcNow();
        // Read in the command's session (this case's document is already there from the participation check).
        var mine = await session.LoadAsync<SuspicionState>(command.CaseId, ct) ?? throw new NotFoundException("The case");
        var (a, b) = (mine.Counted, other.Counted);
        // Cases recorded before December 2026 carry no counted pseudonym until their projections are rebuilt: their own counts.
        var group = a == b ? [] : await session.Query<SuspicionState>()
            .Where(x => x.CountedSubjectId == a || x.CountedSubjectId == b || (x.CountedSubjectId == Guid.Empty && (x.SubjectId == a || x.SubjectId == b)))
            .Select(x => x.Id).ToListAsync(ct);
        // Every other case counted under either pseudonym follows (the link is transitive), the other case included: each is
        // fetched for writing, so a concurrent change to any of them refuses the whole link.
        var others = new List<(Guid Id, Action<object> Append)>();
        foreach (var caseId in group.Where(id => id != command.CaseId))
        {
            var stream = await session.Events.FetchForWriting<SuspicionState>(caseId, ct);
            others.Add((caseId, stream.AppendOne));
        }

        var state = await session.DecideAsync<SuspicionState>(command.CaseId, command.ExpectedVersion, s =>
        {
            if (s.Counted == other.Counted)
            {
                return [];
            }

            var counted = new[] { s.Counted, other.Counted }.Min();
            foreach (var (id, append) in others)
            {
                append(new SubjectLinked(id, s.Id, counted, now));
            }

            return [new SubjectLinked(s.Id, otherId, counted, now)];
        }, ct);
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
/// Every workflow command of the step through the one write path (fetch at the expected version, decide, append, answer
/// the new state with the caller's allowed actions). Each line names the decider of its command type.
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
    public ValueTask<SuspicionView> Handle(RecordConsent c, CancellationToken ct) => Write(c, w => w.RecordConsent(c), ct);

    public ValueTask<SuspicionView> Handle(RequestCoordinatorConsultation c, CancellationToken ct) => Write(c, w => w.RequestCoordinatorConsultation(c), ct);

    public ValueTask<SuspicionView> Handle(RecordIndicatorAssessment c, CancellationToken ct) => Write(c, w => w.RecordIndicatorAssessment(c), ct);

    public ValueTask<SuspicionView> Handle(DeclarePresumedVictim c, CancellationToken ct) => Write(c, w => w.DeclarePresumedVictim(c), ct);

    public ValueTask<SuspicionView> Handle(CorrectPresumedVictimDeclaration c, CancellationToken ct) => Write(c, w => w.CorrectPresumedVictimDeclaration(c), ct);

    public ValueTask<SuspicionView> Handle(RetractPresumedVictimDeclaration c, CancellationToken ct) => Write(c, w => w.RetractPresumedVictimDeclaration(c), ct);

    public ValueTask<SuspicionView> Handle(RecommendPresumedVictim c, CancellationToken ct) => Write(c, w => w.RecommendPresumedVictim(c), ct);

    public ValueTask<SuspicionView> Handle(CloseAsNotTrafficking c, CancellationToken ct) => Write(c, w => w.CloseAsNotTrafficking(c), ct);

    public ValueTask<SuspicionView> Handle(MarkContactLost c, CancellationToken ct) => Write(c, w => w.MarkContactLost(c), ct);

    public ValueTask<SuspicionView> Handle(Reopen c, CancellationToken ct) => Write(c, w => w.Reopen(c), ct);

    public ValueTask<SuspicionView> Handle(ReportPersonMissing c, CancellationToken ct) => Write(c, (s, actor, now) => WhereaboutsWorkflow.For(s, actor, now).Once(w => w.ReportPersonMissing(c)), ct);

    public ValueTask<SuspicionView> Handle(ReportPersonFound c, CancellationToken ct) => Write(c, (s, actor, now) => WhereaboutsWorkflow.For(s, actor, now).Once(w => w.ReportPersonFound(c)), ct);

    private ValueTask<SuspicionView> Write(CaseCommand<SuspicionView> command, Func<SuspicionWorkflow, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Write(command, (s, actor, now) => SuspicionWorkflow.For(s, actor, now).Once(decide), ct);

    private async ValueTask<SuspicionView> Write(CaseCommand<SuspicionView> command, Func<SuspicionState, Actor, DateTimeOffset, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<SuspicionState>(command.CaseId, command.ExpectedVersion, s => decide(s, actor, now), ct);
        return SuspicionView.From(state, actor);
    }
}
