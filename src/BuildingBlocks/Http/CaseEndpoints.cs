using System.Text.RegularExpressions;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Http;

/// <summary>An action the caller may take now: the command name and where to send it.</summary>
/// <param name="Action">The command name, e.g. DeclarePresumedVictim.</param>
/// <param name="Href">The URL to POST the command to.</param>
public sealed record AllowedAction(string Action, string Href)
{
    /// <summary>The link to command <paramref name="action"/> of <paramref name="step"/> on a case.</summary>
    public static AllowedAction For(Guid caseId, string step, string action) =>
        new(action, $"/api/v1/cases/{caseId}/{step}/{CaseEndpoints.Kebab(action)}");
}

/// <summary>Maps a step's commands and state query with one consistent HTTP contract (ETag, If-Match, problem details).</summary>
public static partial class CaseEndpoints
{
    /// <summary><c>DeclarePresumedVictim</c> → <c>declare-presumed-victim</c>: the route segment of a command.</summary>
    public static string Kebab(string pascal) => UpperAfterLower().Replace(pascal, "$1-$2").ToLowerInvariant();

    /// <summary>The route segment of command <typeparamref name="TCommand"/>.</summary>
    public static string Route<TCommand>() => Kebab(typeof(TCommand).Name);

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex UpperAfterLower();

    /// <summary>
    /// <c>POST {group}/{action}</c> on a case: the body is the command, <c>If-Match</c> the expected case version.
    /// Answers 200 with the step state (and the caller's allowed actions) and the new <c>ETag</c>.
    /// </summary>
    public static RouteHandlerBuilder MapCaseCommand<TCommand, TView>(this RouteGroupBuilder group, string action, string summary)
        where TCommand : CaseCommand<TView>
        where TView : IVersionedView =>
        group.MapStreamCommand<TCommand, TView>(action, summary, "caseId");

    /// <summary>
    /// <c>POST {group}/{action}</c> on the stream named by route parameter <paramref name="streamParameter"/>, with the
    /// same contract as <see cref="MapCaseCommand{TCommand,TView}"/>.
    /// </summary>
    public static RouteHandlerBuilder MapStreamCommand<TCommand, TView>(this RouteGroupBuilder group, string action, string summary, string streamParameter)
        where TCommand : StreamCommand<TView>
        where TView : IVersionedView =>
        group.MapPost(action, async (
                TCommand command,
                [FromHeader(Name = "If-Match")] string? ifMatch,
                HttpContext http,
                ISender sender,
                CancellationToken ct) =>
            {
                var streamId = Guid.Parse((string)http.GetRouteValue(streamParameter)!, System.Globalization.CultureInfo.InvariantCulture);
                var view = await sender.Send(command with { StreamId = streamId, ExpectedVersion = ETag.ParseIfMatch(ifMatch) }, ct);
                http.Response.Headers.ETag = ETag.From(view.Version);
                return TypedResults.Ok(view);
            })
            .WithName(typeof(TCommand).Name)
            .WithSummary(summary)
            .WithDescription(WhoMay(typeof(TCommand)))
            .Produces<TView>(StatusCodes.Status200OK)
            .ProducesCommandProblems();

    /// <summary>
    /// <c>GET {group}</c>: a step's state of the case named by the <c>caseId</c> route value, with the caller's allowed
    /// actions and the case version as <c>ETag</c>.
    /// </summary>
    public static RouteHandlerBuilder MapStepQuery<TView>(this RouteGroupBuilder group, Func<Guid, IQuery<TView>> query, string name, string summary)
        where TView : IVersionedView =>
        group.MapGet("", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var caseId = Guid.Parse((string)http.GetRouteValue("caseId")!, System.Globalization.CultureInfo.InvariantCulture);
                var view = await sender.Send(query(caseId), ct);
                http.Response.Headers.ETag = ETag.From(view.Version);
                return TypedResults.Ok(view);
            })
            .WithName(name)
            .WithSummary(summary)
            .WithDescription(WhoMay(query(Guid.Empty).GetType()))
            .ProducesQueryProblems();

    /// <summary>
    /// A command endpoint: honours <c>Idempotency-Key</c> (unless <paramref name="idempotencyKey"/> is false — for naturally
    /// idempotent commands whose answers hold personal data, which must not be kept) and documents its error answers.
    /// </summary>
    public static RouteHandlerBuilder ProducesCommandProblems(this RouteHandlerBuilder builder, bool idempotencyKey = true) =>
        (idempotencyKey ? builder.Idempotent() : builder)
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

    /// <summary>The endpoint's query parameters bind to <typeparamref name="TRequest"/>'s properties of the same name; the OpenAPI document shows its validator's bounds on them.</summary>
    public static RouteHandlerBuilder ParametersFrom<TRequest>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ParametersFromMetadata(typeof(TRequest)));

    /// <summary>The OpenAPI description line naming the organisation types that may send <paramref name="messageType"/>.</summary>
    public static string WhoMay(Type messageType)
    {
        var allowed = AllowedOrganisations.For(messageType);
        return "Allowed organisation types (claim `org_type`): "
            + (allowed.Count == 0 ? "none." : string.Join(", ", allowed.Order()) + ".");
    }
}

/// <summary>Marks an endpoint whose query parameters are the properties of <see cref="RequestType"/> (see <see cref="CaseEndpoints.ParametersFrom{TRequest}"/>).</summary>
public sealed record ParametersFromMetadata(Type RequestType);
