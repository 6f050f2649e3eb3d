using System.Xml;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Deadlines;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>Which permit a deadline belongs to.</summary>
public enum PermitKind { ReflectionPeriod, CooperationPermit }

/// <summary>What falls due.</summary>
public enum DeadlineKind
{
    /// <summary>Migrationsverket's decision is due (overdue after this).</summary>
    DecisionDue,
    /// <summary>A reminder before the permit's last day: what next (cooperation permit, return, other permit)?</summary>
    ExpiryReminder,
    /// <summary>The permit ends.</summary>
    Expiry,
}

/// <summary>A deadline of a case's permit.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Permit">Reflection period or cooperation permit.</param>
/// <param name="Kind">Decision due, reminder, or expiry.</param>
/// <param name="At">When it falls due.</param>
/// <param name="Passed">Whether it has passed (an overdue decision, or an expiry not yet recorded).</param>
public sealed record Deadline(Guid CaseId, PermitKind Permit, DeadlineKind Kind, DateTimeOffset At, bool Passed);

/// <summary>Both 5 kap. 15 § permits of a case, their deadlines and the caller's allowed actions. No personal data.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Version">The case version (ETag).</param>
/// <param name="DeclaredPresumedVictim">From the suspicion step: the person is declared a presumed victim.</param>
/// <param name="ResidenceBasis">From the suspicion step: the residence basis (decides eligibility, R2).</param>
/// <param name="IsMissing">From the suspicion step: the person is reported missing.</param>
/// <param name="Reflection">The reflection period (betänketid).</param>
/// <param name="CooperationPermit">The cooperation permit (TUT).</param>
/// <param name="Deadlines">Every deadline of the running or pending permit, in time order.</param>
/// <param name="NextDeadline">The first deadline still ahead.</param>
/// <param name="OpenItems">Duties on organisations until they act (R5, R12: consider or decide a cooperation-permit revocation).</param>
/// <param name="AllowedActions">The commands the caller may send now.</param>
public sealed record ResidencePermitView(
    Guid CaseId,
    long Version,
    bool DeclaredPresumedVictim,
    ResidenceBasis ResidenceBasis,
    bool IsMissing,
    ReflectionRecord Reflection,
    CooperationPermitRecord CooperationPermit,
    IReadOnlyList<Deadline> Deadlines,
    Deadline? NextDeadline,
    IReadOnlyList<OpenItem> OpenItems,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public const string Step = "reflection-period";

    public static ResidencePermitView From(ReflectionPeriodState s, Actor actor, ReflectionPeriodOptions options, DateTimeOffset now)
    {
        var deadlines = DeadlinesOf(s, options, now);
        return new ResidencePermitView(
            s.Id, s.Version, s.DeclaredPresumedVictim, s.ResidenceBasis, s.IsMissing, s.Reflection, s.Cooperation,
            deadlines,
            deadlines.FirstOrDefault(d => !d.Passed),
            s.OpenItems,
            ReflectionPeriodWorkflow.For(s, actor, options).Once(w => w.AllowedActionNames())
                .Concat(CooperationPermitWorkflow.For(s, actor, options).Once(w => w.AllowedActionNames()))
                .Distinct()
                .Select(a => AllowedAction.For(s.Id, Step, a))
                .ToList());
    }

    /// <summary>The deadlines of the permits that run or are applied for, from the stored decision dates.</summary>
    public static IReadOnlyList<Deadline> DeadlinesOf(ReflectionPeriodState s, ReflectionPeriodOptions options, DateTimeOffset now)
    {
        var list = new List<Deadline>();
        void Add(PermitKind permit, DeadlineKind kind, DateTimeOffset at) => list.Add(new Deadline(s.Id, permit, kind, at, at <= now));

        var r = s.Reflection;
        if (r is { Status: ReflectionStatus.ApplicationSubmitted, DecisionDueAt: { } rDue })
        {
            Add(PermitKind.ReflectionPeriod, DeadlineKind.DecisionDue, rDue);
        }

        if (r.Status is ReflectionStatus.Active or ReflectionStatus.ExtensionRequested or ReflectionStatus.SuspendedPersonMissing && r.ExpiresAt is { } rEnd)
        {
            // validTo − n days, counted from the last day itself (validTo 12-31 → 12-24 and 12-29), not from the instant after it.
            foreach (var days in options.ReflectionReminders)
            {
                Add(PermitKind.ReflectionPeriod, DeadlineKind.ExpiryReminder, r.ValidTo is { } last ? options.ReminderAt(last, days) : rEnd.AddDays(-days - 1));
            }

            Add(PermitKind.ReflectionPeriod, DeadlineKind.Expiry, rEnd);
        }

        var c = s.Cooperation;
        if (c is { Status: CooperationPermitStatus.ApplicationSubmitted, DecisionDueAt: { } cDue })
        {
            Add(PermitKind.CooperationPermit, DeadlineKind.DecisionDue, cDue);
        }

        if (c.IsRunning
            && c.ExpiresAt is { } cEnd)
        {
            foreach (var days in options.CooperationReminders)
            {
                Add(PermitKind.CooperationPermit, DeadlineKind.ExpiryReminder, c.ValidTo is { } last ? options.ReminderAt(last, days) : cEnd.AddDays(-days - 1));
            }

            Add(PermitKind.CooperationPermit, DeadlineKind.Expiry, cEnd);
        }

        return list.OrderBy(d => d.At).ToList();
    }
}

/// <summary>The reflection-period step of one case.</summary>
[AnyOrganisation]
public sealed record GetResidencePermits(Guid CaseId) : IQuery<ResidencePermitView>;

public sealed class ReflectionPeriodReader(
    IQuerySession session, ICurrentActor current, ICaseAccess access, IOptions<ReflectionPeriodOptions> options, TimeProvider clock)
    : StepReader<ReflectionPeriodState, ResidencePermitView>(session, current, access, clock), IQueryHandler<GetResidencePermits, ResidencePermitView>
{
    public override string Step => ResidencePermitView.Step;

    public ValueTask<ResidencePermitView> Handle(GetResidencePermits query, CancellationToken cancellationToken) => ReadAsync(query.CaseId, cancellationToken);

    protected override ResidencePermitView View(ReflectionPeriodState state, Actor actor, DateTimeOffset now) => ResidencePermitView.From(state, actor, options.Value, now);

    protected override ReflectionPeriodState? Fold(ReflectionPeriodState? state, IEvent e) => ReflectionPeriodState.Fold(state, e.Data, e.Info());
}

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
        var candidates = await session.Query<ReflectionPeriodState>()
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
        var due = await session.Query<ReflectionPeriodState>()
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
        session.DecideAsync<ReflectionPeriodState>(deadline.CaseId, deadline.Version,
            s => deadline.Kind == Reflection
                ? ReflectionPeriodWorkflow.For(s, System, options.Value, now).Once(w => w.ExpireReflectionPeriod(new ExpireReflectionPeriod()))
                : CooperationPermitWorkflow.For(s, System, options.Value, now).Once(w => w.ExpireCooperationPermit(new ExpireCooperationPermit())),
            ct);
}
