using System.Diagnostics;
using System.Net.Http.Json;
using JasperFx;
using Marten;

namespace Referral.Benchmarks;

/// <summary>A synthetic event of the checkpoint phase (ids only): streams that only the chain and the checkpoint log see.</summary>
public sealed record SyntheticEvent(int N);

/// <summary>The stream type of the synthetic streams (the store requires one).</summary>
public sealed class SyntheticStream;

/// <summary>
/// Issue 24: the cost of one signed checkpoint over a store of many events — the store grown to the target with synthetic
/// streams of 100 events (appended through Marten, so the chain trigger links every one), then a checkpoint of every
/// stream head (the first), and one after 1 % of the streams moved (the usual hourly case).
/// </summary>
public static class CheckpointCost
{
    public const int EventsPerStream = 100;

    public static async Task<(long Events, int Streams, double FirstSeconds, double NextSeconds, long Leaves, double RawSeconds)> MeasureAsync(
        string connectionString, string schema, ApiProcess api, Npgsql.NpgsqlDataSource db, long targetEvents, Func<Task<long>> countEvents)
    {
        // The API's own store options (event metadata, append mode), on the schema as the API made it: append only.
        var options = Referral.Host.Infrastructure.EventStore.Options(connectionString, schema, TimeProvider.System);
        options.AutoCreateSchemaObjects = AutoCreate.None;
        options.Events.AddEventType<SyntheticEvent>();
        using var store = new DocumentStore(options);

        var missing = Math.Max(0, targetEvents - await countEvents());
        var streams = new List<Guid>();
        for (var added = 0L; added < missing;)
        {
            await using var session = store.LightweightSession();
            for (var i = 0; i < 100 && added < missing; i++, added += EventsPerStream)
            {
                var id = Guid.CreateVersion7();
                streams.Add(id);
                session.Events.StartStream<SyntheticStream>(id, Enumerable.Range(1, EventsPerStream).Select(n => (object)new SyntheticEvent(n)).ToArray());
            }

            await session.SaveChangesAsync();
        }

        var auditor = api.Client("Auditor", "bench-auditor");
        var watch = Stopwatch.StartNew();
        var first = await (await auditor.PostAsJsonAsync("/api/v1/audit/checkpoints", new { })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Checkpoint>();
        var firstSeconds = watch.Elapsed.TotalSeconds;

        await using (var session = store.LightweightSession())
        {
            foreach (var id in streams.Take(Math.Max(1, streams.Count / 100)))
            {
                session.Events.Append(id, new SyntheticEvent(EventsPerStream + 1));
            }

            await session.SaveChangesAsync();
        }

        watch.Restart();
        var next = await (await auditor.PostAsJsonAsync("/api/v1/audit/checkpoints", new { })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Checkpoint>();
        var nextSeconds = watch.Elapsed.TotalSeconds;
        if (first is null || next is null || next.Number <= first.Number)
        {
            throw new InvalidOperationException("The checkpoint phase made no new checkpoint.");
        }

        // The raw baseline: the database reading every stream's head, as the first checkpoint must.
        watch.Restart();
        await using (var heads = db.CreateCommand($"select s.id, s.version, c.link from {schema}.mt_streams s join {schema}.audit_chain c on c.stream_id = s.id and c.version = s.version"))
        await using (var reader = await heads.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(2);
            }
        }

        return (await countEvents(), streams.Count, firstSeconds, nextSeconds, next.TreeSize, watch.Elapsed.TotalSeconds);
    }

    private sealed record Checkpoint(long Number, long TreeSize);
}
