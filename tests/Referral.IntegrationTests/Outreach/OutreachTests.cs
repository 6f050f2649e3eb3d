using System.Net;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Outreach;

/// <summary>
/// Joint outreach operations over real HTTP and PostgreSQL: a published year of one city's operations reproduced through
/// the commands and read back as figures; children first (no closing with a child unaccounted for); a case registered
/// from an operation linked both ways, by participants only.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OutreachTests(ApiFixture api)
{
    private const string Operations = "/api/v1/operations";

    private static string Op(string id, string action = "") => $"{Operations}/{id}{(action.Length > 0 ? "/" + action : "")}";

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

    private static async Task<(string Id, long Version)> RecordAsync(HttpClient client, string policeId, string socialId, DateTimeOffset at, string area = "Norrmalm")
    {
        var response = await client.PostJsonAsync(Operations, new
        {
            occurredAt = at, municipalityCode = "0180", area, placeKinds = new[] { "Street", "Hotel" }, trigger = "Outreach",
            participants = new[] { new { orgId = policeId, orgType = "Police" }, new { orgId = socialId, orgType = "SocialServices" } },
            policeOperationName = "Vinternatt",
        });
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        return (body.Str("operationId"), response.ETagVersion());
    }

    private static async Task<long> PostAsync(HttpClient client, string operationId, string action, object body, long version)
    {
        var response = await client.PostJsonAsync(Op(operationId, action), body, version);
        await response.ExpectAsync(HttpStatusCode.OK);
        return response.ETagVersion();
    }

    private static object Met(string age, string gender, int count, int informed, int referred, int accepted = 0, int declined = 0) =>
        new { ageCategory = age, gender, count, informedOfSupport = informed, referredToSocialServices = referred, acceptedSupport = accepted, declined };

    private static object ChildRegistration(string operationId) => new
    {
        channel = "InPerson", municipalityCode = "0180", ageCategory = "Child", gender = "Female", citizenshipCategory = "NordicOrEuEea",
        residenceBasis = "EuFreeMovementRight", exploitationPurposes = new[] { "SexualExploitation" }, operationId,
    };

    [Fact]
    public async Task A_published_year_of_joint_operations_is_reproduced_through_the_API_and_its_figures_returned_to_the_participants()
    {
        var suffix = Suffix();
        var (policeId, socialId) = ("pol-out-" + suffix, "soc-out-" + suffix);
        var police = api.Client(OrgType.Police, policeId);
        var social = api.Client(OrgType.SocialServices, socialId);

        // 117 operations over the year (Stockholm, two areas). 240 adults met, all informed; 10 children met, all linked on
        // to social services — 7 with a case registered from the operation, 3 already known to social services; 3 buyers
        // under 18 reported (and referred), and 5 adult buyers.
        for (var i = 0; i < 117; i++)
        {
            var at = new DateTimeOffset(2026, 1, 2, 21, 0, 0, TimeSpan.FromHours(1)).AddDays(i * 2);
            var recorder = i % 2 == 0 ? police : social;
            // Areas of this run's own (the figures of every operation, as published, are read by area below).
            var (id, version) = await RecordAsync(recorder, policeId, socialId, at, i % 3 == 0 ? $"Norrmalm {suffix}" : $"Södermalm {suffix}");
            var adults = i < 3 ? 0 : i < 15 ? 3 : 2; // 12 × 3 + 102 × 2 = 240
            if (adults > 0)
            {
                version = await PostAsync(recorder, id, "record-persons-met", Met("Adult", i % 5 == 0 ? "Male" : "Female", adults, adults, 0, 1, 0), version);
            }

            if (i < 10)
            {
                version = await PostAsync(recorder, id, "record-persons-met", Met("Child", "Female", 1, 1, 1, 1, 0), version);
                if (i < 7)
                {
                    var (caseId, _, registered) = await Cases.RegisterAsync(police, ChildRegistration(id));
                    Assert.Equal(id, registered.Str("operationId"));
                    Assert.False(string.IsNullOrEmpty(caseId));
                }
                else
                {
                    version = await PostAsync(recorder, id, "record-children-without-case", new { count = 1, reason = "AlreadyKnownToSocialServices" }, version);
                }
            }

            if (i is 20 or 40 or 60)
            {
                version = await PostAsync(recorder, id, "record-buyers-reported", new { adults = 1, underEighteen = 1 }, version);
            }
            else if (i is 80 or 100)
            {
                version = await PostAsync(recorder, id, "record-buyers-reported", new { adults = 1, underEighteen = 0 }, version);
            }

            await PostAsync(recorder, id, "close-operation", new { summary = "Outreach shift; support offered to everyone met." }, version);
        }

        foreach (var participant in new[] { police, social })
        {
            var figures = await (await participant.GetAsync($"{Operations}/figures?year=2026")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(117, figures["operations"]!.GetValue<int>());
            Assert.Equal(240, figures["adultsMet"]!.GetValue<int>());
            Assert.Equal(240, figures["adultsInformedOfSupport"]!.GetValue<int>());
            Assert.Equal(10, figures["childrenMet"]!.GetValue<int>());
            Assert.Equal(10, figures["childrenLinkedToSupport"]!.GetValue<int>());
            Assert.Equal(7, figures["childCasesOpened"]!.GetValue<int>());
            Assert.Equal(3, figures["childrenWithoutCase"]!.GetValue<int>());
            Assert.Equal(7, figures["casesOpened"]!.GetValue<int>());
            Assert.Equal(3, figures["buyersUnderEighteen"]!.GetValue<int>());
            Assert.Equal(3, figures["buyersUnderEighteenReferred"]!.GetValue<int>());
            Assert.Equal(5, figures["buyersReported"]!.GetValue<int>());
            Assert.Equal(250, figures["personsMet"]!.AsArray().Sum(p => p!["count"]!.GetValue<int>()));
        }

        // Per area; and the operations of a year the participants took no part in are nobody's figures.
        var norrmalm = await (await police.GetAsync($"{Operations}/figures?year=2026&municipalityCode=0180&area=Norrmalm%20{suffix}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(39, norrmalm["operations"]!.GetValue<int>());
        // As published (every operation, the statistics rules): Norrmalm's 39 operations met 80 adults, all informed, and 4
        // children (0, 3, 6, 9), 3 of them with a case; one adult buyer and one under 18 — every count below 10 hidden.
        var published = await (await api.Client(OrgType.Auditor, "audit-out").GetAsync($"{Operations}/figures/published?year=2026&municipalityCode=0180&area=Norrmalm%20{suffix}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("39", "80", "80"), (published.Str("operations"), published.Str("adultsMet"), published.Str("adultsInformedOfSupport")));
        Assert.Equal(("<10", "<10", "<10", "<10", "<10"), (published.Str("childrenMet"), published.Str("childrenLinkedToSupport"), published.Str("casesOpened"),
            published.Str("buyersReported"), published.Str("buyersUnderEighteen")));
        var lagged = await (await api.Client(OrgType.GenderEqualityAgency, "jamy-out").GetAsync($"{Operations}/figures/published?year=2026")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("publication lag", lagged.ToJsonString(), StringComparison.Ordinal);
        await (await police.GetAsync($"{Operations}/figures/published?year=2026")).ExpectAsync(HttpStatusCode.Forbidden);

        var outsider = api.Client(OrgType.Police, "pol-elsewhere-" + suffix);
        Assert.Equal(0, (await (await outsider.GetAsync($"{Operations}/figures?year=2026")).ExpectAsync(HttpStatusCode.OK))["operations"]!.GetValue<int>());
        var list = await (await social.GetAsync($"{Operations}?year=2026&pageSize=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(117, list["totalItems"]!.GetValue<long>());
        Assert.All(list["items"]!.AsArray(), o => Assert.Equal("Closed", o!.Str("status")));
    }

    [Fact]
    public async Task An_operation_with_an_unaccounted_child_cannot_close_and_nothing_is_appended()
    {
        var suffix = Suffix();
        var (policeId, socialId) = ("pol-kid-" + suffix, "soc-kid-" + suffix);
        var police = api.Client(OrgType.Police, policeId);
        var (id, version) = await RecordAsync(police, policeId, socialId, DateTimeOffset.UtcNow.AddHours(-3));
        version = await PostAsync(police, id, "record-persons-met", Met("Child", "Male", 2, 2, 2), version);

        var events = await api.EventCountAsync();
        var refused = await (await police.PostJsonAsync(Op(id, "close-operation"), new { summary = "Done." }, version)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("every child met has a case", string.Join(" | ", refused["unmetGuards"].Strings()), StringComparison.Ordinal);
        Assert.DoesNotContain("CloseOperation", refused["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(events, await api.EventCountAsync());
        var view = await (await police.GetAsync(Op(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, view["childrenToAccountFor"]!.GetValue<int>());

        // One child gets a case from the operation (a concern report becomes the authorities' task), one a reason; then it closes.
        var (caseId, _, _) = await Cases.RegisterAsync(police, ChildRegistration(id));
        var tasks = await (await police.GetAsync($"/api/v1/tasks?caseId={caseId}&kind=ReportConcern")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(tasks["items"]!.AsArray());
        Assert.Equal(1, (await (await police.GetAsync(Op(id))).ExpectAsync(HttpStatusCode.OK))["childrenToAccountFor"]!.GetValue<int>());
        var tooMany = await (await police.PostJsonAsync(Op(id, "record-children-without-case"), new { count = 2, reason = "LeftBeforeContact" }, version)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Single(tooMany["unmetGuards"].Strings());
        version = await PostAsync(police, id, "record-children-without-case", new { count = 1, reason = "LeftBeforeContact" }, version);
        var closed = await (await police.PostJsonAsync(Op(id, "close-operation"), new { summary = "Done." }, version)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("Closed", 0, 1), (closed.Str("status"), closed["childrenToAccountFor"]!.GetValue<int>(), closed["childCasesOpened"]!.GetValue<int>()));
        Assert.Equal([caseId], closed["linkedCaseIds"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray());
        Assert.Equal(["ReopenOperation"], closed["allowedActions"]!.AsArray().Select(a => a!.Str("action")).ToArray());
    }

    [Fact]
    public async Task Only_participants_register_cases_from_an_operation_or_read_it_and_others_learn_nothing()
    {
        var suffix = Suffix();
        var (policeId, socialId) = ("pol-ntk-" + suffix, "soc-ntk-" + suffix);
        var police = api.Client(OrgType.Police, policeId);
        var social = api.Client(OrgType.SocialServices, socialId);
        var (id, version) = await RecordAsync(police, policeId, socialId, DateTimeOffset.UtcNow.AddHours(-2));

        // An outsider — even one that registers suspicions — cannot name the operation: 404 as for an unknown one, nothing appended.
        var outsider = api.Client(OrgType.Police, "pol-out-" + suffix);
        var events = await api.EventCountAsync();
        var unknown = await (await outsider.PostJsonAsync("/api/v1/cases", ChildRegistration(Guid.CreateVersion7().ToString()))).ExpectAsync(HttpStatusCode.NotFound);
        var hidden = await (await outsider.PostJsonAsync("/api/v1/cases", ChildRegistration(id))).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(unknown.Str("detail"), hidden.Str("detail"));
        Assert.Equal(events, await api.EventCountAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(Op(id))).StatusCode);
        await (await outsider.PostJsonAsync(Op(id, "record-persons-met"), Met("Adult", "Female", 1, 1, 0), version)).ExpectAsync(HttpStatusCode.NotFound);
        // An NGO may read once it takes part, never record.
        var ngo = api.Client(OrgType.NGO, "ngo-ntk-" + suffix);
        Assert.Equal(HttpStatusCode.NotFound, (await ngo.GetAsync(Op(id))).StatusCode);
        version = await PostAsync(social, id, "add-operation-participant", new { organisation = new { orgId = "ngo-ntk-" + suffix, orgType = "NGO" } }, version);
        var read = await (await ngo.GetAsync(Op(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(read["allowedActions"]!.AsArray());
        await (await ngo.PostJsonAsync(Op(id, "record-persons-met"), Met("Adult", "Female", 1, 1, 0), version)).ExpectAsync(HttpStatusCode.Forbidden);

        // The participant's case shows the operation; the operation lists the case only to those taking part in it.
        var (caseId, _, body) = await Cases.RegisterAsync(police, ChildRegistration(id));
        Assert.Equal(id, body.Str("operationId"));
        Assert.Equal([caseId], (await (await police.GetAsync(Op(id))).ExpectAsync(HttpStatusCode.OK))["linkedCaseIds"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray());
        var forNgo = await (await ngo.GetAsync(Op(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, forNgo["casesOpened"]!.GetValue<int>());
        Assert.Empty(forNgo["linkedCaseIds"]!.AsArray());
        // Auditors read every operation, and act on none.
        var auditor = api.Client(OrgType.Auditor, "audit-" + suffix);
        await (await auditor.GetAsync(Op(id))).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"occurredAt":"2026-03-01T21:00:00+01:00","municipalityCode":"0180","area":"Norrmalm","placeKinds":["Street"],"trigger":"Tip","participants":[{"orgId":"pol-x","orgType":"Police"}]}""", "participants")]
    [InlineData("""{"occurredAt":"2099-03-01T21:00:00+01:00","municipalityCode":"0180","area":"Norrmalm","placeKinds":["Street"],"trigger":"Tip","participants":[{"orgId":"soc-x","orgType":"SocialServices"}]}""", "occurredAt")]
    [InlineData("""{"occurredAt":"2026-03-01T21:00:00+01:00","municipalityCode":"0180","area":"070-123 45 67","placeKinds":["Street"],"trigger":"Tip","participants":[{"orgId":"soc-x","orgType":"SocialServices"}]}""", "area")]
    [InlineData("""{"occurredAt":"2026-03-01T21:00:00+01:00","municipalityCode":"0180","area":"Norrmalm","placeKinds":[],"trigger":"Tip","participants":[{"orgId":"soc-x","orgType":"SocialServices"}]}""", "placeKinds")]
    public async Task A_bad_operation_is_a_400_problem_naming_the_field_and_records_nothing(string json, string field)
    {
        var police = api.Client(OrgType.Police, "pol-bad-" + Suffix());
        var events = await api.EventCountAsync();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var problem = await (await police.PostAsync(Operations, content)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Theory]
    [InlineData("""{"ageCategory":"Adult","gender":"Female","count":2,"informedOfSupport":3}""", "informedOfSupport")]
    [InlineData("""{"ageCategory":"Adult","gender":"Female","count":2,"acceptedSupport":2,"declined":1}""", "acceptedSupport")]
    [InlineData("""{"ageCategory":"Adult","gender":"Female","count":0}""", "count")]
    public async Task Counts_that_do_not_add_up_are_a_400_problem(string json, string field)
    {
        var suffix = Suffix();
        var police = api.Client(OrgType.Police, "pol-cnt-" + suffix);
        var (id, version) = await RecordAsync(police, "pol-cnt-" + suffix, "soc-cnt-" + suffix, DateTimeOffset.UtcNow.AddHours(-1));
        using var request = new HttpRequestMessage(HttpMethod.Post, Op(id, "record-persons-met")) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        var problem = await (await police.SendAsync(request)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }
}
