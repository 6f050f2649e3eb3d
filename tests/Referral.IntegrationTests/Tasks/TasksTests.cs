using System.Net;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Tasks;

/// <summary>
/// The work queue over real HTTP and PostgreSQL with a fake clock: a task raised by a step's event reaches the
/// organisations it is addressed to — and only those taking part in the case — becomes overdue at the manual's time,
/// and closes when the fulfilling command is recorded.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TasksTests(ApiFixture api)
{
    private static async Task<JsonArray> TasksAsync(HttpClient client, string query = "")
    {
        var body = await (await client.GetAsync("/api/v1/tasks" + query)).ExpectAsync(HttpStatusCode.OK);
        return body["items"]!.AsArray();
    }

    private static JsonNode[] Of(JsonArray tasks, string caseId) => tasks.Where(t => t!.Str("caseId") == caseId).Select(t => t!).ToArray();

    [Fact]
    public async Task An_unassessed_adult_case_reaches_the_reporter_and_the_coordinator_taking_part_and_closes_when_assessed()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock()); // Monday 2 March 2026, noon in Sweden
        var ngo = app.Client(OrgType.NGO, "ngo-tasks-" + Guid.NewGuid().ToString("N")[..8]);
        var rkoId = "rko-tasks-" + Guid.NewGuid().ToString("N")[..8];
        var rko = app.Client(OrgType.RegionalCoordinator, rkoId);
        var otherRko = app.Client(OrgType.RegionalCoordinator, "rko-other-" + Guid.NewGuid().ToString("N")[..8]);
        var (id, _, _) = await Cases.RegisterAsync(ngo);

        var mine = Assert.Single(Of(await TasksAsync(ngo), id));
        Assert.Equal("AssessCase", mine.Str("kind"));
        Assert.Equal("§4.1", mine.Str("rule"));
        Assert.Equal("Open", mine.Str("status"));
        Assert.Equal("NGO", mine.Str("addresseeType"));
        // Two working days after Monday noon: Tuesday and Wednesday → due at the end of Wednesday 4 March (Swedish time).
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.FromHours(1)), DateTimeOffset.Parse(mine.Str("dueAt"), System.Globalization.CultureInfo.InvariantCulture));

        // Addressed to coordinators by type, but a coordinator not taking part learns nothing of the case.
        Assert.Empty(Of(await TasksAsync(rko), id));
        await Cases.ConsentAsync(ngo, id, "ReferralToRegionalCoordinator");
        await Cases.ReferAsync(ngo, id, OrgType.RegionalCoordinator, rkoId);
        var theirs = Assert.Single(Of(await TasksAsync(rko), id));
        Assert.Equal("RegionalCoordinator", theirs.Str("addresseeType"));
        Assert.Null(theirs["addresseeOrgId"]);
        Assert.Empty(Of(await TasksAsync(otherRko), id));

        app.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal("Overdue", Assert.Single(Of(await TasksAsync(rko, $"?caseId={id}"), id)).Str("status"));
        Assert.Single(Of(await TasksAsync(rko, "?status=Overdue"), id));
        Assert.Empty(Of(await TasksAsync(rko, "?status=Open"), id));

        var version = (await (await ngo.GetAsync($"/api/v1/cases/{id}/suspicion")).ExpectAsync(HttpStatusCode.OK))["version"]!.GetValue<long>();
        await (await ngo.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { methodsOfControl = new[] { "Threats" } }, version)).ExpectAsync(HttpStatusCode.OK);

        Assert.Empty(Of(await TasksAsync(ngo), id));
        var done = Assert.Single(Of(await TasksAsync(ngo, "?status=Done"), id));
        Assert.Equal("IndicatorsAssessed", done.Str("closedBy"));
        Assert.Single(Of(await TasksAsync(rko, "?status=Done&kind=AssessCase"), id));
    }

    [Fact]
    public async Task A_drafted_claim_reaches_its_claimant_alone_30_days_before_the_deadline_in_the_queue_and_the_feed_and_a_withdrawal_cancels_it()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock()); // Monday 2 March 2026
        var claimantId = "soc-claimtask-" + Guid.NewGuid().ToString("N")[..8];
        var claimant = app.Client(OrgType.SocialServices, claimantId);
        var other = app.Client(OrgType.SocialServices, "soc-other-" + Guid.NewGuid().ToString("N")[..8]);
        var (_, feedStart) = await FeedTests.ReadToEndAsync(claimant);
        var created = await (await claimant.PostJsonAsync("/api/v1/claims", new { year = 2026, quarter = 1, quarters = 1 })).ExpectAsync(HttpStatusCode.Created);
        var claimId = created.Str("claimId");
        JsonNode[] Claim(JsonArray tasks) => tasks.Where(t => t!["claimId"]?.GetValue<string>() == claimId).Select(t => t!).ToArray();

        // Deadline 30 September 2026: the task is raised ahead and appears at the first warning, 30 days before the day ends.
        Assert.Empty(Claim(await TasksAsync(claimant)));
        app.Clock.Advance(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.FromHours(2)) - app.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        var task = Assert.Single(Claim(await TasksAsync(claimant)));
        Assert.Equal(("SubmitClaim", "§4.7", "Open", claimantId), (task.Str("kind"), task.Str("rule"), task.Str("status"), task.Str("addresseeOrgId")));
        Assert.Null(task["caseId"]);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(2)), DateTimeOffset.Parse(task.Str("dueAt"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(task["remindAt"]!.AsArray()); // the −7 days warning
        Assert.Single(Claim(await TasksAsync(claimant, $"?claimId={claimId}")));
        Assert.Empty(Claim(await TasksAsync(claimant, $"?caseId={claimId}")));
        Assert.Empty(Claim(await TasksAsync(other)));

        var version = (await (await claimant.GetAsync($"/api/v1/claims/{claimId}")).ExpectAsync(HttpStatusCode.OK))["version"]!.GetValue<long>();
        await (await claimant.PostJsonAsync($"/api/v1/claims/{claimId}/withdraw-claim", new { }, version)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(Claim(await TasksAsync(claimant)));
        Assert.Equal("ClaimWithdrawn", Assert.Single(Claim(await TasksAsync(claimant, "?status=Cancelled"))).Str("closedBy"));

        // The feed tells the claimant (ids and kinds only) and nobody else; the claim's own events are not notifications.
        var (feed, _) = await FeedTests.ReadToEndAsync(claimant, feedStart);
        var mine = feed.Where(n => n!["claimId"]?.GetValue<string>() == claimId).Select(n => n!).ToArray();
        Assert.Equal(["TaskRaised", "TaskClosed"], mine.Select(n => n.Str("kind")).ToArray());
        Assert.All(mine, n => Assert.Equal(("SubmitClaim", null), (n.Str("taskKind"), n["caseId"])));
        var (theirs, _) = await FeedTests.ReadToEndAsync(other, feedStart);
        Assert.DoesNotContain(theirs, n => n!["claimId"]?.GetValue<string>() == claimId || n!["caseId"]?.GetValue<string>() == claimId);
    }

    [Fact]
    public async Task The_queue_is_sorted_by_due_time_filtered_and_paged()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        var ngo = app.Client(OrgType.NGO, "ngo-page-" + Guid.NewGuid().ToString("N")[..8]);
        var first = (await Cases.RegisterAsync(ngo)).Id;
        app.Clock.Advance(TimeSpan.FromDays(1));
        var second = (await Cases.RegisterAsync(ngo)).Id;

        var all = await TasksAsync(ngo);
        Assert.Equal([first, second], all.Select(t => t!.Str("caseId")).ToArray());
        var page = await (await ngo.GetAsync("/api/v1/tasks?pageSize=1&page=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(second, Assert.Single(page["items"]!.AsArray())!.Str("caseId"));
        Assert.Equal(2, page["totalItems"]!.GetValue<long>());
        Assert.Equal(2, page["totalPages"]!.GetValue<long>());

        // Due on Wednesday at the end of the day (first) and Thursday (second).
        Assert.Equal([first], (await TasksAsync(ngo, "?dueBefore=2026-03-05T00:00:00%2B01:00")).Select(t => t!.Str("caseId")).ToArray());
        Assert.Equal([second], (await TasksAsync(ngo, "?dueAfter=2026-03-05T00:00:01%2B01:00")).Select(t => t!.Str("caseId")).ToArray());
        Assert.Empty(await TasksAsync(ngo, "?kind=LocateMissingChild"));
    }

    [Theory]
    [InlineData("?pageSize=0")]
    [InlineData("?page=0")]
    [InlineData("?status=Finished")]
    [InlineData("?kind=Nothing")]
    [InlineData("?dueAfter=2026-03-05T00:00:00Z&dueBefore=2026-03-01T00:00:00Z")]
    public async Task Bad_filters_are_a_400_problem(string query)
    {
        var response = await api.Client(OrgType.NGO, "ngo-bad-filter").GetAsync("/api/v1/tasks" + query);
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(problem["title"]);
    }

    [Fact]
    public async Task Without_a_token_the_queue_is_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client(null).GetAsync("/api/v1/tasks")).StatusCode);
    }
}
