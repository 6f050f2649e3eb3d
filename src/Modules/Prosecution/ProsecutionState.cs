using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>A case linked to an investigation, as the investigation sees it.</summary>
public sealed record InvestigationLink(Guid CaseId, ParticipationRole Role);

/// <summary>
/// One preliminary investigation (förundersökning) — its own stream, with many linked cases (a 2023 labour case had
/// about 40 victims). Projected inline from the investigation stream.
/// </summary>
public sealed record InvestigationState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public string ReportRef { get; init; } = "";
    public IReadOnlyList<OffenceClassification> SuspectedOffences { get; init; } = [];
    public InvestigationStatus Status { get; init; }
    public InvestigationLeaderRole? LeaderRole { get; init; }
    public string? LeaderOrgId { get; init; }
    public string? LeaderUserId { get; init; }
    public IReadOnlyList<InvestigationLink> Links { get; init; } = [];
    public IReadOnlyList<Defendant> Defendants { get; init; } = [];
    public IReadOnlyList<DefendantOutcome> LatestOutcomes { get; init; } = [];
    public ClosureGround? ClosureGround { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset LastEventAt { get; init; }

    /// <summary>
    /// The organisations taking part in the investigation (its own need-to-know): the one that filed it, its leader, the
    /// organisations referred to it, the prosecutor who indicted and the court trying it. Only they act on it and read it
    /// (auditors read every investigation).
    /// </summary>
    public IReadOnlyList<OrganisationRef> Organisations { get; init; } = [];

    public bool TakesPart(string orgId) => Organisations.Any(o => o.OrgId == orgId);

    public bool IsOpen => Status is not (InvestigationStatus.ClosedNoProsecution or InvestigationStatus.Final);

    public static InvestigationState? Fold(InvestigationState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, PoliceReportFiled e) => new InvestigationState
            {
                Id = e.InvestigationId, ReportRef = e.ReportRef, SuspectedOffences = e.SuspectedOffences, Status = e.Status, ReportedAt = e.ReportedAt,
            },
            (null, _) => null,
            ({ } s, PreliminaryInvestigationOpened e) => s with { Status = e.Status, LeaderRole = e.LeaderRole, LeaderOrgId = e.LeaderOrgId, LeaderUserId = e.LeaderUserId },
            ({ } s, InvestigativeMeasuresStarted e) => s with { Status = e.Status },
            ({ } s, CaseLinkedToInvestigation e) => s with { Links = [.. s.Links, new InvestigationLink(e.CaseId, e.Role)] },
            ({ } s, PreliminaryInvestigationClosed e) => s with { Status = e.Status, ClosureGround = e.Ground },
            ({ } s, Indicted e) => s with { Status = e.Status, Defendants = e.Defendants },
            ({ } s, TrialScheduled e) => s with { Status = e.Status },
            ({ } s, JudgmentDelivered e) => s with { Status = e.Status, LatestOutcomes = e.Outcomes },
            ({ } s, JudgmentAppealed e) => s with { Status = e.Status },
            ({ } s, JudgmentFinal e) => s with { Status = e.Status },
            ({ } s, _) => s,
        };
        return next is null ? null : next with
        {
            Version = info.Version,
            LastEventAt = info.Timestamp,
            Organisations = [.. next.Organisations, .. Admitted(data, info).Where(o => !next.TakesPart(o.OrgId)).DistinctBy(o => o.OrgId)],
        };
    }

    /// <summary>
    /// The organisations an investigation event makes take part: acting alone admits no one, except filing and indicting.
    /// A report filed by a reporting party (social services, Migrationsverket, an NGO) admits the police organisation that
    /// received it, not the reporting party.
    /// </summary>
    private static IEnumerable<OrganisationRef> Admitted(object data, EventInfo info)
    {
        var actor = info is { OrgId: { } id, OrgType: { } type } ? new OrganisationRef(id, type) : null;
        return data switch
        {
            PoliceReportFiled { ReceivingPoliceOrgId: { } police } => [new(police, OrgType.Police)],
            PoliceReportFiled or Indicted when actor is not null => [actor],
            PreliminaryInvestigationOpened e => [new(e.LeaderOrgId, e.LeaderRole == InvestigationLeaderRole.Police ? OrgType.Police : OrgType.Prosecution)],
            InvestigationReferred e => [e.Organisation],
            TrialScheduled e => [new(e.CourtOrgId, OrgType.Court)],
            JudgmentDelivered e => [new(e.CourtOrgId, OrgType.Court)],
            _ => [],
        };
    }
}

/// <summary>A case's part in one investigation.</summary>
public sealed record Participation
{
    public Guid InvestigationId { get; init; }
    public string ReportRef { get; init; } = "";
    public ParticipationRole Role { get; init; }
    public ParticipationStatus Status { get; init; }
    public InvestigationStatus InvestigationStatus { get; init; }
    public bool Interviewed { get; init; }
    public bool CounselRequested { get; init; }
    public bool CounselAppointed { get; init; }
    public bool SpecialRepresentativeAppointed { get; init; }
    public Testimony? Testimony { get; init; }

    public bool InvestigationIsOpen => InvestigationStatus is not (InvestigationStatus.ClosedNoProsecution or InvestigationStatus.Final);
}

/// <summary>A task raised by the criminal track for other organisations.</summary>
public sealed record ProsecutionTask(Guid TaskId, TaskKind Kind, Guid InvestigationId, IReadOnlyList<OrgType> ForOrgTypes, DateTimeOffset RaisedAt, bool Completed);

/// <summary>
/// The prosecution step of one case: its participation in investigations, and the tasks the criminal track raised.
/// Projected inline from the case stream (including the suspicion step's events for the age category).
/// </summary>
public sealed record ProsecutionCaseState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public AgeCategory? AgeCategory { get; init; }
    public IReadOnlyList<Participation> Participations { get; init; } = [];
    public IReadOnlyList<ProsecutionTask> Tasks { get; init; } = [];

    public bool IsChild => AgeCategory is Suspicion.Contracts.AgeCategory.Child or Suspicion.Contracts.AgeCategory.AgeDisputedTreatedAsChild;

    public Participation? In(Guid investigationId) => Participations.FirstOrDefault(p => p.InvestigationId == investigationId);

    public static ProsecutionCaseState? Fold(ProsecutionCaseState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered e) => new ProsecutionCaseState { Id = e.CaseId, AgeCategory = e.AgeCategory },
            (null, _) => null,
            ({ } s, PresumedVictimDeclared e) => s with { AgeCategory = e.AgeCategory },
            ({ } s, PresumedVictimDeclarationCorrected e) => s with { AgeCategory = e.AgeCategory },
            ({ } s, LinkedToInvestigation e) => s with
            {
                Participations = [.. s.Participations, new Participation
                {
                    InvestigationId = e.InvestigationId, ReportRef = e.ReportRef, Role = e.Role, Status = ParticipationStatus.Linked, InvestigationStatus = e.InvestigationStatus,
                }],
            },
            ({ } s, InvestigationOutcomeRecorded e) => s.With(e.InvestigationId, p => p with { InvestigationStatus = e.InvestigationStatus }),
            ({ } s, VictimInterviewed e) => s.With(e.InvestigationId, p => p with { Status = e.Status, Interviewed = true }),
            ({ } s, CounselRequested e) => s.With(e.InvestigationId, p => p with { Status = e.Status, CounselRequested = true }),
            ({ } s, CounselAppointed e) => s.With(e.InvestigationId, p => p with { Status = e.Status, CounselAppointed = true }),
            ({ } s, SpecialRepresentativeAppointed e) => s.With(e.InvestigationId, p => p with { SpecialRepresentativeAppointed = true }),
            ({ } s, TestimonyRecorded e) => s.With(e.InvestigationId, p => p with { Status = e.Status, Testimony = e.Testimony }),
            ({ } s, ProsecutionTaskRaised e) => s with { Tasks = [.. s.Tasks, new ProsecutionTask(e.TaskId, e.Kind, e.InvestigationId, e.ForOrgTypes, e.RaisedAt, false)] },
            ({ } s, ProsecutionTaskCompleted e) => s with { Tasks = s.Tasks.Select(t => t.TaskId == e.TaskId ? t with { Completed = true } : t).ToList() },
            ({ } s, _) => s,
        };
        return next is null ? null : next with { Version = info.Version };
    }

    private ProsecutionCaseState With(Guid investigationId, Func<Participation, Participation> change) =>
        this with { Participations = Participations.Select(p => p.InvestigationId == investigationId ? change(p) : p).ToList() };
}
