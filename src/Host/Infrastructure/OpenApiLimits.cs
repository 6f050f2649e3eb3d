using System.Globalization;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Validation;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Referral.Host.Infrastructure;

/// <summary>Copies each FluentValidation bound of a type onto its schema: maximum length, pattern, numeric range, item count, uniqueness.</summary>
public sealed class ValidatorLimitsSchemaFilter(IServiceScopeFactory scopes) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema concrete && concrete.Properties is { Count: > 0 } properties)
        {
            ValidatorLimits.Apply(scopes, context.Type, name => properties.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value as OpenApiSchema);
        }
    }
}

/// <summary>
/// The query parameters of an endpoint marked <see cref="Referral.BuildingBlocks.Http.ParametersFromMetadata"/> get the
/// bounds of the request's validator (a parameter is bound to the request property of the same name); <c>If-Match</c>
/// gets the shape <see cref="Referral.BuildingBlocks.Cases.ETag"/> accepts.
/// </summary>
public sealed class ParameterLimitsOperationFilter(IServiceScopeFactory scopes) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var parameters = (operation.Parameters ?? []).OfType<OpenApiParameter>().ToList();
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Referral.BuildingBlocks.Http.ParametersFromMetadata>().FirstOrDefault() is { } from)
        {
            OpenApiParameter? Query(string name) =>
                parameters.FirstOrDefault(p => p.In is ParameterLocation.Query or ParameterLocation.Path && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            ValidatorLimits.Apply(scopes, from.RequestType, name => Query(name)?.Schema as OpenApiSchema);
            foreach (var name in ValidatorLimits.RequiredProperties(scopes, from.RequestType))
            {
                if (Query(name) is { In: ParameterLocation.Query } required)
                {
                    required.Required = true; // a parameter the validator refuses to go without (400 when absent)
                }
            }
        }

        foreach (var ifMatch in parameters.Where(p => p.In == ParameterLocation.Header && p.Name == "If-Match" && p.Schema is OpenApiSchema))
        {
            var schema = (OpenApiSchema)ifMatch.Schema!;
            schema.MaxLength = 21;
            schema.Pattern = "^\"[1-9][0-9]{0,18}\"$";
        }
    }
}

/// <summary>Reads a type's validator and puts each rule's bound on the schema of the rule's property.</summary>
public static class ValidatorLimits
{
    /// <summary>The properties the type's validator requires without condition (NotNull, NotEmpty).</summary>
    public static IReadOnlyList<string> RequiredProperties(IServiceScopeFactory scopes, Type type)
    {
        using var scope = scopes.CreateScope();
        return scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(type)) is not IValidator validator ? []
            : [.. validator.CreateDescriptor().Rules
                .Where(r => r.PropertyName is not null && r.Components.Any(c => !c.HasCondition && !c.HasAsyncCondition && c.Validator is INotNullValidator or INotEmptyValidator))
                .Select(r => r.PropertyName!)];
    }

    public static void Apply(IServiceScopeFactory scopes, Type type, Func<string, OpenApiSchema?> schemaOf)
    {
        using var scope = scopes.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(type)) is not IValidator validator)
        {
            return;
        }

        foreach (var rule in validator.CreateDescriptor().Rules)
        {
            if (rule.PropertyName is null || schemaOf(rule.PropertyName) is not { } property)
            {
                continue;
            }

            if ((IsCollectionRule(rule) ? property.Items as OpenApiSchema : property) is not { } target)
            {
                continue;
            }

            foreach (var component in rule.Components)
            {
                Apply(target, component.Validator);
            }
        }
    }

    private static void Apply(OpenApiSchema schema, IPropertyValidator validator)
    {
        switch (validator)
        {
            case ILengthValidator length:
                if (length.Max > 0)
                {
                    schema.MaxLength = schema.MaxLength is { } current ? Math.Min(current, length.Max) : length.Max;
                }

                if (length.Min > 0)
                {
                    schema.MinLength = length.Min;
                }

                break;
            case IRegularExpressionValidator regex:
                schema.Pattern = regex.Expression;
                break;
            case IBetweenValidator between:
                schema.Minimum = Number(between.From);
                schema.Maximum = Number(between.To);
                break;
            case IComparisonValidator { Comparison: Comparison.GreaterThanOrEqual } atLeast when atLeast.ValueToCompare is not null:
                schema.Minimum = Number(atLeast.ValueToCompare);
                break;
            case IComparisonValidator { Comparison: Comparison.LessThanOrEqual } atMost when atMost.ValueToCompare is not null:
                schema.Maximum = Number(atMost.ValueToCompare);
                break;
            case IListLimitValidator list:
                if (list.MaxItems is { } max)
                {
                    schema.MaxItems = schema.MaxItems is { } current ? Math.Min(current, max) : max;
                }

                schema.UniqueItems = schema.UniqueItems == true || list.UniqueItems ? true : null;
                break;
        }
    }

    private static bool IsCollectionRule(IValidationRule rule) =>
        rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));

    private static string Number(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;
}

/// <summary>
/// Completes the document's bounds: the lengths of formatted strings, the rate-limit headers of every answer, 429 and 500
/// answers, and the answer bounds of schemas that no request uses. A schema a request uses keeps only the bounds its
/// validators give, so an unbounded input fails the OpenAPI lint instead of being papered over.
/// </summary>
public sealed class ApiLimitsDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var components = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var requestSchemas = OpenApiSchemas.RequestSchemas(document, components);

        foreach (var schema in OpenApiSchemas.AllSchemas(document))
        {
            OpenApiSchemas.Visit(schema, s => s.MaxLength ??= IsString(s) ? ApiLimits.FormatLength(s.Format) : null);
        }

        foreach (var (name, schema) in components)
        {
            if (!requestSchemas.Contains(name))
            {
                OpenApiSchemas.Visit(schema, BoundAnswer);
            }
        }

        foreach (var operation in OpenApiSchemas.Operations(document))
        {
            foreach (var response in (operation.Responses ?? []).Values.OfType<OpenApiResponse>())
            {
                foreach (var (type, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
                {
                    if (media.Schema is OpenApiSchema whole && type.StartsWith("text/", StringComparison.Ordinal) && IsString(whole))
                    {
                        whole.MaxLength ??= ApiLimits.MaxAnswerDocument; // a whole document (a CSV export, a report page), not a field
                    }
                    else if (media.Schema is not null)
                    {
                        OpenApiSchemas.Visit(media.Schema, BoundAnswer);
                    }
                }
            }

            AddRateLimitAnswers(operation, document);
        }
    }

    private static void AddRateLimitAnswers(OpenApiOperation operation, OpenApiDocument document)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd("429", Problem("Too Many Requests: this organisation's rate limit is spent; retry after Retry-After seconds.", document));
        operation.Responses.TryAdd("500", Problem("Internal Server Error: a bug; the answer names no data, only a correlation id.", document));
        operation.Responses.TryAdd("503", Problem(
            "Service Unavailable: the database cannot be reached. A command answers `urn:referral:problem:outcome-unknown` (it may or may not " +
            "have been recorded; retry with the same Idempotency-Key), a read `service-unavailable`.", document));
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers.TryAdd(CrossOrigin.AllowOriginHeader, new OpenApiHeader
            {
                Description = "Sent only when the request's Origin is a configured caseworker front end (Cors:AllowedOrigins, none by default).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", MaxLength = 2048 },
            });
            concrete.Headers.TryAdd(Correlation.Header, new OpenApiHeader
            {
                Description = "The request's correlation id: the caller's X-Correlation-Id when it was a safe token, else the trace id. Stored on every event the request records.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 64 },
            });
            if (status == "503")
            {
                concrete.Headers.TryAdd("Retry-After", new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying (a command with the same Idempotency-Key).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "3600" },
                });
            }

            if (!(status.StartsWith('2') || status.StartsWith('4')))
            {
                continue;
            }

            concrete.Headers.TryAdd(RateLimitHeaders.Limit, Header("The most requests this organisation may make in a burst.", 1));
            concrete.Headers.TryAdd(RateLimitHeaders.Remaining, Header("The requests this organisation has left now.", 0));
            concrete.Headers.TryAdd(RateLimitHeaders.Reset, Header("Seconds until the full burst is available again.", 0));
            if (status == "429")
            {
                concrete.Headers.TryAdd("Retry-After", Header("Seconds to wait before the next request.", 1));
            }

            if (status == "401")
            {
                concrete.Headers.TryAdd("WWW-Authenticate", new OpenApiHeader
                {
                    Description = "RFC 6750: `Bearer realm=\"referral\"`, with `error=\"invalid_token\"` and an `error_description` of what is wrong when a token was sent.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 400 },
                });
            }
        }
    }

    /// <summary>A problem-details answer (RFC 9457) with <paramref name="description"/>.</summary>
    internal static OpenApiResponse Problem(string description, OpenApiDocument document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
        },
    };

    private static OpenApiHeader Header(string description, int minimum) => new()
    {
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = minimum.ToString(CultureInfo.InvariantCulture),
            Maximum = int.MaxValue.ToString(CultureInfo.InvariantCulture),
        },
    };

    /// <summary>An answer-only schema: strings and lists within the answer bounds, counts and versions non-negative.</summary>
    private static void BoundAnswer(OpenApiSchema schema)
    {
        if (IsString(schema) && schema.MaxLength is null && schema.Enum is not { Count: > 0 } && schema.Const is null)
        {
            schema.MaxLength = ApiLimits.MaxAnswerText;
        }

        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Array))
        {
            schema.MaxItems ??= ApiLimits.MaxAnswerItems;
        }

        if (schema.Type is { } integer && integer.HasFlag(JsonSchemaType.Integer))
        {
            schema.Minimum ??= "0";
            schema.Maximum ??= (schema.Format == "int64" ? long.MaxValue : int.MaxValue).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static bool IsString(OpenApiSchema schema) => schema.Type is { } type && type.HasFlag(JsonSchemaType.String);
}

/// <summary>Walks an OpenAPI document: its operations, the schemas requests use, every schema and sub-schema.</summary>
public static class OpenApiSchemas
{
    public static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []);

    /// <summary>The component schemas a request body or parameter uses, directly or through other components.</summary>
    public static HashSet<string> RequestSchemas(OpenApiDocument document, IDictionary<string, IOpenApiSchema> components)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>();
        foreach (var operation in Operations(document))
        {
            foreach (var media in (operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>()).Values)
            {
                if (media.Schema is not null)
                {
                    pending.Push(media.Schema);
                }
            }

            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter.Schema is not null)
                {
                    pending.Push(parameter.Schema);
                }
            }
        }

        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                if (found.Add(id) && components.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            foreach (var child in Children(schema))
            {
                pending.Push(child);
            }
        }

        return found;
    }

    public static IEnumerable<IOpenApiSchema> AllSchemas(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            yield return schema;
        }

        foreach (var operation in Operations(document))
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter.Schema is not null)
                {
                    yield return parameter.Schema;
                }
            }

            foreach (var media in (operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>()).Values)
            {
                if (media.Schema is not null)
                {
                    yield return media.Schema;
                }
            }

            foreach (var media in (operation.Responses ?? []).Values.SelectMany(r => r.Content?.Values ?? []))
            {
                if (media.Schema is not null)
                {
                    yield return media.Schema;
                }
            }
        }
    }

    /// <summary>Applies <paramref name="action"/> to an inline schema and its inline sub-schemas (references are components, visited on their own).</summary>
    public static void Visit(IOpenApiSchema schema, Action<OpenApiSchema> action)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        action(concrete);
        foreach (var child in Children(concrete))
        {
            Visit(child, action);
        }
    }

    public static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        (schema.Properties?.Values ?? [])
            .Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? [])
            .Concat(new[] { schema.Items, schema.AdditionalProperties }.OfType<IOpenApiSchema>());
}

/// <summary>The rate-limit headers of every answer (IETF draft "RateLimit header fields for HTTP").</summary>
public static class RateLimitHeaders
{
    public const string Limit = "RateLimit-Limit";
    public const string Remaining = "RateLimit-Remaining";
    public const string Reset = "RateLimit-Reset";
}
