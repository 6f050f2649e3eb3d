using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using OpenApiExample = Referral.BuildingBlocks.Http.OpenApiExample;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Referral.Host.Infrastructure;

/// <summary>The OpenAPI document (Swashbuckle): bearer scheme, XML docs of every assembly, stable operation ids, examples.</summary>
public static class OpenApi
{
    public static IServiceCollection AddReferralOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Referral API",
                Version = "v1",
                Description =
                    "The system of record for Sweden's national referral mechanism for presumed victims of human trafficking " +
                    "(Manual vid misstanke om människohandel). Task-based commands per step of the manual; every act is an " +
                    "event in the case's history. Writes honour If-Match (the case ETag); errors are RFC 9457 problem details.",
            });
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT with the claims sub, org_id, org_type and (where relevant) municipality. Tokens follow RFC8725 " +
                    "(JSON Web Token Best Current Practices): the signature, issuer, audience and lifetime are always validated, and " +
                    "unsigned tokens are refused.",
            });
            o.AddSecurityRequirement(doc => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", doc)] = [] });
            foreach (var xml in Directory.GetFiles(AppContext.BaseDirectory, "Referral.*.xml").Order())
            {
                o.IncludeXmlComments(xml);
            }

            o.SupportNonNullableReferenceTypes();
            o.UseAllOfToExtendReferenceSchemas();
            // An event's payload as stored: a JSON object whose fields depend on the event type (not JsonNode's own members).
            o.MapType<System.Text.Json.Nodes.JsonNode>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalPropertiesAllowed = true,
                Description = "A JSON object; its fields depend on the event type (see docs/manual for each step's events).",
            });
            o.CustomOperationIds(api => api.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName);
            o.CustomSchemaIds(t => t.IsGenericType ? null : t.Name);
            o.SchemaFilter<ExampleSchemaFilter>();
            o.SchemaFilter<ValidatorLimitsSchemaFilter>();
            o.OperationFilter<ParameterLimitsOperationFilter>();
            o.DocumentFilter<ApiLimitsDocumentFilter>();
            o.OperationFilter<IdempotencyKeyOperationFilter>();
            o.OperationFilter<RouteParameterOperationFilter>();
            o.OperationFilter<DisclosureHeadersOperationFilter>();
            o.OperationFilter<ResponseHeadersOperationFilter>();
            o.DocumentFilter<ContractDocumentFilter>();
            o.DocumentFilter<OperationExamplesDocumentFilter>();
        });
        return services;
    }
}

/// <summary>Puts registered examples on their schemas, serialized as the API serializes them.</summary>
public sealed class ExampleSchemaFilter(IEnumerable<OpenApiExample> examples, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema concrete && examples.FirstOrDefault(e => e.Type == context.Type) is { } example)
        {
            // Optional fields are left out of examples rather than shown as null (their schemas are references to enums).
            var options = new JsonSerializerOptions(json.Value.SerializerOptions) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
            concrete.Examples = [JsonNode.Parse(JsonSerializer.Serialize(example.Value, example.Type, options))!];
        }
    }
}

/// <summary>Documents the optional <c>Idempotency-Key</c> header on every command that honours it.</summary>
public sealed class IdempotencyKeyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Referral.BuildingBlocks.Http.IdempotentCommandMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Referral.BuildingBlocks.Http.IdempotencyFilter.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "A unique key (e.g. a UUID) per intended command. A retry with the same key returns the first answer and records nothing new; the same key with a different request is refused (422).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 8, MaxLength = 100 },
            });
        }
    }
}

/// <summary>Documents (and describes) every route-template parameter (e.g. <c>{caseId:guid}</c>) even when the handler reads it from the route values.</summary>
public sealed partial class RouteParameterOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Parameters ??= [];
        foreach (System.Text.RegularExpressions.Match match in RouteParameter().Matches(context.ApiDescription.RelativePath ?? ""))
        {
            var name = match.Groups["name"].Value;
            var description = name switch
            {
                "caseId" => "The case id.",
                "investigationId" => "The preliminary investigation's id.",
                _ => null,
            };
            if (operation.Parameters.FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Path) is { } existing)
            {
                if (existing is OpenApiParameter concrete && string.IsNullOrEmpty(concrete.Description))
                {
                    concrete.Description = description;
                }

                continue;
            }

            var isGuid = match.Groups["constraint"].Value == "guid";
            operation.Parameters.Insert(0, new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = isGuid ? "uuid" : null },
            });
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(?<name>[A-Za-z]+)(:(?<constraint>[a-z]+))?\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();
}

/// <summary>
/// Documents the optional <c>X-Legal-Basis</c> and <c>X-Purpose</c> headers (R15) on every operation that accepts them:
/// every operation on one case, and linking a case to an investigation.
/// </summary>
public sealed class DisclosureHeadersOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var path = context.ApiDescription.RelativePath ?? "";
        if (!path.StartsWith("api/v1/cases/{caseId", StringComparison.Ordinal) && !path.EndsWith("/link-case-to-investigation", StringComparison.Ordinal))
        {
            return;
        }

        var components = context.Document.Components ??= new OpenApiComponents();
        components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        if (!components.Parameters.ContainsKey(LegalBasis))
        {
            components.Parameters[LegalBasis] = new OpenApiParameter
            {
                Name = Referral.BuildingBlocks.Security.ReferralClaims.LegalBasisHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "The legal basis (R15, OSL) of reading or joining a case the caller's organisation does not take part in, or of " +
                    "referring it to another organisation; with X-Purpose. It must fit the organisation type and the case, and is logged in the " +
                    "access log before anything is read. NotSecret never discloses a person record.",
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. Enum.GetNames<Referral.BuildingBlocks.Contracts.LegalBasis>().Select(n => (JsonNode)JsonValue.Create(n)!)],
                },
            };
            components.Parameters[Purpose] = new OpenApiParameter
            {
                Name = Referral.BuildingBlocks.Security.ReferralClaims.PurposeHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "The purpose of the disclosure, required with X-Legal-Basis: a reference such as 'investigation K-2026-123456' " +
                    "(letters, digits, spaces and ordinary punctuation; no identity numbers, e-mail addresses or phone numbers).",
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, MinLength = 1, MaxLength = Referral.BuildingBlocks.Validation.Rules.MaxPurposeLength,
                    Pattern = Referral.BuildingBlocks.Validation.Rules.PurposePattern,
                },
            };
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameterReference(LegalBasis, context.Document));
        operation.Parameters.Add(new OpenApiParameterReference(Purpose, context.Document));
    }

    private const string LegalBasis = "LegalBasis";
    private const string Purpose = "Purpose";
}
