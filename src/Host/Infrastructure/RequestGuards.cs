using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Referral.BuildingBlocks.Cases;
using Microsoft.Net.Http.Headers;
using Referral.BuildingBlocks.Errors;

namespace Referral.Host.Infrastructure;

/// <summary>
/// Refuses, once and for every route, the inputs no endpoint should see: an empty <c>If-Match</c> (400), a replacement or
/// erasure without one (428), a body in a
/// charset other than UTF-8 (415), and the all-zero id, which no case, investigation or claim has (404, as any unknown id).
/// </summary>
public static class RequestGuards
{
    private static readonly (string Route, string Resource)[] Ids = [("caseId", "The case"), ("investigationId", "The investigation"), ("claimId", "The claim")];

    public static IApplicationBuilder UseRequestGuards(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.Headers.TryGetValue(HeaderNames.IfMatch, out var ifMatch) && ifMatch.All(string.IsNullOrWhiteSpace))
            {
                throw new InvalidIfMatchException();
            }

            // ADR 0009: what replaces or erases a resource needs the version it replaces (no lost update); a task command,
            // whose guards are checked against the current state in its own transaction, may leave If-Match out.
            if ((HttpMethods.IsPut(http.Request.Method) || HttpMethods.IsDelete(http.Request.Method)) && !http.Request.Headers.ContainsKey(HeaderNames.IfMatch))
            {
                throw new PreconditionRequiredException();
            }

            if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.Charset.HasValue
                && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                await ProblemWriter.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType,
                    "Unsupported media type", "Send the body as application/json in UTF-8 (the charset parameter, if any, must be utf-8).");
                return;
            }

            foreach (var (route, resource) in Ids)
            {
                if (http.GetRouteValue(route) is string value && Guid.TryParse(value, out var id) && id == Guid.Empty)
                {
                    throw new NotFoundException(resource);
                }
            }

            await next(http);
        });
}

/// <summary>
/// Text in a request body may not carry control characters (U+0000–U+001F, U+007F–U+009F) other than tab, line feed and
/// carriage return: PostgreSQL cannot store U+0000 in JSON, and the others have no place in case records. Refused as a
/// field error (400) for every string of every body, in one place.
/// </summary>
public sealed class NoControlCharactersConverter : JsonConverter<string>
{
    public const string Message = "Text must not contain control characters (other than tab and line breaks).";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
        {
            throw new JsonException(Message);
        }

        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// A command's stream id and expected version come from the route and <c>If-Match</c>, never the body: a body that
/// names one (e.g. <c>claimId</c>) is refused as a field error (400) instead of being silently ignored.
/// </summary>
public static class RouteIdsNotInBody
{
    public const string Message = "This id is taken from the route (and the version from If-Match); it may not be sent in the body.";

    public static void Modify(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || !IsStreamCommand(info.Type))
        {
            return;
        }

        // An ignored property (the route's id, If-Match's version) still swallows its name silently: replace it by one
        // that refuses the value. A body field that merely shares the name (a claim line's caseId) is not ignored, so kept.
        foreach (var ignored in info.Properties.Where(p => p.AttributeProvider?.IsDefined(typeof(JsonIgnoreAttribute), inherit: true) == true).ToList())
        {
            info.Properties.Remove(ignored);
            var property = info.CreateJsonPropertyInfo(typeof(JsonElement), ignored.Name);
            property.Set = (_, _) => throw new JsonException(Message);
            info.Properties.Add(property);
        }
    }

    private static bool IsStreamCommand(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(StreamCommand<>))
            {
                return true;
            }
        }

        return false;
    }
}
