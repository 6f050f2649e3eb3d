using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.VoluntaryReturn.Contracts;
using Referral.Modules.VoluntaryReturn.Features;
using Stateless.Reflection;

namespace Referral.Modules.VoluntaryReturn.Domain;

/// <summary>Triggers of the voluntary return; eligibility outcomes are separate triggers of one command.</summary>
public enum ReturnTrigger
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
public sealed class ReturnWorkflow : StepWorkflow<ReturnStatus, ReturnTrigger>
{
    private static readonly ReturnStatus[] BeforeDeparture =
        [ReturnStatus.InformationGiven, ReturnStatus.InterestExpressed, ReturnStatus.ApplicationSubmitted, ReturnStatus.Approved, ReturnStatus.Assessed, ReturnStatus.TravelArranged];

    private readonly ReturnState _state;
    private readonly Actor _actor;
    private readonly object? _command;
    private readonly DateTimeOffset _now;

    public ReturnWorkflow(ReturnState state, Actor actor, object? command = null, DateTimeOffset? now = null)
        : base(state.Status)
    {
        _state = state;
        _actor = actor;
        _command = command;
        _now = now ?? DateTimeOffset.MaxValue;

        foreach (var start in new[] { ReturnStatus.NotDiscussed, ReturnStatus.Withdrawn, ReturnStatus.Rejected })
        {
            Machine.Configure(start).Permit(ReturnTrigger.RecordReturnInformationGiven, ReturnStatus.InformationGiven);
        }

        Machine.Configure(ReturnStatus.InformationGiven)
            .PermitIf(ReturnTrigger.RecordReturnInterest, ReturnStatus.InterestExpressed, G(OwnWish, Guards.OwnWish), G(AlternativesExplained, Guards.Alternatives));
        Machine.Configure(ReturnStatus.InterestExpressed)
            .PermitReentryIf(ReturnTrigger.PrepareReturnApplication, DestinationAllowed, Guards.Destination)
            .PermitIf(ReturnTrigger.SubmitReturnApplication, ReturnStatus.ApplicationSubmitted, DestinationAllowed, Guards.Destination);
        Machine.Configure(ReturnStatus.ApplicationSubmitted)
            .PermitReentryIf(ReturnTrigger.ApproveFirst, G(() => !ThisDeciderApproved(), Guards.NotYetApprovedByCaller), G(() => !OtherDeciderApproved(), Guards.OtherNotYet))
            .PermitIf(ReturnTrigger.ApproveSecond, ReturnStatus.Approved, G(() => !ThisDeciderApproved(), Guards.NotYetApprovedByCaller), G(OtherDeciderApproved, Guards.OtherApproved))
            .Permit(ReturnTrigger.RejectEligibility, ReturnStatus.Rejected);
        // The assessment is recorded whatever it finds; an unfit person (or needs not yet assessed) does not travel until a
        // later assessment finds otherwise.
        Machine.Configure(ReturnStatus.Approved)
            .Permit(ReturnTrigger.RecordPreDepartureAssessment, ReturnStatus.Assessed);
        Machine.Configure(ReturnStatus.Assessed)
            .PermitReentry(ReturnTrigger.RecordPreDepartureAssessment)
            .PermitIf(ReturnTrigger.ArrangeTravel, ReturnStatus.TravelArranged,
                G(() => _state.FitToTravel && _state.NeedsAssessed, Guards.FitToTravel),
                G(ChildBestInterests, Guards.ChildBestInterests), G(WitnessCoordination, Guards.WitnessCoordination), G(DocumentsReady, Guards.Documents));
        Machine.Configure(ReturnStatus.TravelArranged).Permit(ReturnTrigger.RecordDeparture, ReturnStatus.Departed);
        Machine.Configure(ReturnStatus.Departed).Permit(ReturnTrigger.RecordArrival, ReturnStatus.Arrived);
        Machine.Configure(ReturnStatus.Arrived).Permit(ReturnTrigger.StartReintegration, ReturnStatus.ReintegrationActive);
        Machine.Configure(ReturnStatus.ReintegrationActive)
            .PermitReentry(ReturnTrigger.RecordReintegrationContact)
            .PermitIf(ReturnTrigger.CompleteReintegration, ReturnStatus.Completed, SixMonthsOrOptOut, Guards.SixMonths)
            .Permit(ReturnTrigger.MarkReintegrationContactLost, ReturnStatus.ContactLost);

        foreach (var status in BeforeDeparture.Append(ReturnStatus.OnHold))
        {
            Machine.Configure(status)
                .Permit(ReturnTrigger.WithdrawFromReturn, ReturnStatus.Withdrawn)
                .PermitReentryIf(ReturnTrigger.RecordBestInterestsDetermination, () => _state.IsChild, Guards.Child)
                .PermitReentryIf(ReturnTrigger.RecordInvestigationLeaderAcknowledgement, TakesPartInOpenInvestigation, Guards.InOpenInvestigation);
        }

        foreach (var status in BeforeDeparture.Skip(1))
        {
            Machine.Configure(status)
                .Permit(ReturnTrigger.PutReturnOnHold, ReturnStatus.OnHold)
                .Permit(ReturnTrigger.PersonReportedMissing, ReturnStatus.OnHold);
        }

        Machine.Configure(ReturnStatus.OnHold)
            .PermitDynamicIf(ReturnTrigger.ResumeReturn, () => _state.StatusBeforeHold ?? ReturnStatus.InterestExpressed,
                () => _state.HoldReason != HoldReason.PersonMissing, Guards.NotMissing,
                new DynamicStateInfos { { ReturnStatus.InterestExpressed, "where it was" } });

        foreach (var status in new[] { ReturnStatus.Departed, ReturnStatus.Arrived, ReturnStatus.ReintegrationActive, ReturnStatus.Completed, ReturnStatus.ContactLost })
        {
            Machine.Configure(status).PermitReentryIf(ReturnTrigger.RecordChildHandover, G(() => _state.IsChild, Guards.Child), G(() => !_state.ChildHandedOver, Guards.NotHandedOver));
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
    }

    protected override string Step => "voluntary-return";

    protected override Type CommandFor(ReturnTrigger trigger) => trigger switch
    {
        ReturnTrigger.RecordReturnInformationGiven => typeof(RecordReturnInformationGiven),
        ReturnTrigger.RecordReturnInterest => typeof(RecordReturnInterest),
        ReturnTrigger.PrepareReturnApplication => typeof(PrepareReturnApplication),
        ReturnTrigger.SubmitReturnApplication => typeof(SubmitReturnApplication),
        ReturnTrigger.ApproveFirst or ReturnTrigger.ApproveSecond or ReturnTrigger.RejectEligibility => typeof(RecordEligibilityDecision),
        ReturnTrigger.RecordPreDepartureAssessment => typeof(RecordPreDepartureAssessment),
        ReturnTrigger.RecordBestInterestsDetermination => typeof(RecordBestInterestsDetermination),
        ReturnTrigger.RecordInvestigationLeaderAcknowledgement => typeof(RecordInvestigationLeaderAcknowledgement),
        ReturnTrigger.ArrangeTravel => typeof(ArrangeTravel),
        ReturnTrigger.RecordDeparture => typeof(RecordDeparture),
        ReturnTrigger.RecordArrival => typeof(RecordArrival),
        ReturnTrigger.RecordChildHandover => typeof(RecordChildHandover),
        ReturnTrigger.StartReintegration => typeof(StartReintegration),
        ReturnTrigger.RecordReintegrationContact => typeof(RecordReintegrationContact),
        ReturnTrigger.CompleteReintegration => typeof(CompleteReintegration),
        ReturnTrigger.MarkReintegrationContactLost => typeof(MarkReintegrationContactLost),
        ReturnTrigger.WithdrawFromReturn => typeof(WithdrawFromReturn),
        ReturnTrigger.PutReturnOnHold => typeof(PutReturnOnHold),
        ReturnTrigger.ResumeReturn => typeof(ResumeReturn),
        _ => typeof(SystemAct),
    };

    /// <summary>The status after a system transition (an upstream event), without guards.</summary>
    public static ReturnStatus Reacting(ReturnState state, ReturnTrigger trigger) => new ReturnWorkflow(state, System).React(trigger);

    /// <summary>Checks the command against the machine and returns the events it produces (pure).</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        var id = _state.Id;
        ReturnStatus To(ReturnTrigger trigger) => Fire(trigger, _actor);
        return _command switch
        {
            RecordReturnInformationGiven c => [new ReturnInformationGiven(id, c.Language!, now, To(ReturnTrigger.RecordReturnInformationGiven))],
            RecordReturnInterest c => [new ReturnInterestExpressed(id, c.OwnWish, c.AlternativesExplained, now, To(ReturnTrigger.RecordReturnInterest))],
            PrepareReturnApplication c => To(ReturnTrigger.PrepareReturnApplication) is var _
                ? [new ReturnApplicationPrepared(id, c.Category!.Value, c.DestinationCountry!, c.DestinationType!.Value, _actor.OrgType, now)] : [],
            SubmitReturnApplication c => [new ReturnApplicationSubmitted(id, c.Category!.Value, c.DestinationCountry!, c.DestinationType!.Value, now, To(ReturnTrigger.SubmitReturnApplication))],
            RecordEligibilityDecision c => [new ReturnEligibilityDecided(id, Decider(), c.Approved,
                now, To(!c.Approved ? ReturnTrigger.RejectEligibility : OtherDeciderApproved() ? ReturnTrigger.ApproveSecond : ReturnTrigger.ApproveFirst))],
            RecordPreDepartureAssessment c => [new ReturnPreDepartureAssessed(id, c.RiskLevel!.Value, c.NeedsAssessed, c.FitToTravel, now, To(ReturnTrigger.RecordPreDepartureAssessment))],
            RecordBestInterestsDetermination c => To(ReturnTrigger.RecordBestInterestsDetermination) is var _
                ? [new BestInterestsDetermined(id, c.Sweden!.Value, c.CountryOfReturn!.Value, c.ReceivingAuthority!, now)] : [],
            RecordInvestigationLeaderAcknowledgement c => To(ReturnTrigger.RecordInvestigationLeaderAcknowledgement) is var _
                ? [new InvestigationLeaderAcknowledged(id, c.InvestigationId!.Value, c.TestimonySecured, c.RemoteTestimonyPossible, now)] : [],
            ArrangeTravel c => [new ReturnTravelArranged(id, c.DepartureDate!.Value, c.EscortRequired, c.TravelDocumentsReady, now, To(ReturnTrigger.ArrangeTravel))],
            RecordDeparture => [new ReturnDeparted(id, now, To(ReturnTrigger.RecordDeparture))],
            RecordArrival => [new ReturnArrived(id, now, To(ReturnTrigger.RecordArrival))],
            RecordChildHandover c => To(ReturnTrigger.RecordChildHandover) is var _ ? [new ChildHandedOver(id, c.ReceivingAuthority!, now)] : [],
            StartReintegration c => [new ReintegrationStarted(id, c.Components!, now, To(ReturnTrigger.StartReintegration))],
            RecordReintegrationContact c => To(ReturnTrigger.RecordReintegrationContact) is var _ ? [new ReintegrationContactLogged(id, now, c.Channel!, c.Outcome!)] : [],
            CompleteReintegration c => [new ReintegrationCompleted(id, c.OptedOut, now, To(ReturnTrigger.CompleteReintegration))],
            MarkReintegrationContactLost => [new ReintegrationContactLost(id, now, To(ReturnTrigger.MarkReintegrationContactLost))],
            WithdrawFromReturn => [new ReturnWithdrawn(id, now, To(ReturnTrigger.WithdrawFromReturn))],
            PutReturnOnHold c => [new ReturnPutOnHold(id, c.Reason!.Value, now, To(ReturnTrigger.PutReturnOnHold))],
            ResumeReturn => [new ReturnResumed(id, now, To(ReturnTrigger.ResumeReturn))],
            _ => throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a voluntary-return command."),
        };
    }

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() => new ReturnWorkflow(new ReturnState(), System).ToMermaid();


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

    private bool TakesPartInOpenInvestigation() =>
        Command<RecordInvestigationLeaderAcknowledgement>() is not { } c || _state.Investigations.Any(i => i.InvestigationId == c.InvestigationId && i.Open);
}
