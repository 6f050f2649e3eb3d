namespace Referral.BuildingBlocks.Contracts;

/// <summary>How an organisation came to take part in a case (docs/manual/privacy.md, "Who takes part").</summary>
public enum ParticipationRoute
{
    /// <summary>It registered the case (anmälan / registrering).</summary>
    Registered,
    /// <summary>A command of a participant named it: the coordinator consulted, the social services receiving a concern report.</summary>
    Designated,
    /// <summary>A participant referred the case to it (hänvisning), within the adult's consent or under a legal basis.</summary>
    Referred,
    /// <summary>It joined under a legal basis that fits its organisation type (R15), logged in the access log.</summary>
    JoinedUnderLegalBasis,
    /// <summary>It takes part in a preliminary investigation (förundersökning) the case was linked to.</summary>
    InvestigationLinked,
}

/// <summary>An organisation: its id (claim <c>org_id</c>) and type (claim <c>org_type</c>).</summary>
public sealed record OrganisationRef(string OrgId, OrgType OrgType);

/// <summary>An organisation admitted to a case by an event, and by which route.</summary>
public sealed record Admission(string OrgId, OrgType OrgType, ParticipationRoute Route);

/// <summary>
/// A public event that makes organisations take part in the case it is appended to. Only such events do: acting on a
/// case never makes an organisation a participant. The one participation model folds these (and nothing else).
/// </summary>
public interface IAdmitsParticipants
{
    /// <summary>The organisations this event admits (a method, so it is never serialised into the stored event).</summary>
    IEnumerable<Admission> Admits();
}
