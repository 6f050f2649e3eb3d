using FluentValidation;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Reimbursement.Contracts;

namespace Referral.Modules.Reimbursement;

/// <summary>One claim (the claimant's own, Migrationsverket's once submitted, or an auditor's).</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare, OrgType.MigrationAgency, OrgType.Auditor)]
public sealed record GetClaim(Guid ClaimId) : IQuery<ClaimView>;

/// <summary>Claims the caller may see, deadline first.</summary>
/// <param name="Status">Only claims in this state.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare, OrgType.MigrationAgency, OrgType.Auditor)]
public sealed record ListClaims(ClaimStatus? Status) : IQuery<IReadOnlyList<ClaimView>>;

/// <summary>A warning before the deadline: how many days before, when, and whether it has been reached.</summary>
public sealed record DeadlineWarning(int DaysBefore, DateTimeOffset At, bool Reached);

/// <summary>A claim with its computed totals, deadline warnings (while a draft) and the caller's allowed actions. No personal data.</summary>
public sealed record ClaimView(
    Guid ClaimId,
    long Version,
    ClaimStatus Status,
    ClaimOutcome? Outcome,
    string ClaimantOrgId,
    ClaimantType ClaimantType,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    int Quarters,
    DateOnly Deadline,
    DateTimeOffset DeadlineAt,
    bool DeadlinePassed,
    IReadOnlyList<DeadlineWarning> Warnings,
    IReadOnlyList<ClaimLine> Lines,
    decimal TotalClaimed,
    decimal? TotalApproved,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? DecidedAt,
    string? DecisionRef,
    DateOnly? PaidOn,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public static ClaimView From(ClaimState s, Actor actor, DateTimeOffset now, ReimbursementOptions options)
    {
        var deadlineAt = options.EndOf(s.Deadline);
        return new(
            s.Id, s.Version, s.Status, s.Outcome, s.ClaimantOrgId, s.ClaimantType, s.PeriodFrom, s.PeriodTo, s.Quarters, s.Deadline, deadlineAt,
            now >= deadlineAt,
            s.Status == ClaimStatus.Draft ? [.. options.Warnings.Select(d => new DeadlineWarning(d, deadlineAt.AddDays(-d), now >= deadlineAt.AddDays(-d)))] : [],
            s.Lines, s.TotalClaimed, s.TotalApproved, s.SubmittedAt, s.DecidedAt, s.DecisionRef, s.PaidOn,
            [.. ClaimWorkflow.For(s, actor, now, options).Once(w => w.AllowedActionNames())
                .Select(a => new AllowedAction(a, $"/api/v1/claims/{s.Id}/{CaseEndpoints.Kebab(a)}"))]);
    }

    /// <summary>Need-to-know: the claimant, Migrationsverket once submitted (a draft withdrawn unsubmitted never reaches it), auditors.</summary>
    public static bool MaySee(ClaimState s, Actor actor) =>
        actor.OrgType == OrgType.Auditor || s.ClaimantOrgId == actor.OrgId || (actor.OrgType == OrgType.MigrationAgency && s.SubmittedAt is not null);
}

public sealed class ListClaimsValidator : AbstractValidator<ListClaims>
{
    public ListClaimsValidator() => RuleFor(x => x.Status).IsInEnum();
}

public sealed class ClaimReader(IQuerySession session, ICurrentActor current, TimeProvider clock, IOptions<ReimbursementOptions> options) :
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
