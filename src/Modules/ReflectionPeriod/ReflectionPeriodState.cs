using Marten.Schema;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>The reflection period of a case (betänketid).</summary>
public sealed record ReflectionRecord
{
    public ReflectionStatus Status { get; init; } = ReflectionStatus.NotAssessed;
    public IReadOnlyList<string> EligibilityReasons { get; init; } = [];
    public Guid? ApplicationId { get; init; }
    public ApplicationRoute? Route { get; init; }
    public string? FormNumber { get; init; }
    public string? ApplicantOrgId { get; init; }
    public Guid? PreliminaryInvestigationId { get; init; }
    public string? PreliminaryInvestigationRef { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? DecisionDueAt { get; init; }
    public string? DecisionRef { get; init; }
    public string? RejectionReason { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public int Extensions { get; init; }
    public EarlyEndReason? EndReason { get; init; }
    public ReflectionStatus? StatusBeforeSuspension { get; init; }

    /// <summary>The Migrationsverket organisation that recorded the decision (it alone corrects or retracts it, R20).</summary>
    public string? DecidedByOrgId { get; init; }

    /// <summary>A permit runs, or is applied for (rule R3 counts both).</summary>
    public bool IsActiveOrPending => Status is ReflectionStatus.ApplicationSubmitted or ReflectionStatus.Active
        or ReflectionStatus.ExtensionRequested or ReflectionStatus.SuspendedPersonMissing;
}

/// <summary>The cooperation permit of a case (TUT).</summary>
public sealed record CooperationPermitRecord
{
    public CooperationPermitStatus Status { get; init; } = CooperationPermitStatus.None;
    public Guid? ApplicationId { get; init; }
    public string? ApplicantOrgId { get; init; }
    public Guid? PreliminaryInvestigationId { get; init; }
    public string? PreliminaryInvestigationRef { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? DecisionDueAt { get; init; }
    public string? DecisionRef { get; init; }
    public string? RejectionReason { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public int Renewals { get; init; }
    public CooperationCondition? ConditionNoLongerMet { get; init; }
    public CooperationEndReason? EndReason { get; init; }

    /// <summary>The Migrationsverket organisation that recorded the decision (it alone corrects or retracts it, R20).</summary>
    public string? DecidedByOrgId { get; init; }

    /// <summary>R5: the permit's investigation was closed without prosecution — a condition no longer holds; propose revocation.</summary>
    public bool RevocationReviewNeeded { get; init; }

    /// <summary>
    /// R5: the condition an organisation reported no longer met, and when — until revocation is proposed or the investigation
    /// leader reconfirms all four conditions (a renewal request).
    /// </summary>
    public CooperationCondition? ReportedUnmet { get; init; }

    public DateTimeOffset? ReportedUnmetAt { get; init; }

    /// <summary>When the review became needed (R5), and when a revocation was proposed (awaiting Migrationsverket).</summary>
    public DateTimeOffset? RevocationReviewSince { get; init; }

    public DateTimeOffset? RevocationProposedAt { get; init; }

    /// <summary>Running: granted and not ended (renewal or revocation may be pending).</summary>
    public bool IsRunning => Status is CooperationPermitStatus.Active or CooperationPermitStatus.RenewalRequested or CooperationPermitStatus.RevocationProposed;

    public bool IsActiveOrPending => Status is CooperationPermitStatus.ApplicationSubmitted or CooperationPermitStatus.Active
        or CooperationPermitStatus.RenewalRequested or CooperationPermitStatus.RevocationProposed;
}

/// <summary>A preliminary investigation the case takes part in, from the prosecution step's case-level events.</summary>
public sealed record LinkedInvestigation(Guid InvestigationId, string ReportRef, ParticipationRole Role, InvestigationStatus Status)
{
    public bool IsOpen => Status is not (InvestigationStatus.ClosedNoProsecution or InvestigationStatus.Final);
}

/// <summary>
/// The reflection-period step of one case: both 5 kap. 15 § permits, and what it knows from the suspicion step's public
/// events (presumed-victim declaration, residence basis, whereabouts). Projected inline from the case stream.
/// </summary>
[DocumentAlias("residencepermitstate")] // the table keeps its name across the rename (ADR 0011)
public sealed record ReflectionPeriodState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public bool DeclaredPresumedVictim { get; init; }
    public ResidenceBasis ResidenceBasis { get; init; }
    public CitizenshipCategory CitizenshipCategory { get; init; }
    public bool IsMissing { get; init; }
    public DateTimeOffset? MissingSince { get; init; }
    public IReadOnlyList<LinkedInvestigation> Investigations { get; init; } = [];

    private static readonly OrgType[] RevocationConsiderers = [OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency];

    /// <summary>
    /// The duties the permits put on organisations until they act: consider revoking a cooperation permit when its
    /// investigation was closed without prosecution (R5) or the person is reported missing (R12) — the investigation leader
    /// and Migrationsverket; decide a proposed revocation — Migrationsverket (R5).
    /// </summary>
    public IReadOnlyList<OpenItem> OpenItems
    {
        get
        {
            var items = new List<OpenItem>();
            if (Cooperation is { Status: CooperationPermitStatus.Active or CooperationPermitStatus.RenewalRequested } c)
            {
                if (c.ReportedUnmet is { } condition)
                {
                    items.Add(new OpenItem("ConsiderCooperationPermitRevocation", RevocationConsiderers,
                        $"R5: a condition of the permit was reported no longer met ({condition}).", c.ReportedUnmetAt ?? DateTimeOffset.MinValue));
                }

                if (c.RevocationReviewNeeded)
                {
                    items.Add(new OpenItem("ConsiderCooperationPermitRevocation", RevocationConsiderers,
                        "R5: the permit's preliminary investigation was closed without prosecution; a condition may no longer hold.", c.RevocationReviewSince ?? DateTimeOffset.MinValue));
                }

                if (IsMissing)
                {
                    items.Add(new OpenItem("ConsiderCooperationPermitRevocation", RevocationConsiderers,
                        "R12: the person is reported missing; the investigation leader and Migrationsverket consider revocation.", MissingSince ?? DateTimeOffset.MinValue));
                }
            }

            if (Cooperation is { Status: CooperationPermitStatus.RevocationProposed } proposed)
            {
                items.Add(new OpenItem("DecideCooperationPermitRevocation", [OrgType.MigrationAgency],
                    $"R5: revocation proposed because a condition no longer holds ({proposed.ConditionNoLongerMet}).", proposed.RevocationProposedAt ?? DateTimeOffset.MinValue));
            }

            return items;
        }
    }
    public ReflectionRecord Reflection { get; init; } = new();
    public CooperationPermitRecord Cooperation { get; init; } = new();

    /// <summary>The open investigation <paramref name="investigationId"/> the case takes part in, if any.</summary>
    public LinkedInvestigation? OpenInvestigation(Guid? investigationId) =>
        Investigations.FirstOrDefault(i => i.InvestigationId == investigationId && i.IsOpen);

    /// <summary>Folds one event (its own, or an upstream step's public event) into the state.</summary>
    public static ReflectionPeriodState? Fold(ReflectionPeriodState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered e) => new ReflectionPeriodState
            {
                Id = e.CaseId, ResidenceBasis = e.ResidenceBasis, CitizenshipCategory = e.CitizenshipCategory,
            },
            (null, _) => null,
            ({ } s, PresumedVictimDeclared) => s with { DeclaredPresumedVictim = true },
            ({ } s, PresumedVictimDeclarationRetracted) => s with { DeclaredPresumedVictim = false },
            ({ } s, CaseClosedNotTrafficking) => s with { DeclaredPresumedVictim = false },
            ({ } s, PersonReportedMissing e) => s with
            {
                IsMissing = true,
                MissingSince = e.MissingSince,
                Reflection = s.Reflection with
                {
                    StatusBeforeSuspension = s.Reflection.Status,
                    Status = ReflectionPeriodWorkflow.Reacting(s, ReflectionPeriodTrigger.PersonReportedMissing),
                },
            },
            ({ } s, PersonFound) => s with
            {
                IsMissing = false,
                MissingSince = null,
                Reflection = s.Reflection with { Status = ReflectionPeriodWorkflow.Reacting(s, ReflectionPeriodTrigger.PersonFound), StatusBeforeSuspension = null },
            },
            ({ } s, LinkedToInvestigation e) => s with { Investigations = [.. s.Investigations, new LinkedInvestigation(e.InvestigationId, e.ReportRef, e.Role, e.InvestigationStatus)] },
            ({ } s, InvestigationOutcomeRecorded e) => s with
            {
                Investigations = s.Investigations.Select(i => i.InvestigationId == e.InvestigationId ? i with { Status = e.InvestigationStatus } : i).ToList(),
                Cooperation = e.InvestigationId == s.Cooperation.PreliminaryInvestigationId && e.InvestigationStatus == InvestigationStatus.ClosedNoProsecution
                    && s.Cooperation.IsActiveOrPending
                    ? s.Cooperation with { RevocationReviewNeeded = true, RevocationReviewSince = info.Timestamp }
                    : s.Cooperation,
            },
            // Histories recorded before the explicit end events (December 2026) end the reflection period on the departure itself;
            // since then the departure is followed by ReflectionPeriodEndedEarly and CooperationPermitEnded (DepartureEndsPermits).
            ({ } s, ReturnDeparted) when ReflectionPeriodWorkflow.Reacting(s, ReflectionPeriodTrigger.VoluntaryDeparture) is var ended && ended != s.Reflection.Status =>
                s with { Reflection = s.Reflection with { Status = ended, EndReason = EarlyEndReason.VoluntaryReturnDeparted } },
            ({ } s, CooperationPermitEnded e) => s with { Cooperation = s.Cooperation with { Status = e.Status, EndReason = e.Reason } },
            ({ } s, ReflectionEligibilityAssessed e) => s with { Reflection = s.Reflection with { Status = e.Status, EligibilityReasons = e.Reasons } },
            ({ } s, ReflectionApplicationSubmitted e) => s with
            {
                Reflection = new ReflectionRecord
                {
                    Status = e.Status, EligibilityReasons = s.Reflection.EligibilityReasons, ApplicationId = e.ApplicationId, Route = e.Route,
                    FormNumber = e.FormNumber, ApplicantOrgId = e.ApplicantOrgId, PreliminaryInvestigationId = e.PreliminaryInvestigationId,
                    PreliminaryInvestigationRef = e.PreliminaryInvestigationRef,
                    SubmittedAt = e.SubmittedAt, DecisionDueAt = e.DecisionDueAt,
                },
            },
            ({ } s, ReflectionPeriodGranted e) => s with
            {
                Reflection = s.Reflection with
                {
                    Status = e.Status, DecisionRef = e.DecisionRef, ValidFrom = e.ValidFrom, ValidTo = e.ValidTo, ExpiresAt = e.ExpiresAt, DecidedByOrgId = info.OrgId,
                },
            },
            ({ } s, ReflectionPeriodRejected e) => s with
            {
                Reflection = s.Reflection with { Status = e.Status, DecisionRef = e.DecisionRef, RejectionReason = e.Reason, DecidedByOrgId = info.OrgId },
            },
            ({ } s, ReflectionDecisionCorrected e) => s with
            {
                Reflection = s.Reflection with { Status = e.Status, DecisionRef = e.DecisionRef, ValidFrom = e.ValidFrom, ValidTo = e.ValidTo, ExpiresAt = e.ExpiresAt },
            },
            ({ } s, ReflectionDecisionRetracted e) => s with
            {
                Reflection = s.Reflection with
                {
                    Status = e.Status, DecisionRef = null, ValidFrom = null, ValidTo = null, ExpiresAt = null, RejectionReason = null, DecidedByOrgId = null,
                    Extensions = 0, StatusBeforeSuspension = null,
                },
            },
            ({ } s, ReflectionExtensionRequested e) => s with { Reflection = s.Reflection with { Status = e.Status } },
            ({ } s, ReflectionExtensionDecided e) => s with
            {
                Reflection = s.Reflection with
                {
                    Status = e.Status,
                    ValidTo = e.NewValidTo ?? s.Reflection.ValidTo,
                    ExpiresAt = e.NewExpiresAt ?? s.Reflection.ExpiresAt,
                    Extensions = s.Reflection.Extensions + (e.Outcome == DecisionOutcome.Granted ? 1 : 0),
                },
            },
            ({ } s, ReflectionPeriodEndedEarly e) => s with { Reflection = s.Reflection with { Status = e.Status, EndReason = e.Reason } },
            ({ } s, ReflectionPeriodConverted e) => s with { Reflection = s.Reflection with { Status = e.Status } },
            ({ } s, ReflectionPeriodExpired e) => s with { Reflection = s.Reflection with { Status = e.Status } },
            ({ } s, CooperationPermitApplied e) => s with
            {
                Cooperation = new CooperationPermitRecord
                {
                    Status = e.Status, ApplicationId = e.ApplicationId, ApplicantOrgId = e.ApplicantOrgId,
                    PreliminaryInvestigationId = e.PreliminaryInvestigationId, PreliminaryInvestigationRef = e.PreliminaryInvestigationRef, SubmittedAt = e.SubmittedAt, DecisionDueAt = e.DecisionDueAt,
                },
            },
            ({ } s, CooperationPermitGranted e) => s with
            {
                Cooperation = s.Cooperation with
                {
                    Status = e.Status, DecisionRef = e.DecisionRef, ValidFrom = e.ValidFrom, ValidTo = e.ValidTo, ExpiresAt = e.ExpiresAt, DecidedByOrgId = info.OrgId,
                },
            },
            ({ } s, CooperationPermitRejected e) => s with
            {
                Cooperation = s.Cooperation with { Status = e.Status, DecisionRef = e.DecisionRef, RejectionReason = e.Reason, DecidedByOrgId = info.OrgId },
            },
            ({ } s, CooperationPermitDecisionCorrected e) => s with
            {
                Cooperation = s.Cooperation with { Status = e.Status, DecisionRef = e.DecisionRef, ValidFrom = e.ValidFrom, ValidTo = e.ValidTo, ExpiresAt = e.ExpiresAt },
            },
            ({ } s, CooperationPermitDecisionRetracted e) => s with
            {
                Cooperation = s.Cooperation with
                {
                    Status = e.Status, DecisionRef = null, ValidFrom = null, ValidTo = null, ExpiresAt = null, RejectionReason = null, DecidedByOrgId = null, Renewals = 0,
                },
            },
            ({ } s, CooperationPermitRenewalRequested e) => s with { Cooperation = s.Cooperation with { Status = e.Status, ReportedUnmet = null, ReportedUnmetAt = null } },
            ({ } s, CooperationPermitRenewalDecided e) => s with
            {
                Cooperation = s.Cooperation with
                {
                    Status = e.Status,
                    ValidTo = e.NewValidTo ?? s.Cooperation.ValidTo,
                    ExpiresAt = e.NewExpiresAt ?? s.Cooperation.ExpiresAt,
                    Renewals = s.Cooperation.Renewals + (e.Outcome == DecisionOutcome.Granted ? 1 : 0),
                },
            },
            ({ } s, CooperationConditionReportedUnmet e) => s with
            {
                Cooperation = s.Cooperation with { ReportedUnmet = e.Condition, ReportedUnmetAt = e.ReportedAt },
            },
            ({ } s, CooperationPermitRevocationProposed e) => s with
            {
                Cooperation = s.Cooperation with
                {
                    Status = e.Status, ConditionNoLongerMet = e.ConditionNoLongerMet, RevocationReviewNeeded = false, ReportedUnmet = null, ReportedUnmetAt = null, RevocationProposedAt = e.ProposedAt,
                },
            },
            ({ } s, CooperationPermitRevocationDecided e) => s with
            {
                Cooperation = s.Cooperation with
                {
                    Status = e.Status,
                    ConditionNoLongerMet = e.Revoked ? s.Cooperation.ConditionNoLongerMet : null,
                    RevocationReviewNeeded = !e.Revoked && s.Cooperation.RevocationReviewNeeded,
                },
            },
            ({ } s, CooperationPermitExpired e) => s with { Cooperation = s.Cooperation with { Status = e.Status } },
            ({ } s, _) => s,
        };

        return next is null ? null : next with { Version = info.Version };
    }
}
