using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Support;
using Referral.Modules.Support.Contracts;
using Referral.UnitTests.Suspicion;

namespace Referral.UnitTests.Support;

/// <summary>Every transition and guard of the support phases and of a service line (MANUAL.md §4.2), and who may act (§2).</summary>
public sealed class SupportWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Social = new("u1", "soc-1", OrgType.SocialServices, "0180");
    private static readonly Actor Health = new("u2", "region-1", OrgType.HealthCare, null);
    private static readonly Actor Ngo = new("u3", "ngo-1", OrgType.NGO, null);
    private static readonly Guid LineId = Guid.NewGuid();

    /// <summary>The permitted phase transitions; every other phase × command is refused.</summary>
    private static readonly Dictionary<(SupportPhase, SupportTrigger), SupportPhase> Permitted = new()
    {
        [(SupportPhase.NotStarted, SupportTrigger.StartSupport)] = SupportPhase.Acute,
        [(SupportPhase.Ended, SupportTrigger.StartSupport)] = SupportPhase.Acute,
        [(SupportPhase.Acute, SupportTrigger.StartInitialPhase)] = SupportPhase.Initial,
        [(SupportPhase.Initial, SupportTrigger.StartLongTermPhase)] = SupportPhase.LongTerm,
        [(SupportPhase.Acute, SupportTrigger.EndSupport)] = SupportPhase.Ended,
        [(SupportPhase.Initial, SupportTrigger.EndSupport)] = SupportPhase.Ended,
        [(SupportPhase.LongTerm, SupportTrigger.EndSupport)] = SupportPhase.Ended,
        [(SupportPhase.Acute, SupportTrigger.RecordInformationGiven)] = SupportPhase.Acute,
        [(SupportPhase.Initial, SupportTrigger.RecordInformationGiven)] = SupportPhase.Initial,
        [(SupportPhase.LongTerm, SupportTrigger.RecordInformationGiven)] = SupportPhase.LongTerm,
        [(SupportPhase.Acute, SupportTrigger.RecordRiskAssessment)] = SupportPhase.Acute,
        [(SupportPhase.Initial, SupportTrigger.RecordRiskAssessment)] = SupportPhase.Initial,
        [(SupportPhase.LongTerm, SupportTrigger.RecordRiskAssessment)] = SupportPhase.LongTerm,
        [(SupportPhase.Acute, SupportTrigger.RequestService)] = SupportPhase.Acute,
        [(SupportPhase.Initial, SupportTrigger.RequestService)] = SupportPhase.Initial,
        [(SupportPhase.LongTerm, SupportTrigger.RequestService)] = SupportPhase.LongTerm,
    };

    public static TheoryData<SupportPhase, SupportTrigger> Allowed => TransitionTable.Allowed(Permitted);

    public static TheoryData<SupportPhase, SupportTrigger> Refused => TransitionTable.Refused(
        Permitted.Concat(SystemTriggers()).ToDictionary(p => p.Key, p => p.Value));

    private static SupportState State(SupportPhase phase, bool declared = true, DateTimeOffset? since = null, bool reflectionOver = false) =>
        new() { Id = Guid.NewGuid(), Phase = phase, DeclaredPresumedVictim = declared, PhaseSince = since ?? Now, ReflectionPeriodOver = reflectionOver };

    /// <summary>Each command to its decider, as the handler's lines do (a service line's commands to the line's machine).</summary>
    private static IReadOnlyList<object> Decide(SupportState state, Actor actor, object command, DateTimeOffset? now = null, SupportOptions? options = null)
    {
        var support = new SupportWorkflow(state, actor, now ?? Now, options);
        ServiceLineWorkflow Line(Guid? lineId) => new(state, lineId, actor, now ?? Now);
        return command switch
        {
            StartSupport c => support.StartSupport(c),
            StartInitialPhase c => support.StartInitialPhase(c),
            StartLongTermPhase c => support.StartLongTermPhase(c),
            EndSupport c => support.EndSupport(c),
            RecordInformationGiven c => support.RecordInformationGiven(c),
            RecordRiskAssessment c => support.RecordRiskAssessment(c),
            RequestService c => support.RequestService(c, LineId),
            DecideService c => Line(c.ServiceLineId).DecideService(c),
            StartService c => Line(c.ServiceLineId).StartService(c),
            EndService c => Line(c.ServiceLineId).EndService(c),
            CorrectServiceDecision c => Line(c.ServiceLineId).CorrectServiceDecision(c),
            RetractServiceDecision c => Line(c.ServiceLineId).RetractServiceDecision(c),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    private static object Command(SupportTrigger trigger) => trigger switch
    {
        SupportTrigger.StartSupport => new StartSupport(AcuteDanger: true),
        SupportTrigger.StartInitialPhase => new StartInitialPhase(AcuteNeedsMet: true),
        SupportTrigger.StartLongTermPhase => new StartLongTermPhase(),
        SupportTrigger.EndSupport => new EndSupport(SupportEndReason.EstablishedInSweden),
        SupportTrigger.RecordInformationGiven => new RecordInformationGiven([InformationItem.ReflectionPeriod], "en"),
        SupportTrigger.RecordRiskAssessment => new RecordRiskAssessment(ProtectionRiskLevel.High, new DateOnly(2026, 4, 1)),
        SupportTrigger.RequestService => new RequestService(ServiceType.ProtectedHousing, "soc-1"),
        _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
    };

    private static IEnumerable<KeyValuePair<(SupportPhase, SupportTrigger), SupportPhase>> SystemTriggers() =>
        from phase in Enum.GetValues<SupportPhase>()
        from trigger in new[] { SupportTrigger.PresumedVictimDeclared, SupportTrigger.ReturnDeparted }
        select KeyValuePair.Create((phase, trigger), phase);

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_permitted_command_moves_the_phase(SupportPhase from, SupportTrigger trigger)
    {
        // The phase guards hold here (the reflection period is over); each guard has its own test below.
        var state = State(from, reflectionOver: true);
        var events = Decide(state, Social, Command(trigger), Now);
        Assert.NotEmpty(events);
        var next = events.Aggregate(state, (s, e) => SupportState.Fold(s, e, new(2, Now))!);
        Assert.Equal(Permitted[(from, trigger)], next.Phase);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Any_other_command_is_refused_with_what_is_allowed_instead(SupportPhase from, SupportTrigger trigger)
    {
        // Every phase guard holds here (declared, minimums passed, reflection period over): a refusal is the phase's.
        var state = State(from, since: Now.AddDays(-60), reflectionOver: true);
        var refused = Assert.Throws<WorkflowViolationException>(() => Decide(state, Social, Command(trigger), Now));
        Assert.Equal((from.ToString(), trigger.ToString()), (refused.CurrentState, refused.AttemptedAction));
        Assert.Empty(refused.UnmetGuards);
        Assert.Equal(TransitionTable.Offered(Permitted, from, OrgType.SocialServices), refused.AllowedActions.Order());
    }

    [Fact]
    public void Support_starts_by_itself_on_the_declaration_and_ends_on_a_voluntary_departure()
    {
        Assert.Equal(SupportPhase.Acute, SupportWorkflow.Reacting(State(SupportPhase.NotStarted, declared: false), SupportTrigger.PresumedVictimDeclared));
        Assert.Equal(SupportPhase.Ended, SupportWorkflow.Reacting(State(SupportPhase.Initial), SupportTrigger.ReturnDeparted));
        Assert.Equal(SupportPhase.NotStarted, SupportWorkflow.Reacting(State(SupportPhase.NotStarted), SupportTrigger.ReturnDeparted));
    }

    [Fact]
    public void Support_before_a_declaration_needs_acute_danger()
    {
        var refused = Assert.Throws<WorkflowViolationException>(() =>
            Decide(State(SupportPhase.NotStarted, declared: false), Social, new StartSupport(AcuteDanger: false), Now));
        Assert.Contains(SupportWorkflow.Guards.DeclaredOrDanger, refused.UnmetGuards);
        var started = Decide(State(SupportPhase.NotStarted, declared: false), Social, new StartSupport(AcuteDanger: true), Now);
        Assert.Equal(SupportStartGround.AcuteDanger, Assert.IsType<SupportStarted>(Assert.Single(started)).Ground);
    }

    [Fact]
    public void The_initial_phase_needs_the_acute_needs_met_or_the_acute_minimum()
    {
        var refused = Assert.Throws<WorkflowViolationException>(() =>
            Decide(State(SupportPhase.Acute, since: Now.AddHours(-23)), Social, new StartInitialPhase(false), Now));
        Assert.Contains(SupportWorkflow.Guards.AcuteDone, refused.UnmetGuards);
        Assert.NotEmpty(Decide(State(SupportPhase.Acute, since: Now.AddHours(-24)), Social, new StartInitialPhase(false), Now));
        var options = new SupportOptions { AcutePhaseMinimum = TimeSpan.FromHours(72) };
        Assert.Throws<WorkflowViolationException>(() =>
            Decide(State(SupportPhase.Acute, since: Now.AddHours(-48)), Social, new StartInitialPhase(false), Now, options));
    }

    [Fact]
    public void Long_term_support_needs_the_reflection_period_over_or_the_initial_minimum()
    {
        var refused = Assert.Throws<WorkflowViolationException>(() =>
            Decide(State(SupportPhase.Initial, since: Now.AddDays(-29)), Social, new StartLongTermPhase(), Now));
        Assert.Contains(SupportWorkflow.Guards.InitialDone, refused.UnmetGuards);
        Assert.NotEmpty(Decide(State(SupportPhase.Initial, since: Now.AddDays(-29), reflectionOver: true), Social, new StartLongTermPhase(), Now));
        Assert.NotEmpty(Decide(State(SupportPhase.Initial, since: Now.AddDays(-30)), Social, new StartLongTermPhase(), Now));
    }

    private static SupportState WithLine(ServiceType type, string provider, ServiceLineStatus status, FundingBasis? funding = null, SupportPhase phase = SupportPhase.Acute) =>
        State(phase) with { Lines = [new ServiceLine(LineId, type, provider, status, FundingBasis: funding, From: new DateOnly(2026, 3, 1), To: new DateOnly(2026, 5, 31),
            DecidedByOrgId: status is ServiceLineStatus.Requested ? null : "soc-1")] };

    private static DecideService Decide(bool granted, FundingBasis funding, bool reimbursable = false, string? decisionRef = "SOC-2026-1", string? statuteRef = "SoL 4:1") =>
        new(LineId, granted, funding, decisionRef, statuteRef, reimbursable, new DateOnly(2026, 3, 1), new DateOnly(2026, 5, 31), 12_000m);

    [Theory]
    [InlineData(ServiceLineStatus.Requested, true, ServiceLineStatus.Granted)]
    [InlineData(ServiceLineStatus.Requested, false, ServiceLineStatus.Rejected)]
    public void A_requested_line_is_granted_or_rejected(ServiceLineStatus from, bool granted, ServiceLineStatus to)
    {
        var decided = Assert.IsType<ServiceDecided>(Assert.Single(Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", from), Social, Decide(granted, FundingBasis.SoL_4_1, true))));
        Assert.Equal(to, decided.Status);
        Assert.Equal(granted, decided.Reimbursable);
    }

    [Fact]
    public void A_line_runs_granted_to_active_to_ended()
    {
        var started = Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Granted, FundingBasis.SoL_4_1), Social, new StartService(LineId, new DateOnly(2026, 3, 2)));
        Assert.Equal(ServiceLineStatus.Active, Assert.IsType<ServiceStarted>(Assert.Single(started)).Status);
        var ended = Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Active, FundingBasis.SoL_4_1), Social, new EndService(LineId, new DateOnly(2026, 4, 2)));
        Assert.Equal(ServiceLineStatus.Ended, Assert.IsType<ServiceEnded>(Assert.Single(ended)).Status);
        Assert.Single(Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Granted, FundingBasis.SoL_4_1), Social, new EndService(LineId, new DateOnly(2026, 3, 2))));

    }

    /// <summary>A service line's permitted transitions (MANUAL.md §4.2); every other status × trigger is refused.</summary>
    private static readonly Dictionary<(ServiceLineStatus, ServiceLineTrigger), ServiceLineStatus> LinePermitted = new()
    {
        [(ServiceLineStatus.Requested, ServiceLineTrigger.Grant)] = ServiceLineStatus.Granted,
        [(ServiceLineStatus.Requested, ServiceLineTrigger.Reject)] = ServiceLineStatus.Rejected,
        [(ServiceLineStatus.Granted, ServiceLineTrigger.StartService)] = ServiceLineStatus.Active,
        // Departure from §4.2 (which has Granted → Active → Ended): a granted line that never starts may end too.
        [(ServiceLineStatus.Granted, ServiceLineTrigger.EndService)] = ServiceLineStatus.Ended,
        [(ServiceLineStatus.Active, ServiceLineTrigger.EndService)] = ServiceLineStatus.Ended,
        // R20: the deciding organisation corrects a granted or active line's decision; it retracts a grant before the
        // service starts, or a rejection; the line is then requested again.
        [(ServiceLineStatus.Granted, ServiceLineTrigger.CorrectServiceDecision)] = ServiceLineStatus.Granted,
        [(ServiceLineStatus.Active, ServiceLineTrigger.CorrectServiceDecision)] = ServiceLineStatus.Active,
        [(ServiceLineStatus.Granted, ServiceLineTrigger.RetractServiceDecision)] = ServiceLineStatus.Requested,
        [(ServiceLineStatus.Rejected, ServiceLineTrigger.RetractServiceDecision)] = ServiceLineStatus.Requested,
    };

    public static TheoryData<ServiceLineStatus, ServiceLineTrigger> LineAllowed => TransitionTable.Allowed(LinePermitted);

    [Theory]
    [MemberData(nameof(LineAllowed))]
    public void A_permitted_line_step_lands_in_the_specified_status(ServiceLineStatus from, ServiceLineTrigger trigger)
    {
        var state = WithLine(ServiceType.ProtectedHousing, "soc-1", from, FundingBasis.SoL_4_1);
        var events = Decide(state, Social, LineCommand(trigger));
        var after = events.Aggregate(state, (s, e) => SupportState.Fold(s, e, new EventInfo(s.Version + 1, Now, Social.OrgId, OrgType.SocialServices))!);
        Assert.Equal(LinePermitted[(from, trigger)], after.Line(LineId)!.Status);
    }

    [Fact]
    public void Only_the_organisation_that_decided_a_line_corrects_or_retracts_its_decision_R20()
    {
        var otherSocial = new Actor("u2", "soc-2", OrgType.SocialServices, "0180");
        foreach (var (status, command) in new (ServiceLineStatus, object)[]
        {
            (ServiceLineStatus.Granted, LineCommand(ServiceLineTrigger.CorrectServiceDecision)),
            (ServiceLineStatus.Rejected, LineCommand(ServiceLineTrigger.RetractServiceDecision)),
        })
        {
            var refused = Assert.Throws<WorkflowViolationException>(() =>
                Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", status, FundingBasis.SoL_4_1), otherSocial, command));
            Assert.Equal([ServiceLineWorkflow.Guards.SameDecider], refused.UnmetGuards);
        }

        // A reimbursable correction needs a reimbursable funding basis (R16) …
        var ownCost = new CorrectServiceDecision(LineId, "NGO-1", "SoL 4 kap. 1 §", true, new DateOnly(2026, 3, 1), null, null, "Reimbursable after all.");
        Assert.Equal([ServiceLineWorkflow.Guards.ReimbursableBasis], Assert.Throws<WorkflowViolationException>(() =>
            Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Granted, FundingBasis.Other), Social, ownCost)).UnmetGuards);

        // … and still both references (R19).
        var noStatute = new CorrectServiceDecision(LineId, "SOC-1", null, true, new DateOnly(2026, 3, 1), null, null, "Reimbursable after all.");
        Assert.Equal([ServiceLineWorkflow.Guards.Reimbursable], Assert.Throws<WorkflowViolationException>(() =>
            Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Granted, FundingBasis.SoL_4_1), Social, noStatute)).UnmetGuards);
    }

    public static TheoryData<ServiceLineStatus, ServiceLineTrigger> LineRefused => TransitionTable.Refused(LinePermitted);

    private static object LineCommand(ServiceLineTrigger trigger) => trigger switch
    {
        ServiceLineTrigger.Grant => Decide(true, FundingBasis.SoL_4_1),
        ServiceLineTrigger.Reject => Decide(false, FundingBasis.SoL_4_1),
        ServiceLineTrigger.StartService => new StartService(LineId, new DateOnly(2026, 3, 2)),
        ServiceLineTrigger.CorrectServiceDecision => new CorrectServiceDecision(LineId, "SOC-2026-1b", "SoL 4 kap. 1 §", true, new DateOnly(2026, 3, 1), new DateOnly(2026, 6, 30), 15_000m, "Period recorded wrong."),
        ServiceLineTrigger.RetractServiceDecision => new RetractServiceDecision(LineId, "Decided on the wrong line."),
        _ => new EndService(LineId, new DateOnly(2026, 4, 2)),
    };

    [Theory]
    [MemberData(nameof(LineRefused))]
    public void Every_other_line_step_is_refused_by_the_line_status(ServiceLineStatus from, ServiceLineTrigger trigger)
    {
        var command = LineCommand(trigger);
        var refused = Assert.Throws<WorkflowViolationException>(() =>
            Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", from, FundingBasis.SoL_4_1), Social, command));
        Assert.Equal(from.ToString(), refused.CurrentState);
        Assert.Equal(command.GetType().Name, refused.AttemptedAction);
        Assert.Empty(refused.UnmetGuards); // refused by the status, not by a guard
    }

    [Fact]
    public void Line_guards_reimbursable_references_active_support_the_decided_period_and_the_end_date()
    {
        Assert.Contains(ServiceLineWorkflow.Guards.Reimbursable, Assert.Throws<WorkflowViolationException>(() =>
            Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Requested), Social, Decide(true, FundingBasis.SoL_4_1, true, decisionRef: null))).UnmetGuards);
        Assert.Contains(ServiceLineWorkflow.Guards.SupportActive, Assert.Throws<WorkflowViolationException>(() =>
            Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Requested, phase: SupportPhase.Ended), Social, Decide(true, FundingBasis.SoL_4_1))).UnmetGuards);
        Assert.Contains(ServiceLineWorkflow.Guards.WithinDecision, Assert.Throws<WorkflowViolationException>(() =>
            Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Granted, FundingBasis.SoL_4_1), Social, new StartService(LineId, new DateOnly(2026, 6, 1)))).UnmetGuards);
        Assert.Contains(ServiceLineWorkflow.Guards.NotBeforeStart, Assert.Throws<WorkflowViolationException>(() =>
            Decide(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Active, FundingBasis.SoL_4_1), Social, new EndService(LineId, new DateOnly(2026, 2, 1)))).UnmetGuards);
        Assert.Throws<NotFoundException>(() => Decide(State(SupportPhase.Acute), Social, new StartService(Guid.NewGuid(), new DateOnly(2026, 3, 2))));
    }

    [Fact]
    public void Social_services_decide_social_services_health_care_its_own_care_and_an_NGO_only_its_own_services()
    {
        void Forbidden(SupportState state, Actor actor, object command) =>
            Assert.Throws<ForbiddenException>(() => Decide(state, actor, command));
        void Allowed(SupportState state, Actor actor, object command) =>
            Assert.NotEmpty(Decide(state, actor, command));

        Forbidden(WithLine(ServiceType.FinancialAssistance, "soc-1", ServiceLineStatus.Requested), Ngo, Decide(true, FundingBasis.SoL_4_1));
        Forbidden(WithLine(ServiceType.ProtectedHousing, "ngo-1", ServiceLineStatus.Requested), Ngo, Decide(true, FundingBasis.SoL_4_1));
        Forbidden(WithLine(ServiceType.ProtectedHousing, "ngo-2", ServiceLineStatus.Requested), Ngo, Decide(true, FundingBasis.NGOOwn));
        Allowed(WithLine(ServiceType.ProtectedHousing, "ngo-1", ServiceLineStatus.Requested), Ngo, Decide(true, FundingBasis.NGOOwn));
        Forbidden(WithLine(ServiceType.HealthCare, "region-1", ServiceLineStatus.Requested), Social, Decide(true, FundingBasis.HealthCareRegion));
        Forbidden(WithLine(ServiceType.ProtectedHousing, "soc-1", ServiceLineStatus.Requested), Health, Decide(true, FundingBasis.SoL_4_1));
        Allowed(WithLine(ServiceType.HealthCare, "region-1", ServiceLineStatus.Requested), Health, Decide(true, FundingBasis.HealthCareRegion, true, statuteRef: "HSL"));
        Allowed(WithLine(ServiceType.FinancialAssistance, "soc-1", ServiceLineStatus.Requested), Social, Decide(true, FundingBasis.SoL_4_1, true));
        Forbidden(WithLine(ServiceType.HealthCare, "region-2", ServiceLineStatus.Granted, FundingBasis.HealthCareRegion), Health, new StartService(LineId, new DateOnly(2026, 3, 2)));
    }

    [Fact]
    public void Support_diagrams_in_docs_match_the_state_machines()
    {
        var phases = SupportWorkflow.Diagram();
        Assert.Contains("Acute --> Initial", phases, StringComparison.Ordinal);
        Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "support.mmd"), phases);
        Docs.AssertEmbedded(Path.Combine("docs", "manual", "support.md"), "support", phases);
        var line = ServiceLineWorkflow.Diagram();
        Assert.Contains("Requested --> Granted", line, StringComparison.Ordinal);
        Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "support-service-line.mmd"), line);
        Docs.AssertEmbedded(Path.Combine("docs", "manual", "support.md"), "support-service-line", line);
    }
}

/// <summary>The support validators' refusals that have no HTTP test of their own.</summary>
public sealed class SupportValidatorTests
{
    [Fact]
    public void A_risk_assessment_is_reviewed_after_today()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var validator = new RecordRiskAssessmentValidator(clock);
        Assert.False(validator.Validate(new RecordRiskAssessment(ProtectionRiskLevel.High, new DateOnly(2026, 3, 2))).IsValid);
        Assert.True(validator.Validate(new RecordRiskAssessment(ProtectionRiskLevel.High, new DateOnly(2026, 3, 3))).IsValid);
    }

    [Theory]
    [InlineData(FundingBasis.NGOOwn, false)]
    [InlineData(FundingBasis.Other, false)]
    [InlineData(FundingBasis.SoL_4_1, true)]
    [InlineData(FundingBasis.HealthCareRegion, true)]
    [InlineData(FundingBasis.SchoolMunicipality, true)]
    public void Only_statutory_costs_are_reimbursable(FundingBasis funding, bool valid)
    {
        var command = new DecideService(Guid.NewGuid(), true, funding, "D-1", "SoL 4:1", true, new DateOnly(2026, 3, 1), null, 100.25m);
        Assert.Equal(valid, new DecideServiceValidator().Validate(command).IsValid);
        Assert.False(new DecideServiceValidator().Validate(command with { CostAmount = 1.005m }).IsValid);
    }

    [Theory]
    [InlineData("SoL 4 kap. 1 §", true)]
    [InlineData("LVU 2 §", true)]
    [InlineData("5 kap. 15 § UtlL", true)]
    [InlineData("SoL 4:1", true)]
    [InlineData("Lag (1990:52) 2 §", false)] // parentheses are not part of the reference grammar
    [InlineData("SoL 4 kap.\u00001 §", false)]
    [InlineData("SoL\n4 kap. 1 §", false)]
    [InlineData("", false)]
    public void Statute_references_are_written_the_Swedish_way_and_stay_bounded(string statute, bool valid)
    {
        var command = new DecideService(Guid.NewGuid(), true, FundingBasis.SoL_4_1, "D-1", statute, true, new DateOnly(2026, 3, 1), null, 100m);
        var result = new DecideServiceValidator().Validate(command);
        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid, !result.Errors.Any(e => e.PropertyName == nameof(DecideService.StatuteRef)));
    }

    [Fact]
    public void A_statute_reference_longer_than_64_characters_is_refused() =>
        Assert.Contains(new DecideServiceValidator().Validate(new DecideService(Guid.NewGuid(), true, FundingBasis.SoL_4_1, "D-1",
            "SoL " + new string('1', 61) + " §", true, new DateOnly(2026, 3, 1), null, 100m)).Errors, e => e.PropertyName == nameof(DecideService.StatuteRef));
}
