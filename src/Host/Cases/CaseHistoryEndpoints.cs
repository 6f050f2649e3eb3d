using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;

namespace Referral.Host.Cases;

/// <summary>The case-level read that spans every step: the overview (live, or replayed to a moment).</summary>
public static class CaseHistoryEndpoints
{
    public static void MapCaseHistory(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases/{caseId:guid}").WithTags("Cases");
        cases.MapGet("", GetOverviewAsync)
            .WithName(nameof(GetCaseOverview))
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetCaseOverview)))
            .ParametersFrom<GetCaseOverview>()
            .ProducesQueryProblems();
    }

    /// <summary>The case across every step, with the caller's allowed actions per step — now, or replayed as it was.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="atVersion">Rebuild the case as it was at this version (auditors' replay).</param>
    /// <param name="asOf">Rebuild the case as it was at this time.</param>
    private static async Task<Ok<CaseOverview>> GetOverviewAsync(Guid caseId, HttpContext http, ISender sender, CancellationToken ct, long? atVersion = null, DateTimeOffset? asOf = null)
    {
        var overview = await sender.Send(new GetCaseOverview(caseId, atVersion, asOf), ct);
        http.Response.Headers.ETag = ETag.From(overview.Version);
        return TypedResults.Ok(overview);
    }
}
