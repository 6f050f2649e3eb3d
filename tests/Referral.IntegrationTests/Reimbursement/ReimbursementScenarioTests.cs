using System.Net;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Reimbursement;

/// <summary>Reimbursement claims through HTTP against real PostgreSQL with a fake clock (MANUAL.md §4.7, R16, SC1 step 11, SC6 step 4).</summary>
[Collection(ApiCollection.Name)]
public sealed class ReimbursementScenarioTests(ApiFixture api)
{
    private const string Claims = "/api/v1/claims";

    private static string Claim(string claimId, string action = "") => $"{Claims}/{claimId}" + (action.Length > 0 ? "/" + action : "");

    private static string Step(string caseId, string step, string action) => $"/api/v1/cases/{caseId}/{step}/{action}";

    private static async Task<(JsonNode Body, long Version)> OkAsync(Task<HttpResponseMessage> call, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await call;
        return (await response.ExpectAsync(status), response.ETagVersion());
    }

    /// <summary>
    /// A presumed victim whose municipality grants protected housing (SoL 4:1, reimbursable) from <c>today</c> and applies
    /// for a reflection period today (the welfare-board route); the region grants health care. Returns the case, the
    /// two service lines and the reflection application.
    /// </summary>
    private static async Task<(string Case, string Housing, string Care, string Application, long Version)> CaseWithCostsAsync(ClockedApi app, string suffix)
    {
        var social = app.Client(OrgType.SocialServices, $"soc-{suffix}");
        var region = app.Client(OrgType.HealthCare, $"region-{suffix}");
        var (id, v0, _) = await Cases.RegisterAsync(social, Cases.Sc1Registration(withPerson: false));
        var (_, v1) = await OkAsync(social.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { methodsOfControl = new[] { "DebtBondage" } }, v0));
        var (_, declared) = await OkAsync(social.PostJsonAsync(Cases.Step(id, "declare-presumed-victim"), new { assessment = "Overall assessment supports trafficking." }, v1));
        Assert.True(declared > v1);
        var v2 = await Cases.BringInAsync(social, id, (OrgType.HealthCare, $"region-{suffix}"), (OrgType.MigrationAgency, $"miv-{suffix}"));

        var today = app.Today.ToString("yyyy-MM-dd");
        var (housingRequested, v3) = await OkAsync(social.PostJsonAsync(Step(id, "support", "request-service"), new { type = "ProtectedHousing", providerOrgId = $"soc-{suffix}" }, v2));
        var housing = housingRequested["serviceLines"]!.AsArray().Single()!.Str("id");
        var (_, v4) = await OkAsync(social.PostJsonAsync(Step(id, "support", "decide-service"), new
        {
            serviceLineId = housing, granted = true, fundingBasis = "SoL_4_1", decisionRef = $"SOC-{suffix}-1", statuteRef = "SoL 4:1",
            reimbursable = true, from = today, to = "2026-06-30", costAmount = 90000m,
        }, v3));
        var (careRequested, v5) = await OkAsync(region.PostJsonAsync(Step(id, "support", "request-service"), new { type = "HealthCare", providerOrgId = $"region-{suffix}" }, v4));
        var care = careRequested["serviceLines"]!.AsArray().Single(l => l!.Str("type") == "HealthCare")!.Str("id");
        var (_, v6) = await OkAsync(region.PostJsonAsync(Step(id, "support", "decide-service"), new
        {
            serviceLineId = care, granted = true, fundingBasis = "HealthCareRegion", decisionRef = $"REG-{suffix}-1", statuteRef = "HSL 8:1",
            reimbursable = true, from = today, costAmount = 12000m,
        }, v5));

        var (_, v7) = await OkAsync(social.PostJsonAsync(Step(id, "reflection-period", "assess-reflection-eligibility"), new { personWishesReflection = true }, v6));
        var (submitted, v8) = await OkAsync(social.PostJsonAsync(Step(id, "reflection-period", "submit-reflection-application"), new { }, v7));
        return (id, housing, care, submitted["reflection"]!.Str("applicationId"), v8);
    }

    private static async Task<(string Id, long Version)> DraftAsync(HttpClient claimant, int year, int quarter, int quarters = 1)
    {
        var (claim, version) = await OkAsync(claimant.PostJsonAsync(Claims, new { year, quarter, quarters }), HttpStatusCode.Created);
        Assert.Equal("Draft", claim.Str("status"));
        return (claim.Str("claimId"), version);
    }

    [Fact]
    public async Task SC1_step_11_municipality_and_region_claim_their_costs_before_the_deadline_and_Migrationsverket_decides_and_pays()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var (id, housing, care, application, version) = await CaseWithCostsAsync(app, "re1");
        var social = app.Client(OrgType.SocialServices, "soc-re1");
        var region = app.Client(OrgType.HealthCare, "region-re1");
        var miv = app.Client(OrgType.MigrationAgency, "miv-re1");
        await OkAsync(miv.PostJsonAsync(Step(id, "reflection-period", "record-reflection-decision"),
            new { applicationId = application, outcome = "Granted", decisionRef = "MIG-RP-re1", validFrom = "2026-03-03", validTo = "2026-04-01" }, version));

        // The municipality's claim for the first quarter: the deadline is the end of the quarter + 6 months.
        var (claimId, c0) = await DraftAsync(social, 2026, 1);
        var (draft, _) = await OkAsync(social.GetAsync(Claim(claimId)));
        Assert.Equal("2026-09-30", draft.Str("deadline"));
        Assert.Equal(["2026-01-01", "2026-03-31"], new[] { draft.Str("periodFrom"), draft.Str("periodTo") });
        Assert.Equal("Municipality", draft.Str("claimantType"));
        Assert.Equal([30, 7], draft["warnings"]!.AsArray().Select(w => w!["daysBefore"]!.GetValue<int>()).ToArray());
        Assert.All(draft["warnings"]!.AsArray(), w => Assert.False(w!["reached"]!.GetValue<bool>()));

        var (one, c1) = await OkAsync(social.PostJsonAsync(Claim(claimId, "add-claim-line"),
            new { caseId = id, serviceLineId = housing, costType = "SoL_4_1", from = "2026-03-02", to = "2026-03-31", amount = 30000.50m }, c0));
        Assert.Equal($"SOC-re1-1", one["lines"]!.AsArray().Single()!.Str("decisionRef"));
        // Totals are computed from the lines.
        Assert.Equal(30000.50m, one["totalClaimed"]!.GetValue<decimal>());
        var (submitted, c2) = await OkAsync(social.PostJsonAsync(Claim(claimId, "submit-claim"), new { }, c1));
        Assert.Equal("Submitted", submitted.Str("status"));
        Assert.Empty(submitted["warnings"]!.AsArray());
        // The claimant's task to submit by the deadline (§4.7) is fulfilled by the submission; nobody else learns of it.
        var task = Assert.Single((await (await social.GetAsync($"/api/v1/tasks?status=Done&claimId={claimId}")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray())!;
        Assert.Equal(("SubmitClaim", "ClaimSubmitted", "soc-re1"), (task.Str("kind"), task.Str("closedBy"), task.Str("addresseeOrgId")));
        Assert.Null(task["caseId"]);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(2)), DateTimeOffset.Parse(task.Str("dueAt"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty((await (await region.GetAsync($"/api/v1/tasks?status=Done&claimId={claimId}")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());

        // The region claims its health care; a region cannot claim the municipality's SoL costs.
        var (regionClaim, r0) = await DraftAsync(region, 2026, 1, quarters: 2);
        // Two quarters: the deadline counts from the end of the first (MANUAL.md §4.7), not the last.
        Assert.Equal("2026-09-30", (await OkAsync(region.GetAsync(Claim(regionClaim)))).Body.Str("deadline"));
        var wrongType = await (await region.PostJsonAsync(Claim(regionClaim, "add-claim-line"),
            new { caseId = id, serviceLineId = housing, costType = "SoL_4_1", from = "2026-03-02", to = "2026-03-31", amount = 100m }, r0)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("a region claims health care", string.Join(" | ", wrongType["unmetGuards"].Strings()), StringComparison.Ordinal);
        var (_, r1) = await OkAsync(region.PostJsonAsync(Claim(regionClaim, "add-claim-line"),
            new { caseId = id, serviceLineId = care, costType = "HealthCare", from = "2026-03-02", to = "2026-04-30", amount = 12000m }, r0));
        await OkAsync(region.PostJsonAsync(Claim(regionClaim, "submit-claim"), new { }, r1));

        // Migrationsverket sees submitted claims, decides each line (part of the municipality's line) and pays.
        var listed = await (await miv.GetAsync($"{Claims}?status=Submitted")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(claimId, listed.AsArray().Select(c => c!.Str("claimId")));
        var lineId = submitted["lines"]!.AsArray().Single()!.Str("lineId");
        var (decided, c3) = await OkAsync(miv.PostJsonAsync(Claim(claimId, "decide-claim"), new { decisionRef = "MIG-ERS-1", lines = new[] { new { lineId, approvedAmount = 25000m } } }, c2));
        Assert.Equal("PartiallyApproved", decided.Str("outcome"));
        Assert.Equal(25000m, decided["totalApproved"]!.GetValue<decimal>());
        var (paid, _) = await OkAsync(miv.PostJsonAsync(Claim(claimId, "record-claim-payment"), new { paidOn = app.Today.ToString("yyyy-MM-dd") }, c3));
        Assert.Equal("Paid", paid.Str("status"));

        var history = await (await social.GetAsync($"/api/v1/claims/{claimId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Paid", history.Str("status"));
    }

    [Fact]
    public async Task A_claim_submitted_after_its_deadline_is_refused_and_a_period_already_past_its_deadline_cannot_be_drafted()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var (id, housing, _, _, _) = await CaseWithCostsAsync(app, "re2");
        var social = app.Client(OrgType.SocialServices, "soc-re2");
        var (claimId, c0) = await DraftAsync(social, 2026, 1);
        var (_, c1) = await OkAsync(social.PostJsonAsync(Claim(claimId, "add-claim-line"),
            new { caseId = id, serviceLineId = housing, costType = "SoL_4_1", from = "2026-03-02", to = "2026-03-31", amount = 1000m }, c0));

        // 1 September: the 30-day warning is reached; 24 September: the 7-day warning too.
        app.Clock.Advance(TimeSpan.FromDays(183));
        var (warned, _) = await OkAsync(social.GetAsync(Claim(claimId)));
        Assert.Equal([true, false], warned["warnings"]!.AsArray().Select(w => w!["reached"]!.GetValue<bool>()).ToArray());
        app.Clock.Advance(TimeSpan.FromDays(23));
        (warned, _) = await OkAsync(social.GetAsync(Claim(claimId)));
        Assert.Equal([true, true], warned["warnings"]!.AsArray().Select(w => w!["reached"]!.GetValue<bool>()).ToArray());

        // 1 October: past the deadline (30 September) — submission is refused and nothing is appended.
        app.Clock.Advance(TimeSpan.FromDays(7));
        var events = await api.EventCountAsync();
        var late = await (await social.PostJsonAsync(Claim(claimId, "submit-claim"), new { }, c1)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("deadline", late["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Contains("WithdrawClaim", late["allowedActions"].Strings());
        Assert.Equal(events, await api.EventCountAsync());
        Assert.True((await OkAsync(social.GetAsync(Claim(claimId)))).Body["deadlinePassed"]!.GetValue<bool>());

        await (await social.PostJsonAsync(Claims, new { year = 2026, quarter = 1, quarters = 1 })).ExpectAsync(HttpStatusCode.BadRequest);
        await OkAsync(social.PostJsonAsync(Claims, new { year = 2026, quarter = 2, quarters = 1 }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Lines_outside_any_permit_period_or_after_the_disappearance_are_refused_SC6_step_4()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var (id, housing, _, application, version) = await CaseWithCostsAsync(app, "re3");
        var social = app.Client(OrgType.SocialServices, "soc-re3");
        var miv = app.Client(OrgType.MigrationAgency, "miv-re3");
        var (_, v1) = await OkAsync(miv.PostJsonAsync(Step(id, "reflection-period", "record-reflection-decision"),
            new { applicationId = application, outcome = "Granted", decisionRef = "MIG-RP-re3", validFrom = "2026-03-03", validTo = "2026-04-01" }, version));
        var (claimId, c0) = await DraftAsync(social, 2026, 2);

        // No permit and no pending application after 1 April: a line for May is refused.
        var outside = await (await social.PostJsonAsync(Claim(claimId, "add-claim-line"),
            new { caseId = id, serviceLineId = housing, costType = "SoL_4_1", from = "2026-05-01", to = "2026-05-31", amount = 1000m }, c0)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(["the line's period overlaps a reflection period, a cooperation permit or a pending application in the case (R16)"], outside["unmetGuards"].Strings());

        // Day 11 (13 March): the shelter reports her missing. Costs stop at the day of disappearance.
        app.Clock.Advance(TimeSpan.FromDays(11));
        await Cases.ConsentAsync(social, id, "ShareWithNgo");
        var sheltered = await Cases.ReferAsync(social, id, OrgType.NGO, "ngo-re3");
        Assert.True(sheltered > v1);
        await OkAsync(app.Client(OrgType.NGO, "ngo-re3").PostJsonAsync(Cases.Step(id, "report-person-missing"), new { }, sheltered));
        var (q1, q0) = await DraftAsync(social, 2026, 1);
        var after = await (await social.PostJsonAsync(Claim(q1, "add-claim-line"),
            new { caseId = id, serviceLineId = housing, costType = "SoL_4_1", from = "2026-03-02", to = "2026-03-31", amount = 1000m }, q0)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("went missing", after["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        var (until, _) = await OkAsync(social.PostJsonAsync(Claim(q1, "add-claim-line"),
            new { caseId = id, serviceLineId = housing, costType = "SoL_4_1", from = "2026-03-02", to = "2026-03-13", amount = 1000m }, q0));
        Assert.Single(until["lines"]!.AsArray());
    }

    [Fact]
    public async Task Bad_input_is_400_the_wrong_organisation_403_and_other_claimants_see_nothing()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var (id, housing, _, _, _) = await CaseWithCostsAsync(app, "re4");
        var social = app.Client(OrgType.SocialServices, "soc-re4");
        var (claimId, c0) = await DraftAsync(social, 2026, 1);
        // Another municipality that does not take part in the case cannot even name it in a line (404) …
        var outsider = app.Client(OrgType.SocialServices, "soc-re4-outsider");
        var (outsiderClaim, u0) = await DraftAsync(outsider, 2026, 1);
        await (await outsider.PostJsonAsync(Claim(outsiderClaim, "add-claim-line"),
            new { caseId = id, serviceLineId = housing, costType = "SoL_4_1", from = "2026-03-02", to = "2026-03-31", amount = 10m }, u0)).ExpectAsync(HttpStatusCode.NotFound);
        // … one that takes part (referred) is refused a line for a service another municipality decided (409, below).
        await Cases.ReferAsync(social, id, OrgType.SocialServices, "soc-re4-other");
        var events = await api.EventCountAsync();

        object Line(decimal amount, string from = "2026-03-02", string to = "2026-03-31", string costType = "SoL_4_1") =>
            new { caseId = id, serviceLineId = housing, costType, from, to, amount };
        await (await social.PostJsonAsync(Claim(claimId, "add-claim-line"), Line(-5m), c0)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(Claim(claimId, "add-claim-line"), Line(10.005m), c0)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(Claim(claimId, "add-claim-line"), Line(10m, from: "2026-03-31", to: "2026-03-02"), c0)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(Claim(claimId, "add-claim-line"), Line(10m, costType: "Taxi"), c0)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(Claims, new { year = 2026, quarter = 5, quarters = 1 })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(Claims, new { year = 2026, quarter = 1, quarters = 3 })).ExpectAsync(HttpStatusCode.BadRequest);

        // 403: an NGO claims nothing; only Migrationsverket decides.
        await (await app.Client(OrgType.NGO, "ngo-re4").PostJsonAsync(Claims, new { year = 2026, quarter = 1, quarters = 1 })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await social.PostJsonAsync(Claim(claimId, "decide-claim"), new { decisionRef = "X-1", lines = new[] { new { lineId = Guid.NewGuid(), approvedAmount = 1m } } }, c0))
            .ExpectAsync(HttpStatusCode.Forbidden);

        // 404: another municipality's claim, Migrationsverket before submission; 409: a service line another municipality decided.
        var other = app.Client(OrgType.SocialServices, "soc-re4-other");
        await (await other.GetAsync(Claim(claimId))).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync(Claim(claimId, "submit-claim"), new { }, c0)).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Client(OrgType.MigrationAgency, "miv-re4").GetAsync(Claim(claimId))).ExpectAsync(HttpStatusCode.NotFound);
        var (otherClaim, o0) = await DraftAsync(other, 2026, 1);
        var foreign = await (await other.PostJsonAsync(Claim(otherClaim, "add-claim-line"), Line(10m), o0)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("decided by the claimant", string.Join(" | ", foreign["unmetGuards"].Strings()), StringComparison.Ordinal);
        // An empty claim cannot be submitted.
        await (await social.PostJsonAsync(Claim(claimId, "submit-claim"), new { }, c0)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(events + 1, await api.EventCountAsync()); // only the other municipality's draft
    }
}
