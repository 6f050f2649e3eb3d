namespace Referral.Modules.Reimbursement.Contracts;

// The public, immutable history of reimbursement claims (återsökning, MANUAL.md §4.7, R16). A claim is a stream of its
// own (claim-{id}) per claimant and period of one or two quarters, covering many cases. Lines name cases and service
// lines only — never a person. Amounts are SEK; totals are computed from the lines, never taken from input.

/// <summary>States of a claim.</summary>
public enum ClaimStatus { Draft, Submitted, Decided, Paid, Withdrawn }

/// <summary>Migrationsverket's outcome, computed from the approved amount of each line.</summary>
public enum ClaimOutcome { Approved, PartiallyApproved, Rejected }

/// <summary>Who claims: a municipality (kommun: social services, LVU, LVM, schooling) or a region (health care).</summary>
public enum ClaimantType { Municipality, Region }

/// <summary>The kind of cost a line claims.</summary>
public enum CostType
{
    /// <summary>Bistånd enligt socialtjänstlagen (SoL 4 kap. 1 §; the statute reference itself is data, R19).</summary>
    SoL_4_1,
    /// <summary>Care under LVU.</summary>
    LVU,
    /// <summary>Care under LVM.</summary>
    LVM,
    /// <summary>Health care given by the region.</summary>
    HealthCare,
    /// <summary>Schooling of a child holding a 5 kap. 15 § permit (förordning 2017:193).</summary>
    Education,
}

/// <summary>A claim was drafted for one or two quarters; its deadline is fixed from the period (R16).</summary>
public sealed record ClaimDrafted(
    Guid ClaimId,
    string ClaimantOrgId,
    ClaimantType ClaimantType,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    int Quarters,
    DateOnly Deadline,
    DateTimeOffset DraftedAt,
    ClaimStatus Status);

/// <summary>A line: one service line of one case for part of the period. <c>DecisionRef</c> is the service line's decision.</summary>
public sealed record ClaimLineAdded(
    Guid ClaimId,
    Guid LineId,
    Guid CaseId,
    Guid ServiceLineId,
    CostType CostType,
    DateOnly From,
    DateOnly To,
    decimal Amount,
    string DecisionRef,
    DateTimeOffset AddedAt);

/// <summary>A line was removed from a draft.</summary>
public sealed record ClaimLineRemoved(Guid ClaimId, Guid LineId, DateTimeOffset RemovedAt);

/// <summary>The claim was sent to Migrationsverket before its deadline, with the computed total.</summary>
public sealed record ClaimSubmitted(Guid ClaimId, decimal TotalClaimed, int LineCount, DateTimeOffset SubmittedAt, ClaimStatus Status);

/// <summary>The claimant withdrew the claim.</summary>
public sealed record ClaimWithdrawn(Guid ClaimId, DateTimeOffset WithdrawnAt, ClaimStatus Status);

/// <summary>The approved amount of one line.</summary>
public sealed record LineDecision(Guid LineId, decimal ApprovedAmount);

/// <summary>Migrationsverket decided every line; the outcome and total follow from the lines.</summary>
public sealed record ClaimDecided(
    Guid ClaimId,
    ClaimOutcome Outcome,
    IReadOnlyList<LineDecision> Lines,
    decimal TotalApproved,
    string DecisionRef,
    DateTimeOffset DecidedAt,
    ClaimStatus Status);

/// <summary>
/// R20: Migrationsverket corrected its decision before payment (a compensating event with every line decided again).
/// <c>Reason</c>: no identifying details.
/// </summary>
public sealed record ClaimDecisionCorrected(
    Guid ClaimId,
    ClaimOutcome Outcome,
    IReadOnlyList<LineDecision> Lines,
    decimal TotalApproved,
    string DecisionRef,
    string Reason,
    DateTimeOffset CorrectedAt,
    ClaimStatus Status);

/// <summary>R20: Migrationsverket retracted its decision before payment; the claim awaits a decision again.</summary>
public sealed record ClaimDecisionRetracted(Guid ClaimId, string Reason, DateTimeOffset RetractedAt, ClaimStatus Status);

/// <summary>Migrationsverket paid the approved total (the last banking day of the decision month, in practice).</summary>
public sealed record ClaimPaid(Guid ClaimId, DateOnly PaidOn, decimal AmountPaid, DateTimeOffset RecordedAt, ClaimStatus Status);

/// <summary>The stored names of the claims' events. Never rename one.</summary>
public static class ReimbursementEventAliases
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(ClaimDrafted)] = "reimbursement.claim_drafted",
        [typeof(ClaimLineAdded)] = "reimbursement.line_added",
        [typeof(ClaimLineRemoved)] = "reimbursement.line_removed",
        [typeof(ClaimSubmitted)] = "reimbursement.claim_submitted",
        [typeof(ClaimWithdrawn)] = "reimbursement.claim_withdrawn",
        [typeof(ClaimDecided)] = "reimbursement.claim_decided",
        [typeof(ClaimDecisionCorrected)] = "reimbursement.claim_decision_corrected",
        [typeof(ClaimDecisionRetracted)] = "reimbursement.claim_decision_retracted",
        [typeof(ClaimPaid)] = "reimbursement.claim_paid",
    };
}
