using System.Net;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;

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

    /// <summary>
    /// A participant refers the case to another organisation, which then takes part: to a Swedish authority under OSL 10:2
    /// (stated in the headers), to anyone else within the consent the test recorded (or, for a child, without consent).
    /// </summary>
    /// <returns>The case version after the referral.</returns>
    public static async Task<long> ReferAsync(HttpClient participant, string caseId, OrgType orgType, string orgId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{caseId}/participants/refer-organisation")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { orgId, orgType = orgType.ToString() }),
        };
        if (Referral.BuildingBlocks.Security.Disclosure.IsSwedishAuthority(orgType))
        {
            request.Headers.Add("X-Legal-Basis", "Necessary_OSL_10_2");
            request.Headers.Add("X-Purpose", "referral for the authority's own task");
        }

        var response = await participant.SendAsync(request);
        await response.ExpectAsync(HttpStatusCode.OK);
        return response.ETagVersion();
    }

    /// <summary>A participant refers the case to each organisation in turn; returns the case version after the last.</summary>
    public static async Task<long> BringInAsync(HttpClient participant, string caseId, params (OrgType Type, string OrgId)[] organisations)
    {
        long version = 0;
        foreach (var (type, orgId) in organisations)
        {
            version = await ReferAsync(participant, caseId, type, orgId);
        }

        return version;
    }

    /// <summary>Records the adult's consent with the given scope (R11); returns the case version after it.</summary>
    public static async Task<long> ConsentAsync(HttpClient participant, string caseId, params string[] scope)
    {
        var response = await participant.PostJsonAsync(Step(caseId, "record-consent"), new { status = "Given", scope, language = "en" });
        await response.ExpectAsync(HttpStatusCode.OK);
        return response.ETagVersion();
    }

    /// <summary>An organisation that does not take part joins the case under a legal basis (logged); returns the case version after it.</summary>
    public static async Task<long> JoinAsync(HttpClient organisation, string caseId, string legalBasis, string purpose = "investigation K-2026-123456")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{caseId}/participants/join-case") { Content = System.Net.Http.Json.JsonContent.Create(new { }) };
        request.Headers.Add("X-Legal-Basis", legalBasis);
        request.Headers.Add("X-Purpose", purpose);
        var response = await organisation.SendAsync(request);
        await response.ExpectAsync(HttpStatusCode.OK);
        return response.ETagVersion();
    }

    public static string Step(string caseId, string action) => $"/api/v1/cases/{caseId}/suspicion/{action}";
}
