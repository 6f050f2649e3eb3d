using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Contracts;
using Referral.Modules.Prosecution.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Prosecution;

/// <summary>The criminal track through HTTP (MANUAL.md §8 SC1 steps 6–7 and 12–13, SC3 step 5, SC5 variant, SC7).</summary>
[Collection(ApiCollection.Name)]
public sealed class ProsecutionScenarioTests(ApiFixture api)
{
    private static string Pro(string caseId, string action) => $"/api/v1/cases/{caseId}/prosecution/{action}";

    private static async Task<string> PresumedVictimAsync(HttpClient police, object? registration = null)
    {
        var (id, version, _) = await Cases.RegisterAsync(police, registration ?? Cases.Sc1Registration(withPerson: false));
        var assess = await police.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { methodsOfControl = new[] { "Threats" } }, version);
        await (await police.PostJsonAsync(Cases.Step(id, "declare-presumed-victim"), new { assessment = "Overall assessment." }, assess.ETagVersion()))
            .ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    [Fact]
    public async Task SC1_steps_6_7_and_12_13_investigation_counsel_before_interview_trial_appeal_and_final_judgment()
    {
        var police = api.Client(OrgType.Police, "pol-sc1p");
        var prosecutor = api.Client(OrgType.Prosecution, "akl-sc1p");
        var court = api.Client(OrgType.Court, "tingsratt-1");
        var caseId = await PresumedVictimAsync(police);

        // 6. Police report, investigation opened with a prosecutor as leader, the victim linked as injured party.
        var report = await police.PostJsonAsync("/api/v1/investigations", new { reportRef = "5000-K100001-26", suspectedOffences = new[] { "BrB_4_1a_Trafficking" } });
        var investigation = (await report.ExpectAsync(HttpStatusCode.Created)).Str("investigationId");
        // The prosecutor takes part in the investigation only once the police refer it (need-to-know of investigations).
        await (await prosecutor.PostJsonAsync(Investigations.Of(investigation, "open-preliminary-investigation"), new { }, report.ETagVersion())).ExpectAsync(HttpStatusCode.NotFound);
        var referred = await Investigations.ReferAsync(police, investigation, OrgType.Prosecution, "akl-sc1p", report.ETagVersion());
        var opened = await prosecutor.PostJsonAsync(Investigations.Of(investigation, "open-preliminary-investigation"), new { }, referred);
        Assert.Equal("Prosecutor", (await opened.ExpectAsync(HttpStatusCode.OK)).Str("leaderRole"));
        // The police take part in the case, so they link it; the investigation's organisations then take part in the case.
        var linked = await police.PostJsonAsync(Investigations.Of(investigation, "link-case-to-investigation"), new { caseId, role = "InjuredParty" }, opened.ETagVersion());
        await linked.ExpectAsync(HttpStatusCode.OK);
        // The court, to appoint counsel, is referred to the investigation and so reaches the case.
        await Investigations.ReferAsync(prosecutor, investigation, OrgType.Court, "tingsratt-1", linked.ETagVersion());
        var step = await Investigations.StepAsync(police, caseId);
        Assert.Equal("Linked", step["participations"]![0]!["participation"]!.Str("status"));

        // 7. Counsel is requested and appointed before the interview.
        await (await prosecutor.PostJsonAsync(Pro(caseId, "request-counsel"), new { investigationId = investigation })).ExpectAsync(HttpStatusCode.OK);
        await (await court.PostJsonAsync(Pro(caseId, "record-counsel-appointment"), new { investigationId = investigation, courtOrgId = "tingsratt-1" })).ExpectAsync(HttpStatusCode.OK);
        var interviewed = await (await police.PostJsonAsync(Pro(caseId, "record-victim-interview"),
            new { investigationId = investigation, interpreterPresent = true, counselPresent = true })).ExpectAsync(HttpStatusCode.OK);
        var participation = interviewed["participations"]![0]!["participation"]!;
        Assert.Equal("CounselAppointed", participation.Str("status"));
        Assert.True(participation["interviewed"]!.GetValue<bool>());

        // 12. Indictment, trial, conviction, appeal, appeal judgment …
        var version = (await prosecutor.GetAsync(Investigations.Of(investigation))).ETagVersion();
        foreach (var (action, body) in new (string, object)[]
        {
            ("start-investigative-measures", new { }),
            ("indict", new { defendants = new[] { new { defendantRef = "D-1", offences = new[] { "BrB_4_1a_Trafficking" } } } }),
            ("schedule-trial", new { courtOrgId = "tingsratt-1", hearingDate = "2027-02-01" }),
            ("record-judgment", new { courtOrgId = "tingsratt-1", outcomes = new[] { new { defendantRef = "D-1", verdict = "Convicted", offence = "BrB_4_1a_Trafficking", sentenceMonths = 48 } }, damagesAwarded = true, judgmentDate = "2027-02-20" }),
            ("record-appeal", new { appealedBy = "Defence" }),
            ("record-judgment", new { courtOrgId = "hovratt-1", outcomes = new[] { new { defendantRef = "D-1", verdict = "Convicted", offence = "BrB_4_1a_Trafficking", sentenceMonths = 42 } }, damagesAwarded = true, judgmentDate = "2027-06-01" }),
        })
        {
            var r = await prosecutor.PostJsonAsync(Investigations.Of(investigation, action), body, version);
            await r.ExpectAsync(HttpStatusCode.OK);
            version = r.ETagVersion();
        }

        // 13. The judgment becomes final: a "cooperation permit still needed?" task for the investigation leader.
        var final = await (await court.PostJsonAsync(Investigations.Of(investigation, "record-judgment-final"), new { finalOn = "2027-06-22" }, version))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Final", final.Str("status"));
        Assert.False(final["isOpen"]!.GetValue<bool>());

        var after = await Investigations.StepAsync(police, caseId);
        Assert.Equal("Final", after["participations"]![0]!["participation"]!.Str("investigationStatus"));
        var task = after["tasks"]!.AsArray().Single(t => t!.Str("kind") == "CooperationPermitStillNeeded")!;
        Assert.Equal(["Police", "Prosecution"], task["forOrgTypes"].Strings());

        var history = await (await police.GetAsync($"/api/v1/cases/{caseId}/events?pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(7, history["items"]!.AsArray().Count(e => e!.Str("type") == "prosecution.investigation_outcome_recorded"));
    }

    [Theory]
    [InlineData(OrgType.SocialServices)]
    [InlineData(OrgType.MigrationAgency)]
    [InlineData(OrgType.NGO)]
    public async Task A_reporting_party_files_the_police_report_and_the_police_that_received_it_open_the_investigation(OrgType reporterType)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var reporter = api.Client(reporterType, "rep-" + suffix);
        var police = api.Client(OrgType.Police, "pol-rec-" + suffix);
        var otherPolice = api.Client(OrgType.Police, "pol-other-" + suffix);

        // Without naming the receiving police: 400, nothing started.
        await (await reporter.PostJsonAsync("/api/v1/investigations", new { reportRef = "5000-K200001-26", suspectedOffences = new[] { "BrB_4_1a_Trafficking" } }))
            .ExpectAsync(HttpStatusCode.BadRequest);

        var report = await reporter.PostJsonAsync("/api/v1/investigations",
            new { reportRef = "5000-K200002-26", suspectedOffences = new[] { "BrB_4_1a_Trafficking" }, receivingPoliceOrgId = "pol-rec-" + suffix });
        var investigation = (await report.ExpectAsync(HttpStatusCode.Created)).Str("investigationId");

        // The police that received it take part and open the investigation; the reporting party's type never reads
        // investigations (403), and other police do not take part (404).
        var opened = await police.PostJsonAsync(Investigations.Of(investigation, "open-preliminary-investigation"), new { }, report.ETagVersion());
        Assert.Equal("Police", (await opened.ExpectAsync(HttpStatusCode.OK)).Str("leaderRole"));
        await (await reporter.GetAsync(Investigations.Of(investigation))).ExpectAsync(HttpStatusCode.Forbidden);
        await (await otherPolice.GetAsync(Investigations.Of(investigation))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Police_file_their_own_reports_without_naming_a_receiver()
    {
        var police = api.Client(OrgType.Police, "pol-own-" + Guid.NewGuid().ToString("N")[..8]);
        await (await police.PostJsonAsync("/api/v1/investigations",
            new { reportRef = "5000-K200003-26", suspectedOffences = new[] { "BrB_4_1a_Trafficking" }, receivingPoliceOrgId = "pol-elsewhere" }))
            .ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SC5_variant_closure_never_closes_identification_and_raises_a_review_task_for_social_services_R9()
    {
        var police = api.Client(OrgType.Police, "pol-r9");
        var social = api.Client(OrgType.SocialServices, "soc-r9");
        var caseId = await PresumedVictimAsync(police);
        await Cases.ReferAsync(police, caseId, OrgType.SocialServices, "soc-r9");
        var (investigation, version) = await Investigations.OpenAsync(police, caseId);

        await (await police.PostJsonAsync(Investigations.Of(investigation, "close-investigation"), new { ground = "InsufficientEvidence" }, version))
            .ExpectAsync(HttpStatusCode.OK);

        var suspicion = await (await police.GetAsync($"/api/v1/cases/{caseId}/suspicion")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("PresumedVictim", suspicion.Str("status"));
        var step = await Investigations.StepAsync(police, caseId);
        var task = step["tasks"]!.AsArray().Single(t => t!.Str("kind") == "OutcomeReview")!;
        Assert.Equal(["SocialServices", "RegionalCoordinator"], task["forOrgTypes"].Strings());

        // Counsel is not requested after a decision not to prosecute.
        var counsel = await (await police.PostJsonAsync(Pro(caseId, "request-counsel"), new { investigationId = investigation })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("no decision not to prosecute", counsel["unmetGuards"].Strings().Single(), StringComparison.Ordinal);

        // The police may not complete a task addressed to social services; social services may.
        var refused = await (await police.PostJsonAsync(Pro(caseId, "complete-prosecution-task"), new { taskId = task.Str("taskId") })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("addressed to the caller's organisation type", refused["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        // Social services, referred by the police, may.
        var done = await (await social.PostJsonAsync(Pro(caseId, "complete-prosecution-task"), new { taskId = task.Str("taskId"), note = "Support continues." }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.True(done["tasks"]!.AsArray().Single(t => t!.Str("taskId") == task.Str("taskId"))!["completed"]!.GetValue<bool>());
        await (await social.PostJsonAsync(Pro(caseId, "complete-prosecution-task"), new { taskId = task.Str("taskId") })).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task SC3_step_5_a_child_linked_as_also_suspect_raises_the_non_punishment_flag_and_may_get_a_special_representative()
    {
        var police = api.Client(OrgType.Police, "pol-sc3");
        var prosecutor = api.Client(OrgType.Prosecution, "akl-sc3");
        var caseId = await PresumedVictimAsync(api.Client(OrgType.SocialServices, "soc-sc3"), new
        {
            channel = "InPerson", municipalityCode = "0180", ageCategory = "AgeDisputedTreatedAsChild", gender = "Male", nationality = "MA",
            citizenshipCategory = "ThirdCountry", residenceBasis = "NoRightOfResidence", exploitationPurposes = new[] { "ForcedCriminality" },
            indicators = new[] { "InvolvedInCrimeOrNetworks", "ControlledByFrequentCaller" },
        });
        var (theft, opened) = await Investigations.OpenAsync(police);
        var version = await Investigations.ReferAsync(police, theft, OrgType.Prosecution, "akl-sc3", opened);
        // The police do not take part in the child's case: they link it under OSL 10:21 (crime against a child), logged.
        await (await police.PostJsonAsync(Investigations.Of(theft, "link-case-to-investigation"), new { caseId, role = "AlsoSuspect" }, version))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await Investigations.LinkUnderBasisAsync(police, theft, caseId, "AlsoSuspect", "CrimeAgainstChild_OSL_10_21", version)).ExpectAsync(HttpStatusCode.OK);
        var log = await (await api.Client(OrgType.Auditor, "aud-sc3").GetAsync($"/api/v1/cases/{caseId}/audit/access-log")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(log.AsArray(), e => e!.Str("what") == "link-case-to-investigation" && e!.Str("orgId") == "pol-sc3" && e!.Str("legalBasis") == "CrimeAgainstChild_OSL_10_21");

        var step = await Investigations.StepAsync(police, caseId);
        var flag = step["tasks"]!.AsArray().Single()!;
        Assert.Equal("NonPunishmentAssessment", flag.Str("kind"));
        Assert.Equal(["Prosecution"], flag["forOrgTypes"].Strings());

        // Counsel is for the injured party only.
        await (await police.PostJsonAsync(Pro(caseId, "request-counsel"), new { investigationId = theft })).ExpectAsync(HttpStatusCode.Conflict);

        // A custodian suspected: the court appoints a special representative for the child (recorded by the prosecutor).
        var representative = await (await prosecutor.PostJsonAsync(Pro(caseId, "record-special-representative-appointment"),
            new { investigationId = theft, courtOrgId = "tingsratt-2", custodianSuspected = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.True(representative["participations"]![0]!["participation"]!["specialRepresentativeAppointed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SC7_closing_an_investigation_with_40_victims_reaches_all_40_cases_in_one_transaction_or_none()
    {
        var police = api.Client(OrgType.Police, "pol-sc7");
        var inspector = api.Client(OrgType.WorkEnvironmentAuthority, "amv-sc7");
        var cases = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var (id, _, _) = await Cases.RegisterAsync(inspector, new
            {
                channel = "Inspection", municipalityCode = "2480", ageCategory = "Adult", gender = i % 3 == 0 ? "Female" : "Male", nationality = "TH",
                citizenshipCategory = "ThirdCountry", residenceBasis = "TemporaryPermitOther", exploitationPurposes = new[] { "ForcedLabour" },
                labourSector = "GreenIndustry", operationRef = "op-berries-2026",
            });
            await Cases.ReferAsync(inspector, id, OrgType.Police, "pol-sc7");
            cases.Add(id);
        }

        var (investigation, version) = await Investigations.OpenAsync(police, [.. cases]);
        var linkedView = await (await police.GetAsync(Investigations.Of(investigation))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(40, linkedView["linkedCases"]!.AsArray().Count);

        async Task<long[]> Versions() => await Task.WhenAll(cases.Append(investigation).Select(id =>
            api.ScalarAsync<long>($"select version from {{schema}}.mt_streams where id = '{id}'")));
        var before = await Versions();

        // A forced failure while writing one of the 41 streams: nothing is appended anywhere.
        var victim = cases[17];
        await api.ExecuteAsync($$"""
            create or replace function {schema}.fail_one_stream() returns trigger language plpgsql as $$
            begin if new.stream_id = '{{victim}}' then raise exception 'forced failure for the test'; end if; return new; end $$;
            create trigger fail_one_stream before insert on {schema}.mt_events for each row execute function {schema}.fail_one_stream();
            """);
        try
        {
            var failed = await police.PostJsonAsync(Investigations.Of(investigation, "close-investigation"), new { ground = "InsufficientEvidence" }, version);
            Assert.False(failed.IsSuccessStatusCode);
            Assert.Equal(before, await Versions());
        }
        finally
        {
            await api.ExecuteAsync("drop trigger fail_one_stream on {schema}.mt_events; drop function {schema}.fail_one_stream();");
        }

        // Without the failure, one command appends the outcome (and the R9 review task) to all 40 cases and the investigation.
        await (await police.PostJsonAsync(Investigations.Of(investigation, "close-investigation"), new { ground = "InsufficientEvidence" }, version))
            .ExpectAsync(HttpStatusCode.OK);
        var after = await Versions();
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(before[i] + 2, after[i]));
        Assert.Equal(before[40] + 1, after[40]);
        var outcomes = await api.ScalarAsync<long>(
            $"select count(*) from {{schema}}.mt_events where type = 'prosecution.investigation_outcome_recorded' and data->>'InvestigationId' = '{investigation}' and data->>'InvestigationStatus' = 'ClosedNoProsecution'");
        Assert.Equal(40, outcomes);
    }

    [Fact]
    public async Task Bad_input_and_refusals_record_nothing()
    {
        var police = api.Client(OrgType.Police, "pol-pro-bad");
        var prosecutor = api.Client(OrgType.Prosecution, "akl-pro-bad");
        var events = await api.EventCountAsync();
        await (await api.Client(OrgType.HealthCare, "hsv-pro").PostJsonAsync("/api/v1/investigations", new { reportRef = "5000-K1-26" })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await police.PostRawAsync("/api/v1/investigations", """{"reportRef":"5000-K2-26","suspectedOffences":["Jaywalking"]}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(events, await api.EventCountAsync());

        var (investigation, opened) = await Investigations.OpenAsync(police);
        var version = await Investigations.ReferAsync(police, investigation, OrgType.Prosecution, "akl-pro-bad", opened);
        var indicted = await prosecutor.PostJsonAsync(Investigations.Of(investigation, "indict"),
            new { defendants = new[] { new { defendantRef = "D-1", offences = new[] { "BrB_4_1b_Exploitation" } }, new { defendantRef = "D-2", offences = new[] { "Procuring" } } } }, version);
        await indicted.ExpectAsync(HttpStatusCode.OK);
        var trial = await prosecutor.PostJsonAsync(Investigations.Of(investigation, "schedule-trial"), new { courtOrgId = "tingsratt-3", hearingDate = "2027-03-01" }, indicted.ETagVersion());
        await trial.ExpectAsync(HttpStatusCode.OK);
        events = await api.EventCountAsync();

        // A judgment without defendants is invalid (400); one that leaves out an indicted defendant is refused (409).
        var empty = await (await prosecutor.PostJsonAsync(Investigations.Of(investigation, "record-judgment"),
            new { courtOrgId = "tingsratt-3", outcomes = Array.Empty<object>(), judgmentDate = "2027-03-10" }, trial.ETagVersion())).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(empty["errors"]!.AsObject().ContainsKey("outcomes"));
        var partial = await (await prosecutor.PostJsonAsync(Investigations.Of(investigation, "record-judgment"),
            new { courtOrgId = "tingsratt-3", outcomes = new[] { new { defendantRef = "D-1", verdict = "Acquitted" } }, judgmentDate = "2027-03-10" }, trial.ETagVersion()))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("every indicted defendant", partial["unmetGuards"].Strings().Single(), StringComparison.Ordinal);

        // The police may not indict; closing after indictment is not offered.
        await (await police.PostJsonAsync(Investigations.Of(investigation, "indict"), new { defendants = new[] { new { defendantRef = "D-3", offences = new[] { "Other" } } } }))
            .ExpectAsync(HttpStatusCode.Forbidden);
        var close = await (await police.PostJsonAsync(Investigations.Of(investigation, "close-investigation"), new { ground = "Other" })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("TrialScheduled", close.Str("currentState"));
        Assert.Equal(events, await api.EventCountAsync());

        // Linking the same case twice is refused.
        var caseId = await PresumedVictimAsync(police);
        var link = await police.PostJsonAsync(Investigations.Of(investigation, "link-case-to-investigation"), new { caseId, role = "Witness" });
        await link.ExpectAsync(HttpStatusCode.OK);
        var twice = await (await police.PostJsonAsync(Investigations.Of(investigation, "link-case-to-investigation"), new { caseId, role = "InjuredParty" }))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("not already linked", twice["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        await (await police.PostJsonAsync(Investigations.Of(investigation, "link-case-to-investigation"), new { caseId = Guid.NewGuid(), role = "Witness" }))
            .ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Other_modules_can_ask_whether_an_investigation_is_open_and_how_a_case_is_linked()
    {
        var police = api.Client(OrgType.Police, "pol-lookup");
        var caseId = await PresumedVictimAsync(police);
        var (investigation, version) = await Investigations.OpenAsync(police, caseId);
        using var scope = api.Factory.Services.CreateScope();
        var lookup = scope.ServiceProvider.GetRequiredService<IInvestigationLookup>();

        var found = await lookup.FindAsync(Guid.Parse(investigation), CancellationToken.None);
        Assert.True(found!.IsOpen);
        var link = Assert.Single(await lookup.OpenLinksOfCaseAsync(Guid.Parse(caseId), CancellationToken.None));
        Assert.Equal(ParticipationRole.InjuredParty, link.Role);
        Assert.Null(await lookup.FindAsync(Guid.NewGuid(), CancellationToken.None));

        await (await police.PostJsonAsync(Investigations.Of(investigation, "close-investigation"), new { ground = "NoCrime" }, version)).ExpectAsync(HttpStatusCode.OK);
        Assert.False((await lookup.FindAsync(Guid.Parse(investigation), CancellationToken.None))!.IsOpen);
        Assert.Empty(await lookup.OpenLinksOfCaseAsync(Guid.Parse(caseId), CancellationToken.None));
    }

    [Fact]
    public async Task An_investigation_with_no_event_for_90_days_is_listed_as_stale()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var police = app.Client(OrgType.Police, "pol-stale");
        var (investigation, _) = await Investigations.OpenAsync(police);
        Assert.DoesNotContain(investigation, (await (await police.GetAsync("/api/v1/investigations?stale=true")).ExpectAsync(HttpStatusCode.OK)).AsArray().Select(i => i!.Str("investigationId")));
        app.Clock.Advance(TimeSpan.FromDays(91));
        var stale = await (await police.GetAsync("/api/v1/investigations?stale=true")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(stale.AsArray().Single(i => i!.Str("investigationId") == investigation)!["stale"]!.GetValue<bool>());
        await (await app.Client(OrgType.SocialServices, "soc-stale").GetAsync("/api/v1/investigations")).ExpectAsync(HttpStatusCode.Forbidden);
    }
}
