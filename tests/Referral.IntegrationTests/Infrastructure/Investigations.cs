using System.Net;
using System.Text.Json.Nodes;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>Steps of the prosecution track shared by tests.</summary>
public static class Investigations
{
    public static string Of(string investigationId, string action = "") =>
        $"/api/v1/investigations/{investigationId}{(action.Length > 0 ? "/" + action : "")}";

    /// <summary>Files a police report, opens the investigation and links the cases as injured parties; returns its id and version.</summary>
    public static async Task<(string Id, long Version)> OpenAsync(HttpClient leader, params string[] caseIds)
    {
        var report = await leader.PostJsonAsync("/api/v1/investigations",
            new { reportRef = "5000-K" + Random.Shared.Next(100000, 999999) + "-26", suspectedOffences = new[] { "BrB_4_1a_Trafficking" } });
        var id = (await report.ExpectAsync(HttpStatusCode.Created)).Str("investigationId");
        var opened = await leader.PostJsonAsync(Of(id, "open-preliminary-investigation"), new { }, report.ETagVersion());
        await opened.ExpectAsync(HttpStatusCode.OK);
        var version = opened.ETagVersion();
        foreach (var caseId in caseIds)
        {
            var link = await leader.PostJsonAsync(Of(id, "link-case-to-investigation"), new { caseId, role = "InjuredParty" }, version);
            await link.ExpectAsync(HttpStatusCode.OK);
            version = link.ETagVersion();
        }

        return (id, version);
    }

    /// <summary>A participant of the investigation refers it to another organisation (which then takes part in it and its linked cases); returns the new version.</summary>
    public static async Task<long> ReferAsync(HttpClient participant, string investigationId, Referral.BuildingBlocks.Contracts.OrgType orgType, string orgId, long? version = null)
    {
        var response = await participant.PostJsonAsync(Of(investigationId, "refer-investigation"), new { orgId, orgType = orgType.ToString() }, version);
        await response.ExpectAsync(HttpStatusCode.OK);
        return response.ETagVersion();
    }

    /// <summary>Links a case the caller does not take part in, under a stated legal basis (OSL 10:21 or 10:23).</summary>
    public static async Task<HttpResponseMessage> LinkUnderBasisAsync(HttpClient police, string investigationId, string caseId, string role, string legalBasis, long? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Of(investigationId, "link-case-to-investigation"))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { caseId, role }),
        };
        request.Headers.Add("X-Legal-Basis", legalBasis);
        request.Headers.Add("X-Purpose", "investigation 5000-K123456-26");
        if (version is { } v)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{v}\"");
        }

        return await police.SendAsync(request);
    }

    /// <summary>The prosecution step of a case.</summary>
    public static async Task<JsonNode> StepAsync(HttpClient client, string caseId) =>
        await (await client.GetAsync($"/api/v1/cases/{caseId}/prosecution")).ExpectAsync(HttpStatusCode.OK);
}
