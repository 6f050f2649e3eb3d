using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Referral.Benchmarks;

/// <summary>A webhook receiver on 127.0.0.1 that acknowledges and counts, and the subscriptions the benchmark makes to it.</summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _received;

    private WebhookSink(WebApplication app) => _app = app;

    public long Received => Interlocked.Read(ref _received);

    public string Url { get; private set; } = "";

    public static async Task<WebhookSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.MapPost("/hook", () =>
        {
            Interlocked.Increment(ref sink._received);
            return Results.NoContent();
        });
        await app.StartAsync();
        sink.Url = app.Urls.Single() + "/hook";
        return sink;
    }

    /// <summary><paramref name="count"/> subscriptions, spread over the flow's organisations so each receives its notifications.</summary>
    public static async Task<IReadOnlyList<(HttpClient Client, string Id)>> SubscribeAsync(ApiProcess api, string url, int count)
    {
        var list = new List<(HttpClient, string)>();
        for (var i = 0; i < count; i++)
        {
            var (_, type, id) = CaseFlow.Organisations[i % CaseFlow.Organisations.Length];
            var client = api.Client(type, id);
            var response = await client.PostAsJsonAsync("/api/v1/webhooks", new { url });
            response.EnsureSuccessStatusCode();
            list.Add((client, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["subscriptionId"]!.GetValue<string>()));
        }

        return list;
    }

    public static async Task CancelAsync(ApiProcess api, IReadOnlyList<(HttpClient Client, string Id)> subscriptions)
    {
        foreach (var (client, id) in subscriptions)
        {
            (await client.PostAsJsonAsync($"/api/v1/webhooks/{id}/cancel", new { })).EnsureSuccessStatusCode();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
