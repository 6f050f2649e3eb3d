namespace Referral.Modules.ReflectionPeriod.Contracts;

/// <summary>States of the reflection period (betänketid, UtlL 5 kap. 15 § second paragraph).</summary>
public enum ReflectionStatus
{
    NotAssessed,
    /// <summary>Not applicable: the person has a right to stay (Swedish citizen, another permit, EU right of residence) — rule R2.</summary>
    NotApplicable,
    Eligible,
    ApplicationSubmitted,
    Rejected,
    Active,
    ExtensionRequested,
    /// <summary>The person is reported missing: case handling pauses; the permit itself runs on (R12).</summary>
    SuspendedPersonMissing,
    /// <summary>A cooperation-permit application was filed; the reflection period is converted.</summary>
    ConvertedToCooperationPermit,
    EndedEarly,
    Expired,
}

/// <summary>States of the cooperation permit (tidsbegränsat uppehållstillstånd, TUT, UtlL 5 kap. 15 § first paragraph).</summary>
public enum CooperationPermitStatus
{
    None,
    ApplicationSubmitted,
    Rejected,
    Active,
    RenewalRequested,
    RevocationProposed,
    Revoked,
    Expired,
    /// <summary>Ended before its last day: the person left Sweden (a voluntary return's departure, R7).</summary>
    Ended,
}

/// <summary>Why a cooperation permit ended before its last day.</summary>
public enum CooperationEndReason { VoluntaryReturnDeparted }

/// <summary>Who applied for the reflection period (rule R1).</summary>
public enum ApplicationRoute
{
    /// <summary>Förundersökningsledare — the pre-trial investigation leader (form 194011); needs an investigation.</summary>
    InvestigationLeader,
    /// <summary>Socialnämnd — the social welfare board (form 195011), since 1 Aug 2022; no investigation needed.</summary>
    WelfareBoard,
}

/// <summary>Migrationsverket's decision.</summary>
public enum DecisionOutcome { Granted, Rejected }

/// <summary>Why a reflection period ended before its last day.</summary>
public enum EarlyEndReason { PersonDeclinedFurtherReflection, VoluntaryReturnDeparted, OtherPermitGranted, AsylumApplicationLodged, Revoked }

/// <summary>The four conditions of a cooperation permit (UtlL 5 kap. 15 § first paragraph).</summary>
public enum CooperationCondition
{
    /// <summary>The stay is needed for the pre-trial investigation or the main hearing.</summary>
    NeededForInvestigationOrTrial,
    /// <summary>The person has clearly shown willingness to cooperate.</summary>
    ClearWillingnessToCooperate,
    /// <summary>The person has broken all ties with the suspects.</summary>
    BrokenTiesWithSuspects,
    /// <summary>Public order and security do not speak against it.</summary>
    NoPublicOrderObjection,
}
