using System.Net;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.VoluntaryReturn;

/// <summary>The voluntary return through HTTP (MANUAL.md §8 SC2 steps 5–7, SC4 steps 4–5, SC3 step 9).</summary>
[Collection(ApiCollection.Name)]
public sealed class VoluntaryReturnScenarioTests(ApiFixture api)
{
    private static string Ret(string caseId, string action) => $"/api/v1/cases/{caseId}/voluntary-return/{action}";

    private static readonly object EuCitizen = new
    {
        channel = "InPerson", municipalityCode = "0180", ageCategory = "Adult", gender = "Male", nationality = "RO",
        citizenshipCategory = "NordicOrEuEea", residenceBasis = "NoRightOfResidence", exploitationPurposes = new[] { "ForcedBegging" },
    };

    private static async Task<string> PresumedVictimAsync(HttpClient declarer, object registration)
    {
        var (id, version, _) = await Cases.RegisterAsync(declarer, registration);
        var assess = await declarer.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { narrative = "Assessed." }, version);
        await (await declarer.PostJsonAsync(Cases.Step(id, "declare-presumed-victim"), new { assessment = "Overall assessment." }, assess.ETagVersion())).ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    /// <summary>Information, interest, application and joint approval; returns the case's return view.</summary>
    private async Task ApprovedAsync(string id, HttpClient coordinator, HttpClient iom, string destination = "RO")
    {
        await (await coordinator.PostJsonAsync(Ret(id, "record-return-information-given"), new { language = "ro" })).ExpectAsync(HttpStatusCode.OK);
        await (await coordinator.PostJsonAsync(Ret(id, "record-return-interest"), new { ownWish = true, alternativesExplained = true })).ExpectAsync(HttpStatusCode.OK);
        await (await coordinator.PostJsonAsync(Ret(id, "submit-return-application"),
            new { category = "IdentifiedVictim", destinationCountry = destination, destinationType = "CountryOfOrigin" })).ExpectAsync(HttpStatusCode.OK);
        var one = await (await coordinator.PostJsonAsync(Ret(id, "record-eligibility-decision"), new { approved = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("ApplicationSubmitted", one.Str("status"));
        var both = await (await iom.PostJsonAsync(Ret(id, "record-eligibility-decision"), new { approved = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Approved", both.Str("status"));
        await (await iom.PostJsonAsync(Ret(id, "record-pre-departure-assessment"), new { riskLevel = "Low", needsAssessed = true, fitToTravel = true })).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>SC4: a presumed victim who is injured party in an open investigation, with a voluntary return approved by both deciders.</summary>
    private async Task<(string Id, string Investigation)> WitnessReturnApprovedAsync(HttpClient police, HttpClient coordinator, HttpClient iom, string coordinatorId, string iomId)
    {
        var id = await PresumedVictimAsync(police, new
        {
            channel = "Inspection", municipalityCode = "1480", ageCategory = "Adult", gender = "Male", nationality = "UA",
            citizenshipCategory = "ThirdCountry", residenceBasis = "NoRightOfResidence", exploitationPurposes = new[] { "ForcedLabour" }, labourSector = "Construction",
        });
        var (investigation, _) = await Investigations.OpenAsync(police, id);
        await Cases.ConsentAsync(police, id, "ReferralToRegionalCoordinator", "ShareWithIom");
        await Cases.BringInAsync(police, id, (OrgType.RegionalCoordinator, coordinatorId), (OrgType.IOM, iomId));
        await ApprovedAsync(id, coordinator, iom, "UA");
        return (id, investigation);
    }

    private static object Travel => new { departureDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7)), escortRequired = false, travelDocumentsReady = true };

    [Fact]
    public async Task SC2_steps_5_to_7_return_during_the_reflection_period_ends_it_early_and_reintegration_completes()
    {
        var social = api.Client(OrgType.SocialServices, "soc-sc2r");
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-sc2r");
        var iom = api.Client(OrgType.IOM, "iom-sc2r");
        var id = await PresumedVictimAsync(social, EuCitizen);
        await Cases.ConsentAsync(social, id, "ReferralToRegionalCoordinator", "ShareWithIom", "ShareWithMigrationAgency");
        await Cases.BringInAsync(social, id, (OrgType.RegionalCoordinator, "rko-sc2r"), (OrgType.IOM, "iom-sc2r"), (OrgType.MigrationAgency, "miv-sc2r"));

        // A reflection period is running (welfare-board route).
        var assess = await (await social.PostJsonAsync($"/api/v1/cases/{id}/reflection-period/assess-reflection-eligibility", new { personWishesReflection = true })).ExpectAsync(HttpStatusCode.OK);
        var submitted = await (await social.PostJsonAsync($"/api/v1/cases/{id}/reflection-period/submit-reflection-application", new { })).ExpectAsync(HttpStatusCode.OK);
        await (await api.Client(OrgType.MigrationAgency, "miv-sc2r").PostJsonAsync($"/api/v1/cases/{id}/reflection-period/record-reflection-decision", new
        {
            applicationId = submitted["reflection"]!.Str("applicationId"), outcome = "Granted", decisionRef = "D-sc2", validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validTo = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(29)),
        })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Eligible", assess["reflection"]!.Str("status"));

        // 5–6. Information, interest, application, joint approval, assessment; travel needs no acknowledgement (no investigation).
        await ApprovedAsync(id, coordinator, iom);
        await (await iom.PostJsonAsync(Ret(id, "arrange-travel"), Travel)).ExpectAsync(HttpStatusCode.OK);
        await (await iom.PostJsonAsync(Ret(id, "record-departure"), new { })).ExpectAsync(HttpStatusCode.OK);

        var permits = await (await social.GetAsync($"/api/v1/cases/{id}/reflection-period")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("EndedEarly", permits["reflection"]!.Str("status"));
        Assert.Equal("VoluntaryReturnDeparted", permits["reflection"]!.Str("endReason"));
        // R7: the end is an event of its own in the case history, right after the departure, in the same transaction.
        var types = await api.ScalarAsync<string>(
            $"select string_agg(type, ',' order by version) from {{schema}}.mt_events where stream_id = '{id}' and version > (select max(version) - 2 from {{schema}}.mt_events where stream_id = '{id}')");
        Assert.Equal("voluntary_return.departed,reflection_period.ended_early", types);
        // … and folded by the projections in that transaction: the step's state has seen the stream's last event.
        Assert.Equal(await api.ScalarAsync<long>($"select max(version) from {{schema}}.mt_events where stream_id = '{id}'"), permits["version"]!.GetValue<long>());

        // Withdrawal is no longer possible after departure.
        await (await coordinator.PostJsonAsync(Ret(id, "withdraw-from-return"), new { })).ExpectAsync(HttpStatusCode.Conflict);

        // 7. Arrival, reintegration, monthly contacts; completion before six months only if the person opts out.
        await (await iom.PostJsonAsync(Ret(id, "record-arrival"), new { })).ExpectAsync(HttpStatusCode.OK);
        await (await iom.PostJsonAsync(Ret(id, "start-reintegration"), new { components = new[] { "Housing", "IncomeGeneration" } })).ExpectAsync(HttpStatusCode.OK);
        await (await iom.PostJsonAsync(Ret(id, "record-reintegration-contact"), new { channel = "Phone", outcome = "Settling in." })).ExpectAsync(HttpStatusCode.OK);
        var early = await (await iom.PostJsonAsync(Ret(id, "complete-reintegration"), new { optedOut = false })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("six months", early["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        var done = await (await iom.PostJsonAsync(Ret(id, "complete-reintegration"), new { optedOut = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Completed", done.Str("status"));
    }

    [Fact]
    public async Task SC4_steps_4_5_travel_is_refused_until_the_investigation_leader_acknowledges_then_allowed()
    {
        var police = api.Client(OrgType.Police, "pol-sc4r");
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-sc4r");
        var iom = api.Client(OrgType.IOM, "iom-sc4r");
        var (id, investigation) = await WitnessReturnApprovedAsync(police, coordinator, iom, "rko-sc4r", "iom-sc4r");

        var events = await api.EventCountAsync();
        var refused = await (await iom.PostJsonAsync(Ret(id, "arrange-travel"), Travel)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("investigation leader has acknowledged", refused["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());

        await (await police.PostJsonAsync(Ret(id, "record-investigation-leader-acknowledgement"),
            new { investigationId = investigation, testimonySecured = true, remoteTestimonyPossible = true })).ExpectAsync(HttpStatusCode.OK);
        await (await iom.PostJsonAsync(Ret(id, "arrange-travel"), Travel)).ExpectAsync(HttpStatusCode.OK);
        await (await iom.PostJsonAsync(Ret(id, "record-departure"), new { })).ExpectAsync(HttpStatusCode.OK);

        // The investigation continues after the departure: the participation remains, the investigation open.
        var step = await Investigations.StepAsync(police, id);
        Assert.Equal("Opened", step["participations"]![0]!["participation"]!.Str("investigationStatus"));
    }

    [Fact]
    public async Task R8_the_leader_is_tasked_at_once_and_without_an_acknowledgement_IOM_proceeds_after_the_wait()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var police = app.Client(OrgType.Police, "pol-r8w");
        var coordinator = app.Client(OrgType.RegionalCoordinator, "rko-r8w");
        var iom = app.Client(OrgType.IOM, "iom-r8w");
        var (id, investigation) = await WitnessReturnApprovedAsync(police, coordinator, iom, "rko-r8w", "iom-r8w");

        // The investigation leader has the task at once.
        var tasks = (await (await police.GetAsync($"/api/v1/tasks?caseId={id}&kind=AcknowledgeReturn")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        var task = Assert.Single(tasks)!;
        Assert.Equal("R8", task.Str("rule"));
        Assert.Equal(investigation, task.Str("investigationId"));

        // IOM may not go around the leader before the wait has passed: the refusal says why.
        var notify = new { investigationId = investigation };
        var early = await (await iom.PostJsonAsync(Ret(id, "record-investigation-leader-notified"), notify)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("configured wait", early["unmetGuards"].Strings().Single(), StringComparison.Ordinal);

        app.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal("Overdue", Assert.Single((await (await police.GetAsync($"/api/v1/tasks?caseId={id}")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray())!.Str("status"));
        var notified = await (await iom.PostJsonAsync(Ret(id, "record-investigation-leader-notified"), notify)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(notified["awaitingAcknowledgement"].Strings());
        var cancelled = (await (await police.GetAsync($"/api/v1/tasks?caseId={id}&status=Cancelled")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal("InvestigationLeaderNotified", Assert.Single(cancelled)!.Str("closedBy"));

        var departure = app.Today.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await (await iom.PostJsonAsync(Ret(id, "arrange-travel"), new { departureDate = departure, escortRequired = false, travelDocumentsReady = true })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SC3_step_9_a_negative_best_interests_determination_blocks_a_childs_travel()
    {
        var social = api.Client(OrgType.SocialServices, "soc-sc3r");
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-sc3r");
        var iom = api.Client(OrgType.IOM, "iom-sc3r");
        var id = await PresumedVictimAsync(social, new
        {
            channel = "InPerson", municipalityCode = "0180", ageCategory = "AgeDisputedTreatedAsChild", gender = "Male", nationality = "MA",
            citizenshipCategory = "ThirdCountry", residenceBasis = "NoRightOfResidence", exploitationPurposes = new[] { "ForcedCriminality" },
        });
        await Cases.BringInAsync(social, id, (OrgType.RegionalCoordinator, "rko-sc3r"), (OrgType.IOM, "iom-sc3r")); // a child: no consent needed
        await ApprovedAsync(id, coordinator, iom, "MA");

        await (await social.PostJsonAsync(Ret(id, "record-best-interests-determination"),
            new { sweden = "Negative", countryOfReturn = "Positive", receivingAuthority = "ma-child-protection" })).ExpectAsync(HttpStatusCode.OK);
        var blocked = await (await iom.PostJsonAsync(Ret(id, "arrange-travel"), Travel)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("best-interests", blocked["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        var view = await (await social.GetAsync($"/api/v1/cases/{id}/voluntary-return")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(view["socialServicesResponsible"]!.GetValue<bool>());
        Assert.DoesNotContain("ArrangeTravel", view["allowedActions"]!.AsArray().Select(a => a!.Str("action")));
    }

    [Fact]
    public async Task Withdrawal_before_departure_needs_no_reason_and_an_approval_by_one_decider_does_not_count()
    {
        var social = api.Client(OrgType.SocialServices, "soc-wd");
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-wd");
        var id = await PresumedVictimAsync(social, EuCitizen);
        await Cases.ConsentAsync(social, id, "ReferralToRegionalCoordinator", "ShareWithIom");
        await Cases.BringInAsync(social, id, (OrgType.RegionalCoordinator, "rko-wd"), (OrgType.IOM, "iom-wd"));
        await (await coordinator.PostJsonAsync(Ret(id, "record-return-information-given"), new { language = "ro" })).ExpectAsync(HttpStatusCode.OK);
        await (await coordinator.PostJsonAsync(Ret(id, "record-return-interest"), new { ownWish = true, alternativesExplained = true })).ExpectAsync(HttpStatusCode.OK);
        await (await coordinator.PostJsonAsync(Ret(id, "submit-return-application"),
            new { category = "SuspectedVictim", destinationCountry = "RO", destinationType = "CountryOfOrigin" })).ExpectAsync(HttpStatusCode.OK);
        var one = await (await coordinator.PostJsonAsync(Ret(id, "record-eligibility-decision"), new { approved = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("ApplicationSubmitted", one.Str("status"));
        Assert.True(one["coordinatorApproved"]!.GetValue<bool>());
        Assert.False(one["iomApproved"]!.GetValue<bool>());
        await (await api.Client(OrgType.IOM, "iom-wd").PostJsonAsync(Ret(id, "record-pre-departure-assessment"), new { riskLevel = "Low", needsAssessed = true, fitToTravel = true }))
            .ExpectAsync(HttpStatusCode.Conflict);

        var withdrawn = await (await social.PostJsonAsync(Ret(id, "withdraw-from-return"), new { })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Withdrawn", withdrawn.Str("status"));
    }

    [Fact]
    public async Task Bad_input_and_the_wrong_organisation_are_refused()
    {
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-bad");
        var social = api.Client(OrgType.SocialServices, "soc-bad-r");
        var id = await PresumedVictimAsync(social, EuCitizen);
        await Cases.ConsentAsync(social, id, "ReferralToRegionalCoordinator", "ShareWithIom", "ShareWithPolice");
        await Cases.BringInAsync(social, id, (OrgType.RegionalCoordinator, "rko-bad"), (OrgType.IOM, "iom-bad"), (OrgType.Police, "pol-bad-r"));
        await (await coordinator.PostJsonAsync(Ret(id, "record-return-information-given"), new { language = "ro" })).ExpectAsync(HttpStatusCode.OK);
        await (await coordinator.PostJsonAsync(Ret(id, "record-return-interest"), new { ownWish = true, alternativesExplained = true })).ExpectAsync(HttpStatusCode.OK);
        var events = await api.EventCountAsync();
        var problem = await (await coordinator.PostJsonAsync(Ret(id, "submit-return-application"),
            new { category = "IdentifiedVictim", destinationCountry = "Romania", destinationType = "CountryOfOrigin" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("destinationCountry"));
        await (await coordinator.PostJsonAsync(Ret(id, "submit-return-application"),
            new { category = "IdentifiedVictim", destinationCountry = "NG", destinationType = "CountryOfOrigin" })).ExpectAsync(HttpStatusCode.Conflict);
        await (await api.Client(OrgType.IOM, "iom-bad").PostJsonAsync(Ret(id, "record-departure"), new { })).ExpectAsync(HttpStatusCode.Conflict);
        await (await api.Client(OrgType.Police, "pol-bad-r").PostJsonAsync(Ret(id, "record-return-interest"), new { ownWish = true, alternativesExplained = true }))
            .ExpectAsync(HttpStatusCode.Forbidden);
        await (await api.Client(OrgType.IOM, "iom-bad").PostJsonAsync(Ret(id, "arrange-travel"),
            new { departureDate = "2020-01-01", escortRequired = false, travelDocumentsReady = true })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task Social_services_prepare_the_return_application_and_only_the_regional_coordinator_submits_it()
    {
        var social = api.Client(OrgType.SocialServices, "soc-prep");
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-prep");
        var id = await PresumedVictimAsync(social, EuCitizen);
        await Cases.ConsentAsync(social, id, "ReferralToRegionalCoordinator", "ShareWithIom");
        await Cases.BringInAsync(social, id, (OrgType.RegionalCoordinator, "rko-prep"), (OrgType.IOM, "iom-prep"));
        await (await social.PostJsonAsync(Ret(id, "record-return-information-given"), new { language = "ro" })).ExpectAsync(HttpStatusCode.OK);
        await (await social.PostJsonAsync(Ret(id, "record-return-interest"), new { ownWish = true, alternativesExplained = true })).ExpectAsync(HttpStatusCode.OK);
        var application = new { category = "SuspectedVictim", destinationCountry = "RO", destinationType = "CountryOfOrigin" };

        // Social services do not submit (403); they prepare, and the coordinator sees what was prepared.
        await (await social.PostJsonAsync(Ret(id, "submit-return-application"), application)).ExpectAsync(HttpStatusCode.Forbidden);
        var prepared = await (await social.PostJsonAsync(Ret(id, "prepare-return-application"), application)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("InterestExpressed", prepared.Str("status"));
        var seen = await (await coordinator.GetAsync($"/api/v1/cases/{id}/voluntary-return")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("SocialServices", seen["preparedApplication"]!.Str("preparedBy"));
        Assert.Equal("RO", seen["preparedApplication"]!.Str("destinationCountry"));
        Assert.Contains("SubmitReturnApplication", seen["allowedActions"]!.AsArray().Select(a => a!.Str("action")));

        var submitted = await (await coordinator.PostJsonAsync(Ret(id, "submit-return-application"), application)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("ApplicationSubmitted", submitted.Str("status"));
        Assert.Null(submitted["preparedApplication"]);
    }
}
