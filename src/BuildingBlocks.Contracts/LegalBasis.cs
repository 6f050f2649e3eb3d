namespace Referral.BuildingBlocks.Contracts;

/// <summary>
/// The legal basis for a cross-agency read or disclosure of identifiable data (rule R15; offentlighets- och
/// sekretesslagen, OSL 2009:400). The general clause (OSL 10:27) is deliberately absent.
/// </summary>
public enum LegalBasis
{
    /// <summary>Samtycke — consent (OSL 12:2 with 10:1).</summary>
    Consent_OSL_12_2,
    /// <summary>Nödvändigt utlämnande — disclosure necessary for the authority's own task (OSL 10:2).</summary>
    Necessary_OSL_10_2,
    /// <summary>Brott mot barn — suspected crime against a child under BrB ch. 3, 4 or 6 (OSL 10:21).</summary>
    CrimeAgainstChild_OSL_10_21,
    /// <summary>Allvarligt brott — suspected crime carrying at least one year in prison (OSL 10:23).</summary>
    SeriousCrime_OSL_10_23,
    /// <summary>Uppgiftsskyldighet — a statutory duty to report, e.g. orosanmälan (OSL 10:28).</summary>
    StatutoryDuty_OSL_10_28,
    /// <summary>Social services and health care exchanging data about a minor (OSL 26:9, 25:12).</summary>
    SocHealthMinor_OSL_26_9_25_12,
    /// <summary>The data are not secret.</summary>
    NotSecret,
}
