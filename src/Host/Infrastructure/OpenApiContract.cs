using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Referral.BuildingBlocks.Cases;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Referral.Host.Infrastructure;

/// <summary>
/// The document's promises about answers, made in one place (ADR 0009): an answer never carries <c>null</c> — a property
/// without a value is left out — so every property of an answer-only schema that cannot be absent is <c>required</c>,
/// and a property that may be absent is marked <c>nullable</c> — where it references an enum or an object, as
/// <c>allOf: [$ref]</c> with <c>nullable</c> and no type beside it, the one form NSwag, openapi-typescript and Prism all
/// read as "this enum or nothing". Also the servers, contact, licence and tag descriptions.
/// </summary>
public sealed class ContractDocumentFilter : IDocumentFilter
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Cases"] = "Register a suspicion (this creates the case), list the cases the caller takes part in, and read a case's overview across every step.",
        ["Suspicion"] = "Suspicion and identification (misstanke och identifiering, manual step 1): consent, the coordinator's consultation, the presumed-victim declaration, closure and reopening, missing and found.",
        ["Participants"] = "Need-to-know: which organisations take part in a case, referring another organisation, and joining under a stated legal basis (R15).",
        ["Person record"] = "The identifying details kept apart from the case history (personuppgifter): read, corrected and erased under retention rules.",
        ["Support"] = "Support and protection (stöd och skydd, manual steps 2–4): phases, service lines, risk assessments and the information checklist.",
        ["Reflection period"] = "Reflection period and temporary residence permits (betänketid, tidsbegränsat uppehållstillstånd, UtlL 5:15): applications, Migrationsverket's decisions, deadlines.",
        ["Voluntary return"] = "Voluntary return (frivilligt återvändande) with IOM: application, eligibility, pre-departure assessment, travel, arrival and reintegration.",
        ["Investigations"] = "Police reports and preliminary investigations (förundersökning): opening, linking cases, indictment, trial, judgments and appeals.",
        ["Prosecution"] = "A case's part in the criminal process: counsel (målsägandebiträde), the victim's interview, testimony and tasks.",
        ["Child safeguarding"] = "The child overlay (barnperspektivet): concern report, protection assessment, measures (LVU), guardian (god man) and special representative.",
        ["Statistics"] = "National statistics (MANUAL.md §7): persons counted once per year across every reporting organisation (R18), with suppression, rounding, publication lag and query auditing.",
        ["Outreach operations"] = "Joint outreach operations (samverkanspass) of police and social services: the persons met (counts only), children accounted for, buyers reported, and the year's figures.",
        ["Reimbursement claims"] = "Claims for state reimbursement of costs (ersättning, förordning 2017:193): drafting, lines, submission, Migrationsverket's decision and payment.",
        ["Deadlines"] = "The statutory and manual deadlines ahead for the cases the caller takes part in.",
        ["Tasks"] = "The work queue (arbetsuppgifter): every duty, deadline and reminder of the manual for the caller's organisation, on the cases it takes part in, closed by the command that fulfils it.",
        ["Anonymous consultations"] = "Anonymous consultations with the national hotline (R17): counted, never a case, no personal data.",
        ["Audit"] = "Case history, the audit chain's verification and export, and the access log (who read what, under which legal basis).",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "/",
                Description = "The host that serves this document: production behind the agencies' gateway; local in development (http://127.0.0.1:5080).",
                // Not a public API: only the agencies of the referral mechanism are its audience.
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(true)) },
            },
        ];
        document.Info.Contact = new OpenApiContact { Name = "Referral API team", Email = "api@referral.example" };
        document.Info.License = new OpenApiLicense { Name = "Proprietary: the agencies of the national referral mechanism", Url = new Uri("https://referral.example/licence") };
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description) ? description : null;
        }

        var components = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var requests = OpenApiSchemas.RequestSchemas(document, components);
        foreach (var (name, schema) in components)
        {
            if (!requests.Contains(name) && schema is OpenApiSchema { Properties.Count: > 0 } answer)
            {
                // Answers leave out what has no value; everything else is always there.
                answer.Required = answer.Properties.Where(p => !IsNullable(p.Value)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            }
        }

        ShareHeaders(document);

        foreach (var body in OpenApiSchemas.Operations(document).Select(o => o.RequestBody).OfType<OpenApiRequestBody>())
        {
            // A body that is one component needs no wrapper (the component carries the description).
            foreach (var media in (body.Content ?? new Dictionary<string, OpenApiMediaType>()).Values)
            {
                if (media.Schema is OpenApiSchema { AllOf: [OpenApiSchemaReference only] } wrapper && !IsNullable(wrapper))
                {
                    media.Schema = only;
                }
            }
        }
    }

    /// <summary>Security headers on every answer of the API (Program.cs): data, never to be sniffed, framed, cached or referred on.</summary>
    private static readonly (string Name, string Value)[] SecurityHeaders =
    [
        ("Cache-Control", "no-store"),
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
    ];

    /// <summary>
    /// Every answer's headers, documented once in <c>components/headers</c> and referenced from each answer (the same
    /// header written inline on every answer of every operation made the document several megabytes larger).
    /// </summary>
    private static void ShareHeaders(OpenApiDocument document)
    {
        var components = document.Components ??= new OpenApiComponents();
        components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var (name, value) in SecurityHeaders)
        {
            components.Headers[name] = new OpenApiHeader
            {
                Description = $"Always `{value}`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(value)!], MaxLength = value.Length },
            };
        }

        foreach (var response in OpenApiSchemas.Operations(document).SelectMany(o => (o.Responses ?? []).Values).OfType<OpenApiResponse>())
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var (name, _) in SecurityHeaders)
            {
                response.Headers.TryAdd(name, new OpenApiHeaderReference(name, document));
            }

            foreach (var (name, header) in response.Headers.ToList())
            {
                if (header is OpenApiHeader inline)
                {
                    // One component per header name; a header whose description differs by answer keeps its own name.
                    var id = components.Headers.TryGetValue(name, out var shared) && shared is OpenApiHeader existing && existing.Description != inline.Description
                        ? $"{name}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(inline.Description ?? "")))[..8]}"
                        : name;
                    components.Headers.TryAdd(id, inline);
                    response.Headers[name] = new OpenApiHeaderReference(id, document);
                }
            }
        }
    }

    private static bool IsNullable(IOpenApiSchema schema) => schema is OpenApiSchema { Type: { } type } && type.HasFlag(JsonSchemaType.Null);
}

/// <summary>Documents the version (<c>ETag</c>) and the new resource (<c>Location</c>) where answers carry them, and the <c>X-Correlation-Id</c> every operation accepts.</summary>
public sealed class ResponseHeadersOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var versioned = context.ApiDescription.SupportedResponseTypes
            .Any(r => r.StatusCode is 200 or 201 && r.Type is { } type && typeof(IVersionedView).IsAssignableFrom(type));
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            if (versioned && status is "200" or "201")
            {
                concrete.Headers.TryAdd("ETag", new OpenApiHeader
                {
                    Description = "The version of the stream (case, investigation or claim) this answer reflects, e.g. \"3\"; send it back in If-Match.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 21, Pattern = "^\"[1-9][0-9]{0,18}\"$" },
                });
            }

            if (status == "201")
            {
                concrete.Headers.TryAdd("Location", new OpenApiHeader
                {
                    Description = "The path of what was created.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = 200 },
                });
            }
        }

        operation.Parameters ??= [];
        var method = context.ApiDescription.HttpMethod ?? "";
        var ifMatch = operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == "If-Match" && p.In == ParameterLocation.Header);
        if (ifMatch is not null)
        {
            ifMatch.Description = "The ETag of the caller's last read of the case (or investigation, or claim): a stale one is refused (412) and nothing is " +
                "recorded. Optional on task commands, whose guards are always checked against the current state; send it whenever the command " +
                "rests on what the caller saw.";
        }

        if ((HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)) && ifMatch is not null)
        {
            ifMatch.Required = true;
            ifMatch.Description = "Required: the ETag of the caller's last read. A replacement or erasure without it is refused (428), so no change is overwritten unseen.";
            operation.Responses ??= [];
            operation.Responses.TryAdd("428", ApiLimitsDocumentFilter.Problem("Precondition Required: If-Match is missing.", context.Document));
        }

        if (!operation.Parameters.Any(p => p.Name == Correlation.Header))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Correlation.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "The caller's own id for this request (8–64 letters, digits, '.', '_' or '-'), echoed in the answer and stored on every event it records; anything else is replaced by the trace id.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 8, MaxLength = 64, Pattern = "^[A-Za-z0-9._-]{8,64}$" },
            });
        }
    }
}

/// <summary>
/// Puts real exchanges on every operation (issue 16): its request and success answer as recorded by the integration tests
/// (<c>OpenApiExamples.json</c>; an operation no test drives shows a recorded answer of the same schema), and on every
/// problem answer the recorded problem of that status (shared <c>components/examples</c>). OpenApiExampleTests validates
/// each against its schema.
/// </summary>
public sealed class OperationExamplesDocumentFilter : IDocumentFilter
{
    private static readonly Lazy<JsonObject> Recorded = new(() =>
    {
        using var stream = typeof(OperationExamplesDocumentFilter).Assembly.GetManifestResourceStream("OpenApiExamples.json")
            ?? throw new InvalidOperationException("The OpenApiExamples.json resource is missing.");
        return JsonNode.Parse(stream)!.AsObject();
    });

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var operations = Recorded.Value["operations"]!.AsObject();
        var problems = Recorded.Value["problems"]!.AsObject();
        var components = document.Components ??= new OpenApiComponents();
        components.Examples ??= new Dictionary<string, IOpenApiExample>();
        foreach (var (status, problem) in problems)
        {
            components.Examples[$"Problem{status}"] = new Microsoft.OpenApi.OpenApiExample { Summary = $"A {status} problem as the API answers it", Value = problem?.DeepClone() };
        }

        var all = OpenApiSchemas.Operations(document).ToList();
        // A recorded answer for each answer schema, for the operations no test drives.
        var bySchema = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var operation in all)
        {
            if (operation.OperationId is { } id && operations[id]?["response"] is { } answer && Success(operation) is { } schema && SchemaId(schema) is { } schemaId)
            {
                bySchema.TryAdd(schemaId, answer);
            }
        }

        foreach (var operation in all)
        {
            var recorded = operation.OperationId is { } id ? operations[id] : null;
            if (recorded?["request"] is { } request && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Example = request.DeepClone();
            }

            if (Success(operation) is { } success && (recorded?["response"] ?? (SchemaId(success) is { } sid ? bySchema.GetValueOrDefault(sid) : null)) is { } answer)
            {
                SuccessMedia(operation)!.Example = answer.DeepClone();
            }

            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (response.Content?.TryGetValue("application/problem+json", out var media) == true && problems.ContainsKey(status))
                {
                    media.Examples = new Dictionary<string, IOpenApiExample> { ["problem"] = new OpenApiExampleReference($"Problem{status}", document) };
                }
            }
        }
    }

    private static OpenApiMediaType? SuccessMedia(OpenApiOperation operation) =>
        (operation.Responses ?? []).Where(r => r.Key.StartsWith('2'))
            .Select(r => r.Value.Content is { } content && content.TryGetValue("application/json", out var media) ? media : null)
            .FirstOrDefault(m => m is not null);

    private static IOpenApiSchema? Success(OpenApiOperation operation) => SuccessMedia(operation)?.Schema;

    private static string? SchemaId(IOpenApiSchema schema) => schema switch
    {
        OpenApiSchemaReference { Reference.Id: { } id } => id,
        OpenApiSchema { Type: JsonSchemaType.Array, Items: OpenApiSchemaReference { Reference.Id: { } item } } => item + "[]",
        _ => null,
    };
}
