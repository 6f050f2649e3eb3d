using System.Security.Cryptography;
using System.Text;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Time;
using Referral.Modules.ChildSafeguarding.Contracts;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Reimbursement.Contracts;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Support.Contracts;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.Tasks;

/// <summary>
/// Settings of the task rules (configuration section <c>Tasks</c>; the permit reminders are read from the
/// <c>ReflectionPeriod</c> section, so the step and its tasks agree). Points the manual leaves open ([U]) are settings.
/// </summary>
public sealed class TasksOptions
{
    /// <summary>§4.1 [A]: an adult's case not assessed after this many working days is overdue (the reminder).</summary>
    public int AssessmentWorkingDays { get; set; } = 2;

    /// <summary>§4.1 [U]: working days for social services or the coordinator to act on a recommendation.</summary>
    public int RecommendationWorkingDays { get; set; } = 2;

    /// <summary>R5 [U]: working days for Migrationsverket to decide a proposed revocation.</summary>
    public int RevocationDecisionWorkingDays { get; set; } = 3;

    /// <summary>R12 [U]: working days for the investigation leader and Migrationsverket to review a missing person's permit.</summary>
    public int MissingPermitReviewWorkingDays { get; set; } = 1;

    /// <summary>R9, §4.4 [U]: working days for a review raised by the criminal track.</summary>
    public int ReviewWorkingDays { get; set; } = 10;

    /// <summary>R8 [U]: how long investigation leaders have to acknowledge an approved return (from <c>VoluntaryReturn:LeaderAcknowledgementWait</c>).</summary>
    public TimeSpan LeaderAcknowledgementWait { get; set; } = TimeSpan.FromDays(7);

    /// <summary>R5 [U]: working days for the investigation leader and Migrationsverket to consider a condition reported unmet.</summary>
    public int ConditionReviewWorkingDays { get; set; } = 5;

    /// <summary>§4.7 [S22]: warnings before a claim's deadline, in days (from <c>Reimbursement:WarningDays</c>; default 30 and 7).</summary>
    public int[] ClaimWarningDays { get; set; } = [];

    /// <summary>§4.2 [A]: a risk assessment's review appears this many days before its review date.</summary>
    public int RiskReviewReminderDays { get; set; } = 7;

    /// <summary>§4.8 [A]: how soon police and social services must act on a missing child.</summary>
    public TimeSpan MissingChildResponse { get; set; } = TimeSpan.FromHours(2);

    /// <summary>§4.3 [A]: reminders before a reflection period's last day (from <c>ReflectionPeriod:ReflectionReminderDays</c>; default 7 and 2).</summary>
    public int[] ReflectionReminderDays { get; set; } = [];

    /// <summary>§4.4 [A]: reminders before a cooperation permit's last day (from <c>ReflectionPeriod:CooperationReminderDays</c>; default 45).</summary>
    public int[] CooperationReminderDays { get; set; } = [];

    /// <summary>The time zone of the manual's days.</summary>
    public string TimeZone { get; set; } = LocalCalendar.Swedish;

    /// <summary>Extra closed days beyond the computed Swedish holidays (from <c>ReflectionPeriod:Holidays</c>).</summary>
    public DateOnly[] Holidays { get; set; } = [];

    public IReadOnlyList<int> ReflectionReminders => ReflectionReminderDays.Length > 0 ? ReflectionReminderDays : [7, 2];

    public IReadOnlyList<int> CooperationReminders => CooperationReminderDays.Length > 0 ? CooperationReminderDays : [45];

    public IReadOnlyList<int> ClaimWarnings => ClaimWarningDays.Length > 0 ? ClaimWarningDays : [30, 7];
}

/// <summary>
/// The rule table: which public event raises which task for whom and by when, and which event closes it
/// (docs/manual/tasks.md lists every rule). Pure: all times come from the events and the working-day calendar.
/// </summary>
public sealed class TasksRules
{
    private readonly TasksOptions _options;
    private readonly LocalCalendar _calendar;
    private readonly WorkingDays _workingDays;

    public TasksRules(TasksOptions options)
    {
        _options = options;
        _calendar = new LocalCalendar(options.TimeZone);
        _workingDays = new WorkingDays(_calendar, options.Holidays);
    }

    public TasksState? Apply(TasksState? state, object data, EventInfo info) => (state, data) switch
    {
        (null, SuspicionRegistered e) => Registered(e, info),
        (null, ClaimDrafted e) => SubmitClaim(e, info),
        (null, _) => null,

        // §4.7 reimbursement claims (their own streams)
        ({ OnClaim: true } s, ClaimSubmitted e) => s.Close(e.SubmittedAt, e, true, WorkTaskKind.SubmitClaim),
        ({ OnClaim: true } s, ClaimWithdrawn e) => s.Close(e.WithdrawnAt, e, false, WorkTaskKind.SubmitClaim),
        ({ OnClaim: true } s, _) => s,

        // §4.1 identification
        ({ } s, IndicatorsAssessed e) => s.Close(e.AssessedAt, e, true, WorkTaskKind.AssessCase),
        ({ } s, PresumedVictimDeclared e) => s.IsChild || e.AgeCategory is not (AgeCategory.Child or AgeCategory.AgeDisputedTreatedAsChild)
            ? s.Close(e.DeclaredAt, e, true, WorkTaskKind.AssessCase, WorkTaskKind.ConsiderDeclaration)
            : ReportConcern((s with { IsChild = true }).Close(e.DeclaredAt, e, true, WorkTaskKind.AssessCase, WorkTaskKind.ConsiderDeclaration), e.DeclaredAt),
        ({ } s, CaseClosedNotTrafficking e) => s.Close(e.ClosedAt, e, true, WorkTaskKind.AssessCase, WorkTaskKind.ConsiderDeclaration),
        ({ } s, ContactMarkedLost) => s.Close(info.Timestamp, data, false, WorkTaskKind.AssessCase, WorkTaskKind.ConsiderDeclaration),
        ({ } s, CaseReopened) when !s.IsChild => AssessCase(s, $"reopened-{info.Version}", info.Timestamp),
        ({ } s, PresumedVictimRecommended e) => s
            .Raise(NewTask(s, WorkTaskKind.ConsiderDeclaration, "§4.1", "recommendation", OrgType.SocialServices, null, e.RecommendedAt, _workingDays.After(e.RecommendedAt, _options.RecommendationWorkingDays)))
            .Raise(NewTask(s, WorkTaskKind.ConsiderDeclaration, "§4.1", "recommendation", OrgType.RegionalCoordinator, null, e.RecommendedAt, _workingDays.After(e.RecommendedAt, _options.RecommendationWorkingDays))),

        // §4.3 reflection period
        ({ } s, ReflectionApplicationSubmitted e) => (s with
        {
            ReflectionApplicantOrgId = e.ApplicantOrgId,
            ReflectionApplicantType = e.Route == ApplicationRoute.WelfareBoard ? OrgType.SocialServices : info.OrgType ?? OrgType.Police,
        }).Raise(NewTask(s, WorkTaskKind.DecideReflectionApplication, "§4.3", e.ApplicationId.ToString(), OrgType.MigrationAgency, null, e.SubmittedAt, e.DecisionDueAt)),
        ({ } s, ReflectionPeriodGranted e) => PlanAfterReflection(s.Close(e.DecidedAt, e, true, WorkTaskKind.DecideReflectionApplication), e.ValidTo, e.ExpiresAt),
        ({ } s, ReflectionPeriodRejected e) => s.Close(e.DecidedAt, e, true, WorkTaskKind.DecideReflectionApplication),
        ({ } s, ReflectionExtensionDecided { NewValidTo: { } to, NewExpiresAt: { } end }) => PlanAfterReflection(s, to, end),
        ({ } s, ReflectionPeriodConverted e) => s.Close(e.ConvertedAt, e, true, WorkTaskKind.PlanAfterReflectionPeriod),
        ({ } s, ReflectionPeriodEndedEarly e) => s.Close(e.EndedAt, e, true, WorkTaskKind.PlanAfterReflectionPeriod),
        ({ } s, ReflectionPeriodExpired e) => s.Close(e.ExpiredAt, e, false, WorkTaskKind.PlanAfterReflectionPeriod),

        // §4.4 cooperation permit, R5, R12
        ({ } s, CooperationPermitApplied e) => (s with { CooperationApplicantOrgId = e.ApplicantOrgId, CooperationApplicantType = Leader(info.OrgType) })
            .Close(e.SubmittedAt, e, true, WorkTaskKind.PlanAfterReflectionPeriod)
            .Raise(NewTask(s, WorkTaskKind.DecideCooperationPermitApplication, "§4.4", e.ApplicationId.ToString(), OrgType.MigrationAgency, null, e.SubmittedAt, e.DecisionDueAt)),
        ({ } s, CooperationPermitGranted e) => ConsiderRenewal(s.Close(e.DecidedAt, e, true, WorkTaskKind.DecideCooperationPermitApplication) with { CooperationPermitRunning = true }, e.ValidTo, e.ExpiresAt),
        ({ } s, CooperationPermitRejected e) => s.Close(e.DecidedAt, e, true, WorkTaskKind.DecideCooperationPermitApplication),
        ({ } s, CooperationPermitRenewalRequested e) => s.Close(e.RequestedAt, e, true, WorkTaskKind.ConsiderCooperationPermitRenewal, WorkTaskKind.ConsiderCooperationPermitRevocation),
        ({ } s, CooperationPermitRenewalDecided { NewValidTo: { } to, NewExpiresAt: { } end }) => ConsiderRenewal(s, to, end),
        ({ } s, CooperationConditionReportedUnmet e) => ConsiderRevocation(s, $"condition-{info.Version}", e.ReportedAt),
        ({ } s, CooperationPermitRevocationProposed e) => s
            .Close(e.ProposedAt, e, true, WorkTaskKind.ReviewCooperationPermitPersonMissing, WorkTaskKind.ConsiderCooperationPermitRevocation)
            .Raise(NewTask(s, WorkTaskKind.DecideCooperationPermitRevocation, "R5", $"revocation-{info.Version}", OrgType.MigrationAgency, null, e.ProposedAt, _workingDays.After(e.ProposedAt, _options.RevocationDecisionWorkingDays))),
        ({ } s, CooperationPermitRevocationDecided e) => PermitEnds(
            s.Close(e.DecidedAt, e, true, WorkTaskKind.DecideCooperationPermitRevocation, WorkTaskKind.ReviewCooperationPermitPersonMissing), e.Revoked, e.DecidedAt, e),
        ({ } s, CooperationPermitEnded e) => PermitEnds(s, true, e.EndedAt, e),
        ({ } s, CooperationPermitExpired e) => PermitEnds(s, true, e.ExpiredAt, e),

        // R12 and §4.8: a missing person
        ({ } s, PersonReportedMissing e) => Missing(s, e),
        ({ } s, PersonFound e) => s.Close(e.FoundAt, e, true, WorkTaskKind.LocateMissingChild).Close(e.FoundAt, e, false, WorkTaskKind.ReviewCooperationPermitPersonMissing),

        // §4.8 child overlay, R13
        ({ } s, ChildCaseEscalated { Reason: ChildEscalationReason.SocialServicesNotLinked } e) => s
            .Raise(NewTask(s, WorkTaskKind.LinkSocialServices, "R13", "social-services", s.ReporterOrgType, s.ReporterOrgId, e.EscalatedAt, e.EscalatedAt) with { Urgent = true })
            .Raise(NewTask(s, WorkTaskKind.LinkSocialServices, "R13", "social-services", OrgType.RegionalCoordinator, null, e.EscalatedAt, e.EscalatedAt) with { Urgent = true }),
        ({ } s, GuardianRequested e) => s
            .Raise(NewTask(s, WorkTaskKind.AppointGuardian, "§4.8", "guardian", OrgType.SocialServices, null, e.RequestedAt, _workingDays.After(e.RequestedAt, _options.ReviewWorkingDays)))
            .Raise(NewTask(s, WorkTaskKind.AppointGuardian, "§4.8", "guardian", OrgType.MigrationAgency, null, e.RequestedAt, _workingDays.After(e.RequestedAt, _options.ReviewWorkingDays))),
        ({ } s, GuardianAppointed e) => s.Close(e.RecordedAt, e, true, WorkTaskKind.AppointGuardian),
        ({ } s, SpecialRepresentativeRequested e) => s.Raise(
            NewTask(s, WorkTaskKind.AppointSpecialRepresentative, "§4.8", "special-representative", OrgType.Court, null, e.RequestedAt, _workingDays.After(e.RequestedAt, _options.ReviewWorkingDays))),
        ({ } s, SpecialRepresentativeAppointed e) => s.Close(e.AppointedAt, e, true, WorkTaskKind.AppointSpecialRepresentative),
        ({ } s, ConcernReported e) => s.Close(e.ReportedAt, e, true, WorkTaskKind.ReportConcern, WorkTaskKind.LinkSocialServices).Raise(NewTask(s, WorkTaskKind.AssessChildProtection, "§4.8", "concern", OrgType.SocialServices, e.SocialServicesOrgId, e.ReportedAt, e.ProtectionAssessmentDueAt)),
        ({ } s, ProtectionAssessed e) => s.Close(e.AssessedAt, e, true, WorkTaskKind.AssessChildProtection),

        // R9, §4.4, CoE Art. 26: the criminal track's tasks on the case
        ({ } s, ProsecutionTaskRaised e) => e.ForOrgTypes.Aggregate(s, (acc, type) => acc.Raise(
            NewTask(s, KindOf(e.Kind), RuleOf(e.Kind), e.TaskId.ToString(), type, null, e.RaisedAt, _workingDays.After(e.RaisedAt, _options.ReviewWorkingDays)) with { InvestigationId = e.InvestigationId })),
        ({ } s, ProsecutionTaskCompleted e) => s.Close(e.CompletedAt, e, true, t => t.Key == e.TaskId.ToString()),

        // §4.2: each risk assessment is reviewed by its date; the next assessment fulfils the review
        ({ } s, RiskAssessed e) => s.Close(e.AssessedAt, e, true, WorkTaskKind.ReviewRiskAssessment).Raise(NewTask(s, WorkTaskKind.ReviewRiskAssessment, "§4.2",
            $"risk-{info.Version}", OrgType.SocialServices, null, _calendar.StartOf(e.ReviewBy.AddDays(-_options.RiskReviewReminderDays)), _calendar.EndOf(e.ReviewBy))),

        // R13: any social services taking part ends the escalation
        ({ } s, IAdmitsParticipants a) when a.Admits().Any(x => x.OrgType == OrgType.SocialServices) => s.Close(info.Timestamp, data, true, WorkTaskKind.LinkSocialServices),

        // R8: an approved return of an injured party or witness reaches the investigation leaders at once
        ({ } s, ReturnEligibilityDecided { Status: ReturnStatus.Approved } e) => AcknowledgeReturn(s with { ReturnApprovedAt = e.DecidedAt }),
        ({ } s, ReturnApplicationSubmitted or ReturnWithdrawn or ReturnDeparted or ReturnEligibilityDecided { Approved: false }) =>
            (s with { ReturnApprovedAt = null }).Close(info.Timestamp, data, false, WorkTaskKind.AcknowledgeReturn),
        ({ } s, LinkedToInvestigation e) => AcknowledgeReturn(s with
        {
            Investigations = [.. s.Investigations.Where(i => i.InvestigationId != e.InvestigationId), new CaseInvestigation(e.InvestigationId,
                e.Role is ParticipationRole.InjuredParty or ParticipationRole.Witness, IsOpen(e.InvestigationStatus),
                (e.InvestigationOrganisations ?? []).Where(o => o.OrgType is OrgType.Police or OrgType.Prosecution).ToList())],
        }),
        ({ } s, InvestigationOrganisationAdmitted { Organisation.OrgType: OrgType.Police or OrgType.Prosecution } e) => AcknowledgeReturn(s with
        {
            Investigations = s.Investigations.Select(i => i.InvestigationId == e.InvestigationId ? i with { Leaders = [.. i.Leaders, e.Organisation] } : i).ToList(),
        }),
        ({ } s, InvestigationOutcomeRecorded e) => (s with
        {
            Investigations = s.Investigations.Select(i => i.InvestigationId == e.InvestigationId ? i with { Open = IsOpen(e.InvestigationStatus) } : i).ToList(),
        }).Close(e.RecordedAt, e, false, t => t.Kind == WorkTaskKind.AcknowledgeReturn && t.InvestigationId == e.InvestigationId && !IsOpen(e.InvestigationStatus)),
        ({ } s, InvestigationLeaderAcknowledged e) => s.Close(e.AcknowledgedAt, e, true, t => t.Kind == WorkTaskKind.AcknowledgeReturn && t.InvestigationId == e.InvestigationId),
        ({ } s, InvestigationLeaderNotified e) => s.Close(e.NotifiedAt, e, false, t => t.Kind == WorkTaskKind.AcknowledgeReturn && t.InvestigationId == e.InvestigationId),

        ({ } s, _) => s,
    };

    /// <summary>A stable task id: the same rule, case, key and addressee always give the same id.</summary>
    public static Guid TaskIdOf(Guid caseId, WorkTaskKind kind, string key, string addresseeKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{caseId:N}|{kind}|{key}|{addresseeKey}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private TasksState Registered(SuspicionRegistered e, EventInfo info)
    {
        var s = new TasksState
        {
            Id = e.CaseId,
            ReporterOrgId = e.ReportingOrgId,
            ReporterOrgType = e.ReportingOrgType,
            IsChild = e.AgeCategory is AgeCategory.Child or AgeCategory.AgeDisputedTreatedAsChild,
        };
        return s.IsChild ? ReportConcern(s, info.Timestamp) : AssessCase(s, "registration", info.Timestamp);
    }

    /// <summary>§4.8: the authorities on a child's case (police, social services, health care, Migrationsverket) report a concern by the end of the next day.</summary>
    private TasksState ReportConcern(TasksState s, DateTimeOffset at)
    {
        var due = _calendar.EndOf(_calendar.DateOf(at).AddDays(1));
        return new[] { OrgType.Police, OrgType.SocialServices, OrgType.HealthCare, OrgType.MigrationAgency }
            .Aggregate(s, (acc, type) => acc.Raise(NewTask(s, WorkTaskKind.ReportConcern, "§4.8", "concern-report", type, null, at, due) with { Urgent = true }));
    }

    /// <summary>§4.1: the reporter and the regional coordinator assess an adult's case within two working days.</summary>
    private TasksState AssessCase(TasksState s, string key, DateTimeOffset at)
    {
        var due = _workingDays.After(at, _options.AssessmentWorkingDays);
        return s.Raise(NewTask(s, WorkTaskKind.AssessCase, "§4.1", key, s.ReporterOrgType, s.ReporterOrgId, at, due))
            .Raise(NewTask(s, WorkTaskKind.AssessCase, "§4.1", key, OrgType.RegionalCoordinator, null, at, due));
    }

    /// <summary>§4.3: the applicant, social services and the coordinator are reminded at validTo − 7 and − 2 days; due when the period ends.</summary>
    private TasksState PlanAfterReflection(TasksState s, DateOnly validTo, DateTimeOffset endsAt)
    {
        var reminders = _options.ReflectionReminders.OrderDescending().Select(d => _calendar.StartOf(validTo.AddDays(-d))).ToList();
        var addressees = new List<(OrgType Type, string? OrgId)> { (OrgType.SocialServices, null), (OrgType.RegionalCoordinator, null) };
        if (s.ReflectionApplicantOrgId is { } applicant && s.ReflectionApplicantType != OrgType.SocialServices)
        {
            addressees.Insert(0, (s.ReflectionApplicantType, applicant));
        }

        return addressees.Aggregate(s, (acc, a) => acc.Raise(
            NewTask(s, WorkTaskKind.PlanAfterReflectionPeriod, "§4.3", "reflection-period", a.Type, a.OrgId, reminders[0], endsAt) with { RemindAt = reminders.Skip(1).ToList() }));
    }

    /// <summary>§4.4: the investigation leader who applied is reminded at validTo − 45 days; due when the permit ends.</summary>
    private TasksState ConsiderRenewal(TasksState s, DateOnly validTo, DateTimeOffset endsAt)
    {
        if (s.CooperationApplicantOrgId is not { } leader)
        {
            return s;
        }

        var reminders = _options.CooperationReminders.OrderDescending().Select(d => _calendar.StartOf(validTo.AddDays(-d))).ToList();
        return s.Raise(NewTask(s, WorkTaskKind.ConsiderCooperationPermitRenewal, "§4.4", "cooperation-permit", s.CooperationApplicantType, leader, reminders[0], endsAt)
            with { RemindAt = reminders.Skip(1).ToList() });
    }

    private static TasksState PermitEnds(TasksState s, bool ends, DateTimeOffset at, object by) => !ends ? s
        : (s with { CooperationPermitRunning = false }).Close(at, by, false,
            WorkTaskKind.ConsiderCooperationPermitRenewal, WorkTaskKind.ReviewCooperationPermitPersonMissing, WorkTaskKind.ConsiderCooperationPermitRevocation,
            WorkTaskKind.DecideCooperationPermitRevocation);

    /// <summary>R5: a condition reported unmet — the permit holder's investigation leader and Migrationsverket consider proposing revocation.</summary>
    private TasksState ConsiderRevocation(TasksState s, string key, DateTimeOffset at)
    {
        if (!s.CooperationPermitRunning || s.CooperationApplicantOrgId is not { } leader)
        {
            return s;
        }

        var due = _workingDays.After(at, _options.ConditionReviewWorkingDays);
        return s.Raise(NewTask(s, WorkTaskKind.ConsiderCooperationPermitRevocation, "R5", key, s.CooperationApplicantType, leader, at, due))
            .Raise(NewTask(s, WorkTaskKind.ConsiderCooperationPermitRevocation, "R5", key, OrgType.MigrationAgency, null, at, due));
    }

    /// <summary>§4.7: the claimant submits its drafted claim by the deadline; the task appears at the first warning (−30 days), reminded at the next (−7).</summary>
    private TasksState SubmitClaim(ClaimDrafted e, EventInfo info)
    {
        var s = new TasksState { Id = e.ClaimId, OnClaim = true };
        var due = _calendar.EndOf(e.Deadline);
        var warnings = _options.ClaimWarnings.OrderDescending().Select(d => due.AddDays(-d)).ToList();
        var claimant = info.OrgType ?? (e.ClaimantType == ClaimantType.Region ? OrgType.HealthCare : OrgType.SocialServices);
        return s.Raise(NewTask(s, WorkTaskKind.SubmitClaim, "§4.7", "claim", claimant, e.ClaimantOrgId, warnings[0], due) with { RemindAt = warnings.Skip(1).ToList() });
    }

    /// <summary>R12: the permit holder's investigation leader and Migrationsverket review the permit; §4.8: a missing child is urgent for police and social services.</summary>
    private TasksState Missing(TasksState s, PersonReportedMissing e)
    {
        var key = $"missing-{e.ReportedAt.ToUnixTimeMilliseconds()}";
        if (s.CooperationPermitRunning && s.CooperationApplicantOrgId is { } leader)
        {
            var due = _workingDays.After(e.ReportedAt, _options.MissingPermitReviewWorkingDays);
            s = s.Raise(NewTask(s, WorkTaskKind.ReviewCooperationPermitPersonMissing, "R12", key, s.CooperationApplicantType, leader, e.ReportedAt, due))
                .Raise(NewTask(s, WorkTaskKind.ReviewCooperationPermitPersonMissing, "R12", key, OrgType.MigrationAgency, null, e.ReportedAt, due));
        }

        if (s.IsChild)
        {
            var due = e.ReportedAt + _options.MissingChildResponse;
            s = s.Raise(NewTask(s, WorkTaskKind.LocateMissingChild, "§4.8, R12", key, OrgType.Police, null, e.ReportedAt, due) with { Urgent = true })
                .Raise(NewTask(s, WorkTaskKind.LocateMissingChild, "§4.8, R12", key, OrgType.SocialServices, null, e.ReportedAt, due) with { Urgent = true });
        }

        return s;
    }

    /// <summary>
    /// R8: while an approved return awaits departure, every leading organisation of each open investigation where the person
    /// is injured party or witness has a task to acknowledge it (raised once per leader; the police when none is known yet).
    /// </summary>
    private TasksState AcknowledgeReturn(TasksState s)
    {
        if (s.ReturnApprovedAt is not { } approved)
        {
            return s;
        }

        foreach (var investigation in s.Investigations.Where(i => i.Witness && i.Open))
        {
            var key = investigation.InvestigationId.ToString();
            var acknowledged = s.Tasks.Any(t => t.Kind == WorkTaskKind.AcknowledgeReturn && t.Key == key && t.Done);
            var leaders = investigation.Leaders.Count > 0 ? investigation.Leaders : [new OrganisationRef("", OrgType.Police)];
            foreach (var leader in leaders.Where(_ => !acknowledged))
            {
                var task = NewTask(s, WorkTaskKind.AcknowledgeReturn, "R8", key, leader.OrgType, leader.OrgId.Length > 0 ? leader.OrgId : null, approved, approved + _options.LeaderAcknowledgementWait)
                    with { InvestigationId = investigation.InvestigationId, Urgent = true };
                if (!s.Tasks.Any(t => t.TaskId == task.TaskId))
                {
                    s = s.Raise(task);
                }
            }
        }

        return s;
    }

    private static bool IsOpen(InvestigationStatus status) => status is not (InvestigationStatus.ClosedNoProsecution or InvestigationStatus.Final);

    /// <summary>The investigation leader's type: the applying organisation's (police or prosecution), else the police.</summary>
    private static OrgType Leader(OrgType? applicant) => applicant is OrgType.Prosecution ? OrgType.Prosecution : OrgType.Police;

    private static WorkTask NewTask(TasksState s, WorkTaskKind kind, string rule, string key, OrgType type, string? orgId, DateTimeOffset raisedAt, DateTimeOffset dueAt)
    {
        var addressee = orgId is { } org ? TasksState.OrgKey(org) : TasksState.TypeKey(type);
        return new WorkTask(TaskIdOf(s.Id, kind, key, addressee), kind, rule, key, type, orgId, raisedAt, [], dueAt, false);
    }

    private static WorkTaskKind KindOf(Prosecution.Contracts.TaskKind kind) => kind switch
    {
        Prosecution.Contracts.TaskKind.OutcomeReview => WorkTaskKind.ReviewCriminalOutcome,
        Prosecution.Contracts.TaskKind.CooperationPermitStillNeeded => WorkTaskKind.CooperationPermitStillNeeded,
        _ => WorkTaskKind.AssessNonPunishment,
    };

    private static string RuleOf(Prosecution.Contracts.TaskKind kind) => kind switch
    {
        Prosecution.Contracts.TaskKind.OutcomeReview => "R9",
        Prosecution.Contracts.TaskKind.CooperationPermitStillNeeded => "§4.4",
        _ => "CoE Art. 26",
    };
}
