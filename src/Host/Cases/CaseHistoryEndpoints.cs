using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;

namespace Referral.Host.Cases;

/// <summary>Case-level reads that span every step: the overview and the history.</summary>
public static class CaseHistoryEndpoints
{
    public static void MapCaseHistory(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases/{caseId:guid}").WithTags("Cases");
        cases.MapGet("", GetOverviewAsync)
            .WithName(nameof(GetCaseOverview))
            .ProducesQueryProblems();
        cases.MapGet("events", GetEventsAsync)
            .WithName(nameof(GetCaseEvents))
            .ProducesQueryProblems();
    }

    /// <summary>The case across every step, with the caller's allowed actions per step.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<CaseOverview>> GetOverviewAsync(Guid caseId, HttpContext http, ISender sender, CancellationToken ct)
    {
        var overview = await sender.Send(new GetCaseOverview(caseId), ct);
        http.Response.Headers.ETag = ETag.From(overview.Version);
        return TypedResults.Ok(overview);
    }

    /// <summary>The case's history: every event with who, for which organisation, correlation and causation; oldest first.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="page">Page number, from 1.</param>
    /// <param name="pageSize">Events per page, 1–500.</param>
    private static async Task<Ok<CaseEvents>> GetEventsAsync(Guid caseId, HttpContext http, ISender sender, CancellationToken ct, int page = 1, int pageSize = 100)
    {
        var events = await sender.Send(new GetCaseEvents(caseId, page, pageSize), ct);
        http.Response.Headers.ETag = ETag.From(events.Version);
        return TypedResults.Ok(events);
    }
}
