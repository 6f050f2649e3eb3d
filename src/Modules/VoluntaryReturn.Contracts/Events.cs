using Referral.BuildingBlocks.Contracts;

namespace Referral.Modules.VoluntaryReturn.Contracts;

/// <summary>States of the voluntary return (Återvändandeprogrammet Människohandel Prostitution, ÅMP; manual step 6).</summary>
public enum ReturnStatus
{
    NotDiscussed,
    InformationGiven,
    InterestExpressed,
    ApplicationSubmitted,
    /// <summary>Both the regional coordinator and IOM approved.</summary>
    Approved,
    /// <summary>IOM's pre-departure risk, needs and health assessment is done.</summary>
    Assessed,
    TravelArranged,
    Departed,
    Arrived,
    ReintegrationActive,
    Completed,
    ContactLost,
    Rejected,
    Withdrawn,
    OnHold,
}

/// <summary>Who the programme is for.</summary>
public enum EligibilityCategory { IdentifiedVictim, SuspectedVictim, ForeignNationalInProstitution }

/// <summary>Where the person returns to.</summary>
public enum DestinationType { CountryOfOrigin, ThirdCountryPermanentResidence }

/// <summary>Who decided on eligibility (both must approve).</summary>
public enum EligibilityDecider { RegionalCoordinator, IOM }

/// <summary>Why a return is on hold.</summary>
public enum HoldReason { PersonMissing, ChildBestInterestsPending, WitnessCoordinationPending, TravelDocumentsPending, HealthPending }

/// <summary>Outcome of a best-interests determination for a child.</summary>
public enum Determination { Positive, Negative }

/// <summary>Risk level of the pre-departure assessment.</summary>
public enum RiskLevel { Low, Medium, High }

/// <summary>Parts of a reintegration plan.</summary>
public enum ReintegrationComponent { Housing, Medical, Psychosocial, Education, IncomeGeneration, Legal }

public sealed record ReturnInformationGiven(Guid CaseId, string Language, DateTimeOffset GivenAt, ReturnStatus Status);

/// <summary>The person expressed interest: their own wish, with the alternatives explained.</summary>
public sealed record ReturnInterestExpressed(Guid CaseId, bool OwnWish, bool AlternativesExplained, DateTimeOffset ExpressedAt, ReturnStatus Status);

/// <summary>
/// Social services or an NGO prepared the return application for the regional coordinator, who submits it (MANUAL.md
/// §4.6: the coordinator is the Swedish contact point). Nothing is submitted until the coordinator does.
/// </summary>
public sealed record ReturnApplicationPrepared(
    Guid CaseId, EligibilityCategory Category, string DestinationCountry, DestinationType DestinationType, OrgType PreparedBy, DateTimeOffset PreparedAt);

/// <summary>The regional coordinator submitted the return application to IOM.</summary>
public sealed record ReturnApplicationSubmitted(Guid CaseId, EligibilityCategory Category, string DestinationCountry, DestinationType DestinationType, DateTimeOffset SubmittedAt, ReturnStatus Status);

/// <summary>One of the two deciders recorded its decision; the application is approved only when both approved.</summary>
public sealed record ReturnEligibilityDecided(Guid CaseId, EligibilityDecider Decider, bool Approved, DateTimeOffset DecidedAt, ReturnStatus Status);

/// <summary>
/// IOM's risk, needs and health assessment. It may find the person unfit to travel or the needs not yet assessed; travel
/// is then refused until a later assessment finds the person fit with the needs assessed.
/// </summary>
public sealed record ReturnPreDepartureAssessed(Guid CaseId, RiskLevel RiskLevel, bool NeedsAssessed, bool FitToTravel, DateTimeOffset AssessedAt, ReturnStatus Status);

/// <summary>R14: a child's best-interests determination, in Sweden and in the country of return.</summary>
public sealed record BestInterestsDetermined(Guid CaseId, Determination Sweden, Determination CountryOfReturn, string ReceivingAuthority, DateTimeOffset DeterminedAt);

/// <summary>R8: the investigation leader acknowledged the return (testimony secured? remote testimony possible?). An acknowledgement, not a veto.</summary>
public sealed record InvestigationLeaderAcknowledged(Guid CaseId, Guid InvestigationId, bool TestimonySecured, bool RemoteTestimonyPossible, DateTimeOffset AcknowledgedAt);

/// <summary>
/// R8: the investigation leader did not acknowledge within the configured wait; IOM records that the leader was notified,
/// and travel may proceed (an acknowledgement, not a veto).
/// </summary>
public sealed record InvestigationLeaderNotified(Guid CaseId, Guid InvestigationId, DateTimeOffset NotifiedAt);

public sealed record ReturnTravelArranged(Guid CaseId, DateOnly DepartureDate, bool EscortRequired, bool TravelDocumentsReady, DateTimeOffset ArrangedAt, ReturnStatus Status);

/// <summary>The person departed. The reflection period ends early (R7); support ends with reason ReturnedHome.</summary>
public sealed record ReturnDeparted(Guid CaseId, DateTimeOffset DepartedAt, ReturnStatus Status);

public sealed record ReturnArrived(Guid CaseId, DateTimeOffset ArrivedAt, ReturnStatus Status);

/// <summary>Social services handed a child over to the receiving authority; their responsibility ends (R14).</summary>
public sealed record ChildHandedOver(Guid CaseId, string ReceivingAuthority, DateTimeOffset HandedOverAt);

public sealed record ReintegrationStarted(Guid CaseId, IReadOnlyList<ReintegrationComponent> Components, DateTimeOffset StartedAt, ReturnStatus Status);

/// <summary>A monitoring contact after return. <c>Outcome</c>: no identifying details.</summary>
public sealed record ReintegrationContactLogged(Guid CaseId, DateTimeOffset ContactedAt, string Channel, string Outcome);

public sealed record ReintegrationCompleted(Guid CaseId, bool OptedOut, DateTimeOffset CompletedAt, ReturnStatus Status);

public sealed record ReintegrationContactLost(Guid CaseId, DateTimeOffset RecordedAt, ReturnStatus Status);

/// <summary>The person withdrew before departure; no reason is required.</summary>
public sealed record ReturnWithdrawn(Guid CaseId, DateTimeOffset WithdrawnAt, ReturnStatus Status);

public sealed record ReturnPutOnHold(Guid CaseId, HoldReason Reason, DateTimeOffset At, ReturnStatus Status);

public sealed record ReturnResumed(Guid CaseId, DateTimeOffset At, ReturnStatus Status);

/// <summary>The stored names of the step's events. Never rename one.</summary>
public static class VoluntaryReturnEventAliases
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(ReturnInformationGiven)] = "voluntary_return.information_given",
        [typeof(ReturnInterestExpressed)] = "voluntary_return.interest_expressed",
        [typeof(ReturnApplicationSubmitted)] = "voluntary_return.application_submitted",
        [typeof(ReturnApplicationPrepared)] = "voluntary_return.application_prepared",
        [typeof(ReturnEligibilityDecided)] = "voluntary_return.eligibility_decided",
        [typeof(ReturnPreDepartureAssessed)] = "voluntary_return.pre_departure_assessed",
        [typeof(BestInterestsDetermined)] = "voluntary_return.best_interests_determined",
        [typeof(InvestigationLeaderAcknowledged)] = "voluntary_return.investigation_leader_acknowledged",
        [typeof(InvestigationLeaderNotified)] = "voluntary_return.investigation_leader_notified",
        [typeof(ReturnTravelArranged)] = "voluntary_return.travel_arranged",
        [typeof(ReturnDeparted)] = "voluntary_return.departed",
        [typeof(ReturnArrived)] = "voluntary_return.arrived",
        [typeof(ChildHandedOver)] = "voluntary_return.child_handed_over",
        [typeof(ReintegrationStarted)] = "voluntary_return.reintegration_started",
        [typeof(ReintegrationContactLogged)] = "voluntary_return.reintegration_contact_logged",
        [typeof(ReintegrationCompleted)] = "voluntary_return.reintegration_completed",
        [typeof(ReintegrationContactLost)] = "voluntary_return.reintegration_contact_lost",
        [typeof(ReturnWithdrawn)] = "voluntary_return.withdrawn",
        [typeof(ReturnPutOnHold)] = "voluntary_return.put_on_hold",
        [typeof(ReturnResumed)] = "voluntary_return.resumed",
    };
}
