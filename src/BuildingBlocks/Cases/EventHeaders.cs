namespace Referral.BuildingBlocks.Cases;

/// <summary>
/// Names of the metadata headers stamped on every event by the host's session factory (who acted, for which
/// organisation, under which legal basis). Correlation and causation ids and the user id use Marten's own columns.
/// </summary>
public static class EventHeaders
{
    public const string OrgId = "org_id";
    public const string OrgType = "org_type";
    public const string LegalBasis = "legal_basis";
}
