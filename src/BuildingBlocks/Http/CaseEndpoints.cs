using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Http;

/// <summary>Maps a step's commands and state query with one consistent HTTP contract (ETag, If-Match, problem details).</summary>
public static class CaseEndpoints
{
    /// <summary>
    /// <c>POST {group}/{action}</c>: the body is the command, <c>If-Match</c> the expected case version. Answers 200
    /// with the step state (and the caller's allowed actions) and the new <c>ETag</c>.
    /// </summary>
    public static RouteHandlerBuilder MapCaseCommand<TCommand, TView>(this RouteGroupBuilder group, string action, string summary)
        where TCommand : CaseCommand<TView>
        where TView : IVersionedView =>
        group.MapPost(action, async (
                Guid caseId,
                TCommand command,
                [FromHeader(Name = "If-Match")] string? ifMatch,
                HttpContext http,
                ISender sender,
                CancellationToken ct) =>
            {
                var view = await sender.Send(command with { CaseId = caseId, ExpectedVersion = ETag.ParseIfMatch(ifMatch) }, ct);
                http.Response.Headers.ETag = ETag.From(view.Version);
                return TypedResults.Ok(view);
            })
            .WithName(typeof(TCommand).Name)
            .WithSummary(summary)
            .WithDescription(WhoMay(typeof(TCommand)))
            .Produces<TView>(StatusCodes.Status200OK)
            .ProducesCommandProblems();

    /// <summary>A command endpoint: honours <c>Idempotency-Key</c> and documents the error answers every command can give.</summary>
    public static RouteHandlerBuilder ProducesCommandProblems(this RouteHandlerBuilder builder) =>
        builder
            .Idempotent()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>The error answers every read can give.</summary>
    public static RouteHandlerBuilder ProducesQueryProblems(this RouteHandlerBuilder builder) =>
        builder
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>The OpenAPI description line naming the organisation types that may send <paramref name="messageType"/>.</summary>
    public static string WhoMay(Type messageType)
    {
        var allowed = AllowedOrganisations.For(messageType);
        return "Allowed organisation types (claim `org_type`): "
            + (allowed.Count == 0 ? "none." : string.Join(", ", allowed.Order()) + ".");
    }
}
