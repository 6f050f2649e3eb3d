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
        // Four writers, each on its own case (so no write races another), send commands while the server goes down and up.
        var cases = new List<string>();
        for (var c = 0; c < 4; c++)
        {
            cases.Add((await Cases.RegisterAsync(client, Cases.Sc1Registration(withPerson: false))).Id);
        }

        var narratives = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        async Task<HttpResponseMessage> Command(string id, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Cases.Step(id, "record-indicator-assessment"))
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { narrative = narratives[key] }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<(string Case, string Key), HttpStatusCode>();
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        async Task Writer(int c)
        {
            for (var i = 0; i < 15; i++)
            {
                var key = $"fault-{mode}-{c}-{i:D2}-{Guid.NewGuid():N}";
                narratives[key] = $"Assessment {(char)('a' + c)}{(char)('a' + i)} of the outage test.";
                var response = await Command(cases[c], key);
                outcomes[(cases[c], key)] = response.StatusCode;
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    var problem = await response.JsonAsync();
                    if (problem.Str("type") != "urn:referral:problem:outcome-unknown" || response.Headers.RetryAfter is null)
                    {
                        problems.Add(problem.ToJsonString());
                    }
                }
                else if (response.StatusCode != HttpStatusCode.OK)
                {
                    problems.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                await Task.Delay(120);
            }
        }

        async Task Outage()
        {
            await Task.Delay(300);
            _postgres.Stop(mode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
            var read = await client.GetAsync($"/api/v1/cases/{cases[0]}");
            var unavailable = await read.ExpectAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("urn:referral:problem:service-unavailable", unavailable.Str("type"));
            Assert.NotNull(read.Headers.RetryAfter);
            await Task.Delay(1500);
            _postgres.Restart();
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(Writer).Append(Outage()));

        Assert.Empty(problems); // only 200 and 503 outcome-unknown, never a 500
        Assert.Contains(HttpStatusCode.ServiceUnavailable, outcomes.Values);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode); // recovered without a restart of the API

        // Retry every unknown outcome with its key; then each key is recorded exactly once, and every acknowledged one is there.
        // A retry either records it now (200) or says it was recorded when the store failed just after the commit (409).
        foreach (var ((id, key), _) in outcomes.Where(o => o.Value != HttpStatusCode.OK))
        {
            var retry = await Command(id, key);
            if (retry.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal("urn:referral:problem:idempotent-answer-not-kept", (await retry.ExpectAsync(HttpStatusCode.Conflict)).Str("type"));
            }
        }

        await using var db = NpgsqlDataSource.Create(_postgres.ConnectionString);
        foreach (var ((id, key), _) in outcomes)
        {
            await using var count = db.CreateCommand(
                $"select count(*) from {_schema}.mt_events where stream_id = '{id}' and type = 'suspicion.indicators_assessed' and data->>'Narrative' = '{narratives[key]}'");
            Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
        }
    }
}
