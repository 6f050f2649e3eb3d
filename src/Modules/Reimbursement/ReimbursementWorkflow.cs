using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Reimbursement.Contracts;
using Referral.Modules.Support.Contracts;

namespace Referral.Modules.Reimbursement;

/// <summary>Triggers of a claim, each named after its command.</summary>
public enum ClaimTrigger { AddClaimLine, RemoveClaimLine, SubmitClaim, WithdrawClaim, DecideClaim, RecordClaimPayment, CorrectClaimDecision, RetractClaimDecision }

/// <summary>
/// A reimbursement claim (MANUAL.md §4.7, R16) as a Stateless machine and the decider of its commands:
/// Draft → Submitted → Decided{Approved | PartiallyApproved | Rejected} → Paid; Draft or Submitted → Withdrawn.
/// A line is checked against the case's facts (<see cref="CaseCostBasis"/>): a reimbursable service line the claimant
/// decided, the cost type the claimant may claim, and a period that overlaps a permit or pending application and does
/// not run past the day the person went missing.
/// </summary>
public sealed class ClaimWorkflow : StepWorkflow<ClaimStatus, ClaimTrigger>
{
    private static readonly WorkflowPool<ClaimWorkflow> Pool = new(() => new ClaimWorkflow());

    private static readonly TriggerTable<ClaimTrigger> Table = new(
        (ClaimTrigger.AddClaimLine, typeof(AddClaimLine)),
        (ClaimTrigger.RemoveClaimLine, typeof(RemoveClaimLine)),
        (ClaimTrigger.SubmitClaim, typeof(SubmitClaim)),
        (ClaimTrigger.WithdrawClaim, typeof(WithdrawClaim)),
        (ClaimTrigger.DecideClaim, typeof(DecideClaim)),
        (ClaimTrigger.CorrectClaimDecision, typeof(CorrectClaimDecision)),
        (ClaimTrigger.RetractClaimDecision, typeof(RetractClaimDecision)),
        (ClaimTrigger.RecordClaimPayment, typeof(RecordClaimPayment)));

    /// <summary>The most lines one claim holds (an answer lists at most 1 000 items).</summary>
    public const int MaxLines = 1000;

    private ClaimState _claim = null!;
    private CaseCostBasis? _case;
    private DateTimeOffset _now;
    private ReimbursementOptions _options = null!;

    public ClaimWorkflow(ClaimState claim, Actor actor, DateTimeOffset? now = null, ReimbursementOptions? options = null)
        : this() => Bind(claim, actor, now, options);

    private ClaimWorkflow()
    {
        Machine.Configure(ClaimStatus.Draft)
            .PermitReentryIf(ClaimTrigger.AddClaimLine,
                G(() => ServiceLine() is { Reimbursable: true }, Guards.ReimbursableLine),
                G(() => ServiceLine() is not { } l || l.DecidedByOrgId == _claim.ClaimantOrgId, Guards.DecidedByClaimant),
                G(ClaimantMayClaim, Guards.ClaimantCostType),
                G(MatchesFunding, Guards.MatchesFunding),
                G(() => Line() is not { } c || (c.From >= _claim.PeriodFrom && c.To <= _claim.PeriodTo), Guards.WithinClaimPeriod),
                G(WithinDecision, Guards.WithinDecision),
                G(() => Line() is not { } c || _case is null || _case.Permits.Any(p => p.Overlaps(c.From!.Value, c.To!.Value)), Guards.OverlapsPermit),
                G(NotAfterDisappearance, Guards.NotAfterDisappearance),
                G(NotClaimedTwice, Guards.NotClaimedTwice),
                G(() => _claim.Lines.Count < MaxLines, Guards.MaxLines))
            .PermitReentryIf(ClaimTrigger.RemoveClaimLine, () => Command is not RemoveClaimLine c || _claim.Lines.Any(l => l.LineId == c.LineId), Guards.LineOnClaim)
            .PermitIf(ClaimTrigger.SubmitClaim, ClaimStatus.Submitted,
                G(() => _claim.Lines.Count > 0, Guards.HasLines), G(() => _now < _options.EndOf(_claim.Deadline), Guards.BeforeDeadline))
            .Permit(ClaimTrigger.WithdrawClaim, ClaimStatus.Withdrawn);
        Machine.Configure(ClaimStatus.Submitted)
            .PermitIf(ClaimTrigger.DecideClaim, ClaimStatus.Decided, G(EveryLineDecidedOnce, Guards.EveryLineOnce), G(ApprovedWithinClaimed, Guards.ApprovedWithinClaimed))
            .Permit(ClaimTrigger.WithdrawClaim, ClaimStatus.Withdrawn);
        // R20: before payment, the deciding organisation corrects (every line decided again) or retracts its decision.
        Machine.Configure(ClaimStatus.Decided)
            .PermitIf(ClaimTrigger.RecordClaimPayment, ClaimStatus.Paid, () => _claim.Outcome != ClaimOutcome.Rejected, Guards.NotRejected)
            .PermitReentryIf(ClaimTrigger.CorrectClaimDecision, G(SameDecider, Guards.SameDecider), G(EveryLineDecidedOnce, Guards.EveryLineOnce), G(ApprovedWithinClaimed, Guards.ApprovedWithinClaimed))
            .PermitIf(ClaimTrigger.RetractClaimDecision, ClaimStatus.Submitted, SameDecider, Guards.SameDecider);
    }

    /// <summary>A configured machine from the pool, bound to the claim and the actor; <c>Dispose</c> gives it back.</summary>
    public static ClaimWorkflow For(ClaimState claim, Actor actor, DateTimeOffset? now = null, ReimbursementOptions? options = null) => Pool.Rent().Bind(claim, actor, now, options);

    private ClaimWorkflow Bind(ClaimState claim, Actor actor, DateTimeOffset? now, ReimbursementOptions? options)
    {
        Reset(claim.Status, actor);
        _claim = claim;
        _case = null;
        _now = now ?? DateTimeOffset.MinValue;
        _options = options ?? new ReimbursementOptions();
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string ReimbursableLine = "the case has this service line, granted as reimbursable (R16)";
        public const string DecidedByClaimant = "the service line was decided by the claimant";
        public const string ClaimantCostType = "a municipality claims SoL 4:1, LVU, LVM and schooling; a region claims health care";
        public const string MatchesFunding = "the cost type matches the service line's funding basis";
        public const string WithinClaimPeriod = "the line's period lies within the claim's quarters";
        public const string WithinDecision = "the line's period lies within the service line's decided period";
        public const string OverlapsPermit = "the line's period overlaps a reflection period, a cooperation permit or a pending application in the case (R16)";
        public const string NotAfterDisappearance = "the line's period does not run past the day the person went missing (until found)";
        public const string NotClaimedTwice = "no other line of the claim covers the same service line on the same days";
        public const string MaxLines = "the claim has fewer than 1 000 lines (start another claim for the same quarters)";
        public const string LineOnClaim = "the line is on the claim";
        public const string HasLines = "the claim has at least one line";
        public const string BeforeDeadline = "the deadline has not passed (the end of the quarter + 6 months, R16)";
        public const string EveryLineOnce = "every line of the claim is decided exactly once";
        public const string ApprovedWithinClaimed = "each approved amount is from 0 to the line's claimed amount";
        public const string NotRejected = "the claim was approved in whole or in part (a rejected claim is not paid)";
        public const string SameDecider = "only the organisation that decided the claim corrects or retracts the decision, before payment (R20)";
    }

    protected override string Step => "reimbursement";

    protected override TriggerTable<ClaimTrigger> Triggers => Table;

    /// <summary>The machine without a claim, for the diagram.</summary>
    public static string Diagram() => new ClaimWorkflow(new ClaimState(), System).ToMermaid();

    /// <param name="c">The line.</param>
    /// <param name="caseBasis">The named case's facts the line is checked against.</param>
    /// <param name="lineId">The new line's id.</param>
    public IReadOnlyList<object> AddClaimLine(AddClaimLine c, CaseCostBasis caseBasis, Guid lineId)
    {
        _case = caseBasis;
        Fire(c);
        return [new ClaimLineAdded(_claim.Id, lineId, c.CaseId!.Value, c.ServiceLineId!.Value, c.CostType!.Value, c.From!.Value, c.To!.Value, c.Amount!.Value, ServiceLine()!.DecisionRef!, _now)];
    }

    public IReadOnlyList<object> RemoveClaimLine(RemoveClaimLine c)
    {
        Fire(c);
        return [new ClaimLineRemoved(_claim.Id, c.LineId!.Value, _now)];
    }

    public IReadOnlyList<object> SubmitClaim(SubmitClaim c) => [new ClaimSubmitted(_claim.Id, _claim.TotalClaimed, _claim.Lines.Count, _now, Fire(c))];

    public IReadOnlyList<object> WithdrawClaim(WithdrawClaim c) => [new ClaimWithdrawn(_claim.Id, _now, Fire(c))];

    public IReadOnlyList<object> DecideClaim(DecideClaim c)
    {
        var status = Fire(c);
        var (outcome, lines, approved) = Outcome(c.Lines!);
        return [new ClaimDecided(_claim.Id, outcome, lines, approved, c.DecisionRef!, _now, status)];
    }

    public IReadOnlyList<object> CorrectClaimDecision(CorrectClaimDecision c)
    {
        var status = Fire(c);
        var (outcome, lines, approved) = Outcome(c.Lines!);
        return [new ClaimDecisionCorrected(_claim.Id, outcome, lines, approved, c.DecisionRef!, c.Reason!, _now, status)];
    }

    public IReadOnlyList<object> RetractClaimDecision(RetractClaimDecision c) => [new ClaimDecisionRetracted(_claim.Id, c.Reason!, _now, Fire(c))];

    public IReadOnlyList<object> RecordClaimPayment(RecordClaimPayment c) => [new ClaimPaid(_claim.Id, c.PaidOn!.Value, _claim.TotalApproved ?? 0m, _now, Fire(c))];

    /// <summary>The outcome and total of deciding every line: all approved in full, none, or some.</summary>
    private (ClaimOutcome Outcome, List<LineDecision> Lines, decimal Approved) Outcome(IReadOnlyList<LineApproval> approvals)
    {
        var lines = approvals.Select(l => new LineDecision(l.LineId!.Value, l.ApprovedAmount!.Value)).ToList();
        var approved = lines.Sum(l => l.ApprovedAmount);
        var outcome = approved == 0m ? ClaimOutcome.Rejected
            : lines.All(l => l.ApprovedAmount == _claim.Lines.Single(x => x.LineId == l.LineId).Amount) ? ClaimOutcome.Approved
            : ClaimOutcome.PartiallyApproved;
        return (outcome, lines, approved);
    }

    private bool SameDecider() => _claim.DecidedByOrgId is { } decider && decider == Actor.OrgId;

    private AddClaimLine? Line() => Command as AddClaimLine;

    /// <summary>The case's service line the line names; with no line command, a stand-in that passes (for allowed actions).</summary>
    private ReimbursableLine? ServiceLine() => Line() is { } c
        ? _case?.Line(c.ServiceLineId!.Value)
        : new ReimbursableLine(Guid.Empty, ServiceType.OtherPlacement, FundingBasis.SoL_4_1, true, null, _claim.ClaimantOrgId, null, null);

    private bool ClaimantMayClaim() => Line() is not { } c || (_claim.ClaimantType == ClaimantType.Region) == (c.CostType == CostType.HealthCare);

    private bool MatchesFunding() => Line() is not { } c || ServiceLine() is not { } l || (c.CostType, l.FundingBasis) switch
    {
        (CostType.SoL_4_1, FundingBasis.SoL_4_1) or (CostType.LVU, FundingBasis.LVU) or (CostType.LVM, FundingBasis.LVM)
            or (CostType.HealthCare, FundingBasis.HealthCareRegion) or (CostType.Education, FundingBasis.SchoolMunicipality) => true,
        _ => false,
    };

    private bool WithinDecision() => Line() is not { } c || ServiceLine() is not { } l
        || ((l.From is null || c.From >= l.From) && (l.To is null || c.To <= l.To));

    private bool NotAfterDisappearance() => Line() is not { } c || _case is null
        || !_case.Missing.Any(m => c.To > m.Since && (m.FoundOn is null || c.From < m.FoundOn));

    private bool NotClaimedTwice() => Line() is not { } c
        || !_claim.Lines.Any(l => l.CaseId == c.CaseId && l.ServiceLineId == c.ServiceLineId && l.From <= c.To && l.To >= c.From);

    /// <summary>The line decisions the command carries (a decision or its correction), or null.</summary>
    private IReadOnlyList<LineApproval>? Approvals() => (Command as IClaimLineDecisions)?.Lines;

    private bool EveryLineDecidedOnce() => Approvals() is not { } lines
        || (lines.Select(l => l.LineId).Distinct().Count() == lines.Count
            && lines.Count == _claim.Lines.Count
            && lines.All(l => _claim.Lines.Any(x => x.LineId == l.LineId)));

    private bool ApprovedWithinClaimed() => Approvals() is not { } lines
        || lines.All(l => _claim.Lines.FirstOrDefault(x => x.LineId == l.LineId) is not { } line || (l.ApprovedAmount >= 0m && l.ApprovedAmount <= line.Amount));
}
