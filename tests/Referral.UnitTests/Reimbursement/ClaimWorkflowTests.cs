using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Reimbursement.Contracts;
using Referral.Modules.Reimbursement;
using Referral.Modules.Support.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.UnitTests.Reimbursement;

/// <summary>Every transition and guard of a reimbursement claim (MANUAL.md §4.7, R16), its deadline, and the case facts it checks.</summary>
public sealed class ClaimWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 15, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Social = new("u1", "soc-1", OrgType.SocialServices, "0180");
    private static readonly Guid CaseId = Guid.NewGuid();
    private static readonly Guid Housing = Guid.NewGuid();
    private static readonly Guid Care = Guid.NewGuid();
    private static readonly Guid ExistingLine = Guid.NewGuid();

    /// <summary>The permitted transitions; every other state × trigger is refused.</summary>
    private static readonly Dictionary<(ClaimStatus, ClaimTrigger), ClaimStatus> Permitted = new()
    {
        [(ClaimStatus.Draft, ClaimTrigger.AddClaimLine)] = ClaimStatus.Draft,
        [(ClaimStatus.Draft, ClaimTrigger.RemoveClaimLine)] = ClaimStatus.Draft,
        [(ClaimStatus.Draft, ClaimTrigger.SubmitClaim)] = ClaimStatus.Submitted,
        // Departure from MANUAL.md §4.7 (Submitted → Withdrawn only): a draft may be withdrawn too, so an abandoned
        // draft does not stay open with deadline warnings.
        [(ClaimStatus.Draft, ClaimTrigger.WithdrawClaim)] = ClaimStatus.Withdrawn,
        [(ClaimStatus.Submitted, ClaimTrigger.DecideClaim)] = ClaimStatus.Decided,
        [(ClaimStatus.Submitted, ClaimTrigger.WithdrawClaim)] = ClaimStatus.Withdrawn,
        [(ClaimStatus.Decided, ClaimTrigger.RecordClaimPayment)] = ClaimStatus.Paid,
        // R20: before payment, the deciding organisation corrects (every line again) or retracts its decision.
        [(ClaimStatus.Decided, ClaimTrigger.CorrectClaimDecision)] = ClaimStatus.Decided,
        [(ClaimStatus.Decided, ClaimTrigger.RetractClaimDecision)] = ClaimStatus.Submitted,
    };

    public static TheoryData<ClaimStatus, ClaimTrigger> Allowed => TransitionTable.Allowed(Permitted);

    public static TheoryData<ClaimStatus, ClaimTrigger> Refused => TransitionTable.Refused(Permitted);

    /// <summary>A municipality's Q1 claim with one line of 1 000 SEK, in <paramref name="status"/>.</summary>
    private static ClaimState Claim(ClaimStatus status = ClaimStatus.Draft, ClaimantType type = ClaimantType.Municipality) => new()
    {
        Id = Guid.NewGuid(),
        Status = status,
        Outcome = status is ClaimStatus.Decided or ClaimStatus.Paid ? ClaimOutcome.Approved : null,
        // The machine checks that the organisation correcting a decision is the one that made it (its type is authorisation's).
        DecidedByOrgId = status is ClaimStatus.Decided or ClaimStatus.Paid ? "soc-1" : null,
        ClaimantOrgId = "soc-1",
        ClaimantType = type,
        PeriodFrom = new DateOnly(2026, 1, 1),
        PeriodTo = new DateOnly(2026, 3, 31),
        Quarters = 1,
        Deadline = new DateOnly(2026, 9, 30),
        Lines = [new ClaimLine(ExistingLine, CaseId, Housing, CostType.SoL_4_1, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 10), 1000m, "SOC-1", status is ClaimStatus.Decided or ClaimStatus.Paid ? 1000m : null)],
    };

    /// <summary>A case with housing (SoL 4:1, decided by soc-1) and care (region-1), and a reflection period 3 March – 1 April.</summary>
    private static CaseCostBasis Basis() => new()
    {
        Id = CaseId,
        ServiceLines =
        [
            new ReimbursableLine(Housing, ServiceType.ProtectedHousing, FundingBasis.SoL_4_1, true, "SOC-1", "soc-1", new DateOnly(2026, 3, 2), new DateOnly(2026, 6, 30)),
            new ReimbursableLine(Care, ServiceType.HealthCare, FundingBasis.HealthCareRegion, true, "REG-1", "region-1", new DateOnly(2026, 3, 2), null),
        ],
        Permits = [new PermitBasis(PermitBasisKind.ReflectionPeriod, new DateOnly(2026, 3, 3), new DateOnly(2026, 4, 1))],
    };

    private static AddClaimLine Line(Guid? serviceLine = null, CostType cost = CostType.SoL_4_1, int fromDay = 11, int toDay = 31) =>
        new(CaseId, serviceLine ?? Housing, cost, new DateOnly(2026, 3, fromDay), new DateOnly(2026, 3, toDay), 500m);

    private static object Command(ClaimTrigger trigger) => trigger switch
    {
        ClaimTrigger.AddClaimLine => Line(),
        ClaimTrigger.RemoveClaimLine => new RemoveClaimLine(ExistingLine),
        ClaimTrigger.SubmitClaim => new SubmitClaim(),
        ClaimTrigger.WithdrawClaim => new WithdrawClaim(),
        ClaimTrigger.DecideClaim => new DecideClaim("MIG-1", [new LineApproval(ExistingLine, 1000m)]),
        ClaimTrigger.CorrectClaimDecision => new CorrectClaimDecision("MIG-1b", [new LineApproval(ExistingLine, 600m)], "Amount recorded wrong."),
        ClaimTrigger.RetractClaimDecision => new RetractClaimDecision("Decided on the wrong claim."),
        _ => new RecordClaimPayment(new DateOnly(2026, 4, 15)),
    };

    /// <summary>Each command to its decider, as the handler's lines do.</summary>
    private static IReadOnlyList<object> Decide(ClaimState claim, object command, CaseCostBasis? basis = null, DateTimeOffset? now = null, Actor? actor = null)
    {
        var w = new ClaimWorkflow(claim, actor ?? Social, now ?? Now);
        return command switch
        {
            AddClaimLine c => w.AddClaimLine(c, basis ?? Basis(), Guid.NewGuid()),
            RemoveClaimLine c => w.RemoveClaimLine(c),
            SubmitClaim c => w.SubmitClaim(c),
            WithdrawClaim c => w.WithdrawClaim(c),
            DecideClaim c => w.DecideClaim(c),
            CorrectClaimDecision c => w.CorrectClaimDecision(c),
            RetractClaimDecision c => w.RetractClaimDecision(c),
            RecordClaimPayment c => w.RecordClaimPayment(c),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    private static IReadOnlyList<string> Unmet(ClaimState claim, object command, CaseCostBasis? basis = null, DateTimeOffset? now = null) =>
        Assert.Throws<WorkflowViolationException>(() => Decide(claim, command, basis, now)).UnmetGuards;

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_permitted_command_moves_the_claim(ClaimStatus from, ClaimTrigger trigger)
    {
        var claim = Claim(from);
        var events = Decide(claim, Command(trigger));
        var next = events.Aggregate(claim, (s, e) => ClaimState.Fold(s, e, new EventInfo(2, Now))!);
        Assert.Equal(Permitted[(from, trigger)], next.Status);
        Assert.Equal(2, next.Version);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Any_other_command_is_refused_with_what_is_allowed_instead(ClaimStatus from, ClaimTrigger trigger)
    {
        var refused = Assert.Throws<WorkflowViolationException>(() => Decide(Claim(from), Command(trigger)));
        Assert.Equal(from.ToString(), refused.CurrentState);
        Assert.Equal(trigger.ToString(), refused.AttemptedAction);
        Assert.Empty(refused.UnmetGuards); // refused by the state, not by a guard
        Assert.Equal(TransitionTable.Offered(Permitted, from, OrgType.SocialServices), refused.AllowedActions.Order());
    }

    [Fact]
    public void A_decision_is_corrected_or_retracted_only_by_its_decider_and_only_before_payment_R20()
    {
        var other = new Actor("u9", "miv-9", OrgType.MigrationAgency, null);
        Assert.Equal([ClaimWorkflow.Guards.SameDecider],
            Assert.Throws<WorkflowViolationException>(() => Decide(Claim(ClaimStatus.Decided), Command(ClaimTrigger.RetractClaimDecision), actor: other)).UnmetGuards);

        var corrected = Assert.IsType<ClaimDecisionCorrected>(Assert.Single(Decide(Claim(ClaimStatus.Decided), Command(ClaimTrigger.CorrectClaimDecision))));
        Assert.Equal((ClaimOutcome.PartiallyApproved, 600m), (corrected.Outcome, corrected.TotalApproved));
        var after = ClaimState.Fold(Claim(ClaimStatus.Decided), corrected, new EventInfo(2, Now))!;
        Assert.Equal((ClaimStatus.Decided, 600m), (after.Status, after.TotalApproved));
        Assert.Contains(ClaimWorkflow.Guards.ApprovedWithinClaimed,
            Unmet(Claim(ClaimStatus.Decided), new CorrectClaimDecision("MIG-1b", [new LineApproval(ExistingLine, 5000m)], "Too much.")));

        var retracted = ClaimState.Fold(Claim(ClaimStatus.Decided), Assert.Single(Decide(Claim(ClaimStatus.Decided), Command(ClaimTrigger.RetractClaimDecision))), new EventInfo(2, Now))!;
        Assert.Equal((ClaimStatus.Submitted, (decimal?)null, (string?)null), (retracted.Status, retracted.TotalApproved, retracted.DecidedByOrgId));
    }

    [Fact]
    public void A_line_needs_a_reimbursable_service_line_the_claimant_decided()
    {
        var notReimbursable = Basis() with { ServiceLines = [Basis().ServiceLines[0] with { Reimbursable = false }] };
        Assert.Equal([ClaimWorkflow.Guards.ReimbursableLine], Unmet(Claim(), Line(), notReimbursable));
        Assert.Contains(ClaimWorkflow.Guards.ReimbursableLine, Unmet(Claim(), Line(Guid.NewGuid())));
        var otherMunicipality = Basis() with { ServiceLines = [Basis().ServiceLines[0] with { DecidedByOrgId = "soc-2" }] };
        Assert.Equal([ClaimWorkflow.Guards.DecidedByClaimant], Unmet(Claim(), Line(), otherMunicipality));
    }

    [Fact]
    public void A_municipality_claims_social_costs_and_a_region_health_care_matching_the_funding_basis()
    {
        Assert.Contains(ClaimWorkflow.Guards.ClaimantCostType, Unmet(Claim(), Line(Care, CostType.HealthCare)));
        var region = Claim(type: ClaimantType.Region) with { ClaimantOrgId = "region-1" };
        Assert.Contains(ClaimWorkflow.Guards.ClaimantCostType, Unmet(region with { Lines = [] }, Line(Housing, CostType.SoL_4_1)));
        Assert.NotEmpty(Decide(region with { Lines = [] }, Line(Care, CostType.HealthCare)));
        Assert.Equal([ClaimWorkflow.Guards.MatchesFunding], Unmet(Claim(), Line(Housing, CostType.LVU)));
        var school = Basis() with { ServiceLines = [Basis().ServiceLines[0] with { Type = ServiceType.Education, FundingBasis = FundingBasis.SchoolMunicipality }] };
        Assert.NotEmpty(Decide(Claim(), Line(Housing, CostType.Education), school));
    }

    [Fact]
    public void A_lines_period_lies_within_the_quarters_and_the_decision()
    {
        var intoApril = new AddClaimLine(CaseId, Housing, CostType.SoL_4_1, new DateOnly(2026, 3, 20), new DateOnly(2026, 4, 5), 10m);
        Assert.Equal([ClaimWorkflow.Guards.WithinClaimPeriod], Unmet(Claim(), intoApril));
        var beforeDecision = new AddClaimLine(CaseId, Housing, CostType.SoL_4_1, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 5), 10m);
        Assert.Equal([ClaimWorkflow.Guards.WithinDecision], Unmet(Claim() with { Lines = [] }, beforeDecision));
    }

    [Fact]
    public void A_lines_period_overlaps_a_permit_or_pending_application_R16()
    {
        var noPermit = Basis() with { Permits = [] };
        Assert.Equal([ClaimWorkflow.Guards.OverlapsPermit], Unmet(Claim(), Line(), noPermit));
        var pending = Basis() with { Permits = [new PermitBasis(PermitBasisKind.CooperationApplicationPending, new DateOnly(2026, 3, 30), null)] };
        Assert.NotEmpty(Decide(Claim(), Line(), pending));
        var ended = Basis() with { Permits = [new PermitBasis(PermitBasisKind.CooperationPermit, new DateOnly(2025, 9, 1), new DateOnly(2026, 3, 10))] };
        Assert.Equal([ClaimWorkflow.Guards.OverlapsPermit], Unmet(Claim(), Line(), ended));
    }

    [Fact]
    public void Costs_stop_at_the_day_of_disappearance_until_found()
    {
        var missing = Basis() with { Missing = [new MissingPeriod(new DateOnly(2026, 3, 20), null)] };
        Assert.Equal([ClaimWorkflow.Guards.NotAfterDisappearance], Unmet(Claim(), Line(), missing));
        Assert.NotEmpty(Decide(Claim(), Line(toDay: 20), missing));
        var foundAgain = Basis() with { Missing = [new MissingPeriod(new DateOnly(2026, 3, 20), new DateOnly(2026, 3, 25))] };
        Assert.NotEmpty(Decide(Claim(), Line(fromDay: 25), foundAgain));
        Assert.Equal([ClaimWorkflow.Guards.NotAfterDisappearance], Unmet(Claim(), Line(fromDay: 24), foundAgain));
    }

    [Fact]
    public void The_same_service_line_is_not_claimed_twice_for_the_same_days_and_a_claim_is_bounded()
    {
        Assert.Equal([ClaimWorkflow.Guards.NotClaimedTwice], Unmet(Claim(), Line(fromDay: 10)));
        var full = Claim() with { Lines = [.. Enumerable.Range(0, ClaimWorkflow.MaxLines).Select(i => Claim().Lines[0] with { LineId = Guid.NewGuid(), ServiceLineId = Guid.NewGuid() })] };
        Assert.Equal([ClaimWorkflow.Guards.MaxLines], Unmet(full, Line()));
        Assert.Equal([ClaimWorkflow.Guards.LineOnClaim], Unmet(Claim(), new RemoveClaimLine(Guid.NewGuid())));
    }

    [Fact]
    public void Submission_needs_lines_and_the_deadline_not_passed()
    {
        Assert.Equal([ClaimWorkflow.Guards.HasLines], Unmet(Claim() with { Lines = [] }, new SubmitClaim()));
        // The deadline day (30 September) ends at midnight Swedish time (22:00 UTC in summer time).
        Assert.NotEmpty(Decide(Claim(), new SubmitClaim(), now: new DateTimeOffset(2026, 9, 30, 21, 59, 0, TimeSpan.Zero)));
        Assert.Equal([ClaimWorkflow.Guards.BeforeDeadline], Unmet(Claim(), new SubmitClaim(), now: new DateTimeOffset(2026, 9, 30, 22, 0, 0, TimeSpan.Zero)));
        var submitted = Assert.IsType<ClaimSubmitted>(Assert.Single(Decide(Claim(), new SubmitClaim())));
        Assert.Equal(1000m, submitted.TotalClaimed);
    }

    [Theory]
    [InlineData(1000, ClaimOutcome.Approved)]
    [InlineData(400.5, ClaimOutcome.PartiallyApproved)]
    [InlineData(0, ClaimOutcome.Rejected)]
    public void The_outcome_and_total_follow_from_the_approved_lines(decimal approved, ClaimOutcome outcome)
    {
        var decided = Assert.IsType<ClaimDecided>(Assert.Single(Decide(Claim(ClaimStatus.Submitted), new DecideClaim("MIG-1", [new LineApproval(ExistingLine, approved)]))));
        Assert.Equal(outcome, decided.Outcome);
        Assert.Equal(approved, decided.TotalApproved);
    }

    [Fact]
    public void Every_line_is_decided_once_within_its_claimed_amount_and_a_rejected_claim_is_not_paid()
    {
        var submitted = Claim(ClaimStatus.Submitted);
        Assert.Contains(ClaimWorkflow.Guards.EveryLineOnce, Unmet(submitted, new DecideClaim("MIG-1", [new LineApproval(Guid.NewGuid(), 1m)])));
        Assert.Contains(ClaimWorkflow.Guards.EveryLineOnce, Unmet(submitted, new DecideClaim("MIG-1", [new LineApproval(ExistingLine, 1m), new LineApproval(ExistingLine, 1m)])));
        Assert.Equal([ClaimWorkflow.Guards.ApprovedWithinClaimed], Unmet(submitted, new DecideClaim("MIG-1", [new LineApproval(ExistingLine, 1000.01m)])));
        var rejected = Claim(ClaimStatus.Decided) with { Outcome = ClaimOutcome.Rejected };
        Assert.Equal([ClaimWorkflow.Guards.NotRejected], Unmet(rejected, new RecordClaimPayment(new DateOnly(2026, 4, 15))));
        var paid = Assert.IsType<ClaimPaid>(Assert.Single(Decide(Claim(ClaimStatus.Decided), new RecordClaimPayment(new DateOnly(2026, 4, 15)))));
        Assert.Equal(1000m, paid.AmountPaid);
    }

    [Theory]
    [InlineData(2026, 1, 1, false, "2026-09-30")]
    [InlineData(2026, 2, 1, false, "2026-12-31")]
    [InlineData(2026, 3, 1, false, "2027-03-31")]
    [InlineData(2026, 4, 1, false, "2027-06-30")]
    [InlineData(2026, 1, 2, false, "2026-12-31")]
    [InlineData(2026, 4, 2, false, "2027-09-30")]
    [InlineData(2026, 1, 2, true, "2026-09-30")]
    [InlineData(2026, 4, 2, true, "2027-06-30")]
    public void The_deadline_is_the_end_of_the_quarter_plus_six_months(int year, int quarter, int quarters, bool fromFirst, string deadline)
    {
        var (from, to) = ReimbursementOptions.Period(year, quarter, quarters);
        Assert.Equal(DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture),
            new ReimbursementOptions { DeadlineFromFirstQuarter = fromFirst }.Deadline(from, to));
    }

    [Fact]
    public void By_default_a_two_quarter_claim_counts_its_deadline_from_the_first_quarter()
    {
        var (from, to) = ReimbursementOptions.Period(2026, 1, 2);
        Assert.Equal(new DateOnly(2026, 9, 30), new ReimbursementOptions().Deadline(from, to));
    }

    [Fact]
    public void The_case_facts_follow_the_permits_service_lines_and_whereabouts_of_the_case()
    {
        var day = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var events = new object[]
        {
            new SuspicionRegistered(CaseId, Guid.NewGuid(), day, "soc-1", OrgType.SocialServices, ReportingChannel.InPerson, "0180", AgeCategory.Adult, Gender.Female, "NG",
                CitizenshipCategory.ThirdCountry, ResidenceBasis.NoRightOfResidence, [], false, [ExploitationPurpose.SexualExploitation], null, [], [], [], null, ConsentStatus.Given),
            new ServiceRequested(CaseId, Housing, ServiceType.ProtectedHousing, "soc-1", day, ServiceLineStatus.Requested),
            new ServiceDecided(CaseId, Housing, true, "SOC-1", "SoL 4:1", FundingBasis.SoL_4_1, true, new DateOnly(2026, 3, 2), null, 1m, day, ServiceLineStatus.Granted),
            new ServiceEnded(CaseId, Housing, new DateOnly(2026, 5, 31), day, ServiceLineStatus.Ended),
            new ReflectionApplicationSubmitted(CaseId, Guid.NewGuid(), ApplicationRoute.WelfareBoard, "195011", "soc-1", null, null, day, day.AddDays(3), ReflectionStatus.ApplicationSubmitted),
            new ReflectionPeriodGranted(CaseId, Guid.NewGuid(), "MIG-1", new DateOnly(2026, 3, 4), new DateOnly(2026, 4, 2), day.AddDays(32), day.AddDays(2), ReflectionStatus.Active),
            new ReflectionPeriodEndedEarly(CaseId, EarlyEndReason.PersonDeclinedFurtherReflection, day.AddDays(20), ReflectionStatus.EndedEarly),
            new PersonReportedMissing(CaseId, day.AddDays(25), day.AddDays(25)),
            new PersonFound(CaseId, day.AddDays(27), day.AddDays(27)),
        };
        var basis = events.Select((e, i) => (e, i)).Aggregate((CaseCostBasis?)null,
            (s, x) => CaseCostBasis.Fold(s, x.e, new EventInfo(x.i + 1, day, "soc-1", OrgType.SocialServices)))!;
        var line = Assert.Single(basis.ServiceLines);
        Assert.True(line.Reimbursable);
        Assert.Equal("soc-1", line.DecidedByOrgId);
        Assert.Equal(new DateOnly(2026, 5, 31), line.To);
        Assert.Equal(
            [new PermitBasis(PermitBasisKind.ReflectionApplicationPending, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 4)),
             new PermitBasis(PermitBasisKind.ReflectionPeriod, new DateOnly(2026, 3, 4), new DateOnly(2026, 3, 22))],
            basis.Permits);
        Assert.Equal([new MissingPeriod(new DateOnly(2026, 3, 27), new DateOnly(2026, 3, 29))], basis.Missing);
        Assert.Equal(events.Length, basis.Version);
    }

    [Fact]
    public void Claims_follow_a_corrected_or_retracted_permit_decision_R20_R16()
    {
        var day = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var application = Guid.NewGuid();
        CaseCostBasis Fold(params object[] more) => new object[]
        {
            new SuspicionRegistered(CaseId, Guid.NewGuid(), day, "soc-1", OrgType.SocialServices, ReportingChannel.InPerson, "0180", AgeCategory.Adult, Gender.Female, "NG",
                CitizenshipCategory.ThirdCountry, ResidenceBasis.NoRightOfResidence, [], false, [ExploitationPurpose.SexualExploitation], null, [], [], [], null, ConsentStatus.Given),
            new ReflectionApplicationSubmitted(CaseId, application, ApplicationRoute.WelfareBoard, "195011", "soc-1", null, null, day, day.AddDays(3), ReflectionStatus.ApplicationSubmitted),
            new ReflectionPeriodGranted(CaseId, application, "MIG-1", new DateOnly(2026, 3, 4), new DateOnly(2026, 4, 2), day.AddDays(32), day.AddDays(2), ReflectionStatus.Active),
        }.Concat(more).Select((e, i) => (e, i)).Aggregate((CaseCostBasis?)null, (s, x) => CaseCostBasis.Fold(s, x.e, new EventInfo(x.i + 1, day)))!;

        var corrected = Fold(new ReflectionDecisionCorrected(CaseId, "MIG-1b", new DateOnly(2026, 3, 4), new DateOnly(2026, 4, 20), day.AddDays(50), "Last day.", day.AddDays(5), ReflectionStatus.Active));
        Assert.Equal(new PermitBasis(PermitBasisKind.ReflectionPeriod, new DateOnly(2026, 3, 4), new DateOnly(2026, 4, 20)), corrected.Permits[^1]);

        var retracted = Fold(new ReflectionDecisionRetracted(CaseId, application, DecisionOutcome.Granted, "Wrong case.", day.AddDays(5), ReflectionStatus.ApplicationSubmitted));
        Assert.Equal([new PermitBasis(PermitBasisKind.ReflectionApplicationPending, new DateOnly(2026, 3, 2), null)], retracted.Permits);
    }

    [Fact]
    public void A_cooperation_permit_ended_by_a_departure_is_no_basis_for_costs_after_that_day_R7_R16()
    {
        var day = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var basis = new object[]
        {
            new SuspicionRegistered(CaseId, Guid.NewGuid(), day, "soc-1", OrgType.SocialServices, ReportingChannel.InPerson, "0180", AgeCategory.Adult, Gender.Female, "NG",
                CitizenshipCategory.ThirdCountry, ResidenceBasis.NoRightOfResidence, [], false, [ExploitationPurpose.SexualExploitation], null, [], [], [], null, ConsentStatus.Given),
            new CooperationPermitGranted(CaseId, Guid.NewGuid(), "MIG-2", new DateOnly(2026, 3, 1), new DateOnly(2026, 8, 31), day.AddMonths(6), day, CooperationPermitStatus.Active),
            new CooperationPermitEnded(CaseId, CooperationEndReason.VoluntaryReturnDeparted, new DateTimeOffset(2026, 4, 15, 8, 0, 0, TimeSpan.Zero), CooperationPermitStatus.Ended),
        }.Select((e, i) => (e, i)).Aggregate((CaseCostBasis?)null, (s, x) => CaseCostBasis.Fold(s, x.e, new EventInfo(x.i + 1, day)))!;
        var permit = Assert.Single(basis.Permits);
        Assert.Equal(new PermitBasis(PermitBasisKind.CooperationPermit, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 15)), permit);
        Assert.True(permit.Overlaps(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 15)));
        Assert.False(permit.Overlaps(new DateOnly(2026, 4, 16), new DateOnly(2026, 6, 30)));
    }
}

/// <summary>The claim diagram in docs/manual is generated from the machine (UPDATE_DOCS=1 rewrites it).</summary>
public sealed class ClaimDiagramTests
{
    [Fact]
    public void Claim_diagram_in_docs_matches_the_state_machine()
    {
        var diagram = ClaimWorkflow.Diagram();
        Assert.Contains(ClaimWorkflow.Guards.BeforeDeadline, diagram, StringComparison.Ordinal);
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "reimbursement-claim.mmd"), diagram);
        Suspicion.Docs.AssertEmbedded(Path.Combine("docs", "manual", "support.md"), "reimbursement-claim", diagram);
    }
}

/// <summary>The claim and child-overlay validators' date refusals, in Swedish calendar days.</summary>
public sealed class DateValidatorTests
{
    /// <summary>Monday 2 March 2026, 23:30 in Stockholm (22:30 UTC).</summary>
    private static readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider LateEvening = new(new DateTimeOffset(2026, 3, 2, 22, 30, 0, TimeSpan.Zero));

    [Fact]
    public void A_payment_and_a_guardians_appointment_are_not_in_the_future()
    {
        var payment = new RecordClaimPaymentValidator(LateEvening);
        Assert.True(payment.Validate(new RecordClaimPayment(new DateOnly(2026, 3, 2))).IsValid);
        Assert.False(payment.Validate(new RecordClaimPayment(new DateOnly(2026, 3, 3))).IsValid);
        var guardian = new Referral.Modules.ChildSafeguarding.RecordGuardianAppointmentValidator(LateEvening);
        Assert.True(guardian.Validate(new Referral.Modules.ChildSafeguarding.RecordGuardianAppointment(new DateOnly(2026, 3, 2))).IsValid);
        Assert.False(guardian.Validate(new Referral.Modules.ChildSafeguarding.RecordGuardianAppointment(new DateOnly(2026, 3, 3))).IsValid);
    }

    [Fact]
    public void A_period_past_its_deadline_cannot_be_drafted_and_a_decision_needs_bounded_lines()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new ReimbursementOptions());
        var start = new StartClaimValidator(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 9, 30, 21, 0, 0, TimeSpan.Zero)), options);
        Assert.True(start.Validate(new StartClaim(2026, 1, 1)).IsValid);
        Assert.False(start.Validate(new StartClaim(2025, 4, 1)).IsValid);
        Assert.False(start.Validate(new StartClaim(2026, 1, 3)).IsValid);
        var decide = new DecideClaimValidator();
        Assert.False(decide.Validate(new DecideClaim("MIG-1", [])).IsValid);
        Assert.False(decide.Validate(new DecideClaim("MIG-1", [new LineApproval(Guid.NewGuid(), -1m)])).IsValid);
        Assert.False(decide.Validate(new DecideClaim("MIG-1", [new LineApproval(Guid.NewGuid(), 1.001m)])).IsValid);
        Assert.True(decide.Validate(new DecideClaim("MIG-1", [new LineApproval(Guid.NewGuid(), 0m)])).IsValid);
    }
}
