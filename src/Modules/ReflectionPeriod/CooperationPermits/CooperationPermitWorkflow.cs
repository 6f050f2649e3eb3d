using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.ReflectionPeriod.Contracts;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>Triggers of the cooperation permit. A decision's outcomes are separate triggers of one command.</summary>
public enum CooperationTrigger
{
    SubmitCooperationPermitApplication,
    GrantCooperationPermit,
    RejectCooperationPermit,
    RequestCooperationPermitRenewal,
    GrantRenewal,
    RejectRenewal,
    ReportCooperationConditionUnmet,
    ProposeCooperationPermitRevocation,
    RevokeCooperationPermit,
    KeepCooperationPermit,
    ExpireCooperationPermit,
    CorrectCooperationPermitDecision,
    RetractCooperationPermitDecision,
}

/// <summary>Expiry of the reflection period, decided by the deadline service (no organisation sends it).</summary>
public sealed record ExpireReflectionPeriod;

/// <summary>Expiry of the cooperation permit, decided by the deadline service (no organisation sends it).</summary>
public sealed record ExpireCooperationPermit;

/// <summary>
/// The cooperation permit (tidsbegränsat uppehållstillstånd, TUT, UtlL 5 kap. 15 § first paragraph; MANUAL.md §4.4) as a
/// Stateless machine, plus the pure decider of its commands. Rules: R3 (one permit at a time), R4 (investigation leader
/// only, four conditions), R5 (revocation when a condition fails), R6 (dates from the decision).
/// </summary>
public sealed class CooperationPermitWorkflow : StepWorkflow<CooperationPermitStatus, CooperationTrigger>
{
    private static readonly WorkflowPool<CooperationPermitWorkflow> Pool = new(() => new CooperationPermitWorkflow());

    private static readonly TriggerTable<CooperationTrigger> Table = new(
        (CooperationTrigger.SubmitCooperationPermitApplication, typeof(SubmitCooperationPermitApplication)),
        (CooperationTrigger.GrantCooperationPermit, typeof(RecordCooperationPermitDecision)),
        (CooperationTrigger.RejectCooperationPermit, typeof(RecordCooperationPermitDecision)),
        (CooperationTrigger.RequestCooperationPermitRenewal, typeof(RequestCooperationPermitRenewal)),
        (CooperationTrigger.GrantRenewal, typeof(RecordCooperationPermitRenewalDecision)),
        (CooperationTrigger.RejectRenewal, typeof(RecordCooperationPermitRenewalDecision)),
        (CooperationTrigger.ReportCooperationConditionUnmet, typeof(ReportCooperationConditionUnmet)),
        (CooperationTrigger.ProposeCooperationPermitRevocation, typeof(ProposeCooperationPermitRevocation)),
        (CooperationTrigger.RevokeCooperationPermit, typeof(RecordCooperationPermitRevocationDecision)),
        (CooperationTrigger.KeepCooperationPermit, typeof(RecordCooperationPermitRevocationDecision)),
        (CooperationTrigger.CorrectCooperationPermitDecision, typeof(CorrectCooperationPermitDecision)),
        (CooperationTrigger.RetractCooperationPermitDecision, typeof(RetractCooperationPermitDecision)));

    private ReflectionPeriodState _state = null!;
    private DateTimeOffset? _now;
    private ReflectionPeriodOptions _options = null!;

    public CooperationPermitWorkflow(ReflectionPeriodState state, Actor actor, ReflectionPeriodOptions options, DateTimeOffset? now = null)
        : this() => Bind(state, actor, options, now);

    private CooperationPermitWorkflow()
    {
        foreach (var from in new[] { CooperationPermitStatus.None, CooperationPermitStatus.Rejected, CooperationPermitStatus.Revoked, CooperationPermitStatus.Expired })
        {
            Machine.Configure(from).PermitIf(CooperationTrigger.SubmitCooperationPermitApplication, CooperationPermitStatus.ApplicationSubmitted,
                G(AllConditionsConfirmed, Guards.FourConditions), G(InOpenInvestigation, Guards.OpenInvestigation), G(NoOtherPermit, Guards.OnePermit));
        }

        Machine.Configure(CooperationPermitStatus.ApplicationSubmitted)
            .PermitIf(CooperationTrigger.GrantCooperationPermit, CooperationPermitStatus.Active,
                G(DecisionMatchesApplication, Guards.DecisionMatches), G(RunsMinimumDuration, Guards.MinimumDuration))
            .PermitIf(CooperationTrigger.RejectCooperationPermit, CooperationPermitStatus.Rejected, DecisionMatchesApplication, Guards.DecisionMatches);

        Machine.Configure(CooperationPermitStatus.Active)
            .PermitIf(CooperationTrigger.RequestCooperationPermitRenewal, CooperationPermitStatus.RenewalRequested, AllConditionsConfirmed, Guards.FourConditions);

        Machine.Configure(CooperationPermitStatus.RenewalRequested)
            .PermitIf(CooperationTrigger.GrantRenewal, CooperationPermitStatus.Active, RenewalEndsLater, Guards.RenewalEndsLater)
            .Permit(CooperationTrigger.RejectRenewal, CooperationPermitStatus.Active);

        foreach (var from in new[] { CooperationPermitStatus.Active, CooperationPermitStatus.RenewalRequested })
        {
            Machine.Configure(from)
                .PermitReentry(CooperationTrigger.ReportCooperationConditionUnmet)
                .Permit(CooperationTrigger.ProposeCooperationPermitRevocation, CooperationPermitStatus.RevocationProposed);
        }

        Machine.Configure(CooperationPermitStatus.RevocationProposed)
            .Permit(CooperationTrigger.RevokeCooperationPermit, CooperationPermitStatus.Revoked)
            .Permit(CooperationTrigger.KeepCooperationPermit, CooperationPermitStatus.Active);

        // R20: the organisation that recorded the decision corrects a grant while the permit runs, and retracts a grant while it
        // runs or a rejection until a new application follows (not while a revocation is proposed: that is decided first).
        foreach (var running in new[] { CooperationPermitStatus.Active, CooperationPermitStatus.RenewalRequested })
        {
            Machine.Configure(running)
                .PermitReentryIf(CooperationTrigger.CorrectCooperationPermitDecision, G(SameDecider, Guards.SameDecider), G(RunsMinimumDuration, Guards.MinimumDuration))
                .PermitIf(CooperationTrigger.RetractCooperationPermitDecision, CooperationPermitStatus.ApplicationSubmitted, SameDecider, Guards.SameDecider);
        }

        Machine.Configure(CooperationPermitStatus.Rejected)
            .PermitIf(CooperationTrigger.RetractCooperationPermitDecision, CooperationPermitStatus.ApplicationSubmitted, SameDecider, Guards.SameDecider);

        foreach (var running in new[] { CooperationPermitStatus.Active, CooperationPermitStatus.RenewalRequested, CooperationPermitStatus.RevocationProposed })
        {
            Machine.Configure(running).PermitIf(CooperationTrigger.ExpireCooperationPermit, CooperationPermitStatus.Expired, LastDayPassed, Guards.LastDayPassed);
        }
    }

    /// <summary>A configured machine from the pool, bound to the case's cooperation permit and the actor; <c>Dispose</c> gives it back.</summary>
    public static CooperationPermitWorkflow For(ReflectionPeriodState state, Actor actor, ReflectionPeriodOptions options, DateTimeOffset? now = null) => Pool.Rent().Bind(state, actor, options, now);

    private CooperationPermitWorkflow Bind(ReflectionPeriodState state, Actor actor, ReflectionPeriodOptions options, DateTimeOffset? now)
    {
        Reset(state.Cooperation.Status, actor);
        _state = state;
        _options = options;
        _now = now;
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string FourConditions = "the investigation leader confirms all four conditions: needed for the investigation or trial, clear willingness to cooperate, ties with the suspects broken, no public-order objection (R4)";
        public const string OpenInvestigation = "the case takes part in the named preliminary investigation and it is open (R4)";
        public const string OnePermit = "no cooperation permit is active or applied for, and no reflection-period application awaits a decision (R3)";
        public const string DecisionMatches = "the decision refers to the pending application";
        public const string MinimumDuration = "a granted permit runs at least six months (validTo on or after validFrom + 6 months)";
        public const string RenewalEndsLater = "a granted renewal ends after the current last day";
        public const string LastDayPassed = "the permit's last day has passed";
        public const string SameDecider = "only the organisation that recorded the decision corrects or retracts it (R20)";
    }

    protected override string Step => "reflection-period";

    protected override TriggerTable<CooperationTrigger> Triggers => Table;

    /// <summary>The application, and the conversion of a running reflection period in the same append (R3).</summary>
    public IReadOnlyList<object> SubmitCooperationPermitApplication(SubmitCooperationPermitApplication c)
    {
        var status = Fire(c);
        var investigation = _state.OpenInvestigation(c.PreliminaryInvestigationId)!;
        var applied = new CooperationPermitApplied(_state.Id, Guid.CreateVersion7(Now), Actor.OrgId, investigation.InvestigationId, investigation.ReportRef,
            c.NeededForInvestigationOrTrial, c.ClearWillingnessToCooperate, c.BrokenTiesWithSuspects, c.NoPublicOrderObjection,
            Now, _options.WorkingDaysAfter(Now, _options.DecisionDueWorkingDays), status);
        return [applied, .. ReflectionPeriodWorkflow.For(_state, Actor, _options, Now).Once(w => w.ConvertIfRunning(c, applied.ApplicationId))];
    }

    // A decision: the machine decides first; with no application pending it refuses (409) before anything reads the application.
    public IReadOnlyList<object> RecordCooperationPermitDecision(RecordCooperationPermitDecision c)
    {
        var p = _state.Cooperation;
        if (c.Outcome == DecisionOutcome.Granted)
        {
            var granted = Fire(CooperationTrigger.GrantCooperationPermit, c);
            return [new CooperationPermitGranted(_state.Id, p.ApplicationId!.Value, c.DecisionRef!, c.ValidFrom!.Value, c.ValidTo!.Value, _options.EndOf(c.ValidTo.Value), Now, granted)];
        }

        var rejected = Fire(CooperationTrigger.RejectCooperationPermit, c);
        return [new CooperationPermitRejected(_state.Id, p.ApplicationId!.Value, c.DecisionRef!, c.RejectionReason!, Now, rejected)];
    }

    public IReadOnlyList<object> RequestCooperationPermitRenewal(RequestCooperationPermitRenewal c) => [new CooperationPermitRenewalRequested(_state.Id, Now, Fire(c))];

    public IReadOnlyList<object> RecordCooperationPermitRenewalDecision(RecordCooperationPermitRenewalDecision c) => c.Outcome == DecisionOutcome.Granted
        ? [new CooperationPermitRenewalDecided(_state.Id, DecisionOutcome.Granted, c.DecisionRef!, c.NewValidTo, _options.EndOf(c.NewValidTo!.Value), Now,
            Fire(CooperationTrigger.GrantRenewal, c))]
        : [new CooperationPermitRenewalDecided(_state.Id, DecisionOutcome.Rejected, c.DecisionRef!, null, null, Now, Fire(CooperationTrigger.RejectRenewal, c))];

    public IReadOnlyList<object> ReportCooperationConditionUnmet(ReportCooperationConditionUnmet c) =>
        [new CooperationConditionReportedUnmet(_state.Id, c.Condition!.Value, c.Reason!, Now, Fire(c))];

    public IReadOnlyList<object> ProposeCooperationPermitRevocation(ProposeCooperationPermitRevocation c) =>
        [new CooperationPermitRevocationProposed(_state.Id, c.ConditionNoLongerMet!.Value, c.Reason!, Now, Fire(c))];

    public IReadOnlyList<object> RecordCooperationPermitRevocationDecision(RecordCooperationPermitRevocationDecision c) =>
        [new CooperationPermitRevocationDecided(_state.Id, c.Revoked, c.DecisionRef!, Now,
            Fire(c.Revoked ? CooperationTrigger.RevokeCooperationPermit : CooperationTrigger.KeepCooperationPermit, c))];

    public IReadOnlyList<object> CorrectCooperationPermitDecision(CorrectCooperationPermitDecision c) =>
        [new CooperationPermitDecisionCorrected(_state.Id, c.DecisionRef!, c.ValidFrom!.Value, c.ValidTo!.Value, _options.EndOf(c.ValidTo.Value), c.Reason!, Now, Fire(c))];

    public IReadOnlyList<object> RetractCooperationPermitDecision(RetractCooperationPermitDecision c)
    {
        var p = _state.Cooperation;
        var retracted = Fire(c);
        return [new CooperationPermitDecisionRetracted(_state.Id, p.ApplicationId!.Value, p.Status == CooperationPermitStatus.Rejected ? DecisionOutcome.Rejected : DecisionOutcome.Granted,
            c.Reason!, Now, retracted)];
    }

    /// <summary>The deadline service's expiry (a system act).</summary>
    public IReadOnlyList<object> ExpireCooperationPermit(ExpireCooperationPermit c) =>
        [new CooperationPermitExpired(_state.Id, _state.Cooperation.ValidTo!.Value, Now, Fire(CooperationTrigger.ExpireCooperationPermit, c))];

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new CooperationPermitWorkflow(new ReflectionPeriodState(), System, new ReflectionPeriodOptions()).ToMermaid();


    /// <summary>The time of the command (deciders only run with one).</summary>
    private DateTimeOffset Now => _now ?? throw new InvalidOperationException("A decision needs the time of the command.");

    private bool AllConditionsConfirmed() => Command switch
    {
        SubmitCooperationPermitApplication c => c.NeededForInvestigationOrTrial && c.ClearWillingnessToCooperate && c.BrokenTiesWithSuspects && c.NoPublicOrderObjection,
        RequestCooperationPermitRenewal c => c.NeededForInvestigationOrTrial && c.ClearWillingnessToCooperate && c.BrokenTiesWithSuspects && c.NoPublicOrderObjection,
        _ => true,
    };

    private bool InOpenInvestigation() =>
        Command is not SubmitCooperationPermitApplication c || _state.OpenInvestigation(c.PreliminaryInvestigationId) is not null;

    private bool NoOtherPermit() =>
        !_state.Cooperation.IsActiveOrPending && _state.Reflection.Status != ReflectionStatus.ApplicationSubmitted;

    private bool DecisionMatchesApplication() =>
        Command is not RecordCooperationPermitDecision c || c.ApplicationId == _state.Cooperation.ApplicationId;

    private bool SameDecider() => _state.Cooperation.DecidedByOrgId is { } decider && decider == Actor.OrgId;

    /// <summary>At least the minimum (six months): <c>validTo</c> is the permit's last day, so 1 March – 31 August is six months.</summary>
    private bool RunsMinimumDuration() =>
        (Command switch
        {
            RecordCooperationPermitDecision c => (c.ValidFrom, c.ValidTo),
            CorrectCooperationPermitDecision c => (c.ValidFrom, c.ValidTo),
            _ => ((DateOnly?)null, (DateOnly?)null),
        }) is not ({ } from, { } to)
        || to >= from.AddMonths(_options.CooperationPermitMinimumMonths).AddDays(-1);

    private bool RenewalEndsLater() =>
        Command is not RecordCooperationPermitRenewalDecision { NewValidTo: { } newValidTo } || newValidTo > _state.Cooperation.ValidTo;

    private bool LastDayPassed() => _state.Cooperation.ExpiresAt is { } end && (_now ?? DateTimeOffset.MaxValue) >= end;
}
