using System.Net;
using Npgsql;
using Referral.Host.Infrastructure;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>
/// A database outage on a real PostgreSQL under the test's control (its own cluster): during the outage every answer is
/// a 503 problem with Retry-After — never a 500 — readiness reports it, the service recovers without a restart, every
/// acknowledged command is in the store, and retrying with the same Idempotency-Key after an unknown outcome records
/// each command exactly once.
/// </summary>
public sealed class DatabaseFaultTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "referral-fault-" + Guid.NewGuid().ToString("N"));
    private readonly string _schema = "f_" + Guid.NewGuid().ToString("N");
    private EmbeddedPostgres _postgres = null!;

    public Task InitializeAsync()
    {
        _postgres = EmbeddedPostgres.Start(_root);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _postgres.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("immediate")]
    public async Task An_outage_answers_503_and_no_command_is_lost_or_recorded_twice(string mode)
    {
        await using var host = ApiFixture.Host(_postgres.ConnectionString, _schema);
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u-fault", "pol-fault", "Police"));
        var (id, _, _) = await Cases.RegisterAsync(client, Cases.Sc1Registration(withPerson: false));

        async Task<HttpResponseMessage> Command(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Cases.Step(id, "record-indicator-assessment"))
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { narrative = Narrative(key) }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var keys = Enumerable.Range(0, 12).Select(i => $"fault-{mode}-{i:D2}-{Guid.NewGuid():N}").ToList();
        string Narrative(string key) => "Assessment " + (char)('a' + keys.IndexOf(key)) + " of the outage test.";
        var outcomes = new Dictionary<string, HttpStatusCode>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (i == 4)
            {
                _postgres.Stop(mode);
                var ready = await client.GetAsync("/health/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                var read = await client.GetAsync($"/api/v1/cases/{id}");
                var unavailable = await read.ExpectAsync(HttpStatusCode.ServiceUnavailable);
                Assert.Equal("urn:referral:problem:service-unavailable", unavailable.Str("type"));
                Assert.NotNull(read.Headers.RetryAfter);
            }

            if (i == 8)
            {
                _postgres.Restart();
            }

            var response = await Command(keys[i]);
            outcomes[keys[i]] = response.StatusCode;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                $"{keys[i]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                var problem = await response.JsonAsync();
                Assert.Equal("urn:referral:problem:outcome-unknown", problem.Str("type"));
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Contains(HttpStatusCode.ServiceUnavailable, outcomes.Values);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode); // recovered without a restart of the API

        // Retry every unknown outcome with its key; then each key is recorded exactly once.
        foreach (var key in outcomes.Where(o => o.Value != HttpStatusCode.OK).Select(o => o.Key))
        {
            await (await Command(key)).ExpectAsync(HttpStatusCode.OK);
        }

        await using var db = NpgsqlDataSource.Create(_postgres.ConnectionString);
        foreach (var key in keys)
        {
            await using var count = db.CreateCommand(
                $"select count(*) from {_schema}.mt_events where stream_id = '{id}' and type = 'suspicion.indicators_assessed' and data->>'Narrative' = '{Narrative(key)}'");
            Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
        }
    }
}
