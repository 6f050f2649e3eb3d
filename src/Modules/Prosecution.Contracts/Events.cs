using Referral.BuildingBlocks.Contracts;

namespace Referral.Modules.Prosecution.Contracts;

// Investigation-stream events (one stream per preliminary investigation) and case-stream events (appended to every
// linked case in the same transaction). No personal data: defendants are pseudonymous references, never names.

/// <summary>One defendant and the offences charged. <c>DefendantRef</c> is a pseudonymous code, never a name.</summary>
public sealed record Defendant(string DefendantRef, IReadOnlyList<OffenceClassification> Offences);

/// <summary>The outcome for one defendant.</summary>
public sealed record DefendantOutcome(string DefendantRef, Verdict Verdict, OffenceClassification? Offence, int? SentenceMonths);

/// <summary>
/// A police report (polisanmälan) was filed; the investigation stream begins. Filed by police or prosecution, or by a
/// reporting party (<c>ReportingPartyType</c>: social services, Migrationsverket, an NGO) naming the police organisation
/// that received it (<c>ReceivingPoliceOrgId</c>, which then takes part). Both are null on a report the police filed.
/// </summary>
public sealed record PoliceReportFiled(
    Guid InvestigationId,
    string ReportRef,
    IReadOnlyList<OffenceClassification> SuspectedOffences,
    DateTimeOffset ReportedAt,
    InvestigationStatus Status,
    OrgType? ReportingPartyType = null,
    string? ReceivingPoliceOrgId = null);

/// <summary>The preliminary investigation (förundersökning) was opened; the investigation leader is named by user id and organisation.</summary>
public sealed record PreliminaryInvestigationOpened(Guid InvestigationId, InvestigationLeaderRole LeaderRole, string LeaderOrgId, string LeaderUserId, DateTimeOffset OpenedAt, InvestigationStatus Status);

/// <summary>Investigative measures are under way.</summary>
public sealed record InvestigativeMeasuresStarted(Guid InvestigationId, DateTimeOffset StartedAt, InvestigationStatus Status);

/// <summary>A case was linked to the investigation (investigation stream).</summary>
public sealed record CaseLinkedToInvestigation(Guid InvestigationId, Guid CaseId, ParticipationRole Role, DateTimeOffset LinkedAt);

/// <summary>The investigation was closed without prosecution (nedlagd). Never changes presumed-victim status (R9).</summary>
public sealed record PreliminaryInvestigationClosed(Guid InvestigationId, ClosureGround Ground, DateTimeOffset ClosedAt, InvestigationStatus Status);

/// <summary>Indictment (åtal) with defendants and offences.</summary>
public sealed record Indicted(Guid InvestigationId, IReadOnlyList<Defendant> Defendants, DateTimeOffset IndictedAt, InvestigationStatus Status);

/// <summary>The main hearing (huvudförhandling) was scheduled.</summary>
public sealed record TrialScheduled(Guid InvestigationId, string CourtOrgId, DateOnly HearingDate, InvestigationStatus Status);

/// <summary>A court delivered a judgment (first instance or appeal), per defendant.</summary>
public sealed record JudgmentDelivered(Guid InvestigationId, string CourtOrgId, bool AppealCourt, IReadOnlyList<DefendantOutcome> Outcomes, bool DamagesAwarded, DateOnly JudgmentDate, InvestigationStatus Status);

/// <summary>The first-instance judgment was appealed.</summary>
public sealed record JudgmentAppealed(Guid InvestigationId, AppealedBy AppealedBy, DateTimeOffset AppealedAt, InvestigationStatus Status);

/// <summary>The judgment became final (laga kraft).</summary>
public sealed record JudgmentFinal(Guid InvestigationId, DateOnly FinalOn, InvestigationStatus Status);

/// <summary>An organisation taking part in the investigation referred it to another police or prosecution organisation (or a court), which then takes part.</summary>
public sealed record InvestigationReferred(Guid InvestigationId, OrganisationRef Organisation, DateTimeOffset ReferredAt);

/// <summary>Case stream: the case takes part in an investigation. <c>ReportRef</c> is the police report number.</summary>
/// <param name="InvestigationOrganisations">The organisations taking part in the investigation (filing, leading, prosecuting, trying it): they take part in the case from now on.</param>
public sealed record LinkedToInvestigation(
    Guid CaseId,
    Guid InvestigationId,
    string ReportRef,
    ParticipationRole Role,
    InvestigationStatus InvestigationStatus,
    DateTimeOffset LinkedAt,
    IReadOnlyList<OrganisationRef>? InvestigationOrganisations = null) : IAdmitsParticipants
{
    public IEnumerable<Admission> Admits() =>
        (InvestigationOrganisations ?? []).Select(o => new Admission(o.OrgId, o.OrgType, ParticipationRoute.InvestigationLinked));
}

/// <summary>Case stream: an organisation joined an investigation the case takes part in (a new leader, the court trying it), and so the case.</summary>
public sealed record InvestigationOrganisationAdmitted(Guid CaseId, Guid InvestigationId, OrganisationRef Organisation, DateTimeOffset AdmittedAt) : IAdmitsParticipants
{
    public IEnumerable<Admission> Admits() => [new(Organisation.OrgId, Organisation.OrgType, ParticipationRoute.InvestigationLinked)];
}

/// <summary>
/// Case stream: the investigation this case takes part in moved on (closed, indicted, trial, judgment, appeal, final).
/// <c>AnyAcquittal</c> and <c>AnyConviction</c> summarise a judgment; the case's own steps decide nothing from it (R9, R10).
/// </summary>
public sealed record InvestigationOutcomeRecorded(Guid CaseId, Guid InvestigationId, InvestigationStatus InvestigationStatus, bool AnyConviction, bool AnyAcquittal, DateTimeOffset RecordedAt);

/// <summary>Case stream: the victim was interviewed (förhör); whether an interpreter and counsel were present.</summary>
public sealed record VictimInterviewed(Guid CaseId, Guid InvestigationId, bool InterpreterPresent, bool CounselPresent, DateTimeOffset InterviewedAt, ParticipationStatus Status);

/// <summary>Case stream: counsel for the injured party (målsägandebiträde) was requested from the court.</summary>
public sealed record CounselRequested(Guid CaseId, Guid InvestigationId, DateTimeOffset RequestedAt, ParticipationStatus Status);

/// <summary>Case stream: the court appointed counsel (målsägandebiträde).</summary>
public sealed record CounselAppointed(Guid CaseId, Guid InvestigationId, string CourtOrgId, DateTimeOffset AppointedAt, ParticipationStatus Status);

/// <summary>Case stream: the court appointed a special representative for a child (särskild företrädare, lag 1999:997).</summary>
public sealed record SpecialRepresentativeAppointed(Guid CaseId, Guid InvestigationId, string CourtOrgId, DateTimeOffset AppointedAt);

/// <summary>Case stream: how the person was heard at trial.</summary>
public sealed record TestimonyRecorded(Guid CaseId, Guid InvestigationId, Testimony Testimony, DateTimeOffset RecordedAt, ParticipationStatus Status);

/// <summary>Case stream: a task for other organisations (R9 review, permit still needed?, non-punishment).</summary>
public sealed record ProsecutionTaskRaised(Guid CaseId, Guid TaskId, TaskKind Kind, Guid InvestigationId, IReadOnlyList<OrgType> ForOrgTypes, DateTimeOffset RaisedAt);

/// <summary>Case stream: a task was completed. <c>Note</c>: no identifying details.</summary>
public sealed record ProsecutionTaskCompleted(Guid CaseId, Guid TaskId, string? Note, DateTimeOffset CompletedAt);

/// <summary>The stored names of the step's events. Never rename one.</summary>
public static class ProsecutionEventAliases
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(PoliceReportFiled)] = "prosecution.police_report_filed",
        [typeof(PreliminaryInvestigationOpened)] = "prosecution.investigation_opened",
        [typeof(InvestigativeMeasuresStarted)] = "prosecution.investigative_measures_started",
        [typeof(CaseLinkedToInvestigation)] = "prosecution.case_linked_to_investigation",
        [typeof(PreliminaryInvestigationClosed)] = "prosecution.investigation_closed",
        [typeof(Indicted)] = "prosecution.indicted",
        [typeof(TrialScheduled)] = "prosecution.trial_scheduled",
        [typeof(JudgmentDelivered)] = "prosecution.judgment_delivered",
        [typeof(JudgmentAppealed)] = "prosecution.judgment_appealed",
        [typeof(JudgmentFinal)] = "prosecution.judgment_final",
        [typeof(LinkedToInvestigation)] = "prosecution.linked_to_investigation",
        [typeof(InvestigationReferred)] = "prosecution.investigation_referred",
        [typeof(InvestigationOrganisationAdmitted)] = "prosecution.investigation_organisation_admitted",
        [typeof(InvestigationOutcomeRecorded)] = "prosecution.investigation_outcome_recorded",
        [typeof(VictimInterviewed)] = "prosecution.victim_interviewed",
        [typeof(CounselRequested)] = "prosecution.counsel_requested",
        [typeof(CounselAppointed)] = "prosecution.counsel_appointed",
        [typeof(SpecialRepresentativeAppointed)] = "prosecution.special_representative_appointed",
        [typeof(TestimonyRecorded)] = "prosecution.testimony_recorded",
        [typeof(ProsecutionTaskRaised)] = "prosecution.task_raised",
        [typeof(ProsecutionTaskCompleted)] = "prosecution.task_completed",
    };
}

/// <summary>An investigation as other modules may see it.</summary>
public sealed record InvestigationSummary(Guid InvestigationId, string ReportRef, InvestigationStatus Status, bool IsOpen);

/// <summary>
/// The one question other modules may ask the prosecution step directly: is investigation X open, and how is case Y
/// linked? (Most modules need less: they apply the case-stream events above.)
/// </summary>
public interface IInvestigationLookup
{
    Task<InvestigationSummary?> FindAsync(Guid investigationId, CancellationToken ct);

    /// <summary>The role of <paramref name="caseId"/> in open investigations (empty when it takes part in none).</summary>
    Task<IReadOnlyList<(InvestigationSummary Investigation, ParticipationRole Role)>> OpenLinksOfCaseAsync(Guid caseId, CancellationToken ct);
}
