using Marten.Schema;
using Referral.BuildingBlocks.Cases;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.VoluntaryReturn;

/// <summary>An investigation the case takes part in, from the prosecution step's case-level events (for R8).</summary>
/// <param name="InvestigationId">The investigation.</param>
/// <param name="Role">The person's role in it.</param>
/// <param name="Open">Whether it is open.</param>
/// <param name="Acknowledged">The leader acknowledged the return (R8).</param>
/// <param name="LeaderNotified">IOM recorded that the leader was notified after the wait without an acknowledgement (R8).</param>
public sealed record OpenRole(Guid InvestigationId, ParticipationRole Role, bool Open, bool Acknowledged, bool LeaderNotified = false);

/// <summary>An application prepared by social services or an NGO, waiting for the regional coordinator to submit it.</summary>
public sealed record PreparedApplication(
    EligibilityCategory Category, string DestinationCountry, DestinationType DestinationType, Referral.BuildingBlocks.Contracts.OrgType PreparedBy, DateTimeOffset PreparedAt);

/// <summary>
/// The voluntary return of one case (ÅMP), projected inline from the case stream, including the suspicion step's
/// events (nationality, age, whereabouts) and the prosecution step's (investigations the person takes part in).
/// </summary>
[DocumentAlias("returnstate")] // the table keeps its name across the rename (ADR 0011)
public sealed record VoluntaryReturnState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public ReturnStatus Status { get; init; } = ReturnStatus.NotDiscussed;
    public string? Nationality { get; init; }
    public AgeCategory? AgeCategory { get; init; }
    public EligibilityCategory? Category { get; init; }
    public string? DestinationCountry { get; init; }
    public DestinationType? DestinationType { get; init; }
    public bool CoordinatorApproved { get; init; }
    public bool IomApproved { get; init; }
    public RiskLevel? RiskLevel { get; init; }

    /// <summary>IOM's latest pre-departure assessment: fit to travel, and the needs assessed (both needed before travel).</summary>
    public bool FitToTravel { get; init; }

    public bool NeedsAssessed { get; init; }

    /// <summary>An application social services or an NGO prepared for the coordinator to submit (null once submitted).</summary>
    public PreparedApplication? PreparedApplication { get; init; }
    public Determination? BestInterestsSweden { get; init; }
    public Determination? BestInterestsCountryOfReturn { get; init; }
    public string? ReceivingAuthority { get; init; }
    public IReadOnlyList<OpenRole> Investigations { get; init; } = [];
    public DateOnly? DepartureDate { get; init; }
    public DateTimeOffset? ArrivedAt { get; init; }
    public bool ChildHandedOver { get; init; }
    public IReadOnlyList<ReintegrationComponent> ReintegrationPlan { get; init; } = [];
    public int ReintegrationContacts { get; init; }
    public HoldReason? HoldReason { get; init; }
    public ReturnStatus? StatusBeforeHold { get; init; }

    /// <summary>R8: when the approved return was put before the investigation leaders (the wait for their acknowledgement starts).</summary>
    public DateTimeOffset? ApprovedAt { get; init; }

    public bool IsChild => AgeCategory is Suspicion.Contracts.AgeCategory.Child or Suspicion.Contracts.AgeCategory.AgeDisputedTreatedAsChild;

    /// <summary>R14: social services stay responsible for a child until the recorded handover.</summary>
    public bool SocialServicesResponsible => IsChild && !ChildHandedOver;

    /// <summary>R8: open investigations where the person is injured party or witness and the leader has not yet acknowledged.</summary>
    public IEnumerable<OpenRole> AwaitingAcknowledgement =>
        Investigations.Where(i => i.Open && i.Role is ParticipationRole.InjuredParty or ParticipationRole.Witness && !i.Acknowledged && !i.LeaderNotified);

    public static VoluntaryReturnState? Fold(VoluntaryReturnState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered e) => new VoluntaryReturnState { Id = e.CaseId, Nationality = e.Nationality, AgeCategory = e.AgeCategory },
            (null, _) => null,
            ({ } s, PresumedVictimDeclared e) => s with { AgeCategory = e.AgeCategory },
            ({ } s, PresumedVictimDeclarationCorrected e) => s with { AgeCategory = e.AgeCategory },
            ({ } s, PersonReportedMissing) => VoluntaryReturnWorkflow.Reacting(s, VoluntaryReturnTrigger.PersonReportedMissing) is var held && held != s.Status
                ? s with { Status = held, HoldReason = Contracts.HoldReason.PersonMissing, StatusBeforeHold = s.Status }
                : s,
            ({ } s, PersonFound) => s.Status == ReturnStatus.OnHold && s.HoldReason == Contracts.HoldReason.PersonMissing
                ? s with { Status = s.StatusBeforeHold ?? ReturnStatus.InformationGiven, HoldReason = null, StatusBeforeHold = null }
                : s,
            ({ } s, LinkedToInvestigation e) => s with { Investigations = [.. s.Investigations, new OpenRole(e.InvestigationId, e.Role, true, false)] },
            ({ } s, InvestigationOutcomeRecorded e) => s with
            {
                Investigations = s.Investigations.Select(i => i.InvestigationId == e.InvestigationId
                    ? i with { Open = e.InvestigationStatus is not (InvestigationStatus.ClosedNoProsecution or InvestigationStatus.Final) }
                    : i).ToList(),
            },
            ({ } s, ReturnInformationGiven e) => new VoluntaryReturnState
            {
                Id = s.Id, Nationality = s.Nationality, AgeCategory = s.AgeCategory, Investigations = s.Investigations, Status = e.Status,
            },
            ({ } s, ReturnInterestExpressed e) => s with { Status = e.Status },
            ({ } s, ReturnApplicationPrepared e) => s with
            {
                PreparedApplication = new PreparedApplication(e.Category, e.DestinationCountry, e.DestinationType, e.PreparedBy, e.PreparedAt),
            },
            ({ } s, ReturnApplicationSubmitted e) => s with
            {
                PreparedApplication = null,
                Status = e.Status, Category = e.Category, DestinationCountry = e.DestinationCountry, DestinationType = e.DestinationType,
                CoordinatorApproved = false, IomApproved = false, ApprovedAt = null,
            },
            ({ } s, ReturnEligibilityDecided e) => s with
            {
                Status = e.Status,
                CoordinatorApproved = s.CoordinatorApproved || (e.Approved && e.Decider == EligibilityDecider.RegionalCoordinator),
                IomApproved = s.IomApproved || (e.Approved && e.Decider == EligibilityDecider.IOM),
                ApprovedAt = e.Status == ReturnStatus.Approved ? e.DecidedAt : s.ApprovedAt,
            },
            ({ } s, ReturnPreDepartureAssessed e) => s with { Status = e.Status, RiskLevel = e.RiskLevel, FitToTravel = e.FitToTravel, NeedsAssessed = e.NeedsAssessed },
            ({ } s, BestInterestsDetermined e) => s with { BestInterestsSweden = e.Sweden, BestInterestsCountryOfReturn = e.CountryOfReturn, ReceivingAuthority = e.ReceivingAuthority },
            ({ } s, InvestigationLeaderAcknowledged e) => s with
            {
                Investigations = s.Investigations.Select(i => i.InvestigationId == e.InvestigationId ? i with { Acknowledged = true } : i).ToList(),
            },
            ({ } s, InvestigationLeaderNotified e) => s with
            {
                Investigations = s.Investigations.Select(i => i.InvestigationId == e.InvestigationId ? i with { LeaderNotified = true } : i).ToList(),
            },
            ({ } s, ReturnTravelArranged e) => s with { Status = e.Status, DepartureDate = e.DepartureDate },
            ({ } s, ReturnDeparted e) => s with { Status = e.Status },
            ({ } s, ReturnArrived e) => s with { Status = e.Status, ArrivedAt = e.ArrivedAt },
            ({ } s, Contracts.ChildHandedOver e) => s with { ChildHandedOver = true, ReceivingAuthority = e.ReceivingAuthority },
            ({ } s, ReintegrationStarted e) => s with { Status = e.Status, ReintegrationPlan = e.Components },
            ({ } s, ReintegrationContactLogged) => s with { ReintegrationContacts = s.ReintegrationContacts + 1 },
            ({ } s, ReintegrationCompleted e) => s with { Status = e.Status },
            ({ } s, ReintegrationContactLost e) => s with { Status = e.Status },
            ({ } s, ReturnWithdrawn e) => s with { Status = e.Status, HoldReason = null, StatusBeforeHold = null },
            ({ } s, ReturnPutOnHold e) => s with { Status = e.Status, HoldReason = e.Reason, StatusBeforeHold = s.Status },
            ({ } s, ReturnResumed e) => s with { Status = e.Status, HoldReason = null, StatusBeforeHold = null },
            ({ } s, _) => s,
        };
        return next is null ? null : next with { Version = info.Version };
    }
}
