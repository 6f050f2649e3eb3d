using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Tasks;

/// <summary>
/// Push over real HTTP: a receiver on 127.0.0.1, the dispatcher reading the outbox, Standard Webhooks signatures checked
/// here independently, retries on failure, two API nodes delivering each notification once, need-to-know per subscriber.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookTests(ApiFixture api)
{
    private static string Org(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<(string Id, string Secret)> SubscribeAsync(HttpClient client, string url)
    {
        var response = await client.PostJsonAsync("/api/v1/webhooks", new { url });
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/webhooks/{created.Str("subscriptionId")}", response.Headers.Location!.OriginalString);
        return (created.Str("subscriptionId"), created.Str("secret"));
    }

    /// <summary>Standard Webhooks, computed here from the specification rather than with the API's code.</summary>
    private static bool SignatureValid(WebhookReceiver.Received r, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{r.Id}.{r.Timestamp}.{r.Body}")));
        return r.Signature.Split(' ').Contains(expected);
    }

    private static IEnumerable<JsonNode> About(WebhookReceiver receiver, string caseId) =>
        receiver.Requests.Select(r => JsonNode.Parse(r.Body)!).Where(b => b["data"]!.Str("caseId") == caseId);

    [Fact]
    public async Task A_notification_is_delivered_signed_retried_when_the_receiver_fails_and_never_about_other_cases()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var outsiderReceiver = await WebhookReceiver.StartAsync();
        var ngo = app.Client(OrgType.NGO, Org("ngo-hook"));
        var outsider = app.Client(OrgType.RegionalCoordinator, Org("rko-hook"));
        var (subscription, secret) = await SubscribeAsync(ngo, receiver.Url);
        var (outsiderSubscription, _) = await SubscribeAsync(outsider, outsiderReceiver.Url);
        try
        {
            receiver.FailNext = 2;
            var (id, _, _) = await Cases.RegisterAsync(ngo);

            // The receiver is down: nothing acknowledged, the attempt counted, the next one backed off.
            await app.RunWebhooksAsync();
            var failing = await (await ngo.GetAsync($"/api/v1/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(1, failing["failedAttempts"]!.GetValue<int>());
            Assert.Equal("HTTP 503", failing.Str("lastError"));
            await app.RunWebhooksAsync(); // not yet due: no attempt
            Assert.Single(receiver.Requests);

            app.Clock.Advance(TimeSpan.FromSeconds(6));
            await app.RunWebhooksAsync(); // second failure
            app.Clock.Advance(TimeSpan.FromSeconds(11));
            Assert.Equal(2, await app.RunWebhooksAsync()); // delivered: the event and the task

            // The receiver saw the same message again after each failure (same webhook-id, so it can deduplicate).
            var delivered = About(receiver, id).DistinctBy(b => b["data"]!.Str("cursor")).ToList();
            Assert.Equal(["case.event", "task.raised"], delivered.Select(b => b.Str("type")).ToArray());
            Assert.Equal(3, receiver.Requests.Count(r => r.Id == "msg_" + delivered[0]["data"]!.Str("cursor")));
            Assert.All(receiver.Requests, r => Assert.True(SignatureValid(r, secret), "The signature does not verify."));
            Assert.Equal(delivered[0]["data"]!.Str("cursor"), receiver.Requests.Last(r => r.Body.Contains("case.event", StringComparison.Ordinal)).Id["msg_".Length..]);
            Assert.DoesNotContain(receiver.Requests, r => r.Body.Contains(Cases.SyntheticFamilyName, StringComparison.Ordinal));
            var healthy = await (await ngo.GetAsync($"/api/v1/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(0, healthy["failedAttempts"]!.GetValue<int>());

            // Acknowledged notifications are not delivered again; the coordinator not on the case heard nothing of it.
            var count = receiver.Requests.Count;
            await app.RunWebhooksAsync();
            Assert.Equal(count, receiver.Requests.Count);
            Assert.Empty(About(outsiderReceiver, id));
        }
        finally
        {
            await ngo.PostJsonAsync($"/api/v1/webhooks/{subscription}/cancel", new { });
            await outsider.PostJsonAsync($"/api/v1/webhooks/{outsiderSubscription}/cancel", new { });
        }
    }

    [Fact]
    public async Task Two_nodes_deliver_every_notification_once()
    {
        var clock = ClockedApi.NewClock();
        await using var nodeA = new ClockedApi(api, clock);
        await using var nodeB = new ClockedApi(api, clock);
        await using var receiver = await WebhookReceiver.StartAsync();
        var orgId = Org("ngo-two");
        var ngo = nodeA.Client(OrgType.NGO, orgId);
        var (subscription, _) = await SubscribeAsync(ngo, receiver.Url);
        try
        {
            var cases = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                cases.Add((await Cases.RegisterAsync(i % 2 == 0 ? ngo : nodeB.Client(OrgType.NGO, orgId))).Id);
            }

            for (var round = 0; round < 3; round++)
            {
                await Task.WhenAll(nodeA.RunWebhooksAsync(), nodeB.RunWebhooksAsync());
            }

            var ids = receiver.Requests.Select(r => r.Id).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.All(cases, c => Assert.Equal(2, About(receiver, c).Count()));
        }
        finally
        {
            await ngo.PostJsonAsync($"/api/v1/webhooks/{subscription}/cancel", new { });
        }
    }

    [Fact]
    public async Task After_the_last_attempt_a_notification_waits_in_the_dead_letters_until_redelivery_is_asked()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        await using var receiver = await WebhookReceiver.StartAsync();
        var ngo = app.Client(OrgType.NGO, Org("ngo-dead"));
        var (subscription, _) = await SubscribeAsync(ngo, receiver.Url);
        try
        {
            receiver.FailNext = 1000;
            var (id, _, _) = await Cases.RegisterAsync(ngo);
            for (var attempt = 0; attempt < 12; attempt++)
            {
                await app.RunWebhooksAsync();
                app.Clock.Advance(TimeSpan.FromMinutes(10));
            }

            var dead = await (await ngo.GetAsync($"/api/v1/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(2, dead["deadLetters"]!.GetValue<int>());
            Assert.Equal(12, receiver.Requests.Count); // six attempts for each of the two notifications

            receiver.FailNext = 0;
            await (await ngo.PostJsonAsync($"/api/v1/webhooks/{subscription}/redeliver", new { })).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(2, await app.RunWebhooksAsync());
            Assert.Equal(0, (await (await ngo.GetAsync($"/api/v1/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.OK))["deadLetters"]!.GetValue<int>());
            Assert.Equal(14, About(receiver, id).Count());
        }
        finally
        {
            await ngo.PostJsonAsync($"/api/v1/webhooks/{subscription}/cancel", new { });
        }
    }

    [Fact]
    public async Task A_cancelled_subscription_gets_nothing_and_another_organisations_subscription_is_404()
    {
        await using var app = new ClockedApi(api, ClockedApi.NewClock());
        await using var receiver = await WebhookReceiver.StartAsync();
        var ngo = app.Client(OrgType.NGO, Org("ngo-cancel"));
        var (subscription, _) = await SubscribeAsync(ngo, receiver.Url);
        var cancelled = await (await ngo.PostJsonAsync($"/api/v1/webhooks/{subscription}/cancel", new { })).ExpectAsync(HttpStatusCode.OK);
        Assert.False(cancelled["active"]!.GetValue<bool>());
        await Cases.RegisterAsync(ngo);
        await app.RunWebhooksAsync();
        Assert.Empty(receiver.Requests);

        var other = app.Client(OrgType.NGO, Org("ngo-other"));
        await (await other.GetAsync($"/api/v1/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/api/v1/webhooks/{subscription}/cancel", new { })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await (await other.GetAsync("/api/v1/webhooks")).ExpectAsync(HttpStatusCode.OK)).AsArray(), s => s!.Str("subscriptionId") == subscription);
    }

    [Theory]
    [InlineData("ftp://example.org/hook")]
    [InlineData("https://user:secret@example.org/hook")]
    [InlineData("not a url")]
    public async Task A_receiver_that_is_not_http_or_carries_credentials_is_a_400(string url)
    {
        var response = await api.Client(OrgType.NGO, "ngo-bad-hook").PostJsonAsync("/api/v1/webhooks", new { url });
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Url", problem.ToJsonString(), StringComparison.Ordinal);
    }
}
