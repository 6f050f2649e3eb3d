using Marten;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Time;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;
using Stateless.Reflection;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>Triggers of the reflection period. A decision's outcomes are separate triggers of one command.</summary>
public enum ReflectionPeriodTrigger
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
public sealed class ReflectionPeriodWorkflow : StepWorkflow<ReflectionStatus, ReflectionPeriodTrigger>
{
    private static readonly WorkflowPool<ReflectionPeriodWorkflow> Pool = new(() => new ReflectionPeriodWorkflow());

    private static readonly TriggerTable<ReflectionPeriodTrigger> Table = new(
        (ReflectionPeriodTrigger.AssessEligible, typeof(AssessReflectionEligibility)),
        (ReflectionPeriodTrigger.AssessNotApplicable, typeof(AssessReflectionEligibility)),
        (ReflectionPeriodTrigger.SubmitReflectionApplication, typeof(SubmitReflectionApplication)),
        (ReflectionPeriodTrigger.GrantReflectionPeriod, typeof(RecordReflectionDecision)),
        (ReflectionPeriodTrigger.RejectReflectionApplication, typeof(RecordReflectionDecision)),
        (ReflectionPeriodTrigger.RequestReflectionExtension, typeof(RequestReflectionExtension)),
        (ReflectionPeriodTrigger.GrantExtension, typeof(RecordReflectionExtensionDecision)),
        (ReflectionPeriodTrigger.RejectExtension, typeof(RecordReflectionExtensionDecision)),
        (ReflectionPeriodTrigger.EndReflectionPeriodEarly, typeof(EndReflectionPeriodEarly)),
        (ReflectionPeriodTrigger.CorrectReflectionDecision, typeof(CorrectReflectionDecision)),
        (ReflectionPeriodTrigger.RetractReflectionDecision, typeof(RetractReflectionDecision)),
        (ReflectionPeriodTrigger.ConvertToCooperationPermit, typeof(SubmitCooperationPermitApplication)));

    private ReflectionPeriodState _state = null!;
    private DateTimeOffset? _now;
    private ReflectionPeriodOptions _options = null!;

    public ReflectionPeriodWorkflow(ReflectionPeriodState state, Actor actor, ReflectionPeriodOptions options, DateTimeOffset? now = null)
        : this() => Bind(state, actor, options, now);

    private ReflectionPeriodWorkflow()
    {
        foreach (var from in new[] { ReflectionStatus.NotAssessed, ReflectionStatus.NotApplicable, ReflectionStatus.Eligible,
                     ReflectionStatus.Rejected, ReflectionStatus.EndedEarly, ReflectionStatus.Expired })
        {
            To(from, ReflectionPeriodTrigger.AssessEligible, ReflectionStatus.Eligible, G(IsPresumedVictim, Guards.PresumedVictim), G(HasEligibleBasis, Guards.NoRightToStay));
            To(from, ReflectionPeriodTrigger.AssessNotApplicable, ReflectionStatus.NotApplicable, G(IsPresumedVictim, Guards.PresumedVictim), G(() => !HasEligibleBasis(), Guards.RightToStay));
        }

        foreach (var from in new[] { ReflectionStatus.Eligible, ReflectionStatus.Rejected })
        {
            To(from, ReflectionPeriodTrigger.SubmitReflectionApplication, ReflectionStatus.ApplicationSubmitted,
                G(NamesInvestigationWhenLeader, Guards.InvestigationReference), G(NoOtherPermit, Guards.OnePermit));
        }

        Machine.Configure(ReflectionStatus.ApplicationSubmitted)
            .PermitIf(ReflectionPeriodTrigger.GrantReflectionPeriod, ReflectionStatus.Active, DecisionMatchesApplication, Guards.DecisionMatches)
            .PermitIf(ReflectionPeriodTrigger.RejectReflectionApplication, ReflectionStatus.Rejected, DecisionMatchesApplication, Guards.DecisionMatches);

        Machine.Configure(ReflectionStatus.Active)
            .PermitIf(ReflectionPeriodTrigger.RequestReflectionExtension, ReflectionStatus.ExtensionRequested,
                G(MayRequestExtension, Guards.ExtensionRequester), G(ConditionsStillMet, Guards.ConditionsStillMet))
            .Permit(ReflectionPeriodTrigger.PersonReportedMissing, ReflectionStatus.SuspendedPersonMissing);

        Machine.Configure(ReflectionStatus.ExtensionRequested)
            .PermitIf(ReflectionPeriodTrigger.GrantExtension, ReflectionStatus.Active, ExtensionEndsLater, Guards.ExtensionEndsLater)
            .Permit(ReflectionPeriodTrigger.RejectExtension, ReflectionStatus.Active)
            .Permit(ReflectionPeriodTrigger.PersonReportedMissing, ReflectionStatus.SuspendedPersonMissing);

        Machine.Configure(ReflectionStatus.SuspendedPersonMissing)
            .PermitDynamic(ReflectionPeriodTrigger.PersonFound, () => _state.Reflection.StatusBeforeSuspension is ReflectionStatus.ExtensionRequested
                    ? ReflectionStatus.ExtensionRequested
                    : ReflectionStatus.Active,
                "the state before the person went missing",
                new DynamicStateInfos { { ReflectionStatus.Active, "was active" }, { ReflectionStatus.ExtensionRequested, "an extension was pending" } });

        // R20: the organisation that recorded the decision corrects a grant while the period runs, and retracts a grant while it
        // runs or a rejection until a new application follows; the application then awaits a decision again.
        foreach (var running in new[] { ReflectionStatus.Active, ReflectionStatus.ExtensionRequested, ReflectionStatus.SuspendedPersonMissing })
        {
            Machine.Configure(running)
                .PermitReentryIf(ReflectionPeriodTrigger.CorrectReflectionDecision, SameDecider, Guards.SameDecider)
                .PermitIf(ReflectionPeriodTrigger.RetractReflectionDecision, ReflectionStatus.ApplicationSubmitted, SameDecider, Guards.SameDecider);
        }

        Machine.Configure(ReflectionStatus.Rejected)
            .PermitIf(ReflectionPeriodTrigger.RetractReflectionDecision, ReflectionStatus.ApplicationSubmitted, SameDecider, Guards.SameDecider);

        foreach (var running in new[] { ReflectionStatus.Active, ReflectionStatus.ExtensionRequested, ReflectionStatus.SuspendedPersonMissing })
        {
            Machine.Configure(running)
                .Permit(ReflectionPeriodTrigger.EndReflectionPeriodEarly, ReflectionStatus.EndedEarly)
                .Permit(ReflectionPeriodTrigger.VoluntaryDeparture, ReflectionStatus.EndedEarly)
                .Permit(ReflectionPeriodTrigger.ConvertToCooperationPermit, ReflectionStatus.ConvertedToCooperationPermit)
                .PermitIf(ReflectionPeriodTrigger.ExpireReflectionPeriod, ReflectionStatus.Expired, LastDayPassed, Guards.LastDayPassed);
        }
    }

    /// <summary>A configured machine from the pool, bound to the case's reflection period and the actor; <c>Dispose</c> gives it back.</summary>
    public static ReflectionPeriodWorkflow For(ReflectionPeriodState state, Actor actor, ReflectionPeriodOptions options, DateTimeOffset? now = null) => Pool.Rent().Bind(state, actor, options, now);

    private ReflectionPeriodWorkflow Bind(ReflectionPeriodState state, Actor actor, ReflectionPeriodOptions options, DateTimeOffset? now)
    {
        Reset(state.Reflection.Status, actor);
        _state = state;
        _options = options;
        _now = now;
        return this;
    }

    protected override void Return() => Pool.Return(this);

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

    protected override TriggerTable<ReflectionPeriodTrigger> Triggers => Table;

    /// <summary>The status after a system transition (an upstream event), without guards; unchanged where not permitted.</summary>
    public static ReflectionStatus Reacting(ReflectionPeriodState state, ReflectionPeriodTrigger trigger) =>
        ReflectionPeriodWorkflow.For(state, System, new ReflectionPeriodOptions()).Once(w => w.React(trigger));

    public IReadOnlyList<object> AssessReflectionEligibility(AssessReflectionEligibility c)
    {
        var eligible = HasEligibleBasis();
        var status = Fire(eligible ? ReflectionPeriodTrigger.AssessEligible : ReflectionPeriodTrigger.AssessNotApplicable, c);
        return [new ReflectionEligibilityAssessed(_state.Id, eligible, EligibilityReasons(), c.PersonWishesReflection, Now, status)];
    }

    public IReadOnlyList<object> SubmitReflectionApplication(SubmitReflectionApplication c)
    {
        var route = Route(Actor);
        var investigation = _state.OpenInvestigation(c.PreliminaryInvestigationId);
        return [new ReflectionApplicationSubmitted(_state.Id, Guid.CreateVersion7(Now), route, route == ApplicationRoute.InvestigationLeader ? "194011" : "195011",
            Actor.OrgId, investigation?.InvestigationId, investigation?.ReportRef, Now, _options.WorkingDaysAfter(Now, _options.DecisionDueWorkingDays), Fire(c))];
    }

    // A decision: the machine decides first; with no application pending it refuses (409) before anything reads the application.
    public IReadOnlyList<object> RecordReflectionDecision(RecordReflectionDecision c)
    {
        if (c.Outcome == DecisionOutcome.Granted)
        {
            var granted = Fire(ReflectionPeriodTrigger.GrantReflectionPeriod, c);
            return [new ReflectionPeriodGranted(_state.Id, _state.Reflection.ApplicationId!.Value, c.DecisionRef!, c.ValidFrom!.Value, c.ValidTo!.Value,
                _options.EndOf(c.ValidTo.Value), Now, granted)];
        }

        var rejected = Fire(ReflectionPeriodTrigger.RejectReflectionApplication, c);
        return [new ReflectionPeriodRejected(_state.Id, _state.Reflection.ApplicationId!.Value, c.DecisionRef!, c.RejectionReason!, Now, rejected)];
    }

    public IReadOnlyList<object> RequestReflectionExtension(RequestReflectionExtension c) => [new ReflectionExtensionRequested(_state.Id, c.SpecialReasons!, Now, Fire(c))];

    public IReadOnlyList<object> RecordReflectionExtensionDecision(RecordReflectionExtensionDecision c) => c.Outcome == DecisionOutcome.Granted
        ? [new ReflectionExtensionDecided(_state.Id, DecisionOutcome.Granted, c.DecisionRef!, c.NewValidTo, _options.EndOf(c.NewValidTo!.Value), Now,
            Fire(ReflectionPeriodTrigger.GrantExtension, c))]
        : [new ReflectionExtensionDecided(_state.Id, DecisionOutcome.Rejected, c.DecisionRef!, null, null, Now, Fire(ReflectionPeriodTrigger.RejectExtension, c))];

    public IReadOnlyList<object> EndReflectionPeriodEarly(EndReflectionPeriodEarly c) => [new ReflectionPeriodEndedEarly(_state.Id, c.Reason!.Value, Now, Fire(c))];

    public IReadOnlyList<object> CorrectReflectionDecision(CorrectReflectionDecision c) =>
        [new ReflectionDecisionCorrected(_state.Id, c.DecisionRef!, c.ValidFrom!.Value, c.ValidTo!.Value, _options.EndOf(c.ValidTo.Value), c.Reason!, Now, Fire(c))];

    public IReadOnlyList<object> RetractReflectionDecision(RetractReflectionDecision c)
    {
        var r = _state.Reflection;
        var retracted = Fire(c);
        return [new ReflectionDecisionRetracted(_state.Id, r.ApplicationId!.Value, r.Status == ReflectionStatus.Rejected ? DecisionOutcome.Rejected : DecisionOutcome.Granted,
            c.Reason!, Now, retracted)];
    }

    /// <summary>The deadline service's expiry (a system act).</summary>
    public IReadOnlyList<object> ExpireReflectionPeriod(ExpireReflectionPeriod c) =>
        [new ReflectionPeriodExpired(_state.Id, _state.Reflection.ValidTo!.Value, Now, Fire(ReflectionPeriodTrigger.ExpireReflectionPeriod, c))];

    /// <summary>The converting event, when a cooperation-permit application is filed while a period runs; none otherwise.</summary>
    public IReadOnlyList<object> ConvertIfRunning(SubmitCooperationPermitApplication c, Guid cooperationApplicationId) =>
        _state.Reflection.Status is ReflectionStatus.Active or ReflectionStatus.ExtensionRequested or ReflectionStatus.SuspendedPersonMissing
            ? [new ReflectionPeriodConverted(_state.Id, cooperationApplicationId, Now, Fire(ReflectionPeriodTrigger.ConvertToCooperationPermit, c))]
            : [];

    /// <summary>The application route of an organisation type (R1): police and prosecution lead investigations; social services are the welfare board.</summary>
    public static ApplicationRoute Route(Actor actor) =>
        actor.OrgType == OrgType.SocialServices ? ApplicationRoute.WelfareBoard : ApplicationRoute.InvestigationLeader;

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new ReflectionPeriodWorkflow(new ReflectionPeriodState(), System, new ReflectionPeriodOptions()).ToMermaid();


    private void To(ReflectionStatus from, ReflectionPeriodTrigger trigger, ReflectionStatus to, params Tuple<Func<bool>, string>[] guards)
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

    /// <summary>The time of the command (deciders only run with one).</summary>
    private DateTimeOffset Now => _now ?? throw new InvalidOperationException("A decision needs the time of the command.");

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
        Route(Actor) == ApplicationRoute.WelfareBoard
        || Command is not SubmitReflectionApplication c
        || _state.OpenInvestigation(c.PreliminaryInvestigationId) is not null;

    private bool NoOtherPermit() => !_state.Reflection.IsActiveOrPending && !_state.Cooperation.IsActiveOrPending;

    private bool DecisionMatchesApplication() =>
        Command is not RecordReflectionDecision c || c.ApplicationId == _state.Reflection.ApplicationId;

    private bool SameDecider() => _state.Reflection.DecidedByOrgId is { } decider && decider == Actor.OrgId;

    private bool MayRequestExtension() =>
        Route(Actor) == ApplicationRoute.InvestigationLeader || _options.WelfareBoardMayRequestExtension;

    private bool ConditionsStillMet() => Command is not RequestReflectionExtension c || c.ConditionsStillMet;

    private bool ExtensionEndsLater() =>
        Command is not RecordReflectionExtensionDecision { NewValidTo: { } newValidTo } || newValidTo > _state.Reflection.ValidTo;

    private bool LastDayPassed() => _state.Reflection.ExpiresAt is { } end && (_now ?? DateTimeOffset.MaxValue) >= end;
}

/// <summary>
/// R7 and MANUAL.md §4.3, §4.4, §4.6: a voluntary departure ends every running 5 kap. 15 § permit. When a command appends
/// <see cref="ReturnDeparted"/> to a case, this step's reaction (registered with the write path) adds its own end events
/// to the same append — <see cref="ReflectionPeriodEndedEarly"/> (<c>VoluntaryReturnDeparted</c>) for a running reflection
/// period and <see cref="CooperationPermitEnded"/> for a running cooperation permit — so the projections fold them in the
/// same transaction, auditors see them and claims stop at that day (R16). The voluntary-return step knows nothing of
/// permits; this step reacts to its public event.
/// </summary>
public static class DepartureEndsPermits
{
    /// <summary>The reaction: the end events a departure among <paramref name="events"/> causes (the state comes from the preloaded step documents).</summary>
    public static async Task<IReadOnlyList<object>> ReactAsync(IDocumentSession session, Guid caseId, IReadOnlyList<object> events, CancellationToken ct) =>
        events.OfType<ReturnDeparted>().FirstOrDefault() is { } departed && await session.LoadAsync<ReflectionPeriodState>(caseId, ct) is { } state
            ? Decide(state, departed.DepartedAt)
            : [];

    /// <summary>The end events a departure at <paramref name="at"/> causes in this step (pure).</summary>
    public static IReadOnlyList<object> Decide(ReflectionPeriodState state, DateTimeOffset at)
    {
        var ends = new List<object>();
        if (ReflectionPeriodWorkflow.Reacting(state, ReflectionPeriodTrigger.VoluntaryDeparture) is var ended && ended != state.Reflection.Status)
        {
            ends.Add(new ReflectionPeriodEndedEarly(state.Id, EarlyEndReason.VoluntaryReturnDeparted, at, ended));
        }

        if (state.Cooperation.IsRunning)
        {
            ends.Add(new CooperationPermitEnded(state.Id, CooperationEndReason.VoluntaryReturnDeparted, at, CooperationPermitStatus.Ended));
        }

        return ends;
    }
}

/// <summary>
/// Settings of the reflection-period step (configuration section <c>ReflectionPeriod</c>). Points the research could
/// not confirm ([U] in MANUAL.md) are settings, not hard-coded law.
/// </summary>
public sealed class ReflectionPeriodOptions
{
    /// <summary>[U] Whether a social welfare board may request an extension (the 2007 text names only the investigation leader).</summary>
    public bool WelfareBoardMayRequestExtension { get; set; }

    /// <summary>[U] Whether asylum seekers are eligible (treated as having a right to stay while the asylum case runs: R2).</summary>
    public bool AsylumSeekersEligible { get; set; }

    /// <summary>[A] Migrationsverket decides "within a couple of days": the decision is overdue after this many working days.</summary>
    public int DecisionDueWorkingDays { get; set; } = 3;

    /// <summary>[A] Reminders before a reflection period's last day, in days (default 7 and 2).</summary>
    /// <remarks>Empty means the default: the configuration binder appends to a pre-filled array instead of replacing it.</remarks>
    public int[] ReflectionReminderDays { get; set; } = [];

    /// <summary>[A] Reminders to the investigation leader before a cooperation permit's last day, in days (default 45).</summary>
    public int[] CooperationReminderDays { get; set; } = [];

    /// <summary>The reflection-period reminders in force.</summary>
    public IReadOnlyList<int> ReflectionReminders => ReflectionReminderDays.Length > 0 ? ReflectionReminderDays : [7, 2];

    /// <summary>The cooperation-permit reminders in force.</summary>
    public IReadOnlyList<int> CooperationReminders => CooperationReminderDays.Length > 0 ? CooperationReminderDays : [45];

    /// <summary>UtlL 5 kap. 15 §: a cooperation permit runs at least this many months.</summary>
    public int CooperationPermitMinimumMonths { get; set; } = 6;

    /// <summary>The time zone permit dates are in (a permit is valid through the end of its last day).</summary>
    public string TimeZone { get; set; } = LocalCalendar.Swedish;

    /// <summary>
    /// Extra days that are not working days, beyond weekends, Swedish public holidays and the closed eves, which are
    /// computed for any year (<see cref="WorkingDays"/>). Empty by default.
    /// </summary>
    public DateOnly[] Holidays { get; set; } = [];

    /// <summary>Residence bases that give no right to stay, so a 5 kap. 15 § permit is applicable (R2).</summary>
    public bool IsEligibleBasis(ResidenceBasis basis) =>
        basis is ResidenceBasis.NoRightOfResidence or ResidenceBasis.Unknown
        || (basis == ResidenceBasis.AsylumSeeker && AsylumSeekersEligible);

    /// <summary>The instant a permit valid through <paramref name="validTo"/> ends: the start of the next day, local time.</summary>
    public DateTimeOffset EndOf(DateOnly validTo) => Calendar().EndOf(validTo);

    /// <summary>The end of the <paramref name="workingDays"/>-th working day after <paramref name="from"/>, local time.</summary>
    public DateTimeOffset WorkingDaysAfter(DateTimeOffset from, int workingDays) => new WorkingDays(Calendar(), Holidays).After(from, workingDays);

    /// <summary>The instant a reminder <paramref name="daysBefore"/> days before the last day <paramref name="validTo"/> falls due: the start of that day.</summary>
    public DateTimeOffset ReminderAt(DateOnly validTo, int daysBefore) => Calendar().StartOf(validTo.AddDays(-daysBefore));

    private LocalCalendar Calendar() => new(TimeZone);
}
