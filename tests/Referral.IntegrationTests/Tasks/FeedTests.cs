using System.Net;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Tasks;

/// <summary>
/// The pull feed (transactional outbox): every event and every task change is a row written in the command's own
/// transaction; a caller reads its own — events of the cases it takes part in, its tasks — in order, from any node.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FeedTests(ApiFixture api)
{
    /// <summary>Reads the feed from <paramref name="after"/> to its end; returns the caller's notifications and the last cursor.</summary>
    internal static async Task<(List<JsonNode> Items, string Next)> ReadToEndAsync(HttpClient client, string? after = null)
    {
        var items = new List<JsonNode>();
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await (await client.GetAsync("/api/v1/feed?limit=500" + (after is null ? "" : "&after=" + after))).ExpectAsync(HttpStatusCode.OK);
            items.AddRange(page["items"]!.AsArray().Select(i => i!));
            var next = page.Str("next");
            if (next == after)
            {
                return (items, next);
            }

            after = next;
        }

        throw new InvalidOperationException("The feed did not end.");
    }

    [Fact]
    public async Task A_caller_reads_the_events_of_its_cases_and_its_tasks_in_order_and_nothing_else()
    {
        var ngoId = "ngo-feed-" + Guid.NewGuid().ToString("N")[..8];
        var ngo = api.Client(OrgType.NGO, ngoId);
        var outsider = api.Client(OrgType.RegionalCoordinator, "rko-feed-" + Guid.NewGuid().ToString("N")[..8]);
        var (_, start) = await ReadToEndAsync(ngo);
        var (_, outsiderStart) = await ReadToEndAsync(outsider);

        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var (items, cursor) = await ReadToEndAsync(ngo, start);
        var mine = items.Where(i => i.Str("caseId") == id).ToList();
        Assert.Equal(["CaseEvent", "TaskRaised"], mine.Select(i => i.Str("kind")).Order().ToArray());
        Assert.Equal("suspicion.suspicion_registered", mine.Single(i => i.Str("kind") == "CaseEvent").Str("eventType"));
        Assert.Equal(1, mine.Single(i => i.Str("kind") == "CaseEvent")["version"]!.GetValue<long>());
        var raised = mine.Single(i => i.Str("kind") == "TaskRaised");
        Assert.Equal("AssessCase", raised.Str("taskKind"));
        // Ids and types only: no field beyond these, so no personal data can travel.
        Assert.All(mine, i => Assert.Subset(new HashSet<string> { "cursor", "kind", "caseId", "version", "eventType", "taskId", "taskKind", "at" }, i.AsObject().Select(p => p.Key).ToHashSet()));

        await (await ngo.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { methodsOfControl = new[] { "Threats" } }, version)).ExpectAsync(HttpStatusCode.OK);
        var (after, _) = await ReadToEndAsync(ngo, cursor);
        var next = after.Where(i => i.Str("caseId") == id).ToList();
        Assert.Contains(next, i => i.Str("kind") == "CaseEvent" && i["version"]!.GetValue<long>() == 2);
        Assert.Equal(raised.Str("taskId"), Assert.Single(next, i => i.Str("kind") == "TaskClosed").Str("taskId"));
        Assert.DoesNotContain(after, i => i.Str("caseId") == id && i.Str("kind") == "TaskRaised");

        // The coordinator addressed by type does not take part: it learns nothing of the case.
        var (seenByOutsider, _) = await ReadToEndAsync(outsider, outsiderStart);
        Assert.DoesNotContain(seenByOutsider, i => i.Str("caseId") == id);
    }

    [Fact]
    public async Task Two_nodes_hand_out_the_same_notifications_for_the_same_cursor()
    {
        await using var other = new ClockedApi(api, ClockedApi.NewClock());
        var ngoId = "ngo-nodes-" + Guid.NewGuid().ToString("N")[..8];
        var nodeA = api.Client(OrgType.NGO, ngoId);
        var nodeB = other.Client(OrgType.NGO, ngoId);
        var (_, start) = await ReadToEndAsync(nodeA);
        await Cases.RegisterAsync(nodeA);
        await Cases.RegisterAsync(nodeB);

        var (fromA, endA) = await ReadToEndAsync(nodeA, start);
        var (fromB, endB) = await ReadToEndAsync(nodeB, start);
        Assert.Equal(4, fromA.Count); // two cases: an event and a task each
        Assert.Equal(fromA.Select(i => i.Str("cursor")), fromB.Select(i => i.Str("cursor")));
        Assert.Equal(endA, endB);
        Assert.Empty((await ReadToEndAsync(nodeB, endA)).Items);
    }

    [Theory]
    [InlineData("?after=yesterday")]
    [InlineData("?after=1-")]
    [InlineData("?limit=0")]
    [InlineData("?limit=501")]
    public async Task A_bad_cursor_or_limit_is_a_400_problem(string query)
    {
        var response = await api.Client(OrgType.NGO, "ngo-feed-bad").GetAsync("/api/v1/feed" + query);
        await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
