using Referral.BuildingBlocks.Contracts;

namespace Referral.BuildingBlocks.Security;

/// <summary>
/// The authenticated caller: user, organisation and organisation type (claims <c>sub</c>, <c>org_id</c>, <c>org_type</c>),
/// and — when the request states one — the legal basis and purpose of a disclosure to an organisation that does not
/// take part in the case (rule R15; headers <c>X-Legal-Basis</c>, <c>X-Purpose</c>).
/// </summary>
public sealed record Actor(string UserId, string OrgId, OrgType OrgType, string? Municipality, Disclosure? Disclosure = null);

/// <summary>A disclosure's legal basis (OSL, rule R15) and purpose, recorded in the access log before anything is read.</summary>
public sealed record Disclosure(LegalBasis LegalBasis, string Purpose)
{
    /// <summary>
    /// Whether the basis can disclose to this kind of organisation: OSL 10:21 and 10:23 disclose to the police or the
    /// prosecutor; 26:9/25:12 between social services and health care; a statutory duty to report (10:28) to social
    /// services or the police; necessity for the authority's own task (10:2) between Swedish authorities only — never to
    /// an NGO, IOM or a foreign body. Consent and non-secret data do not depend on the receiver (consent's scope is
    /// checked against the case).
    /// </summary>
    public bool CanReach(OrgType receiver) => LegalBasis switch
    {
        LegalBasis.CrimeAgainstChild_OSL_10_21 or LegalBasis.SeriousCrime_OSL_10_23 => receiver is OrgType.Police or OrgType.Prosecution,
        LegalBasis.SocHealthMinor_OSL_26_9_25_12 => receiver is OrgType.SocialServices or OrgType.HealthCare,
        LegalBasis.StatutoryDuty_OSL_10_28 => receiver is OrgType.SocialServices or OrgType.Police,
        LegalBasis.Necessary_OSL_10_2 => IsSwedishAuthority(receiver),
        _ => true,
    };

    /// <summary>The organisation types that are Swedish public authorities (myndigheter), to which OSL 10:2 can disclose.</summary>
    public static bool IsSwedishAuthority(OrgType type) => type is OrgType.Police or OrgType.Prosecution or OrgType.MigrationAgency
        or OrgType.SocialServices or OrgType.RegionalCoordinator or OrgType.GenderEqualityAgency or OrgType.HealthCare
        or OrgType.WorkEnvironmentAuthority or OrgType.TaxAgency or OrgType.Customs or OrgType.CountyBoard or OrgType.Court
        or OrgType.Embassy;
}

/// <summary>Gives the actor of the current request. Throws when there is none (every command requires a token).</summary>
public interface ICurrentActor
{
    Actor Actor { get; }
}

/// <summary>The claim names of the bearer token.</summary>
public static class ReferralClaims
{
    public const string Subject = "sub";
    public const string OrgId = "org_id";
    public const string OrgType = "org_type";
    public const string Municipality = "municipality";

    /// <summary>Request header naming the legal basis of a disclosure (a <see cref="Contracts.LegalBasis"/> value).</summary>
    public const string LegalBasisHeader = "X-Legal-Basis";

    /// <summary>Request header stating the purpose of a disclosure (no identifying details).</summary>
    public const string PurposeHeader = "X-Purpose";
}
