using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.Modules.ChildSafeguarding.Contracts;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Reimbursement.Contracts;
using Referral.Modules.Support.Contracts;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Tasks;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.UnitTests.Tasks;

/// <summary>
/// Every rule of docs/manual/tasks.md: raised by its event, addressed to the right organisation, due at the manual's
/// time (Swedish working days and dates), closed by the fulfilling event. Times are the events' own (a fake clock).
/// </summary>
public sealed class TasksRulesTests
{
    private static readonly Guid CaseId = Guid.Parse("01900000-0000-7000-8000-000000000001");
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1);
    private static readonly TimeSpan Summer = TimeSpan.FromHours(2);
    private static readonly TasksRules Rules = new(new TasksOptions());

    // Thursday 17 December 2026, 10:00 Swedish time.
    private static readonly DateTimeOffset Thursday = new(2026, 12, 17, 10, 0, 0, Winter);

    private long _version;

    private TasksState? Fold(TasksState? state, object e, DateTimeOffset at, OrgType? by = null) =>
        TasksState.Fold(state, e, new EventInfo(++_version, at, by is null ? null : "org-" + by, by), Rules);

    private static SuspicionRegistered Registered(AgeCategory? age = AgeCategory.Adult) =>
        new(CaseId, Guid.NewGuid(), Thursday, "ngo-1", OrgType.NGO, ReportingChannel.InPerson, "0180", age, Gender.Female, "NG", CitizenshipCategory.ThirdCountry,
            ResidenceBasis.NoRightOfResidence, [], false, [ExploitationPurpose.ForcedLabour], null, [], [], [], null, ConsentStatus.NotAsked);

    private static WorkTask Single(TasksState? s, WorkTaskKind kind, string addresseeKey) =>
        Assert.Single(s!.Tasks, t => t.Kind == kind && t.AddresseeKey == addresseeKey);

    [Fact]
    public void An_adult_case_is_to_be_assessed_by_the_reporter_and_the_coordinator_within_two_working_days()
    {
        var s = Fold(null, Registered(), Thursday);
        // Thursday 17 Dec + 2 working days: Friday 18th, Monday 21st → due at the end of Monday 21 December.
        var reporter = Single(s, WorkTaskKind.AssessCase, "org:ngo-1");
        var coordinator = Single(s, WorkTaskKind.AssessCase, "type:RegionalCoordinator");
        Assert.Equal(new DateTimeOffset(2026, 12, 22, 0, 0, 0, Winter), reporter.DueAt);
        Assert.Equal(reporter.DueAt, coordinator.DueAt);
        Assert.Equal("§4.1", reporter.Rule);
        Assert.Equal(WorkTaskStatus.Open, reporter.StatusAt(new DateTimeOffset(2026, 12, 21, 23, 59, 0, Winter)));
        Assert.Equal(WorkTaskStatus.Overdue, reporter.StatusAt(new DateTimeOffset(2026, 12, 22, 0, 1, 0, Winter)));

        s = Fold(s, new IndicatorsAssessed(CaseId, [], [], [ExploitationPurpose.ForcedLabour], null, Thursday.AddDays(1), SuspicionStatus.UnderAssessment), Thursday.AddDays(1));
        Assert.All(s!.Tasks, t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(Thursday.AddDays(30))));
        Assert.All(s.Tasks, t => Assert.Equal(nameof(IndicatorsAssessed), t.ClosedBy));
    }

    [Fact]
    public void Working_days_skip_the_Christmas_holidays_computed_for_the_year()
    {
        // Wednesday 23 December 2026 + 2 working days: 24th–27th closed (eve, holidays, weekend) → Monday 28th, Tuesday 29th.
        var s = Fold(null, Registered(), new DateTimeOffset(2026, 12, 23, 9, 0, 0, Winter));
        Assert.Equal(new DateTimeOffset(2026, 12, 30, 0, 0, 0, Winter), Single(s, WorkTaskKind.AssessCase, "org:ngo-1").DueAt);
    }

    [Fact]
    public void A_child_case_asks_the_authorities_on_it_to_report_a_concern_by_the_end_of_the_next_day_not_the_adult_assessment()
    {
        var s = Fold(null, Registered(AgeCategory.Child), Thursday);
        Assert.True(s!.IsChild);
        Assert.DoesNotContain(s.Tasks, t => t.Kind == WorkTaskKind.AssessCase);
        Assert.Equal(["type:HealthCare", "type:MigrationAgency", "type:Police", "type:SocialServices"],
            s.Tasks.Where(t => t.Kind == WorkTaskKind.ReportConcern).Select(t => t.AddresseeKey).Order().ToArray());
        var police = Single(s, WorkTaskKind.ReportConcern, "type:Police");
        Assert.Equal(new DateTimeOffset(2026, 12, 19, 0, 0, 0, Winter), police.DueAt); // the end of Friday 18th
        Assert.True(police.Urgent);

        s = Fold(s, new ConcernReported(CaseId, "soc-9", Thursday.AddHours(2), Thursday.AddDays(1), ChildOverlayStatus.ConcernReported), Thursday.AddHours(2), OrgType.Police);
        Assert.All(s!.Tasks.Where(t => t.Kind == WorkTaskKind.ReportConcern), t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(Thursday.AddDays(3))));
    }

    [Fact]
    public void An_adult_declared_a_child_gets_the_concern_report_duty_and_loses_the_adult_assessment()
    {
        var s = Fold(null, Registered(), Thursday);
        s = Fold(s, new PresumedVictimDeclared(CaseId, Guid.NewGuid(), AgeCategory.AgeDisputedTreatedAsChild, [ExploitationPurpose.ForcedLabour], "Assessed.", Thursday.AddHours(1), SuspicionStatus.PresumedVictim), Thursday.AddHours(1));
        Assert.True(s!.IsChild);
        Assert.All(s.Tasks.Where(t => t.Kind == WorkTaskKind.AssessCase), t => Assert.False(t.IsOpen));
        Assert.Equal(4, s.Tasks.Count(t => t.Kind == WorkTaskKind.ReportConcern && t.IsOpen));
    }

    [Fact]
    public void Without_social_services_on_a_childs_case_the_R13_escalation_reaches_the_reporter_and_the_coordinator_until_they_join()
    {
        var s = Fold(null, Registered(AgeCategory.Child), Thursday);
        s = Fold(s, new ChildCaseEscalated(CaseId, ChildEscalationReason.SocialServicesNotLinked, Thursday.AddDays(1), Thursday.AddDays(1)), Thursday.AddDays(1));
        var reporter = Single(s, WorkTaskKind.LinkSocialServices, "org:ngo-1");
        Single(s, WorkTaskKind.LinkSocialServices, "type:RegionalCoordinator");
        Assert.Equal("R13", reporter.Rule);
        Assert.True(reporter.Urgent);

        s = Fold(s, new OrganisationReferred(CaseId, "soc-3", OrgType.SocialServices, Thursday.AddDays(1).AddHours(1)), Thursday.AddDays(1).AddHours(1));
        Assert.All(s!.Tasks.Where(t => t.Kind == WorkTaskKind.LinkSocialServices), t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(Thursday.AddDays(3))));
    }

    [Fact]
    public void A_requested_guardian_and_special_representative_are_tasks_until_appointed()
    {
        var s = Fold(null, Registered(AgeCategory.Child), Thursday);
        s = Fold(s, new GuardianRequested(CaseId, Thursday), Thursday);
        s = Fold(s, new SpecialRepresentativeRequested(CaseId, Thursday), Thursday);
        Single(s, WorkTaskKind.AppointGuardian, "type:SocialServices");
        Single(s, WorkTaskKind.AppointGuardian, "type:MigrationAgency");
        var court = Single(s, WorkTaskKind.AppointSpecialRepresentative, "type:Court");
        Assert.Equal(new DateTimeOffset(2027, 1, 8, 0, 0, 0, Winter), court.DueAt); // 10 working days: the eves, holidays and Epiphany skipped → end of Thursday 7 January

        s = Fold(s, new GuardianAppointed(CaseId, new DateOnly(2026, 12, 21), Thursday.AddDays(4)), Thursday.AddDays(4));
        s = Fold(s, new SpecialRepresentativeAppointed(CaseId, Guid.NewGuid(), "court-1", Thursday.AddDays(5)), Thursday.AddDays(5));
        Assert.All(s!.Tasks.Where(t => t.Kind is WorkTaskKind.AppointGuardian or WorkTaskKind.AppointSpecialRepresentative), t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(Thursday.AddDays(6))));
    }

    [Fact]
    public void A_risk_assessment_is_to_be_reviewed_by_its_date_and_the_next_assessment_fulfils_it()
    {
        var s = Fold(null, Registered(), Thursday);
        s = Fold(s, new RiskAssessed(CaseId, ProtectionRiskLevel.High, new DateOnly(2027, 1, 15), Thursday), Thursday, OrgType.SocialServices);
        var review = Single(s, WorkTaskKind.ReviewRiskAssessment, "type:SocialServices");
        Assert.Equal(new DateTimeOffset(2027, 1, 8, 0, 0, 0, Winter), review.RaisedAt);
        Assert.Equal(new DateTimeOffset(2027, 1, 16, 0, 0, 0, Winter), review.DueAt);

        var later = new DateTimeOffset(2027, 1, 12, 10, 0, 0, Winter);
        s = Fold(s, new RiskAssessed(CaseId, ProtectionRiskLevel.Medium, new DateOnly(2027, 3, 1), later), later, OrgType.SocialServices);
        var reviews = s!.Tasks.Where(t => t.Kind == WorkTaskKind.ReviewRiskAssessment).ToList();
        Assert.Equal(2, reviews.Count);
        Assert.Equal(WorkTaskStatus.Done, reviews[0].StatusAt(later.AddDays(1)));
        Assert.Equal(WorkTaskStatus.Open, reviews[1].StatusAt(later.AddDays(1)));
    }

    [Fact]
    public void Closing_as_not_trafficking_fulfils_the_assessment_and_lost_contact_cancels_it()
    {
        var closed = Fold(Fold(null, Registered(), Thursday), new CaseClosedNotTrafficking(CaseId, ClosureReason.NoIndicators, "No indicators.", Thursday.AddHours(2), SuspicionStatus.NotTrafficking), Thursday.AddHours(2));
        Assert.All(closed!.Tasks, t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(Thursday.AddDays(9))));

        var lost = Fold(Fold(null, Registered(), Thursday), new ContactMarkedLost(CaseId, null, Thursday.AddHours(3), SuspicionStatus.ContactLost), Thursday.AddHours(3));
        Assert.All(lost!.Tasks, t => Assert.Equal(WorkTaskStatus.Cancelled, t.StatusAt(Thursday.AddDays(9))));
    }

    [Fact]
    public void A_reopened_adult_case_is_to_be_assessed_again()
    {
        var s = Fold(Fold(null, Registered(), Thursday), new ContactMarkedLost(CaseId, null, Thursday, SuspicionStatus.ContactLost), Thursday);
        var reopenedAt = new DateTimeOffset(2027, 1, 11, 9, 0, 0, Winter); // a Monday
        s = Fold(s, new CaseReopened(CaseId, "New information.", reopenedAt, SuspicionStatus.UnderAssessment), reopenedAt);
        var open = s!.Tasks.Where(t => t.IsOpen && t.Kind == WorkTaskKind.AssessCase).ToList();
        Assert.Equal(2, open.Count);
        Assert.All(open, t => Assert.Equal(new DateTimeOffset(2027, 1, 14, 0, 0, 0, Winter), t.DueAt));
    }

    [Fact]
    public void A_recommendation_asks_social_services_and_the_coordinator_to_consider_a_declaration()
    {
        var s = Fold(Fold(null, Registered(), Thursday), new PresumedVictimRecommended(CaseId, "Strong indicators.", Thursday), Thursday, OrgType.NGO);
        Single(s, WorkTaskKind.ConsiderDeclaration, "type:SocialServices");
        var rko = Single(s, WorkTaskKind.ConsiderDeclaration, "type:RegionalCoordinator");
        Assert.Equal(new DateTimeOffset(2026, 12, 22, 0, 0, 0, Winter), rko.DueAt);

        s = Fold(s, new PresumedVictimDeclared(CaseId, Guid.NewGuid(), AgeCategory.Adult, [ExploitationPurpose.ForcedLabour], "Assessed.", Thursday.AddDays(1), SuspicionStatus.PresumedVictim), Thursday.AddDays(1));
        Assert.All(s!.Tasks, t => Assert.False(t.IsOpen));
    }

    [Fact]
    public void Migrationsverket_decides_a_reflection_application_by_the_due_time_the_step_recorded()
    {
        var due = new DateTimeOffset(2026, 12, 23, 0, 0, 0, Winter);
        var s = Fold(Fold(null, Registered(), Thursday), Submitted(due), Thursday, OrgType.Police);
        var task = Single(s, WorkTaskKind.DecideReflectionApplication, "type:MigrationAgency");
        Assert.Equal(due, task.DueAt);

        s = Fold(s, Granted(new DateOnly(2026, 12, 31)), Thursday.AddDays(1), OrgType.MigrationAgency);
        Assert.Equal(WorkTaskStatus.Done, Single(s, WorkTaskKind.DecideReflectionApplication, "type:MigrationAgency").StatusAt(Thursday.AddDays(2)));
    }

    [Fact]
    public void The_reflection_period_reminders_fall_on_validTo_minus_seven_and_two_days()
    {
        var s = Fold(Fold(null, Registered(), Thursday), Submitted(Thursday.AddDays(3)), Thursday, OrgType.Police);
        s = Fold(s, Granted(new DateOnly(2026, 12, 31)), Thursday.AddDays(1), OrgType.MigrationAgency);

        foreach (var key in new[] { "org:org-Police", "type:SocialServices", "type:RegionalCoordinator" })
        {
            var plan = Single(s, WorkTaskKind.PlanAfterReflectionPeriod, key);
            Assert.Equal(new DateTimeOffset(2026, 12, 24, 0, 0, 0, Winter), plan.RaisedAt);
            Assert.Equal([new DateTimeOffset(2026, 12, 29, 0, 0, 0, Winter)], plan.RemindAt);
            Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, Winter), plan.DueAt);
        }

        var converted = Fold(s, new ReflectionPeriodConverted(CaseId, Guid.NewGuid(), Thursday.AddDays(10), ReflectionStatus.ConvertedToCooperationPermit), Thursday.AddDays(10));
        Assert.All(converted!.Tasks.Where(t => t.Kind == WorkTaskKind.PlanAfterReflectionPeriod), t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(Thursday.AddDays(20))));

        var expired = Fold(s, new ReflectionPeriodExpired(CaseId, new DateOnly(2026, 12, 31), new DateTimeOffset(2027, 1, 1, 0, 5, 0, Winter), ReflectionStatus.Expired), Thursday.AddDays(15));
        Assert.All(expired!.Tasks.Where(t => t.Kind == WorkTaskKind.PlanAfterReflectionPeriod), t => Assert.Equal(WorkTaskStatus.Cancelled, t.StatusAt(Thursday.AddDays(20))));
    }

    [Fact]
    public void An_extension_moves_the_reminders_to_the_new_last_day()
    {
        var s = Fold(Fold(null, Registered(), Thursday), Submitted(Thursday.AddDays(3)), Thursday, OrgType.Police);
        s = Fold(s, Granted(new DateOnly(2026, 12, 31)), Thursday.AddDays(1), OrgType.MigrationAgency);
        s = Fold(s, new ReflectionExtensionDecided(CaseId, DecisionOutcome.Granted, "MIG-2", new DateOnly(2027, 1, 31), new DateTimeOffset(2027, 2, 1, 0, 0, 0, Winter), Thursday.AddDays(10), ReflectionStatus.Active), Thursday.AddDays(10));
        var plan = Single(s, WorkTaskKind.PlanAfterReflectionPeriod, "type:SocialServices");
        Assert.Equal(new DateTimeOffset(2027, 1, 24, 0, 0, 0, Winter), plan.RaisedAt);
        Assert.Equal(new DateTimeOffset(2027, 2, 1, 0, 0, 0, Winter), plan.DueAt);
    }

    [Fact]
    public void The_cooperation_permit_reminder_reaches_the_investigation_leader_45_days_before_the_last_day()
    {
        var s = CooperationPermit(new DateOnly(2027, 6, 30));
        Assert.Equal(WorkTaskStatus.Done, Single(s, WorkTaskKind.DecideCooperationPermitApplication, "type:MigrationAgency").StatusAt(Thursday.AddDays(30)));
        var renewal = Single(s, WorkTaskKind.ConsiderCooperationPermitRenewal, "org:pol-leader");
        Assert.Equal(OrgType.Police, renewal.AddresseeType);
        Assert.Equal(new DateTimeOffset(2027, 5, 16, 0, 0, 0, Summer), renewal.RaisedAt);
        Assert.Equal(new DateTimeOffset(2027, 7, 1, 0, 0, 0, Summer), renewal.DueAt);

        s = Fold(s, new CooperationPermitRenewalRequested(CaseId, new DateTimeOffset(2027, 5, 20, 9, 0, 0, Summer), CooperationPermitStatus.RenewalRequested), new DateTimeOffset(2027, 5, 20, 9, 0, 0, Summer));
        Assert.Equal(WorkTaskStatus.Done, Single(s, WorkTaskKind.ConsiderCooperationPermitRenewal, "org:pol-leader").StatusAt(new DateTimeOffset(2027, 8, 1, 0, 0, 0, Summer)));
    }

    [Fact]
    public void A_missing_permit_holder_raises_the_R12_review_for_the_leader_and_Migrationsverket_closed_by_a_revocation_proposal()
    {
        var s = CooperationPermit(new DateOnly(2027, 6, 30));
        var reported = new DateTimeOffset(2027, 2, 3, 14, 0, 0, Winter); // a Wednesday
        s = Fold(s, new PersonReportedMissing(CaseId, reported.AddHours(-20), reported), reported, OrgType.NGO);
        var leader = Single(s, WorkTaskKind.ReviewCooperationPermitPersonMissing, "org:pol-leader");
        var migration = Single(s, WorkTaskKind.ReviewCooperationPermitPersonMissing, "type:MigrationAgency");
        Assert.Equal("R12", leader.Rule);
        Assert.Equal(new DateTimeOffset(2027, 2, 5, 0, 0, 0, Winter), leader.DueAt);
        Assert.Equal(leader.DueAt, migration.DueAt);

        s = Fold(s, new CooperationPermitRevocationProposed(CaseId, CooperationCondition.ClearWillingnessToCooperate, "No contact.", reported.AddDays(1), CooperationPermitStatus.RevocationProposed), reported.AddDays(1), OrgType.Police);
        Assert.All(s!.Tasks.Where(t => t.Kind == WorkTaskKind.ReviewCooperationPermitPersonMissing), t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(reported.AddDays(2))));
        var decide = Single(s, WorkTaskKind.DecideCooperationPermitRevocation, "type:MigrationAgency");
        Assert.Equal("R5", decide.Rule);
        Assert.Equal(new DateTimeOffset(2027, 2, 10, 0, 0, 0, Winter), decide.DueAt); // Thu 4th + 3 working days: Fri, Mon, Tue 9th

        s = Fold(s, new CooperationPermitRevocationDecided(CaseId, true, "MIG-9", reported.AddDays(4), CooperationPermitStatus.Revoked), reported.AddDays(4));
        Assert.DoesNotContain(s!.Tasks, t => t.IsOpen && t.Kind != WorkTaskKind.AssessCase);
        Assert.False(s.CooperationPermitRunning);
    }

    [Fact]
    public void A_missing_person_without_a_permit_raises_no_permit_review_and_a_found_person_cancels_it()
    {
        var noPermit = Fold(Fold(null, Registered(), Thursday), new PersonReportedMissing(CaseId, Thursday, Thursday), Thursday);
        Assert.DoesNotContain(noPermit!.Tasks, t => t.Kind == WorkTaskKind.ReviewCooperationPermitPersonMissing);

        var s = CooperationPermit(new DateOnly(2027, 6, 30));
        s = Fold(s, new PersonReportedMissing(CaseId, Thursday.AddDays(40), Thursday.AddDays(40)), Thursday.AddDays(40));
        s = Fold(s, new PersonFound(CaseId, Thursday.AddDays(41), Thursday.AddDays(41)), Thursday.AddDays(41));
        Assert.All(s!.Tasks.Where(t => t.Kind == WorkTaskKind.ReviewCooperationPermitPersonMissing), t => Assert.Equal(WorkTaskStatus.Cancelled, t.StatusAt(Thursday.AddDays(50))));
    }

    [Fact]
    public void A_missing_child_is_urgent_for_police_and_social_services_until_found()
    {
        var s = Fold(null, Registered(AgeCategory.Child), Thursday);
        s = Fold(s, new PersonReportedMissing(CaseId, Thursday, Thursday.AddHours(1)), Thursday.AddHours(1), OrgType.SocialServices);
        var police = Single(s, WorkTaskKind.LocateMissingChild, "type:Police");
        Single(s, WorkTaskKind.LocateMissingChild, "type:SocialServices");
        Assert.True(police.Urgent);
        Assert.Equal(Thursday.AddHours(3), police.DueAt);

        s = Fold(s, new PersonFound(CaseId, Thursday.AddHours(5), Thursday.AddHours(5)), Thursday.AddHours(5));
        Assert.All(s!.Tasks.Where(t => t.Kind == WorkTaskKind.LocateMissingChild), t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(Thursday.AddDays(1))));
    }

    [Fact]
    public void A_concern_report_asks_the_named_social_services_to_assess_protection_by_the_overlay_due_time()
    {
        var due = new DateTimeOffset(2026, 12, 19, 0, 0, 0, Winter);
        var s = Fold(null, Registered(AgeCategory.Child), Thursday);
        s = Fold(s, new ConcernReported(CaseId, "soc-9", Thursday, due, ChildOverlayStatus.ConcernReported), Thursday, OrgType.Police);
        var task = Single(s, WorkTaskKind.AssessChildProtection, "org:soc-9");
        Assert.Equal(due, task.DueAt);

        s = Fold(s, new ProtectionAssessed(CaseId, true, Thursday.AddHours(4), ChildOverlayStatus.ProtectionAssessed), Thursday.AddHours(4));
        Assert.Equal(WorkTaskStatus.Done, Single(s, WorkTaskKind.AssessChildProtection, "org:soc-9").StatusAt(due));
    }

    [Fact]
    public void The_criminal_tracks_review_tasks_reach_every_addressed_type_and_close_with_their_completion()
    {
        var taskId = Guid.NewGuid();
        var investigation = Guid.NewGuid();
        var s = Fold(null, Registered(), Thursday);
        s = Fold(s, new ProsecutionTaskRaised(CaseId, taskId, Referral.Modules.Prosecution.Contracts.TaskKind.OutcomeReview, investigation,
            [OrgType.SocialServices, OrgType.RegionalCoordinator], Thursday), Thursday);
        var review = Single(s, WorkTaskKind.ReviewCriminalOutcome, "type:SocialServices");
        Single(s, WorkTaskKind.ReviewCriminalOutcome, "type:RegionalCoordinator");
        Assert.Equal("R9", review.Rule);
        Assert.Equal(investigation, review.InvestigationId);

        s = Fold(s, new ProsecutionTaskCompleted(CaseId, taskId, null, Thursday.AddDays(2)), Thursday.AddDays(2));
        Assert.All(s!.Tasks.Where(t => t.Kind == WorkTaskKind.ReviewCriminalOutcome), t => Assert.False(t.IsOpen));
    }

    [Fact]
    public void An_approved_return_of_a_witness_reaches_the_investigation_leader_at_once_R8()
    {
        var investigation = Guid.NewGuid();
        var s = Fold(null, Registered(), Thursday);
        s = Fold(s, new LinkedToInvestigation(CaseId, investigation, "5000-K9-26", ParticipationRole.Witness, InvestigationStatus.Ongoing, Thursday,
            [new OrganisationRef("pol-fu", OrgType.Police), new OrganisationRef("court-1", OrgType.Court)]), Thursday);
        Assert.DoesNotContain(s!.Tasks, t => t.Kind == WorkTaskKind.AcknowledgeReturn);

        // The first approval is not yet the return; the second (both deciders) is.
        s = Fold(s, new ReturnEligibilityDecided(CaseId, EligibilityDecider.RegionalCoordinator, true, Thursday.AddDays(1), ReturnStatus.ApplicationSubmitted), Thursday.AddDays(1));
        Assert.DoesNotContain(s!.Tasks, t => t.Kind == WorkTaskKind.AcknowledgeReturn);
        var approvedAt = Thursday.AddDays(2);
        s = Fold(s, new ReturnEligibilityDecided(CaseId, EligibilityDecider.IOM, true, approvedAt, ReturnStatus.Approved), approvedAt, OrgType.IOM);
        var task = Single(s, WorkTaskKind.AcknowledgeReturn, "org:pol-fu");
        Assert.Equal("R8", task.Rule);
        Assert.Equal(investigation, task.InvestigationId);
        Assert.Equal(approvedAt, task.RaisedAt);
        Assert.Equal(approvedAt.AddDays(7), task.DueAt);
        Assert.DoesNotContain(s!.Tasks, t => t.AddresseeKey == "org:court-1");

        // A leader who joins later is told too; the acknowledgement closes the duty for all of them.
        s = Fold(s, new InvestigationOrganisationAdmitted(CaseId, investigation, new OrganisationRef("aklm-1", OrgType.Prosecution), approvedAt.AddHours(1)), approvedAt.AddHours(1));
        Single(s, WorkTaskKind.AcknowledgeReturn, "org:aklm-1");
        s = Fold(s, new InvestigationLeaderAcknowledged(CaseId, investigation, true, true, approvedAt.AddDays(1)), approvedAt.AddDays(1), OrgType.Police);
        Assert.All(s!.Tasks.Where(t => t.Kind == WorkTaskKind.AcknowledgeReturn), t => Assert.Equal(WorkTaskStatus.Done, t.StatusAt(approvedAt.AddDays(9))));
    }

    [Fact]
    public void IOMs_record_that_the_leader_was_notified_cancels_the_R8_task_and_a_closed_investigation_needs_none()
    {
        var open = Guid.NewGuid();
        var closed = Guid.NewGuid();
        var s = Fold(null, Registered(), Thursday);
        s = Fold(s, new LinkedToInvestigation(CaseId, open, "5000-K1-26", ParticipationRole.InjuredParty, InvestigationStatus.Opened, Thursday, [new OrganisationRef("pol-a", OrgType.Police)]), Thursday);
        s = Fold(s, new LinkedToInvestigation(CaseId, closed, "5000-K2-26", ParticipationRole.Witness, InvestigationStatus.ClosedNoProsecution, Thursday, [new OrganisationRef("pol-b", OrgType.Police)]), Thursday);
        s = Fold(s, new ReturnEligibilityDecided(CaseId, EligibilityDecider.IOM, true, Thursday, ReturnStatus.Approved), Thursday);
        Assert.Equal(["org:pol-a"], s!.Tasks.Where(t => t.Kind == WorkTaskKind.AcknowledgeReturn).Select(t => t.AddresseeKey));
        Assert.Equal(WorkTaskStatus.Overdue, Single(s, WorkTaskKind.AcknowledgeReturn, "org:pol-a").StatusAt(Thursday.AddDays(8)));

        s = Fold(s, new InvestigationLeaderNotified(CaseId, open, Thursday.AddDays(8)), Thursday.AddDays(8), OrgType.IOM);
        var task = Single(s, WorkTaskKind.AcknowledgeReturn, "org:pol-a");
        Assert.Equal(WorkTaskStatus.Cancelled, task.StatusAt(Thursday.AddDays(9)));
        Assert.Equal(nameof(InvestigationLeaderNotified), task.ClosedBy);
    }

    [Fact]
    public void A_withdrawn_return_cancels_the_R8_task()
    {
        var investigation = Guid.NewGuid();
        var s = Fold(null, Registered(), Thursday);
        s = Fold(s, new LinkedToInvestigation(CaseId, investigation, "5000-K1-26", ParticipationRole.Witness, InvestigationStatus.Ongoing, Thursday, []), Thursday);
        s = Fold(s, new ReturnEligibilityDecided(CaseId, EligibilityDecider.IOM, true, Thursday, ReturnStatus.Approved), Thursday);
        Assert.Equal(OrgType.Police, Single(s, WorkTaskKind.AcknowledgeReturn, "type:Police").AddresseeType);
        s = Fold(s, new ReturnWithdrawn(CaseId, Thursday.AddDays(1), ReturnStatus.Withdrawn), Thursday.AddDays(1));
        Assert.Equal(WorkTaskStatus.Cancelled, Single(s, WorkTaskKind.AcknowledgeReturn, "type:Police").StatusAt(Thursday.AddDays(2)));
        Assert.Null(s!.ReturnApprovedAt);
    }

    [Fact]
    public void The_same_rule_on_the_same_case_and_addressee_gives_the_same_task_id()
    {
        var a = TasksRules.TaskIdOf(CaseId, WorkTaskKind.AssessCase, "registration", "type:RegionalCoordinator");
        Assert.Equal(a, TasksRules.TaskIdOf(CaseId, WorkTaskKind.AssessCase, "registration", "type:RegionalCoordinator"));
        Assert.NotEqual(a, TasksRules.TaskIdOf(CaseId, WorkTaskKind.AssessCase, "registration", "org:ngo-1"));
    }

    [Fact]
    public void Events_of_other_streams_make_no_task_document()
    {
        Assert.Null(Fold(null, new ProtectionAssessed(CaseId, false, Thursday, ChildOverlayStatus.ProtectionAssessed), Thursday));
    }

    [Fact]
    public void A_condition_reported_unmet_asks_the_leader_and_Migrationsverket_to_consider_revocation_closed_by_a_proposal_R5()
    {
        var s = CooperationPermit(new DateOnly(2027, 6, 30));
        var reported = new DateTimeOffset(2027, 2, 3, 14, 0, 0, Winter); // a Wednesday
        s = Fold(s, new CooperationConditionReportedUnmet(CaseId, CooperationCondition.BrokenTiesWithSuspects, "Contact seen.", reported, CooperationPermitStatus.Active), reported, OrgType.SocialServices);
        var leader = Single(s, WorkTaskKind.ConsiderCooperationPermitRevocation, "org:pol-leader");
        var migration = Single(s, WorkTaskKind.ConsiderCooperationPermitRevocation, "type:MigrationAgency");
        Assert.Equal(("R5", OrgType.Police), (leader.Rule, leader.AddresseeType));
        Assert.Equal(new DateTimeOffset(2027, 2, 11, 0, 0, 0, Winter), leader.DueAt); // Wed 3rd + 5 working days: Thu, Fri, Mon, Tue, Wed 10th
        Assert.Equal(leader.DueAt, migration.DueAt);

        s = Fold(s, new CooperationPermitRevocationProposed(CaseId, CooperationCondition.BrokenTiesWithSuspects, "Contact resumed.", reported.AddDays(1), CooperationPermitStatus.RevocationProposed), reported.AddDays(1), OrgType.Police);
        Assert.All(s!.Tasks.Where(t => t.Kind == WorkTaskKind.ConsiderCooperationPermitRevocation), t => Assert.Equal((WorkTaskStatus.Done, nameof(CooperationPermitRevocationProposed)), (t.StatusAt(reported.AddDays(2)), t.ClosedBy)));
    }

    [Fact]
    public void A_condition_review_is_fulfilled_by_reconfirmed_conditions_and_cancelled_when_the_permit_ends_and_not_raised_without_a_permit()
    {
        var reported = new DateTimeOffset(2027, 2, 3, 14, 0, 0, Winter);
        var report = new CooperationConditionReportedUnmet(CaseId, CooperationCondition.NoPublicOrderObjection, "Seen.", reported, CooperationPermitStatus.Active);
        var renewed = Fold(Fold(CooperationPermit(new DateOnly(2027, 6, 30)), report, reported),
            new CooperationPermitRenewalRequested(CaseId, reported.AddDays(1), CooperationPermitStatus.RenewalRequested), reported.AddDays(1), OrgType.Police);
        Assert.Equal(WorkTaskStatus.Done, Single(renewed, WorkTaskKind.ConsiderCooperationPermitRevocation, "org:pol-leader").StatusAt(reported.AddDays(2)));

        var ended = Fold(Fold(CooperationPermit(new DateOnly(2027, 6, 30)), report, reported),
            new CooperationPermitEnded(CaseId, CooperationEndReason.VoluntaryReturnDeparted, reported.AddDays(1), CooperationPermitStatus.Ended), reported.AddDays(1));
        Assert.Equal(WorkTaskStatus.Cancelled, Single(ended, WorkTaskKind.ConsiderCooperationPermitRevocation, "type:MigrationAgency").StatusAt(reported.AddDays(2)));

        var none = Fold(Fold(null, Registered(), Thursday), report, reported);
        Assert.DoesNotContain(none!.Tasks, t => t.Kind == WorkTaskKind.ConsiderCooperationPermitRevocation);
    }

    [Fact]
    public void A_drafted_claim_is_the_claimants_to_submit_by_the_deadline_warned_30_and_7_days_before()
    {
        var claimId = Guid.NewGuid();
        var drafted = new DateTimeOffset(2027, 1, 10, 9, 0, 0, Winter);
        // Q4 2026 → deadline 30 June 2027 (six months after the quarter's end); the day ends at midnight Swedish summer time.
        var s = Fold(null, new ClaimDrafted(claimId, "kommun-1", ClaimantType.Municipality, new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31), 1,
            new DateOnly(2027, 6, 30), drafted, ClaimStatus.Draft), drafted, OrgType.SocialServices);
        Assert.True(s!.OnClaim);
        Assert.Equal(claimId, s.Id);
        var task = Single(s, WorkTaskKind.SubmitClaim, "org:kommun-1");
        var deadline = new DateTimeOffset(2027, 7, 1, 0, 0, 0, Summer);
        Assert.Equal(("§4.7", OrgType.SocialServices, deadline), (task.Rule, task.AddresseeType, task.DueAt));
        Assert.Equal(deadline.AddDays(-30), task.RaisedAt);
        Assert.Equal([deadline.AddDays(-7)], task.RemindAt);

        // Case events never reach a claim's tasks; the submission fulfils the task, a withdrawal cancels it.
        var unchanged = Fold(s, new IndicatorsAssessed(claimId, [], [], [], null, drafted, SuspicionStatus.UnderAssessment), drafted);
        Assert.True(Assert.Single(unchanged!.Tasks).IsOpen);
        var submitted = Fold(s, new ClaimSubmitted(claimId, 1000m, 1, drafted.AddDays(30), ClaimStatus.Submitted), drafted.AddDays(30));
        Assert.Equal(WorkTaskStatus.Done, Single(submitted, WorkTaskKind.SubmitClaim, "org:kommun-1").StatusAt(deadline.AddDays(1)));
        var withdrawn = Fold(s, new ClaimWithdrawn(claimId, drafted.AddDays(30), ClaimStatus.Withdrawn), drafted.AddDays(30));
        Assert.Equal(WorkTaskStatus.Cancelled, Single(withdrawn, WorkTaskKind.SubmitClaim, "org:kommun-1").StatusAt(deadline.AddDays(1)));
        Assert.Equal(WorkTaskStatus.Overdue, task.StatusAt(deadline.AddMinutes(1)));
    }

    private TasksState? CooperationPermit(DateOnly validTo)
    {
        var s = Fold(null, Registered(), Thursday);
        s = Fold(s, new CooperationPermitApplied(CaseId, Guid.NewGuid(), "pol-leader", Guid.NewGuid(), "5000-K123-26", true, true, true, true, Thursday, Thursday.AddDays(5), CooperationPermitStatus.ApplicationSubmitted), Thursday, OrgType.Police);
        return Fold(s, new CooperationPermitGranted(CaseId, Guid.NewGuid(), "MIG-1", new DateOnly(2026, 12, 30), validTo, new DateTimeOffset(validTo.AddDays(1).ToDateTime(TimeOnly.MinValue), validTo.Month is >= 4 and <= 10 ? Summer : Winter), Thursday.AddDays(2), CooperationPermitStatus.Active), Thursday.AddDays(2), OrgType.MigrationAgency);
    }

    private static ReflectionApplicationSubmitted Submitted(DateTimeOffset due) =>
        new(CaseId, Guid.NewGuid(), ApplicationRoute.InvestigationLeader, "194011", "org-Police", Guid.NewGuid(), "5000-K1-26", Thursday, due, ReflectionStatus.ApplicationSubmitted);

    private static ReflectionPeriodGranted Granted(DateOnly validTo) =>
        new(CaseId, Guid.NewGuid(), "MIG-1", new DateOnly(2026, 12, 1), validTo, new DateTimeOffset(validTo.AddDays(1).ToDateTime(TimeOnly.MinValue), Winter), Thursday.AddDays(1), ReflectionStatus.Active);
}
