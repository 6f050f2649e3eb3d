using Referral.BuildingBlocks.Contracts;

namespace Referral.BuildingBlocks.Security;

/// <summary>
/// The authenticated caller: user, organisation and organisation type (claims <c>sub</c>, <c>org_id</c>, <c>org_type</c>),
/// and — when the request states one — the legal basis and purpose of a disclosure to an organisation that does not
/// take part in the case (rule R15; headers <c>X-Legal-Basis</c>, <c>X-Purpose</c>).
/// </summary>
public sealed record Actor(string UserId, string OrgId, OrgType OrgType, string? Municipality, Disclosure? Disclosure = null);

/// <summary>A disclosure's legal basis (OSL, rule R15) and purpose, recorded in the access log before anything is read.</summary>
public sealed record Disclosure(LegalBasis LegalBasis, string Purpose);

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
