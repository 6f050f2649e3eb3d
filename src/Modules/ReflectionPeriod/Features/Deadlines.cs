using System.Xml;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Deadlines;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.ReflectionPeriod.Domain;

namespace Referral.Modules.ReflectionPeriod.Features;

/// <summary>Permit deadlines of the cases the caller takes part in (auditors: all), due within a window (ISO 8601 duration, e.g. P14D).</summary>
/// <param name="Within">How far ahead, e.g. P14D; passed deadlines still open are included.</param>
[AnyOrganisation]
public sealed record ListDeadlines(string Within) : IQuery<DeadlineList>;

/// <summary>Deadlines in time order.</summary>
public sealed record DeadlineList(DateTimeOffset Until, IReadOnlyList<Deadline> Items);

public sealed class ListDeadlinesValidator : AbstractValidator<ListDeadlines>
{
    public ListDeadlinesValidator() =>
        RuleFor(x => x.Within).MaximumLength(20).Must(w => ParseWindow(w) is { } span && span > TimeSpan.Zero && span <= TimeSpan.FromDays(366))
            .WithMessage("'Within' must be an ISO 8601 duration from PT1H to P366D, e.g. P14D.");

    public static TimeSpan? ParseWindow(string? within)
    {
        try
        {
            return within is null ? null : XmlConvert.ToTimeSpan(within);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

public sealed class ListDeadlinesHandler(
    IQuerySession session, ICurrentActor current, ICaseAccess access, IOptions<ReflectionPeriodOptions> options, TimeProvider clock)
    : IQueryHandler<ListDeadlines, DeadlineList>
{
    public async ValueTask<DeadlineList> Handle(ListDeadlines query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + ListDeadlinesValidator.ParseWindow(query.Within)!.Value;
        var reminderLead = TimeSpan.FromDays(options.Value.ReflectionReminders.Concat(options.Value.CooperationReminders).DefaultIfEmpty(0).Max());
        var horizon = until + reminderLead;
        var candidates = await session.Query<ResidencePermitState>()
            .Where(x => (x.Reflection.DecisionDueAt <= until && x.Reflection.Status == ReflectionStatus.ApplicationSubmitted)
                || (x.Reflection.ExpiresAt <= horizon && (x.Reflection.Status == ReflectionStatus.Active
                    || x.Reflection.Status == ReflectionStatus.ExtensionRequested || x.Reflection.Status == ReflectionStatus.SuspendedPersonMissing))
                || (x.Cooperation.DecisionDueAt <= until && x.Cooperation.Status == CooperationPermitStatus.ApplicationSubmitted)
                || (x.Cooperation.ExpiresAt <= horizon && (x.Cooperation.Status == CooperationPermitStatus.Active
                    || x.Cooperation.Status == CooperationPermitStatus.RenewalRequested || x.Cooperation.Status == CooperationPermitStatus.RevocationProposed)))
            .ToListAsync(cancellationToken);
        var readable = await access.ReadableAsync(session, candidates.Select(c => c.Id).ToList(), current.Actor, cancellationToken);
        var items = candidates.Where(c => readable.Contains(c.Id))
            .SelectMany(c => ResidencePermitView.DeadlinesOf(c, options.Value, now))
            .Where(d => d.At <= until && (!d.Passed || d.Kind != DeadlineKind.ExpiryReminder))
            .OrderBy(d => d.At)
            .Take(ApiLimits.MaxAnswerItems)
            .ToList();
        return new DeadlineList(until, items);
    }
}

/// <summary>
/// Appends the expiry of a reflection period or cooperation permit when its last day has passed (R6: expiry is a timer,
/// not a computation). Runs in the shared deadline service; at most once per permit, however many instances run.
/// </summary>
public sealed class PermitExpiry(IOptions<ReflectionPeriodOptions> options) : IDeadlineSource
{
    private const string Reflection = "ReflectionPeriodExpiry";
    private const string Cooperation = "CooperationPermitExpiry";
    private static readonly Actor System = new(DeadlineService.SystemActor, DeadlineService.SystemActor, OrgType.Other, null);

    public string Name => "PermitExpiry";

    public async Task<IReadOnlyList<DueDeadline>> FindDueAsync(IQuerySession session, DateTimeOffset now, CancellationToken ct)
    {
        var due = await session.Query<ResidencePermitState>()
            .Where(x => (x.Reflection.ExpiresAt <= now && (x.Reflection.Status == ReflectionStatus.Active
                    || x.Reflection.Status == ReflectionStatus.ExtensionRequested || x.Reflection.Status == ReflectionStatus.SuspendedPersonMissing))
                || (x.Cooperation.ExpiresAt <= now && (x.Cooperation.Status == CooperationPermitStatus.Active
                    || x.Cooperation.Status == CooperationPermitStatus.RenewalRequested || x.Cooperation.Status == CooperationPermitStatus.RevocationProposed)))
            .ToListAsync(ct);
        return due.Select(s => new DueDeadline(s.Id, s.Version, s.Reflection.ExpiresAt <= now && s.Reflection.Status
                is ReflectionStatus.Active or ReflectionStatus.ExtensionRequested or ReflectionStatus.SuspendedPersonMissing ? Reflection : Cooperation))
            .ToList();
    }

    public Task FireAsync(IDocumentSession session, DueDeadline deadline, DateTimeOffset now, CancellationToken ct) =>
        session.DecideAsync<ResidencePermitState>(deadline.CaseId, deadline.Version,
            s => ResidencePermitCommandHandler.Decide(s, System, deadline.Kind == Reflection ? new ExpireReflectionPeriod() : new ExpireCooperationPermit(), options.Value, now),
            ct);
}
