using System.Net;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.ReflectionPeriod;

/// <summary>The reflection period and cooperation permit through HTTP with a fake clock (MANUAL.md §8 SC1, SC2, SC6).</summary>
[Collection(ApiCollection.Name)]
public sealed class ReflectionPeriodScenarioTests(ApiFixture api)
{
    private static string Rfl(string caseId, string action = "") => $"/api/v1/cases/{caseId}/reflection-period{(action.Length > 0 ? "/" + action : "")}";

    /// <summary>A case declared presumed victim by the police (adult, no right of residence unless given).</summary>
    private static async Task<(string Id, long Version)> PresumedVictimAsync(HttpClient police, object? registration = null, params (OrgType Type, string OrgId)[] bringIn)
    {
        var (id, version, _) = await Cases.RegisterAsync(police, registration ?? Cases.Sc1Registration(withPerson: false));
        var assess = await police.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { methodsOfControl = new[] { "DebtBondage" } }, version);
        await assess.ExpectAsync(HttpStatusCode.OK);
        var declare = await police.PostJsonAsync(Cases.Step(id, "declare-presumed-victim"), new { assessment = "Overall assessment supports trafficking." }, assess.ETagVersion());
        await declare.ExpectAsync(HttpStatusCode.OK);
        if (bringIn.Any(o => o.Type == OrgType.NGO))
        {
            await Cases.ConsentAsync(police, id, "ShareWithNgo");
        }

        return (id, bringIn.Length > 0 ? await Cases.BringInAsync(police, id, bringIn) : declare.ETagVersion());
    }

    private static async Task<(JsonNode Body, long Version)> OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        return (await response.ExpectAsync(HttpStatusCode.OK), response.ETagVersion());
    }

    [Fact]
    public async Task SC1_steps_8_to_10_reflection_period_then_cooperation_permit_of_at_least_six_months()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var fu = app.Client(OrgType.Prosecution, "akl-sc1");
        var miv = app.Client(OrgType.MigrationAgency, "miv-sc1");
        var (id, _) = await PresumedVictimAsync(fu, null, (OrgType.MigrationAgency, "miv-sc1"));

        // 6. The preliminary investigation is opened and the victim linked as injured party.
        var (investigation, _) = await Investigations.OpenAsync(fu, id);
        var version = (await fu.GetAsync(Rfl(id))).ETagVersion();

        var (eligible, v1) = await OkAsync(fu.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        Assert.Equal("Eligible", eligible["reflection"]!.Str("status"));

        // 8. The investigation leader applies (form 194011, with the investigation) …
        var (submitted, v2) = await OkAsync(fu.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { preliminaryInvestigationId = investigation }, v1));
        var reflection = submitted["reflection"]!;
        Assert.Equal("ApplicationSubmitted", reflection.Str("status"));
        Assert.Equal("InvestigationLeader", reflection.Str("route"));
        Assert.Equal("194011", reflection.Str("formNumber"));
        Assert.Equal("DecisionDue", submitted["nextDeadline"]!.Str("kind"));
        // Monday + 3 working days → due at the end of Thursday (Swedish time).
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.FromHours(1)), submitted["nextDeadline"]!["at"]!.GetValue<DateTimeOffset>());

        // … and Migrationsverket grants with dates as decided (never computed).
        var from = app.Today;
        var to = from.AddDays(29);
        var (granted, v3) = await OkAsync(miv.PostJsonAsync(Rfl(id, "record-reflection-decision"),
            new { applicationId = reflection.Str("applicationId"), outcome = "Granted", decisionRef = "MIG-RP-1", validFrom = from, validTo = to }, v2));
        Assert.Equal("Active", granted["reflection"]!.Str("status"));
        Assert.Equal(to.ToString("yyyy-MM-dd"), granted["reflection"]!.Str("validTo"));
        var kinds = granted["deadlines"]!.AsArray().Select(d => d!.Str("kind")).ToArray();
        Assert.Equal(["ExpiryReminder", "ExpiryReminder", "Expiry"], kinds);

        // 9. Day 24: the investigation leader applies for a cooperation permit; the reflection period converts.
        app.Clock.Advance(TimeSpan.FromDays(23));
        var (applied, v4) = await OkAsync(fu.PostJsonAsync(Rfl(id, "submit-cooperation-permit-application"), new
        {
            preliminaryInvestigationId = investigation, neededForInvestigationOrTrial = true, clearWillingnessToCooperate = true,
            brokenTiesWithSuspects = true, noPublicOrderObjection = true,
        }, v3));
        Assert.Equal("ConvertedToCooperationPermit", applied["reflection"]!.Str("status"));
        Assert.Equal("ApplicationSubmitted", applied["cooperationPermit"]!.Str("status"));
        var cooperationApplication = applied["cooperationPermit"]!.Str("applicationId");

        // 10. A grant shorter than six months is refused; six months is granted.
        var events = await api.EventCountAsync();
        var shortGrant = await (await miv.PostJsonAsync(Rfl(id, "record-cooperation-permit-decision"), new
        {
            applicationId = cooperationApplication, outcome = "Granted", decisionRef = "MIG-TUT-1",
            validFrom = app.Today, validTo = app.Today.AddMonths(6).AddDays(-2), // validTo is the last day: one day short
        }, v4)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("at least six months", shortGrant["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());

        var (permit, v5) = await OkAsync(miv.PostJsonAsync(Rfl(id, "record-cooperation-permit-decision"), new
        {
            applicationId = cooperationApplication, outcome = "Granted", decisionRef = "MIG-TUT-1", validFrom = app.Today, validTo = app.Today.AddMonths(6),
        }, v4));
        Assert.Equal("Active", permit["cooperationPermit"]!.Str("status"));
        Assert.Equal("ConvertedToCooperationPermit", permit["reflection"]!.Str("status"));
        Assert.Contains(permit["deadlines"]!.AsArray(), d => d!.Str("permit") == "CooperationPermit" && d!.Str("kind") == "ExpiryReminder");

        // Every step's view carries the one case version (the ETag), whichever step appended last.
        var overview = await fu.GetAsync($"/api/v1/cases/{id}");
        var steps = (await overview.ExpectAsync(HttpStatusCode.OK))["steps"]!;
        Assert.Equal(overview.ETagVersion(), steps["suspicion"]!["version"]!.GetValue<long>());
        Assert.Equal(overview.ETagVersion(), steps["reflection-period"]!["version"]!.GetValue<long>());
        Assert.Equal(overview.ETagVersion(), (await fu.GetAsync($"/api/v1/cases/{id}/suspicion")).ETagVersion());

        // R5: Migrationsverket learns that ties with the suspects were resumed. The permit stands; the prosecutor who applied
        // (the investigation leader, addressed by id and as prosecution) and Migrationsverket get a review task, which the
        // revocation proposal fulfils.
        var (reported, v6) = await OkAsync(miv.PostJsonAsync(Rfl(id, "report-cooperation-condition-unmet"),
            new { condition = "BrokenTiesWithSuspects", reason = "Renewed contact with a suspect observed." }, v5));
        Assert.Equal("Active", reported["cooperationPermit"]!.Str("status"));
        Assert.Contains(reported["openItems"]!.AsArray(), i => i!.Str("duty") == "ConsiderCooperationPermitRevocation");
        var review = Assert.Single((await (await fu.GetAsync($"/api/v1/tasks?caseId={id}&kind=ConsiderCooperationPermitRevocation")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray())!;
        Assert.Equal(("R5", "Prosecution", "akl-sc1"), (review.Str("rule"), review.Str("addresseeType"), review.Str("addresseeOrgId")));
        Assert.Single((await (await miv.GetAsync($"/api/v1/tasks?caseId={id}&kind=ConsiderCooperationPermitRevocation")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());
        await OkAsync(fu.PostJsonAsync(Rfl(id, "propose-cooperation-permit-revocation"),
            new { conditionNoLongerMet = "BrokenTiesWithSuspects", reason = "Contact with the suspects resumed." }, v6));
        var fulfilled = Assert.Single((await (await fu.GetAsync($"/api/v1/tasks?caseId={id}&kind=ConsiderCooperationPermitRevocation&status=Done")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray())!;
        Assert.Equal("CooperationPermitRevocationProposed", fulfilled.Str("closedBy"));
    }

    [Fact]
    public async Task SC2_step_3_welfare_board_applies_without_an_investigation_and_an_NGO_may_not()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var soc = app.Client(OrgType.SocialServices, "soc-sc2");
        var (id, version) = await PresumedVictimAsync(app.Client(OrgType.Police, "pol-sc2"), new
        {
            channel = "InPerson", municipalityCode = "0180", ageCategory = "Adult", gender = "Male", nationality = "RO",
            citizenshipCategory = "NordicOrEuEea", residenceBasis = "NoRightOfResidence", exploitationPurposes = new[] { "ForcedBegging" },
        }, (OrgType.SocialServices, "soc-sc2"), (OrgType.NGO, "ngo-sc2"));

        // An EU citizen without a right of residence is eligible (R2).
        var (eligible, v1) = await OkAsync(soc.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        Assert.Equal("Eligible", eligible["reflection"]!.Str("status"));

        var events = await api.EventCountAsync();
        await (await app.Client(OrgType.NGO, "ngo-sc2").PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1))
            .ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(events, await api.EventCountAsync());

        var (submitted, _) = await OkAsync(soc.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1));
        Assert.Equal("WelfareBoard", submitted["reflection"]!.Str("route"));
        Assert.Equal("195011", submitted["reflection"]!.Str("formNumber"));
        Assert.Null(submitted["reflection"]!["preliminaryInvestigationRef"]);
    }

    [Fact]
    public async Task Migrationsverket_corrects_and_retracts_its_own_reflection_decision_with_compensating_events_R20()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var soc = app.Client(OrgType.SocialServices, "soc-r20");
        var miv = app.Client(OrgType.MigrationAgency, "miv-r20");
        var otherMiv = app.Client(OrgType.MigrationAgency, "miv-r20-other");
        var (id, version) = await PresumedVictimAsync(app.Client(OrgType.Police, "pol-r20"), null,
            (OrgType.SocialServices, "soc-r20"), (OrgType.MigrationAgency, "miv-r20"), (OrgType.MigrationAgency, "miv-r20-other"));
        var (_, v1) = await OkAsync(soc.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        var (submitted, v2) = await OkAsync(soc.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1));
        var (_, v3) = await OkAsync(miv.PostJsonAsync(Rfl(id, "record-reflection-decision"), new
        {
            applicationId = submitted["reflection"]!.Str("applicationId"), outcome = "Granted", decisionRef = "MIG-R20", validFrom = app.Today, validTo = app.Today.AddDays(29),
        }, v2));

        // Another Migrationsverket organisation did not record it: 409 naming the rule, nothing appended.
        var events = await api.EventCountAsync();
        var refused = await (await otherMiv.PostJsonAsync(Rfl(id, "correct-reflection-decision"),
            new { decisionRef = "MIG-R20b", validFrom = app.Today, validTo = app.Today.AddDays(35), reason = "Last day wrong." }, v3)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("(R20)", refused["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());

        var (corrected, v4) = await OkAsync(miv.PostJsonAsync(Rfl(id, "correct-reflection-decision"),
            new { decisionRef = "MIG-R20b", validFrom = app.Today, validTo = app.Today.AddDays(35), reason = "Last day wrong." }, v3));
        Assert.Equal(("Active", "MIG-R20b", app.Today.AddDays(35).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            (corrected["reflection"]!.Str("status"), corrected["reflection"]!.Str("decisionRef"), corrected["reflection"]!.Str("validTo")));

        var (retracted, _) = await OkAsync(miv.PostJsonAsync(Rfl(id, "retract-reflection-decision"), new { reason = "Recorded on the wrong case." }, v4));
        Assert.Equal("ApplicationSubmitted", retracted["reflection"]!.Str("status"));
        Assert.Null(retracted["reflection"]!["validTo"]);

        // Both the original decision and its compensations stay in the history (never an update).
        var types = await api.ScalarAsync<string>($"select string_agg(type, ',' order by version) from {{schema}}.mt_events where stream_id = '{id}' and type like 'reflection_period.%decision%' or stream_id = '{id}' and type = 'reflection_period.granted'");
        Assert.Equal("reflection_period.granted,reflection_period.decision_corrected,reflection_period.decision_retracted", types);
    }

    [Fact]
    public async Task An_investigation_leader_application_without_an_investigation_is_refused()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var police = app.Client(OrgType.Police, "pol-nofu");
        var (id, version) = await PresumedVictimAsync(police);
        var (_, v1) = await OkAsync(police.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        var problem = await (await police.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("names an open preliminary investigation", problem["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Equal("Eligible", problem.Str("currentState"));
    }

    [Fact]
    public async Task A_Swedish_citizen_or_a_holder_of_another_permit_is_not_applicable()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var police = app.Client(OrgType.Police, "pol-r2");
        var (id, version) = await PresumedVictimAsync(police, new
        {
            channel = "Inspection", municipalityCode = "2480", ageCategory = "Adult", gender = "Male", nationality = "TH",
            citizenshipCategory = "ThirdCountry", residenceBasis = "TemporaryPermitOther", exploitationPurposes = new[] { "ForcedLabour" },
        });
        var (assessed, v1) = await OkAsync(police.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        Assert.Equal("NotApplicable", assessed["reflection"]!.Str("status"));
        var problem = await (await police.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { preliminaryInvestigationId = Guid.NewGuid() }, v1))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("NotApplicable", problem.Str("currentState"));
        Assert.Contains("AssessReflectionEligibility", problem["allowedActions"].Strings());
    }

    [Fact]
    public async Task SC6_missing_during_the_period_suspends_it_expiry_still_fires_and_a_new_application_is_then_allowed()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var soc = app.Client(OrgType.SocialServices, "soc-sc6");
        var shelter = app.Client(OrgType.NGO, "ngo-sc6");
        var miv = app.Client(OrgType.MigrationAgency, "miv-sc6");
        var (id, version) = await PresumedVictimAsync(app.Client(OrgType.Police, "pol-sc6"), null,
            (OrgType.SocialServices, "soc-sc6"), (OrgType.NGO, "ngo-sc6"), (OrgType.MigrationAgency, "miv-sc6"));
        var (_, v1) = await OkAsync(soc.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        var (submitted, v2) = await OkAsync(soc.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1));
        var (_, v3) = await OkAsync(miv.PostJsonAsync(Rfl(id, "record-reflection-decision"), new
        {
            applicationId = submitted["reflection"]!.Str("applicationId"), outcome = "Granted", decisionRef = "MIG-RP-6",
            validFrom = app.Today, validTo = app.Today.AddDays(29),
        }, v2));

        // Day 11: the shelter reports her missing → suspended; the permit's dates are unchanged.
        app.Clock.Advance(TimeSpan.FromDays(10));
        await (await shelter.PostJsonAsync(Cases.Step(id, "report-person-missing"), new { }, v3)).ExpectAsync(HttpStatusCode.OK);
        var suspended = await (await soc.GetAsync(Rfl(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("SuspendedPersonMissing", suspended["reflection"]!.Str("status"));
        Assert.True(suspended["isMissing"]!.GetValue<bool>());
        Assert.Equal(app.Today.AddDays(19).ToString("yyyy-MM-dd"), suspended["reflection"]!.Str("validTo"));

        // Before the last day has passed nothing expires (other tests' cases in this database may).
        await app.RunDeadlinesAsync();
        Assert.Equal("SuspendedPersonMissing", (await (await soc.GetAsync(Rfl(id))).ExpectAsync(HttpStatusCode.OK))["reflection"]!.Str("status"));

        // D+30: the expiry fires even while suspended.
        app.Clock.Advance(TimeSpan.FromDays(20));
        Assert.True(await app.RunDeadlinesAsync() >= 1);
        var expired = await (await soc.GetAsync(Rfl(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Expired", expired["reflection"]!.Str("status"));
        var history = await (await soc.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        var last = history["items"]!.AsArray()[^1]!;
        Assert.Equal("reflection_period.expired", last.Str("type"));
        Assert.Equal("system", last.Str("userId"));
        Assert.Equal("PermitExpiry", last.Str("causationId"));

        // Running again appends nothing to this case.
        var versionAfterExpiry = expired["version"]!.GetValue<long>();
        await app.RunDeadlinesAsync();
        Assert.Equal(versionAfterExpiry, (await (await soc.GetAsync(Rfl(id))).ExpectAsync(HttpStatusCode.OK))["version"]!.GetValue<long>());

        // An extension of an expired period is refused.
        var extension = await (await soc.PostJsonAsync(Rfl(id, "request-reflection-extension"), new { specialReasons = "Needs more time.", conditionsStillMet = true }))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("Expired", extension.Str("currentState"));

        // D+120: found; a new eligibility check and a new application are allowed (R3: the old permit has expired).
        app.Clock.Advance(TimeSpan.FromDays(90));
        await (await shelter.PostJsonAsync(Cases.Step(id, "report-person-found"), new { })).ExpectAsync(HttpStatusCode.OK);
        var (_, v5) = await OkAsync(soc.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }));
        var (again, _) = await OkAsync(soc.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v5));
        Assert.Equal("ApplicationSubmitted", again["reflection"]!.Str("status"));
        Assert.NotEqual(submitted["reflection"]!.Str("applicationId"), again["reflection"]!.Str("applicationId"));
    }

    [Fact]
    public async Task A_person_found_before_the_last_day_returns_the_period_to_active()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var soc = app.Client(OrgType.SocialServices, "soc-found");
        var (id, version) = await PresumedVictimAsync(app.Client(OrgType.Police, "pol-found"), null, (OrgType.SocialServices, "soc-found"), (OrgType.MigrationAgency, "miv-found"));
        var (_, v1) = await OkAsync(soc.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        var (submitted, v2) = await OkAsync(soc.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1));
        var (_, v3) = await OkAsync(app.Client(OrgType.MigrationAgency, "miv-found").PostJsonAsync(Rfl(id, "record-reflection-decision"), new
        {
            applicationId = submitted["reflection"]!.Str("applicationId"), outcome = "Granted", decisionRef = "MIG-RP-7",
            validFrom = app.Today, validTo = app.Today.AddDays(29),
        }, v2));
        var missing = await soc.PostJsonAsync(Cases.Step(id, "report-person-missing"), new { }, v3);
        await missing.ExpectAsync(HttpStatusCode.OK);
        await (await soc.PostJsonAsync(Cases.Step(id, "report-person-found"), new { }, missing.ETagVersion())).ExpectAsync(HttpStatusCode.OK);
        var view = await (await soc.GetAsync(Rfl(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Active", view["reflection"]!.Str("status"));
        Assert.False(view["isMissing"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Two_deadline_services_racing_on_one_case_append_exactly_one_expiry()
    {
        var clock = ClockedApi.NewClock();
        // One barrier shared by both nodes: the four runs all read the case before any appends, so they really race.
        var barrier = new SaveBarrier(4);
        await using var node1 = new ClockedApi(api, clock, barrier);
        await using var node2 = new ClockedApi(api, clock, barrier);
        var soc = node1.Client(OrgType.SocialServices, "soc-race");
        var (id, version) = await PresumedVictimAsync(node1.Client(OrgType.Police, "pol-race"), null, (OrgType.SocialServices, "soc-race"), (OrgType.MigrationAgency, "miv-race"));
        var (_, v1) = await OkAsync(soc.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = false }, version));
        var (submitted, v2) = await OkAsync(soc.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1));
        await OkAsync(node2.Client(OrgType.MigrationAgency, "miv-race").PostJsonAsync(Rfl(id, "record-reflection-decision"), new
        {
            applicationId = submitted["reflection"]!.Str("applicationId"), outcome = "Granted", decisionRef = "MIG-RP-8",
            validFrom = node1.Today, validTo = node1.Today.AddDays(29),
        }, v2));

        clock.Advance(TimeSpan.FromDays(31));
        barrier.Arm(Guid.Parse(id));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? node1 : node2).RunDeadlinesAsync()));
        Assert.Equal(4, barrier.Arrived);

        var expiries = await api.ScalarAsync<long>(
            $"select count(*) from {{schema}}.mt_events where stream_id = '{id}' and type = 'reflection_period.expired'");
        Assert.Equal(1, expiries);
    }

    [Fact]
    public async Task Deadlines_list_shows_the_permits_of_cases_the_caller_takes_part_in()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var soc = app.Client(OrgType.SocialServices, "soc-deadlines");
        var (id, version) = await PresumedVictimAsync(app.Client(OrgType.Police, "pol-deadlines"), null, (OrgType.SocialServices, "soc-deadlines"), (OrgType.MigrationAgency, "miv-deadlines"));
        var (_, v1) = await OkAsync(soc.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        var (submitted, v2) = await OkAsync(soc.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1));
        await OkAsync(app.Client(OrgType.MigrationAgency, "miv-deadlines").PostJsonAsync(Rfl(id, "record-reflection-decision"), new
        {
            applicationId = submitted["reflection"]!.Str("applicationId"), outcome = "Granted", decisionRef = "MIG-RP-9",
            validFrom = app.Today, validTo = app.Today.AddDays(9),
        }, v2));

        var mine = await (await soc.GetAsync("/api/v1/deadlines?within=P14D")).ExpectAsync(HttpStatusCode.OK);
        var items = mine["items"]!.AsArray().Where(d => d!.Str("caseId") == id).ToList();
        Assert.Equal(["ExpiryReminder", "ExpiryReminder", "Expiry"], items.Select(d => d!.Str("kind")).ToArray());

        var soon = await (await soc.GetAsync("/api/v1/deadlines?within=P5D")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["ExpiryReminder"], soon["items"]!.AsArray().Where(d => d!.Str("caseId") == id).Select(d => d!.Str("kind")).ToArray());

        var outsider = await (await app.Client(OrgType.SocialServices, "soc-elsewhere").GetAsync("/api/v1/deadlines?within=P14D")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(outsider["items"]!.AsArray(), d => d!.Str("caseId") == id);

        await (await soc.GetAsync("/api/v1/deadlines?within=fortnight")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Invalid_decisions_are_400_and_record_nothing()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var soc = app.Client(OrgType.SocialServices, "soc-bad");
        var miv = app.Client(OrgType.MigrationAgency, "miv-bad");
        var (id, version) = await PresumedVictimAsync(app.Client(OrgType.Police, "pol-bad"), null, (OrgType.SocialServices, "soc-bad"), (OrgType.MigrationAgency, "miv-bad"));
        var (_, v1) = await OkAsync(soc.PostJsonAsync(Rfl(id, "assess-reflection-eligibility"), new { personWishesReflection = true }, version));
        var (submitted, v2) = await OkAsync(soc.PostJsonAsync(Rfl(id, "submit-reflection-application"), new { }, v1));
        var events = await api.EventCountAsync();

        var backwards = await (await miv.PostJsonAsync(Rfl(id, "record-reflection-decision"), new
        {
            applicationId = submitted["reflection"]!.Str("applicationId"), outcome = "Granted", decisionRef = "MIG-RP-X",
            validFrom = app.Today, validTo = app.Today.AddDays(-1),
        }, v2)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(backwards["errors"]!.AsObject().ContainsKey("validTo"));

        await (await soc.PostRawAsync(Rfl(id, "end-reflection-period-early"), """{"reason":"Bored"}""")).ExpectAsync(HttpStatusCode.BadRequest);

        var wrongApplication = await (await miv.PostJsonAsync(Rfl(id, "record-reflection-decision"), new
        {
            applicationId = Guid.NewGuid(), outcome = "Rejected", decisionRef = "MIG-RP-X", rejectionReason = "Not needed.",
        }, v2)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("refers to the pending application", wrongApplication["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());
    }
}
