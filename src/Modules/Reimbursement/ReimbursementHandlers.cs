using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Reimbursement.Contracts;

namespace Referral.Modules.Reimbursement;

/// <summary>
/// Claim commands: a claim is its own stream (claim-{id}); a line is checked against the named case's facts read in
/// the same session. Only the claimant acts on a draft, and Migrationsverket on a submitted claim; anyone else is 404.
/// Each line names the decider of its command type.
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
        return await Write(command, w => w.AddClaimLine(command, basis, Guid.CreateVersion7(clock.GetUtcNow())), cancellationToken);
    }

    public ValueTask<ClaimView> Handle(RemoveClaimLine c, CancellationToken ct) => Write(c, w => w.RemoveClaimLine(c), ct);

    public ValueTask<ClaimView> Handle(SubmitClaim c, CancellationToken ct) => Write(c, w => w.SubmitClaim(c), ct);

    public ValueTask<ClaimView> Handle(WithdrawClaim c, CancellationToken ct) => Write(c, w => w.WithdrawClaim(c), ct);

    public ValueTask<ClaimView> Handle(DecideClaim c, CancellationToken ct) => Write(c, w => w.DecideClaim(c), ct);

    public ValueTask<ClaimView> Handle(CorrectClaimDecision c, CancellationToken ct) => Write(c, w => w.CorrectClaimDecision(c), ct);

    public ValueTask<ClaimView> Handle(RetractClaimDecision c, CancellationToken ct) => Write(c, w => w.RetractClaimDecision(c), ct);

    public ValueTask<ClaimView> Handle(RecordClaimPayment c, CancellationToken ct) => Write(c, w => w.RecordClaimPayment(c), ct);

    private async ValueTask<ClaimView> Write(ClaimCommand command, Func<ClaimWorkflow, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<ClaimState>(command.ClaimId, command.ExpectedVersion,
            claim => ClaimWorkflow.For(claim, actor, now, options.Value).Once(decide), ct, "The claim");
        return ClaimView.From(state, actor, now, options.Value);
    }
}
