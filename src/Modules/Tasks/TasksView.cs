using FluentValidation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;

namespace Referral.Modules.Tasks;

/// <summary>One task of the caller's organisation. Ids and types only — never personal data.</summary>
/// <param name="TaskId">The task (stable).</param>
/// <param name="Kind">What must be done.</param>
/// <param name="Rule">The manual's section or rule that raised it.</param>
/// <param name="Status">Open, overdue, done or cancelled.</param>
/// <param name="CaseId">The case (absent for a claim's task).</param>
/// <param name="ClaimId">The reimbursement claim (a claim's task only).</param>
/// <param name="InvestigationId">The investigation it concerns, when it does.</param>
/// <param name="AddresseeType">The organisation type addressed.</param>
/// <param name="AddresseeOrgId">The one organisation addressed; absent when every organisation of the type on the case is.</param>
/// <param name="RaisedAt">When it was raised (a reminder's date for a task raised ahead).</param>
/// <param name="RemindAt">Further reminders before the due time.</param>
/// <param name="DueAt">When it is due.</param>
/// <param name="Urgent">To be acted on at once.</param>
/// <param name="ClosedAt">When it was closed.</param>
/// <param name="ClosedBy">The event that closed it.</param>
public sealed record TaskView(
    Guid TaskId,
    WorkTaskKind Kind,
    string Rule,
    WorkTaskStatus Status,
    Guid? CaseId,
    Guid? ClaimId,
    Guid? InvestigationId,
    OrgType AddresseeType,
    string? AddresseeOrgId,
    DateTimeOffset RaisedAt,
    IReadOnlyList<DateTimeOffset> RemindAt,
    DateTimeOffset DueAt,
    bool Urgent,
    DateTimeOffset? ClosedAt,
    string? ClosedBy)
{
    public static TaskView From(TasksState on, WorkTask t, DateTimeOffset now) => new(
        t.TaskId, t.Kind, t.Rule, t.StatusAt(now), on.OnClaim ? null : on.Id, on.OnClaim ? on.Id : null, t.InvestigationId, t.AddresseeType, t.AddresseeOrgId, t.RaisedAt, t.RemindAt, t.DueAt, t.Urgent, t.ClosedAt, t.ClosedBy);
}

/// <summary>A page of tasks.</summary>
public sealed record TaskList(IReadOnlyList<TaskView> Items, int Page, int PageSize, long TotalItems, long TotalPages);

/// <summary>
/// The caller's organisation's tasks on cases it takes part in (need-to-know) and on its own reimbursement claims, due first. Without a status: the work
/// queue (open and overdue). Tasks raised ahead (reminders) appear from their date.
/// </summary>
[AnyOrganisation]
public sealed record ListTasks(
    WorkTaskStatus? Status,
    DateTimeOffset? DueAfter,
    DateTimeOffset? DueBefore,
    Guid? CaseId,
    Guid? ClaimId,
    WorkTaskKind? Kind,
    int Page = 1,
    int PageSize = 50) : IQuery<TaskList>;

public sealed class ListTasksValidator : AbstractValidator<ListTasks>
{
    public ListTasksValidator()
    {
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.Page).InclusiveBetween(1, Rules.MaxPage);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 200);
        RuleFor(x => x.DueBefore).GreaterThanOrEqualTo(x => x.DueAfter).When(x => x.DueAfter is not null && x.DueBefore is not null);
    }
}

public sealed class TasksReader(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock) : IQueryHandler<ListTasks, TaskList>
{
    public async ValueTask<TaskList> Handle(ListTasks q, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var mine = TasksState.OrgKey(actor.OrgId);
        var myType = TasksState.TypeKey(actor.OrgType);
        var queue = q.Status is null or WorkTaskStatus.Open or WorkTaskStatus.Overdue;

        IQueryable<TasksState> query = session.Query<TasksState>();
        query = queue
            ? query.Where(x => x.OpenFor.Contains(mine) || x.OpenFor.Contains(myType))
            : query.Where(x => x.Addressees.Contains(mine) || x.Addressees.Contains(myType));
        if (q.CaseId is { } caseId)
        {
            query = query.Where(x => x.Id == caseId && !x.OnClaim);
        }

        if (q.ClaimId is { } claimId)
        {
            query = query.Where(x => x.Id == claimId && x.OnClaim);
        }

        var cases = await query.ToListAsync(ct);
        // Need-to-know: a task addressed to a type reaches only organisations of that type taking part in the case; a claim's
        // task is addressed to its claimant by id, and only the claimant's own key matches it.
        var readable = await access.ReadableAsync(session, cases.Where(c => !c.OnClaim).Select(c => c.Id).ToList(), actor, ct);
        var tasks = cases.Where(c => c.OnClaim || readable.Contains(c.Id))
            .SelectMany(c => c.Tasks.Where(t => t.AddresseeKey == mine || (!c.OnClaim && t.AddresseeKey == myType)).Select(t => TaskView.From(c, t, now)))
            .Where(t => q.Status is { } status ? t.Status == status : t.Status is WorkTaskStatus.Open or WorkTaskStatus.Overdue)
            .Where(t => t.RaisedAt <= now || t.ClosedAt is not null) // raised ahead: in the queue from its date; once closed, in the history
            .Where(t => q.Kind is not { } kind || t.Kind == kind)
            .Where(t => q.DueAfter is not { } after || t.DueAt >= after)
            .Where(t => q.DueBefore is not { } before || t.DueAt <= before)
            .OrderBy(t => t.DueAt).ThenBy(t => t.TaskId)
            .ToList();
        return new TaskList(
            tasks.Skip((q.Page - 1) * q.PageSize).Take(q.PageSize).ToList(),
            q.Page,
            q.PageSize,
            tasks.Count,
            (tasks.Count + q.PageSize - 1) / q.PageSize);
    }
}
