using JasperFx.Events;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.ReflectionPeriod.Domain;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.ReflectionPeriod.Features;

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

    public static ResidencePermitView From(ResidencePermitState s, Actor actor, ReflectionPeriodOptions options, DateTimeOffset now)
    {
        var deadlines = DeadlinesOf(s, options, now);
        return new ResidencePermitView(
            s.Id, s.Version, s.DeclaredPresumedVictim, s.ResidenceBasis, s.IsMissing, s.Reflection, s.Cooperation,
            deadlines,
            deadlines.FirstOrDefault(d => !d.Passed),
            s.OpenItems,
            new ReflectionWorkflow(s, actor, options).AllowedActionNames(actor)
                .Concat(new CooperationPermitWorkflow(s, actor, options).AllowedActionNames(actor))
                .Distinct()
                .Select(a => AllowedAction.For(s.Id, Step, a))
                .ToList());
    }

    /// <summary>The deadlines of the permits that run or are applied for, from the stored decision dates.</summary>
    public static IReadOnlyList<Deadline> DeadlinesOf(ResidencePermitState s, ReflectionPeriodOptions options, DateTimeOffset now)
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
            foreach (var days in options.ReflectionReminders)
            {
                Add(PermitKind.ReflectionPeriod, DeadlineKind.ExpiryReminder, rEnd.AddDays(-days));
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
                Add(PermitKind.CooperationPermit, DeadlineKind.ExpiryReminder, cEnd.AddDays(-days));
            }

            Add(PermitKind.CooperationPermit, DeadlineKind.Expiry, cEnd);
        }

        return list.OrderBy(d => d.At).ToList();
    }
}

/// <summary>The reflection-period step of one case.</summary>
[AnyOrganisation]
public sealed record GetResidencePermits(Guid CaseId) : IQuery<ResidencePermitView>;

public sealed class GetResidencePermitsHandler(
    IQuerySession session, ICurrentActor current, ICaseAccess access, IOptions<ReflectionPeriodOptions> options, TimeProvider clock)
    : StepReader<ResidencePermitState, ResidencePermitView>(session, current, access, clock), IQueryHandler<GetResidencePermits, ResidencePermitView>
{
    public override string Step => ResidencePermitView.Step;

    public ValueTask<ResidencePermitView> Handle(GetResidencePermits query, CancellationToken cancellationToken) => ReadAsync(query.CaseId, cancellationToken);

    protected override ResidencePermitView View(ResidencePermitState state, Actor actor, DateTimeOffset now) => ResidencePermitView.From(state, actor, options.Value, now);

    protected override ResidencePermitState? Fold(ResidencePermitState? state, IEvent e) => ResidencePermitState.Fold(state, e.Data, e.Info());
}

/// <summary>
/// Handles every command of the step: fetch the state at the expected version, let the reflection-period or the
/// cooperation-permit machine decide, append, and answer the new state.
/// </summary>
public sealed class ResidencePermitCommandHandler(
    IDocumentSession session, ICurrentActor current, TimeProvider clock, IOptions<ReflectionPeriodOptions> options) :
    ICommandHandler<AssessReflectionEligibility, ResidencePermitView>,
    ICommandHandler<SubmitReflectionApplication, ResidencePermitView>,
    ICommandHandler<RecordReflectionDecision, ResidencePermitView>,
    ICommandHandler<RequestReflectionExtension, ResidencePermitView>,
    ICommandHandler<RecordReflectionExtensionDecision, ResidencePermitView>,
    ICommandHandler<EndReflectionPeriodEarly, ResidencePermitView>,
    ICommandHandler<CorrectReflectionDecision, ResidencePermitView>,
    ICommandHandler<RetractReflectionDecision, ResidencePermitView>,
    ICommandHandler<CorrectCooperationPermitDecision, ResidencePermitView>,
    ICommandHandler<RetractCooperationPermitDecision, ResidencePermitView>,
    ICommandHandler<SubmitCooperationPermitApplication, ResidencePermitView>,
    ICommandHandler<RecordCooperationPermitDecision, ResidencePermitView>,
    ICommandHandler<RequestCooperationPermitRenewal, ResidencePermitView>,
    ICommandHandler<RecordCooperationPermitRenewalDecision, ResidencePermitView>,
    ICommandHandler<ProposeCooperationPermitRevocation, ResidencePermitView>,
    ICommandHandler<RecordCooperationPermitRevocationDecision, ResidencePermitView>
{
    public ValueTask<ResidencePermitView> Handle(AssessReflectionEligibility command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(SubmitReflectionApplication command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordReflectionDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RequestReflectionExtension command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordReflectionExtensionDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(EndReflectionPeriodEarly command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(CorrectReflectionDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RetractReflectionDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(CorrectCooperationPermitDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RetractCooperationPermitDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(SubmitCooperationPermitApplication command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RequestCooperationPermitRenewal command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitRenewalDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(ProposeCooperationPermitRevocation command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    public ValueTask<ResidencePermitView> Handle(RecordCooperationPermitRevocationDecision command, CancellationToken cancellationToken) => Decide(command, cancellationToken);

    /// <summary>The events a command produces: the cooperation-permit commands go to that machine, the rest to the reflection period's.</summary>
    public static IReadOnlyList<object> Decide(ResidencePermitState state, Actor actor, object command, ReflectionPeriodOptions options, DateTimeOffset now) =>
        command is SubmitCooperationPermitApplication or RecordCooperationPermitDecision or RequestCooperationPermitRenewal
            or RecordCooperationPermitRenewalDecision or ProposeCooperationPermitRevocation or RecordCooperationPermitRevocationDecision or ExpireCooperationPermit
            or CorrectCooperationPermitDecision or RetractCooperationPermitDecision
            ? new CooperationPermitWorkflow(state, actor, options, command, now).Decide(now)
            : new ReflectionWorkflow(state, actor, options, command, now).Decide(now);

    private async ValueTask<ResidencePermitView> Decide(CaseCommand<ResidencePermitView> command, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<ResidencePermitState>(command.CaseId, command.ExpectedVersion,
            s => Decide(s, actor, command, options.Value, now), ct);
        return ResidencePermitView.From(state, actor, options.Value, now);
    }
}
