using System.Net;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;
using Referral.Modules.Audit;

namespace Referral.IntegrationTests.Audit;

/// <summary>What auditors rely on: history, replay to a moment, the tamper-evident chain, export and offline verification.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuditTests(ApiFixture api)
{
    /// <summary>A case with a few events in two steps, recorded on distinct days of a fake clock.</summary>
    private static async Task<(string Id, DateTimeOffset[] Times)> CaseOverDaysAsync(ClockedApi app, string suffix)
    {
        var soc = app.Client(OrgType.SocialServices, "soc-" + suffix);
        var times = new List<DateTimeOffset>();
        var (id, version, _) = await Cases.RegisterAsync(soc, Cases.Sc1Registration(withPerson: false));
        times.Add(app.Clock.GetUtcNow());
        foreach (var (url, body) in new (string, object)[]
        {
            (Cases.Step(id, "record-indicator-assessment"), new { narrative = "Debt and threats." }),
            (Cases.Step(id, "declare-presumed-victim"), new { assessment = "Overall assessment." }),
            ($"/api/v1/cases/{id}/reflection-period/assess-reflection-eligibility", new { personWishesReflection = true }),
        })
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            var r = await soc.PostJsonAsync(url, body, version);
            await r.ExpectAsync(HttpStatusCode.OK);
            version = r.ETagVersion();
            times.Add(app.Clock.GetUtcNow());
        }

        return (id, [.. times]);
    }

    [Fact]
    public async Task History_is_filtered_by_step_and_time_and_carries_the_chain_links()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var (id, times) = await CaseOverDaysAsync(app, "hist");
        var soc = app.Client(OrgType.SocialServices, "soc-hist");

        var suspicion = await (await soc.GetAsync($"/api/v1/cases/{id}/events?step=suspicion")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, suspicion["totalItems"]!.GetValue<long>());
        var permits = await (await soc.GetAsync($"/api/v1/cases/{id}/events?step=reflection_period")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["reflection_period.eligibility_assessed"], permits["items"]!.AsArray().Select(e => e!.Str("type")).ToArray());

        var window = await (await soc.GetAsync($"/api/v1/cases/{id}/events?from={Uri.EscapeDataString(times[1].ToString("O"))}&to={Uri.EscapeDataString(times[3].ToString("O"))}"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([2L, 3L], window["items"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()).ToArray());
        Assert.All(window["items"]!.AsArray(), e => Assert.Equal(64, e!.Str("link").Length));
        await (await soc.GetAsync($"/api/v1/cases/{id}/events?step=Bad-Step")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_case_is_replayed_as_it_was_at_a_version_or_a_time()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var (id, times) = await CaseOverDaysAsync(app, "replay");
        var soc = app.Client(OrgType.SocialServices, "soc-replay");

        var atTwo = await soc.GetAsync($"/api/v1/cases/{id}?atVersion=2");
        var two = await atTwo.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, atTwo.ETagVersion());
        Assert.Equal("UnderAssessment", two["steps"]!["suspicion"]!.Str("status"));
        Assert.Equal("NotAssessed", two["steps"]!["reflection-period"]!["reflection"]!.Str("status"));

        var asOf = await (await soc.GetAsync($"/api/v1/cases/{id}?asOf={Uri.EscapeDataString(times[2].AddHours(1).ToString("O"))}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("PresumedVictim", asOf["steps"]!["suspicion"]!.Str("status"));
        Assert.Equal(3, asOf["version"]!.GetValue<long>());

        await (await soc.GetAsync($"/api/v1/cases/{id}?atVersion=99")).ExpectAsync(HttpStatusCode.NotFound);
        await (await soc.GetAsync($"/api/v1/cases/{id}?atVersion=0")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await app.Client(OrgType.NGO, "ngo-outsider").GetAsync($"/api/v1/cases/{id}?atVersion=1")).ExpectAsync(HttpStatusCode.NotFound);
    }

    /// <summary>Bodies for the commands a random walk may choose; others are skipped.</summary>
    private static object? BodyFor(string action, JsonNode overview) => action switch
    {
        "RecordConsent" => new { status = "Given", scope = new[] { "ReferralToRegionalCoordinator" }, language = "en" },
        "RequestCoordinatorConsultation" => new { coordinatorOrgId = "rko-prop" },
        "RecordIndicatorAssessment" => new { narrative = "Assessed." },
        "DeclarePresumedVictim" => new { assessment = "Overall assessment." },
        "RecommendPresumedVictim" => new { reason = "Please assess." },
        "CloseAsNotTrafficking" => new { reason = "NoIndicators", justification = "No indicators." },
        "MarkContactLost" or "ReportPersonMissing" or "ReportPersonFound" => new { },
        "Reopen" => new { newInformation = "New information." },
        "AssessReflectionEligibility" => new { personWishesReflection = true },
        "SubmitReflectionApplication" => new { },
        "RecordReflectionDecision" when overview["steps"]!["reflection-period"]!["reflection"]!["applicationId"] is not null => new
        {
            applicationId = overview["steps"]!["reflection-period"]!["reflection"]!.Str("applicationId"), outcome = "Granted", decisionRef = "D-prop",
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow), validTo = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(29)),
        },
        "EndReflectionPeriodEarly" => new { reason = "PersonDeclinedFurtherReflection" },
        _ => null,
    };

    /// <summary>What an organisation not yet taking part would try.</summary>
    private static readonly Dictionary<string, (string Step, string Action)[]> Attempts = new()
    {
        ["ngo"] = [("suspicion", "RecordConsent")],
        ["rko"] = [("suspicion", "RecordIndicatorAssessment"), ("suspicion", "DeclarePresumedVictim"), ("reflection-period", "AssessReflectionEligibility")],
        ["soc"] = [("suspicion", "DeclarePresumedVictim"), ("reflection-period", "AssessReflectionEligibility"), ("reflection-period", "SubmitReflectionApplication")],
        ["miv"] = [("reflection-period", "RecordReflectionDecision"), ("suspicion", "CloseAsNotTrafficking")],
    };

    private static string Kebab(string action) => Referral.BuildingBlocks.Http.CaseEndpoints.Kebab(action);

    [Fact]
    public async Task Replay_at_every_version_equals_what_the_live_projections_served_property_style()
    {
        var random = new Random(20261122);
        var actors = new (string Name, HttpClient Client)[]
        {
            ("ngo", api.Client(OrgType.NGO, "ngo-prop")),
            ("rko", api.Client(OrgType.RegionalCoordinator, "rko-prop")),
            ("soc", api.Client(OrgType.SocialServices, "soc-prop")),
            ("miv", api.Client(OrgType.MigrationAgency, "miv-prop")),
        };
        var auditor = api.Client(OrgType.Auditor, "aud-prop");
        var checkedVersions = 0;
        var reflectionStates = new HashSet<string>();
        for (var run = 0; run < 5; run++)
        {
            var (id, _, _) = await Cases.RegisterAsync(actors[0].Client, Cases.Sc1Registration(withPerson: false));
            if (run % 2 == 0)
            {
                // Half the runs: the NGO refers the authorities, so every actor takes part (the others try as outsiders).
                await Cases.BringInAsync(actors[0].Client, id, (OrgType.RegionalCoordinator, "rko-prop"), (OrgType.SocialServices, "soc-prop"), (OrgType.MigrationAgency, "miv-prop"));
            }

            var served = new List<(int Actor, long Version, JsonNode Steps)>();
            async Task Capture(int actor)
            {
                var live = await actors[actor].Client.GetAsync($"/api/v1/cases/{id}");
                if (live.StatusCode == HttpStatusCode.OK)
                {
                    var body = await live.JsonAsync();
                    served.Add((actor, live.ETagVersion(), body["steps"]!));
                }
            }

            await Capture(0);
            for (var step = 0; step < 30; step++)
            {
                var actor = random.Next(actors.Length);
                var own = await actors[actor].Client.GetAsync($"/api/v1/cases/{id}");
                var view = own.StatusCode == HttpStatusCode.OK ? await own.JsonAsync() : await (await auditor.GetAsync($"/api/v1/cases/{id}")).JsonAsync();
                var version = view["version"]!.GetValue<long>();

                // Taking part: the actor's own allowed actions. Not yet: what such an organisation would try (it may be refused).
                var choices = own.StatusCode == HttpStatusCode.OK
                    ? view["steps"]!.AsObject().SelectMany(s => s.Value!["allowedActions"]!.AsArray()).Select(a => (Action: a!.Str("action"), Href: a!.Str("href"))).ToList()
                    : Attempts[actors[actor].Name].Select(a => (Action: a.Action, Href: $"/api/v1/cases/{id}/{a.Step}/{Kebab(a.Action)}")).ToList();
                choices = choices.Where(a => BodyFor(a.Action, view) is not null).ToList();
                if (choices.Count == 0)
                {
                    continue;
                }

                var (action, href) = choices[random.Next(choices.Count)];
                var response = await actors[actor].Client.PostJsonAsync(href, BodyFor(action, view)!, version);
                // An organisation that does not take part is answered 404 (need-to-know), one that does 200 or 409.
                Assert.True(own.StatusCode == HttpStatusCode.OK ? response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict : response.StatusCode == HttpStatusCode.NotFound,
                    $"{action} by {actors[actor].Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Assert.True(own.StatusCode != HttpStatusCode.OK, $"{action} was listed as allowed for {actors[actor].Name} but refused.");
                    continue;
                }

                foreach (var observer in Enumerable.Range(0, actors.Length))
                {
                    await Capture(observer);
                }
            }

            foreach (var (actor, version, steps) in served)
            {
                reflectionStates.Add(steps["reflection-period"]!["reflection"]!.Str("status"));
                var replay = await (await actors[actor].Client.GetAsync($"/api/v1/cases/{id}?atVersion={version}")).ExpectAsync(HttpStatusCode.OK);
                Assert.True(JsonNode.DeepEquals(steps, replay["steps"]),
                    $"Replay differs at version {version} for {actors[actor].Name}:\nlive   {steps.ToJsonString()}\nreplay {replay["steps"]!.ToJsonString()}");
                checkedVersions++;
            }
        }

        Assert.True(checkedVersions > 40, $"only {checkedVersions} states were compared");
        Assert.True(reflectionStates.Count >= 3, "the walk reached only these reflection states: " + string.Join(", ", reflectionStates));
    }

    [Theory]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task Tampering_with_a_stored_event_is_detected_at_exactly_that_version(string tampering)
    {
        var soc = api.Client(OrgType.SocialServices, "soc-tamper-" + tampering);
        var auditor = api.Client(OrgType.Auditor, "aud-tamper");
        var (id, version, _) = await Cases.RegisterAsync(soc, Cases.Sc1Registration(withPerson: false));
        foreach (var narrative in new[] { "First assessment.", "Second assessment.", "Third assessment." })
        {
            var r = await soc.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { narrative }, version);
            await r.ExpectAsync(HttpStatusCode.OK);
            version = r.ETagVersion();
        }

        var intact = await (await auditor.GetAsync($"/api/v1/cases/{id}/audit/verification")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(intact["intact"]!.GetValue<bool>());
        Assert.Equal(4, intact["count"]!.GetValue<int>());

        await api.ExecuteAsync(tampering == "update"
            ? $"update {{schema}}.mt_events set data = jsonb_set(data, '{{Narrative}}', '\"Rewritten.\"') where stream_id = '{id}' and version = 3"
            : $"delete from {{schema}}.mt_events where stream_id = '{id}' and version = 3");

        var broken = await (await auditor.GetAsync($"/api/v1/cases/{id}/audit/verification")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(broken["intact"]!.GetValue<bool>());
        Assert.Equal(3, broken["brokenAtVersion"]!.GetValue<long>());
        Assert.Contains(tampering == "update" ? "altered" : "missing", broken.Str("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_verifies_offline_and_an_edited_line_is_found()
    {
        var soc = api.Client(OrgType.SocialServices, "soc-export");
        var (id, version, _) = await Cases.RegisterAsync(soc, Cases.Sc1Registration(withPerson: false));
        await (await soc.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { narrative = "Assessed." }, version)).ExpectAsync(HttpStatusCode.OK);

        var export = await api.Client(OrgType.Auditor, "aud-export").GetAsync($"/api/v1/cases/{id}/audit/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType!.MediaType);
        var file = Path.Combine(Path.GetTempPath(), $"referral-export-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(file, await export.Content.ReadAsStringAsync());
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, OfflineVerifier.Run(["audit", "verify", file], output));
            Assert.StartsWith("intact: 2 events", output.ToString(), StringComparison.Ordinal);

            var lines = await File.ReadAllLinesAsync(file);
            lines[1] = lines[1].Replace("Assessed.", "Edited.", StringComparison.Ordinal);
            await File.WriteAllLinesAsync(file, lines);
            output = new StringWriter();
            Assert.Equal(1, OfflineVerifier.Run(["audit", "verify", file], output));
            Assert.StartsWith("broken at line 2", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Only_auditors_and_the_cases_social_services_verify_and_export()
    {
        var soc = api.Client(OrgType.SocialServices, "soc-perm");
        var ngo = api.Client(OrgType.NGO, "ngo-perm");
        var (id, _, _) = await Cases.RegisterAsync(ngo, Cases.Sc1Registration(withPerson: false));
        await (await ngo.GetAsync($"/api/v1/cases/{id}/audit/verification")).ExpectAsync(HttpStatusCode.Forbidden);
        await (await soc.GetAsync($"/api/v1/cases/{id}/audit/export")).ExpectAsync(HttpStatusCode.NotFound);
        await (await api.Client(OrgType.Auditor, "aud-perm").GetAsync($"/api/v1/cases/{id}/audit/verification")).ExpectAsync(HttpStatusCode.OK);
    }
}
