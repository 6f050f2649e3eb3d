using Marten.Schema;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;

namespace Referral.Modules.Tasks;

/// <summary>What a task asks of its addressee. Each kind is raised by one rule of the manual (docs/manual/tasks.md).</summary>
public enum WorkTaskKind
{
    /// <summary>§4.1: assess an adult's case (indicators, declaration or closure) within two working days of registration.</summary>
    AssessCase,
    /// <summary>§4.1: an NGO, health care or the Work Environment Authority recommends a declaration; social services or the coordinator decide.</summary>
    ConsiderDeclaration,
    /// <summary>§4.3: Migrationsverket decides a reflection-period application (a couple of working days).</summary>
    DecideReflectionApplication,
    /// <summary>§4.3: the reflection period ends soon — what next (cooperation permit, return, other permit, nothing)?</summary>
    PlanAfterReflectionPeriod,
    /// <summary>§4.4: Migrationsverket decides a cooperation-permit application.</summary>
    DecideCooperationPermitApplication,
    /// <summary>§4.4: the cooperation permit ends soon — request a renewal or let it end.</summary>
    ConsiderCooperationPermitRenewal,
    /// <summary>R12: a person holding a cooperation permit is missing — is the permit still to run (revocation)?</summary>
    ReviewCooperationPermitPersonMissing,
    /// <summary>R5: a revocation of the cooperation permit is proposed; Migrationsverket decides.</summary>
    DecideCooperationPermitRevocation,
    /// <summary>R9: an investigation closed or ended in acquittal; identification and support are reviewed, never closed by it.</summary>
    ReviewCriminalOutcome,
    /// <summary>§4.4: the judgment is final (or the investigation closed) — is the cooperation permit still needed?</summary>
    CooperationPermitStillNeeded,
    /// <summary>CoE Art. 26: a victim is also a suspect — the prosecutor considers non-punishment.</summary>
    AssessNonPunishment,
    /// <summary>§4.8: a child's concern report — social services assess the need of protection by the end of the next day.</summary>
    AssessChildProtection,
    /// <summary>§4.8, R12: a child is missing — police and social services act at once.</summary>
    LocateMissingChild,
    /// <summary>R8: an approved return of an injured party or witness in an open investigation — the investigation leader acknowledges.</summary>
    AcknowledgeReturn,
    /// <summary>§4.8 (SoL 14 kap. 1 §): a child's case — the authorities on it report a concern to social services by the end of the next day.</summary>
    ReportConcern,
    /// <summary>R13: no social services took part in a child's case in time (escalated) — the reporter and the coordinator bring them in.</summary>
    LinkSocialServices,
    /// <summary>§4.8: a guardian (god man) is requested for a separated child — social services and Migrationsverket see it appointed.</summary>
    AppointGuardian,
    /// <summary>§4.8: a special representative (särskild företrädare) is requested — the court appoints.</summary>
    AppointSpecialRepresentative,
    /// <summary>§4.2: a risk assessment is due for review on its review date.</summary>
    ReviewRiskAssessment,
    /// <summary>R5: a condition of the cooperation permit was reported no longer met — the leader and Migrationsverket consider proposing revocation.</summary>
    ConsiderCooperationPermitRevocation,
    /// <summary>§4.7 (R16): a drafted reimbursement claim (återsökning) must be submitted by its deadline; warned at −30 and −7 days.</summary>
    SubmitClaim,
}

/// <summary>Where a task stands. <c>Overdue</c> is an open task past its due time (computed when read).</summary>
public enum WorkTaskStatus { Open, Overdue, Done, Cancelled }

/// <summary>
/// One duty on one organisation: an organisation by id, or every organisation of a type that takes part in the case
/// (a role on the case). Ids and types only — never personal data.
/// </summary>
/// <param name="TaskId">Stable id (the same rule on the same case and addressee always gives the same id).</param>
/// <param name="Kind">What must be done.</param>
/// <param name="Rule">The manual's section or rule that raised it (e.g. <c>§4.3</c>, <c>R12</c>).</param>
/// <param name="Key">What the rule raised it for on the case (an application, a permit, a report), so it can be raised again or closed.</param>
/// <param name="AddresseeType">The organisation type addressed.</param>
/// <param name="AddresseeOrgId">The one organisation addressed, or null for every organisation of the type on the case.</param>
/// <param name="RaisedAt">When the task becomes visible (a reminder's first date for tasks raised ahead).</param>
/// <param name="RemindAt">Further reminders before the due time.</param>
/// <param name="DueAt">When it is due; open after this it is overdue.</param>
/// <param name="Urgent">To be acted on at once (a missing child).</param>
/// <param name="InvestigationId">The investigation the duty concerns, when it does.</param>
/// <param name="ClosedAt">When the fulfilling (or cancelling) event was recorded.</param>
/// <param name="ClosedBy">The event type that closed it.</param>
/// <param name="Done">Closed by the command that fulfils it (false: cancelled because it became moot).</param>
public sealed record WorkTask(
    Guid TaskId,
    WorkTaskKind Kind,
    string Rule,
    string Key,
    OrgType AddresseeType,
    string? AddresseeOrgId,
    DateTimeOffset RaisedAt,
    IReadOnlyList<DateTimeOffset> RemindAt,
    DateTimeOffset DueAt,
    bool Urgent,
    Guid? InvestigationId = null,
    DateTimeOffset? ClosedAt = null,
    string? ClosedBy = null,
    bool Done = false)
{
    public bool IsOpen => ClosedAt is null;

    /// <summary>The status at <paramref name="now"/>.</summary>
    public WorkTaskStatus StatusAt(DateTimeOffset now) =>
        ClosedAt is not null ? (Done ? WorkTaskStatus.Done : WorkTaskStatus.Cancelled)
        : now > DueAt ? WorkTaskStatus.Overdue : WorkTaskStatus.Open;

    /// <summary>The keys a reader's organisation matches (<see cref="TasksState.Addressees"/>).</summary>
    public string AddresseeKey => AddresseeOrgId is { } org ? TasksState.OrgKey(org) : TasksState.TypeKey(AddresseeType);
}

/// <summary>An investigation the case takes part in, as the tasks need it (R8): the role, whether open, its leading organisations.</summary>
public sealed record CaseInvestigation(Guid InvestigationId, bool Witness, bool Open, IReadOnlyList<OrganisationRef> Leaders);

/// <summary>
/// The tasks of one case, folded inline from the case stream's public events of every step (never by a module calling
/// another): a rule raises a task when its event is recorded and closes it when the fulfilling event is. The fold is pure
/// (times come from the events and the Swedish working-day calendar), so replaying the stream gives the same tasks.
/// </summary>
[DocumentAlias("case_tasks")]
public sealed record TasksState
{
    /// <summary>The stream: a case, or a reimbursement claim (<see cref="OnClaim"/>).</summary>
    public Guid Id { get; init; }

    public long Version { get; init; }

    /// <summary>
    /// The tasks of a reimbursement claim (its own stream, §4.7), not of a case: addressed only to the claimant by id, and
    /// readable by it alone (the claims' need-to-know).
    /// </summary>
    public bool OnClaim { get; init; }

    public IReadOnlyList<WorkTask> Tasks { get; init; } = [];

    /// <summary>Every addressee key of the case's tasks ("org:…", "type:…"): the list query's index.</summary>
    public IReadOnlyList<string> Addressees { get; init; } = [];

    /// <summary>The addressee keys of the open tasks: the work queue's index.</summary>
    public IReadOnlyList<string> OpenFor { get; init; } = [];

    // What the rules need to know about the case, from the events (ids and flags only).
    public string? ReporterOrgId { get; init; }

    public OrgType ReporterOrgType { get; init; }

    public bool IsChild { get; init; }

    public string? ReflectionApplicantOrgId { get; init; }

    public OrgType ReflectionApplicantType { get; init; }

    public string? CooperationApplicantOrgId { get; init; }

    /// <summary>The investigation leader's type (police or prosecution) that applied for the cooperation permit.</summary>
    public OrgType CooperationApplicantType { get; init; }

    public bool CooperationPermitRunning { get; init; }

    /// <summary>R8: an approved voluntary return awaits departure.</summary>
    public DateTimeOffset? ReturnApprovedAt { get; init; }

    /// <summary>R8: the investigations the case takes part in, with their leading organisations (police or prosecution).</summary>
    public IReadOnlyList<CaseInvestigation> Investigations { get; init; } = [];

    public static string OrgKey(string orgId) => "org:" + orgId;

    public static string TypeKey(OrgType type) => "type:" + type;

    public static TasksState? Fold(TasksState? state, object data, EventInfo info, TasksRules rules)
    {
        var next = rules.Apply(state, data, info);
        return next is null ? null : next with
        {
            Version = info.Version,
            Addressees = next.Tasks.Select(t => t.AddresseeKey).Distinct().ToList(),
            OpenFor = next.Tasks.Where(t => t.IsOpen).Select(t => t.AddresseeKey).Distinct().ToList(),
        };
    }

    /// <summary>Adds a task, or replaces the one with the same id (a rule raised again, e.g. with a new end date).</summary>
    public TasksState Raise(WorkTask task) =>
        this with { Tasks = Tasks.Where(t => t.TaskId != task.TaskId).Append(task).ToList() };

    /// <summary>Closes the open tasks of <paramref name="kinds"/> (all their addressees), as done or cancelled.</summary>
    public TasksState Close(DateTimeOffset at, object by, bool done, params WorkTaskKind[] kinds) => Close(at, by, done, t => kinds.Contains(t.Kind));

    public TasksState Close(DateTimeOffset at, object by, bool done, Func<WorkTask, bool> which) =>
        this with { Tasks = Tasks.Select(t => t.IsOpen && which(t) ? t with { ClosedAt = at, ClosedBy = by.GetType().Name, Done = done } : t).ToList() };
}
