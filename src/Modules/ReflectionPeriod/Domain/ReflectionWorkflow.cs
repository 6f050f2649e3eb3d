using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.ReflectionPeriod.Features;
using Referral.Modules.Suspicion.Contracts;
using Stateless.Reflection;

namespace Referral.Modules.ReflectionPeriod.Domain;

/// <summary>Triggers of the reflection period. A decision's outcomes are separate triggers of one command.</summary>
public enum ReflectionTrigger
{
    AssessEligible,
    AssessNotApplicable,
    SubmitReflectionApplication,
    GrantReflectionPeriod,
    RejectReflectionApplication,
    RequestReflectionExtension,
    GrantExtension,
    RejectExtension,
    EndReflectionPeriodEarly,
    ConvertToCooperationPermit,
    ExpireReflectionPeriod,
    PersonReportedMissing,
    PersonFound,
    VoluntaryDeparture,
    CorrectReflectionDecision,
    RetractReflectionDecision,
}

/// <summary>
/// The reflection period (betänketid, UtlL 5 kap. 15 § second paragraph; MANUAL.md §4.3) as a Stateless machine, plus
/// the pure decider of its commands. Rules: R1 (who applies), R2 (eligibility), R3 (one permit at a time), R6 (dates
/// from the decision), R12 (suspension while missing).
/// </summary>
public sealed class ReflectionWorkflow : StepWorkflow<ReflectionStatus, ReflectionTrigger>
{
    private readonly ResidencePermitState _state;
    private readonly Actor _actor;
    private readonly object? _command;
    private readonly DateTimeOffset? _now;
    private readonly ReflectionPeriodOptions _options;

    public ReflectionWorkflow(ResidencePermitState state, Actor actor, ReflectionPeriodOptions options, object? command = null, DateTimeOffset? now = null)
        : base(state.Reflection.Status)
    {
        _state = state;
        _actor = actor;
        _options = options;
        _command = command;
        _now = now;

        foreach (var from in new[] { ReflectionStatus.NotAssessed, ReflectionStatus.NotApplicable, ReflectionStatus.Eligible,
                     ReflectionStatus.Rejected, ReflectionStatus.EndedEarly, ReflectionStatus.Expired })
        {
            To(from, ReflectionTrigger.AssessEligible, ReflectionStatus.Eligible, G(IsPresumedVictim, Guards.PresumedVictim), G(HasEligibleBasis, Guards.NoRightToStay));
            To(from, ReflectionTrigger.AssessNotApplicable, ReflectionStatus.NotApplicable, G(IsPresumedVictim, Guards.PresumedVictim), G(() => !HasEligibleBasis(), Guards.RightToStay));
        }

        foreach (var from in new[] { ReflectionStatus.Eligible, ReflectionStatus.Rejected })
        {
            To(from, ReflectionTrigger.SubmitReflectionApplication, ReflectionStatus.ApplicationSubmitted,
                G(NamesInvestigationWhenLeader, Guards.InvestigationReference), G(NoOtherPermit, Guards.OnePermit));
        }

        Machine.Configure(ReflectionStatus.ApplicationSubmitted)
            .PermitIf(ReflectionTrigger.GrantReflectionPeriod, ReflectionStatus.Active, DecisionMatchesApplication, Guards.DecisionMatches)
            .PermitIf(ReflectionTrigger.RejectReflectionApplication, ReflectionStatus.Rejected, DecisionMatchesApplication, Guards.DecisionMatches);

        Machine.Configure(ReflectionStatus.Active)
            .PermitIf(ReflectionTrigger.RequestReflectionExtension, ReflectionStatus.ExtensionRequested,
                G(MayRequestExtension, Guards.ExtensionRequester), G(ConditionsStillMet, Guards.ConditionsStillMet))
            .Permit(ReflectionTrigger.PersonReportedMissing, ReflectionStatus.SuspendedPersonMissing);

        Machine.Configure(ReflectionStatus.ExtensionRequested)
            .PermitIf(ReflectionTrigger.GrantExtension, ReflectionStatus.Active, ExtensionEndsLater, Guards.ExtensionEndsLater)
            .Permit(ReflectionTrigger.RejectExtension, ReflectionStatus.Active)
            .Permit(ReflectionTrigger.PersonReportedMissing, ReflectionStatus.SuspendedPersonMissing);

        Machine.Configure(ReflectionStatus.SuspendedPersonMissing)
            .PermitDynamic(ReflectionTrigger.PersonFound, () => _state.Reflection.StatusBeforeSuspension is ReflectionStatus.ExtensionRequested
                    ? ReflectionStatus.ExtensionRequested
                    : ReflectionStatus.Active,
                "the state before the person went missing",
                new DynamicStateInfos { { ReflectionStatus.Active, "was active" }, { ReflectionStatus.ExtensionRequested, "an extension was pending" } });

        // R20: the organisation that recorded the decision corrects a grant while the period runs, and retracts a grant while it
        // runs or a rejection until a new application follows; the application then awaits a decision again.
        foreach (var running in new[] { ReflectionStatus.Active, ReflectionStatus.ExtensionRequested, ReflectionStatus.SuspendedPersonMissing })
        {
            Machine.Configure(running)
                .PermitReentryIf(ReflectionTrigger.CorrectReflectionDecision, SameDecider, Guards.SameDecider)
                .PermitIf(ReflectionTrigger.RetractReflectionDecision, ReflectionStatus.ApplicationSubmitted, SameDecider, Guards.SameDecider);
        }

        Machine.Configure(ReflectionStatus.Rejected)
            .PermitIf(ReflectionTrigger.RetractReflectionDecision, ReflectionStatus.ApplicationSubmitted, SameDecider, Guards.SameDecider);

        foreach (var running in new[] { ReflectionStatus.Active, ReflectionStatus.ExtensionRequested, ReflectionStatus.SuspendedPersonMissing })
        {
            Machine.Configure(running)
                .Permit(ReflectionTrigger.EndReflectionPeriodEarly, ReflectionStatus.EndedEarly)
                .Permit(ReflectionTrigger.VoluntaryDeparture, ReflectionStatus.EndedEarly)
                .Permit(ReflectionTrigger.ConvertToCooperationPermit, ReflectionStatus.ConvertedToCooperationPermit)
                .PermitIf(ReflectionTrigger.ExpireReflectionPeriod, ReflectionStatus.Expired, LastDayPassed, Guards.LastDayPassed);
        }
    }

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string PresumedVictim = "the person is declared a presumed victim in the suspicion step";
        public const string NoRightToStay = "the residence basis gives no right to stay (EU citizens without a right of residence included; R2)";
        public const string RightToStay = "the residence basis gives a right to stay (Swedish citizen, another permit, EU right of residence)";
        public const string InvestigationReference = "an investigation leader's application names an open preliminary investigation the case takes part in (a welfare board's needs none, R1)";
        public const string OnePermit = "no other 5 kap. 15 § permit is active or applied for on the case (R3)";
        public const string DecisionMatches = "the decision refers to the pending application";
        public const string ExtensionRequester = "the request comes from an investigation leader (or a welfare board, where configured)";
        public const string ConditionsStillMet = "the conditions of the period are confirmed still met";
        public const string ExtensionEndsLater = "a granted extension ends after the current last day";
        public const string LastDayPassed = "the period's last day has passed";
        public const string SameDecider = "only the organisation that recorded the decision corrects or retracts it (R20)";
    }

    protected override string Step => "reflection-period";

    protected override Type CommandFor(ReflectionTrigger trigger) => trigger switch
    {
        ReflectionTrigger.AssessEligible or ReflectionTrigger.AssessNotApplicable => typeof(AssessReflectionEligibility),
        ReflectionTrigger.SubmitReflectionApplication => typeof(SubmitReflectionApplication),
        ReflectionTrigger.GrantReflectionPeriod or ReflectionTrigger.RejectReflectionApplication => typeof(RecordReflectionDecision),
        ReflectionTrigger.RequestReflectionExtension => typeof(RequestReflectionExtension),
        ReflectionTrigger.GrantExtension or ReflectionTrigger.RejectExtension => typeof(RecordReflectionExtensionDecision),
        ReflectionTrigger.EndReflectionPeriodEarly => typeof(EndReflectionPeriodEarly),
        ReflectionTrigger.CorrectReflectionDecision => typeof(CorrectReflectionDecision),
        ReflectionTrigger.RetractReflectionDecision => typeof(RetractReflectionDecision),
        ReflectionTrigger.ConvertToCooperationPermit => typeof(SubmitCooperationPermitApplication),
        _ => typeof(SystemAct),
    };

    /// <summary>The status after a system transition (an upstream event), without guards; unchanged where not permitted.</summary>
    public static ReflectionStatus Reacting(ResidencePermitState state, ReflectionTrigger trigger) =>
        new ReflectionWorkflow(state, System, new ReflectionPeriodOptions()).React(trigger);

    /// <summary>Checks the command against the machine and returns the events it produces (pure).</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        var id = _state.Id;
        var r = _state.Reflection;
        switch (_command)
        {
            case AssessReflectionEligibility c:
                var eligible = HasEligibleBasis();
                var status = Fire(eligible ? ReflectionTrigger.AssessEligible : ReflectionTrigger.AssessNotApplicable, _actor);
                return [new ReflectionEligibilityAssessed(id, eligible, EligibilityReasons(), c.PersonWishesReflection, now, status)];
            case SubmitReflectionApplication c:
                var route = Route(_actor);
                var investigation = _state.OpenInvestigation(c.PreliminaryInvestigationId);
                return [new ReflectionApplicationSubmitted(id, Guid.CreateVersion7(now), route, route == ApplicationRoute.InvestigationLeader ? "194011" : "195011",
                    _actor.OrgId, investigation?.InvestigationId, investigation?.ReportRef, now, _options.WorkingDaysAfter(now, _options.DecisionDueWorkingDays),
                    Fire(ReflectionTrigger.SubmitReflectionApplication, _actor))];
            // The machine decides first: with no application pending it refuses (409) before anything reads the application.
            case RecordReflectionDecision { Outcome: DecisionOutcome.Granted } c:
                var granted = Fire(ReflectionTrigger.GrantReflectionPeriod, _actor);
                return [new ReflectionPeriodGranted(id, r.ApplicationId!.Value, c.DecisionRef!, c.ValidFrom!.Value, c.ValidTo!.Value,
                    _options.EndOf(c.ValidTo.Value), now, granted)];
            case RecordReflectionDecision c:
                var rejected = Fire(ReflectionTrigger.RejectReflectionApplication, _actor);
                return [new ReflectionPeriodRejected(id, r.ApplicationId!.Value, c.DecisionRef!, c.RejectionReason!, now, rejected)];
            case RequestReflectionExtension c:
                return [new ReflectionExtensionRequested(id, c.SpecialReasons!, now, Fire(ReflectionTrigger.RequestReflectionExtension, _actor))];
            case RecordReflectionExtensionDecision { Outcome: DecisionOutcome.Granted } c:
                return [new ReflectionExtensionDecided(id, DecisionOutcome.Granted, c.DecisionRef!, c.NewValidTo, _options.EndOf(c.NewValidTo!.Value), now,
                    Fire(ReflectionTrigger.GrantExtension, _actor))];
            case RecordReflectionExtensionDecision c:
                return [new ReflectionExtensionDecided(id, DecisionOutcome.Rejected, c.DecisionRef!, null, null, now, Fire(ReflectionTrigger.RejectExtension, _actor))];
            case EndReflectionPeriodEarly c:
                return [new ReflectionPeriodEndedEarly(id, c.Reason!.Value, now, Fire(ReflectionTrigger.EndReflectionPeriodEarly, _actor))];
            case CorrectReflectionDecision c:
                return [new ReflectionDecisionCorrected(id, c.DecisionRef!, c.ValidFrom!.Value, c.ValidTo!.Value, _options.EndOf(c.ValidTo.Value), c.Reason!, now,
                    Fire(ReflectionTrigger.CorrectReflectionDecision, _actor))];
            case RetractReflectionDecision c:
                var retracted = Fire(ReflectionTrigger.RetractReflectionDecision, _actor);
                return [new ReflectionDecisionRetracted(id, r.ApplicationId!.Value, r.Status == ReflectionStatus.Rejected ? DecisionOutcome.Rejected : DecisionOutcome.Granted,
                    c.Reason!, now, retracted)];
            case ExpireReflectionPeriod:
                return [new ReflectionPeriodExpired(id, r.ValidTo!.Value, now, Fire(ReflectionTrigger.ExpireReflectionPeriod, _actor))];
            default:
                throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a reflection-period command.");
        }
    }

    /// <summary>The converting event, when a cooperation-permit application is filed while a period runs; none otherwise.</summary>
    public IReadOnlyList<object> ConvertIfRunning(Guid cooperationApplicationId, DateTimeOffset now) =>
        _state.Reflection.Status is ReflectionStatus.Active or ReflectionStatus.ExtensionRequested or ReflectionStatus.SuspendedPersonMissing
            ? [new ReflectionPeriodConverted(_state.Id, cooperationApplicationId, now, Fire(ReflectionTrigger.ConvertToCooperationPermit, _actor))]
            : [];

    /// <summary>The application route of an organisation type (R1): police and prosecution lead investigations; social services are the welfare board.</summary>
    public static ApplicationRoute Route(Actor actor) =>
        actor.OrgType == OrgType.SocialServices ? ApplicationRoute.WelfareBoard : ApplicationRoute.InvestigationLeader;

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new ReflectionWorkflow(new ResidencePermitState(), System, new ReflectionPeriodOptions()).ToMermaid();


    private void To(ReflectionStatus from, ReflectionTrigger trigger, ReflectionStatus to, params Tuple<Func<bool>, string>[] guards)
    {
        if (from == to)
        {
            Machine.Configure(from).PermitReentryIf(trigger, guards);
        }
        else
        {
            Machine.Configure(from).PermitIf(trigger, to, guards);
        }
    }

    private T? Command<T>() where T : class => _command as T;

    private bool IsPresumedVictim() => _state.DeclaredPresumedVictim;

    private bool HasEligibleBasis() =>
        _state.CitizenshipCategory != CitizenshipCategory.Swedish && _options.IsEligibleBasis(_state.ResidenceBasis);

    private IReadOnlyList<string> EligibilityReasons() =>
    [
        $"Residence basis: {_state.ResidenceBasis}.",
        $"Citizenship category: {_state.CitizenshipCategory}.",
        HasEligibleBasis() ? "No right to stay: a 5 kap. 15 § permit is applicable." : "A right to stay exists: a 5 kap. 15 § permit is not applicable.",
    ];

    private bool NamesInvestigationWhenLeader() =>
        Route(_actor) == ApplicationRoute.WelfareBoard
        || Command<SubmitReflectionApplication>() is not { } c
        || _state.OpenInvestigation(c.PreliminaryInvestigationId) is not null;

    private bool NoOtherPermit() => !_state.Reflection.IsActiveOrPending && !_state.Cooperation.IsActiveOrPending;

    private bool DecisionMatchesApplication() =>
        Command<RecordReflectionDecision>() is not { } c || c.ApplicationId == _state.Reflection.ApplicationId;

    private bool SameDecider() => _state.Reflection.DecidedByOrgId is { } decider && decider == _actor.OrgId;

    private bool MayRequestExtension() =>
        Route(_actor) == ApplicationRoute.InvestigationLeader || _options.WelfareBoardMayRequestExtension;

    private bool ConditionsStillMet() => Command<RequestReflectionExtension>() is not { } c || c.ConditionsStillMet;

    private bool ExtensionEndsLater() =>
        Command<RecordReflectionExtensionDecision>() is not { NewValidTo: { } newValidTo } || newValidTo > _state.Reflection.ValidTo;

    private bool LastDayPassed() => _state.Reflection.ExpiresAt is { } end && (_now ?? DateTimeOffset.MaxValue) >= end;
}
