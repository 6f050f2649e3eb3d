using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.ReflectionPeriod;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.UnitTests.ReflectionPeriod;

/// <summary>The reflection period and the cooperation permit (MANUAL.md §4.3–4.4): every transition and every guard.</summary>
public sealed class PermitWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 2);
    private static readonly Guid ReflectionApplication = Guid.CreateVersion7();
    private static readonly Guid CooperationApplication = Guid.CreateVersion7();
    private static readonly Guid Investigation = Guid.CreateVersion7();
    private static readonly Actor Police = new("u-pol", "pol-1", OrgType.Police, null);
    private static readonly Actor Social = new("u-soc", "soc-1", OrgType.SocialServices, null);
    private static readonly Actor Migration = new("u-miv", "miv-1", OrgType.MigrationAgency, null);
    private static readonly Actor System = new("system", "system", OrgType.Other, null);
    private static readonly ReflectionPeriodOptions Options = new();

    /// <summary>A case declared presumed victim, without a right to stay, whose reflection period is in <paramref name="status"/>.</summary>
    private static ReflectionPeriodState Reflection(ReflectionStatus status, CooperationPermitStatus cooperation = CooperationPermitStatus.None) => new()
    {
        Id = Guid.CreateVersion7(),
        Version = 5,
        DeclaredPresumedVictim = true,
        ResidenceBasis = ResidenceBasis.NoRightOfResidence,
        CitizenshipCategory = CitizenshipCategory.ThirdCountry,
        Investigations = [new LinkedInvestigation(Investigation, "5000-K1-26", ParticipationRole.InjuredParty, InvestigationStatus.Ongoing)],
        Reflection = new ReflectionRecord
        {
            Status = status,
            ApplicationId = ReflectionApplication,
            ValidFrom = Today.AddDays(-30),
            ValidTo = Today.AddDays(-1),
            ExpiresAt = Options.EndOf(Today.AddDays(-1)),
            StatusBeforeSuspension = status == ReflectionStatus.SuspendedPersonMissing ? ReflectionStatus.Active : null,
            DecidedByOrgId = Migration.OrgId,
        },
        Cooperation = new CooperationPermitRecord
        {
            Status = cooperation,
            ApplicationId = CooperationApplication,
            ValidFrom = Today.AddMonths(-6),
            ValidTo = Today.AddDays(-1),
            ExpiresAt = Options.EndOf(Today.AddDays(-1)),
            DecidedByOrgId = Migration.OrgId,
        },
    };

    private static ReflectionPeriodState Cooperation(CooperationPermitStatus status) => Reflection(ReflectionStatus.ConvertedToCooperationPermit, status);

    /// <summary>Each command to its decider, as the handler's lines (and the deadline service, for an expiry) do.</summary>
    private static IReadOnlyList<object> Decide(ReflectionPeriodState state, Actor actor, object command, ReflectionPeriodOptions? options = null)
    {
        var reflection = new ReflectionPeriodWorkflow(state, actor, options ?? Options, Now);
        var permit = new CooperationPermitWorkflow(state, actor, options ?? Options, Now);
        return command switch
        {
            AssessReflectionEligibility c => reflection.AssessReflectionEligibility(c),
            SubmitReflectionApplication c => reflection.SubmitReflectionApplication(c),
            RecordReflectionDecision c => reflection.RecordReflectionDecision(c),
            RequestReflectionExtension c => reflection.RequestReflectionExtension(c),
            RecordReflectionExtensionDecision c => reflection.RecordReflectionExtensionDecision(c),
            EndReflectionPeriodEarly c => reflection.EndReflectionPeriodEarly(c),
            CorrectReflectionDecision c => reflection.CorrectReflectionDecision(c),
            RetractReflectionDecision c => reflection.RetractReflectionDecision(c),
            SubmitCooperationPermitApplication c => permit.SubmitCooperationPermitApplication(c),
            RecordCooperationPermitDecision c => permit.RecordCooperationPermitDecision(c),
            RequestCooperationPermitRenewal c => permit.RequestCooperationPermitRenewal(c),
            RecordCooperationPermitRenewalDecision c => permit.RecordCooperationPermitRenewalDecision(c),
            ReportCooperationConditionUnmet c => permit.ReportCooperationConditionUnmet(c),
            ProposeCooperationPermitRevocation c => permit.ProposeCooperationPermitRevocation(c),
            RecordCooperationPermitRevocationDecision c => permit.RecordCooperationPermitRevocationDecision(c),
            CorrectCooperationPermitDecision c => permit.CorrectCooperationPermitDecision(c),
            RetractCooperationPermitDecision c => permit.RetractCooperationPermitDecision(c),
            ExpireReflectionPeriod c => reflection.ExpireReflectionPeriod(c),
            ExpireCooperationPermit c => permit.ExpireCooperationPermit(c),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    private static ReflectionPeriodState Apply(ReflectionPeriodState state, IEnumerable<object> events) =>
        events.Aggregate(state, (s, e) => ReflectionPeriodState.Fold(s, e, new EventInfo(s.Version + 1, Now))!);

    /// <summary>The reflection-period commands, each valid and sent by an organisation allowed to.</summary>
    public enum R { Assess, Submit, Grant, Reject, RequestExtension, GrantExtension, RejectExtension, EndEarly, Correct, Retract, Expire }

    private static (Actor, object) ReflectionCommand(R command) => command switch
    {
        R.Assess => (Social, new AssessReflectionEligibility(true)),
        R.Submit => (Police, new SubmitReflectionApplication(Investigation)),
        R.Grant => (Migration, new RecordReflectionDecision(ReflectionApplication, DecisionOutcome.Granted, "D-1", Today, Today.AddDays(29), null)),
        R.Reject => (Migration, new RecordReflectionDecision(ReflectionApplication, DecisionOutcome.Rejected, "D-1", null, null, "Not met.")),
        R.RequestExtension => (Police, new RequestReflectionExtension("Needs more time.", true)),
        R.GrantExtension => (Migration, new RecordReflectionExtensionDecision(DecisionOutcome.Granted, "D-2", Today.AddDays(60))),
        R.RejectExtension => (Migration, new RecordReflectionExtensionDecision(DecisionOutcome.Rejected, "D-2", null)),
        R.EndEarly => (Social, new EndReflectionPeriodEarly(EarlyEndReason.PersonDeclinedFurtherReflection)),
        R.Correct => (Migration, new CorrectReflectionDecision("D-1b", Today, Today.AddDays(30), "The last day was recorded wrong.")),
        R.Retract => (Migration, new RetractReflectionDecision("Recorded on the wrong case.")),
        _ => (System, new ExpireReflectionPeriod()),
    };

    private static readonly Dictionary<(ReflectionStatus, R), ReflectionStatus> ReflectionPermitted = BuildReflectionTable();

    private static Dictionary<(ReflectionStatus, R), ReflectionStatus> BuildReflectionTable()
    {
        var table = new Dictionary<(ReflectionStatus, R), ReflectionStatus>();
        foreach (var from in new[] { ReflectionStatus.NotAssessed, ReflectionStatus.NotApplicable, ReflectionStatus.Eligible, ReflectionStatus.Rejected, ReflectionStatus.EndedEarly, ReflectionStatus.Expired })
        {
            table[(from, R.Assess)] = ReflectionStatus.Eligible;
        }

        table[(ReflectionStatus.Eligible, R.Submit)] = ReflectionStatus.ApplicationSubmitted;
        table[(ReflectionStatus.Rejected, R.Submit)] = ReflectionStatus.ApplicationSubmitted;
        table[(ReflectionStatus.ApplicationSubmitted, R.Grant)] = ReflectionStatus.Active;
        table[(ReflectionStatus.ApplicationSubmitted, R.Reject)] = ReflectionStatus.Rejected;
        table[(ReflectionStatus.Active, R.RequestExtension)] = ReflectionStatus.ExtensionRequested;
        table[(ReflectionStatus.ExtensionRequested, R.GrantExtension)] = ReflectionStatus.Active;
        table[(ReflectionStatus.ExtensionRequested, R.RejectExtension)] = ReflectionStatus.Active;
        foreach (var running in new[] { ReflectionStatus.Active, ReflectionStatus.ExtensionRequested, ReflectionStatus.SuspendedPersonMissing })
        {
            table[(running, R.EndEarly)] = ReflectionStatus.EndedEarly;
            table[(running, R.Expire)] = ReflectionStatus.Expired;
            // R20: the decider corrects a running grant, or retracts it; the application then awaits a decision again.
            table[(running, R.Correct)] = running;
            table[(running, R.Retract)] = ReflectionStatus.ApplicationSubmitted;
        }

        // R20: a rejection is retracted until a new application follows it.
        table[(ReflectionStatus.Rejected, R.Retract)] = ReflectionStatus.ApplicationSubmitted;

        return table;
    }

    public static TheoryData<ReflectionStatus, R> ReflectionAllowed() => TransitionTable.Allowed(ReflectionPermitted);

    public static TheoryData<ReflectionStatus, R> ReflectionRefused() => TransitionTable.Refused(ReflectionPermitted);

    [Theory]
    [MemberData(nameof(ReflectionAllowed))]
    public void Reflection_transition_is_permitted_and_lands_in_the_specified_state(ReflectionStatus from, R command)
    {
        var (actor, message) = ReflectionCommand(command);
        var state = Reflection(from);
        var after = Apply(state, Decide(state, actor, message));
        Assert.Equal(ReflectionPermitted[(from, command)], after.Reflection.Status);
    }

    [Theory]
    [MemberData(nameof(ReflectionRefused))]
    public void Reflection_transition_is_refused_in_other_states(ReflectionStatus from, R command)
    {
        var (actor, message) = ReflectionCommand(command);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Reflection(from), actor, message));
        Assert.Equal(from.ToString(), violation.CurrentState);
        Assert.Equal(message.GetType().Name, violation.AttemptedAction);
        Assert.Empty(violation.UnmetGuards); // refused by the state, not by a guard
        Assert.Equal("reflection-period", violation.Step);
    }

    [Fact]
    public void Eligibility_needs_a_presumed_victim_declaration()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Reflection(ReflectionStatus.NotAssessed) with { DeclaredPresumedVictim = false }, Social, new AssessReflectionEligibility(true)));
        Assert.Contains(ReflectionPeriodWorkflow.Guards.PresumedVictim, violation.UnmetGuards);
    }

    [Theory]
    [InlineData(CitizenshipCategory.ThirdCountry, ResidenceBasis.NoRightOfResidence, true)]
    [InlineData(CitizenshipCategory.NordicOrEuEea, ResidenceBasis.NoRightOfResidence, true)]
    [InlineData(CitizenshipCategory.Unknown, ResidenceBasis.Unknown, true)]
    [InlineData(CitizenshipCategory.Swedish, ResidenceBasis.SwedishCitizen, false)]
    [InlineData(CitizenshipCategory.Swedish, ResidenceBasis.NoRightOfResidence, false)]
    [InlineData(CitizenshipCategory.ThirdCountry, ResidenceBasis.PermanentPermit, false)]
    [InlineData(CitizenshipCategory.ThirdCountry, ResidenceBasis.TemporaryPermitOther, false)]
    [InlineData(CitizenshipCategory.NordicOrEuEea, ResidenceBasis.EuFreeMovementRight, false)]
    [InlineData(CitizenshipCategory.ThirdCountry, ResidenceBasis.AsylumSeeker, false)]
    public void Eligibility_follows_rule_R2(CitizenshipCategory citizenship, ResidenceBasis basis, bool eligible)
    {
        var state = Reflection(ReflectionStatus.NotAssessed) with { CitizenshipCategory = citizenship, ResidenceBasis = basis };
        var assessed = Assert.IsType<ReflectionEligibilityAssessed>(Assert.Single(Decide(state, Social, new AssessReflectionEligibility(true))));
        Assert.Equal(eligible, assessed.Eligible);
        Assert.Equal(eligible ? ReflectionStatus.Eligible : ReflectionStatus.NotApplicable, assessed.Status);
    }

    [Fact]
    public void Asylum_seekers_are_eligible_only_where_configured()
    {
        var state = Reflection(ReflectionStatus.NotAssessed) with { ResidenceBasis = ResidenceBasis.AsylumSeeker };
        var assessed = Assert.IsType<ReflectionEligibilityAssessed>(Assert.Single(
            Decide(state, Social, new AssessReflectionEligibility(true), new ReflectionPeriodOptions { AsylumSeekersEligible = true })));
        Assert.True(assessed.Eligible);
    }

    [Fact]
    public void An_investigation_leader_must_name_the_investigation_a_welfare_board_need_not()
    {
        var state = Reflection(ReflectionStatus.Eligible);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(state, Police, new SubmitReflectionApplication(null)));
        Assert.Equal([ReflectionPeriodWorkflow.Guards.InvestigationReference], violation.UnmetGuards);
        Assert.Throws<WorkflowViolationException>(() => Decide(state, Police, new SubmitReflectionApplication(Guid.CreateVersion7())));
        var viaInvestigation = Assert.IsType<ReflectionApplicationSubmitted>(Assert.Single(Decide(state, Police, new SubmitReflectionApplication(Investigation))));
        Assert.Equal("5000-K1-26", viaInvestigation.PreliminaryInvestigationRef);

        var submitted = Assert.IsType<ReflectionApplicationSubmitted>(Assert.Single(Decide(state, Social, new SubmitReflectionApplication(null))));
        Assert.Equal(ApplicationRoute.WelfareBoard, submitted.Route);
        Assert.Equal("195011", submitted.FormNumber);
        Assert.Equal(Options.WorkingDaysAfter(Now, 3), submitted.DecisionDueAt);
    }

    [Theory]
    [InlineData(CooperationPermitStatus.ApplicationSubmitted)]
    [InlineData(CooperationPermitStatus.Active)]
    [InlineData(CooperationPermitStatus.RenewalRequested)]
    [InlineData(CooperationPermitStatus.RevocationProposed)]
    public void A_second_permit_is_refused_R3(CooperationPermitStatus cooperation)
    {
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Reflection(ReflectionStatus.Eligible, cooperation), Police, new SubmitReflectionApplication(Investigation)));
        Assert.Equal([ReflectionPeriodWorkflow.Guards.OnePermit], violation.UnmetGuards);
    }

    [Fact]
    public void A_decision_must_refer_to_the_pending_application()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Reflection(ReflectionStatus.ApplicationSubmitted), Migration,
            new RecordReflectionDecision(Guid.CreateVersion7(), DecisionOutcome.Granted, "D-1", Today, Today.AddDays(29), null)));
        Assert.Equal([ReflectionPeriodWorkflow.Guards.DecisionMatches], violation.UnmetGuards);
    }

    [Fact]
    public void A_grant_keeps_the_decided_dates_and_ends_at_the_end_of_the_last_day_in_Swedish_time()
    {
        var granted = Assert.IsType<ReflectionPeriodGranted>(Assert.Single(Decide(Reflection(ReflectionStatus.ApplicationSubmitted), Migration,
            new RecordReflectionDecision(ReflectionApplication, DecisionOutcome.Granted, "D-1", new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 31), null))));
        Assert.Equal(new DateOnly(2026, 3, 31), granted.ValidTo);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(2)), granted.ExpiresAt);
    }

    [Fact]
    public void An_extension_needs_an_investigation_leader_unless_welfare_boards_are_allowed()
    {
        var state = Reflection(ReflectionStatus.Active);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(state, Social, new RequestReflectionExtension("Reasons.", true)));
        Assert.Equal([ReflectionPeriodWorkflow.Guards.ExtensionRequester], violation.UnmetGuards);
        Assert.Single(Decide(state, Social, new RequestReflectionExtension("Reasons.", true), new ReflectionPeriodOptions { WelfareBoardMayRequestExtension = true }));
    }

    [Fact]
    public void An_extension_needs_the_conditions_still_met()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Reflection(ReflectionStatus.Active), Police, new RequestReflectionExtension("Reasons.", false)));
        Assert.Equal([ReflectionPeriodWorkflow.Guards.ConditionsStillMet], violation.UnmetGuards);
    }

    [Fact]
    public void A_granted_extension_must_end_after_the_current_last_day()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Reflection(ReflectionStatus.ExtensionRequested), Migration,
            new RecordReflectionExtensionDecision(DecisionOutcome.Granted, "D-2", Today.AddDays(-1))));
        Assert.Equal([ReflectionPeriodWorkflow.Guards.ExtensionEndsLater], violation.UnmetGuards);
    }

    [Fact]
    public void Expiry_is_refused_before_the_last_day_has_passed()
    {
        var running = Reflection(ReflectionStatus.Active) with
        {
            Reflection = Reflection(ReflectionStatus.Active).Reflection with { ValidTo = Today, ExpiresAt = Options.EndOf(Today) },
        };
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(running, System, new ExpireReflectionPeriod()));
        Assert.Equal([ReflectionPeriodWorkflow.Guards.LastDayPassed], violation.UnmetGuards);
    }

    [Theory]
    [InlineData(ReflectionStatus.Active, ReflectionStatus.Active)]
    [InlineData(ReflectionStatus.ExtensionRequested, ReflectionStatus.ExtensionRequested)]
    public void Missing_suspends_the_period_and_found_resumes_it_R12(ReflectionStatus before, ReflectionStatus resumed)
    {
        var state = Reflection(before);
        var missing = ReflectionPeriodState.Fold(state, new PersonReportedMissing(state.Id, Now, Now), new EventInfo(6, Now))!;
        Assert.Equal(ReflectionStatus.SuspendedPersonMissing, missing.Reflection.Status);
        Assert.Equal(state.Reflection.ValidTo, missing.Reflection.ValidTo);
        var found = ReflectionPeriodState.Fold(missing, new PersonFound(state.Id, Now, Now), new EventInfo(7, Now))!;
        Assert.Equal(resumed, found.Reflection.Status);
    }

    [Theory]
    [InlineData(ReflectionStatus.NotAssessed)]
    [InlineData(ReflectionStatus.Expired)]
    [InlineData(ReflectionStatus.ApplicationSubmitted)]
    public void Missing_changes_nothing_where_no_period_runs(ReflectionStatus status)
    {
        var state = Reflection(status);
        var missing = ReflectionPeriodState.Fold(state, new PersonReportedMissing(state.Id, Now, Now), new EventInfo(6, Now))!;
        Assert.Equal(status, missing.Reflection.Status);
        Assert.True(missing.IsMissing);
    }

    /// <summary>The cooperation-permit commands, each valid and sent by an organisation allowed to.</summary>
    public enum C { Apply, Grant, Reject, RequestRenewal, GrantRenewal, RejectRenewal, ReportUnmet, ProposeRevocation, Revoke, Keep, Correct, Retract, Expire }

    private static (Actor, object) CooperationCommand(C command) => command switch
    {
        C.Apply => (Police, new SubmitCooperationPermitApplication(Investigation, true, true, true, true)),
        C.Grant => (Migration, new RecordCooperationPermitDecision(CooperationApplication, DecisionOutcome.Granted, "T-1", Today, Today.AddMonths(6), null)),
        C.Reject => (Migration, new RecordCooperationPermitDecision(CooperationApplication, DecisionOutcome.Rejected, "T-1", null, null, "Not needed.")),
        C.RequestRenewal => (Police, new RequestCooperationPermitRenewal(true, true, true, true)),
        C.GrantRenewal => (Migration, new RecordCooperationPermitRenewalDecision(DecisionOutcome.Granted, "T-2", Today.AddMonths(6))),
        C.RejectRenewal => (Migration, new RecordCooperationPermitRenewalDecision(DecisionOutcome.Rejected, "T-2", null)),
        C.ReportUnmet => (Social, new ReportCooperationConditionUnmet(CooperationCondition.BrokenTiesWithSuspects, "Renewed contact with a suspect observed.")),
        C.ProposeRevocation => (Police, new ProposeCooperationPermitRevocation(CooperationCondition.BrokenTiesWithSuspects, "Contact with a suspect resumed.")),
        C.Revoke => (Migration, new RecordCooperationPermitRevocationDecision(true, "T-3")),
        C.Keep => (Migration, new RecordCooperationPermitRevocationDecision(false, "T-3")),
        C.Correct => (Migration, new CorrectCooperationPermitDecision("T-1b", Today, Today.AddMonths(7), "The last day was recorded wrong.")),
        C.Retract => (Migration, new RetractCooperationPermitDecision("Recorded on the wrong case.")),
        _ => (System, new ExpireCooperationPermit()),
    };

    private static readonly Dictionary<(CooperationPermitStatus, C), CooperationPermitStatus> CooperationPermitted = new()
    {
        [(CooperationPermitStatus.None, C.Apply)] = CooperationPermitStatus.ApplicationSubmitted,
        [(CooperationPermitStatus.Rejected, C.Apply)] = CooperationPermitStatus.ApplicationSubmitted,
        [(CooperationPermitStatus.Revoked, C.Apply)] = CooperationPermitStatus.ApplicationSubmitted,
        [(CooperationPermitStatus.Expired, C.Apply)] = CooperationPermitStatus.ApplicationSubmitted,
        [(CooperationPermitStatus.ApplicationSubmitted, C.Grant)] = CooperationPermitStatus.Active,
        [(CooperationPermitStatus.ApplicationSubmitted, C.Reject)] = CooperationPermitStatus.Rejected,
        [(CooperationPermitStatus.Active, C.RequestRenewal)] = CooperationPermitStatus.RenewalRequested,
        [(CooperationPermitStatus.RenewalRequested, C.GrantRenewal)] = CooperationPermitStatus.Active,
        [(CooperationPermitStatus.RenewalRequested, C.RejectRenewal)] = CooperationPermitStatus.Active,
        // R5: a condition reported unmet leaves the permit as it is (the leader and Migrationsverket review it).
        [(CooperationPermitStatus.Active, C.ReportUnmet)] = CooperationPermitStatus.Active,
        [(CooperationPermitStatus.RenewalRequested, C.ReportUnmet)] = CooperationPermitStatus.RenewalRequested,
        [(CooperationPermitStatus.Active, C.ProposeRevocation)] = CooperationPermitStatus.RevocationProposed,
        [(CooperationPermitStatus.RenewalRequested, C.ProposeRevocation)] = CooperationPermitStatus.RevocationProposed,
        [(CooperationPermitStatus.RevocationProposed, C.Revoke)] = CooperationPermitStatus.Revoked,
        [(CooperationPermitStatus.RevocationProposed, C.Keep)] = CooperationPermitStatus.Active,
        [(CooperationPermitStatus.Active, C.Expire)] = CooperationPermitStatus.Expired,
        [(CooperationPermitStatus.RenewalRequested, C.Expire)] = CooperationPermitStatus.Expired,
        [(CooperationPermitStatus.RevocationProposed, C.Expire)] = CooperationPermitStatus.Expired,
        // R20: the decider corrects or retracts a running grant (not while a revocation is proposed), or retracts a rejection.
        [(CooperationPermitStatus.Active, C.Correct)] = CooperationPermitStatus.Active,
        [(CooperationPermitStatus.RenewalRequested, C.Correct)] = CooperationPermitStatus.RenewalRequested,
        [(CooperationPermitStatus.Active, C.Retract)] = CooperationPermitStatus.ApplicationSubmitted,
        [(CooperationPermitStatus.RenewalRequested, C.Retract)] = CooperationPermitStatus.ApplicationSubmitted,
        [(CooperationPermitStatus.Rejected, C.Retract)] = CooperationPermitStatus.ApplicationSubmitted,
    };

    public static TheoryData<CooperationPermitStatus, C> CooperationAllowed() => TransitionTable.Allowed(CooperationPermitted);

    public static TheoryData<CooperationPermitStatus, C> CooperationRefused() => TransitionTable.Refused(CooperationPermitted);

    [Theory]
    [MemberData(nameof(CooperationAllowed))]
    public void Cooperation_transition_is_permitted_and_lands_in_the_specified_state(CooperationPermitStatus from, C command)
    {
        var (actor, message) = CooperationCommand(command);
        var state = Cooperation(from);
        Assert.Equal(CooperationPermitted[(from, command)], Apply(state, Decide(state, actor, message)).Cooperation.Status);
    }

    [Theory]
    [MemberData(nameof(CooperationRefused))]
    public void Cooperation_transition_is_refused_in_other_states(CooperationPermitStatus from, C command)
    {
        var (actor, message) = CooperationCommand(command);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Cooperation(from), actor, message));
        Assert.Equal(from.ToString(), violation.CurrentState);
        Assert.Equal(message.GetType().Name, violation.AttemptedAction);
        Assert.Empty(violation.UnmetGuards); // refused by the state, not by a guard
    }

    [Theory]
    [InlineData(false, true, true, true)]
    [InlineData(true, false, true, true)]
    [InlineData(true, true, false, true)]
    [InlineData(true, true, true, false)]
    public void A_cooperation_application_needs_all_four_conditions_R4(bool needed, bool willing, bool tiesBroken, bool publicOrder)
    {
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Cooperation(CooperationPermitStatus.None), Police, new SubmitCooperationPermitApplication(Investigation, needed, willing, tiesBroken, publicOrder)));
        Assert.Equal([CooperationPermitWorkflow.Guards.FourConditions], violation.UnmetGuards);
    }

    [Theory]
    [InlineData(InvestigationStatus.ClosedNoProsecution, true)]
    [InlineData(InvestigationStatus.Final, true)]
    [InlineData(InvestigationStatus.Ongoing, false)]
    public void A_cooperation_application_needs_an_open_investigation_the_case_takes_part_in_R4(InvestigationStatus status, bool refused)
    {
        var state = Cooperation(CooperationPermitStatus.None);
        state = state with { Investigations = [state.Investigations[0] with { Status = status }] };
        var command = new SubmitCooperationPermitApplication(Investigation, true, true, true, true);
        if (refused)
        {
            var violation = Assert.Throws<WorkflowViolationException>(() => Decide(state, Police, command));
            Assert.Equal([CooperationPermitWorkflow.Guards.OpenInvestigation], violation.UnmetGuards);
        }
        else
        {
            Assert.IsType<CooperationPermitApplied>(Decide(state, Police, command)[0]);
        }

        var unlinked = Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Police, new SubmitCooperationPermitApplication(Guid.CreateVersion7(), true, true, true, true)));
        Assert.Contains(CooperationPermitWorkflow.Guards.OpenInvestigation, unlinked.UnmetGuards);
    }

    [Fact]
    public void Closing_the_permits_investigation_raises_a_revocation_review_R5()
    {
        var state = Cooperation(CooperationPermitStatus.Active);
        state = state with { Cooperation = state.Cooperation with { PreliminaryInvestigationId = Investigation } };
        var closed = ReflectionPeriodState.Fold(state,
            new InvestigationOutcomeRecorded(state.Id, Investigation, InvestigationStatus.ClosedNoProsecution, false, false, Now), new EventInfo(6, Now))!;
        Assert.True(closed.Cooperation.RevocationReviewNeeded);
        Assert.False(closed.Investigations[0].IsOpen);

        var proposed = Apply(closed, Decide(closed, Police, new ProposeCooperationPermitRevocation(CooperationCondition.NeededForInvestigationOrTrial, "Investigation closed.")));
        Assert.False(proposed.Cooperation.RevocationReviewNeeded);
        Assert.Equal(CooperationPermitStatus.RevocationProposed, proposed.Cooperation.Status);
    }

    [Fact]
    public void A_renewal_needs_the_conditions_reconfirmed()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Cooperation(CooperationPermitStatus.Active), Police, new RequestCooperationPermitRenewal(true, true, false, true)));
        Assert.Equal([CooperationPermitWorkflow.Guards.FourConditions], violation.UnmetGuards);
    }

    [Fact]
    public void A_cooperation_application_is_refused_while_a_reflection_application_awaits_a_decision_R3()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Reflection(ReflectionStatus.ApplicationSubmitted), Police, new SubmitCooperationPermitApplication(Investigation, true, true, true, true)));
        Assert.Equal([CooperationPermitWorkflow.Guards.OnePermit], violation.UnmetGuards);
    }

    [Theory]
    [InlineData(ReflectionStatus.Active, true)]
    [InlineData(ReflectionStatus.ExtensionRequested, true)]
    [InlineData(ReflectionStatus.SuspendedPersonMissing, true)]
    [InlineData(ReflectionStatus.Expired, false)]
    [InlineData(ReflectionStatus.NotAssessed, false)]
    public void A_cooperation_application_converts_a_running_reflection_period(ReflectionStatus reflection, bool converts)
    {
        var state = Reflection(reflection);
        var events = Decide(state, Police, new SubmitCooperationPermitApplication(Investigation, true, true, true, true));
        Assert.IsType<CooperationPermitApplied>(events[0]);
        Assert.Equal(converts ? 2 : 1, events.Count);
        var after = Apply(state, events);
        Assert.Equal(converts ? ReflectionStatus.ConvertedToCooperationPermit : reflection, after.Reflection.Status);
        Assert.Equal(CooperationPermitStatus.ApplicationSubmitted, after.Cooperation.Status);
    }

    [Fact]
    public void A_grant_shorter_than_six_months_is_refused()
    {
        // validTo is the permit's last day (inclusive): 1 March – 30 August is one day short of six months.
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Cooperation(CooperationPermitStatus.ApplicationSubmitted), Migration,
            new RecordCooperationPermitDecision(CooperationApplication, DecisionOutcome.Granted, "T-1", new DateOnly(2027, 3, 1), new DateOnly(2027, 8, 30), null)));
        Assert.Equal([CooperationPermitWorkflow.Guards.MinimumDuration], violation.UnmetGuards);
    }

    [Theory]
    [InlineData("2027-03-01", "2027-08-31")] // six months, the last day inclusive
    [InlineData("2027-08-31", "2028-02-29")] // from a month's last day, into a leap February
    [InlineData("2027-01-15", "2027-07-14")]
    public void A_grant_of_exactly_six_months_is_granted(string from, string to)
    {
        var events = Decide(Cooperation(CooperationPermitStatus.ApplicationSubmitted), Migration,
            new RecordCooperationPermitDecision(CooperationApplication, DecisionOutcome.Granted, "T-1", DateOnly.Parse(from, global::System.Globalization.CultureInfo.InvariantCulture),
                DateOnly.Parse(to, global::System.Globalization.CultureInfo.InvariantCulture), null));
        Assert.IsType<CooperationPermitGranted>(Assert.Single(events));
    }

    [Fact]
    public void A_cooperation_decision_must_refer_to_the_pending_application()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Cooperation(CooperationPermitStatus.ApplicationSubmitted), Migration,
            new RecordCooperationPermitDecision(Guid.CreateVersion7(), DecisionOutcome.Rejected, "T-1", null, null, "No.")));
        Assert.Equal([CooperationPermitWorkflow.Guards.DecisionMatches], violation.UnmetGuards);
    }

    [Fact]
    public void A_granted_renewal_must_end_after_the_current_last_day()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Cooperation(CooperationPermitStatus.RenewalRequested), Migration,
            new RecordCooperationPermitRenewalDecision(DecisionOutcome.Granted, "T-2", Today.AddDays(-1))));
        Assert.Equal([CooperationPermitWorkflow.Guards.RenewalEndsLater], violation.UnmetGuards);
    }

    [Fact]
    public void Cooperation_expiry_is_refused_before_the_last_day_has_passed()
    {
        var state = Cooperation(CooperationPermitStatus.Active);
        state = state with { Cooperation = state.Cooperation with { ValidTo = Today.AddDays(10), ExpiresAt = Options.EndOf(Today.AddDays(10)) } };
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(state, System, new ExpireCooperationPermit()));
        Assert.Equal([CooperationPermitWorkflow.Guards.LastDayPassed], violation.UnmetGuards);
    }

    [Fact]
    public void Working_days_skip_weekends_and_Swedish_holidays_computed_for_the_year()
    {
        var options = new ReflectionPeriodOptions();
        // Thursday 2 April 2026 + 3 working days: Good Friday and Easter Monday are holidays → Tue, Wed, Thu → due end of Thursday 9 April.
        var due = options.WorkingDaysAfter(new DateTimeOffset(2026, 4, 2, 10, 0, 0, TimeSpan.FromHours(2)), 3);
        Assert.Equal(new DateTimeOffset(2026, 4, 10, 0, 0, 0, TimeSpan.FromHours(2)), due);
        // No list configured for 2031: Thursday 10 April 2031 + 3 → Good Friday 11th and Easter Monday 14th skipped → Tue, Wed, Thu 17th.
        Assert.Equal(new DateTimeOffset(2031, 4, 18, 0, 0, 0, TimeSpan.FromHours(2)),
            options.WorkingDaysAfter(new DateTimeOffset(2031, 4, 10, 10, 0, 0, TimeSpan.FromHours(2)), 3));
    }

    [Fact]
    public void Extra_closed_days_are_added_to_the_computed_holidays()
    {
        var options = new ReflectionPeriodOptions { Holidays = [new DateOnly(2026, 4, 7)] };
        Assert.Equal(new DateTimeOffset(2026, 4, 11, 0, 0, 0, TimeSpan.FromHours(2)),
            options.WorkingDaysAfter(new DateTimeOffset(2026, 4, 2, 10, 0, 0, TimeSpan.FromHours(2)), 3));
    }

    [Fact]
    public void Reflection_reminders_fall_seven_and_two_days_before_the_last_day_itself()
    {
        var last = new DateOnly(2026, 12, 31);
        var state = Reflection(ReflectionStatus.Active);
        state = state with { Reflection = state.Reflection with { ValidTo = last, ExpiresAt = Options.EndOf(last) } };
        var reminders = ResidencePermitView.DeadlinesOf(state, Options, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))
            .Where(d => d.Kind == DeadlineKind.ExpiryReminder).Select(d => d.At).ToList();
        var sweden = TimeSpan.FromHours(1);
        Assert.Equal([new DateTimeOffset(2026, 12, 24, 0, 0, 0, sweden), new DateTimeOffset(2026, 12, 29, 0, 0, 0, sweden)], reminders);
    }

    [Fact]
    public void The_cooperation_permit_reminder_falls_45_days_before_the_last_day()
    {
        var last = new DateOnly(2027, 6, 30);
        var state = Cooperation(CooperationPermitStatus.Active);
        state = state with { Cooperation = state.Cooperation with { ValidTo = last, ExpiresAt = Options.EndOf(last) } };
        var reminder = Assert.Single(ResidencePermitView.DeadlinesOf(state, Options, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            d => d.Kind == DeadlineKind.ExpiryReminder && d.Permit == PermitKind.CooperationPermit);
        Assert.Equal(new DateTimeOffset(2027, 5, 16, 0, 0, 0, TimeSpan.FromHours(2)), reminder.At);
    }

    [Fact]
    public void Allowed_actions_name_commands_once_and_only_for_allowed_organisations()
    {
        var submitted = Reflection(ReflectionStatus.ApplicationSubmitted);
        Assert.Equal(["RecordReflectionDecision"], new ReflectionPeriodWorkflow(submitted, Migration, Options).AllowedActionNames());
        Assert.Empty(new ReflectionPeriodWorkflow(submitted, Police, Options).AllowedActionNames());
        Assert.Equal(["SubmitCooperationPermitApplication"], new CooperationPermitWorkflow(Reflection(ReflectionStatus.Active), Police, Options).AllowedActionNames());
    }

    [Fact]
    public void Diagrams_in_docs_match_the_state_machines()
    {
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "reflection-period.mmd"), ReflectionPeriodWorkflow.Diagram());
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "cooperation-permit.mmd"), CooperationPermitWorkflow.Diagram());
        Suspicion.Docs.AssertEmbedded(Path.Combine("docs", "manual", "reflection-period.md"), "reflection-period", ReflectionPeriodWorkflow.Diagram());
        Suspicion.Docs.AssertEmbedded(Path.Combine("docs", "manual", "reflection-period.md"), "cooperation-permit", CooperationPermitWorkflow.Diagram());
    }

    [Theory]
    [InlineData(ReflectionStatus.Active, CooperationPermitStatus.None, true, false)]
    [InlineData(ReflectionStatus.ConvertedToCooperationPermit, CooperationPermitStatus.Active, false, true)]
    [InlineData(ReflectionStatus.ConvertedToCooperationPermit, CooperationPermitStatus.RenewalRequested, false, true)]
    [InlineData(ReflectionStatus.ConvertedToCooperationPermit, CooperationPermitStatus.Expired, false, false)]
    [InlineData(ReflectionStatus.Expired, CooperationPermitStatus.None, false, false)]
    public void A_departure_ends_every_running_permit_with_an_event_of_its_own_R7(ReflectionStatus reflection, CooperationPermitStatus cooperation, bool endsReflection, bool endsCooperation)
    {
        var state = Reflection(reflection, cooperation);
        var ends = DepartureEndsPermits.Decide(state, Now);
        Assert.Equal(endsReflection, ends.OfType<ReflectionPeriodEndedEarly>().Any(e => e.Reason == EarlyEndReason.VoluntaryReturnDeparted && e.Status == ReflectionStatus.EndedEarly));
        Assert.Equal(endsCooperation, ends.OfType<CooperationPermitEnded>().Any(e => e.Reason == CooperationEndReason.VoluntaryReturnDeparted));
        Assert.Equal((endsReflection ? 1 : 0) + (endsCooperation ? 1 : 0), ends.Count);

        var after = Apply(state, ends);
        Assert.Equal(endsCooperation ? CooperationPermitStatus.Ended : cooperation, after.Cooperation.Status);
        if (endsCooperation)
        {
            // An ended permit accepts no command: no renewal, no revocation, no expiry.
            Assert.Empty(new CooperationPermitWorkflow(after, Police, Options).AllowedActionNames());
        }
    }

    [Fact]
    public void A_missing_person_puts_the_revocation_question_to_the_investigation_leader_and_Migrationsverket_R12()
    {
        var permit = Cooperation(CooperationPermitStatus.Active);
        Assert.Empty(permit.OpenItems);
        var missing = Apply(permit, [new PersonReportedMissing(permit.Id, Now.AddDays(-1), Now)]);
        var item = Assert.Single(missing.OpenItems);
        Assert.Equal("ConsiderCooperationPermitRevocation", item.Duty);
        Assert.Equal([OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency], item.For);
        Assert.StartsWith("R12", item.Rule, StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(-1), item.Since);
        Assert.Empty(Apply(missing, [new PersonFound(permit.Id, Now.AddDays(2), Now.AddDays(2))]).OpenItems);
        // Without a running cooperation permit, a disappearance raises no revocation question.
        Assert.Empty(Apply(Reflection(ReflectionStatus.Active), [new PersonReportedMissing(permit.Id, Now, Now)]).OpenItems);
    }

    [Fact]
    public void A_condition_that_no_longer_holds_while_the_investigation_is_open_raises_a_proposal_for_Migrationsverket_to_decide_R5()
    {
        var permit = Cooperation(CooperationPermitStatus.Active);
        Assert.All(permit.Investigations, i => Assert.True(i.IsOpen));
        var proposed = Apply(permit, Decide(permit, Police,
            new ProposeCooperationPermitRevocation(CooperationCondition.BrokenTiesWithSuspects, "Contact with the suspects resumed.")));
        Assert.Equal(CooperationPermitStatus.RevocationProposed, proposed.Cooperation.Status);
        var item = Assert.Single(proposed.OpenItems);
        Assert.Equal(("DecideCooperationPermitRevocation", OrgType.MigrationAgency), (item.Duty, Assert.Single(item.For)));
        Assert.Equal(Now, item.Since);

        var kept = Apply(proposed, Decide(proposed, Migration, new RecordCooperationPermitRevocationDecision(false, "MIG-R-1")));
        Assert.Equal(CooperationPermitStatus.Active, kept.Cooperation.Status);
        Assert.Empty(kept.OpenItems);
    }

    [Fact]
    public void A_condition_reported_unmet_asks_the_leader_and_Migrationsverket_to_consider_revocation_until_proposed_R5()
    {
        var permit = Cooperation(CooperationPermitStatus.Active);
        var reported = Apply(permit, Decide(permit, Social,
            new ReportCooperationConditionUnmet(CooperationCondition.BrokenTiesWithSuspects, "Renewed contact with a suspect observed.")));
        Assert.Equal(CooperationPermitStatus.Active, reported.Cooperation.Status);
        var item = Assert.Single(reported.OpenItems);
        Assert.Equal("ConsiderCooperationPermitRevocation", item.Duty);
        Assert.Equal([OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency], item.For);
        Assert.Contains(nameof(CooperationCondition.BrokenTiesWithSuspects), item.Rule, StringComparison.Ordinal);
        Assert.Equal(Now, item.Since);

        var proposed = Apply(reported, Decide(reported, Police,
            new ProposeCooperationPermitRevocation(CooperationCondition.BrokenTiesWithSuspects, "Contact with the suspects resumed.")));
        Assert.Equal("DecideCooperationPermitRevocation", Assert.Single(proposed.OpenItems).Duty);

        // The leader reconfirming all four conditions (a renewal request) also ends the review.
        var reconfirmed = Apply(reported, Decide(reported, Police, new RequestCooperationPermitRenewal(true, true, true, true)));
        Assert.Empty(reconfirmed.OpenItems);
    }

    private static readonly Actor OtherMigration = new("u-miv2", "miv-2", OrgType.MigrationAgency, null);

    [Fact]
    public void Only_the_organisation_that_recorded_a_decision_corrects_or_retracts_it_R20()
    {
        foreach (var (state, command) in new (ReflectionPeriodState, object)[]
        {
            (Reflection(ReflectionStatus.Active), ReflectionCommand(R.Correct).Item2),
            (Reflection(ReflectionStatus.Rejected), ReflectionCommand(R.Retract).Item2),
            (Cooperation(CooperationPermitStatus.Active), CooperationCommand(C.Correct).Item2),
            (Cooperation(CooperationPermitStatus.Rejected), CooperationCommand(C.Retract).Item2),
        })
        {
            var violation = Assert.Throws<WorkflowViolationException>(() => Decide(state, OtherMigration, command));
            Assert.Contains("only the organisation that recorded the decision corrects or retracts it (R20)", violation.UnmetGuards);
        }
    }

    [Fact]
    public void A_corrected_grant_keeps_the_original_in_the_history_and_the_state_takes_the_corrected_dates_R20()
    {
        var granted = Reflection(ReflectionStatus.Active);
        var events = Decide(granted, Migration, new CorrectReflectionDecision("D-1b", Today, Today.AddDays(44), "The last day was recorded wrong."));
        var corrected = Assert.IsType<ReflectionDecisionCorrected>(Assert.Single(events));
        Assert.Equal(("D-1b", Today.AddDays(44), "The last day was recorded wrong."), (corrected.DecisionRef, corrected.ValidTo, corrected.Reason));
        var after = Apply(granted, events);
        Assert.Equal((ReflectionStatus.Active, Today.AddDays(44), Options.EndOf(Today.AddDays(44))), (after.Reflection.Status, after.Reflection.ValidTo, after.Reflection.ExpiresAt));
    }

    [Fact]
    public void A_retracted_grant_leaves_the_application_awaiting_a_decision_again_R20()
    {
        var events = Decide(Cooperation(CooperationPermitStatus.Active), Migration, new RetractCooperationPermitDecision("Recorded on the wrong case."));
        var retracted = Assert.IsType<CooperationPermitDecisionRetracted>(Assert.Single(events));
        Assert.Equal((CooperationApplication, DecisionOutcome.Granted), (retracted.ApplicationId, retracted.RetractedOutcome));
        var after = Apply(Cooperation(CooperationPermitStatus.Active), events).Cooperation;
        Assert.Equal(CooperationPermitStatus.ApplicationSubmitted, after.Status);
        Assert.Null(after.ValidTo);
        Assert.Null(after.DecidedByOrgId);
        // A correction must still meet the six-month minimum.
        var tooShort = Assert.Throws<WorkflowViolationException>(() => Decide(Cooperation(CooperationPermitStatus.Active), Migration,
            new CorrectCooperationPermitDecision("T-1b", new DateOnly(2027, 3, 1), new DateOnly(2027, 8, 30), "Dates.")));
        Assert.Equal([CooperationPermitWorkflow.Guards.MinimumDuration], tooShort.UnmetGuards);
    }
}
