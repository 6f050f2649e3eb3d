using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.ChildSafeguarding.Contracts;
using Referral.Modules.ChildSafeguarding;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.UnitTests.ChildSafeguarding;

/// <summary>Every transition and guard of the child-safeguarding overlay (MANUAL.md §4.8, R13) and its fold.</summary>
public sealed class ChildSafeguardingWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 11, 0, 0, TimeSpan.Zero);
    private static readonly Actor Social = new("u1", "soc-1", OrgType.SocialServices, "0180");

    private static readonly ChildOverlayStatus[] Open =
    [
        ChildOverlayStatus.ConcernReportRequired, ChildOverlayStatus.ConcernReported, ChildOverlayStatus.ProtectionAssessed,
        ChildOverlayStatus.ChildInvestigationOpened, ChildOverlayStatus.MeasuresInPlace,
    ];

    private static readonly ChildSafeguardingTrigger[] InEveryOpenState =
    [
        ChildSafeguardingTrigger.CloseChildOverlay, ChildSafeguardingTrigger.RequestGuardian, ChildSafeguardingTrigger.RecordGuardianAppointment,
        ChildSafeguardingTrigger.RequestSpecialRepresentative, ChildSafeguardingTrigger.EscalateSocialServicesNotLinked,
    ];

    /// <summary>The permitted transitions; every other state × trigger is refused.</summary>
    private static readonly Dictionary<(ChildOverlayStatus, ChildSafeguardingTrigger), ChildOverlayStatus> Permitted = new Dictionary<(ChildOverlayStatus, ChildSafeguardingTrigger), ChildOverlayStatus>
    {
        [(ChildOverlayStatus.ConcernReportRequired, ChildSafeguardingTrigger.RecordConcernReport)] = ChildOverlayStatus.ConcernReported,
        [(ChildOverlayStatus.ConcernReported, ChildSafeguardingTrigger.RecordProtectionAssessment)] = ChildOverlayStatus.ProtectionAssessed,
        [(ChildOverlayStatus.ConcernReported, ChildSafeguardingTrigger.EscalateProtectionAssessmentOverdue)] = ChildOverlayStatus.ConcernReported,
        [(ChildOverlayStatus.ProtectionAssessed, ChildSafeguardingTrigger.RecordProtectionAssessment)] = ChildOverlayStatus.ProtectionAssessed,
        [(ChildOverlayStatus.ProtectionAssessed, ChildSafeguardingTrigger.OpenChildInvestigation)] = ChildOverlayStatus.ChildInvestigationOpened,
        [(ChildOverlayStatus.ProtectionAssessed, ChildSafeguardingTrigger.DecideChildMeasure)] = ChildOverlayStatus.MeasuresInPlace,
        [(ChildOverlayStatus.ChildInvestigationOpened, ChildSafeguardingTrigger.RecordProtectionAssessment)] = ChildOverlayStatus.ChildInvestigationOpened,
        [(ChildOverlayStatus.ChildInvestigationOpened, ChildSafeguardingTrigger.DecideChildMeasure)] = ChildOverlayStatus.MeasuresInPlace,
        [(ChildOverlayStatus.MeasuresInPlace, ChildSafeguardingTrigger.RecordProtectionAssessment)] = ChildOverlayStatus.MeasuresInPlace,
        [(ChildOverlayStatus.MeasuresInPlace, ChildSafeguardingTrigger.DecideChildMeasure)] = ChildOverlayStatus.MeasuresInPlace,
    }
    .Concat(from status in Open
            from trigger in InEveryOpenState
            select KeyValuePair.Create((status, trigger), trigger == ChildSafeguardingTrigger.CloseChildOverlay ? ChildOverlayStatus.Closed : status))
    .ToDictionary(p => p.Key, p => p.Value);

    public static TheoryData<ChildOverlayStatus, ChildSafeguardingTrigger> Allowed => TransitionTable.Allowed(Permitted);

    public static TheoryData<ChildOverlayStatus, ChildSafeguardingTrigger> Refused => TransitionTable.Refused(Permitted);

    /// <summary>A foreign child's overlay in <paramref name="status"/> where every guard of <paramref name="trigger"/> holds.</summary>
    private static ChildSafeguardingState State(ChildOverlayStatus status, ChildSafeguardingTrigger? trigger = null) => new()
    {
        Id = Guid.NewGuid(),
        Status = status,
        AppliesSince = Now.AddHours(-25),
        ForeignCitizen = true,
        ProtectionAssessmentDueAt = Now.AddMinutes(-1),
        ImmediateProtectionNeeded = true,
        Guardian = trigger == ChildSafeguardingTrigger.RecordGuardianAppointment ? RepresentationStatus.Requested : RepresentationStatus.NotRequested,
    };

    private static object Command(ChildSafeguardingTrigger trigger) => trigger switch
    {
        ChildSafeguardingTrigger.RecordConcernReport => new RecordConcernReport("soc-1"),
        ChildSafeguardingTrigger.RecordProtectionAssessment => new RecordProtectionAssessment(ImmediateProtectionNeeded: true),
        ChildSafeguardingTrigger.OpenChildInvestigation => new OpenChildInvestigation(),
        ChildSafeguardingTrigger.DecideChildMeasure => new DecideChildMeasure(ChildMeasure.ImmediateCustodyLvu6, "SOC-1"),
        ChildSafeguardingTrigger.CloseChildOverlay => new CloseChildOverlay(ChildOverlayCloseReason.AssessedAsAdult),
        ChildSafeguardingTrigger.RequestGuardian => new RequestGuardian(SeparatedFromBothParents: true),
        ChildSafeguardingTrigger.RecordGuardianAppointment => new RecordGuardianAppointment(new DateOnly(2026, 3, 2)),
        ChildSafeguardingTrigger.RequestSpecialRepresentative => new RequestSpecialRepresentative(CustodianSuspected: true),
        ChildSafeguardingTrigger.EscalateSocialServicesNotLinked => new Escalate(ChildEscalationReason.SocialServicesNotLinked),
        _ => new Escalate(ChildEscalationReason.ProtectionAssessmentOverdue),
    };

    /// <summary>Each command to its decider, as the handler's lines (and the deadline service, for an escalation) do.</summary>
    private static IReadOnlyList<object> Decide(ChildSafeguardingState state, object command, ChildSafeguardingOptions? options = null)
    {
        var w = new ChildSafeguardingWorkflow(state, Social, Now, options);
        return command switch
        {
            RecordConcernReport c => w.RecordConcernReport(c),
            RecordProtectionAssessment c => w.RecordProtectionAssessment(c),
            OpenChildInvestigation c => w.OpenChildInvestigation(c),
            DecideChildMeasure c => w.DecideChildMeasure(c),
            CloseChildOverlay c => w.CloseChildOverlay(c),
            RequestGuardian c => w.RequestGuardian(c),
            RecordGuardianAppointment c => w.RecordGuardianAppointment(c),
            RequestSpecialRepresentative c => w.RequestSpecialRepresentative(c),
            Escalate c => w.Escalate(c),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    private static WorkflowViolationException Refuse(ChildSafeguardingState state, object command, ChildSafeguardingOptions? options = null) =>
        Assert.Throws<WorkflowViolationException>(() => Decide(state, command, options));

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_permitted_command_moves_the_overlay(ChildOverlayStatus from, ChildSafeguardingTrigger trigger)
    {
        var state = State(from, trigger);
        var events = Decide(state, Command(trigger));
        Assert.NotEmpty(events);
        var next = events.Aggregate(state, (s, e) => ChildSafeguardingState.Fold(s, e, new EventInfo(2, Now))!);
        Assert.Equal(Permitted[(from, trigger)], next.Status);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Any_other_command_is_refused_with_what_is_allowed_instead(ChildOverlayStatus from, ChildSafeguardingTrigger trigger)
    {
        var refused = Refuse(State(from, trigger), Command(trigger));
        Assert.Equal(from.ToString(), refused.CurrentState);
        Assert.Equal(trigger.ToString(), refused.AttemptedAction); // commands and system triggers alike
        Assert.Empty(refused.UnmetGuards); // refused by the state, not by a guard
        // Offered: the specification's transitions out of the state that social services may send — but no guardian
        // appointment, since none was requested in this state.
        Assert.Equal(TransitionTable.Offered(Permitted, from, OrgType.SocialServices, ChildSafeguardingTrigger.RecordGuardianAppointment), refused.AllowedActions.Order());
    }

    [Fact]
    public void The_protection_assessment_is_due_by_the_end_of_the_next_calendar_day_in_Swedish_time()
    {
        var options = new ChildSafeguardingOptions();
        // Monday 23:30 in Stockholm (22:30 UTC) → the end of Tuesday, whatever the hour of the report.
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.FromHours(1)), options.ProtectionAssessmentDue(new DateTimeOffset(2026, 3, 2, 22, 30, 0, TimeSpan.Zero)));
        // Tuesday 00:30 in Stockholm (Monday 23:30 UTC) is already Tuesday → the end of Wednesday.
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.FromHours(1)), options.ProtectionAssessmentDue(new DateTimeOffset(2026, 3, 2, 23, 30, 0, TimeSpan.Zero)));
        // Across the change to summer time (29 March 2026) the day still ends at local midnight.
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.FromHours(2)), options.ProtectionAssessmentDue(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero)));
        var reported = Assert.IsType<ConcernReported>(Assert.Single(Decide(State(ChildOverlayStatus.ConcernReportRequired), new RecordConcernReport("soc-1"))));
        Assert.Equal(options.ProtectionAssessmentDue(Now), reported.ProtectionAssessmentDueAt);
    }

    [Fact]
    public void Immediate_custody_needs_an_assessment_that_found_an_immediate_need()
    {
        var noNeed = State(ChildOverlayStatus.ProtectionAssessed) with { ImmediateProtectionNeeded = false };
        Assert.Contains(ChildSafeguardingWorkflow.Guards.ImmediateCustody, Refuse(noNeed, new DecideChildMeasure(ChildMeasure.ImmediateCustodyLvu6, "SOC-1")).UnmetGuards);
        Assert.NotEmpty(Decide(noNeed, new DecideChildMeasure(ChildMeasure.Placement, "SOC-1")));
        Assert.Contains(ChildSafeguardingWorkflow.Guards.ImmediateCustody,
            Refuse(noNeed with { Status = ChildOverlayStatus.MeasuresInPlace }, new DecideChildMeasure(ChildMeasure.ImmediateCustodyLvu6, "SOC-1")).UnmetGuards);
    }

    [Fact]
    public void Before_the_protection_assessment_only_an_adult_age_assessment_closes_the_overlay()
    {
        var reported = State(ChildOverlayStatus.ConcernReported);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.AssessedOrAdult, Refuse(reported, new CloseChildOverlay(ChildOverlayCloseReason.ProtectionNoLongerNeeded)).UnmetGuards);
        Assert.NotEmpty(Decide(State(ChildOverlayStatus.ProtectionAssessed), new CloseChildOverlay(ChildOverlayCloseReason.ProtectionNoLongerNeeded)));
    }

    [Fact]
    public void A_missing_child_closes_only_as_closed_missing_and_only_a_missing_child_does()
    {
        var missing = State(ChildOverlayStatus.MeasuresInPlace) with { Missing = true };
        Assert.Contains(ChildSafeguardingWorkflow.Guards.MissingReason, Refuse(missing, new CloseChildOverlay(ChildOverlayCloseReason.ProtectionNoLongerNeeded)).UnmetGuards);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.MissingReason,
            Refuse(missing with { Missing = false }, new CloseChildOverlay(ChildOverlayCloseReason.ClosedMissing)).UnmetGuards);
        var closed = Assert.IsType<ChildOverlayClosed>(Assert.Single(Decide(missing, new CloseChildOverlay(ChildOverlayCloseReason.ClosedMissing))));
        Assert.Equal(ChildOverlayCloseReason.ClosedMissing, closed.Reason);
    }

    [Fact]
    public void A_god_man_is_for_a_foreign_child_separated_from_both_parents_requested_once_then_appointed()
    {
        var state = State(ChildOverlayStatus.ProtectionAssessed);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.ForeignChild, Refuse(state with { ForeignCitizen = false }, new RequestGuardian(true)).UnmetGuards);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.Separated, Refuse(state, new RequestGuardian(false)).UnmetGuards);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.GuardianNotRequested,
            Refuse(state with { Guardian = RepresentationStatus.Requested }, new RequestGuardian(true)).UnmetGuards);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.GuardianRequested, Refuse(state, new RecordGuardianAppointment(new DateOnly(2026, 3, 2))).UnmetGuards);
    }

    [Fact]
    public void A_special_representative_needs_a_suspected_custodian_and_is_requested_once()
    {
        var state = State(ChildOverlayStatus.ProtectionAssessed);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.CustodianSuspected, Refuse(state, new RequestSpecialRepresentative(false)).UnmetGuards);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.RepresentativeNotRequested,
            Refuse(state with { SpecialRepresentative = RepresentationStatus.Appointed }, new RequestSpecialRepresentative(true)).UnmetGuards);
    }

    [Fact]
    public void The_case_is_escalated_when_no_social_services_take_part_after_the_configured_time_once()
    {
        var escalate = new Escalate(ChildEscalationReason.SocialServicesNotLinked);
        var state = State(ChildOverlayStatus.ConcernReported);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.NoSocialServices, Refuse(state with { SocialServicesTakePart = true }, escalate).UnmetGuards);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.SocialServicesDuePassed, Refuse(state with { AppliesSince = Now.AddHours(-23) }, escalate).UnmetGuards);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.NotEscalatedYet, Refuse(state with { EscalatedSocialServicesNotLinked = true }, escalate).UnmetGuards);
        Refuse(state, escalate, new ChildSafeguardingOptions { SocialServicesWithin = TimeSpan.FromHours(48) });
        var escalated = Assert.IsType<ChildCaseEscalated>(Assert.Single(Decide(state, escalate)));
        Assert.Equal(Now.AddHours(-1), escalated.DueAt);
    }

    [Fact]
    public void An_overdue_protection_assessment_is_escalated_once_after_its_due_time()
    {
        var escalate = new Escalate(ChildEscalationReason.ProtectionAssessmentOverdue);
        var state = State(ChildOverlayStatus.ConcernReported);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.AssessmentDuePassed, Refuse(state with { ProtectionAssessmentDueAt = Now.AddMinutes(1) }, escalate).UnmetGuards);
        Assert.Contains(ChildSafeguardingWorkflow.Guards.NotEscalatedYet, Refuse(state with { EscalatedProtectionAssessmentOverdue = true }, escalate).UnmetGuards);
        Assert.Equal(ChildEscalationReason.ProtectionAssessmentOverdue, Assert.IsType<ChildCaseEscalated>(Assert.Single(Decide(state, escalate))).Reason);
    }

    private static SuspicionRegistered Registered(Guid id, AgeCategory? age, CitizenshipCategory citizenship = CitizenshipCategory.ThirdCountry) =>
        new(id, Guid.NewGuid(), Now, "pol-1", OrgType.Police, ReportingChannel.InPerson, "0180", age, Gender.Male, "MA", citizenship,
            ResidenceBasis.NoRightOfResidence, [], false, [ExploitationPurpose.ForcedCriminality], null, [], [], [], null, ConsentStatus.NotAsked);

    [Fact]
    public void The_overlay_applies_to_a_child_or_age_disputed_case_from_registration_or_declaration()
    {
        var id = Guid.NewGuid();
        var info = new EventInfo(1, Now, "pol-1", OrgType.Police);
        Assert.Equal(ChildOverlayStatus.ConcernReportRequired, ChildSafeguardingState.Fold(null, Registered(id, AgeCategory.AgeDisputedTreatedAsChild), info)!.Status);
        Assert.Equal(ChildOverlayStatus.ConcernReportRequired, ChildSafeguardingState.Fold(null, Registered(id, AgeCategory.Child), info)!.Status);
        var adult = ChildSafeguardingState.Fold(null, Registered(id, AgeCategory.Adult), info)!;
        Assert.Equal(ChildOverlayStatus.NotApplicable, adult.Status);
        var unknown = ChildSafeguardingState.Fold(null, Registered(id, null, CitizenshipCategory.Swedish), info)!;
        Assert.False(unknown.ForeignCitizen);
        var declared = ChildSafeguardingState.Fold(unknown,
            new PresumedVictimDeclared(id, Guid.NewGuid(), AgeCategory.Child, [ExploitationPurpose.ForcedCriminality], "Assessment.", Now, SuspicionStatus.PresumedVictim),
            new EventInfo(2, Now.AddHours(1), "soc-1", OrgType.SocialServices))!;
        Assert.Equal(ChildOverlayStatus.ConcernReportRequired, declared.Status);
        Assert.Equal(Now.AddHours(1), declared.AppliesSince);
        Assert.True(declared.SocialServicesTakePart);
        Assert.Null(ChildSafeguardingState.Fold(null, new PersonFound(id, Now, Now), info));
    }

    [Fact]
    public void The_overlay_follows_whereabouts_and_the_courts_appointment_of_a_special_representative()
    {
        var id = Guid.NewGuid();
        var state = ChildSafeguardingState.Fold(null, Registered(id, AgeCategory.Child), new EventInfo(1, Now, "pol-1", OrgType.Police))!;
        Assert.False(state.SocialServicesTakePart);
        state = ChildSafeguardingState.Fold(state, new PersonReportedMissing(id, Now.AddHours(-2), Now), new EventInfo(2, Now))!;
        Assert.True(state.Missing);
        Assert.Equal(Now.AddHours(-2), state.MissingSince);
        state = ChildSafeguardingState.Fold(state, new PersonFound(id, Now.AddDays(3), Now.AddDays(3)), new EventInfo(3, Now))!;
        Assert.False(state.Missing);
        state = ChildSafeguardingState.Fold(state, new SpecialRepresentativeAppointed(id, Guid.NewGuid(), "court-1", Now), new EventInfo(4, Now))!;
        Assert.Equal(RepresentationStatus.Appointed, state.SpecialRepresentative);
        state = ChildSafeguardingState.Fold(state, new SpecialRepresentativeRequested(id, Now), new EventInfo(5, Now))!;
        Assert.Equal(RepresentationStatus.Appointed, state.SpecialRepresentative);
        Assert.Equal(5, state.Version);
    }
}

/// <summary>The overlay's diagram in docs/manual is generated from the machine (UPDATE_DOCS=1 rewrites it).</summary>
public sealed class ChildSafeguardingDiagramTests
{
    [Fact]
    public void Child_overlay_diagram_in_docs_matches_the_state_machine()
    {
        var diagram = ChildSafeguardingWorkflow.Diagram();
        Assert.Contains(ChildSafeguardingWorkflow.Guards.ImmediateCustody, diagram, StringComparison.Ordinal);
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "child-safeguarding.mmd"), diagram);
        Suspicion.Docs.AssertEmbedded(Path.Combine("docs", "manual", "support.md"), "child-safeguarding", diagram);
    }
}
