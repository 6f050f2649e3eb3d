using System.Net;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Support;

/// <summary>Support and protection through HTTP against real PostgreSQL (MANUAL.md §4.2, SC1 steps 4–5, SC6 step 4).</summary>
[Collection(ApiCollection.Name)]
public sealed class SupportScenarioTests(ApiFixture api)
{
    private static string Support(string caseId, string action = "") => $"/api/v1/cases/{caseId}/support" + (action.Length > 0 ? "/" + action : "");

    /// <summary>An NGO's case declared by the coordinator; unless told otherwise, the coordinator then refers social services and the police.</summary>
    private async Task<(string Id, long Version)> DeclaredCaseAsync(string suffix, bool referAuthorities = true)
    {
        var ngo = api.Client(OrgType.NGO, $"ngo-{suffix}");
        var (id, v1, _) = await Cases.RegisterAsync(ngo);
        var consent = await ngo.PostJsonAsync(Cases.Step(id, "record-consent"),
            new { status = "Given", scope = new[] { "ReferralToRegionalCoordinator", "ShareWithPolice" }, language = "en", interpreterUsed = false }, v1);
        var consult = await ngo.PostJsonAsync(Cases.Step(id, "request-coordinator-consultation"), new { coordinatorOrgId = $"rko-{suffix}" }, consent.ETagVersion());
        var declare = await api.Client(OrgType.RegionalCoordinator, $"rko-{suffix}").PostJsonAsync(Cases.Step(id, "declare-presumed-victim"),
            new { assessment = "Overall assessment: debt bondage and confiscated documents." }, consult.ETagVersion());
        await declare.ExpectAsync(HttpStatusCode.OK);
        return (id, referAuthorities ? await ReferAuthoritiesAsync(id, suffix) : declare.ETagVersion());
    }

    private Task<long> ReferAuthoritiesAsync(string id, string suffix) =>
        Cases.BringInAsync(api.Client(OrgType.RegionalCoordinator, $"rko-{suffix}"), id, (OrgType.SocialServices, $"soc-{suffix}"), (OrgType.Police, $"pol-{suffix}"));

    [Fact]
    public async Task SC1_steps_4_and_5_support_starts_on_the_declaration_then_housing_information_and_a_risk_assessment()
    {
        var (id, _) = await DeclaredCaseAsync("sup1", referAuthorities: false);
        var social = api.Client(OrgType.SocialServices, "soc-sup1");
        var police = api.Client(OrgType.Police, "pol-sup1");

        // 4. The declaration starts the acute phase by itself (social services do not take part yet: they read nothing).
        await (await social.GetAsync(Support(id))).ExpectAsync(HttpStatusCode.NotFound);
        var started = await (await api.Client(OrgType.RegionalCoordinator, "rko-sup1").GetAsync(Support(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Acute", started.Str("phase"));
        Assert.Equal("PresumedVictimDeclared", started.Str("startGround"));
        Assert.Contains("RequestService", started["allowedActions"]!.AsArray().Select(a => a!.Str("action")));
        var version = await ReferAuthoritiesAsync(id, "sup1");

        // 5. Social services request and decide protected housing under SoL 4:1 (reimbursable), and start it.
        var requested = await social.PostJsonAsync(Support(id, "request-service"), new { type = "ProtectedHousing", providerOrgId = "soc-sup1" }, version);
        var line = (await requested.ExpectAsync(HttpStatusCode.OK))["serviceLines"]!.AsArray().Single()!;
        Assert.Equal("Requested", line.Str("status"));
        var decided = await social.PostJsonAsync(Support(id, "decide-service"), new
        {
            serviceLineId = line.Str("id"), granted = true, fundingBasis = "SoL_4_1", decisionRef = "SOC-2026-0042", statuteRef = "SoL 4 kap. 1 §",
            reimbursable = true, from = "2026-03-01", to = "2026-05-31", costAmount = 36000.50m,
        }, requested.ETagVersion());
        var granted = (await decided.ExpectAsync(HttpStatusCode.OK))["serviceLines"]!.AsArray().Single()!;
        Assert.Equal("Granted", granted.Str("status"));
        Assert.Equal("SoL 4 kap. 1 §", granted.Str("statuteRef"));
        Assert.True(granted["reimbursable"]!.GetValue<bool>());

        // Information in a language the person understands, all checklist items; police assess the risk as high.
        string[] everything = ["RightsInCriminalProcess", "TemporaryResidencePermit", "ReflectionPeriod", "Damages", "Interpreter", "FreeLegalCounsel", "VoluntaryReturn", "SupportOrganisations", "HealthCareAccess"];
        var informed = await social.PostJsonAsync(Support(id, "record-information-given"), new { items = everything, language = "en" }, decided.ETagVersion());
        var afterInformation = await informed.ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(afterInformation["informationNotYetGiven"]!.AsArray());
        var assessed = await police.PostJsonAsync(Support(id, "record-risk-assessment"), new { level = "High", reviewBy = DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd") }, informed.ETagVersion());
        Assert.Equal("High", (await assessed.ExpectAsync(HttpStatusCode.OK))["riskAssessments"]!.AsArray().Single()!.Str("level"));

        var history = await (await social.GetAsync($"/api/v1/cases/{id}/events?step=support")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["support.service_requested", "support.service_decided", "support.information_provided", "support.risk_assessed"],
            history["items"]!.AsArray().Select(e => e!.Str("type")).ToArray());
    }

    [Fact]
    public async Task Refusals_say_why_and_append_nothing()
    {
        var (id, version) = await DeclaredCaseAsync("sup2");
        var social = api.Client(OrgType.SocialServices, "soc-sup2");
        var ngo = api.Client(OrgType.NGO, "ngo-sup2");
        var requested = await social.PostJsonAsync(Support(id, "request-service"), new { type = "FinancialAssistance", providerOrgId = "soc-sup2" }, version);
        var lineId = (await requested.ExpectAsync(HttpStatusCode.OK))["serviceLines"]!.AsArray().Single()!.Str("id");
        var at = requested.ETagVersion();

        // An NGO cannot decide social assistance (403).
        var forbidden = await ngo.PostJsonAsync(Support(id, "decide-service"), new { serviceLineId = lineId, granted = true, fundingBasis = "SoL_4_1", from = "2026-03-01" }, at);
        await forbidden.ExpectAsync(HttpStatusCode.Forbidden);

        // Invalid data (400): negative cost, end before start, unknown service type.
        await (await social.PostJsonAsync(Support(id, "decide-service"), new { serviceLineId = lineId, granted = true, fundingBasis = "SoL_4_1", from = "2026-03-01", costAmount = -1m }, at))
            .ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(Support(id, "decide-service"), new { serviceLineId = lineId, granted = true, fundingBasis = "SoL_4_1", from = "2026-03-01", to = "2026-02-01" }, at))
            .ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(Support(id, "request-service"), new { type = "Teleportation", providerOrgId = "soc-sup2" }, at))
            .ExpectAsync(HttpStatusCode.BadRequest);

        // A refused transition (409) names the unmet guard and what is allowed instead.
        var early = await (await social.PostJsonAsync(Support(id, "start-long-term-phase"), new { }, at)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("RequestService", early["allowedActions"].Strings());
        var reimbursable = await (await social.PostJsonAsync(Support(id, "decide-service"),
            new { serviceLineId = lineId, granted = true, fundingBasis = "SoL_4_1", reimbursable = true, from = "2026-03-01" }, at)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("decision reference", reimbursable.ToJsonString(), StringComparison.Ordinal);

        var view = await (await social.GetAsync(Support(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(at, view["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task SC6_step_4_social_services_end_support_when_the_person_stays_missing()
    {
        var (id, version) = await DeclaredCaseAsync("sup6");
        var ngo = api.Client(OrgType.NGO, "ngo-sup6");
        var social = api.Client(OrgType.SocialServices, "soc-sup6");
        var missing = await ngo.PostJsonAsync(Cases.Step(id, "report-person-missing"), new { }, version);
        await missing.ExpectAsync(HttpStatusCode.OK);
        Assert.True((await (await ngo.GetAsync(Support(id))).ExpectAsync(HttpStatusCode.OK))["personMissing"]!.GetValue<bool>());

        var ended = await social.PostJsonAsync(Support(id, "end-support"), new { reason = "Missing" }, missing.ETagVersion());
        var view = await ended.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Ended", view.Str("phase"));
        Assert.Equal("Missing", view.Str("endReason"));
        await (await social.PostJsonAsync(Support(id, "request-service"), new { type = "Interpreter", providerOrgId = "soc-sup6" }, ended.ETagVersion()))
            .ExpectAsync(HttpStatusCode.Conflict);
    }
}
