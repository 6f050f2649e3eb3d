using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Referral.Benchmarks;
using Referral.BuildingBlocks.Cases;
using Referral.Host.Infrastructure;
using Referral.Host;
using Referral.Modules.Prosecution.Domain;
using Referral.Modules.ReflectionPeriod.Domain;
using Referral.Modules.Suspicion.Domain;

// The API against the raw database doing the same work, side by side in one run (docs/benchmarks.md).
// Usage: dotnet run -c Release --project tests/Referral.Benchmarks [-- --quick] [--out FILE]
var quick = args.Contains("--quick");
var outFile = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? (quick ? "benchmark-quick.json" : "benchmark-results.json");
var root = FindRoot();
var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
var phase = quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(15);
var (smallStore, largeStore) = quick ? (10_000, 50_000) : (10_000, 1_000_000);
var historyLength = quick ? 200 : 1_000;
const string Schema = "bench";
var figures = new List<Figure>();
var total = Stopwatch.StartNew();
// Every API answer in a measured phase, by phase: a benchmark of refusals measures nothing, so any non-2xx fails the run.
var answers = new List<(string Phase, Recorder Recorder)>();

Console.WriteLine($"Referral benchmark ({(quick ? "quick" : "full")}), {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var dataRoot = Path.Combine(Path.GetTempPath(), "referral-bench-" + Guid.NewGuid().ToString("N"));
using var postgres = EmbeddedPostgres.Start(dataRoot);
await using var db = NpgsqlDataSource.Create(postgres.ConnectionString + ";Maximum Pool Size=100");
try
{
    await using var api = await ApiProcess.StartAsync(root, configuration, postgres.ConnectionString + ";Maximum Pool Size=100", Schema);
    var workload = new ApiWorkload(api);
    var raw = new RawWorkload(db);
    await raw.CreateAsync();

    // 4. Growth first, on a store of known size: command p50 (one client) with 10 thousand stored events vs many more.
    await workload.CaseFlowAsync(new Recorder(), CancellationToken.None);
    await SeedAsync(db, smallStore);
    var (growthSmall, smallRec) = await CommandP50Async(workload, quick ? 8 : 30);
    answers.Add(($"growth, {smallStore:N0} events", smallRec));
    await SeedAsync(db, largeStore);
    var (growthLarge, largeRec) = await CommandP50Async(workload, quick ? 8 : 30);
    answers.Add(($"growth, {largeStore:N0} events", largeRec));
    figures.Add(new Figure($"Command p50 at {largeStore:N0} vs {smallStore:N0} events", "ms", growthLarge, growthSmall, growthLarge / growthSmall, "≤ 1.2×", growthLarge / growthSmall <= 1.2));
    await raw.CaptureAsync(Schema);

    // 1. Commands at 1, 8 and 32 clients: the API over HTTP vs the raw statements at the same concurrency.
    foreach (var clients in new[] { 1, 8, 32 })
    {
        var (apiRec, apiSeconds) = await Load.RunAsync(clients, phase, async (_, recorder, ct) => await workload.CaseFlowAsync(recorder, ct));
        answers.Add(($"commands, {clients} client(s)", apiRec));
        var (rawRec, rawSeconds) = await Load.RunAsync(clients, phase, async (_, recorder, _) => await raw.CaseFlowAsync(recorder));
        double apiTput = apiRec.Count / apiSeconds, rawTput = rawRec.Count / rawSeconds;
        var throughputMet = clients != 8 ? (bool?)null : apiTput / rawTput >= 0.5;
        figures.Add(new Figure($"Commands/s, {clients} client(s)", "cmd/s", apiTput, rawTput, apiTput / rawTput, clients == 8 ? "≥ 0.5×" : "", throughputMet));
        figures.Add(new Figure($"Command p50 / p95 / p99, {clients} client(s)", "ms",
            apiRec.Percentile(50), rawRec.Percentile(50), apiRec.Percentile(99) / apiRec.Percentile(50), "p99 ≤ 5× p50",
            apiRec.Percentile(99) <= 5 * apiRec.Percentile(50)));
        Console.WriteLine($"  {clients,2} clients: API p50 {apiRec.Percentile(50):F1} p95 {apiRec.Percentile(95):F1} p99 {apiRec.Percentile(99):F1} ms, " +
            $"409 {apiRec.Conflicts409}, 412 {apiRec.Stale412}, 5xx {apiRec.ServerErrors}, other errors {apiRec.OtherErrors}; raw p50 {rawRec.Percentile(50):F1} p99 {rawRec.Percentile(99):F1} ms");
        figures.Add(new Figure($"5xx answers, {clients} client(s)", "count", apiRec.ServerErrors, rawRec.ServerErrors, double.NaN, "0", apiRec.ServerErrors == 0));
    }

    // 2. Reads: the case overview and a module state vs raw selects of the same documents.
    var apiCases = await CaseIdsAsync(db, Schema, 200);
    var rawCases = await raw.StreamsAsync(200);
    foreach (var (name, overview) in new[] { ("Case overview GET", true), ("Module state GET", false) })
    {
        var (apiRec, apiSeconds) = await Load.RunAsync(8, phase / 2, async (client, recorder, ct) =>
        {
            var id = apiCases[Random.Shared.Next(apiCases.Count)];
            await Load.TimeAsync(recorder, async () =>
            {
                using var response = await workload.GetAsync(overview ? $"/api/v1/cases/{id}" : $"/api/v1/cases/{id}/suspicion", ct);
                await response.Content.ReadAsStringAsync(ct);
                return (true, (int)response.StatusCode);
            });
        });
        answers.Add((name, apiRec));
        var (rawRec, rawSeconds) = await Load.RunAsync(8, phase / 2, async (_, recorder, _) => await raw.ReadCaseAsync(recorder, rawCases[Random.Shared.Next(rawCases.Count)], overview));
        double apiTput = apiRec.Count / apiSeconds, rawTput = rawRec.Count / rawSeconds;
        figures.Add(new Figure($"{name}/s, 8 clients (p50 {apiRec.Percentile(50):F1} vs {rawRec.Percentile(50):F1} ms)", "reads/s", apiTput, rawTput, apiTput / rawTput, "≥ 0.5×", apiTput / rawTput >= 0.5));
    }

    // A measured phase that was refused measured nothing: stop here, saying where (CI fails on it).
    if (Refusals(answers, print: false) is { Count: > 0 } early)
    {
        Refusals(answers, print: true);
        Console.Error.WriteLine("Non-2xx answers in measured phases: " + string.Join(", ", early));
        return 1;
    }

    // 3. History replay: one long case, and every event of the store, vs a raw sequential read.
    var longCase = (await workload.CaseFlowAsync(new Recorder(), CancellationToken.None))!.Value;
    for (var i = 10; i < historyLength; i++) // the case flow leaves 10 events
    {
        await workload.AppendConsentAsync(longCase, i, CancellationToken.None);
    }

    await using var store = MartenStore(postgres.ConnectionString, Schema);
    await ReplayCaseAsync(store, longCase); // warm-up: the store's first use checks the schema and builds its mappings
    var (oneApi, oneRaw) = (await ReplayCaseAsync(store, longCase), await RawReadAsync(db, $"select data::text from {Schema}.mt_events where stream_id = '{longCase}' order by version"));
    figures.Add(new Figure($"Replay one {historyLength:N0}-event case", "events/s", oneApi, oneRaw, oneApi / oneRaw, "", null));
    var (allApi, allRaw) = (await ReplayAllAsync(store), await RawReadAsync(db, $"select seq_id, type, data::text from {Schema}.mt_events order by seq_id"));
    figures.Add(new Figure("Replay all events of the store", "events/s", allApi, allRaw, allApi / allRaw, "≥ 0.3×", allApi / allRaw >= 0.3));

    // 5. Memory.
    var peak = api.PeakMemoryMegabytes();
    figures.Add(new Figure("Peak API resident memory", "MB", peak, double.NaN, double.NaN, "≤ 300 MB", peak <= 300));
}
finally
{
    postgres.Dispose();
    try
    {
        Directory.Delete(dataRoot, recursive: true);
    }
    catch (IOException)
    {
    }
}

Console.WriteLine();
Console.WriteLine($"{"Figure",-62} {"API",12} {"Raw",12} {"Ratio",8}  Target");
foreach (var f in figures)
{
    Console.WriteLine($"{f.Name,-62} {Num(f.Api),12} {Num(f.Raw),12} {Num(f.Ratio),8}  {f.Target} {(f.Met is null ? "" : f.Met.Value ? "met" : "MISSED")}");
}

await File.WriteAllTextAsync(outFile, JsonSerializer.Serialize(new
{
    date = DateTime.UtcNow, quick, cores = Environment.ProcessorCount, memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30),
    seconds = total.Elapsed.TotalSeconds, figures = figures.Select(f => new { f.Name, f.Unit, api = Json(f.Api), raw = Json(f.Raw), ratio = Json(f.Ratio), f.Target, f.Met }),
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Written to {Path.GetFullPath(outFile)} in {total.Elapsed.TotalSeconds:F0} s.");

Console.WriteLine();
if (Refusals(answers, print: true) is { Count: > 0 } refused)
{
    Console.Error.WriteLine("Non-2xx answers in measured phases: " + string.Join(", ", refused));
    return 1;
}

// Every measurement must have produced a number (the --quick run in CI checks that the program does not rot).
var missing = figures.Where(f => double.IsNaN(f.Api) || (double.IsNaN(f.Raw) && f.Unit != "MB")).Select(f => f.Name).ToList();
if (missing.Count > 0)
{
    Console.Error.WriteLine("No number for: " + string.Join(", ", missing));
    return 1;
}

return 0;

static List<string> Refusals(List<(string Phase, Recorder Recorder)> answers, bool print)
{
    foreach (var (name, recorder) in print ? answers : [])
    {
        Console.WriteLine($"Answers, {name}: " + string.Join(", ", recorder.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}")));
    }

    return [.. answers.Where(a => a.Recorder.NotSuccessful > 0).Select(a => $"{a.Phase} ({a.Recorder.NotSuccessful})")];
}

static string Num(double v) => double.IsNaN(v) ? "–" : v.ToString(v >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);

static double? Json(double v) => double.IsNaN(v) ? null : Math.Round(v, 3);

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Referral.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Referral.sln not found.");
}

static async Task<(double P50, Recorder Recorder)> CommandP50Async(ApiWorkload workload, int cases)
{
    var recorder = new Recorder();
    for (var i = 0; i < cases; i++)
    {
        await workload.CaseFlowAsync(recorder, CancellationToken.None);
    }

    return (recorder.Percentile(50), recorder);
}

// Seeds the API's event store in bulk (not through HTTP) up to `target` events, as closed historic cases of 10 events.
static async Task SeedAsync(NpgsqlDataSource db, int target)
{
    await using var count = db.CreateCommand("select count(*) from bench.mt_events");
    var missing = target - (long)(await count.ExecuteScalarAsync())!;
    for (var batch = 0; missing > 0; batch++)
    {
        var streams = (int)Math.Min(20_000, Math.Ceiling(missing / 10.0));
        var marker = $"seed-{batch}-{Guid.NewGuid():N}";
        await using var seed = db.CreateCommand($$"""
            insert into bench.mt_streams (id, type, version, timestamp, created) select gen_random_uuid(), '{{marker}}', 10, now(), now() from generate_series(1, {{streams}});
            insert into bench.mt_events (seq_id, id, stream_id, version, data, type, timestamp, headers, user_name)
            select nextval('bench.mt_events_sequence'), gen_random_uuid(), s.id, v,
                   jsonb_build_object('caseId', s.id, 'newInformation', 'Seeded for the benchmark.', 'reopenedAt', now(), 'status', 'UnderAssessment'),
                   'suspicion.case_reopened', now(), '{"org_id":"seed","org_type":"Police"}'::jsonb, 'seed'
            from bench.mt_streams s cross join generate_series(1, 10) v where s.type = '{{marker}}';
            """);
        seed.CommandTimeout = 600;
        await seed.ExecuteNonQueryAsync();
        missing -= streams * 10;
    }

    await using var analyze = db.CreateCommand("analyze bench.mt_events; analyze bench.mt_streams;");
    await analyze.ExecuteNonQueryAsync();
}

static async Task<List<Guid>> CaseIdsAsync(NpgsqlDataSource db, string schema, int max)
{
    var ids = new List<Guid>();
    await using var command = db.CreateCommand($"select id from {schema}.mt_doc_suspicionstate limit {max}");
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        ids.Add(reader.GetGuid(0));
    }

    return ids;
}

// The same store the API runs (its options and every module's events and projections), in this process, for replay.
static DocumentStore MartenStore(string connectionString, string schema)
{
    var services = new ServiceCollection();
    services.AddSingleton(TimeProvider.System);
    services.AddLogging();
    services.AddMarten(_ => EventStore.Options(connectionString, schema, TimeProvider.System));
    var configuration = new ConfigurationBuilder().Build();
    foreach (var module in Modules.All)
    {
        module.AddServices(services, configuration);
    }

    return (DocumentStore)services.BuildServiceProvider().GetRequiredService<IDocumentStore>();
}

// Rebuilds every step's state of one case from its events (as an auditor's replay does); events/s.
static async Task<double> ReplayCaseAsync(IDocumentStore store, Guid caseId)
{
    await using var session = store.QuerySession();
    var watch = Stopwatch.StartNew();
    var events = await session.Events.FetchStreamAsync(caseId);
    SuspicionState? suspicion = null;
    ResidencePermitState? permits = null;
    ProsecutionCaseState? prosecution = null;
    foreach (var e in events)
    {
        suspicion = SuspicionState.Fold(suspicion, e.Data, new EventInfo(e.Version, e.Timestamp, null));
        permits = ResidencePermitState.Fold(permits, e.Data, new EventInfo(e.Version, e.Timestamp));
        prosecution = ProsecutionCaseState.Fold(prosecution, e.Data, new EventInfo(e.Version, e.Timestamp));
    }

    if (suspicion?.Version != events.Count || permits?.Version != events.Count || prosecution?.Version != events.Count)
    {
        throw new InvalidOperationException("Replay did not reach the stream's version.");
    }

    return events.Count / watch.Elapsed.TotalSeconds;
}

// Reads and deserialises every event of the store through Marten, in pages; events/s.
static async Task<double> ReplayAllAsync(IDocumentStore store)
{
    await using var session = store.QuerySession();
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

// A raw sequential read of the same rows; rows/s.
static async Task<double> RawReadAsync(NpgsqlDataSource db, string sql)
{
    var watch = Stopwatch.StartNew();
    await using var command = db.CreateCommand(sql);
    command.CommandTimeout = 600;
    await using var reader = await command.ExecuteReaderAsync();
    long rows = 0;
    while (await reader.ReadAsync())
    {
        _ = reader.GetValue(reader.FieldCount - 1);
        rows++;
    }

    return rows / watch.Elapsed.TotalSeconds;
}
