using System.Net;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Suspicion;

/// <summary>Need-to-know reads, the person record's protection, auditors, lists and history paging.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessAndReadTests(ApiFixture api)
{
    [Fact]
    public async Task Person_record_is_readable_only_by_organisations_taking_part()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-person");
        var (id, _, _) = await Cases.RegisterAsync(ngo);

        var person = await (await ngo.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Cases.SyntheticFamilyName, person["details"]!.Str("familyName"));

        // Another NGO and the police (not taking part) get 404: the record's existence is not revealed.
        foreach (var outsider in new[] { api.Client(OrgType.NGO, "ngo-other"), api.Client(OrgType.Police, "pol-other") })
        {
            var problem = await (await outsider.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.NotFound);
            Assert.DoesNotContain(Cases.SyntheticFamilyName, problem.ToJsonString(), StringComparison.Ordinal);
        }

        // Auditors see cases pseudonymised only: the person record is never theirs, whatever the case.
        await (await api.Client(OrgType.Auditor, "aud-1").GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Case_reads_are_for_participants_and_auditors_only()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-reads");
        var (id, _, _) = await Cases.RegisterAsync(ngo);
        var outsider = api.Client(OrgType.SocialServices, "soc-outsider");
        await (await outsider.GetAsync($"/api/v1/cases/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/api/v1/cases/{id}/suspicion")).ExpectAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.NotFound);
        var outsiderList = await (await outsider.GetAsync("/api/v1/cases?pageSize=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(id, outsiderList["items"]!.AsArray().Select(i => i!.Str("caseId")));

        var overview = await ngo.GetAsync($"/api/v1/cases/{id}");
        var body = await overview.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("\"1\"", overview.Headers.ETag!.Tag);
        Assert.Equal("Registered", body["steps"]!["suspicion"]!.Str("status"));
    }

    [Fact]
    public async Task Auditors_read_every_case_and_write_nothing()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-audit");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var auditor = api.Client(OrgType.Auditor, "aud-2");

        var view = await (await auditor.GetAsync($"/api/v1/cases/{id}/suspicion")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(view["allowedActions"]!.AsArray());
        await (await auditor.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);

        var events = await api.EventCountAsync();
        await (await auditor.PostJsonAsync(Cases.Step(id, "mark-contact-lost"), new { }, version)).ExpectAsync(HttpStatusCode.Forbidden);
        await (await auditor.SendMatchingAsync(HttpMethod.Delete, $"/api/v1/cases/{id}/person", version)).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task Erasing_the_person_record_keeps_the_history()
    {
        var social = api.Client(OrgType.SocialServices, "soc-erase");
        var (id, version, _) = await Cases.RegisterAsync(social);

        var erase = await social.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/cases/{id}/person") { Headers = { { "If-Match", $"\"{version}\"" } } });
        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        Assert.Equal(version + 1, erase.ETagVersion());

        await (await social.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.NotFound);
        var view = await (await social.GetAsync($"/api/v1/cases/{id}/suspicion")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(view["personRecordErased"]!.GetValue<bool>());
        var history = await (await social.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["suspicion.suspicion_registered", "suspicion.person_record_erased"], history["items"]!.AsArray().Select(e => e!.Str("type")).ToArray());
        Assert.Equal(0, await api.ScalarAsync<long>($"select count(*) from {{schema}}.mt_doc_personrecord where data->>'CaseId' = '{id}' or data->>'caseId' = '{id}'"));
    }

    [Fact]
    public async Task After_erasure_the_record_and_its_key_are_gone_the_history_replays_and_no_table_holds_the_personal_data()
    {
        var social = api.Client(OrgType.SocialServices, "soc-shred");
        const string IdentityNumber = "19990401-1234";
        var registration = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Cases.Sc1Registration(), Http.Options))!;
        registration["person"]!["identifiers"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "Personnummer", ["value"] = IdentityNumber });
        var (id, version, body) = await Cases.RegisterAsync(social, registration);
        var subject = body.Str("subjectId");

        // A correction keeps the previous values in a history only authorities taking part can read.
        const string CorrectedName = "Zyxwella";
        var corrected = await social.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cases/{id}/person")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { givenName = CorrectedName, familyName = Cases.SyntheticFamilyName }),
            Headers = { { "If-Match", $"\"{version}\"" } },
        });
        await corrected.ExpectAsync(HttpStatusCode.OK);
        version = corrected.ETagVersion();
        var revisions = (await (await social.GetAsync($"/api/v1/cases/{id}/person/history")).ExpectAsync(HttpStatusCode.OK))["revisions"]!.AsArray();
        var previous = Assert.Single(revisions)!;
        Assert.Equal(Cases.SyntheticPhone, previous["details"]!.Str("phone"));
        Assert.Equal("soc-shred", previous.Str("replacedByOrgId"));
        using (var disclosure = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{id}/person/history"))
        {
            disclosure.Headers.Add("X-Legal-Basis", "SeriousCrime_OSL_10_23");
            disclosure.Headers.Add("X-Purpose", "Identify the injured party.");
            await (await api.Client(OrgType.Police, "pol-shred").SendAsync(disclosure)).ExpectAsync(HttpStatusCode.NotFound);
        }

        await (await api.Client(OrgType.NGO, "ngo-shred").GetAsync($"/api/v1/cases/{id}/person/history")).ExpectAsync(HttpStatusCode.Forbidden);

        // At rest the record is ciphertext: the names are in no table even before erasure.
        Assert.Equal(1, await api.ScalarAsync<long>($"select count(*) from {{schema}}.mt_doc_personrecordkey where id = '{subject}'"));
        Assert.Equal(1, await api.ScalarAsync<long>($"select count(*) from {{schema}}.mt_doc_personrecordrevision where coalesce(data->>'SubjectId', data->>'subjectId') = '{subject}'"));
        await (await social.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/cases/{id}/person") { Headers = { { "If-Match", $"\"{version}\"" } } }))
            .ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, await api.ScalarAsync<long>($"select count(*) from {{schema}}.mt_doc_personrecordkey where id = '{subject}'"));
        Assert.Equal(0, await api.ScalarAsync<long>($"select count(*) from {{schema}}.mt_doc_personrecord where id = '{subject}'"));
        Assert.Equal(0, await api.ScalarAsync<long>($"select count(*) from {{schema}}.mt_doc_personrecordrevision where coalesce(data->>'SubjectId', data->>'subjectId') = '{subject}'"));
        Assert.Empty((await (await social.GetAsync($"/api/v1/cases/{id}/person/history")).ExpectAsync(HttpStatusCode.OK))["revisions"]!.AsArray());

        var replay = await (await social.GetAsync($"/api/v1/cases/{id}?atVersion=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(subject, replay["steps"]!["suspicion"]!.Str("subjectId"));

        var tables = (await api.ScalarAsync<string>(
            "select string_agg(table_name, ',') from information_schema.tables where table_schema = '{schema}' and table_type = 'BASE TABLE'")).Split(',');
        var everything = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            everything.Append(await api.ScalarAsync<string>($"select coalesce(string_agg(t::text, ' '), '') from {{schema}}.\"{table}\" t")).Append(' ');
        }

        var text = everything.ToString();
        Assert.Contains(subject, text, StringComparison.Ordinal); // the scan does see the tables' contents
        foreach (var personal in new[] { Cases.SyntheticGivenName, CorrectedName, Cases.SyntheticFamilyName, Cases.SyntheticPhone, IdentityNumber, "1999-04-01" })
        {
            Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_restricted_person_record_is_kept_but_read_only_under_a_crime_investigation_basis()
    {
        var social = api.Client(OrgType.SocialServices, "soc-restrict");
        var (id, version, _) = await Cases.RegisterAsync(social);
        var url = $"/api/v1/cases/{id}/person/set-person-record-restriction";
        HttpRequestMessage Read(string path, string basis)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{id}/{path}");
            request.Headers.Add("X-Legal-Basis", basis);
            request.Headers.Add("X-Purpose", "Identify the injured party.");
            return request;
        }

        await (await social.PostJsonAsync(url, new { restricted = true }, version)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await social.PostJsonAsync(url, new { restricted = false, ground = "AccuracyContested" }, version)).ExpectAsync(HttpStatusCode.BadRequest);
        // An organisation that does not take part learns nothing (404); a participant of a type that may not restrict gets 403.
        await (await api.Client(OrgType.NGO, "ngo-restrict").PostJsonAsync(url, new { restricted = true, ground = "AccuracyContested" }, version)).ExpectAsync(HttpStatusCode.NotFound);
        await Cases.ConsentAsync(social, id, "ShareWithNgo");
        version = await Cases.ReferAsync(social, id, OrgType.NGO, "ngo-restrict");
        await (await api.Client(OrgType.NGO, "ngo-restrict").PostJsonAsync(url, new { restricted = true, ground = "AccuracyContested" }, version)).ExpectAsync(HttpStatusCode.Forbidden);
        var restrict = await social.PostJsonAsync(url, new { restricted = true, ground = "AccuracyContested" }, version);
        var view = await restrict.ExpectAsync(HttpStatusCode.OK);
        Assert.True(view["restricted"]!.GetValue<bool>());
        version = restrict.ETagVersion();

        var refused = await (await social.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("restricted", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(["SetPersonRecordRestriction", "CorrectPersonRecord", "ErasePersonRecord"], refused["allowedActions"].Strings());
        await (await social.GetAsync($"/api/v1/cases/{id}/person/history")).ExpectAsync(HttpStatusCode.Conflict);
        var police = api.Client(OrgType.Police, "pol-restrict");
        await (await police.SendAsync(Read("person", "Necessary_OSL_10_2"))).ExpectAsync(HttpStatusCode.Conflict);
        var investigation = await (await police.SendAsync(Read("person", "SeriousCrime_OSL_10_23"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Cases.SyntheticFamilyName, investigation["details"]!.Str("familyName"));

        // Restricting again appends nothing; lifting makes the record readable again.
        var again = await social.PostJsonAsync(url, new { restricted = true, ground = "AccuracyContested" }, version);
        await again.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(version, again.ETagVersion());
        await (await social.PostJsonAsync(url, new { restricted = false }, version)).ExpectAsync(HttpStatusCode.OK);
        await (await social.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Person_record_correction_is_validated()
    {
        var police = api.Client(OrgType.Police, "pol-correct");
        var (id, version, _) = await Cases.RegisterAsync(police);
        var response = await police.SendMatchingAsync(HttpMethod.Put, $"/api/v1/cases/{id}/person", version,
            new { givenName = "A", dateOfBirth = "2999-01-01", identifiers = new[] { new { type = "PassportNo", value = "" } } });
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("details.dateOfBirth") || errors.ContainsKey("dateOfBirth"), problem.ToJsonString());
    }

    [Fact]
    public async Task Case_list_filters_by_status_municipality_purpose_and_period()
    {
        var amv = api.Client(OrgType.WorkEnvironmentAuthority, "amv-list");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (labour, _, _) = await Cases.RegisterAsync(amv, new
        {
            channel = "Inspection", municipalityCode = "2480", gender = "Male", citizenshipCategory = "ThirdCountry",
            residenceBasis = "TemporaryPermitOther", exploitationPurposes = new[] { "ForcedLabour" }, labourSector = "GreenIndustry", operationRef = "op-berry-2026",
        });
        var (sexual, _, _) = await Cases.RegisterAsync(amv, new
        {
            channel = "Inspection", municipalityCode = "0180", gender = "Female", citizenshipCategory = "ThirdCountry",
            residenceBasis = "NoRightOfResidence", exploitationPurposes = new[] { "SexualExploitation" },
        });

        async Task<string[]> Ids(string query) =>
            (await (await amv.GetAsync("/api/v1/cases?" + query)).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Select(i => i!.Str("caseId")).ToArray();

        Assert.Equal([sexual, labour], await Ids("pageSize=10"));
        Assert.Equal([labour], await Ids("exploitationPurpose=ForcedLabour"));
        Assert.Equal([sexual], await Ids("municipality=0180"));
        Assert.Equal([sexual, labour], await Ids("status=Registered&registeredFrom=" + Uri.EscapeDataString(before.ToString("O"))));
        Assert.Empty(await Ids("registeredTo=" + Uri.EscapeDataString(before.ToString("O"))));
        Assert.Empty(await Ids("status=PresumedVictim"));

        var page = await (await amv.GetAsync("/api/v1/cases?pageSize=1&page=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([labour], page["items"]!.AsArray().Select(i => i!.Str("caseId")).ToArray());
        Assert.Equal(2, page["totalItems"]!.GetValue<long>());

        // Past the last page: no items, and still the true totals (issue 16).
        var beyond = await (await amv.GetAsync("/api/v1/cases?pageSize=1&page=5")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(beyond["items"]!.AsArray());
        Assert.Equal((2L, 2L), (beyond["totalItems"]!.GetValue<long>(), beyond["totalPages"]!.GetValue<long>()));
    }

    [Fact]
    public async Task History_is_paged_oldest_first()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-paging");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        foreach (var status in new[] { "Given", "Withdrawn", "Given" })
        {
            var r = await ngo.PostJsonAsync(Cases.Step(id, "record-consent"),
                new { status, scope = status == "Given" ? new[] { "ShareWithPolice" } : null, language = "en" }, version);
            await r.ExpectAsync(HttpStatusCode.OK);
            version = r.ETagVersion();
        }

        var second = await (await ngo.GetAsync($"/api/v1/cases/{id}/events?page=2&pageSize=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, second["totalItems"]!.GetValue<long>());
        Assert.Equal([4L], second["items"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()).ToArray());
        var beyond = await (await ngo.GetAsync($"/api/v1/cases/{id}/events?page=3&pageSize=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(beyond["items"]!.AsArray());
    }

    [Fact]
    public async Task Racing_writers_without_If_Match_get_one_success_and_409s_never_a_500()
    {
        // The barrier holds every save until all eight writers have read the case: they really race.
        var barrier = new SaveBarrier(8);
        await using var app = new ClockedApi(api, ClockedApi.NewClock(), barrier);
        var ngo = app.Client(OrgType.NGO, "ngo-race");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        barrier.Arm(Guid.Parse(id));
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            ngo.PostJsonAsync(Cases.Step(id, "record-consent"), new { status = "Refused", language = "en" })));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(8, barrier.Arrived);
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        var problem = await responses.First(r => r.StatusCode == HttpStatusCode.Conflict).JsonAsync();
        Assert.Equal("urn:referral:problem:concurrent-modification", problem.Str("type"));

        var history = await (await ngo.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(version + statuses.Count(s => s == HttpStatusCode.OK), history["version"]!.GetValue<long>());
    }
}
