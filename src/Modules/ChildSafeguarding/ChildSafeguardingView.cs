using JasperFx.Events;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Deadlines;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.ChildSafeguarding.Contracts;

namespace Referral.Modules.ChildSafeguarding;

/// <summary>An open duty of the overlay and who holds it.</summary>
public enum ChildTaskKind { ReportConcern, AssessProtection, TakePartAsSocialServices, AppointGuardian, AppointSpecialRepresentative, LocateMissingChild }

/// <summary>An open duty: the organisation types that hold it, when it is due, and whether it is urgent (overdue, escalated or a missing child).</summary>
public sealed record ChildTask(ChildTaskKind Kind, IReadOnlyList<OrgType> For, DateTimeOffset? DueAt, bool Urgent);

/// <summary>The child-safeguarding overlay of a case with its open duties and the caller's allowed actions. No personal data.</summary>
public sealed record ChildSafeguardingView(
    Guid CaseId,
    long Version,
    ChildOverlayStatus Status,
    DateTimeOffset? AppliesSince,
    bool SocialServicesTakePart,
    DateTimeOffset? SocialServicesDueAt,
    string? ConcernReportedTo,
    DateTimeOffset? ConcernReportedAt,
    DateTimeOffset? ProtectionAssessmentDueAt,
    DateTimeOffset? ProtectionAssessedAt,
    bool? ImmediateProtectionNeeded,
    IReadOnlyList<DecidedMeasure> Measures,
    RepresentationStatus Guardian,
    DateOnly? GuardianAppointedOn,
    RepresentationStatus SpecialRepresentative,
    bool Missing,
    DateTimeOffset? MissingSince,
    IReadOnlyList<ChildEscalationReason> Escalations,
    ChildOverlayCloseReason? CloseReason,
    IReadOnlyList<ChildTask> Tasks,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public const string Step = "child-safeguarding";

    private static readonly OrgType[] Reporters = [OrgType.Police, OrgType.SocialServices, OrgType.HealthCare, OrgType.MigrationAgency];

    public static ChildSafeguardingView From(ChildSafeguardingState s, Actor actor, DateTimeOffset now, ChildSafeguardingOptions options)
    {
        var socialServicesDue = s.Applies && !s.SocialServicesTakePart ? ChildSafeguardingWorkflow.SocialServicesDueAt(s, options) : null;
        return new(
            s.Id, s.Version, s.Status, s.AppliesSince, s.SocialServicesTakePart, socialServicesDue, s.ConcernReportedTo, s.ConcernReportedAt,
            s.ProtectionAssessmentDueAt, s.ProtectionAssessedAt, s.ImmediateProtectionNeeded, s.Measures, s.Guardian, s.GuardianAppointedOn,
            s.SpecialRepresentative, s.Missing, s.MissingSince,
            [.. new[] { (s.EscalatedSocialServicesNotLinked, ChildEscalationReason.SocialServicesNotLinked), (s.EscalatedProtectionAssessmentOverdue, ChildEscalationReason.ProtectionAssessmentOverdue) }
                .Where(e => e.Item1).Select(e => e.Item2)],
            s.CloseReason,
            s.IsOpen ? TasksOf(s, now, socialServicesDue) : [],
            ChildSafeguardingWorkflow.For(s, actor, now, options).Once(w => w.AllowedActionNames()).Select(a => AllowedAction.For(s.Id, Step, a)).ToList());
    }

    private static List<ChildTask> TasksOf(ChildSafeguardingState s, DateTimeOffset now, DateTimeOffset? socialServicesDue)
    {
        var tasks = new List<ChildTask>();
        if (s.Missing)
        {
            tasks.Add(new ChildTask(ChildTaskKind.LocateMissingChild, [OrgType.Police, OrgType.SocialServices], s.MissingSince, true));
        }

        if (s.Status == ChildOverlayStatus.ConcernReportRequired)
        {
            tasks.Add(new ChildTask(ChildTaskKind.ReportConcern, Reporters, null, false));
        }

        if (s.Status == ChildOverlayStatus.ConcernReported)
        {
            tasks.Add(new ChildTask(ChildTaskKind.AssessProtection, [OrgType.SocialServices], s.ProtectionAssessmentDueAt, now >= s.ProtectionAssessmentDueAt));
        }

        if (socialServicesDue is { } due)
        {
            tasks.Add(new ChildTask(ChildTaskKind.TakePartAsSocialServices, [OrgType.SocialServices], due, now >= due));
        }

        if (s.Guardian == RepresentationStatus.Requested)
        {
            tasks.Add(new ChildTask(ChildTaskKind.AppointGuardian, [OrgType.SocialServices, OrgType.MigrationAgency], null, false));
        }

        if (s.SpecialRepresentative == RepresentationStatus.Requested)
        {
            tasks.Add(new ChildTask(ChildTaskKind.AppointSpecialRepresentative, [OrgType.Court], null, false));
        }

        return tasks;
    }
}

/// <summary>The child-safeguarding overlay of one case (status NotApplicable for an adult's case).</summary>
[AnyOrganisation]
public sealed record GetChildSafeguarding(Guid CaseId) : IQuery<ChildSafeguardingView>;

public sealed class ChildSafeguardingReader(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock, IOptions<ChildSafeguardingOptions> options)
    : StepReader<ChildSafeguardingState, ChildSafeguardingView>(session, current, access, clock), IQueryHandler<GetChildSafeguarding, ChildSafeguardingView>
{
    public override string Step => ChildSafeguardingView.Step;

    public ValueTask<ChildSafeguardingView> Handle(GetChildSafeguarding query, CancellationToken cancellationToken) => ReadAsync(query.CaseId, cancellationToken);

    protected override ChildSafeguardingView View(ChildSafeguardingState state, Actor actor, DateTimeOffset now) => ChildSafeguardingView.From(state, actor, now, options.Value);

    protected override ChildSafeguardingState? Fold(ChildSafeguardingState? state, IEvent e) => ChildSafeguardingState.Fold(state, e.Data, e.Info());
}

/// <summary>
/// The overlay's timers (R13), run by the shared deadline service: a child's case in which no social services take
/// part after 24 hours, and a protection assessment not recorded by the end of the day after the concern report, are
/// escalated once each.
/// </summary>
public sealed class ChildEscalations(IOptions<ChildSafeguardingOptions> options) : IDeadlineSource
{
    private static readonly Actor System = new(DeadlineService.SystemActor, DeadlineService.SystemActor, OrgType.Other, null);

    public string Name => "ChildEscalations";

    public async Task<IReadOnlyList<DueDeadline>> FindDueAsync(IQuerySession session, DateTimeOffset now, CancellationToken ct)
    {
        var linkedBy = now - options.Value.SocialServicesWithin;
        var due = await session.Query<ChildSafeguardingState>()
            .Where(x => x.Status != ChildOverlayStatus.NotApplicable && x.Status != ChildOverlayStatus.Closed
                && ((!x.SocialServicesTakePart && !x.EscalatedSocialServicesNotLinked && x.AppliesSince <= linkedBy)
                    || (x.Status == ChildOverlayStatus.ConcernReported && !x.EscalatedProtectionAssessmentOverdue && x.ProtectionAssessmentDueAt <= now)))
            .ToListAsync(ct);
        return due.Select(s => new DueDeadline(s.Id, s.Version,
                !s.SocialServicesTakePart && !s.EscalatedSocialServicesNotLinked && s.AppliesSince <= linkedBy
                    ? nameof(ChildEscalationReason.SocialServicesNotLinked)
                    : nameof(ChildEscalationReason.ProtectionAssessmentOverdue)))
            .ToList();
    }

    public Task FireAsync(IDocumentSession session, DueDeadline deadline, DateTimeOffset now, CancellationToken ct) =>
        session.DecideAsync<ChildSafeguardingState>(deadline.CaseId, deadline.Version,
            s => ChildSafeguardingWorkflow.For(s, System, now, options.Value).Once(w => w.Escalate(new Escalate(Enum.Parse<ChildEscalationReason>(deadline.Kind)))), ct);
}
