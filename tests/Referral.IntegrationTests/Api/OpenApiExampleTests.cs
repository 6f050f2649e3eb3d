using Newtonsoft.Json.Linq;
using NJsonSchema;
using NSwag;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>
/// Issue 16: every operation of the served document shows a request example (where it takes a JSON body), a success
/// example and its problem examples, and each validates against its schema — read as a generated client reads it (NSwag's
/// OpenAPI reader and NJsonSchema's validator, OpenAPI 3.0 semantics). The examples are real exchanges recorded by this
/// suite (<see cref="ExampleRecorder"/>) or registered with their command (OpenApiExample).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiExampleTests(ApiFixture api)
{
    [Fact]
    public async Task Every_operation_has_request_success_and_problem_examples_that_validate_against_their_schemas()
    {
        var document = await OpenApiDocument.FromJsonAsync(await api.Client(null).GetStringAsync("/swagger/v1/swagger.json"));
        var failures = new List<string>();
        var checkedExamples = 0;

        void Validate(string where, object? example, JsonSchema? schema)
        {
            if (example is null || schema is null)
            {
                failures.Add($"{where}: no example");
                return;
            }

            checkedExamples++;
            var errors = schema.ActualSchema.Validate(JToken.FromObject(example), SchemaType.OpenApi3);
            failures.AddRange(errors.Select(e => $"{where}: {e.Kind} at {e.Path}"));
        }

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item)
            {
                var name = $"{operation.OperationId} ({method.ToUpperInvariant()} {path})";
                if (operation.RequestBody?.Content.TryGetValue("application/json", out var body) == true)
                {
                    // A command whose every field is optional shows `{}` (an empty object, which the document writer leaves out).
                    var implicitEmpty = body.Schema.ActualSchema.RequiredProperties.Count == 0 ? new JObject() : null;
                    Validate(name + " request", body.Example ?? body.Schema.ActualSchema.Example ?? implicitEmpty, body.Schema);
                }

                var success = operation.Responses.Where(r => r.Key.StartsWith('2')).Select(r => Media(r.Value, "application/json")).FirstOrDefault(m => m is not null);
                if (success is not null)
                {
                    Validate(name + " answer", success.Example, success.Schema);
                }

                var problems = operation.Responses.Where(r => r.Key.StartsWith('4')).Select(r => Media(r.Value, "application/problem+json")).OfType<OpenApiMediaType>().ToList();
                if (!problems.Any(p => p.Examples.Count > 0))
                {
                    failures.Add($"{name}: no problem answer with its example");
                }
            }
        }

        var problemSchema = document.Components.Schemas["ProblemDetails"];
        foreach (var (id, example) in document.Components.Examples)
        {
            Validate("components/examples/" + id, example.Value, problemSchema);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} example failures (record them: UPDATE_DOCS=1 dotnet test tests/Referral.IntegrationTests):\n" + string.Join("\n", failures));
        Assert.True(checkedExamples > 200, $"only {checkedExamples} examples were checked");
    }

    [Fact]
    public async Task A_wrong_example_is_found()
    {
        // The check can fail: an answer example that breaks its schema (a required field missing, an unknown enum value).
        var document = await OpenApiDocument.FromJsonAsync(await api.Client(null).GetStringAsync("/swagger/v1/swagger.json"));
        var answer = document.Paths["/api/v1/cases/{caseId}/support"][OpenApiOperationMethod.Get].Responses["200"].Content["application/json"];
        var broken = JObject.FromObject(answer.Example!);
        broken.Remove("phase");
        broken["riskAssessments"] = new JArray(new JObject { ["level"] = "Extreme" });
        var errors = answer.Schema.ActualSchema.Validate(broken, SchemaType.OpenApi3);
        Assert.Contains(errors, e => e.Property == "phase");
        Assert.Contains(errors, e => e.Property != "phase");
    }

    private static OpenApiMediaType? Media(OpenApiResponse response, string type) => response.Content.TryGetValue(type, out var media) ? media : null;
}
