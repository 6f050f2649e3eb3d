using System.Net;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;
using Referral.IntegrationTests.Infrastructure;
using Snapshooter.Xunit;

namespace Referral.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document is the integrators' contract: it is snapshot-tested (a change is a reviewed diff) and checked to
/// be complete — every operation has a stable id, its schemas, its error answers and the bearer scheme.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiFixture api)
{
    private async Task<string> DocumentAsync()
    {
        var response = await api.Client(null).GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task OpenApi_document_is_unchanged()
    {
        Snapshot.Match(JToken.Parse(await DocumentAsync()));
    }

    [Fact]
    public async Task Every_operation_is_complete()
    {
        var document = JsonNode.Parse(await DocumentAsync())!;
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        Assert.NotNull(document["security"]![0]!["bearer"]);

        var operationIds = new List<string>();
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in operations!.AsObject())
            {
                var operation = node!;
                var name = $"{method.ToUpperInvariant()} {path}";
                operationIds.Add(operation["operationId"]?.GetValue<string>() ?? throw new InvalidOperationException($"{name} has no operationId."));
                Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{name} has no summary.");
                var responses = operation["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403") && responses.ContainsKey("400"), $"{name} lacks error answers.");
                Assert.Contains(responses, r => r.Key.StartsWith('2'));
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    Assert.True(response!["content"]?["application/problem+json"] is not null, $"{name} {status} is not problem details.");
                }

                if (method == "post" || method == "put")
                {
                    Assert.True(operation["requestBody"]?["content"]?["application/json"]?["schema"] is not null, $"{name} has no request schema.");
                    Assert.True(responses.ContainsKey("415") && responses.ContainsKey("413"), $"{name} lacks 413/415.");
                }

                if (path.Contains("/suspicion/", StringComparison.Ordinal) && method == "post")
                {
                    Assert.True(responses.ContainsKey("409") && responses.ContainsKey("412"), $"{name} lacks 409/412.");
                    Assert.Contains("Allowed organisation types", operation["description"]!.GetValue<string>(), StringComparison.Ordinal);
                    Assert.Contains(operation["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "If-Match" && p["in"]!.GetValue<string>() == "header");
                }
            }
        }

        Assert.Equal(operationIds.Count, operationIds.Distinct().Count());
        Assert.Contains("RegisterSuspicion", operationIds);
        Assert.Contains("RecordAnonymousConsultation", operationIds);
        var schemas = document["components"]!["schemas"]!;
        Assert.Equal("string", schemas["SuspicionStatus"]!["type"]!.GetValue<string>());
        Assert.NotNull(schemas["RegisterSuspicion"]!["example"] ?? schemas["RegisterSuspicion"]!["examples"]);
    }

    /// <summary>The corrections, retractions and prepared application added for issue 20 each carry an example.</summary>
    public static TheoryData<string> CommandsWithExamples() =>
    [
        "PrepareReturnApplication", "CorrectPresumedVictimDeclaration", "RetractPresumedVictimDeclaration", "CorrectReflectionDecision",
        "RetractReflectionDecision", "CorrectCooperationPermitDecision", "RetractCooperationPermitDecision", "CorrectServiceDecision",
        "RetractServiceDecision", "CorrectClaimDecision", "RetractClaimDecision", "RegisterSuspicion",
    ];

    [Theory]
    [MemberData(nameof(CommandsWithExamples))]
    public async Task A_command_schema_carries_its_example(string schema)
    {
        var document = JsonNode.Parse(await DocumentAsync())!;
        Assert.NotNull(document["components"]!["schemas"]![schema]!["example"]);
    }

    [Fact]
    public void Every_example_passes_its_commands_own_validation()
    {
        using var scope = api.Factory.Services.CreateScope();
        var examples = scope.ServiceProvider.GetServices<Referral.BuildingBlocks.Http.OpenApiExample>().ToList();
        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            if (scope.ServiceProvider.GetService(typeof(FluentValidation.IValidator<>).MakeGenericType(example.Type)) is FluentValidation.IValidator validator)
            {
                var result = validator.Validate(new FluentValidation.ValidationContext<object>(example.Value));
                Assert.True(result.IsValid, $"{example.Type.Name}: {string.Join("; ", result.Errors)}");
            }
        }
    }
}
