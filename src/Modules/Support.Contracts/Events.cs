namespace Referral.Modules.Support.Contracts;

/// <summary>Phases of support and protection (stöd och skydd, manual steps 2–4); sequential, with service lines in parallel.</summary>
public enum SupportPhase
{
    NotStarted,
    /// <summary>Step 2: the first hours or day — acute protection and care needs.</summary>
    Acute,
    /// <summary>Step 3: the first weeks — housing, money, health care, information repeated.</summary>
    Initial,
    /// <summary>Step 4: after the reflection period — support until a possible trial, long-term planning.</summary>
    LongTerm,
    Ended,
}

/// <summary>Why support started: the presumed-victim declaration, or acute danger before it.</summary>
public enum SupportStartGround { PresumedVictimDeclared, AcuteDanger }

/// <summary>Why support ended.</summary>
public enum SupportEndReason { ReturnedHome, EstablishedInSweden, Declined, Missing, MovedMunicipality, TransferredAbroad, Deceased }

/// <summary>A kind of service line. Protection measures are those of CoE Convention Art. 28.</summary>
public enum ServiceType
{
    ProtectedHousing,
    OtherPlacement,
    FinancialAssistance,
    HealthCare,
    Interpreter,
    LegalCounsel,
    Education,
    PsychosocialSupport,
    ProtectionMeasure,
}

/// <summary>States of one service line.</summary>
public enum ServiceLineStatus { Requested, Granted, Rejected, Active, Ended }

/// <summary>
/// What pays for a service line (the statute itself is data, <c>StatuteRef</c>, R19). <c>SchoolMunicipality</c>: a
/// child's schooling paid by the municipality (reimbursable for a child holding a 5 kap. 15 § permit, förordning
/// 2017:193). New values are added at the end.
/// </summary>
public enum FundingBasis { SoL_4_1, LVU, LVM, HealthCareRegion, NGOOwn, Other, SchoolMunicipality }

/// <summary>Which funding bases make costs reimbursable (R16): SoL 4:1, LVU, LVM, regional health care, municipal schooling.</summary>
public static class FundingBases
{
    public static bool IsReimbursable(this FundingBasis? basis) =>
        basis is FundingBasis.SoL_4_1 or FundingBasis.LVU or FundingBasis.LVM or FundingBasis.HealthCareRegion or FundingBasis.SchoolMunicipality;
}

/// <summary>The level of a risk assessment.</summary>
public enum ProtectionRiskLevel { Low, Medium, High, Acute }

/// <summary>The information checklist (MANUAL.md §4.2, steps 2–3).</summary>
public enum InformationItem
{
    RightsInCriminalProcess,
    TemporaryResidencePermit,
    ReflectionPeriod,
    Damages,
    Interpreter,
    FreeLegalCounsel,
    VoluntaryReturn,
    SupportOrganisations,
    HealthCareAccess,
}

/// <summary>Support started (the acute phase). By the system on a presumed-victim declaration, or by an authority in acute danger.</summary>
public sealed record SupportStarted(Guid CaseId, SupportStartGround Ground, DateTimeOffset StartedAt, SupportPhase Phase);

/// <summary>Support moved to the next phase.</summary>
public sealed record SupportPhaseAdvanced(Guid CaseId, SupportPhase Phase, DateTimeOffset AdvancedAt);

/// <summary>Support ended, with the reason.</summary>
public sealed record SupportEnded(Guid CaseId, SupportEndReason Reason, DateTimeOffset EndedAt, SupportPhase Phase);

/// <summary>Information was given in a language the person understands (ISO 639 code).</summary>
public sealed record InformationProvided(Guid CaseId, IReadOnlyList<InformationItem> Items, string Language, DateTimeOffset ProvidedAt);

/// <summary>A risk assessment (police or social services) with its level and the date by which it is reviewed.</summary>
public sealed record RiskAssessed(Guid CaseId, ProtectionRiskLevel Level, DateOnly ReviewBy, DateTimeOffset AssessedAt);

/// <summary>A service was requested from a provider organisation.</summary>
public sealed record ServiceRequested(Guid CaseId, Guid ServiceLineId, ServiceType Type, string ProviderOrgId, DateTimeOffset RequestedAt, ServiceLineStatus Status);

/// <summary>
/// R20: the deciding organisation corrected its decision on a service line (a compensating event). <c>Reason</c>: no
/// identifying details.
/// </summary>
public sealed record ServiceDecisionCorrected(
    Guid CaseId,
    Guid ServiceLineId,
    string? DecisionRef,
    string? StatuteRef,
    bool Reimbursable,
    DateOnly From,
    DateOnly? To,
    decimal? CostAmount,
    string Reason,
    DateTimeOffset CorrectedAt,
    ServiceLineStatus Status);

/// <summary>R20: the deciding organisation retracted its decision; the line is requested again. <c>Reason</c>: no identifying details.</summary>
public sealed record ServiceDecisionRetracted(Guid CaseId, Guid ServiceLineId, string Reason, DateTimeOffset RetractedAt, ServiceLineStatus Status);

/// <summary>
/// A service was decided. <c>StatuteRef</c> (e.g. "SoL 4 kap. 1 §") is data, not an enum (R19). <c>CostAmount</c> is SEK for
/// the period, or null when there is no cost to the decider. A reimbursable line has a decision reference.
/// </summary>
public sealed record ServiceDecided(
    Guid CaseId,
    Guid ServiceLineId,
    bool Granted,
    string? DecisionRef,
    string? StatuteRef,
    FundingBasis FundingBasis,
    bool Reimbursable,
    DateOnly? From,
    DateOnly? To,
    decimal? CostAmount,
    DateTimeOffset DecidedAt,
    ServiceLineStatus Status);

/// <summary>A granted service began.</summary>
public sealed record ServiceStarted(Guid CaseId, Guid ServiceLineId, DateOnly StartedOn, DateTimeOffset RecordedAt, ServiceLineStatus Status);

/// <summary>A service line ended.</summary>
public sealed record ServiceEnded(Guid CaseId, Guid ServiceLineId, DateOnly EndedOn, DateTimeOffset RecordedAt, ServiceLineStatus Status);

/// <summary>The stored names of the step's events. Never rename one.</summary>
public static class SupportEventAliases
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(SupportStarted)] = "support.started",
        [typeof(SupportPhaseAdvanced)] = "support.phase_advanced",
        [typeof(SupportEnded)] = "support.ended",
        [typeof(InformationProvided)] = "support.information_provided",
        [typeof(RiskAssessed)] = "support.risk_assessed",
        [typeof(ServiceRequested)] = "support.service_requested",
        [typeof(ServiceDecided)] = "support.service_decided",
        [typeof(ServiceDecisionCorrected)] = "support.service_decision_corrected",
        [typeof(ServiceDecisionRetracted)] = "support.service_decision_retracted",
        [typeof(ServiceStarted)] = "support.service_started",
        [typeof(ServiceEnded)] = "support.service_ended",
    };
}
