using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Reimbursement.Contracts;
using Referral.Modules.Reimbursement.Domain;

namespace Referral.Modules.Reimbursement.Features;

public sealed class ClaimQueryHandler(IQuerySession session, ICurrentActor current, TimeProvider clock, IOptions<ReimbursementOptions> options) :
    IQueryHandler<GetClaim, ClaimView>,
    IQueryHandler<ListClaims, IReadOnlyList<ClaimView>>
{
    public async ValueTask<ClaimView> Handle(GetClaim query, CancellationToken cancellationToken)
    {
        var claim = await session.LoadAsync<ClaimState>(query.ClaimId, cancellationToken) ?? throw new NotFoundException("The claim");
        return ClaimView.From(claim, current.Actor, clock.GetUtcNow(), options.Value);
    }

    public async ValueTask<IReadOnlyList<ClaimView>> Handle(ListClaims query, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        IQueryable<ClaimState> claims = session.Query<ClaimState>();
        claims = actor.OrgType switch
        {
            OrgType.Auditor => claims,
            OrgType.MigrationAgency => claims.Where(x => x.SubmittedAt != null),
            _ => claims.Where(x => x.ClaimantOrgId == actor.OrgId),
        };
        if (query.Status is { } status)
        {
            claims = claims.Where(x => x.Status == status);
        }

        var now = clock.GetUtcNow();
        var list = await claims.OrderBy(x => x.Deadline).Take(ApiLimits.MaxAnswerItems).ToListAsync(cancellationToken);
        return [.. list.Select(c => ClaimView.From(c, actor, now, options.Value))];
    }
}

/// <summary>
/// Claim commands: a claim is its own stream (claim-{id}); a line is checked against the named case's facts read in
/// the same session. Only the claimant acts on a draft, and Migrationsverket on a submitted claim; anyone else is 404.
/// </summary>
public sealed class ClaimCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, IOptions<ReimbursementOptions> options, ICaseAccess access) :
    ICommandHandler<StartClaim, ClaimView>,
    ICommandHandler<AddClaimLine, ClaimView>,
    ICommandHandler<RemoveClaimLine, ClaimView>,
    ICommandHandler<SubmitClaim, ClaimView>,
    ICommandHandler<WithdrawClaim, ClaimView>,
    ICommandHandler<DecideClaim, ClaimView>,
    ICommandHandler<CorrectClaimDecision, ClaimView>,
    ICommandHandler<RetractClaimDecision, ClaimView>,
    ICommandHandler<RecordClaimPayment, ClaimView>
{
    public async ValueTask<ClaimView> Handle(StartClaim command, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var (from, to) = ReimbursementOptions.Period(command.Year!.Value, command.Quarter!.Value, command.Quarters!.Value);
        var claimant = actor.OrgType == OrgType.HealthCare ? ClaimantType.Region : ClaimantType.Municipality;
        var state = await session.StartAsync<ClaimState>(id,
            [new ClaimDrafted(id, actor.OrgId, claimant, from, to, command.Quarters.Value, options.Value.Deadline(from, to), now, ClaimStatus.Draft)], cancellationToken);
        return ClaimView.From(state, actor, now, options.Value);
    }

    public async ValueTask<ClaimView> Handle(AddClaimLine command, CancellationToken cancellationToken)
    {
        // A line names a case: only one the claimant takes part in (otherwise 404, as for an unknown case).
        await access.EnsureParticipantAsync(session, command.CaseId!.Value, current.Actor, cancellationToken);
        var basis = await session.LoadAsync<CaseCostBasis>(command.CaseId!.Value, cancellationToken) ?? throw new NotFoundException("The case");
        return await Decide(command, basis, cancellationToken);
    }

    public ValueTask<ClaimView> Handle(RemoveClaimLine command, CancellationToken cancellationToken) => Decide(command, null, cancellationToken);

    public ValueTask<ClaimView> Handle(SubmitClaim command, CancellationToken cancellationToken) => Decide(command, null, cancellationToken);

    public ValueTask<ClaimView> Handle(WithdrawClaim command, CancellationToken cancellationToken) => Decide(command, null, cancellationToken);

    public ValueTask<ClaimView> Handle(DecideClaim command, CancellationToken cancellationToken) => Decide(command, null, cancellationToken);

    public ValueTask<ClaimView> Handle(CorrectClaimDecision command, CancellationToken cancellationToken) => Decide(command, null, cancellationToken);

    public ValueTask<ClaimView> Handle(RetractClaimDecision command, CancellationToken cancellationToken) => Decide(command, null, cancellationToken);

    public ValueTask<ClaimView> Handle(RecordClaimPayment command, CancellationToken cancellationToken) => Decide(command, null, cancellationToken);

    private async ValueTask<ClaimView> Decide(ClaimCommand command, CaseCostBasis? basis, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var lineId = Guid.CreateVersion7(now);
        var state = await session.DecideAsync<ClaimState>(command.ClaimId, command.ExpectedVersion,
            claim => new ClaimWorkflow(claim, actor, command, basis, now, options.Value).Decide(lineId),
            ct, "The claim");
        return ClaimView.From(state, actor, now, options.Value);
    }
}

/// <summary>
/// Need-to-know of claims, checked before anything else: the claimant acts on its claim, Migrationsverket on a submitted
/// one; they and auditors read it. Anyone else gets 404, as for an unknown claim.
/// </summary>
public sealed class ClaimNeedToKnow : IStreamNeedToKnow
{
    public Guid? StreamOf(object message) => message switch
    {
        ClaimCommand command => command.ClaimId,
        GetClaim query => query.ClaimId,
        _ => null,
    };

    public Task EnsureTakesPartAsync(IDocumentSession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, claim => actor.OrgType != OrgType.Auditor && ClaimView.MaySee(claim, actor), ct);

    public Task EnsureMayReadAsync(IQuerySession session, Guid streamId, Actor actor, CancellationToken ct) =>
        EnsureAsync(session, streamId, claim => ClaimView.MaySee(claim, actor), ct);

    private static async Task EnsureAsync(IQuerySession session, Guid claimId, Func<ClaimState, bool> allowed, CancellationToken ct)
    {
        if (await session.LoadAsync<ClaimState>(claimId, ct) is not { } claim || !allowed(claim))
        {
            throw new NotFoundException("The claim");
        }
    }
}
