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
    private readonly ReflectionPeriodState _state;
    private readonly Actor _actor;
    private readonly object? _command;
    private readonly DateTimeOffset? _now;
    private readonly ReflectionPeriodOptions _options;

    public CooperationPermitWorkflow(ReflectionPeriodState state, Actor actor, ReflectionPeriodOptions options, object? command = null, DateTimeOffset? now = null)
        : base(state.Cooperation.Status)
    {
        _state = state;
        _actor = actor;
        _options = options;
        _command = command;
        _now = now;

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

    protected override Type CommandFor(CooperationTrigger trigger) => trigger switch
    {
        CooperationTrigger.SubmitCooperationPermitApplication => typeof(SubmitCooperationPermitApplication),
        CooperationTrigger.GrantCooperationPermit or CooperationTrigger.RejectCooperationPermit => typeof(RecordCooperationPermitDecision),
        CooperationTrigger.RequestCooperationPermitRenewal => typeof(RequestCooperationPermitRenewal),
        CooperationTrigger.GrantRenewal or CooperationTrigger.RejectRenewal => typeof(RecordCooperationPermitRenewalDecision),
        CooperationTrigger.ReportCooperationConditionUnmet => typeof(ReportCooperationConditionUnmet),
        CooperationTrigger.ProposeCooperationPermitRevocation => typeof(ProposeCooperationPermitRevocation),
        CooperationTrigger.RevokeCooperationPermit or CooperationTrigger.KeepCooperationPermit => typeof(RecordCooperationPermitRevocationDecision),
        CooperationTrigger.CorrectCooperationPermitDecision => typeof(CorrectCooperationPermitDecision),
        CooperationTrigger.RetractCooperationPermitDecision => typeof(RetractCooperationPermitDecision),
        _ => typeof(SystemAct),
    };

    /// <summary>Checks the command against the machine and returns the events it produces (pure).</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        var id = _state.Id;
        var p = _state.Cooperation;
        switch (_command)
        {
            case SubmitCooperationPermitApplication c:
                var status = Fire(CooperationTrigger.SubmitCooperationPermitApplication, _actor);
                var investigation = _state.OpenInvestigation(c.PreliminaryInvestigationId)!;
                var applied = new CooperationPermitApplied(id, Guid.CreateVersion7(now), _actor.OrgId, investigation.InvestigationId, investigation.ReportRef,
                    c.NeededForInvestigationOrTrial, c.ClearWillingnessToCooperate, c.BrokenTiesWithSuspects, c.NoPublicOrderObjection,
                    now, _options.WorkingDaysAfter(now, _options.DecisionDueWorkingDays), status);
                return [applied, .. new ReflectionPeriodWorkflow(_state, _actor, _options, c, now).ConvertIfRunning(applied.ApplicationId, now)];
            // The machine decides first: with no application pending it refuses (409) before anything reads the application.
            case RecordCooperationPermitDecision { Outcome: DecisionOutcome.Granted } c:
                var granted = Fire(CooperationTrigger.GrantCooperationPermit, _actor);
                return [new CooperationPermitGranted(id, p.ApplicationId!.Value, c.DecisionRef!, c.ValidFrom!.Value, c.ValidTo!.Value,
                    _options.EndOf(c.ValidTo.Value), now, granted)];
            case RecordCooperationPermitDecision c:
                var rejected = Fire(CooperationTrigger.RejectCooperationPermit, _actor);
                return [new CooperationPermitRejected(id, p.ApplicationId!.Value, c.DecisionRef!, c.RejectionReason!, now, rejected)];
            case RequestCooperationPermitRenewal:
                return [new CooperationPermitRenewalRequested(id, now, Fire(CooperationTrigger.RequestCooperationPermitRenewal, _actor))];
            case RecordCooperationPermitRenewalDecision { Outcome: DecisionOutcome.Granted } c:
                return [new CooperationPermitRenewalDecided(id, DecisionOutcome.Granted, c.DecisionRef!, c.NewValidTo, _options.EndOf(c.NewValidTo!.Value), now,
                    Fire(CooperationTrigger.GrantRenewal, _actor))];
            case RecordCooperationPermitRenewalDecision c:
                return [new CooperationPermitRenewalDecided(id, DecisionOutcome.Rejected, c.DecisionRef!, null, null, now, Fire(CooperationTrigger.RejectRenewal, _actor))];
            case ReportCooperationConditionUnmet c:
                return [new CooperationConditionReportedUnmet(id, c.Condition!.Value, c.Reason!, now, Fire(CooperationTrigger.ReportCooperationConditionUnmet, _actor))];
            case ProposeCooperationPermitRevocation c:
                return [new CooperationPermitRevocationProposed(id, c.ConditionNoLongerMet!.Value, c.Reason!, now, Fire(CooperationTrigger.ProposeCooperationPermitRevocation, _actor))];
            case RecordCooperationPermitRevocationDecision c:
                return [new CooperationPermitRevocationDecided(id, c.Revoked, c.DecisionRef!, now,
                    Fire(c.Revoked ? CooperationTrigger.RevokeCooperationPermit : CooperationTrigger.KeepCooperationPermit, _actor))];
            case CorrectCooperationPermitDecision c:
                return [new CooperationPermitDecisionCorrected(id, c.DecisionRef!, c.ValidFrom!.Value, c.ValidTo!.Value, _options.EndOf(c.ValidTo.Value), c.Reason!, now,
                    Fire(CooperationTrigger.CorrectCooperationPermitDecision, _actor))];
            case RetractCooperationPermitDecision c:
                var retracted = Fire(CooperationTrigger.RetractCooperationPermitDecision, _actor);
                return [new CooperationPermitDecisionRetracted(id, p.ApplicationId!.Value, p.Status == CooperationPermitStatus.Rejected ? DecisionOutcome.Rejected : DecisionOutcome.Granted,
                    c.Reason!, now, retracted)];
            case ExpireCooperationPermit:
                return [new CooperationPermitExpired(id, p.ValidTo!.Value, now, Fire(CooperationTrigger.ExpireCooperationPermit, _actor))];
            default:
                throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a cooperation-permit command.");
        }
    }

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new CooperationPermitWorkflow(new ReflectionPeriodState(), System, new ReflectionPeriodOptions()).ToMermaid();


    private T? Command<T>() where T : class => _command as T;

    private bool AllConditionsConfirmed() => _command switch
    {
        SubmitCooperationPermitApplication c => c.NeededForInvestigationOrTrial && c.ClearWillingnessToCooperate && c.BrokenTiesWithSuspects && c.NoPublicOrderObjection,
        RequestCooperationPermitRenewal c => c.NeededForInvestigationOrTrial && c.ClearWillingnessToCooperate && c.BrokenTiesWithSuspects && c.NoPublicOrderObjection,
        _ => true,
    };

    private bool InOpenInvestigation() =>
        Command<SubmitCooperationPermitApplication>() is not { } c || _state.OpenInvestigation(c.PreliminaryInvestigationId) is not null;

    private bool NoOtherPermit() =>
        !_state.Cooperation.IsActiveOrPending && _state.Reflection.Status != ReflectionStatus.ApplicationSubmitted;

    private bool DecisionMatchesApplication() =>
        Command<RecordCooperationPermitDecision>() is not { } c || c.ApplicationId == _state.Cooperation.ApplicationId;

    private bool SameDecider() => _state.Cooperation.DecidedByOrgId is { } decider && decider == _actor.OrgId;

    /// <summary>At least the minimum (six months): <c>validTo</c> is the permit's last day, so 1 March – 31 August is six months.</summary>
    private bool RunsMinimumDuration() =>
        (_command switch
        {
            RecordCooperationPermitDecision c => (c.ValidFrom, c.ValidTo),
            CorrectCooperationPermitDecision c => (c.ValidFrom, c.ValidTo),
            _ => ((DateOnly?)null, (DateOnly?)null),
        }) is not ({ } from, { } to)
        || to >= from.AddMonths(_options.CooperationPermitMinimumMonths).AddDays(-1);

    private bool RenewalEndsLater() =>
        Command<RecordCooperationPermitRenewalDecision>() is not { NewValidTo: { } newValidTo } || newValidTo > _state.Cooperation.ValidTo;

    private bool LastDayPassed() => _state.Cooperation.ExpiresAt is { } end && (_now ?? DateTimeOffset.MaxValue) >= end;
}
