using System.Diagnostics;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.Host.Infrastructure;
using Referral.Modules.ChildSafeguarding;
using Referral.Modules.Prosecution;
using Referral.Modules.ReflectionPeriod;
using Referral.Modules.Reimbursement;
using Referral.Modules.Support;
using Referral.Modules.Suspicion;
using Referral.Modules.VoluntaryReturn;

namespace Referral.Benchmarks;

/// <summary>
/// History replay, like for like: through Marten (the API's store and options) and raw (Npgsql rows, the same serializer),
/// both deserialising every event; for one case both also fold every step's state (as an auditor's replay does).
/// </summary>
public sealed class History
{
    private readonly DocumentStore _store;
    private readonly NpgsqlDataSource _db;
    private readonly string _schema;
    private readonly Dictionary<string, Type> _types;
    private readonly ISerializer _serializer;

    /// <summary>The API's store as the API registers it (its options and every module's documents and projections).</summary>
    public static ServiceProvider StoreServices(string connectionString, string schema)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMarten(_ => EventStore.Options(connectionString, schema, TimeProvider.System));
        var configuration = new ConfigurationBuilder().Build();
        foreach (var module in Referral.Host.Modules.All)
        {
            module.AddServices(services, configuration);
        }

        return services.BuildServiceProvider();
    }

    public History(string connectionString, string schema, NpgsqlDataSource db)
    {
        _store = (DocumentStore)StoreServices(connectionString, schema).GetRequiredService<IDocumentStore>();
        _types = ((Marten.Events.IReadOnlyEventStoreOptions)_store.Options.Events).AllKnownEventTypes().ToDictionary(t => t.EventTypeName, t => t.EventType);
        _serializer = _store.Options.Serializer();
        (_db, _schema) = (db, schema);
    }

    /// <summary>Every step's state of one case from its events through Marten; events/s.</summary>
    public async Task<double> MartenCaseAsync(Guid caseId)
    {
        await using var session = _store.QuerySession();
        var watch = Stopwatch.StartNew();
        var events = await session.Events.FetchStreamAsync(caseId);
        var folded = new Steps();
        foreach (var e in events)
        {
            folded.Apply(e.Data, e.Info());
        }

        return folded.Check(events.Count) / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The same, from raw rows: read, deserialise with the store's serializer, fold; events/s.</summary>
    public async Task<double> RawCaseAsync(Guid caseId)
    {
        var watch = Stopwatch.StartNew();
        await using var command = _db.CreateCommand($"select type, version, timestamp, headers::text, data from {_schema}.mt_events where stream_id = $1 order by version");
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        await using var reader = await command.ExecuteReaderAsync();
        var folded = new Steps();
        var count = 0;
        while (await reader.ReadAsync())
        {
            var data = _serializer.FromJson(_types[reader.GetString(0)], reader, 4);
            var (orgId, orgType) = Headers(reader.IsDBNull(3) ? null : reader.GetString(3));
            folded.Apply(data, new EventInfo(reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), orgId, orgType));
            count++;
        }

        return folded.Check(count) / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Every event of the store through Marten, in pages of 10 000; events/s.</summary>
    public async Task<double> MartenAllAsync()
    {
        await using var session = _store.QuerySession();
        var watch = Stopwatch.StartNew();
        long seen = 0, after = 0;
        while (true)
        {
            var from = after;
            var page = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > from).OrderBy(e => e.Sequence).Take(10_000).ToListAsync();
            if (page.Count == 0)
            {
                break;
            }

            seen += page.Count;
            after = page[^1].Sequence;
        }

        return seen / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Every event of the store from raw rows, in the same pages, each deserialised with the store's serializer; events/s.</summary>
    public async Task<double> RawAllAsync()
    {
        var watch = Stopwatch.StartNew();
        long seen = 0, after = 0;
        while (true)
        {
            await using var command = _db.CreateCommand($"select seq_id, type, data from {_schema}.mt_events where seq_id > $1 order by seq_id limit 10000");
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                after = reader.GetInt64(0);
                _ = _types.TryGetValue(reader.GetString(1), out var type) ? _serializer.FromJson(type, reader, 2) : reader.GetString(2);
                rows++;
            }

            if (rows == 0)
            {
                break;
            }

            seen += rows;
        }

        return seen / watch.Elapsed.TotalSeconds;
    }

    private static (string? OrgId, OrgType? OrgType) Headers(string? json)
    {
        if (json is null)
        {
            return (null, null);
        }

        using var doc = JsonDocument.Parse(json);
        var orgId = doc.RootElement.TryGetProperty(EventHeaders.OrgId, out var id) ? id.GetString() : null;
        var orgType = doc.RootElement.TryGetProperty(EventHeaders.OrgType, out var t) && Enum.TryParse<OrgType>(t.GetString(), out var parsed) ? parsed : (OrgType?)null;
        return (orgId, orgType);
    }

    /// <summary>Every case step's state, folded event by event.</summary>
    private sealed class Steps
    {
        private SuspicionState? _suspicion;
        private ReflectionPeriodState? _permits;
        private ProsecutionCaseState? _prosecution;
        private ChildSafeguardingState? _child;
        private SupportState? _support;
        private VoluntaryReturnState? _return;
        private CaseCostBasis? _costs;

        public void Apply(object data, EventInfo info)
        {
            _suspicion = SuspicionState.Fold(_suspicion, data, info);
            _permits = ReflectionPeriodState.Fold(_permits, data, info);
            _prosecution = ProsecutionCaseState.Fold(_prosecution, data, info);
            _child = ChildSafeguardingState.Fold(_child, data, info);
            _support = SupportState.Fold(_support, data, info);
            _return = VoluntaryReturnState.Fold(_return, data, info);
            _costs = CaseCostBasis.Fold(_costs, data, info);
        }

        /// <summary>The replay reached the stream's version (so nothing was skipped); returns the event count.</summary>
        public int Check(int count) =>
            _suspicion?.Version == count ? count : throw new InvalidOperationException("Replay did not reach the stream's version.");
    }
}
