using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>
/// Records real exchanges as the OpenAPI document's examples (issue 16): with <c>UPDATE_DOCS=1</c> (never in CI), the first
/// successful request and answer of every operation and the first problem answer of every status are written to
/// <c>src/Host/Infrastructure/OpenApiExamples.json</c>, which the host serves as examples. Test data are synthetic; the
/// file is reviewed like code. OpenApiExampleTests checks every operation has its examples and that
/// each one validates against its schema.
/// </summary>
public sealed partial class ExampleRecorder : DelegatingHandler
{
    private static readonly ConcurrentDictionary<string, JsonObject> Operations = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, JsonNode> Problems = new(StringComparer.Ordinal);

    public static bool Enabled =>
        Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1" && Environment.GetEnvironmentVariable("CI") != "true";

    /// <summary><paramref name="inner"/>, behind a recorder when recording.</summary>
    public static DelegatingHandler[] Around(DelegatingHandler inner) => Enabled ? [new ExampleRecorder(), inner] : [inner];

    public static string FilePath => Path.Combine(RepositoryRoot(), "src", "Host", "Infrastructure", "OpenApiExamples.json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/api/", StringComparison.Ordinal)
            || response.Content.Headers.ContentType?.MediaType is not ("application/json" or "application/problem+json"))
        {
            return response;
        }

        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        var key = $"{request.Method.Method} {Numbers().Replace(Guids().Replace(path, "{id}"), "{id}")}";
        if (response.IsSuccessStatusCode)
        {
            Operations.TryAdd(key, new JsonObject
            {
                ["status"] = (int)response.StatusCode,
                ["request"] = string.IsNullOrEmpty(requestBody) ? null : JsonNode.Parse(requestBody),
                ["response"] = JsonNode.Parse(answer),
            });
        }
        else if (JsonNode.Parse(answer) is JsonObject problem)
        {
            problem.Remove("traceId");
            Problems.TryAdd(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), problem);
        }

        return response;
    }

    /// <summary>
    /// Merges what was recorded into the examples file, keyed by operation id (the document maps route templates to
    /// ids); entries already in the file stay, so a partial run only adds.
    /// </summary>
    public static void Write(JsonNode document)
    {
        if (!Enabled)
        {
            return;
        }

        var file = File.Exists(FilePath) ? JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject() : new JsonObject();
        var operations = file["operations"] as JsonObject ?? [];
        var problems = file["problems"] as JsonObject ?? [];
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var key = $"{method.ToUpperInvariant()} {Templates().Replace(template, "{id}")}";
                var id = operation!["operationId"]!.GetValue<string>();
                // A route value that is neither an id nor a number (an enum such as a standard's name) matches any segment.
                var pattern = new Regex("^" + Regex.Escape(key).Replace(Regex.Escape("{id}"), "[^/]+", StringComparison.Ordinal) + "$");
                var recorded = Operations.TryGetValue(key, out var exact) ? exact
                    : Operations.Where(o => pattern.IsMatch(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value).FirstOrDefault();
                if (!operations.ContainsKey(id) && recorded is not null)
                {
                    operations[id] = recorded.DeepClone();
                }
            }
        }

        foreach (var (status, problem) in Problems)
        {
            if (!problems.ContainsKey(status))
            {
                problems[status] = problem.DeepClone();
            }
        }

        var sorted = new JsonObject
        {
            ["operations"] = new JsonObject(operations.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
            ["problems"] = new JsonObject(problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
        };
        File.WriteAllText(FilePath, sorted.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Referral.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Referral.sln not found above the test binaries.");
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guids();

    [GeneratedRegex(@"\{[A-Za-z]+\}")]
    private static partial Regex Templates();

    /// <summary>A numeric path segment (a checkpoint's number).</summary>
    [GeneratedRegex("(?<=/)[0-9]+(?=/|$)")]
    private static partial Regex Numbers();
}
