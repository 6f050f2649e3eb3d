using System.Text.RegularExpressions;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Audit;

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
                var actor = http.RequestServices.GetRequiredService<ICurrentActor>().Actor;
                if (!actor.Disclosure!.CanReach(actor.OrgType))
                {
                    // A basis that cannot disclose to this kind of organisation at all: refused before anything is read.
                    throw new ForbiddenException($"The legal basis {actor.Disclosure.LegalBasis} does not allow disclosure to organisation type {actor.OrgType}.");
                }

                var store = http.RequestServices.GetRequiredService<IDocumentStore>();
                var clock = http.RequestServices.GetRequiredService<TimeProvider>();
                await using var session = store.LightweightSession();
                AccessLog.Record(session, Guid.Parse(match.Groups["case"].Value), actor,
                    match.Groups["what"].Value is { Length: > 0 } what ? what.TrimStart('/') : "case", clock.GetUtcNow());
                await session.SaveChangesAsync(http.RequestAborted);
            }

            await next(http);
        });

    [GeneratedRegex("^/api/v1/cases/(?<case>[0-9a-fA-F-]{36})(?<what>(/[a-z-]+)*)$")]
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
