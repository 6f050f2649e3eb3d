using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.ReflectionPeriod;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;
using Referral.Modules.VoluntaryReturn;

namespace Referral.UnitTests.VoluntaryReturn;

/// <summary>The voluntary return (MANUAL.md §4.6): every transition and every guard.</summary>
public sealed class VoluntaryReturnWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Coordinator = new("u-rko", "rko-1", OrgType.RegionalCoordinator, null);
    private static readonly Actor Iom = new("u-iom", "iom-1", OrgType.IOM, null);
    private static readonly Actor Social = new("u-soc", "soc-1", OrgType.SocialServices, null);
    private static readonly Actor Police = new("u-pol", "pol-1", OrgType.Police, null);
    private static readonly Guid Fu = Guid.CreateVersion7();

    private static VoluntaryReturnState Case(ReturnStatus status, Func<VoluntaryReturnState, VoluntaryReturnState>? change = null)
    {
        var state = new VoluntaryReturnState
        {
            Id = Guid.CreateVersion7(), Version = 6, Status = status, Nationality = "RO", AgeCategory = AgeCategory.Adult, FitToTravel = true, NeedsAssessed = true,
            ArrivedAt = Now.AddMonths(-7), StatusBeforeHold = status == ReturnStatus.OnHold ? ReturnStatus.Approved : null,
            HoldReason = status == ReturnStatus.OnHold ? HoldReason.TravelDocumentsPending : null,
        };
        return change?.Invoke(state) ?? state;
    }

    /// <summary>The case in <paramref name="from"/> where the guards of <paramref name="command"/> hold: a child for R14, an open investigation for R8.</summary>
    private static VoluntaryReturnState CaseWhereGuardsHold(ReturnStatus from, R command) => command switch
    {
        R.BestInterests or R.Handover => Case(from, s => s with { AgeCategory = AgeCategory.Child }),
        R.Acknowledge => Case(from, s => s with { Investigations = [new OpenRole(Fu, ParticipationRole.InjuredParty, true, false)] }),
        _ => Case(from),
    };

    /// <summary>Each command to its decider, as the handler's lines do.</summary>
    private static IReadOnlyList<object> Decide(VoluntaryReturnState state, Actor actor, object command, DateTimeOffset? now = null, VoluntaryReturnOptions? options = null)
    {
        var w = new VoluntaryReturnWorkflow(state, actor, now ?? Now, options);
        return command switch
        {
            RecordReturnInformationGiven c => w.RecordReturnInformationGiven(c),
            RecordReturnInterest c => w.RecordReturnInterest(c),
            PrepareReturnApplication c => w.PrepareReturnApplication(c),
            SubmitReturnApplication c => w.SubmitReturnApplication(c),
            RecordEligibilityDecision c => w.RecordEligibilityDecision(c),
            RecordPreDepartureAssessment c => w.RecordPreDepartureAssessment(c),
            RecordBestInterestsDetermination c => w.RecordBestInterestsDetermination(c),
            RecordInvestigationLeaderAcknowledgement c => w.RecordInvestigationLeaderAcknowledgement(c),
            RecordInvestigationLeaderNotified c => w.RecordInvestigationLeaderNotified(c),
            ArrangeTravel c => w.ArrangeTravel(c),
            RecordDeparture c => w.RecordDeparture(c),
            RecordArrival c => w.RecordArrival(c),
            RecordChildHandover c => w.RecordChildHandover(c),
            StartReintegration c => w.StartReintegration(c),
            RecordReintegrationContact c => w.RecordReintegrationContact(c),
            CompleteReintegration c => w.CompleteReintegration(c),
            MarkReintegrationContactLost c => w.MarkReintegrationContactLost(c),
            WithdrawFromReturn c => w.WithdrawFromReturn(c),
            PutReturnOnHold c => w.PutReturnOnHold(c),
            ResumeReturn c => w.ResumeReturn(c),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    private static VoluntaryReturnState Apply(VoluntaryReturnState state, IEnumerable<object> events) =>
        events.Aggregate(state, (s, e) => VoluntaryReturnState.Fold(s, e, new EventInfo(s.Version + 1, Now))!);

    public enum R { Inform, Interest, Prepare, Apply, Approve, Reject, Assess, Travel, Depart, Arrive, Reintegrate, Contact, Complete, LoseContact, Withdraw, Hold, Resume, BestInterests, Acknowledge, Handover }

    private static (Actor, object) Command(R command) => command switch
    {
        R.Inform => (Coordinator, new RecordReturnInformationGiven("ro")),
        R.Interest => (Coordinator, new RecordReturnInterest(true, true)),
        R.Prepare => (Social, new PrepareReturnApplication(EligibilityCategory.IdentifiedVictim, "RO", DestinationType.CountryOfOrigin)),
        R.Apply => (Coordinator, new SubmitReturnApplication(EligibilityCategory.IdentifiedVictim, "RO", DestinationType.CountryOfOrigin)),
        R.Approve => (Iom, new RecordEligibilityDecision(true)),
        R.Reject => (Iom, new RecordEligibilityDecision(false)),
        R.Assess => (Iom, new RecordPreDepartureAssessment(RiskLevel.Low, true, true)),
        R.Travel => (Iom, new ArrangeTravel(DateOnly.FromDateTime(Now.UtcDateTime.AddDays(10)), false, true)),
        R.Depart => (Iom, new RecordDeparture()),
        R.Arrive => (Iom, new RecordArrival()),
        R.Reintegrate => (Iom, new StartReintegration([ReintegrationComponent.Housing])),
        R.Contact => (Iom, new RecordReintegrationContact("Phone", "Doing well.")),
        R.Complete => (Iom, new CompleteReintegration(false)),
        R.LoseContact => (Iom, new MarkReintegrationContactLost()),
        R.Withdraw => (Social, new WithdrawFromReturn()),
        R.Hold => (Coordinator, new PutReturnOnHold(HoldReason.TravelDocumentsPending)),
        R.BestInterests => (Social, new RecordBestInterestsDetermination(Determination.Positive, Determination.Positive, "ro-child-protection")),
        R.Acknowledge => (Police, new RecordInvestigationLeaderAcknowledgement(Fu, true, true)),
        R.Handover => (Social, new RecordChildHandover("ro-child-protection")),
        _ => (Coordinator, new ResumeReturn()),
    };

    private static readonly Dictionary<(ReturnStatus, R), ReturnStatus> Permitted = Build();

    private static Dictionary<(ReturnStatus, R), ReturnStatus> Build()
    {
        var t = new Dictionary<(ReturnStatus, R), ReturnStatus>
        {
            [(ReturnStatus.NotDiscussed, R.Inform)] = ReturnStatus.InformationGiven,
            [(ReturnStatus.Withdrawn, R.Inform)] = ReturnStatus.InformationGiven,
            [(ReturnStatus.Rejected, R.Inform)] = ReturnStatus.InformationGiven,
            [(ReturnStatus.InformationGiven, R.Interest)] = ReturnStatus.InterestExpressed,
            [(ReturnStatus.InterestExpressed, R.Prepare)] = ReturnStatus.InterestExpressed, // prepared for the coordinator, not submitted
            [(ReturnStatus.InterestExpressed, R.Apply)] = ReturnStatus.ApplicationSubmitted,
            [(ReturnStatus.ApplicationSubmitted, R.Approve)] = ReturnStatus.ApplicationSubmitted,
            [(ReturnStatus.ApplicationSubmitted, R.Reject)] = ReturnStatus.Rejected,
            [(ReturnStatus.Approved, R.Assess)] = ReturnStatus.Assessed,
            [(ReturnStatus.Assessed, R.Assess)] = ReturnStatus.Assessed, // a new assessment (e.g. fit again after being unfit)
            [(ReturnStatus.Assessed, R.Travel)] = ReturnStatus.TravelArranged,
            [(ReturnStatus.TravelArranged, R.Depart)] = ReturnStatus.Departed,
            [(ReturnStatus.Departed, R.Arrive)] = ReturnStatus.Arrived,
            [(ReturnStatus.Arrived, R.Reintegrate)] = ReturnStatus.ReintegrationActive,
            [(ReturnStatus.ReintegrationActive, R.Contact)] = ReturnStatus.ReintegrationActive,
            [(ReturnStatus.ReintegrationActive, R.Complete)] = ReturnStatus.Completed,
            [(ReturnStatus.ReintegrationActive, R.LoseContact)] = ReturnStatus.ContactLost,
            [(ReturnStatus.OnHold, R.Resume)] = ReturnStatus.Approved,
        };
        foreach (var s in new[] { ReturnStatus.InformationGiven, ReturnStatus.InterestExpressed, ReturnStatus.ApplicationSubmitted, ReturnStatus.Approved, ReturnStatus.Assessed, ReturnStatus.TravelArranged, ReturnStatus.OnHold })
        {
            t[(s, R.Withdraw)] = ReturnStatus.Withdrawn;
        }

        // Departure from MANUAL.md §4.6 ("any state before Departed → OnHold"): a hold only once interest is expressed —
        // before that (InformationGiven) there is no return to hold.
        foreach (var s in new[] { ReturnStatus.InterestExpressed, ReturnStatus.ApplicationSubmitted, ReturnStatus.Approved, ReturnStatus.Assessed, ReturnStatus.TravelArranged })
        {
            t[(s, R.Hold)] = ReturnStatus.OnHold;
        }

        // Before departure (and on hold), a child's best-interests determination (R14) and the investigation leader's
        // acknowledgement (R8) are recorded without moving the return; after departure, the child's handover.
        foreach (var s in new[] { ReturnStatus.InformationGiven, ReturnStatus.InterestExpressed, ReturnStatus.ApplicationSubmitted, ReturnStatus.Approved, ReturnStatus.Assessed, ReturnStatus.TravelArranged, ReturnStatus.OnHold })
        {
            t[(s, R.BestInterests)] = s;
            t[(s, R.Acknowledge)] = s;
        }

        foreach (var s in new[] { ReturnStatus.Departed, ReturnStatus.Arrived, ReturnStatus.ReintegrationActive, ReturnStatus.Completed, ReturnStatus.ContactLost })
        {
            t[(s, R.Handover)] = s;
        }

        return t;
    }

    public static TheoryData<ReturnStatus, R> Allowed() => TransitionTable.Allowed(Permitted);

    public static TheoryData<ReturnStatus, R> Refused() => TransitionTable.Refused(Permitted);

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Transition_is_permitted(ReturnStatus from, R command)
    {
        var (actor, message) = Command(command);
        var state = CaseWhereGuardsHold(from, command);
        Assert.Equal(Permitted[(from, command)], Apply(state, Decide(state, actor, message)).Status);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Transition_is_refused(ReturnStatus from, R command)
    {
        var (actor, message) = Command(command);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(CaseWhereGuardsHold(from, command), actor, message));
        Assert.Equal(from.ToString(), violation.CurrentState);
        Assert.Equal(message.GetType().Name, violation.AttemptedAction);
        Assert.Empty(violation.UnmetGuards); // refused by the state, not by a guard
    }

    [Fact]
    public void Eligibility_counts_only_when_both_the_coordinator_and_IOM_approved()
    {
        var state = Case(ReturnStatus.ApplicationSubmitted);
        var one = Apply(state, Decide(state, Coordinator, new RecordEligibilityDecision(true)));
        Assert.Equal(ReturnStatus.ApplicationSubmitted, one.Status);
        var again = Assert.Throws<WorkflowViolationException>(() => Decide(one, Coordinator, new RecordEligibilityDecision(true)));
        Assert.Contains(VoluntaryReturnWorkflow.Guards.NotYetApprovedByCaller, again.UnmetGuards);
        var both = Apply(one, Decide(one, Iom, new RecordEligibilityDecision(true)));
        Assert.Equal(ReturnStatus.Approved, both.Status);
    }

    [Theory]
    [InlineData(false, true, VoluntaryReturnWorkflow.Guards.OwnWish)]
    [InlineData(true, false, VoluntaryReturnWorkflow.Guards.Alternatives)]
    public void Interest_is_the_persons_own_with_alternatives_explained(bool own, bool alternatives, string guard)
    {
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Case(ReturnStatus.InformationGiven), Coordinator, new RecordReturnInterest(own, alternatives)));
        Assert.Equal([guard], violation.UnmetGuards);
    }

    [Fact]
    public void The_destination_is_the_country_of_origin_or_of_permanent_residence()
    {
        var state = Case(ReturnStatus.InterestExpressed);
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Coordinator, new SubmitReturnApplication(EligibilityCategory.IdentifiedVictim, "NG", DestinationType.CountryOfOrigin)));
        Assert.Equal([VoluntaryReturnWorkflow.Guards.Destination], violation.UnmetGuards);
        Assert.Single(Decide(state, Coordinator, new SubmitReturnApplication(EligibilityCategory.IdentifiedVictim, "NG", DestinationType.ThirdCountryPermanentResidence)));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void An_unfit_assessment_is_recorded_and_travel_is_refused_until_a_later_assessment_finds_the_person_fit(bool fit, bool needsAssessed)
    {
        var approved = Case(ReturnStatus.Approved);
        var assessed = Apply(approved, Decide(approved, Iom, new RecordPreDepartureAssessment(RiskLevel.High, needsAssessed, fit)));
        Assert.Equal(ReturnStatus.Assessed, assessed.Status);
        Assert.Equal((fit, needsAssessed), (assessed.FitToTravel, assessed.NeedsAssessed));

        var travel = Command(R.Travel).Item2;
        var refused = Assert.Throws<WorkflowViolationException>(() => Decide(assessed, Iom, travel));
        Assert.Equal([VoluntaryReturnWorkflow.Guards.FitToTravel], refused.UnmetGuards);

        var fitAgain = Apply(assessed, Decide(assessed, Iom, new RecordPreDepartureAssessment(RiskLevel.Medium, true, true)));
        Assert.Equal(ReturnStatus.TravelArranged, Apply(fitAgain, Decide(fitAgain, Iom, travel)).Status);
    }

    [Fact]
    public void Social_services_prepare_the_application_and_the_coordinator_submits_it()
    {
        var interest = Case(ReturnStatus.InterestExpressed);
        var prepared = Apply(interest, Decide(interest, Social, new PrepareReturnApplication(EligibilityCategory.SuspectedVictim, "RO", DestinationType.CountryOfOrigin)));
        Assert.Equal(ReturnStatus.InterestExpressed, prepared.Status);
        Assert.Equal(new PreparedApplication(EligibilityCategory.SuspectedVictim, "RO", DestinationType.CountryOfOrigin, OrgType.SocialServices, Now), prepared.PreparedApplication);
        var wrongDestination = Assert.Throws<WorkflowViolationException>(() =>
            Decide(interest, Social, new PrepareReturnApplication(EligibilityCategory.SuspectedVictim, "NG", DestinationType.CountryOfOrigin)));
        Assert.Equal([VoluntaryReturnWorkflow.Guards.Destination], wrongDestination.UnmetGuards);

        var submitted = Apply(prepared, Decide(prepared, Coordinator, new SubmitReturnApplication(EligibilityCategory.SuspectedVictim, "RO", DestinationType.CountryOfOrigin)));
        Assert.Equal(ReturnStatus.ApplicationSubmitted, submitted.Status);
        Assert.Null(submitted.PreparedApplication);
    }

    [Fact]
    public void Departure_needs_fitness_and_documents()
    {
        var noDocs = Assert.Throws<WorkflowViolationException>(() => Decide(Case(ReturnStatus.Assessed), Iom, new ArrangeTravel(new DateOnly(2026, 7, 1), false, false)));
        Assert.Equal([VoluntaryReturnWorkflow.Guards.Documents], noDocs.UnmetGuards);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(Determination.Negative, Determination.Positive, false)]
    [InlineData(Determination.Positive, Determination.Negative, false)]
    [InlineData(Determination.Positive, Determination.Positive, true)]
    public void A_child_travels_only_on_positive_best_interests_determinations_in_both_countries_R14(Determination? sweden, Determination? origin, bool allowed)
    {
        var child = Case(ReturnStatus.Assessed, s => s with
        {
            AgeCategory = AgeCategory.AgeDisputedTreatedAsChild, BestInterestsSweden = sweden, BestInterestsCountryOfReturn = origin, ReceivingAuthority = "ro-child-protection",
        });
        var travel = Command(R.Travel).Item2;
        if (allowed)
        {
            Assert.Single(Decide(child, Iom, travel));
        }
        else
        {
            Assert.Equal([VoluntaryReturnWorkflow.Guards.ChildBestInterests], Assert.Throws<WorkflowViolationException>(() => Decide(child, Iom, travel)).UnmetGuards);
        }
    }

    [Fact]
    public void Best_interests_and_handover_are_for_children_and_social_services_stay_responsible_until_handover()
    {
        var adult = Assert.Throws<WorkflowViolationException>(() => Decide(Case(ReturnStatus.Approved), Social, new RecordBestInterestsDetermination(Determination.Positive, Determination.Positive, "x")));
        Assert.Equal([VoluntaryReturnWorkflow.Guards.Child], adult.UnmetGuards);

        var child = Case(ReturnStatus.Departed, s => s with { AgeCategory = AgeCategory.Child });
        Assert.True(child.SocialServicesResponsible);
        var handed = Apply(child, Decide(child, Social, new RecordChildHandover("ro-child-protection")));
        Assert.False(handed.SocialServicesResponsible);
        Assert.Contains(VoluntaryReturnWorkflow.Guards.NotHandedOver, Assert.Throws<WorkflowViolationException>(() => Decide(handed, Social, new RecordChildHandover("x"))).UnmetGuards);
    }

    [Fact]
    public void A_witness_in_an_open_investigation_travels_after_the_investigation_leaders_acknowledgement_R8()
    {
        var witness = Case(ReturnStatus.Assessed, s => s with { Investigations = [new OpenRole(Fu, ParticipationRole.InjuredParty, true, false)] });
        var travel = Command(R.Travel).Item2;
        Assert.Equal([VoluntaryReturnWorkflow.Guards.WitnessCoordination], Assert.Throws<WorkflowViolationException>(() => Decide(witness, Iom, travel)).UnmetGuards);

        Assert.Contains(VoluntaryReturnWorkflow.Guards.InOpenInvestigation, Assert.Throws<WorkflowViolationException>(() =>
            Decide(witness, Police, new RecordInvestigationLeaderAcknowledgement(Guid.CreateVersion7(), true, true))).UnmetGuards);
        var acknowledged = Apply(witness, Decide(witness, Police, new RecordInvestigationLeaderAcknowledgement(Fu, true, true)));
        Assert.Single(Decide(acknowledged, Iom, travel));

        var closed = VoluntaryReturnState.Fold(witness, new InvestigationOutcomeRecorded(witness.Id, Fu, InvestigationStatus.ClosedNoProsecution, false, false, Now), new EventInfo(7, Now))!;
        Assert.Single(Decide(closed, Iom, travel));
    }

    [Fact]
    public void Without_the_leaders_acknowledgement_IOM_proceeds_after_the_wait_on_its_record_that_the_leader_was_notified_R8()
    {
        var witness = Case(ReturnStatus.Assessed, s => s with { ApprovedAt = Now.AddDays(-3), Investigations = [new OpenRole(Fu, ParticipationRole.Witness, true, false)] });
        var notify = new RecordInvestigationLeaderNotified(Fu);
        var early = Assert.Throws<WorkflowViolationException>(() => Decide(witness, Iom, notify));
        Assert.Equal([VoluntaryReturnWorkflow.Guards.WaitPassed], early.UnmetGuards);
        Assert.DoesNotContain(nameof(RecordInvestigationLeaderNotified), new VoluntaryReturnWorkflow(witness, Iom, Now).AllowedActionNames());

        var later = Now.AddDays(5); // eight days after the approval: the default wait of seven has passed
        Assert.Contains(nameof(RecordInvestigationLeaderNotified), new VoluntaryReturnWorkflow(witness, Iom, later).AllowedActionNames());
        Assert.Contains(VoluntaryReturnWorkflow.Guards.AwaitsLeader, Assert.Throws<WorkflowViolationException>(() =>
            Decide(witness, Iom, new RecordInvestigationLeaderNotified(Guid.CreateVersion7()), later)).UnmetGuards);
        var events = Decide(witness, Iom, notify, later);
        Assert.Equal(later, Assert.IsType<InvestigationLeaderNotified>(Assert.Single(events)).NotifiedAt);
        var notified = Apply(witness, events);
        Assert.Empty(notified.AwaitingAcknowledgement);
        Assert.Single(Decide(notified, Iom, Command(R.Travel).Item2, later));

        // Nothing to record once the leader acknowledged; the wait is a setting ([U]).
        var acknowledged = Apply(witness, Decide(witness, Police, new RecordInvestigationLeaderAcknowledgement(Fu, true, true)));
        Assert.Contains(VoluntaryReturnWorkflow.Guards.AwaitsLeader, Assert.Throws<WorkflowViolationException>(() =>
            Decide(acknowledged, Iom, notify, later)).UnmetGuards);
        var shortWait = new VoluntaryReturnOptions { LeaderAcknowledgementWait = TimeSpan.FromDays(1) };
        Assert.Single(Decide(witness, Iom, notify, Now, shortWait));
    }

    [Fact]
    public void The_wait_starts_when_both_deciders_have_approved()
    {
        var submitted = Case(ReturnStatus.ApplicationSubmitted, s => s with { CoordinatorApproved = true });
        var approved = Apply(submitted, Decide(submitted, Iom, new RecordEligibilityDecision(true)));
        Assert.Equal(ReturnStatus.Approved, approved.Status);
        Assert.Equal(Now, approved.ApprovedAt);
    }

    [Fact]
    public void Reintegration_completes_after_six_months_or_when_the_person_opts_out()
    {
        var recent = Case(ReturnStatus.ReintegrationActive, s => s with { ArrivedAt = Now.AddMonths(-2) });
        Assert.Equal([VoluntaryReturnWorkflow.Guards.SixMonths], Assert.Throws<WorkflowViolationException>(() => Decide(recent, Iom, new CompleteReintegration(false))).UnmetGuards);
        Assert.True(Assert.IsType<ReintegrationCompleted>(Assert.Single(Decide(recent, Iom, new CompleteReintegration(true)))).OptedOut);
    }

    [Fact]
    public void A_missing_person_puts_the_return_on_hold_until_found_R12()
    {
        var state = Case(ReturnStatus.Approved);
        var held = VoluntaryReturnState.Fold(state, new PersonReportedMissing(state.Id, Now, Now), new EventInfo(7, Now))!;
        Assert.Equal(ReturnStatus.OnHold, held.Status);
        Assert.Equal(HoldReason.PersonMissing, held.HoldReason);
        Assert.Equal([VoluntaryReturnWorkflow.Guards.NotMissing], Assert.Throws<WorkflowViolationException>(() => Decide(held, Coordinator, new ResumeReturn())).UnmetGuards);
        var found = VoluntaryReturnState.Fold(held, new PersonFound(state.Id, Now, Now), new EventInfo(8, Now))!;
        Assert.Equal(ReturnStatus.Approved, found.Status);

        var notStarted = Case(ReturnStatus.NotDiscussed);
        Assert.Equal(ReturnStatus.NotDiscussed, VoluntaryReturnState.Fold(notStarted, new PersonReportedMissing(notStarted.Id, Now, Now), new EventInfo(7, Now))!.Status);
    }

    [Theory]
    [InlineData(ReflectionStatus.Active, ReflectionStatus.EndedEarly)]
    [InlineData(ReflectionStatus.SuspendedPersonMissing, ReflectionStatus.EndedEarly)]
    [InlineData(ReflectionStatus.Expired, ReflectionStatus.Expired)]
    public void A_voluntary_departure_ends_a_running_reflection_period_early_R7(ReflectionStatus before, ReflectionStatus after)
    {
        var state = new ReflectionPeriodState { Id = Guid.CreateVersion7(), Version = 4, Reflection = new ReflectionRecord { Status = before } };
        var departed = ReflectionPeriodState.Fold(state, new ReturnDeparted(state.Id, Now, ReturnStatus.Departed), new EventInfo(5, Now))!;
        Assert.Equal(after, departed.Reflection.Status);
        Assert.Equal(after == ReflectionStatus.EndedEarly ? EarlyEndReason.VoluntaryReturnDeparted : null, departed.Reflection.EndReason);
    }

    [Fact]
    public void Diagram_in_docs_matches_the_state_machine()
    {
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "voluntary-return.mmd"), VoluntaryReturnWorkflow.Diagram());
        Suspicion.Docs.AssertEmbedded(Path.Combine("docs", "manual", "voluntary-return.md"), "voluntary-return", VoluntaryReturnWorkflow.Diagram());
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "reflection-period.mmd"), ReflectionPeriodWorkflow.Diagram());
    }
}
