using System.Net;
using System.Net.Http.Json;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Suspicion;

/// <summary>End-to-end scenarios of MANUAL.md §8 through HTTP against real PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class ScenarioTests(ApiFixture api)
{
    [Fact]
    public async Task SC1_steps_1_to_4_register_consent_consult_and_declare_presumed_victim()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-sc1");
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-sc1");

        // 1. NGO registers the suspicion.
        var (id, v1, registered) = await Cases.RegisterAsync(ngo);
        Assert.Equal("Registered", registered.Str("status"));
        Assert.Equal(1, v1);

        // 2. NGO records consent covering referral to the coordinator and sharing with the police.
        var consent = await ngo.PostJsonAsync(Cases.Step(id, "record-consent"),
            new { status = "Given", scope = new[] { "ReferralToRegionalCoordinator", "ShareWithPolice" }, language = "en", interpreterUsed = false }, v1);
        var afterConsent = await consent.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Given", afterConsent.Str("consentStatus"));

        // 3. NGO consults the regional coordinator: the case is under assessment.
        var consult = await ngo.PostJsonAsync(Cases.Step(id, "request-coordinator-consultation"), new { coordinatorOrgId = "rko-sc1" }, consent.ETagVersion());
        var underAssessment = await consult.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("UnderAssessment", underAssessment.Str("status"));

        // The NGO may recommend but not declare; the consulted coordinator may declare.
        Assert.DoesNotContain("DeclarePresumedVictim", underAssessment["allowedActions"]!.AsArray().Select(a => a!.Str("action")));
        var coordinatorView = await (await coordinator.GetAsync($"/api/v1/cases/{id}/suspicion")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("DeclarePresumedVictim", coordinatorView["allowedActions"]!.AsArray().Select(a => a!.Str("action")));

        // 4. The coordinator declares the person a presumed victim.
        var declare = await coordinator.PostJsonAsync(Cases.Step(id, "declare-presumed-victim"),
            new { assessment = "Overall assessment: debt bondage and confiscated documents; the account is consistent." }, consult.ETagVersion());
        var declared = await declare.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("PresumedVictim", declared.Str("status"));
        Assert.Equal(4, declare.ETagVersion());

        // The history holds the four acts, each with who, for which organisation, and which command.
        var history = await (await coordinator.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        var items = history["items"]!.AsArray();
        Assert.Equal(
            ["suspicion.suspicion_registered", "suspicion.consent_recorded", "suspicion.coordinator_consulted", "suspicion.presumed_victim_declared"],
            items.Select(e => e!.Str("type")).ToArray());
        Assert.Equal(["ngo-sc1", "ngo-sc1", "ngo-sc1", "rko-sc1"], items.Select(e => e!.Str("orgId")).ToArray());
        Assert.Equal(["NGO", "NGO", "NGO", "RegionalCoordinator"], items.Select(e => e!.Str("orgType")).ToArray());
        Assert.Equal(["RegisterSuspicion", "RecordConsent", "RequestCoordinatorConsultation", "DeclarePresumedVictim"],
            items.Select(e => e!.Str("causationId")).ToArray());
        Assert.All(items, e => Assert.False(string.IsNullOrEmpty(e!.Str("correlationId"))));
        Assert.Equal("user-regionalcoordinator", items[3]!.Str("userId"));
    }

    [Fact]
    public async Task SC5_closed_as_not_trafficking_then_reopened_by_police()
    {
        var social = api.Client(OrgType.SocialServices, "soc-sc5");
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-sc5");
        var police = api.Client(OrgType.Police, "pol-sc5");

        var (id, version, _) = await Cases.RegisterAsync(social, new
        {
            channel = "InPerson",
            municipalityCode = "1280",
            ageCategory = "Adult",
            gender = "Female",
            citizenshipCategory = "NordicOrEuEea",
            residenceBasis = "EuFreeMovementRight",
            exploitationPurposes = new[] { "SexualExploitation" },
        });
        var consent = await social.PostJsonAsync(Cases.Step(id, "record-consent"),
            new { status = "Given", scope = new[] { "ReferralToRegionalCoordinator" }, language = "sv" }, version);
        var consult = await social.PostJsonAsync(Cases.Step(id, "request-coordinator-consultation"), new { coordinatorOrgId = "rko-sc5" }, consent.ETagVersion());
        await consult.ExpectAsync(HttpStatusCode.OK);

        // 2. The coordinator assesses: no indicators, a narrative.
        var assess = await coordinator.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"),
            new { indicators = Array.Empty<string>(), narrative = "No third-party control, no debt, free movement." }, consult.ETagVersion());
        await assess.ExpectAsync(HttpStatusCode.OK);

        // 3. The coordinator closes the case as not trafficking.
        var close = await coordinator.PostJsonAsync(Cases.Step(id, "close-as-not-trafficking"),
            new { reason = "NoIndicators", justification = "Assessment found no indicators of trafficking." }, assess.ETagVersion());
        var closed = await close.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("NotTrafficking", closed.Str("status"));
        Assert.Equal("NoIndicators", closed.Str("closureReason"));

        // While closed it is not a presumed victim; it is listed among closed cases.
        var list = await (await coordinator.GetAsync("/api/v1/cases?status=NotTrafficking")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(id, list["items"]!.AsArray().Select(i => i!.Str("caseId")));

        // 4. Police find new evidence: they join the case under OSL 10:23 (logged) and reopen.
        var joined = await Cases.JoinAsync(police, id, "SeriousCrime_OSL_10_23");
        var reopen = await police.PostJsonAsync(Cases.Step(id, "reopen"), new { newInformation = "New evidence from a police operation." }, joined);
        var reopened = await reopen.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("UnderAssessment", reopened.Str("status"));

        // The reopening is visible in the audit trail.
        var history = await (await coordinator.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        var last = history["items"]!.AsArray()[^1]!;
        Assert.Equal("suspicion.case_reopened", last.Str("type"));
        Assert.Equal("Police", last.Str("orgType"));
        Assert.Equal("UnderAssessment", last["data"]!.Str("status"));
    }

    [Fact]
    public async Task SC8_anonymous_consultation_with_personal_data_is_refused_and_without_it_is_counted_and_creates_no_case()
    {
        var hotline = api.Client(OrgType.GenderEqualityAgency, "jam-hotline");
        var cases = await api.ScalarAsync<long>("select count(*) from {schema}.mt_doc_suspicionstate");
        var people = await api.ScalarAsync<long>("select count(*) from {schema}.mt_doc_personrecord");
        var before = await (await hotline.GetAsync("/api/v1/consultations/count")).ExpectAsync(HttpStatusCode.OK);
        var events = await api.EventCountAsync();

        var withName = await hotline.PostRawAsync("/api/v1/consultations",
            """{"callerOrgType":"HealthCare","channel":"Hotline","ageCategory":"Adult","exploitationPurposes":["SexualExploitation"],"name":"Testperson Syntetisksson"}""");
        var refused = await withName.ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:referral:problem:personal-data-refused", refused.Str("type"));
        Assert.DoesNotContain("Syntetisksson", refused.ToJsonString(), StringComparison.Ordinal);

        var withPhone = await hotline.PostRawAsync("/api/v1/consultations",
            """{"callerOrgType":"HealthCare","channel":"Hotline","phone":"+46701234567"}""");
        await withPhone.ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(events, await api.EventCountAsync());

        var ok = await hotline.PostJsonAsync("/api/v1/consultations",
            new { callerOrgType = "HealthCare", channel = "Hotline", ageCategory = "Adult", exploitationPurposes = new[] { "SexualExploitation" } });
        await ok.ExpectAsync(HttpStatusCode.Created);

        var after = await (await hotline.GetAsync("/api/v1/consultations/count")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before["count"]!.GetValue<int>() + 1, after["count"]!.GetValue<int>());
        Assert.Equal(cases, await api.ScalarAsync<long>("select count(*) from {schema}.mt_doc_suspicionstate"));
        Assert.Equal(people, await api.ScalarAsync<long>("select count(*) from {schema}.mt_doc_personrecord"));
    }

    [Fact]
    public async Task Raw_events_table_holds_no_synthetic_personal_data_after_a_scenario()
    {
        var police = api.Client(OrgType.Police, "pol-pii");
        var (id, version, _) = await Cases.RegisterAsync(police);
        var consent = await police.PostJsonAsync(Cases.Step(id, "record-consent"),
            new { status = "Given", scope = new[] { "ReferralToRegionalCoordinator" }, language = "en" }, version);
        // Without If-Match a replacement is refused (428): it could overwrite a change its sender never saw.
        var blind = await (await police.PutAsJsonAsync($"/api/v1/cases/{id}/person", new { givenName = "Korrigerad" })).ExpectAsync((HttpStatusCode)428);
        Assert.Equal("urn:referral:problem:precondition-required", blind.Str("type"));
        var blindErase = await (await police.DeleteAsync($"/api/v1/cases/{id}/person")).ExpectAsync((HttpStatusCode)428);
        Assert.Equal("urn:referral:problem:precondition-required", blindErase.Str("type"));
        var correct = await police.SendMatchingAsync(HttpMethod.Put, $"/api/v1/cases/{id}/person", consent.ETagVersion(),
            new { givenName = "Korrigerad", familyName = Cases.SyntheticFamilyName, email = "testperson@example.invalid" });
        await correct.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(consent.ETagVersion() + 1, correct.ETagVersion());

        var person = await (await police.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Korrigerad", person["details"]!.Str("givenName"));

        var stored = await api.ScalarAsync<string>("select coalesce(string_agg(data::text || coalesce(headers::text, ''), ' '), '') from {schema}.mt_events");
        foreach (var personal in new[] { Cases.SyntheticGivenName, Cases.SyntheticFamilyName, Cases.SyntheticPhone, "1999-04-01", "Korrigerad", "testperson@example.invalid" })
        {
            Assert.DoesNotContain(personal, stored, StringComparison.OrdinalIgnoreCase);
        }

        // The correction event names the changed fields only.
        var history = await (await police.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        var corrected = history["items"]!.AsArray()[^1]!;
        Assert.Equal("suspicion.person_record_corrected", corrected.Str("type"));
        Assert.Equal(["DateOfBirth", "Email", "GivenName", "Phone"], corrected["data"]!["fields"].Strings().Order().ToArray());
    }

    [Fact]
    public async Task A_recommendation_to_declare_shows_as_an_open_item_for_social_services_and_the_coordinator()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-rec-" + Guid.NewGuid().ToString("N")[..6]);
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var assessed = await ngo.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { methodsOfControl = new[] { "Threats" } }, version);
        await assessed.ExpectAsync(HttpStatusCode.OK);
        var recommended = await (await ngo.PostJsonAsync(Cases.Step(id, "recommend-presumed-victim"), new { reason = "Indicators of forced labour." }, assessed.ETagVersion()))
            .ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(recommended["openItems"]!.AsArray())!;
        Assert.Equal("AssessPresumedVictimRecommendation", item.Str("duty"));
        Assert.Equal(["SocialServices", "RegionalCoordinator"], item["for"].Strings());
    }
}
