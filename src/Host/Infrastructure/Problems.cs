using System.Diagnostics;
using System.Text.Json;
using FluentValidation;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;

namespace Referral.Host.Infrastructure;

/// <summary>
/// Every error answer is an RFC 9457 problem with a stable <c>type</c>, the correlation id and the trace id. Nothing
/// personal goes into a problem: validation messages never echo values, and unexpected errors say only that they happened.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(http, exception);
        if (problem.Status == 503)
        {
            http.Response.Headers.RetryAfter = "5";
        }

        if (problem.Status >= 500)
        {
            LogUnexpected(logger, exception.GetType().Name, http.Request.Method, http.GetEndpoint()?.DisplayName);
        }

        await ProblemWriter.WriteAsync(http, problem);
        return true;
    }

    private static ProblemDetails Map(HttpContext http, Exception exception) => exception switch
    {
        ValidationException v => Validation(v),
        BadHttpRequestException b => BadRequest(http, b),
        IdempotencyKeyReusedException e => Problem(422, ProblemTypes.IdempotencyKeyReused, "Idempotency-Key reused", e.Message),
        ConflictingRetryException e => Problem(409, ProblemTypes.AnswerNotKept, "Already recorded", e.Message),
        InvalidIfMatchException e => Problem(400, ProblemTypes.MalformedRequest, "Invalid If-Match header", e.Message),
        PreconditionRequiredException e => Problem(428, ProblemTypes.PreconditionRequired, "If-Match required", e.Message),
        NotFoundException e => Problem(404, ProblemTypes.NotFound, "Not found", e.Message),
        ForbiddenException e => Problem(403, ProblemTypes.Forbidden, "Forbidden", e.Message),
        QueryBudgetExceededException e => Problem(429, ProblemTypes.QueryBudgetExceeded, "Query budget used up", e.Message),
        WorkflowViolationException w => Workflow(w),
        ConcurrencyException when http.Request.Headers.IfMatch.Count > 0 =>
            Problem(412, ProblemTypes.PreconditionFailed, "The case has changed",
                "The If-Match version is not the case's current version. Read the case again (GET) and retry with its ETag."),
        ConcurrencyException =>
            Problem(409, ProblemTypes.Conflict, "Concurrent modification",
                "Another request changed the case at the same time. Read the case again and retry, preferably with If-Match."),
        _ when IsTransientStoreFault(exception) => Unavailable(http),
        _ => Problem(500, ProblemTypes.Internal, "Unexpected error",
            "An unexpected error occurred. It has been logged; quote the correlation id when reporting it."),
    };

    /// <summary>
    /// A database fault that passes: the server refused, dropped or reset the connection, is shutting down or starting,
    /// timed out, or failed over — however Marten or Npgsql wrap it (Npgsql's own <c>IsTransient</c> classification).
    /// </summary>
    private static bool IsTransientStoreFault(Exception exception) => FindInner<Npgsql.NpgsqlException>(exception) switch
    {
        Npgsql.PostgresException server => server.IsTransient || server.SqlState is "57P01" or "57P02" or "57P03" || server.SqlState.StartsWith("08", StringComparison.Ordinal),
        { } connection => true, // not from the server: the connection itself failed
        null => FindInner<TimeoutException>(exception) is not null || FindInner<System.Net.Sockets.SocketException>(exception) is not null,
    };

    /// <summary>503: for a read, retry later; for a command, its outcome is unknown — retry with the same Idempotency-Key.</summary>
    private static ProblemDetails Unavailable(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            ? Problem(503, ProblemTypes.Unavailable, "Service unavailable", "The case store cannot be reached just now; retry shortly.")
            : Problem(503, ProblemTypes.OutcomeUnknown, "Outcome unknown",
                "The case store failed while this command was being recorded: it may or may not have been recorded. Retry shortly with the " +
                "same Idempotency-Key — if it was recorded, the first answer comes back and nothing is recorded twice.");

    private static ValidationProblemDetails Validation(ValidationException v)
    {
        var errors = v.Errors
            .GroupBy(e => JsonPath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new ValidationProblemDetails(errors)
        {
            Status = 400,
            Type = ProblemTypes.Validation,
            Title = "Invalid input",
            Detail = "One or more fields are invalid; see errors. Nothing was recorded.",
        };
    }

    private static ProblemDetails BadRequest(HttpContext http, BadHttpRequestException b)
    {
        var json = FindInner<JsonException>(b);
        if (b.StatusCode == 413)
        {
            return Problem(413, ProblemTypes.PayloadTooLarge, "Request too large", "The request body exceeds the limit for this API.");
        }

        if (b.StatusCode == 415)
        {
            return Problem(415, ProblemTypes.UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.");
        }

        if (json is not null && json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            && (http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint())?.Metadata.GetMetadata<AnonymousPayloadMetadata>() is not null)
        {
            return Problem(422, ProblemTypes.PersonalDataRefused, "Personal data refused",
                $"This record must not contain personal data, and '{json.Path}' is not part of its schema. Nothing was recorded.");
        }

        if (json is not null)
        {
            // The field as validation errors name it (narrative, person.givenName), the body itself as "$".
            var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "$" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
            var message = json.Message.StartsWith(NoControlCharactersConverter.Message, StringComparison.Ordinal)
                ? NoControlCharactersConverter.Message
                : json.Message.StartsWith(RouteIdsNotInBody.Message, StringComparison.Ordinal)
                ? RouteIdsNotInBody.Message
                : json.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "This field is not part of the schema."
                : json.Message.Contains("could not be converted", StringComparison.Ordinal)
                    ? "The value has the wrong type or is not one of the allowed values (see the OpenAPI document)."
                    : "The JSON is malformed here.";
            return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = 400,
                Type = ProblemTypes.MalformedRequest,
                Title = "Malformed request",
                Detail = "The request body could not be read as this operation's JSON; see errors. Nothing was recorded.",
            };
        }

        if (b.Message.Contains(ReferralClaims.LegalBasisHeader, StringComparison.Ordinal))
        {
            return Problem(400, ProblemTypes.MalformedRequest, "Invalid legal basis", b.Message);
        }

        return Problem(400, ProblemTypes.MalformedRequest, "Malformed request",
            "A parameter or the body is missing or cannot be read (check required query parameters, types and allowed values). Nothing was recorded.");
    }

    private static ProblemDetails Workflow(WorkflowViolationException w)
    {
        var problem = Problem(409, ProblemTypes.WorkflowViolation, "Action not allowed now", w.Message + " Nothing was recorded.");
        problem.Extensions["step"] = w.Step;
        problem.Extensions["currentState"] = w.CurrentState;
        problem.Extensions["attemptedAction"] = w.AttemptedAction;
        problem.Extensions["unmetGuards"] = w.UnmetGuards;
        problem.Extensions["allowedActions"] = w.AllowedActions;
        return problem;
    }

    public static ProblemDetails Problem(int status, string type, string title, string detail) =>
        new() { Status = status, Type = type, Title = title, Detail = detail };

    /// <summary><c>Person.DateOfBirth</c> → <c>person.dateOfBirth</c>, as the field appears in the JSON body.</summary>
    private static string JsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(p => JsonNamingPolicy.CamelCase.ConvertName(p)));

    private static T? FindInner<T>(Exception e) where T : Exception
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected {ExceptionType} while handling {Method} {Endpoint}")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType, string method, string? endpoint);
}

/// <summary>Writes problem details with the correlation and trace ids.</summary>
public static class ProblemWriter
{
    public static Task WriteAsync(HttpContext http, int status, string type, string title, string detail) =>
        WriteAsync(http, ProblemExceptionHandler.Problem(status, type, title, detail));

    /// <summary>
    /// Writes the problem as <c>application/problem+json</c> whatever the request's <c>Accept</c> header says: an error is
    /// never turned into a 500 (or a developer page) because the client asked for another format.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, ProblemDetails problem)
    {
        http.Response.StatusCode = problem.Status ?? 500;
        Customize(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
        var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        await http.Response.WriteAsJsonAsync(problem, problem.GetType(), json, "application/problem+json", http.RequestAborted);
    }

    /// <summary>Adds the instance, correlation id and trace id, and our stable types for framework-made problems (404, 405…).</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        problem.Instance ??= http.Request.Path;
        problem.Extensions["correlationId"] = Correlation.Get(http);
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
        {
            (problem.Type, problem.Title, problem.Detail) = problem.Status switch
            {
                404 => (ProblemTypes.NotFound, "Not found", problem.Detail ?? "No resource at this address."),
                405 => (ProblemTypes.MethodNotAllowed, "Method not allowed", problem.Detail ?? "This address does not accept this HTTP method."),
                415 => (ProblemTypes.UnsupportedMediaType, "Unsupported media type", problem.Detail ?? "Send the body as application/json."),
                429 => (ProblemTypes.RateLimited, "Too many requests", problem.Detail ?? "Slow down and retry later."),
                401 => (ProblemTypes.Unauthenticated, "Authentication required", problem.Detail),
                403 => (ProblemTypes.Forbidden, "Forbidden", problem.Detail),
                >= 500 => (ProblemTypes.Internal, "Unexpected error", problem.Detail),
                _ => (ProblemTypes.MalformedRequest, problem.Title ?? "Bad request", problem.Detail),
            };
        }
    }
}
