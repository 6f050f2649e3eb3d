using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Time;
using Referral.Modules.Reimbursement.Contracts;

namespace Referral.Modules.Reimbursement.Domain;

/// <summary>[S22]/[U] Settings of reimbursement claims (configuration section <c>Reimbursement</c>).</summary>
public sealed class ReimbursementOptions
{
    /// <summary>The deadline is this many months after the end of the quarter it counts from.</summary>
    public int DeadlineMonths { get; set; } = 6;

    /// <summary>
    /// Count the deadline from the end of the first quarter a claim covers (MANUAL.md §4.7's sourced fact, [S22]: "6 months
    /// after the end of the (first) quarter covered") — the default. <c>false</c> counts from the last quarter of a
    /// two-quarter claim instead, for a reading that proves otherwise.
    /// </summary>
    public bool DeadlineFromFirstQuarter { get; set; } = true;

    /// <summary>Warnings before the deadline, in days (default 30 and 7).</summary>
    /// <remarks>Empty means the default: the configuration binder appends to a pre-filled array instead of replacing it.</remarks>
    public int[] WarningDays { get; set; } = [];

    /// <summary>The time zone of the deadline day.</summary>
    public string TimeZone { get; set; } = LocalCalendar.Swedish;

    public IReadOnlyList<int> Warnings => WarningDays.Length > 0 ? [.. WarningDays.OrderDescending()] : [30, 7];

    /// <summary>The first and last day of <paramref name="quarters"/> quarters from quarter <paramref name="quarter"/> of <paramref name="year"/>.</summary>
    public static (DateOnly From, DateOnly To) Period(int year, int quarter, int quarters)
    {
        var from = new DateOnly(year, (3 * quarter) - 2, 1);
        return (from, from.AddMonths(3 * quarters).AddDays(-1));
    }

    /// <summary>The last day a claim for the period may be submitted: the end of the (last or first) quarter + the deadline months.</summary>
    public DateOnly Deadline(DateOnly from, DateOnly to)
    {
        var quarterEnd = DeadlineFromFirstQuarter ? from.AddMonths(3).AddDays(-1) : to;
        return new DateOnly(quarterEnd.Year, quarterEnd.Month, 1).AddMonths(DeadlineMonths + 1).AddDays(-1);
    }

    /// <summary>The instant the deadline day ends.</summary>
    public DateTimeOffset EndOf(DateOnly day) => new LocalCalendar(TimeZone).EndOf(day);
}

/// <summary>One line of a claim, with Migrationsverket's approved amount once decided.</summary>
public sealed record ClaimLine(
    Guid LineId,
    Guid CaseId,
    Guid ServiceLineId,
    CostType CostType,
    DateOnly From,
    DateOnly To,
    decimal Amount,
    string DecisionRef,
    decimal? ApprovedAmount = null);

/// <summary>A reimbursement claim (återsökning), projected inline from its own stream. Totals are computed from the lines.</summary>
public sealed record ClaimState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public ClaimStatus Status { get; init; }
    public ClaimOutcome? Outcome { get; init; }
    public string ClaimantOrgId { get; init; } = "";
    public ClaimantType ClaimantType { get; init; }
    public DateOnly PeriodFrom { get; init; }
    public DateOnly PeriodTo { get; init; }
    public int Quarters { get; init; }
    public DateOnly Deadline { get; init; }
    public IReadOnlyList<ClaimLine> Lines { get; init; } = [];
    public DateTimeOffset DraftedAt { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? DecisionRef { get; init; }

    /// <summary>The Migrationsverket organisation that decided the claim (it alone corrects or retracts the decision, R20).</summary>
    public string? DecidedByOrgId { get; init; }
    public DateOnly? PaidOn { get; init; }

    public decimal TotalClaimed => Lines.Sum(l => l.Amount);

    public decimal? TotalApproved => Status is ClaimStatus.Decided or ClaimStatus.Paid ? Lines.Sum(l => l.ApprovedAmount ?? 0m) : null;

    public static ClaimState? Fold(ClaimState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, ClaimDrafted e) => new ClaimState
            {
                Id = e.ClaimId, Status = e.Status, ClaimantOrgId = e.ClaimantOrgId, ClaimantType = e.ClaimantType, PeriodFrom = e.PeriodFrom,
                PeriodTo = e.PeriodTo, Quarters = e.Quarters, Deadline = e.Deadline, DraftedAt = e.DraftedAt,
            },
            (null, _) => null,
            ({ } s, ClaimLineAdded e) => s with { Lines = [.. s.Lines, new ClaimLine(e.LineId, e.CaseId, e.ServiceLineId, e.CostType, e.From, e.To, e.Amount, e.DecisionRef)] },
            ({ } s, ClaimLineRemoved e) => s with { Lines = [.. s.Lines.Where(l => l.LineId != e.LineId)] },
            ({ } s, ClaimSubmitted e) => s with { Status = e.Status, SubmittedAt = e.SubmittedAt },
            ({ } s, ClaimWithdrawn e) => s with { Status = e.Status },
            ({ } s, ClaimDecided e) => s with
            {
                Status = e.Status, Outcome = e.Outcome, DecidedAt = e.DecidedAt, DecisionRef = e.DecisionRef, DecidedByOrgId = info.OrgId,
                Lines = s.Approved(e.Lines),
            },
            ({ } s, ClaimDecisionCorrected e) => s with
            {
                Status = e.Status, Outcome = e.Outcome, DecisionRef = e.DecisionRef,
                Lines = s.Approved(e.Lines),
            },
            ({ } s, ClaimDecisionRetracted e) => s with
            {
                Status = e.Status, Outcome = null, DecidedAt = null, DecisionRef = null, DecidedByOrgId = null,
                Lines = [.. s.Lines.Select(l => l with { ApprovedAmount = null })],
            },
            ({ } s, ClaimPaid e) => s with { Status = e.Status, PaidOn = e.PaidOn },
            ({ } s, _) => s,
        };
        return next is null ? null : next with { Version = info.Version };
    }

    /// <summary>The lines with the approved amounts of a decision (a line it does not name: 0).</summary>
    private IReadOnlyList<ClaimLine> Approved(IReadOnlyList<LineDecision> decisions) =>
        [.. Lines.Select(l => l with { ApprovedAmount = decisions.FirstOrDefault(d => d.LineId == l.LineId)?.ApprovedAmount ?? 0m })];
}
