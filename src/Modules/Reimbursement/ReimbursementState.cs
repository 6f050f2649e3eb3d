using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Time;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Reimbursement.Contracts;
using Referral.Modules.Support.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Reimbursement;

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

/// <summary>What gives a stay in Sweden that makes costs reimbursable (R16): a 5 kap. 15 § permit or a pending application.</summary>
public enum PermitBasisKind { ReflectionApplicationPending, ReflectionPeriod, CooperationApplicationPending, CooperationPermit }

/// <summary>A period of a permit or a pending application; <c>To</c> is open while it lasts.</summary>
public sealed record PermitBasis(PermitBasisKind Kind, DateOnly From, DateOnly? To)
{
    public bool Overlaps(DateOnly from, DateOnly to) => From <= to && (To is null || To >= from);
}

/// <summary>A period the person was missing: from the day of disappearance until found (open while missing).</summary>
public sealed record MissingPeriod(DateOnly Since, DateOnly? FoundOn);

/// <summary>A service line as a claim sees it: who decided it, under what, for which period (not reimbursable until granted as such).</summary>
public sealed record ReimbursableLine(
    Guid Id,
    ServiceType Type,
    FundingBasis FundingBasis,
    bool Reimbursable,
    string? DecisionRef,
    string? DecidedByOrgId,
    DateOnly? From,
    DateOnly? To);

/// <summary>
/// The facts of one case that reimbursement lines are checked against, projected inline from the case stream through
/// the other steps' public events: granted service lines (support), permits and pending applications (reflection
/// period and cooperation permit) and disappearances (suspicion). Dates are Swedish calendar days.
/// </summary>
public sealed record CaseCostBasis
{
    private static readonly LocalCalendar Calendar = new();

    public Guid Id { get; init; }
    public long Version { get; init; }
    public IReadOnlyList<ReimbursableLine> ServiceLines { get; init; } = [];
    public IReadOnlyList<PermitBasis> Permits { get; init; } = [];
    public IReadOnlyList<MissingPeriod> Missing { get; init; } = [];

    public ReimbursableLine? Line(Guid id) => ServiceLines.FirstOrDefault(l => l.Id == id);

    public static CaseCostBasis? Fold(CaseCostBasis? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered e) => new CaseCostBasis { Id = e.CaseId },
            (null, _) => null,
            ({ } s, ServiceRequested e) => s with
            {
                ServiceLines = [.. s.ServiceLines, new ReimbursableLine(e.ServiceLineId, e.Type, FundingBasis.Other, false, null, null, null, null)],
            },
            ({ } s, ServiceDecided e) => s.WithLine(e.ServiceLineId, l => l with
            {
                FundingBasis = e.FundingBasis, Reimbursable = e.Granted && e.Reimbursable, DecisionRef = e.DecisionRef, DecidedByOrgId = info.OrgId,
                From = e.From, To = e.To,
            }),
            ({ } s, ServiceDecisionCorrected e) => s.WithLine(e.ServiceLineId, l => l with
            {
                Reimbursable = e.Reimbursable, DecisionRef = e.DecisionRef, From = e.From, To = e.To,
            }),
            ({ } s, ServiceDecisionRetracted e) => s.WithLine(e.ServiceLineId, l => l with { Reimbursable = false, DecisionRef = null, From = null, To = null }),
            ({ } s, ServiceStarted e) => s.WithLine(e.ServiceLineId, l => l with { From = l.From ?? e.StartedOn }),
            ({ } s, ServiceEnded e) => s.WithLine(e.ServiceLineId, l => l with { To = l.To is { } to && to < e.EndedOn ? to : e.EndedOn }),
            ({ } s, ReflectionApplicationSubmitted e) => s.Open(PermitBasisKind.ReflectionApplicationPending, Day(e.SubmittedAt)),
            ({ } s, ReflectionPeriodGranted e) => s.Close(PermitBasisKind.ReflectionApplicationPending, Day(e.DecidedAt))
                .Add(new PermitBasis(PermitBasisKind.ReflectionPeriod, e.ValidFrom, e.ValidTo)),
            ({ } s, ReflectionPeriodRejected e) => s.Close(PermitBasisKind.ReflectionApplicationPending, Day(e.DecidedAt)),
            ({ } s, ReflectionExtensionDecided { NewValidTo: { } to }) => s.Extend(PermitBasisKind.ReflectionPeriod, to),
            // R20: a corrected grant replaces the period's dates; a retracted decision removes the period (a grant) and the
            // application is pending again.
            ({ } s, ReflectionDecisionCorrected e) => s.Replace(PermitBasisKind.ReflectionPeriod, e.ValidFrom, e.ValidTo),
            ({ } s, ReflectionDecisionRetracted e) => s.Retract(PermitBasisKind.ReflectionPeriod, PermitBasisKind.ReflectionApplicationPending, e.RetractedOutcome),
            ({ } s, ReflectionPeriodEndedEarly e) => s.Cut(PermitBasisKind.ReflectionPeriod, Day(e.EndedAt)),
            ({ } s, ReflectionPeriodConverted e) => s.Cut(PermitBasisKind.ReflectionPeriod, Day(e.ConvertedAt)),
            ({ } s, CooperationPermitApplied e) => s.Open(PermitBasisKind.CooperationApplicationPending, Day(e.SubmittedAt)),
            ({ } s, CooperationPermitGranted e) => s.Close(PermitBasisKind.CooperationApplicationPending, Day(e.DecidedAt))
                .Add(new PermitBasis(PermitBasisKind.CooperationPermit, e.ValidFrom, e.ValidTo)),
            ({ } s, CooperationPermitRejected e) => s.Close(PermitBasisKind.CooperationApplicationPending, Day(e.DecidedAt)),
            ({ } s, CooperationPermitRenewalDecided { NewValidTo: { } to }) => s.Extend(PermitBasisKind.CooperationPermit, to),
            ({ } s, CooperationPermitRevocationDecided { Revoked: true } e) => s.Cut(PermitBasisKind.CooperationPermit, Day(e.DecidedAt)),
            ({ } s, CooperationPermitEnded e) => s.Cut(PermitBasisKind.CooperationPermit, Day(e.EndedAt)),
            ({ } s, CooperationPermitDecisionCorrected e) => s.Replace(PermitBasisKind.CooperationPermit, e.ValidFrom, e.ValidTo),
            ({ } s, CooperationPermitDecisionRetracted e) => s.Retract(PermitBasisKind.CooperationPermit, PermitBasisKind.CooperationApplicationPending, e.RetractedOutcome),
            ({ } s, PersonReportedMissing e) => s with { Missing = [.. s.Missing, new MissingPeriod(Day(e.MissingSince), null)] },
            ({ } s, PersonFound e) => s with { Missing = [.. s.Missing.Select(m => m.FoundOn is null ? m with { FoundOn = Day(e.FoundAt) } : m)] },
            ({ } s, _) => s,
        };
        return next is null ? null : next with { Version = info.Version };
    }

    private static DateOnly Day(DateTimeOffset instant) => Calendar.DateOf(instant);

    private CaseCostBasis WithLine(Guid id, Func<ReimbursableLine, ReimbursableLine> change) =>
        this with { ServiceLines = [.. ServiceLines.Select(l => l.Id == id ? change(l) : l)] };

    private CaseCostBasis Add(PermitBasis basis) => this with { Permits = [.. Permits, basis] };

    private CaseCostBasis Open(PermitBasisKind kind, DateOnly from) => Add(new PermitBasis(kind, from, null));

    /// <summary>Closes the open pending application of <paramref name="kind"/> on the decision day.</summary>
    private CaseCostBasis Close(PermitBasisKind kind, DateOnly on) =>
        this with { Permits = [.. Permits.Select(p => p.Kind == kind && p.To is null ? p with { To = on } : p)] };

    /// <summary>Moves the end of the latest permit of <paramref name="kind"/> (an extension or renewal).</summary>
    private CaseCostBasis Extend(PermitBasisKind kind, DateOnly to) =>
        Permits.LastOrDefault(p => p.Kind == kind) is { } last ? this with { Permits = [.. Permits.Select(p => ReferenceEquals(p, last) ? p with { To = to } : p)] } : this;

    /// <summary>Sets the dates of the latest permit of <paramref name="kind"/> as corrected (R20).</summary>
    private CaseCostBasis Replace(PermitBasisKind kind, DateOnly from, DateOnly to) =>
        Permits.LastOrDefault(p => p.Kind == kind) is { } last ? this with { Permits = [.. Permits.Select(p => ReferenceEquals(p, last) ? p with { From = from, To = to } : p)] } : this;

    /// <summary>
    /// A retracted decision (R20): a retracted grant removes the latest permit of <paramref name="kind"/>; either way the
    /// latest application of <paramref name="pending"/> is open again.
    /// </summary>
    private CaseCostBasis Retract(PermitBasisKind kind, PermitBasisKind pending, DecisionOutcome retracted)
    {
        var permits = Permits.ToList();
        if (retracted == DecisionOutcome.Granted && permits.LastOrDefault(p => p.Kind == kind) is { } granted)
        {
            permits.Remove(granted);
        }

        return permits.LastOrDefault(p => p.Kind == pending) is { } application
            ? this with { Permits = [.. permits.Select(p => ReferenceEquals(p, application) ? p with { To = null } : p)] }
            : this with { Permits = permits };
    }

    /// <summary>Ends the latest permit of <paramref name="kind"/> early (never later than it already ends).</summary>
    private CaseCostBasis Cut(PermitBasisKind kind, DateOnly on) =>
        Permits.LastOrDefault(p => p.Kind == kind) is { } last
            ? this with { Permits = [.. Permits.Select(p => ReferenceEquals(p, last) ? p with { To = p.To is { } to && to < on ? to : on } : p)] }
            : this;
}
