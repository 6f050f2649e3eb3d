using Referral.BuildingBlocks.Contracts;

namespace Referral.Modules.Suspicion.Contracts;

// The public, immutable history of the suspicion and identification step. Each event is stored under the alias in
// SuspicionEventAliases and is never changed incompatibly: corrections are new events (rule R20).
// No personal data: the person is named only by the pseudonymous SubjectId. Free-text fields are labelled and must
// describe the assessment, never identify anyone.

/// <summary>A suspicion of human trafficking was registered; the case begins (stream start).</summary>
public sealed record SuspicionRegistered(
    Guid CaseId,
    Guid SubjectId,
    DateTimeOffset ReportedAt,
    string ReportingOrgId,
    OrgType ReportingOrgType,
    ReportingChannel Channel,
    string MunicipalityCode,
    AgeCategory? AgeCategory,
    Gender Gender,
    string? Nationality,
    CitizenshipCategory CitizenshipCategory,
    ResidenceBasis ResidenceBasis,
    IReadOnlyList<string> Languages,
    bool InterpreterNeeded,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    LabourSector? LabourSector,
    IReadOnlyList<Indicator> Indicators,
    IReadOnlyList<MethodOfControl> MethodsOfControl,
    IReadOnlyList<string> CountriesOfExploitation,
    string? OperationRef,
    ConsentStatus ConsentStatus,
    Guid? OperationId = null) : IAdmitsParticipants
{
    /// <summary>The registering organisation takes part in the case.</summary>
    public IEnumerable<Admission> Admits() => [new(ReportingOrgId, ReportingOrgType, ParticipationRoute.Registered)];
}

/// <summary>The adult's consent was recorded, changed or withdrawn (samtycke; rule R11).</summary>
public sealed record ConsentRecorded(
    Guid CaseId,
    ConsentStatus Status,
    IReadOnlyList<ConsentScope> Scope,
    string Language,
    bool InterpreterUsed,
    DateTimeOffset RecordedAt);

/// <summary>A regional coordinator (regionkoordinator) was consulted; the case is under assessment.</summary>
public sealed record CoordinatorConsulted(
    Guid CaseId,
    string CoordinatorOrgId,
    bool PseudonymisedOnly,
    DateTimeOffset ConsultedAt,
    SuspicionStatus Status) : IAdmitsParticipants
{
    /// <summary>The coordinator consulted takes part in the case (designated by the consulting participant).</summary>
    public IEnumerable<Admission> Admits() => [new(CoordinatorOrgId, OrgType.RegionalCoordinator, ParticipationRoute.Designated)];
}

/// <summary>Indicators and methods of control were assessed. <c>Narrative</c>: assessment only, no identifying details.</summary>
public sealed record IndicatorsAssessed(
    Guid CaseId,
    IReadOnlyList<Indicator> Indicators,
    IReadOnlyList<MethodOfControl> MethodsOfControl,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    string? Narrative,
    DateTimeOffset AssessedAt,
    SuspicionStatus Status);

/// <summary>
/// The person was declared a presumed victim (förmodat offer). Support starts from this event; a child's case also
/// starts the child-safeguarding overlay. <c>Assessment</c>: the overall assessment, no identifying details.
/// </summary>
public sealed record PresumedVictimDeclared(
    Guid CaseId,
    Guid SubjectId,
    AgeCategory AgeCategory,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    string Assessment,
    DateTimeOffset DeclaredAt,
    SuspicionStatus Status);

/// <summary>R20: the declaring organisation corrected the declaration (a compensating event). <c>Reason</c>: no identifying details.</summary>
public sealed record PresumedVictimDeclarationCorrected(
    Guid CaseId,
    AgeCategory AgeCategory,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    string Reason,
    DateTimeOffset CorrectedAt);

/// <summary>R20: the declaring organisation retracted the declaration; the case is under assessment again. <c>Reason</c>: no identifying details.</summary>
public sealed record PresumedVictimDeclarationRetracted(
    Guid CaseId,
    string Reason,
    DateTimeOffset RetractedAt,
    SuspicionStatus Status);

/// <summary>An organisation that may not declare (NGO, health care, Work Environment Authority) recommended a declaration: a task for social services and the regional coordinator.</summary>
public sealed record PresumedVictimRecommended(
    Guid CaseId,
    string Reason,
    DateTimeOffset RecommendedAt);

/// <summary>The case was closed as not trafficking. <c>Justification</c>: no identifying details.</summary>
public sealed record CaseClosedNotTrafficking(
    Guid CaseId,
    ClosureReason Reason,
    string Justification,
    DateTimeOffset ClosedAt,
    SuspicionStatus Status);

/// <summary>Contact with the person was lost.</summary>
public sealed record ContactMarkedLost(
    Guid CaseId,
    DateTimeOffset? LastContactAt,
    DateTimeOffset RecordedAt,
    SuspicionStatus Status);

/// <summary>A closed case was reopened on new information. <c>NewInformation</c>: no identifying details.</summary>
public sealed record CaseReopened(
    Guid CaseId,
    string NewInformation,
    DateTimeOffset ReopenedAt,
    SuspicionStatus Status);

/// <summary>
/// The person was reported missing (rule R12). Every later step reacts: the reflection period is suspended (the permit
/// itself is unchanged), a return is put on hold, a child's case becomes urgent.
/// </summary>
public sealed record PersonReportedMissing(
    Guid CaseId,
    DateTimeOffset MissingSince,
    DateTimeOffset ReportedAt);

/// <summary>A person reported missing was found; the steps resume.</summary>
public sealed record PersonFound(
    Guid CaseId,
    DateTimeOffset FoundAt,
    DateTimeOffset ReportedAt);

/// <summary>The separate person record was corrected; only the names of the changed fields are recorded.</summary>
public sealed record PersonRecordCorrected(
    Guid CaseId,
    Guid SubjectId,
    IReadOnlyList<string> Fields,
    DateTimeOffset CorrectedAt);

/// <summary>
/// The person has, or no longer has, protected personal data (skyddade personuppgifter, decided by Skatteverket):
/// while set, the municipality and placement details are hidden from everyone not taking part in the case.
/// </summary>
/// <summary>
/// R18: this case's person is the same person as in <c>LinkedCaseId</c> (reported by another organisation), linked by an
/// organisation taking part in both; from now on the person is counted once, under <c>CountedSubjectId</c> (the smallest
/// pseudonym of the linked cases). Recorded in every linked case's history. Ids only.
/// </summary>
public sealed record SubjectLinked(Guid CaseId, Guid LinkedCaseId, Guid CountedSubjectId, DateTimeOffset LinkedAt);

public sealed record ProtectedIdentitySet(
    Guid CaseId,
    bool Protected,
    DateTimeOffset SetAt);

/// <summary>
/// Processing of the person record was restricted, or the restriction lifted (GDPR art. 18, begränsning av
/// behandling): while restricted the record is stored but not read, except under a crime-investigation basis.
/// </summary>
public sealed record PersonRecordRestrictionSet(
    Guid CaseId,
    Guid SubjectId,
    bool Restricted,
    RestrictionGround? Ground,
    DateTimeOffset SetAt);

/// <summary>The separate person record was erased; the case history stays under the pseudonymous SubjectId.</summary>
public sealed record PersonRecordErased(
    Guid CaseId,
    Guid SubjectId,
    DateTimeOffset ErasedAt);

/// <summary>
/// An anonymous consultation (e.g. a call to the hotline, stödtelefonen) was recorded for statistics. It never creates
/// a case or a person record (rule R17) and contains no personal data.
/// </summary>
public sealed record AnonymousConsultationRecorded(
    Guid ConsultationId,
    OrgType ConsultedOrgType,
    OrgType CallerOrgType,
    AgeCategory? AgeCategory,
    Gender? Gender,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    LabourSector? LabourSector,
    ReportingChannel Channel,
    bool ReferredToRegionalCoordinator,
    DateTimeOffset ConsultedAt);

/// <summary>
/// A participant referred the case to another organisation (hänvisning): within the adult's recorded consent scope
/// (R11), for a child, or under a legal basis that fits the receiving organisation (R15, in the event metadata).
/// </summary>
public sealed record OrganisationReferred(
    Guid CaseId,
    string OrgId,
    OrgType OrgType,
    DateTimeOffset ReferredAt) : IAdmitsParticipants
{
    public IEnumerable<Admission> Admits() => [new(OrgId, OrgType, ParticipationRoute.Referred)];
}

/// <summary>
/// An organisation that did not take part joined the case under a legal basis fitting its type (R15); the join and its
/// purpose are in the access log. From now on it takes part.
/// </summary>
public sealed record OrganisationJoined(
    Guid CaseId,
    string OrgId,
    OrgType OrgType,
    LegalBasis LegalBasis,
    DateTimeOffset JoinedAt) : IAdmitsParticipants
{
    public IEnumerable<Admission> Admits() => [new(OrgId, OrgType, ParticipationRoute.JoinedUnderLegalBasis)];
}

/// <summary>The stored names of the step's events. Never rename one: they are how the legal history is read back.</summary>
public static class SuspicionEventAliases
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(SuspicionRegistered)] = "suspicion.suspicion_registered",
        [typeof(ConsentRecorded)] = "suspicion.consent_recorded",
        [typeof(CoordinatorConsulted)] = "suspicion.coordinator_consulted",
        [typeof(IndicatorsAssessed)] = "suspicion.indicators_assessed",
        [typeof(PresumedVictimDeclared)] = "suspicion.presumed_victim_declared",
        [typeof(PresumedVictimRecommended)] = "suspicion.presumed_victim_recommended",
        [typeof(PresumedVictimDeclarationCorrected)] = "suspicion.presumed_victim_declaration_corrected",
        [typeof(PresumedVictimDeclarationRetracted)] = "suspicion.presumed_victim_declaration_retracted",
        [typeof(CaseClosedNotTrafficking)] = "suspicion.case_closed_not_trafficking",
        [typeof(ContactMarkedLost)] = "suspicion.contact_marked_lost",
        [typeof(CaseReopened)] = "suspicion.case_reopened",
        [typeof(PersonReportedMissing)] = "suspicion.person_reported_missing",
        [typeof(PersonFound)] = "suspicion.person_found",
        [typeof(PersonRecordCorrected)] = "suspicion.person_record_corrected",
        [typeof(PersonRecordErased)] = "suspicion.person_record_erased",
        [typeof(ProtectedIdentitySet)] = "suspicion.protected_identity_set",
        [typeof(SubjectLinked)] = "suspicion.subject_linked",
        [typeof(PersonRecordRestrictionSet)] = "suspicion.person_record_restriction_set",
        [typeof(AnonymousConsultationRecorded)] = "suspicion.anonymous_consultation_recorded",
        [typeof(OrganisationReferred)] = "suspicion.organisation_referred",
        [typeof(OrganisationJoined)] = "suspicion.organisation_joined",
    };
}
