using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>An organisation taking part in a case: how it came to, and since when.</summary>
public sealed record Participant(string OrgId, OrgType OrgType, ParticipationRoute Route, DateTimeOffset Since);

/// <summary>
/// The suspicion and identification step of one case (identifiering), projected inline from the case stream.
/// Immutable: <see cref="Fold"/> returns a new state, so the aggregate Marten hands out is never mutated.
/// Contains no personal data (those live in the separate person record).
/// </summary>
public sealed record SuspicionState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public SuspicionStatus Status { get; init; }
    public Guid SubjectId { get; init; }

    /// <summary>R18: the pseudonym the person is counted under — its own, or the smallest of the linked cases' (<c>SubjectLinked</c>).</summary>
    public Guid CountedSubjectId { get; init; }

    /// <summary>The counted pseudonym, also for a document projected before it existed (then the case's own).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid Counted => CountedSubjectId == Guid.Empty ? SubjectId : CountedSubjectId;
    public DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset LastChangedAt { get; init; }
    public string ReportingOrgId { get; init; } = "";
    public OrgType ReportingOrgType { get; init; }
    public ReportingChannel Channel { get; init; }
    public string MunicipalityCode { get; init; } = "";
    public AgeCategory? AgeCategory { get; init; }
    public Gender Gender { get; init; }
    public string? Nationality { get; init; }
    public CitizenshipCategory CitizenshipCategory { get; init; }
    public ResidenceBasis ResidenceBasis { get; init; }
    public IReadOnlyList<string> Languages { get; init; } = [];
    public bool InterpreterNeeded { get; init; }
    public IReadOnlyList<ExploitationPurpose> ExploitationPurposes { get; init; } = [];
    public LabourSector? LabourSector { get; init; }
    public IReadOnlyList<Indicator> Indicators { get; init; } = [];
    public IReadOnlyList<MethodOfControl> MethodsOfControl { get; init; } = [];
    public IReadOnlyList<string> CountriesOfExploitation { get; init; } = [];
    public string? OperationRef { get; init; }

    /// <summary>The joint outreach operation the person was met on, if registered from one.</summary>
    public Guid? OperationId { get; init; }
    public ConsentStatus ConsentStatus { get; init; }
    public IReadOnlyList<ConsentScope> ConsentScope { get; init; } = [];
    public IReadOnlyList<string> CoordinatorOrgIds { get; init; } = [];
    public int Recommendations { get; init; }

    /// <summary>When the first recommendation not yet answered by a declaration or a closure was made (null: none open).</summary>
    public DateTimeOffset? RecommendedSince { get; init; }

    /// <summary>
    /// The duties this step puts on organisations: a recommendation to declare (by an NGO, health care or the Work
    /// Environment Authority) must reach social services or the regional coordinator, who assess it and declare or close.
    /// </summary>
    public IReadOnlyList<OpenItem> OpenItems =>
        RecommendedSince is { } since && Status is SuspicionStatus.Registered or SuspicionStatus.UnderAssessment
            ? [new OpenItem("AssessPresumedVictimRecommendation", [OrgType.SocialServices, OrgType.RegionalCoordinator],
                "A recommendation to declare the person a presumed victim awaits the assessment of social services or the regional coordinator (MANUAL.md §4.1).", since)]
            : [];
    public ClosureReason? ClosureReason { get; init; }
    public DateTimeOffset? DeclaredAt { get; init; }

    /// <summary>The organisation that declared (it alone corrects or retracts the declaration, R20).</summary>
    public string? DeclaredByOrgId { get; init; }
    public bool PersonRecordErased { get; init; }
    public bool IsMissing { get; init; }

    /// <summary>Skyddade personuppgifter — protected personal data: the municipality is shown to participants only.</summary>
    public bool ProtectedIdentity { get; init; }

    /// <summary>Begränsning — processing of the person record restricted (GDPR art. 18), and on which ground.</summary>
    public RestrictionGround? PersonRecordRestriction { get; init; }

    /// <summary>The municipality, or <c>null</c> when the person's data are protected and the actor does not take part.</summary>
    public string? VisibleMunicipality(Actor actor) =>
        ProtectedIdentity && !Participants.Contains(actor.OrgId) ? null : MunicipalityCode;
    public DateTimeOffset? MissingSince { get; init; }

    /// <summary>Who takes part in the case, how and since when (need-to-know; docs/manual/privacy.md).</summary>
    public IReadOnlyList<Participant> Participations { get; init; } = [];

    /// <summary>The ids of the organisations taking part (need-to-know for reads and commands; queried by lists).</summary>
    public IReadOnlyList<string> Participants { get; init; } = [];

    /// <summary>The kinds of organisation taking part (R13: a child's case needs social services).</summary>
    public IReadOnlyList<OrgType> ParticipantTypes { get; init; } = [];

    public bool IsChild => AgeCategory is Contracts.AgeCategory.Child or Contracts.AgeCategory.AgeDisputedTreatedAsChild;

    /// <summary>Folds one event into the state; unknown events (other steps') only advance the version.</summary>
    public static SuspicionState? Fold(SuspicionState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered e) => Started(e, info),
            (null, _) => null,
            ({ } s, ConsentRecorded e) => s with { ConsentStatus = e.Status, ConsentScope = e.Scope },
            ({ } s, CoordinatorConsulted e) => s with
            {
                Status = e.Status,
                CoordinatorOrgIds = s.CoordinatorOrgIds.Union([e.CoordinatorOrgId]).ToList(),
            },
            ({ } s, IndicatorsAssessed e) => s with
            {
                Status = e.Status,
                Indicators = s.Indicators.Union(e.Indicators).ToList(),
                MethodsOfControl = s.MethodsOfControl.Union(e.MethodsOfControl).ToList(),
                ExploitationPurposes = s.ExploitationPurposes.Union(e.ExploitationPurposes).ToList(),
            },
            ({ } s, PresumedVictimDeclared e) => s with
            {
                Status = e.Status,
                AgeCategory = e.AgeCategory,
                ExploitationPurposes = e.ExploitationPurposes,
                DeclaredAt = e.DeclaredAt,
                DeclaredByOrgId = info.OrgId,
                RecommendedSince = null,
                ConsentStatus = e.AgeCategory == Contracts.AgeCategory.Adult ? s.ConsentStatus : ConsentStatus.NotRequiredChild,
            },
            ({ } s, PresumedVictimDeclarationCorrected e) => s with { AgeCategory = e.AgeCategory, ExploitationPurposes = e.ExploitationPurposes },
            ({ } s, PresumedVictimDeclarationRetracted e) => s with { Status = e.Status, DeclaredAt = null, DeclaredByOrgId = null },
            ({ } s, PresumedVictimRecommended e) => s with { Recommendations = s.Recommendations + 1, RecommendedSince = s.RecommendedSince ?? e.RecommendedAt },
            ({ } s, CaseClosedNotTrafficking e) => s with { Status = e.Status, ClosureReason = e.Reason, RecommendedSince = null },
            ({ } s, ContactMarkedLost e) => s with { Status = e.Status },
            ({ } s, CaseReopened e) => s with { Status = e.Status, ClosureReason = null },
            ({ } s, PersonReportedMissing e) => s with { IsMissing = true, MissingSince = e.MissingSince },
            ({ } s, PersonFound) => s with { IsMissing = false, MissingSince = null },
            ({ } s, Contracts.PersonRecordErased) => s with { PersonRecordErased = true },
            ({ } s, ProtectedIdentitySet e) => s with { ProtectedIdentity = e.Protected },
            ({ } s, SubjectLinked e) => s with { CountedSubjectId = e.CountedSubjectId },
            ({ } s, PersonRecordRestrictionSet e) => s with { PersonRecordRestriction = e.Restricted ? e.Ground : null },
            ({ } s, _) => s,
        };

        return next is null ? null : Admit(next, data, info) with { Version = info.Version, LastChangedAt = info.Timestamp };
    }

    /// <summary>
    /// The one participation rule: an organisation takes part only when an event admits it (<see cref="IAdmitsParticipants"/>:
    /// registration, designation, referral, a legal-basis join, an investigation link). Acting on a case admits no one.
    /// </summary>
    private static SuspicionState Admit(SuspicionState state, object data, EventInfo info)
    {
        if (data is not IAdmitsParticipants admitting)
        {
            return state;
        }

        var admitted = admitting.Admits().Where(a => !state.Participants.Contains(a.OrgId)).DistinctBy(a => a.OrgId).ToList();
        return admitted.Count == 0 ? state : state with
        {
            Participations = [.. state.Participations, .. admitted.Select(a => new Participant(a.OrgId, a.OrgType, a.Route, info.Timestamp))],
            Participants = [.. state.Participants, .. admitted.Select(a => a.OrgId)],
            ParticipantTypes = [.. state.ParticipantTypes.Union(admitted.Select(a => a.OrgType))],
        };
    }

    private static SuspicionState Started(SuspicionRegistered e, EventInfo info) => new()
    {
        Id = e.CaseId,
        Status = SuspicionStatus.Registered,
        SubjectId = e.SubjectId,
        CountedSubjectId = e.SubjectId,
        ReportedAt = e.ReportedAt,
        RegisteredAt = info.Timestamp,
        ReportingOrgId = e.ReportingOrgId,
        ReportingOrgType = e.ReportingOrgType,
        Channel = e.Channel,
        MunicipalityCode = e.MunicipalityCode,
        AgeCategory = e.AgeCategory,
        Gender = e.Gender,
        Nationality = e.Nationality,
        CitizenshipCategory = e.CitizenshipCategory,
        ResidenceBasis = e.ResidenceBasis,
        Languages = e.Languages,
        InterpreterNeeded = e.InterpreterNeeded,
        ExploitationPurposes = e.ExploitationPurposes,
        LabourSector = e.LabourSector,
        Indicators = e.Indicators,
        MethodsOfControl = e.MethodsOfControl,
        CountriesOfExploitation = e.CountriesOfExploitation,
        OperationRef = e.OperationRef,
        OperationId = e.OperationId,
        ConsentStatus = e.ConsentStatus,
    };
}
