namespace Referral.Modules.Suspicion.Contracts;

/// <summary>States of the suspicion and identification step (manual step 1, identifiering).</summary>
public enum SuspicionStatus
{
    /// <summary>A suspicion is registered; no assessment has started.</summary>
    Registered,
    /// <summary>Under assessment (a coordinator is consulted or indicators are being assessed).</summary>
    UnderAssessment,
    /// <summary>Förmodat offer — presumed victim. Not a legal status: the only formal status is målsägande.</summary>
    PresumedVictim,
    /// <summary>Closed: the assessment found no trafficking.</summary>
    NotTrafficking,
    /// <summary>Contact with the person is lost.</summary>
    ContactLost,
}

/// <summary>How the suspicion reached the reporting organisation.</summary>
public enum ReportingChannel { InPerson, Phone, Hotline, Inspection, AsylumInterview, Raid, Other }

/// <summary>Age category. A disputed age is treated as a child's (MANUAL.md §4.0 [U]).</summary>
public enum AgeCategory { Adult, Child, AgeDisputedTreatedAsChild }

/// <summary>Gender, as reported in Swedish statistics ("other gender", "not noted").</summary>
public enum Gender { Female, Male, Other, NotRecorded }

/// <summary>Citizenship category (medborgarskap).</summary>
public enum CitizenshipCategory { Swedish, NordicOrEuEea, ThirdCountry, Stateless, Unknown }

/// <summary>Residence basis; decides eligibility for a 5 kap. 15 § permit (rule R2).</summary>
public enum ResidenceBasis
{
    SwedishCitizen,
    PermanentPermit,
    TemporaryPermitOther,
    AsylumSeeker,
    /// <summary>Uppehållsrätt — EU free-movement right of residence.</summary>
    EuFreeMovementRight,
    NoRightOfResidence,
    /// <summary>Betänketid — reflection period (UtlL 5 kap. 15 § second paragraph).</summary>
    ReflectionPermit_5_15_2,
    /// <summary>TUT — cooperation permit (UtlL 5 kap. 15 § first paragraph).</summary>
    CooperationPermit_5_15_1,
    Unknown,
}

/// <summary>Exploitation purpose (exploateringssyfte), multi-valued (BrB 4:1 a, EU 2024/1712).</summary>
public enum ExploitationPurpose
{
    SexualExploitation,
    ForcedLabour,
    ForcedBegging,
    ForcedCriminality,
    OrganRemoval,
    MilitaryService,
    ForcedMarriage,
    IllegalAdoption,
    SurrogacyExploitation,
    /// <summary>Annan verksamhet i en nödsituation — other activity in a situation of distress.</summary>
    OtherDistressSituation,
    Unknown,
}

/// <summary>Labour sector of labour exploitation.</summary>
public enum LabourSector { GreenIndustry, Construction, HotelRestaurant, Industry, CarWashOrRepair, Cleaning, DomesticWork, Transport, Other }

/// <summary>Observed indicators (tecken på människohandel). Aids only: never decide from indicators alone.</summary>
public enum Indicator
{
    NoOrFalseIdDocuments,
    NoContactToReceiversOnArrival,
    ControlledByFrequentCaller,
    FrequentUnexplainedDisappearance,
    UnexplainedMoneyOrClothes,
    InvolvedInCrimeOrNetworks,
}

/// <summary>Methods of control (HTCDS <c>vic_MethodsOfControl</c>).</summary>
public enum MethodOfControl
{
    DebtBondage,
    TakesEarnings,
    RestrictsFinancialAccess,
    Threats,
    PsychologicalAbuse,
    PhysicalAbuse,
    SexualAbuse,
    FalsePromises,
    PsychoactiveSubstances,
    RestrictsMovement,
    RestrictsMedicalCare,
    ExcessiveWorkingHours,
    UsesChildren,
    ThreatOfLawEnforcement,
    WithholdsNecessities,
    WithholdsDocuments,
    Other,
}

/// <summary>Consent status (samtycke). <c>NotAsked</c> until recorded; <c>NotRequiredChild</c> for children.</summary>
public enum ConsentStatus { NotAsked, Given, Refused, Withdrawn, NotRequiredChild }

/// <summary>What the adult consented to (rule R11).</summary>
public enum ConsentScope
{
    /// <summary>Referral to a regional coordinator (regionkoordinator).</summary>
    ReferralToRegionalCoordinator,
    ShareWithPolice,
    ShareWithProsecution,
    ShareWithMigrationAgency,
    ShareWithSocialServices,
    ShareWithHealthCare,
    ShareWithNgo,
    ShareWithIom,
}

/// <summary>Why a case was closed as not trafficking.</summary>
public enum ClosureReason { NoIndicators, OtherCrimeOnly, OtherExploitationNotTrafficking, Duplicate }

/// <summary>Grounds for restricting processing of personal data (GDPR art. 18(1) a–d).</summary>
public enum RestrictionGround
{
    /// <summary>The person contests the accuracy of the data, while it is verified (a).</summary>
    AccuracyContested,
    /// <summary>The processing is unlawful and the person asks for restriction instead of erasure (b).</summary>
    UnlawfulProcessing,
    /// <summary>The data are no longer needed but the person needs them for legal claims (c).</summary>
    NeededForLegalClaims,
    /// <summary>The person has objected, pending verification of overriding grounds (d).</summary>
    ObjectionPending,
}
