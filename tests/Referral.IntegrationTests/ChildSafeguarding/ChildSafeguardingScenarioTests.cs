using System.Net;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.ChildSafeguarding;

/// <summary>The child-safeguarding overlay through HTTP against real PostgreSQL with a fake clock (MANUAL.md §4.8, SC3 steps 2–4 and 7–8).</summary>
[Collection(ApiCollection.Name)]
public sealed class ChildSafeguardingScenarioTests(ApiFixture api)
{
    /// <summary>SC3 step 1: an age-disputed boy treated as a child, Moroccan, forced criminality, unaccompanied.</summary>
    private static readonly object Sc3Registration = new
    {
        channel = "InPerson", municipalityCode = "0180", ageCategory = "AgeDisputedTreatedAsChild", gender = "Male", nationality = "MA",
        citizenshipCategory = "ThirdCountry", residenceBasis = "NoRightOfResidence", exploitationPurposes = new[] { "ForcedCriminality" },
        indicators = new[] { "InvolvedInCrimeOrNetworks", "ControlledByFrequentCaller" },
    };

    private static string Chd(string caseId, string action = "") => $"/api/v1/cases/{caseId}/child-safeguarding" + (action.Length > 0 ? "/" + action : "");

    private static async Task<(JsonNode Body, long Version)> OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        return (await response.ExpectAsync(HttpStatusCode.OK), response.ETagVersion());
    }

    private static string[] Kinds(JsonNode view, bool urgentOnly = false) =>
        view["tasks"]!.AsArray().Where(t => !urgentOnly || t!["urgent"]!.GetValue<bool>()).Select(t => t!.Str("kind")).ToArray();

    [Fact]
    public async Task SC3_steps_2_to_4_concern_report_protection_assessment_by_the_next_day_measures_guardian_then_the_declaration()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var police = app.Client(OrgType.Police, "pol-chd1");
        var social = app.Client(OrgType.SocialServices, "soc-chd1");
        var (id, v0, _) = await Cases.RegisterAsync(police, Sc3Registration);

        // 2. A child's case requires a concern report from the start; social services must take part within 24 hours.
        var (required, _) = await OkAsync(police.GetAsync(Chd(id)));
        Assert.Equal("ConcernReportRequired", required.Str("status"));
        Assert.Equal(["ReportConcern", "TakePartAsSocialServices"], Kinds(required));
        Assert.Equal(app.Clock.GetUtcNow().AddHours(24), required["socialServicesDueAt"]!.GetValue<DateTimeOffset>());

        // R13: without social services taking part, the child cannot be declared a presumed victim.
        var (_, v1) = await OkAsync(police.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { methodsOfControl = new[] { "UsesChildren" } }, v0));
        var refused = await (await police.PostJsonAsync(Cases.Step(id, "declare-presumed-victim"), new { assessment = "Forced criminality of a child." }, v1))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("social services", refused["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        await (await social.GetAsync(Chd(id))).ExpectAsync(HttpStatusCode.NotFound);

        // The concern report names the receiving social services, which from then on take part in the case.
        var (reported, v2) = await OkAsync(police.PostJsonAsync(Chd(id, "record-concern-report"), new { socialServicesOrgId = "soc-chd1" }, v1));
        Assert.Equal("ConcernReported", reported.Str("status"));
        // Reported Monday noon (Swedish time): the protection assessment is due by the end of Tuesday.
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.FromHours(1)), reported["protectionAssessmentDueAt"]!.GetValue<DateTimeOffset>());

        // 3. Tuesday morning: nothing is overdue yet; social services assess an immediate need, take the boy into
        // immediate custody (LVU 6 §) and request a god man, whom the överförmyndare appoints.
        app.Clock.Advance(TimeSpan.FromHours(20));
        await app.RunDeadlinesAsync();
        var (assessed, v3) = await OkAsync(social.PostJsonAsync(Chd(id, "record-protection-assessment"), new { immediateProtectionNeeded = true }, v2));
        Assert.Equal("ProtectionAssessed", assessed.Str("status"));
        Assert.True(assessed["socialServicesTakePart"]!.GetValue<bool>());
        Assert.Empty(assessed["escalations"]!.AsArray());
        var (custody, v4) = await OkAsync(social.PostJsonAsync(Chd(id, "decide-child-measure"), new { measure = "ImmediateCustodyLvu6", decisionRef = "SOC-LVU-2026-7" }, v3));
        Assert.Equal("MeasuresInPlace", custody.Str("status"));
        var (_, v5) = await OkAsync(social.PostJsonAsync(Chd(id, "request-guardian"), new { separatedFromBothParents = true }, v4));
        var (guardian, v6) = await OkAsync(social.PostJsonAsync(Chd(id, "record-guardian-appointment"), new { appointedOn = app.Today.ToString("yyyy-MM-dd") }, v5));
        Assert.Equal("Appointed", guardian.Str("guardian"));
        Assert.Empty(Kinds(guardian));

        // Days later no escalation fires: every duty was met in time.
        app.Clock.Advance(TimeSpan.FromDays(3));
        await app.RunDeadlinesAsync();
        var (later, _) = await OkAsync(social.GetAsync(Chd(id)));
        Assert.Empty(later["escalations"]!.AsArray());
        Assert.Equal(v6, later["version"]!.GetValue<long>());

        // 4. An NGO that does not take part learns nothing (404); social services can declare (no consent needed for a child).
        await (await app.Client(OrgType.NGO, "ngo-chd1").PostJsonAsync(Cases.Step(id, "declare-presumed-victim"), new { assessment = "Forced criminality of a child." }, v6))
            .ExpectAsync(HttpStatusCode.NotFound);
        var (declared, _) = await OkAsync(social.PostJsonAsync(Cases.Step(id, "declare-presumed-victim"), new { assessment = "Forced criminality of a child." }, v6));
        Assert.Equal("PresumedVictim", declared.Str("status"));

        var history = await (await social.GetAsync($"/api/v1/cases/{id}/events?step=child_safeguarding")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["child_safeguarding.concern_reported", "child_safeguarding.protection_assessed", "child_safeguarding.measure_decided",
            "child_safeguarding.guardian_requested", "child_safeguarding.guardian_appointed"], history["items"]!.AsArray().Select(e => e!.Str("type")).ToArray());
    }

    [Fact]
    public async Task Missed_duties_are_escalated_once_each_social_services_after_24_hours_and_the_assessment_after_the_next_day()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var police = app.Client(OrgType.Police, "pol-chd2");
        var (id, v0, _) = await Cases.RegisterAsync(police, Sc3Registration);
        await OkAsync(police.PostJsonAsync(Chd(id, "record-concern-report"), new { socialServicesOrgId = "soc-chd2" }, v0));

        // Tuesday 12:01: social services have not taken part for 24 hours; the assessment is still due today.
        app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await app.RunDeadlinesAsync();
        var (first, _) = await OkAsync(police.GetAsync(Chd(id)));
        Assert.Equal(["SocialServicesNotLinked"], first["escalations"].Strings());
        Assert.Equal(["TakePartAsSocialServices"], Kinds(first, urgentOnly: true));

        // Wednesday 00:30 Swedish time: the end of the next day has passed without a protection assessment.
        app.Clock.Advance(TimeSpan.FromHours(12));
        await app.RunDeadlinesAsync();
        await app.RunDeadlinesAsync();
        var (second, _) = await OkAsync(police.GetAsync(Chd(id)));
        Assert.Equal(["SocialServicesNotLinked", "ProtectionAssessmentOverdue"], second["escalations"].Strings());
        Assert.Equal(["AssessProtection", "TakePartAsSocialServices"], Kinds(second, urgentOnly: true));

        var history = await (await police.GetAsync($"/api/v1/cases/{id}/events?step=child_safeguarding")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, history["items"]!.AsArray().Count(e => e!.Str("type") == "child_safeguarding.escalated"));
    }

    [Fact]
    public async Task SC3_steps_7_and_8_a_missing_child_is_urgent_for_police_and_social_services_until_found()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var social = app.Client(OrgType.SocialServices, "soc-chd3");
        var (id, v0, _) = await Cases.RegisterAsync(social, Sc3Registration);
        var (_, v1) = await OkAsync(social.PostJsonAsync(Chd(id, "record-concern-report"), new { socialServicesOrgId = "soc-chd3" }, v0));
        var (_, v2) = await OkAsync(social.PostJsonAsync(Chd(id, "record-protection-assessment"), new { immediateProtectionNeeded = false }, v1));

        // 7. Day 9: the boy absconds.
        app.Clock.Advance(TimeSpan.FromDays(9));
        var (_, v3) = await OkAsync(social.PostJsonAsync(Cases.Step(id, "report-person-missing"), new { }, v2));
        var (missing, _) = await OkAsync(social.GetAsync(Chd(id)));
        Assert.True(missing["missing"]!.GetValue<bool>());
        var locate = missing["tasks"]!.AsArray().Single(t => t!.Str("kind") == "LocateMissingChild")!;
        Assert.True(locate["urgent"]!.GetValue<bool>());
        Assert.Equal(["Police", "SocialServices"], locate["for"].Strings());

        // A missing child's overlay cannot be closed as if protection were no longer needed.
        var events = await api.EventCountAsync();
        var refused = await (await social.PostJsonAsync(Chd(id, "close-child-overlay"), new { reason = "ProtectionNoLongerNeeded" }, v3)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("ClosedMissing", refused["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());

        // 8. Day 12: found; the urgent task is gone.
        app.Clock.Advance(TimeSpan.FromDays(3));
        await OkAsync(social.PostJsonAsync(Cases.Step(id, "report-person-found"), new { }, v3));
        var (found, _) = await OkAsync(social.GetAsync(Chd(id)));
        Assert.False(found["missing"]!.GetValue<bool>());
        Assert.DoesNotContain("LocateMissingChild", Kinds(found));
    }

    [Fact]
    public async Task Refusals_say_why_and_append_nothing()
    {
        var police = api.Client(OrgType.Police, "pol-chd4");
        var social = api.Client(OrgType.SocialServices, "soc-chd4");
        var (id, v0, _) = await Cases.RegisterAsync(police, Sc3Registration);
        var (_, v1) = await OkAsync(police.PostJsonAsync(Chd(id, "record-concern-report"), new { socialServicesOrgId = "soc-chd4" }, v0));
        var (_, assessed) = await OkAsync(social.PostJsonAsync(Chd(id, "record-protection-assessment"), new { immediateProtectionNeeded = false }, v1));
        Assert.True(assessed > v1);
        // An NGO and the prosecutor take part (a child's case: referred without consent), so their refusals are by type.
        var v2 = await Cases.BringInAsync(police, id, (OrgType.NGO, "ngo-chd4"), (OrgType.Prosecution, "akl-chd4"));
        var events = await api.EventCountAsync();

        // 400: an unknown measure, a malformed decision reference.
        await (await social.PostJsonAsync(Chd(id, "decide-child-measure"), new { measure = "Detention", decisionRef = "SOC-1" }, v2)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(Chd(id, "decide-child-measure"), new { measure = "Placement", decisionRef = "<script>" }, v2)).ExpectAsync(HttpStatusCode.BadRequest);
        // 403: only social services assess and decide; only the prosecutor applies for a särskild företrädare.
        await (await api.Client(OrgType.NGO, "ngo-chd4").PostJsonAsync(Chd(id, "record-protection-assessment"), new { immediateProtectionNeeded = true }, v2))
            .ExpectAsync(HttpStatusCode.Forbidden);
        await (await social.PostJsonAsync(Chd(id, "request-special-representative"), new { custodianSuspected = true }, v2)).ExpectAsync(HttpStatusCode.Forbidden);
        // 409: immediate custody without an immediate need; a special representative without a suspected custodian;
        // a god man for a child not separated from the parents.
        var lvu = await (await social.PostJsonAsync(Chd(id, "decide-child-measure"), new { measure = "ImmediateCustodyLvu6", decisionRef = "SOC-1" }, v2))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("immediate need", lvu["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Contains("OpenChildInvestigation", lvu["allowedActions"].Strings());
        await (await api.Client(OrgType.Prosecution, "akl-chd4").PostJsonAsync(Chd(id, "request-special-representative"), new { custodianSuspected = false }, v2))
            .ExpectAsync(HttpStatusCode.Conflict);
        await (await social.PostJsonAsync(Chd(id, "request-guardian"), new { separatedFromBothParents = false }, v2)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(events, await api.EventCountAsync());

        // The prosecutor's application is recorded once a custodian is suspected; the court's appointment is then awaited.
        var (requested, _) = await OkAsync(api.Client(OrgType.Prosecution, "akl-chd4").PostJsonAsync(Chd(id, "request-special-representative"), new { custodianSuspected = true }, v2));
        Assert.Equal("Requested", requested.Str("specialRepresentative"));
        Assert.Equal(["AppointSpecialRepresentative"], Kinds(requested));
    }

    [Fact]
    public async Task An_adults_case_has_no_child_overlay()
    {
        var police = api.Client(OrgType.Police, "pol-chd5");
        var (id, v0, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        var (view, _) = await OkAsync(police.GetAsync(Chd(id)));
        Assert.Equal("NotApplicable", view.Str("status"));
        Assert.Empty(view["tasks"]!.AsArray());
        Assert.Empty(view["allowedActions"]!.AsArray());
        var refused = await (await police.PostJsonAsync(Chd(id, "record-concern-report"), new { socialServicesOrgId = "soc-chd5" }, v0)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("NotApplicable", refused.Str("currentState"));
    }
}
