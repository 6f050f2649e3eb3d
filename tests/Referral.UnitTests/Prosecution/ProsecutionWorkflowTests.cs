using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Prosecution;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.UnitTests.Prosecution;

/// <summary>The investigation, participation and task machines (MANUAL.md §4.5): every transition and guard.</summary>
public sealed class ProsecutionWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Police = new("u-pol", "pol-1", OrgType.Police, null);
    private static readonly Actor Prosecutor = new("u-akl", "akl-1", OrgType.Prosecution, null);
    private static readonly Actor Court = new("u-dom", "dom-1", OrgType.Court, null);
    private static readonly Actor Social = new("u-soc", "soc-1", OrgType.SocialServices, null);
    private static readonly Guid LinkedCase = Guid.CreateVersion7();
    private static readonly DefendantOutcome Convicted = new("D-1", Verdict.Convicted, OffenceClassification.BrB_4_1a_Trafficking, 48);

    private static InvestigationState Investigation(InvestigationStatus status) => new()
    {
        Id = Guid.CreateVersion7(),
        Version = 4,
        ReportRef = "5000-K1-26",
        Status = status,
        LeaderOrgId = "pol-1",
        Links = [new InvestigationLink(LinkedCase, ParticipationRole.InjuredParty)],
        Defendants = [new Defendant("D-1", [OffenceClassification.BrB_4_1a_Trafficking])],
    };

    public enum I { Open, Start, Link, Close, Indict, Schedule, Judgment, Appeal, Final }

    private static (Actor, object) InvestigationCommand(I command) => command switch
    {
        I.Open => (Police, new OpenPreliminaryInvestigation()),
        I.Start => (Police, new StartInvestigativeMeasures()),
        I.Link => (Police, new LinkCaseToInvestigation(Guid.CreateVersion7(), ParticipationRole.Witness)),
        I.Close => (Police, new CloseInvestigation(ClosureGround.InsufficientEvidence)),
        I.Indict => (Prosecutor, new Indict([new Defendant("D-1", [OffenceClassification.BrB_4_1a_Trafficking])])),
        I.Schedule => (Prosecutor, new ScheduleTrial("dom-1", new DateOnly(2026, 9, 1))),
        I.Judgment => (Court, new RecordJudgment("dom-1", [Convicted], true, new DateOnly(2026, 9, 20))),
        I.Appeal => (Court, new RecordAppeal(AppealedBy.Defence)),
        _ => (Court, new RecordJudgmentFinal(new DateOnly(2026, 12, 1))),
    };

    private static readonly Dictionary<(InvestigationStatus, I), InvestigationStatus> InvestigationPermitted = Build();

    private static Dictionary<(InvestigationStatus, I), InvestigationStatus> Build()
    {
        var t = new Dictionary<(InvestigationStatus, I), InvestigationStatus>
        {
            [(InvestigationStatus.Reported, I.Open)] = InvestigationStatus.Opened,
            [(InvestigationStatus.Opened, I.Start)] = InvestigationStatus.Ongoing,
            [(InvestigationStatus.Opened, I.Close)] = InvestigationStatus.ClosedNoProsecution,
            [(InvestigationStatus.Ongoing, I.Close)] = InvestigationStatus.ClosedNoProsecution,
            [(InvestigationStatus.Opened, I.Indict)] = InvestigationStatus.Indicted,
            [(InvestigationStatus.Ongoing, I.Indict)] = InvestigationStatus.Indicted,
            [(InvestigationStatus.Indicted, I.Schedule)] = InvestigationStatus.TrialScheduled,
            [(InvestigationStatus.TrialScheduled, I.Judgment)] = InvestigationStatus.FirstInstanceJudgment,
            [(InvestigationStatus.FirstInstanceJudgment, I.Appeal)] = InvestigationStatus.Appealed,
            [(InvestigationStatus.FirstInstanceJudgment, I.Final)] = InvestigationStatus.Final,
            [(InvestigationStatus.Appealed, I.Judgment)] = InvestigationStatus.AppealJudgment,
            [(InvestigationStatus.AppealJudgment, I.Final)] = InvestigationStatus.Final,
        };
        foreach (var s in new[] { InvestigationStatus.Reported, InvestigationStatus.Opened, InvestigationStatus.Ongoing, InvestigationStatus.Indicted, InvestigationStatus.TrialScheduled })
        {
            t[(s, I.Link)] = s;
        }

        return t;
    }

    public static TheoryData<InvestigationStatus, I> InvestigationAllowed() => TransitionTable.Allowed(InvestigationPermitted);

    public static TheoryData<InvestigationStatus, I> InvestigationRefused() => TransitionTable.Refused(InvestigationPermitted);

    [Theory]
    [MemberData(nameof(InvestigationAllowed))]
    public void Investigation_transition_is_permitted(InvestigationStatus from, I command)
    {
        var (actor, message) = InvestigationCommand(command);
        var state = Investigation(from);
        var after = DecideInvestigation(state, actor, message)
            .Aggregate(state, (s, e) => InvestigationState.Fold(s, e, new EventInfo(s.Version + 1, Now))!);
        Assert.Equal(InvestigationPermitted[(from, command)], after.Status);
    }

    [Theory]
    [MemberData(nameof(InvestigationRefused))]
    public void Investigation_transition_is_refused(InvestigationStatus from, I command)
    {
        var (actor, message) = InvestigationCommand(command);
        var violation = Assert.Throws<WorkflowViolationException>(() => DecideInvestigation(Investigation(from), actor, message));
        Assert.Equal(from.ToString(), violation.CurrentState);
        Assert.Equal(message.GetType().Name, violation.AttemptedAction);
        Assert.Empty(violation.UnmetGuards); // refused by the state, not by a guard
    }

    [Fact]
    public void The_leader_is_the_callers_organisation_and_role()
    {
        var opened = Assert.IsType<PreliminaryInvestigationOpened>(Assert.Single(
            DecideInvestigation(Investigation(InvestigationStatus.Reported), Prosecutor, new OpenPreliminaryInvestigation())));
        Assert.Equal(InvestigationLeaderRole.Prosecutor, opened.LeaderRole);
        Assert.Equal("akl-1", opened.LeaderOrgId);
    }

    [Fact]
    public void Another_police_organisation_may_not_close_the_investigation()
    {
        var other = new Actor("u", "pol-2", OrgType.Police, null);
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            DecideInvestigation(Investigation(InvestigationStatus.Ongoing), other, new CloseInvestigation(ClosureGround.Other)));
        Assert.Equal([InvestigationWorkflow.Guards.Leader], violation.UnmetGuards);
        Assert.Single(DecideInvestigation(Investigation(InvestigationStatus.Ongoing), Prosecutor, new CloseInvestigation(ClosureGround.Other)));
    }

    [Fact]
    public void A_case_is_linked_once()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            DecideInvestigation(Investigation(InvestigationStatus.Ongoing), Police, new LinkCaseToInvestigation(LinkedCase, ParticipationRole.Witness)));
        Assert.Equal([InvestigationWorkflow.Guards.NotYetLinked], violation.UnmetGuards);
    }

    [Theory]
    [InlineData("D-2")]
    [InlineData("D-1", "D-1")]
    [InlineData("D-1", "D-2")]
    public void A_judgment_gives_exactly_one_outcome_per_indicted_defendant(params string[] defendants)
    {
        var outcomes = defendants.Select(d => new DefendantOutcome(d, Verdict.Acquitted, null, null)).ToList();
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            DecideInvestigation(Investigation(InvestigationStatus.TrialScheduled), Court, new RecordJudgment("dom-1", outcomes, false, new DateOnly(2026, 9, 1))));
        Assert.Equal([InvestigationWorkflow.Guards.EveryDefendant], violation.UnmetGuards);
    }

    [Fact]
    public void Fan_out_gives_linked_cases_the_outcome_and_the_tasks_R9()
    {
        var state = Investigation(InvestigationStatus.Ongoing);
        var closed = InvestigationWorkflow.FanOut(state, [new PreliminaryInvestigationClosed(state.Id, ClosureGround.NoCrime, Now, InvestigationStatus.ClosedNoProsecution)], LinkedCase, Now);
        Assert.IsType<InvestigationOutcomeRecorded>(closed[0]);
        var review = Assert.IsType<ProsecutionTaskRaised>(closed[1]);
        Assert.Equal(TaskKind.OutcomeReview, review.Kind);
        Assert.Equal([OrgType.SocialServices, OrgType.RegionalCoordinator], review.ForOrgTypes);

        var convicted = InvestigationWorkflow.FanOut(state, [new JudgmentDelivered(state.Id, "dom-1", false, [Convicted], true, default, InvestigationStatus.FirstInstanceJudgment)], LinkedCase, Now);
        Assert.True(Assert.IsType<InvestigationOutcomeRecorded>(Assert.Single(convicted)).AnyConviction);

        var acquitted = InvestigationWorkflow.FanOut(state,
            [new JudgmentDelivered(state.Id, "dom-1", false, [new DefendantOutcome("D-1", Verdict.Acquitted, null, null)], false, default, InvestigationStatus.FirstInstanceJudgment)], LinkedCase, Now);
        Assert.Equal(TaskKind.OutcomeReview, Assert.IsType<ProsecutionTaskRaised>(acquitted[1]).Kind);

        var final = InvestigationWorkflow.FanOut(state, [new JudgmentFinal(state.Id, default, InvestigationStatus.Final)], LinkedCase, Now);
        Assert.Equal(TaskKind.CooperationPermitStillNeeded, Assert.IsType<ProsecutionTaskRaised>(final[1]).Kind);

        var newCase = Guid.CreateVersion7();
        var suspect = InvestigationWorkflow.FanOut(state, [new CaseLinkedToInvestigation(state.Id, newCase, ParticipationRole.AlsoSuspect, Now)], newCase, Now);
        Assert.IsType<LinkedToInvestigation>(suspect[0]);
        Assert.Equal(TaskKind.NonPunishmentAssessment, Assert.IsType<ProsecutionTaskRaised>(suspect[1]).Kind);
        Assert.Empty(InvestigationWorkflow.FanOut(state, [new CaseLinkedToInvestigation(state.Id, newCase, ParticipationRole.AlsoSuspect, Now)], LinkedCase, Now));
    }

    private static readonly Guid Inv = Guid.CreateVersion7();

    private static ProsecutionCaseState Case(ParticipationStatus status, ParticipationRole role = ParticipationRole.InjuredParty,
        InvestigationStatus investigation = InvestigationStatus.TrialScheduled, AgeCategory age = AgeCategory.Child) => new()
    {
        Id = LinkedCase,
        Version = 3,
        AgeCategory = age,
        Participations = [new Participation { InvestigationId = Inv, ReportRef = "5000-K1-26", Role = role, Status = status, InvestigationStatus = investigation }],
    };

    public enum P { Interview, RequestCounsel, AppointCounsel, SpecialRepresentative, InPerson, Remotely, NotHeard }

    private static (Actor, object) ParticipationCommand(P command) => command switch
    {
        P.Interview => (Police, new RecordVictimInterview(true, false) { InvestigationId = Inv }),
        P.RequestCounsel => (Police, new RequestCounsel { InvestigationId = Inv }),
        P.AppointCounsel => (Court, new RecordCounselAppointment("dom-1") { InvestigationId = Inv }),
        P.SpecialRepresentative => (Court, new RecordSpecialRepresentativeAppointment("dom-1", true) { InvestigationId = Inv }),
        P.InPerson => (Court, new RecordTestimony(Testimony.InPerson) { InvestigationId = Inv }),
        P.Remotely => (Court, new RecordTestimony(Testimony.Remotely) { InvestigationId = Inv }),
        _ => (Court, new RecordTestimony(Testimony.NotHeard) { InvestigationId = Inv }),
    };

    private static readonly Dictionary<(ParticipationStatus, P), ParticipationStatus> ParticipationPermitted = BuildParticipation();

    private static Dictionary<(ParticipationStatus, P), ParticipationStatus> BuildParticipation()
    {
        var t = new Dictionary<(ParticipationStatus, P), ParticipationStatus>
        {
            [(ParticipationStatus.Linked, P.Interview)] = ParticipationStatus.Interviewed,
            [(ParticipationStatus.Linked, P.RequestCounsel)] = ParticipationStatus.CounselRequested,
            [(ParticipationStatus.Interviewed, P.Interview)] = ParticipationStatus.Interviewed,
            [(ParticipationStatus.Interviewed, P.RequestCounsel)] = ParticipationStatus.CounselRequested,
            [(ParticipationStatus.CounselRequested, P.Interview)] = ParticipationStatus.CounselRequested,
            [(ParticipationStatus.CounselRequested, P.AppointCounsel)] = ParticipationStatus.CounselAppointed,
            [(ParticipationStatus.CounselAppointed, P.Interview)] = ParticipationStatus.CounselAppointed,
        };
        foreach (var s in new[] { ParticipationStatus.Linked, ParticipationStatus.Interviewed, ParticipationStatus.CounselRequested, ParticipationStatus.CounselAppointed })
        {
            t[(s, P.SpecialRepresentative)] = s;
        }

        foreach (var s in new[] { ParticipationStatus.Interviewed, ParticipationStatus.CounselRequested, ParticipationStatus.CounselAppointed })
        {
            t[(s, P.InPerson)] = ParticipationStatus.TestifiedInPerson;
            t[(s, P.Remotely)] = ParticipationStatus.TestifiedRemotely;
            t[(s, P.NotHeard)] = ParticipationStatus.NotHeard;
        }

        return t;
    }

    public static TheoryData<ParticipationStatus, P> ParticipationAllowed() => TransitionTable.Allowed(ParticipationPermitted);

    public static TheoryData<ParticipationStatus, P> ParticipationRefused() => TransitionTable.Refused(ParticipationPermitted);

    /// <summary>Each participation command to its decider, as the handler's lines do.</summary>
    private static IReadOnlyList<object> Decide(ProsecutionCaseState state, Actor actor, object command)
    {
        var w = new ParticipationWorkflow(state, state.Participations[0], actor, Now);
        return command switch
        {
            RecordVictimInterview c => w.RecordVictimInterview(c),
            RequestCounsel c => w.RequestCounsel(c),
            RecordCounselAppointment c => w.RecordCounselAppointment(c),
            RecordSpecialRepresentativeAppointment c => w.RecordSpecialRepresentativeAppointment(c),
            RecordTestimony c => w.RecordTestimony(c),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    /// <summary>Each investigation command to its decider, as the handler's lines do.</summary>
    private static IReadOnlyList<object> DecideInvestigation(InvestigationState state, Actor actor, object command)
    {
        var w = new InvestigationWorkflow(state, actor, Now);
        return command switch
        {
            OpenPreliminaryInvestigation c => w.OpenPreliminaryInvestigation(c),
            StartInvestigativeMeasures c => w.StartInvestigativeMeasures(c),
            LinkCaseToInvestigation c => w.LinkCaseToInvestigation(c),
            CloseInvestigation c => w.CloseInvestigation(c),
            Indict c => w.Indict(c),
            ScheduleTrial c => w.ScheduleTrial(c),
            RecordJudgment c => w.RecordJudgment(c),
            RecordAppeal c => w.RecordAppeal(c),
            RecordJudgmentFinal c => w.RecordJudgmentFinal(c),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    [Theory]
    [MemberData(nameof(ParticipationAllowed))]
    public void Participation_transition_is_permitted(ParticipationStatus from, P command)
    {
        var (actor, message) = ParticipationCommand(command);
        var state = Case(from);
        var after = Decide(state, actor, message).Aggregate(state, (s, e) => ProsecutionCaseState.Fold(s, e, new EventInfo(s.Version + 1, Now))!);
        Assert.Equal(ParticipationPermitted[(from, command)], after.Participations[0].Status);
    }

    [Theory]
    [MemberData(nameof(ParticipationRefused))]
    public void Participation_transition_is_refused(ParticipationStatus from, P command)
    {
        var (actor, message) = ParticipationCommand(command);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Case(from), actor, message));
        Assert.Equal(from.ToString(), violation.CurrentState);
        Assert.Equal(message.GetType().Name, violation.AttemptedAction);
        Assert.Empty(violation.UnmetGuards); // refused by the state, not by a guard
    }

    [Theory]
    [InlineData(ParticipationRole.Witness)]
    [InlineData(ParticipationRole.AlsoSuspect)]
    public void Counsel_is_for_the_injured_party(ParticipationRole role)
    {
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Case(ParticipationStatus.Linked, role), Police, ParticipationCommand(P.RequestCounsel).Item2));
        Assert.Equal([ParticipationWorkflow.Guards.InjuredParty], violation.UnmetGuards);
    }

    [Fact]
    public void No_counsel_after_a_decision_not_to_prosecute()
    {
        var closed = Case(ParticipationStatus.CounselRequested, investigation: InvestigationStatus.ClosedNoProsecution);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(closed, Court, ParticipationCommand(P.AppointCounsel).Item2));
        Assert.Equal([ParticipationWorkflow.Guards.NoDecisionNotToProsecute], violation.UnmetGuards);
    }

    [Fact]
    public void Testimony_needs_the_trial()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Case(ParticipationStatus.Interviewed, investigation: InvestigationStatus.Indicted), Court, ParticipationCommand(P.Remotely).Item2));
        Assert.Equal([ParticipationWorkflow.Guards.Trial], violation.UnmetGuards);
    }

    [Fact]
    public void A_special_representative_is_for_a_child_whose_custodian_is_suspected_and_only_once()
    {
        var adult = Assert.Throws<WorkflowViolationException>(() => Decide(Case(ParticipationStatus.Linked, age: AgeCategory.Adult), Court, ParticipationCommand(P.SpecialRepresentative).Item2));
        Assert.Equal([ParticipationWorkflow.Guards.Child], adult.UnmetGuards);

        var notSuspected = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Case(ParticipationStatus.Linked), Court, new RecordSpecialRepresentativeAppointment("dom-1", false) { InvestigationId = Inv }));
        Assert.Equal([ParticipationWorkflow.Guards.CustodianSuspected], notSuspected.UnmetGuards);

        var state = Case(ParticipationStatus.Linked);
        var appointed = ProsecutionCaseState.Fold(state, Assert.Single(Decide(state, Court, ParticipationCommand(P.SpecialRepresentative).Item2)), new EventInfo(4, Now))!;
        var again = Assert.Throws<WorkflowViolationException>(() => Decide(appointed, Court, ParticipationCommand(P.SpecialRepresentative).Item2));
        Assert.Equal([ParticipationWorkflow.Guards.NoRepresentativeYet], again.UnmetGuards);
    }

    [Fact]
    public void A_task_is_completed_once_and_only_by_an_addressed_organisation_type()
    {
        var task = new ProsecutionTask(Guid.CreateVersion7(), TaskKind.OutcomeReview, Inv, [OrgType.SocialServices, OrgType.RegionalCoordinator], Now, false);
        var state = Case(ParticipationStatus.Linked) with { Tasks = [task] };
        var refused = Assert.Throws<WorkflowViolationException>(() => new TaskWorkflow(state, task, Police, Now).CompleteProsecutionTask(new CompleteProsecutionTask(task.TaskId, null)));
        Assert.Equal([TaskWorkflow.Guards.Addressed], refused.UnmetGuards);

        var done = ProsecutionCaseState.Fold(state, Assert.Single(new TaskWorkflow(state, task, Social, Now).CompleteProsecutionTask(new CompleteProsecutionTask(task.TaskId, "Support continues."))), new EventInfo(4, Now))!;
        Assert.True(done.Tasks[0].Completed);
        var twice = Assert.Throws<WorkflowViolationException>(() => new TaskWorkflow(done, done.Tasks[0], Social, Now).CompleteProsecutionTask(new CompleteProsecutionTask(done.Tasks[0].TaskId, null)));
        Assert.Equal("Completed", twice.CurrentState);
    }

    [Fact]
    public void Diagrams_in_docs_match_the_state_machines()
    {
        Suspicion.Docs.AssertEmbedded(Path.Combine("docs", "manual", "prosecution.md"), "investigation", InvestigationWorkflow.Diagram());
        Suspicion.Docs.AssertEmbedded(Path.Combine("docs", "manual", "prosecution.md"), "participation", ParticipationWorkflow.Diagram());
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "investigation.mmd"), InvestigationWorkflow.Diagram());
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "participation.mmd"), ParticipationWorkflow.Diagram());
    }
}
