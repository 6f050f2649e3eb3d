using System.Text.RegularExpressions;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Audit;

/// <summary>One disclosure under a legal basis: who, for which organisation, on what basis and purpose, what, when. Append-only.</summary>
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

/// <summary>
/// Records every read of a case (or its person record) made under a stated legal basis — how organisations that do not
/// take part in a case read it (R15) — <b>before</b> anything is read, so no disclosure goes unrecorded.
/// </summary>
public static partial class AccessLogMiddleware
{
    public static IApplicationBuilder UseAccessLog(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (HttpMethods.IsGet(http.Request.Method)
                && http.Request.Headers.ContainsKey(ReferralClaims.LegalBasisHeader)
                && CaseRead().Match(http.Request.Path.Value ?? "") is { Success: true } match
                && http.User.Identity?.IsAuthenticated == true)
            {
                var actor = http.RequestServices.GetRequiredService<ICurrentActor>().Actor; // a malformed basis is refused here (400)
                var store = http.RequestServices.GetRequiredService<IDocumentStore>();
                var clock = http.RequestServices.GetRequiredService<TimeProvider>();
                await using var session = store.LightweightSession();
                session.Insert(new AccessLogEntry
                {
                    Id = Guid.CreateVersion7(),
                    CaseId = Guid.Parse(match.Groups["case"].Value),
                    At = clock.GetUtcNow(),
                    UserId = actor.UserId,
                    OrgId = actor.OrgId,
                    OrgType = actor.OrgType,
                    LegalBasis = actor.Disclosure!.LegalBasis,
                    Purpose = actor.Disclosure.Purpose,
                    What = match.Groups["what"].Value is { Length: > 0 } what ? what.TrimStart('/') : "case",
                });
                await session.SaveChangesAsync(http.RequestAborted);
            }

            await next(http);
        });

    [GeneratedRegex("^/api/v1/cases/(?<case>[0-9a-fA-F-]{36})(?<what>/[a-z-]+)?$")]
    private static partial Regex CaseRead();
}

/// <summary>The access log of a case (auditors, and social services taking part in the case).</summary>
[AllowedOrganisations(OrgType.Auditor, OrgType.SocialServices)]
public sealed record GetAccessLog(Guid CaseId) : IQuery<IReadOnlyList<AccessLogEntry>>;

public sealed class AccessLogHandler(IQuerySession session, ICurrentActor current, ICaseAccess access) : IQueryHandler<GetAccessLog, IReadOnlyList<AccessLogEntry>>
{
    public async ValueTask<IReadOnlyList<AccessLogEntry>> Handle(GetAccessLog query, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, current.Actor with { Disclosure = null }, cancellationToken);
        var newest = await session.Query<AccessLogEntry>().Where(e => e.CaseId == query.CaseId)
            .OrderByDescending(e => e.At).Take(ApiLimits.MaxAnswerItems).ToListAsync(cancellationToken);
        return [.. newest.Reverse()];
    }
}
