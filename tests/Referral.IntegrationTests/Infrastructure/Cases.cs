using System.Net;
using System.Text.Json.Nodes;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>Synthetic test data and steps shared by the scenario tests. No real person is described.</summary>
public static class Cases
{
    public const string SyntheticGivenName = "Testperson";
    public const string SyntheticFamilyName = "Syntetisksson";
    public const string SyntheticPhone = "+46701234567";

    /// <summary>SC1 step 1: an adult third-country national woman, sexual exploitation (MANUAL.md §8).</summary>
    public static object Sc1Registration(bool withPerson = true) => new
    {
        channel = "InPerson",
        municipalityCode = "0180",
        ageCategory = "Adult",
        gender = "Female",
        nationality = "NG",
        citizenshipCategory = "ThirdCountry",
        residenceBasis = "NoRightOfResidence",
        languages = new[] { "en" },
        interpreterNeeded = false,
        exploitationPurposes = new[] { "SexualExploitation" },
        indicators = new[] { "NoOrFalseIdDocuments" },
        methodsOfControl = new[] { "WithholdsDocuments", "DebtBondage", "Threats" },
        person = withPerson
            ? new { givenName = SyntheticGivenName, familyName = SyntheticFamilyName, phone = SyntheticPhone, dateOfBirth = "1999-04-01" }
            : null,
    };

    /// <summary>Registers a case and returns its id and version.</summary>
    public static async Task<(string Id, long Version, JsonNode Body)> RegisterAsync(HttpClient client, object? registration = null)
    {
        var response = await client.PostJsonAsync("/api/v1/cases", registration ?? Sc1Registration());
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        return (body.Str("caseId"), response.ETagVersion(), body);
    }

    public static string Step(string caseId, string action) => $"/api/v1/cases/{caseId}/suspicion/{action}";
}
