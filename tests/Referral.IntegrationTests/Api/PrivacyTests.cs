using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>Need-to-know (R15): reads for participants, others only under a stated legal basis, every such read logged.</summary>
[Collection(ApiCollection.Name)]
public sealed class PrivacyTests(ApiFixture api)
{
    private static HttpRequestMessage Get(string url, string? basis = null, string? purpose = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (basis is not null)
        {
            request.Headers.Add("X-Legal-Basis", basis);
            request.Headers.Add("X-Purpose", purpose ?? "Joint protection planning with the police.");
        }

        return request;
    }

    [Fact]
    public async Task Protected_personal_data_hide_the_municipality_from_everyone_not_taking_part()
    {
        var police = api.Client(OrgType.Police, "pol-spu");
        var (id, version, _) = await Cases.RegisterAsync(police);
        var url = Cases.Step(id, "set-protected-identity");

        await (await police.PostJsonAsync(url, new { }, version)).ExpectAsync(HttpStatusCode.BadRequest);
        // Organisations that do not take part learn nothing (404), whatever their type.
        await (await api.Client(OrgType.NGO, "ngo-spu").PostJsonAsync(url, new { @protected = true }, version)).ExpectAsync(HttpStatusCode.NotFound);
        await (await api.Client(OrgType.SocialServices, "soc-spu-other").PostJsonAsync(url, new { @protected = true }, version)).ExpectAsync(HttpStatusCode.NotFound);
        // A participating NGO may not record it (403).
        await Cases.ConsentAsync(police, id, "ShareWithNgo");
        version = await Cases.ReferAsync(police, id, OrgType.NGO, "ngo-spu");
        await (await api.Client(OrgType.NGO, "ngo-spu").PostJsonAsync(url, new { @protected = true }, version)).ExpectAsync(HttpStatusCode.Forbidden);
        var set = await police.PostJsonAsync(url, new { @protected = true }, version);
        var view = await set.ExpectAsync(HttpStatusCode.OK);
        Assert.True(view["protectedIdentity"]!.GetValue<bool>());
        Assert.Equal("0180", view.Str("municipalityCode"));

        var prosecutor = api.Client(OrgType.Prosecution, "aklm-spu");
        var disclosed = await (await prosecutor.SendAsync(Get($"/api/v1/cases/{id}/suspicion", "SeriousCrime_OSL_10_23"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(disclosed["municipalityCode"]);
        var auditor = api.Client(OrgType.Auditor, "aud-spu");
        Assert.Null((await (await auditor.GetAsync($"/api/v1/cases/{id}/suspicion")).ExpectAsync(HttpStatusCode.OK))["municipalityCode"]);
        var listed = await (await auditor.GetAsync("/api/v1/cases?municipality=0180&pageSize=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(listed["items"]!.AsArray(), c => c!.Str("caseId") == id);

        // Lifted: visible again.
        await (await police.PostJsonAsync(url, new { @protected = false }, set.ETagVersion())).ExpectAsync(HttpStatusCode.OK);
        disclosed = await (await prosecutor.SendAsync(Get($"/api/v1/cases/{id}/suspicion", "SeriousCrime_OSL_10_23"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("0180", disclosed.Str("municipalityCode"));
    }

    [Fact]
    public async Task A_non_participant_reads_only_under_a_legal_basis_and_the_read_is_logged_for_auditors()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-r15");
        var (id, _, _) = await Cases.RegisterAsync(ngo);
        var police = api.Client(OrgType.Police, "pol-r15");

        await (await police.SendAsync(Get($"/api/v1/cases/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.SendAsync(Get($"/api/v1/cases/{id}", "TellEveryone"))).ExpectAsync(HttpStatusCode.BadRequest);
        await (await police.SendAsync(Get($"/api/v1/cases/{id}", "SeriousCrime_OSL_10_23", "Call 070-123 45 67"))).ExpectAsync(HttpStatusCode.BadRequest);

        var read = await (await police.SendAsync(Get($"/api/v1/cases/{id}", "SeriousCrime_OSL_10_23"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Registered", read["steps"]!["suspicion"]!.Str("status"));
        var person = await (await police.SendAsync(Get($"/api/v1/cases/{id}/person", "SeriousCrime_OSL_10_23", "Identify the injured party."))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Cases.SyntheticFamilyName, person["details"]!.Str("familyName"));

        // The basis must fit the receiver: 10:23 discloses to the police or the prosecutor, not to an NGO.
        var wrongReceiver = await (await api.Client(OrgType.NGO, "ngo-r15-other").SendAsync(Get($"/api/v1/cases/{id}", "SeriousCrime_OSL_10_23")))
            .ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Contains("does not allow disclosure", wrongReceiver.Str("detail"), StringComparison.Ordinal);

        // A legal basis opens reads, never writes.
        using var correct = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cases/{id}/person") { Content = System.Net.Http.Json.JsonContent.Create(new { givenName = "X" }) };
        correct.Headers.Add("X-Legal-Basis", "SeriousCrime_OSL_10_23");
        correct.Headers.Add("X-Purpose", "Correction.");
        correct.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await (await police.SendAsync(correct)).ExpectAsync(HttpStatusCode.NotFound);

        var log = await (await api.Client(OrgType.Auditor, "aud-r15").GetAsync($"/api/v1/cases/{id}/audit/access-log")).ExpectAsync(HttpStatusCode.OK);
        var entries = log.AsArray();
        Assert.Equal(["case", "person"], entries.Where(e => e!.Str("orgId") == "pol-r15").Select(e => e!.Str("what")).ToArray());
        entries = [.. entries.Where(e => e!.Str("orgId") == "pol-r15").Select(e => e!.DeepClone())];
        Assert.All(entries, e =>
        {
            Assert.Equal("pol-r15", e!.Str("orgId"));
            Assert.Equal("Police", e!.Str("orgType"));
            Assert.Equal("SeriousCrime_OSL_10_23", e!.Str("legalBasis"));
            Assert.False(string.IsNullOrEmpty(e!.Str("purpose")));
        });
        await (await ngo.GetAsync($"/api/v1/cases/{id}/audit/access-log")).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_disclosure_under_consent_stays_within_the_consent_scope_and_ends_with_withdrawal_R11()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-r11");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var consent = await ngo.PostJsonAsync(Cases.Step(id, "record-consent"),
            new { status = "Given", scope = new[] { "ShareWithPolice" }, language = "en" }, version);
        await consent.ExpectAsync(HttpStatusCode.OK);

        await (await api.Client(OrgType.Police, "pol-r11").SendAsync(Get($"/api/v1/cases/{id}", "Consent_OSL_12_2"))).ExpectAsync(HttpStatusCode.OK);
        await (await api.Client(OrgType.MigrationAgency, "miv-r11").SendAsync(Get($"/api/v1/cases/{id}", "Consent_OSL_12_2"))).ExpectAsync(HttpStatusCode.NotFound);

        await (await ngo.PostJsonAsync(Cases.Step(id, "record-consent"), new { status = "Withdrawn", language = "en" }, consent.ETagVersion())).ExpectAsync(HttpStatusCode.OK);
        await (await api.Client(OrgType.Police, "pol-r11-b").SendAsync(Get($"/api/v1/cases/{id}", "Consent_OSL_12_2"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Retention_erases_person_records_of_cases_closed_long_enough_with_a_dry_run_first()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var social = app.Client(OrgType.SocialServices, "soc-retention");
        var auditor = app.Client(OrgType.Auditor, "aud-retention");
        var (id, version, _) = await Cases.RegisterAsync(social);
        var assessed = await social.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { narrative = "No indicators." }, version);
        await (await social.PostJsonAsync(Cases.Step(id, "close-as-not-trafficking"), new { reason = "NoIndicators", justification = "No indicators." }, assessed.ETagVersion()))
            .ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromDays(1000));
        Assert.DoesNotContain((await (await auditor.GetAsync("/api/v1/privacy/retention-due")).ExpectAsync(HttpStatusCode.OK)).AsArray(), c => c!.Str("caseId") == id);
        await app.RunDeadlinesAsync();
        await (await social.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromDays(900));
        var due = await (await auditor.GetAsync("/api/v1/privacy/retention-due")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(due.AsArray(), c => c!.Str("caseId") == id);
        await (await social.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.OK); // a dry run touches nothing

        await app.RunDeadlinesAsync();
        await (await social.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.NotFound);
        var history = await (await social.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        var last = history["items"]!.AsArray()[^1]!;
        Assert.Equal("suspicion.person_record_erased", last.Str("type"));
        Assert.Equal("PersonRecordRetention", last.Str("causationId"));
        Assert.DoesNotContain((await (await auditor.GetAsync("/api/v1/privacy/retention-due")).ExpectAsync(HttpStatusCode.OK)).AsArray(), c => c!.Str("caseId") == id);
        await (await app.Client(OrgType.NGO, "ngo-retention").GetAsync("/api/v1/privacy/retention-due")).ExpectAsync(HttpStatusCode.Forbidden);
    }

    public static TheoryData<OrgType> EveryOrgType()
    {
        var data = new TheoryData<OrgType>();
        foreach (var t in Enum.GetValues<OrgType>())
        {
            data.Add(t);
        }

        return data;
    }

    private static readonly OrgType[] Reporters =
        [OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency, OrgType.SocialServices, OrgType.RegionalCoordinator, OrgType.HealthCare, OrgType.NGO, OrgType.WorkEnvironmentAuthority];

    private static readonly string[] CaseReads = ["", "/suspicion", "/reflection-period", "/prosecution", "/voluntary-return", "/events"];

    [Theory]
    [MemberData(nameof(EveryOrgType))]
    public async Task Every_read_endpoint_answers_each_organisation_type_by_participation(OrgType orgType)
    {
        var client = api.Client(orgType, $"org-matrix-{orgType}");
        var (foreign, _, _) = await Cases.RegisterAsync(api.Client(OrgType.NGO, "ngo-matrix"));
        string? own = Reporters.Contains(orgType) ? (await Cases.RegisterAsync(client)).Id : null;

        async Task Expect(string caseId, string path, HttpStatusCode expected) =>
            Assert.True((await client.GetAsync($"/api/v1/cases/{caseId}{path}")).StatusCode == expected, $"{orgType} GET {path} on {(caseId == own ? "own" : "foreign")} case: expected {(int)expected}");

        foreach (var path in CaseReads)
        {
            await Expect(foreign, path, orgType == OrgType.Auditor ? HttpStatusCode.OK : HttpStatusCode.NotFound);
            if (own is not null)
            {
                await Expect(own, path, HttpStatusCode.OK);
            }
        }

        var personReaders = Reporters.Append(OrgType.IOM).ToArray();
        await Expect(foreign, "/person", personReaders.Contains(orgType) ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden);
        if (own is not null)
        {
            await Expect(own, "/person", HttpStatusCode.OK);
        }

        foreach (var audit in new[] { "/audit/verification", "/audit/access-log" })
        {
            await Expect(foreign, audit, orgType switch
            {
                OrgType.Auditor => HttpStatusCode.OK,
                OrgType.SocialServices => HttpStatusCode.NotFound,
                _ => HttpStatusCode.Forbidden,
            });
            if (own is not null)
            {
                await Expect(own, audit, orgType == OrgType.SocialServices ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
            }
        }
    }

    [Fact]
    public async Task Answers_carry_security_headers()
    {
        var response = await api.Client(OrgType.NGO).GetAsync("/api/v1/cases");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_scenario_with_synthetic_personal_data_leaves_none_of_it_in_the_logs()
    {
        var sink = new CapturingLoggerProvider();
        await using var factory = api.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddLogging(l => l.AddProvider(sink).SetMinimumLevel(LogLevel.Trace))));
        var ngo = factory.CreateClient();
        ngo.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("user-log", "ngo-log", "NGO"));
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        await (await ngo.PostJsonAsync(Cases.Step(id, "record-consent"), new { status = "Given", scope = new[] { "ReferralToRegionalCoordinator" }, language = "en" }, version))
            .ExpectAsync(HttpStatusCode.OK);
        await (await ngo.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.OK);
        await (await ngo.SendMatchingAsync(HttpMethod.Put, $"/api/v1/cases/{id}/person", version + 1, new { givenName = "Loggtest", familyName = Cases.SyntheticFamilyName }))
            .ExpectAsync(HttpStatusCode.OK);
        await (await ngo.PostRawAsync("/api/v1/cases", """{"channel":"InPerson","person":{"givenName":"Loggtest"},"bogus":"Syntetisksson"}""")).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(sink.Messages);
        foreach (var secret in new[] { Cases.SyntheticGivenName, Cases.SyntheticFamilyName, Cases.SyntheticPhone, "1999-04-01", "Loggtest" })
        {
            Assert.DoesNotContain(sink.Messages, m => m.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }
}
