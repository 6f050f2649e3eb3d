using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.VoluntaryReturn.Contracts;
using Stateless.Reflection;

namespace Referral.Modules.VoluntaryReturn;

/// <summary>Settings of the voluntary-return step (configuration section <c>VoluntaryReturn</c>).</summary>
public sealed class VoluntaryReturnOptions
{
    /// <summary>
    /// R8 [U]: how long the investigation leaders have to acknowledge an approved return before IOM may record that it
    /// notified them and proceed (the manual makes R8 an acknowledgement, not a veto; the wait is not stated).
    /// </summary>
    public TimeSpan LeaderAcknowledgementWait { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Triggers of the voluntary return; eligibility outcomes are separate triggers of one command.</summary>
public enum VoluntaryReturnTrigger
{
    RecordReturnInformationGiven,
    RecordReturnInterest,
    PrepareReturnApplication,
    SubmitReturnApplication,
    ApproveFirst,
    ApproveSecond,
    RejectEligibility,
    RecordPreDepartureAssessment,
    RecordBestInterestsDetermination,
    RecordInvestigationLeaderAcknowledgement,
    RecordInvestigationLeaderNotified,
    ArrangeTravel,
    RecordDeparture,
    RecordArrival,
    RecordChildHandover,
    StartReintegration,
    RecordReintegrationContact,
    CompleteReintegration,
    MarkReintegrationContactLost,
    WithdrawFromReturn,
    PutReturnOnHold,
    ResumeReturn,
    PersonReportedMissing,
}

/// <summary>
/// The voluntary return (ÅMP, MANUAL.md §4.6) as a Stateless machine, plus the pure decider of its commands. Never a
/// removal in disguise: every step follows the person's own wish, which can be withdrawn at any time before departure.
/// Rules: joint eligibility (coordinator and IOM), R8 (witness coordination: an acknowledgement, not a veto), R12
/// (missing → on hold), R14 (a child returns only on positive best-interests determinations in both countries).
/// </summary>
public sealed class VoluntaryReturnWorkflow : StepWorkflow<ReturnStatus, VoluntaryReturnTrigger>
{
    private static readonly WorkflowPool<VoluntaryReturnWorkflow> Pool = new(() => new VoluntaryReturnWorkflow());

    private static readonly TriggerTable<VoluntaryReturnTrigger> Table = new(
        (VoluntaryReturnTrigger.RecordReturnInformationGiven, typeof(RecordReturnInformationGiven)),
        (VoluntaryReturnTrigger.RecordReturnInterest, typeof(RecordReturnInterest)),
        (VoluntaryReturnTrigger.PrepareReturnApplication, typeof(PrepareReturnApplication)),
        (VoluntaryReturnTrigger.SubmitReturnApplication, typeof(SubmitReturnApplication)),
        (VoluntaryReturnTrigger.ApproveFirst, typeof(RecordEligibilityDecision)),
        (VoluntaryReturnTrigger.ApproveSecond, typeof(RecordEligibilityDecision)),
        (VoluntaryReturnTrigger.RejectEligibility, typeof(RecordEligibilityDecision)),
        (VoluntaryReturnTrigger.RecordPreDepartureAssessment, typeof(RecordPreDepartureAssessment)),
        (VoluntaryReturnTrigger.RecordBestInterestsDetermination, typeof(RecordBestInterestsDetermination)),
        (VoluntaryReturnTrigger.RecordInvestigationLeaderAcknowledgement, typeof(RecordInvestigationLeaderAcknowledgement)),
        (VoluntaryReturnTrigger.RecordInvestigationLeaderNotified, typeof(RecordInvestigationLeaderNotified)),
        (VoluntaryReturnTrigger.ArrangeTravel, typeof(ArrangeTravel)),
        (VoluntaryReturnTrigger.RecordDeparture, typeof(RecordDeparture)),
        (VoluntaryReturnTrigger.RecordArrival, typeof(RecordArrival)),
        (VoluntaryReturnTrigger.RecordChildHandover, typeof(RecordChildHandover)),
        (VoluntaryReturnTrigger.StartReintegration, typeof(StartReintegration)),
        (VoluntaryReturnTrigger.RecordReintegrationContact, typeof(RecordReintegrationContact)),
        (VoluntaryReturnTrigger.CompleteReintegration, typeof(CompleteReintegration)),
        (VoluntaryReturnTrigger.MarkReintegrationContactLost, typeof(MarkReintegrationContactLost)),
        (VoluntaryReturnTrigger.WithdrawFromReturn, typeof(WithdrawFromReturn)),
        (VoluntaryReturnTrigger.PutReturnOnHold, typeof(PutReturnOnHold)),
        (VoluntaryReturnTrigger.ResumeReturn, typeof(ResumeReturn)));

    private static readonly ReturnStatus[] BeforeDeparture =
        [ReturnStatus.InformationGiven, ReturnStatus.InterestExpressed, ReturnStatus.ApplicationSubmitted, ReturnStatus.Approved, ReturnStatus.Assessed, ReturnStatus.TravelArranged];

    private VoluntaryReturnState _state = null!;
    private DateTimeOffset _now;
    private VoluntaryReturnOptions _options = null!;

    public VoluntaryReturnWorkflow(VoluntaryReturnState state, Actor actor, DateTimeOffset? now = null, VoluntaryReturnOptions? options = null)
        : this() => Bind(state, actor, now, options);

    private VoluntaryReturnWorkflow()
    {
        foreach (var start in new[] { ReturnStatus.NotDiscussed, ReturnStatus.Withdrawn, ReturnStatus.Rejected })
        {
            Machine.Configure(start).Permit(VoluntaryReturnTrigger.RecordReturnInformationGiven, ReturnStatus.InformationGiven);
        }

        Machine.Configure(ReturnStatus.InformationGiven)
            .PermitIf(VoluntaryReturnTrigger.RecordReturnInterest, ReturnStatus.InterestExpressed, G(OwnWish, Guards.OwnWish), G(AlternativesExplained, Guards.Alternatives));
        Machine.Configure(ReturnStatus.InterestExpressed)
            .PermitReentryIf(VoluntaryReturnTrigger.PrepareReturnApplication, DestinationAllowed, Guards.Destination)
            .PermitIf(VoluntaryReturnTrigger.SubmitReturnApplication, ReturnStatus.ApplicationSubmitted, DestinationAllowed, Guards.Destination);
        Machine.Configure(ReturnStatus.ApplicationSubmitted)
            .PermitReentryIf(VoluntaryReturnTrigger.ApproveFirst, G(() => !ThisDeciderApproved(), Guards.NotYetApprovedByCaller), G(() => !OtherDeciderApproved(), Guards.OtherNotYet))
            .PermitIf(VoluntaryReturnTrigger.ApproveSecond, ReturnStatus.Approved, G(() => !ThisDeciderApproved(), Guards.NotYetApprovedByCaller), G(OtherDeciderApproved, Guards.OtherApproved))
            .Permit(VoluntaryReturnTrigger.RejectEligibility, ReturnStatus.Rejected);
        // The assessment is recorded whatever it finds; an unfit person (or needs not yet assessed) does not travel until a
        // later assessment finds otherwise.
        Machine.Configure(ReturnStatus.Approved)
            .Permit(VoluntaryReturnTrigger.RecordPreDepartureAssessment, ReturnStatus.Assessed);
        Machine.Configure(ReturnStatus.Assessed)
            .PermitReentry(VoluntaryReturnTrigger.RecordPreDepartureAssessment)
            .PermitIf(VoluntaryReturnTrigger.ArrangeTravel, ReturnStatus.TravelArranged,
                G(() => _state.FitToTravel && _state.NeedsAssessed, Guards.FitToTravel),
                G(ChildBestInterests, Guards.ChildBestInterests), G(WitnessCoordination, Guards.WitnessCoordination), G(DocumentsReady, Guards.Documents));
        Machine.Configure(ReturnStatus.TravelArranged).Permit(VoluntaryReturnTrigger.RecordDeparture, ReturnStatus.Departed);
        Machine.Configure(ReturnStatus.Departed).Permit(VoluntaryReturnTrigger.RecordArrival, ReturnStatus.Arrived);
        Machine.Configure(ReturnStatus.Arrived).Permit(VoluntaryReturnTrigger.StartReintegration, ReturnStatus.ReintegrationActive);
        Machine.Configure(ReturnStatus.ReintegrationActive)
            .PermitReentry(VoluntaryReturnTrigger.RecordReintegrationContact)
            .PermitIf(VoluntaryReturnTrigger.CompleteReintegration, ReturnStatus.Completed, SixMonthsOrOptOut, Guards.SixMonths)
            .Permit(VoluntaryReturnTrigger.MarkReintegrationContactLost, ReturnStatus.ContactLost);

        foreach (var status in BeforeDeparture.Append(ReturnStatus.OnHold))
        {
            Machine.Configure(status)
                .Permit(VoluntaryReturnTrigger.WithdrawFromReturn, ReturnStatus.Withdrawn)
                .PermitReentryIf(VoluntaryReturnTrigger.RecordBestInterestsDetermination, () => _state.IsChild, Guards.Child)
                .PermitReentryIf(VoluntaryReturnTrigger.RecordInvestigationLeaderAcknowledgement, TakesPartInOpenInvestigation, Guards.InOpenInvestigation)
                .PermitReentryIf(VoluntaryReturnTrigger.RecordInvestigationLeaderNotified,
                    G(AwaitsThisLeader, Guards.AwaitsLeader), G(WaitPassed, Guards.WaitPassed));
        }

        foreach (var status in BeforeDeparture.Skip(1))
        {
            Machine.Configure(status)
                .Permit(VoluntaryReturnTrigger.PutReturnOnHold, ReturnStatus.OnHold)
                .Permit(VoluntaryReturnTrigger.PersonReportedMissing, ReturnStatus.OnHold);
        }

        Machine.Configure(ReturnStatus.OnHold)
            .PermitDynamicIf(VoluntaryReturnTrigger.ResumeReturn, () => _state.StatusBeforeHold ?? ReturnStatus.InterestExpressed,
                () => _state.HoldReason != HoldReason.PersonMissing, Guards.NotMissing,
                new DynamicStateInfos { { ReturnStatus.InterestExpressed, "where it was" } });

        foreach (var status in new[] { ReturnStatus.Departed, ReturnStatus.Arrived, ReturnStatus.ReintegrationActive, ReturnStatus.Completed, ReturnStatus.ContactLost })
        {
            Machine.Configure(status).PermitReentryIf(VoluntaryReturnTrigger.RecordChildHandover, G(() => _state.IsChild, Guards.Child), G(() => !_state.ChildHandedOver, Guards.NotHandedOver));
        }
    }

    /// <summary>A configured machine from the pool, bound to the case's return and the actor; <c>Dispose</c> gives it back.</summary>
    public static VoluntaryReturnWorkflow For(VoluntaryReturnState state, Actor actor, DateTimeOffset? now = null, VoluntaryReturnOptions? options = null) => Pool.Rent().Bind(state, actor, now, options);

    private VoluntaryReturnWorkflow Bind(VoluntaryReturnState state, Actor actor, DateTimeOffset? now, VoluntaryReturnOptions? options)
    {
        Reset(state.Status, actor);
        _state = state;
        _now = now ?? DateTimeOffset.MaxValue;
        _options = options ?? new VoluntaryReturnOptions();
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string OwnWish = "the wish to return is the person's own";
        public const string Alternatives = "the alternatives (and the risks of staying) were explained";
        public const string Destination = "the destination is the person's country of origin (nationality) or a country where the person has permanent residence";
        public const string NotYetApprovedByCaller = "this decider has not already approved";
        public const string OtherNotYet = "the other decider (regional coordinator or IOM) has not approved yet";
        public const string OtherApproved = "the other decider (regional coordinator or IOM) has approved";
        public const string FitToTravel = "IOM's latest risk, needs and health assessment finds the person fit to travel, with the needs assessed";
        public const string Child = "the person is a child";
        public const string ChildBestInterests = "for a child: positive best-interests determinations in Sweden and in the country of return, and a receiving authority (R14)";
        public const string WitnessCoordination = "the investigation leader has acknowledged the return for every open investigation where the person is injured party or witness (R8)";
        public const string Documents = "travel documents are ready";
        public const string SixMonths = "six months have passed since arrival, or the person opts out of further contact";
        public const string InOpenInvestigation = "the case takes part in this open investigation";
        public const string NotMissing = "the hold is not for a missing person (that return resumes when the person is found)";
        public const string NotHandedOver = "the child has not already been handed over";
        public const string AwaitsLeader = "the approved return awaits this investigation leader's acknowledgement (the person is injured party or witness in it, and it is open)";
        public const string WaitPassed = "the leader has had the configured wait (VoluntaryReturn:LeaderAcknowledgementWait) since the return was approved, without acknowledging";
    }

    protected override string Step => "voluntary-return";

    protected override TriggerTable<VoluntaryReturnTrigger> Triggers => Table;

    /// <summary>The status after a system transition (an upstream event), without guards.</summary>
    public static ReturnStatus Reacting(VoluntaryReturnState state, VoluntaryReturnTrigger trigger) => VoluntaryReturnWorkflow.For(state, System).Once(w => w.React(trigger));

    public IReadOnlyList<object> RecordReturnInformationGiven(RecordReturnInformationGiven c) => [new ReturnInformationGiven(_state.Id, c.Language!, _now, Fire(c))];

    public IReadOnlyList<object> RecordReturnInterest(RecordReturnInterest c) =>
        [new ReturnInterestExpressed(_state.Id, c.OwnWish, c.AlternativesExplained, _now, Fire(c))];

    public IReadOnlyList<object> PrepareReturnApplication(PrepareReturnApplication c)
    {
        Fire(c);
        return [new ReturnApplicationPrepared(_state.Id, c.Category!.Value, c.DestinationCountry!, c.DestinationType!.Value, Actor.OrgType, _now)];
    }

    public IReadOnlyList<object> SubmitReturnApplication(SubmitReturnApplication c) =>
        [new ReturnApplicationSubmitted(_state.Id, c.Category!.Value, c.DestinationCountry!, c.DestinationType!.Value, _now, Fire(c))];

    public IReadOnlyList<object> RecordEligibilityDecision(RecordEligibilityDecision c) =>
        [new ReturnEligibilityDecided(_state.Id, Decider(), c.Approved, _now,
            Fire(!c.Approved ? VoluntaryReturnTrigger.RejectEligibility : OtherDeciderApproved() ? VoluntaryReturnTrigger.ApproveSecond : VoluntaryReturnTrigger.ApproveFirst, c))];

    public IReadOnlyList<object> RecordPreDepartureAssessment(RecordPreDepartureAssessment c) =>
        [new ReturnPreDepartureAssessed(_state.Id, c.RiskLevel!.Value, c.NeedsAssessed, c.FitToTravel, _now, Fire(c))];

    public IReadOnlyList<object> RecordBestInterestsDetermination(RecordBestInterestsDetermination c)
    {
        Fire(c);
        return [new BestInterestsDetermined(_state.Id, c.Sweden!.Value, c.CountryOfReturn!.Value, c.ReceivingAuthority!, _now)];
    }

    public IReadOnlyList<object> RecordInvestigationLeaderAcknowledgement(RecordInvestigationLeaderAcknowledgement c)
    {
        Fire(c);
        return [new InvestigationLeaderAcknowledged(_state.Id, c.InvestigationId!.Value, c.TestimonySecured, c.RemoteTestimonyPossible, _now)];
    }

    public IReadOnlyList<object> RecordInvestigationLeaderNotified(RecordInvestigationLeaderNotified c)
    {
        Fire(c);
        return [new InvestigationLeaderNotified(_state.Id, c.InvestigationId!.Value, _now)];
    }

    public IReadOnlyList<object> ArrangeTravel(ArrangeTravel c) =>
        [new ReturnTravelArranged(_state.Id, c.DepartureDate!.Value, c.EscortRequired, c.TravelDocumentsReady, _now, Fire(c))];

    public IReadOnlyList<object> RecordDeparture(RecordDeparture c) => [new ReturnDeparted(_state.Id, _now, Fire(c))];

    public IReadOnlyList<object> RecordArrival(RecordArrival c) => [new ReturnArrived(_state.Id, _now, Fire(c))];

    public IReadOnlyList<object> RecordChildHandover(RecordChildHandover c)
    {
        Fire(c);
        return [new ChildHandedOver(_state.Id, c.ReceivingAuthority!, _now)];
    }

    public IReadOnlyList<object> StartReintegration(StartReintegration c) => [new ReintegrationStarted(_state.Id, c.Components!, _now, Fire(c))];

    public IReadOnlyList<object> RecordReintegrationContact(RecordReintegrationContact c)
    {
        Fire(c);
        return [new ReintegrationContactLogged(_state.Id, _now, c.Channel!, c.Outcome!)];
    }

    public IReadOnlyList<object> CompleteReintegration(CompleteReintegration c) => [new ReintegrationCompleted(_state.Id, c.OptedOut, _now, Fire(c))];

    public IReadOnlyList<object> MarkReintegrationContactLost(MarkReintegrationContactLost c) => [new ReintegrationContactLost(_state.Id, _now, Fire(c))];

    public IReadOnlyList<object> WithdrawFromReturn(WithdrawFromReturn c) => [new ReturnWithdrawn(_state.Id, _now, Fire(c))];

    public IReadOnlyList<object> PutReturnOnHold(PutReturnOnHold c) => [new ReturnPutOnHold(_state.Id, c.Reason!.Value, _now, Fire(c))];

    public IReadOnlyList<object> ResumeReturn(ResumeReturn c) => [new ReturnResumed(_state.Id, _now, Fire(c))];

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() => new VoluntaryReturnWorkflow(new VoluntaryReturnState(), System).ToMermaid();


    private EligibilityDecider Decider() => Actor.OrgType == OrgType.IOM ? EligibilityDecider.IOM : EligibilityDecider.RegionalCoordinator;

    private bool ThisDeciderApproved() => Decider() == EligibilityDecider.IOM ? _state.IomApproved : _state.CoordinatorApproved;

    private bool OtherDeciderApproved() => Decider() == EligibilityDecider.IOM ? _state.CoordinatorApproved : _state.IomApproved;

    private bool OwnWish() => Command is not RecordReturnInterest c || c.OwnWish;

    private bool AlternativesExplained() => Command is not RecordReturnInterest c || c.AlternativesExplained;

    private bool DestinationAllowed() =>
        Command is not IReturnApplication { DestinationType: { } type } c
        || type == DestinationType.ThirdCountryPermanentResidence
        || string.Equals(c.DestinationCountry, _state.Nationality, StringComparison.Ordinal);

    private bool ChildBestInterests() =>
        !_state.IsChild
        || (_state.BestInterestsSweden == Determination.Positive && _state.BestInterestsCountryOfReturn == Determination.Positive
            && !string.IsNullOrWhiteSpace(_state.ReceivingAuthority));

    private bool WitnessCoordination() => !_state.AwaitingAcknowledgement.Any();

    private bool DocumentsReady() => Command is not ArrangeTravel c || c.TravelDocumentsReady;

    private bool SixMonthsOrOptOut() =>
        Command is CompleteReintegration { OptedOut: true } || (_state.ArrivedAt is { } arrived && _now >= arrived.AddMonths(6));

    /// <summary>R8: the command's investigation (any, when listing actions) still awaits its leader's acknowledgement.</summary>
    private bool AwaitsThisLeader() =>
        Command is RecordInvestigationLeaderNotified c
            ? _state.AwaitingAcknowledgement.Any(i => i.InvestigationId == c.InvestigationId)
            : _state.AwaitingAcknowledgement.Any();

    private bool WaitPassed() => _state.ApprovedAt is { } approved && _now >= approved + _options.LeaderAcknowledgementWait;

    private bool TakesPartInOpenInvestigation() =>
        Command is not RecordInvestigationLeaderAcknowledgement c || _state.Investigations.Any(i => i.InvestigationId == c.InvestigationId && i.Open);
}
