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
    private static readonly ReturnStatus[] BeforeDeparture =
        [ReturnStatus.InformationGiven, ReturnStatus.InterestExpressed, ReturnStatus.ApplicationSubmitted, ReturnStatus.Approved, ReturnStatus.Assessed, ReturnStatus.TravelArranged];

    private readonly VoluntaryReturnState _state;
    private readonly Actor _actor;
    private readonly object? _command;
    private readonly DateTimeOffset _now;
    private readonly VoluntaryReturnOptions _options;

    public VoluntaryReturnWorkflow(VoluntaryReturnState state, Actor actor, object? command = null, DateTimeOffset? now = null, VoluntaryReturnOptions? options = null)
        : base(state.Status)
    {
        _state = state;
        _actor = actor;
        _command = command;
        _now = now ?? DateTimeOffset.MaxValue;
        _options = options ?? new VoluntaryReturnOptions();

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

    protected override Type CommandFor(VoluntaryReturnTrigger trigger) => trigger switch
    {
        VoluntaryReturnTrigger.RecordReturnInformationGiven => typeof(RecordReturnInformationGiven),
        VoluntaryReturnTrigger.RecordReturnInterest => typeof(RecordReturnInterest),
        VoluntaryReturnTrigger.PrepareReturnApplication => typeof(PrepareReturnApplication),
        VoluntaryReturnTrigger.SubmitReturnApplication => typeof(SubmitReturnApplication),
        VoluntaryReturnTrigger.ApproveFirst or VoluntaryReturnTrigger.ApproveSecond or VoluntaryReturnTrigger.RejectEligibility => typeof(RecordEligibilityDecision),
        VoluntaryReturnTrigger.RecordPreDepartureAssessment => typeof(RecordPreDepartureAssessment),
        VoluntaryReturnTrigger.RecordBestInterestsDetermination => typeof(RecordBestInterestsDetermination),
        VoluntaryReturnTrigger.RecordInvestigationLeaderAcknowledgement => typeof(RecordInvestigationLeaderAcknowledgement),
        VoluntaryReturnTrigger.RecordInvestigationLeaderNotified => typeof(RecordInvestigationLeaderNotified),
        VoluntaryReturnTrigger.ArrangeTravel => typeof(ArrangeTravel),
        VoluntaryReturnTrigger.RecordDeparture => typeof(RecordDeparture),
        VoluntaryReturnTrigger.RecordArrival => typeof(RecordArrival),
        VoluntaryReturnTrigger.RecordChildHandover => typeof(RecordChildHandover),
        VoluntaryReturnTrigger.StartReintegration => typeof(StartReintegration),
        VoluntaryReturnTrigger.RecordReintegrationContact => typeof(RecordReintegrationContact),
        VoluntaryReturnTrigger.CompleteReintegration => typeof(CompleteReintegration),
        VoluntaryReturnTrigger.MarkReintegrationContactLost => typeof(MarkReintegrationContactLost),
        VoluntaryReturnTrigger.WithdrawFromReturn => typeof(WithdrawFromReturn),
        VoluntaryReturnTrigger.PutReturnOnHold => typeof(PutReturnOnHold),
        VoluntaryReturnTrigger.ResumeReturn => typeof(ResumeReturn),
        _ => typeof(SystemAct),
    };

    /// <summary>The status after a system transition (an upstream event), without guards.</summary>
    public static ReturnStatus Reacting(VoluntaryReturnState state, VoluntaryReturnTrigger trigger) => new VoluntaryReturnWorkflow(state, System).React(trigger);

    /// <summary>Checks the command against the machine and returns the events it produces (pure).</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        var id = _state.Id;
        ReturnStatus To(VoluntaryReturnTrigger trigger) => Fire(trigger, _actor);
        return _command switch
        {
            RecordReturnInformationGiven c => [new ReturnInformationGiven(id, c.Language!, now, To(VoluntaryReturnTrigger.RecordReturnInformationGiven))],
            RecordReturnInterest c => [new ReturnInterestExpressed(id, c.OwnWish, c.AlternativesExplained, now, To(VoluntaryReturnTrigger.RecordReturnInterest))],
            PrepareReturnApplication c => To(VoluntaryReturnTrigger.PrepareReturnApplication) is var _
                ? [new ReturnApplicationPrepared(id, c.Category!.Value, c.DestinationCountry!, c.DestinationType!.Value, _actor.OrgType, now)] : [],
            SubmitReturnApplication c => [new ReturnApplicationSubmitted(id, c.Category!.Value, c.DestinationCountry!, c.DestinationType!.Value, now, To(VoluntaryReturnTrigger.SubmitReturnApplication))],
            RecordEligibilityDecision c => [new ReturnEligibilityDecided(id, Decider(), c.Approved,
                now, To(!c.Approved ? VoluntaryReturnTrigger.RejectEligibility : OtherDeciderApproved() ? VoluntaryReturnTrigger.ApproveSecond : VoluntaryReturnTrigger.ApproveFirst))],
            RecordPreDepartureAssessment c => [new ReturnPreDepartureAssessed(id, c.RiskLevel!.Value, c.NeedsAssessed, c.FitToTravel, now, To(VoluntaryReturnTrigger.RecordPreDepartureAssessment))],
            RecordBestInterestsDetermination c => To(VoluntaryReturnTrigger.RecordBestInterestsDetermination) is var _
                ? [new BestInterestsDetermined(id, c.Sweden!.Value, c.CountryOfReturn!.Value, c.ReceivingAuthority!, now)] : [],
            RecordInvestigationLeaderAcknowledgement c => To(VoluntaryReturnTrigger.RecordInvestigationLeaderAcknowledgement) is var _
                ? [new InvestigationLeaderAcknowledged(id, c.InvestigationId!.Value, c.TestimonySecured, c.RemoteTestimonyPossible, now)] : [],
            RecordInvestigationLeaderNotified c => To(VoluntaryReturnTrigger.RecordInvestigationLeaderNotified) is var _
                ? [new InvestigationLeaderNotified(id, c.InvestigationId!.Value, now)] : [],
            ArrangeTravel c => [new ReturnTravelArranged(id, c.DepartureDate!.Value, c.EscortRequired, c.TravelDocumentsReady, now, To(VoluntaryReturnTrigger.ArrangeTravel))],
            RecordDeparture => [new ReturnDeparted(id, now, To(VoluntaryReturnTrigger.RecordDeparture))],
            RecordArrival => [new ReturnArrived(id, now, To(VoluntaryReturnTrigger.RecordArrival))],
            RecordChildHandover c => To(VoluntaryReturnTrigger.RecordChildHandover) is var _ ? [new ChildHandedOver(id, c.ReceivingAuthority!, now)] : [],
            StartReintegration c => [new ReintegrationStarted(id, c.Components!, now, To(VoluntaryReturnTrigger.StartReintegration))],
            RecordReintegrationContact c => To(VoluntaryReturnTrigger.RecordReintegrationContact) is var _ ? [new ReintegrationContactLogged(id, now, c.Channel!, c.Outcome!)] : [],
            CompleteReintegration c => [new ReintegrationCompleted(id, c.OptedOut, now, To(VoluntaryReturnTrigger.CompleteReintegration))],
            MarkReintegrationContactLost => [new ReintegrationContactLost(id, now, To(VoluntaryReturnTrigger.MarkReintegrationContactLost))],
            WithdrawFromReturn => [new ReturnWithdrawn(id, now, To(VoluntaryReturnTrigger.WithdrawFromReturn))],
            PutReturnOnHold c => [new ReturnPutOnHold(id, c.Reason!.Value, now, To(VoluntaryReturnTrigger.PutReturnOnHold))],
            ResumeReturn => [new ReturnResumed(id, now, To(VoluntaryReturnTrigger.ResumeReturn))],
            _ => throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a voluntary-return command."),
        };
    }

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() => new VoluntaryReturnWorkflow(new VoluntaryReturnState(), System).ToMermaid();


    private T? Command<T>() where T : class => _command as T;

    private EligibilityDecider Decider() => _actor.OrgType == OrgType.IOM ? EligibilityDecider.IOM : EligibilityDecider.RegionalCoordinator;

    private bool ThisDeciderApproved() => Decider() == EligibilityDecider.IOM ? _state.IomApproved : _state.CoordinatorApproved;

    private bool OtherDeciderApproved() => Decider() == EligibilityDecider.IOM ? _state.CoordinatorApproved : _state.IomApproved;

    private bool OwnWish() => Command<RecordReturnInterest>() is not { } c || c.OwnWish;

    private bool AlternativesExplained() => Command<RecordReturnInterest>() is not { } c || c.AlternativesExplained;

    private bool DestinationAllowed() =>
        _command is not IReturnApplication { DestinationType: { } type } c
        || type == DestinationType.ThirdCountryPermanentResidence
        || string.Equals(c.DestinationCountry, _state.Nationality, StringComparison.Ordinal);

    private bool ChildBestInterests() =>
        !_state.IsChild
        || (_state.BestInterestsSweden == Determination.Positive && _state.BestInterestsCountryOfReturn == Determination.Positive
            && !string.IsNullOrWhiteSpace(_state.ReceivingAuthority));

    private bool WitnessCoordination() => !_state.AwaitingAcknowledgement.Any();

    private bool DocumentsReady() => Command<ArrangeTravel>() is not { } c || c.TravelDocumentsReady;

    private bool SixMonthsOrOptOut() =>
        Command<CompleteReintegration>() is { OptedOut: true } || (_state.ArrivedAt is { } arrived && _now >= arrived.AddMonths(6));

    /// <summary>R8: the command's investigation (any, when listing actions) still awaits its leader's acknowledgement.</summary>
    private bool AwaitsThisLeader() =>
        Command<RecordInvestigationLeaderNotified>() is { } c
            ? _state.AwaitingAcknowledgement.Any(i => i.InvestigationId == c.InvestigationId)
            : _state.AwaitingAcknowledgement.Any();

    private bool WaitPassed() => _state.ApprovedAt is { } approved && _now >= approved + _options.LeaderAcknowledgementWait;

    private bool TakesPartInOpenInvestigation() =>
        Command<RecordInvestigationLeaderAcknowledgement>() is not { } c || _state.Investigations.Any(i => i.InvestigationId == c.InvestigationId && i.Open);
}
