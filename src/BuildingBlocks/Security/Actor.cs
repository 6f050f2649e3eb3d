using Referral.BuildingBlocks.Contracts;

namespace Referral.BuildingBlocks.Security;

/// <summary>The authenticated caller: user, organisation and organisation type (claims <c>sub</c>, <c>org_id</c>, <c>org_type</c>).</summary>
public sealed record Actor(string UserId, string OrgId, OrgType OrgType, string? Municipality);

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
}
