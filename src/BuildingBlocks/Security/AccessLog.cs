using Marten;
using Referral.BuildingBlocks.Contracts;

namespace Referral.BuildingBlocks.Security;

/// <summary>
/// One act under a legal basis (R15) — a read, a join, a referral, an investigation link: who, for which organisation,
/// on what basis and purpose, what, when. Append-only; readable by auditors and the social services taking part.
/// </summary>
public sealed class AccessLogEntry
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public DateTimeOffset At { get; set; }
    public string UserId { get; set; } = "";
    public string OrgId { get; set; } = "";
    public OrgType OrgType { get; set; }
    public LegalBasis LegalBasis { get; set; }
    public string Purpose { get; set; } = "";
    public string What { get; set; } = "";
}

/// <summary>Writes the access log; an act's entry is saved in the same transaction as the act.</summary>
public static class AccessLog
{
    /// <summary>Adds an entry for <paramref name="actor"/>'s stated disclosure to <paramref name="session"/> (saved with it); nothing when no basis was stated.</summary>
    public static void Record(IDocumentSession session, Guid caseId, Actor actor, string what, DateTimeOffset at)
    {
        if (actor.Disclosure is not { } disclosure)
        {
            return;
        }

        session.Insert(new AccessLogEntry
        {
            Id = Guid.CreateVersion7(at),
            CaseId = caseId,
            At = at,
            UserId = actor.UserId,
            OrgId = actor.OrgId,
            OrgType = actor.OrgType,
            LegalBasis = disclosure.LegalBasis,
            Purpose = disclosure.Purpose,
            What = what,
        });
    }
}
