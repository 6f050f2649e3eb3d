using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using Referral.Benchmarks;
using Referral.Host.Infrastructure;

// The API against the raw database doing the same work, side by side in one run (docs/benchmarks.md).
// Usage: dotnet run -c Release --project tests/Referral.Benchmarks [-- --quick] [--out FILE] [--reps N] [--large EVENTS] [--checkpoint-events EVENTS] [--report-cases CASES] [--pin | --no-pin]
//        profiling one read: [-- --profile-read SECONDS [--profile-path /suspicion|""]]
var quick = args.Contains("--quick");
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var outFile = Arg("--out") ?? (quick ? "benchmark-quick.json" : "benchmark-results.json");
var reps = int.Parse(Arg("--reps") ?? (quick ? "3" : "5"), CultureInfo.InvariantCulture);
var phase = quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(6);
var warmUp = quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(2);
var smallStore = quick ? 2_000 : 10_000;
var largeStore = int.Parse(Arg("--large") ?? (quick ? "5000" : "100000"), CultureInfo.InvariantCulture);
var historyLength = quick ? 200 : 1_000;
var cores = Environment.ProcessorCount;
// The load generator gets a core of its own when there are enough (or when asked); otherwise its CPU is reported apart.
var pin = args.Contains("--pin") || (cores >= 4 && !args.Contains("--no-pin"));
var (serverCpus, loadCpu) = pin ? ($"0-{cores - 2}", $"{cores - 1}") : ((string?)null, (string?)null);
const string Schema = "bench";
var root = FindRoot();
var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
var total = Stopwatch.StartNew();
var figures = new List<Figure>();
var costs = new List<(string Phase, string Side, PhaseCost Cost)>();
var answers = new List<(string Phase, Recorder Recorder)>(); // every API answer of a measured phase: any non-2xx fails the run
var parityBreaks = new List<string>();
var gcMode = GcMode(root, configuration);

Console.WriteLine($"Referral benchmark ({(quick ? "quick" : "full")}), {cores} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, " +
    $"{reps} repetitions, {(pin ? $"API and PostgreSQL on CPUs {serverCpus}, load generator on CPU {loadCpu}" : "not pinned")}, API GC: {gcMode}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var dataRoot = Path.Combine(Path.GetTempPath(), "referral-bench-" + Guid.NewGuid().ToString("N"));
using var postgres = EmbeddedPostgres.Start(dataRoot);
StatementStats.Enable(postgres);
var postmaster = int.Parse(File.ReadLines(Path.Combine(dataRoot, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
if (pin)
{
    Machine.Pin(postmaster, serverCpus!);
    Machine.Pin(Environment.ProcessId, loadCpu!);
}

// The raw side connects as the API does (no connection reset on return to the pool).
var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { MaxPoolSize = 100, NoResetOnClose = true }.ConnectionString;
await using var db = NpgsqlDataSource.Create(connectionString);
var stats = new StatementStats(db);
try
{
    await using var api = await ApiProcess.StartAsync(root, configuration, connectionString, Schema, serverCpus);
    var flow = new CaseFlow(key => CaseFlow.Organisations.Single(o => o.Key == key) is var (_, type, id) ? api.Client(type, id) : throw new InvalidOperationException());

    if (Arg("--profile-read") is { } profileSeconds)
    {
        // Profiling aid (docs/benchmarks.md): only one read of one case at 8 clients, for dotnet-trace or dotnet-counters
        // attached to the API's process id; no figures. --profile-path "" is the case overview, "/suspicion" a module.
        var profiled = (await flow.RunAsync(new Recorder()))!.Value;
        var path = $"/api/v1/cases/{profiled}{Arg("--profile-path") ?? "/suspicion"}";
        Console.WriteLine($"Profiling: API process {api.ProcessId}; GET {path} at 8 clients for {profileSeconds} s.");
        var (profile, seconds) = await Load.RunAsync(8, TimeSpan.FromSeconds(double.Parse(profileSeconds, CultureInfo.InvariantCulture)), r => flow.GetAsync(r, path));
        Console.WriteLine($"Profiling done: {profile.Count / seconds:F0} reads/s, p50 {profile.Percentile(50):F2} ms, not 2xx: {profile.NotSuccessful}.");
        return profile.NotSuccessful == 0 ? 0 : 1;
    }

    // 0. Capture the statements the API's store sends for each request of the flow and each read (the API in this process,
    //    same settings); the raw side replays them with the ids of a new case.
    var captured = await CaptureHost.CaptureAsync(root, connectionString, Schema);
    var replayer = new Replayer(db, Replayer.PerCaseIds(captured.Flow, captured.SecondFlow));
    var reads = new[] { captured.Overview, captured.ModuleState };
    Console.WriteLine($"Captured: {captured.Flow.Sum(r => r.RoundTrips.Count)} round trips and {captured.Flow.Sum(r => r.RoundTrips.Sum(t => t.Statements.Count))} statements " +
        $"for the {captured.Flow.Count} requests of one case flow; overview {captured.Overview.RoundTrips.Count} round trip(s), module state {captured.ModuleState.RoundTrips.Count}.");
    foreach (var r in captured.Flow.Concat(reads))
    {
        Console.WriteLine($"  {r.Label,-34} {r.RoundTrips.Count} round trips, {r.RoundTrips.Sum(t => t.Statements.Count)} statements, {r.RoundTrips.Count(t => t.Transaction is not null)} in a transaction");
    }

    if (args.Contains("--dump")) // the captured statements, for reading what one command costs the database
    {
        foreach (var r in captured.Flow.Concat(reads))
        {
            Console.WriteLine($"== {r.Label}");
            foreach (var (t, i) in r.RoundTrips.Select((t, i) => (t, i + 1)))
            {
                Console.WriteLine(string.Join('\n', t.Statements.Select(st => $"  {i,2}{(t.Transaction is null ? " " : "T")} {string.Join(' ', st.Sql.Split('\n').Select(l => l.Trim()))[..Math.Min(st.Sql.Length, 140)]}")));
            }
        }

        return 0;
    }

    // Statement parity (pg_stat_statements): per request, the same normalised statements, as many calls, as many rows.
    var apiStatements = new Dictionary<string, Dictionary<string, (long Calls, long Rows)>>();
    var rawStatements = new Dictionary<string, Dictionary<string, (long Calls, long Rows)>>();
    Dictionary<string, (long Calls, long Rows)> For(Dictionary<string, Dictionary<string, (long Calls, long Rows)>> side, string label) =>
        side.TryGetValue(label, out var d) ? d : side[label] = [];
    for (var i = 0; i < 3; i++)
    {
        var id = await flow.RunAsync(new Recorder(), (label, request) => stats.MeasureAsync(For(apiStatements, label), request));
        await stats.MeasureAsync(For(apiStatements, captured.Overview.Label), () => flow.GetAsync(new Recorder(), $"/api/v1/cases/{id}"));
        await stats.MeasureAsync(For(apiStatements, captured.ModuleState.Label), () => flow.GetAsync(new Recorder(), $"/api/v1/cases/{id}/suspicion"));
        foreach (var request in Replayer.Prepare(captured.Flow.Concat(reads), replayer.NewCase()))
        {
            await stats.MeasureAsync(For(rawStatements, request.Label), () => replayer.RunAsync(request));
        }
    }

    foreach (var label in apiStatements.Keys.Union(rawStatements.Keys))
    {
        var differences = StatementStats.Differences(For(apiStatements, label), For(rawStatements, label));
        parityBreaks.AddRange(differences.Select(d => $"{label}: {d}"));
    }

    var perFlow = apiStatements.Where(s => captured.Flow.Any(r => r.Label == s.Key)).Sum(s => s.Value.Values.Sum(v => v.Calls)) / 3.0;
    if (parityBreaks.Count > 0)
    {
        // The raw side would do other work than the API: nothing after this would compare like with like.
        Console.Error.WriteLine($"Statement parity broken ({parityBreaks.Count} statements differ): the raw side does not do the API's database work.\n  " + string.Join("\n  ", parityBreaks));
        return 1;
    }

    Console.WriteLine($"Statement parity: the raw side executed the API's {perFlow:F0} statements per case flow (BEGIN/COMMIT included) and each read's, with equal calls and rows per request.");

    // Raw cases, complete (events, stream, chain, every document), made by replaying the flow; their ids for the raw reads.
    var rawCases = new List<Dictionary<Guid, Guid>>();
    async Task RawFlowAsync(Recorder recorder, Dictionary<Guid, Guid>? map = null)
    {
        foreach (var request in Replayer.Prepare(captured.Flow, map ?? replayer.NewCase()))
        {
            await Load.TimeAsync(recorder, async () =>
            {
                await replayer.RunAsync(request);
                return (true, 200);
            });
        }
    }

    async Task SeedAsync(int target)
    {
        await using var count = db.CreateCommand($"select count(*) from {Schema}.mt_events");
        var flows = (int)Math.Ceiling((target - (long)(await count.ExecuteScalarAsync())!) / 10.0);
        var started = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (Interlocked.Increment(ref started) <= flows)
            {
                var map = replayer.NewCase();
                await RawFlowAsync(new Recorder(), map);
                lock (rawCases)
                {
                    if (rawCases.Count < 200)
                    {
                        rawCases.Add(map);
                    }
                }
            }
        }));
        await using var vacuum = db.CreateCommand("vacuum analyze");
        vacuum.CommandTimeout = 1200;
        await vacuum.ExecuteNonQueryAsync();
        Console.WriteLine($"Store seeded to {target:N0} events with complete cases ({Math.Max(flows, 0):N0} flows replayed in {watch.Elapsed.TotalSeconds:F0} s), vacuumed and analysed.");
    }

    // Alternating repetitions after a warm-up: API, raw, raw, API, … Each repetition's throughput, percentiles and CPU per unit.
    async Task<(List<Rep> Api, List<Rep> Raw)> CompareAsync(string name, int clients, TimeSpan length, Func<Recorder, Task> apiLoop, Func<Recorder, Task> rawLoop)
    {
        await Load.RunAsync(clients, warmUp, apiLoop);
        await Load.RunAsync(clients, warmUp, rawLoop);
        var (apiReps, rawReps) = (new List<Rep>(), new List<Rep>());
        for (var r = 0; r < reps; r++)
        {
            foreach (var apiSide in r % 2 == 0 ? new[] { true, false } : [false, true])
            {
                await using var meter = new PhaseMeter(api.ProcessId, postmaster);
                var (recorder, seconds) = await Load.RunAsync(clients, length, apiSide ? apiLoop : rawLoop);
                var rep = new Rep(recorder.Count / seconds, recorder.Percentile(50), recorder.Percentile(95), recorder.Percentile(99), await meter.StopAsync(recorder.Count));
                (apiSide ? apiReps : rawReps).Add(rep);
                if (apiSide)
                {
                    answers.Add(($"{name}, repetition {r + 1}", recorder));
                }
            }
        }

        costs.Add((name, "API", Median(apiReps.Select(x => x.Cost))));
        costs.Add((name, "raw", Median(rawReps.Select(x => x.Cost))));
        Console.WriteLine($"  {name}: API {Spread.Of(apiReps.Select(x => x.PerSecond)).Median:F0}/s p50 {Spread.Of(apiReps.Select(x => x.P50)).Median:F2} ms; " +
            $"raw {Spread.Of(rawReps.Select(x => x.PerSecond)).Median:F0}/s p50 {Spread.Of(rawReps.Select(x => x.P50)).Median:F2} ms");
        return (apiReps, rawReps);
    }

    void Throughput(string name, string unit, (List<Rep> Api, List<Rep> Raw) result, string target, double goal)
    {
        var (a, r) = (Spread.Of(result.Api.Select(x => x.PerSecond)), Spread.Of(result.Raw.Select(x => x.PerSecond)));
        figures.Add(new Figure(name, unit, a, r, a.Median / r.Median, target, target.Length == 0 ? null : a.Median / r.Median >= goal));
    }

    void Latency(string name, (List<Rep> Api, List<Rep> Raw) result, Func<Rep, double> pick, string target = "", bool? met = null)
    {
        var (a, r) = (Spread.Of(result.Api.Select(pick)), Spread.Of(result.Raw.Select(pick)));
        figures.Add(new Figure(name, "ms", a, r, a.Median / r.Median, target, met));
    }

    // 1. The HTTP calibration point: a no-op endpoint (liveness, no checks) against a no-op round trip to the database.
    var noop = await CompareAsync("No-op: GET /health/live vs select 1", 8, phase / 2,
        recorder => flow.GetAsync(recorder, "/health/live"),
        recorder => Load.TimeAsync(recorder, async () =>
        {
            await using var command = db.CreateCommand("select 1");
            await command.ExecuteScalarAsync();
            return (true, 200);
        }));
    Throughput("No-op requests/s, 8 clients (calibration)", "req/s", noop, "", 0);

    // 2. Growth: command p50 at one client on a small and on a large store of complete cases, both sides.
    var growth = new Dictionary<int, (List<Rep> Api, List<Rep> Raw)>();
    foreach (var size in new[] { smallStore, largeStore })
    {
        await SeedAsync(size);
        growth[size] = await CompareAsync($"Commands at {size:N0} events, 1 client", 1, phase / 2, recorder => flow.RunAsync(recorder), recorder => RawFlowAsync(recorder));
        Latency($"Command p50 at {size:N0} events, 1 client", growth[size], x => x.P50);
    }

    var (apiGrowth, rawGrowth) = (Spread.Of(growth[largeStore].Api.Select(x => x.P50)).Median / Spread.Of(growth[smallStore].Api.Select(x => x.P50)).Median,
        Spread.Of(growth[largeStore].Raw.Select(x => x.P50)).Median / Spread.Of(growth[smallStore].Raw.Select(x => x.P50)).Median);
    figures.Add(new Figure($"Growth: p50 at {largeStore:N0} ÷ p50 at {smallStore:N0} events", "×", Spread.One(apiGrowth), Spread.One(rawGrowth), apiGrowth / rawGrowth, "API ≤ 1.2×", apiGrowth <= 1.2));

    // 3. Commands at 1, 8 and 32 clients: the API over HTTP vs the replayed statements at the same concurrency.
    foreach (var clients in new[] { 1, 8, 32 })
    {
        var result = await CompareAsync($"Commands, {clients} client(s)", clients, phase, recorder => flow.RunAsync(recorder), recorder => RawFlowAsync(recorder));
        Throughput($"Commands/s, {clients} client(s)", "cmd/s", result, clients == 8 ? "≥ 0.5×" : "", 0.5);
        Latency($"Command p50, {clients} client(s)", result, x => x.P50);
        var p99 = Spread.Of(result.Api.Select(x => x.P99 / x.P50));
        figures.Add(new Figure($"Command p99 ÷ p50, {clients} client(s)", "×", p99, Spread.Of(result.Raw.Select(x => x.P99 / x.P50)), double.NaN, "API ≤ 5×", p99.Median <= 5));
    }

    // 4. Reads: the case overview and one module's state vs the replayed read statements, on cases of each side.
    var apiCases = await CaseIdsAsync(db, Schema, 200);
    foreach (var (read, path) in new[] { (captured.Overview, ""), (captured.ModuleState, "/suspicion") })
    {
        var result = await CompareAsync(read.Label + ", 8 clients", 8, phase / 2,
            recorder => flow.GetAsync(recorder, $"/api/v1/cases/{apiCases[Random.Shared.Next(apiCases.Count)]}{path}"),
            recorder => Load.TimeAsync(recorder, async () =>
            {
                await replayer.RunAsync(Replayer.Prepare([read], rawCases[Random.Shared.Next(rawCases.Count)])[0]);
                return (true, 200);
            }));
        Throughput($"{read.Label}/s, 8 clients", "reads/s", result, "≥ 0.5×", 0.5);
        Latency($"{read.Label} p50, 8 clients", result, x => x.P50);
    }

    // 5. History replay, like for like: both sides read the rows, deserialise every event and fold every step's state.
    var longCase = (await flow.RunAsync(new Recorder()))!.Value;
    for (var i = 10; i < historyLength; i++) // the case flow leaves 10 events
    {
        await flow.AppendConsentAsync(longCase, i);
    }

    var replay = new History(connectionString, Schema, db);
    await replay.MartenCaseAsync(longCase); // warm-up: the store's first use builds its mappings
    await replay.RawCaseAsync(longCase);
    var (oneApi, oneRaw, allApi, allRaw) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
    for (var r = 0; r < reps; r++)
    {
        foreach (var martenSide in r % 2 == 0 ? new[] { true, false } : [false, true])
        {
            (martenSide ? oneApi : oneRaw).Add(martenSide ? await replay.MartenCaseAsync(longCase) : await replay.RawCaseAsync(longCase));
            (martenSide ? allApi : allRaw).Add(martenSide ? await replay.MartenAllAsync() : await replay.RawAllAsync());
        }
    }

    figures.Add(new Figure($"Replay one {historyLength:N0}-event case (all step states)", "events/s", Spread.Of(oneApi), Spread.Of(oneRaw), Spread.Of(oneApi).Median / Spread.Of(oneRaw).Median, "", null));
    figures.Add(new Figure("Replay all events of the store (deserialised)", "events/s", Spread.Of(allApi), Spread.Of(allRaw), Spread.Of(allApi).Median / Spread.Of(allRaw).Median, "≥ 0.3×", Spread.Of(allApi).Median / Spread.Of(allRaw).Median >= 0.3));

    // 6. Memory: the API's peak resident set over the run, and per phase (the cost table).
    var peak = Machine.MemoryMb(api.ProcessId, "VmHWM");
    figures.Add(new Figure($"Peak API resident memory ({gcMode})", "MB", Spread.One(peak), Spread.None, double.NaN, "≤ 300 MB", peak <= 300));

    // 7. Webhooks (issue 17): commands at 8 clients on an API with its dispatcher on, without and with ten active
    // subscriptions delivering to a receiver on 127.0.0.1, alternating; delivery must not slow the commands (≥ 0.9×).
    await api.DisposeAsync();
    await using var hooked = await ApiProcess.StartAsync(root, configuration, connectionString, Schema, serverCpus,
        [new("Webhooks:Enabled", "true"), new("Webhooks:PollSeconds", "0.2"), new("Webhooks:AllowPrivateAddresses", "true")]);
    var hookedFlow = new CaseFlow(key => CaseFlow.Organisations.Single(o => o.Key == key) is var (_, type, id) ? hooked.Client(type, id) : throw new InvalidOperationException());
    await using var receiver = await WebhookSink.StartAsync();
    var (without, with) = (new List<double>(), new List<double>());
    await Load.RunAsync(8, warmUp, recorder => hookedFlow.RunAsync(recorder));
    for (var r = 0; r < reps; r++)
    {
        foreach (var subscribed in r % 2 == 0 ? new[] { false, true } : [true, false])
        {
            var subscriptions = subscribed ? await WebhookSink.SubscribeAsync(hooked, receiver.Url, 10) : [];
            var (recorder, seconds) = await Load.RunAsync(8, phase, recorder => hookedFlow.RunAsync(recorder));
            (subscribed ? with : without).Add(recorder.Count / seconds);
            answers.Add(($"Commands, 8 clients, {(subscribed ? "10 webhook subscribers" : "no subscriber")}, repetition {r + 1}", recorder));
            await WebhookSink.CancelAsync(hooked, subscriptions);
        }
    }

    var ratio = Spread.Of(with).Median / Spread.Of(without).Median;
    Console.WriteLine($"  Webhooks: {receiver.Received:N0} notifications delivered to ten subscriptions while measuring; commands {Spread.Of(with).Median:F0}/s with, {Spread.Of(without).Median:F0}/s without.");
    figures.Add(new Figure("Commands/s, 8 clients: 10 webhook subscribers (API) ÷ none (Raw column)", "cmd/s", Spread.Of(with), Spread.Of(without), ratio, "≥ 0.9×", ratio >= 0.9));

    // 8. Checkpoints (issue 24): the cost of one signed checkpoint over the store grown to a million events (quick: 30,000),
    // first over every stream head, then the next one after 1 % of the streams moved.
    var checkpointEvents = long.Parse(Arg("--checkpoint-events") ?? (quick ? "30000" : "1000000"), CultureInfo.InvariantCulture);
    var checkpoint = await CheckpointCost.MeasureAsync(connectionString, Schema, hooked, db, checkpointEvents, async () =>
    {
        await using var count = db.CreateCommand($"select count(*) from {Schema}.mt_events");
        return (long)(await count.ExecuteScalarAsync())!;
    });
    Console.WriteLine($"  Checkpoints: {checkpoint.Events:N0} events; first {checkpoint.FirstSeconds:F2} s, next {checkpoint.NextSeconds:F2} s ({checkpoint.Leaves:N0} leaves).");
    // Raw column: the database reading every stream head (what the first checkpoint must read), once.
    figures.Add(new Figure($"Checkpoint over {checkpoint.Events:N0} events: every stream head", "s", Spread.One(checkpoint.FirstSeconds), Spread.One(checkpoint.RawSeconds),
        checkpoint.FirstSeconds / checkpoint.RawSeconds, "", null));
    figures.Add(new Figure($"Next checkpoint, 1 % of streams moved ({checkpoint.Leaves:N0} leaves)", "s", Spread.One(checkpoint.NextSeconds), Spread.One(checkpoint.RawSeconds),
        checkpoint.NextSeconds / checkpoint.RawSeconds, "", null));

    // 9. The yearly statistics report (issue 18) over a year of 100,000 cases (quick: 10,000): synthetic statistics records,
    // one person in ten reported twice and linked; the API's report against the database reading the same documents.
    var reportCases = int.Parse(Arg("--report-cases") ?? (quick ? "10000" : "100000"), CultureInfo.InvariantCulture);
    var report = await ReportCost.MeasureAsync(connectionString, Schema, hooked, db, reportCases, reps);
    Console.WriteLine($"  Yearly report: {report.Cases:N0} cases in {report.ApiSeconds:F2} s (the raw read of the same documents {report.RawSeconds:F2} s).");
    figures.Add(new Figure($"Yearly statistics report over {report.Cases:N0} cases", "s", Spread.One(report.ApiSeconds), Spread.One(report.RawSeconds),
        report.ApiSeconds / report.RawSeconds, "< 2 s", report.ApiSeconds < 2));
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
Console.WriteLine($"{"Figure",-58} {"API median [min–max]",-26} {"Raw median [min–max]",-26} {"Ratio",6}  Target");
foreach (var f in figures)
{
    Console.WriteLine($"{f.Name,-58} {Range(f.Api),-26} {Range(f.Raw),-26} {Num(f.Ratio),6}  {f.Target} {(f.Met is null ? "" : f.Met.Value ? "met" : "MISSED")}");
}

Console.WriteLine();
Console.WriteLine($"{"CPU-ms per request, median of repetitions",-52} {"API",7} {"Load gen",9} {"PostgreSQL",11} {"API peak RSS MB",16}");
foreach (var (name, side, cost) in costs)
{
    Console.WriteLine($"{name + " (" + side + ")",-52} {cost.ApiMs,7:F3} {cost.LoadMs,9:F3} {cost.PostgresMs,11:F3} {cost.ApiRssMb,16:F0}");
}

await File.WriteAllTextAsync(outFile, JsonSerializer.Serialize(new
{
    date = DateTime.UtcNow, quick, cores, reps, pinned = pin, gc = gcMode, memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30),
    seconds = total.Elapsed.TotalSeconds, parity = parityBreaks.Count == 0, parityBreaks,
    figures = figures.Select(f => new { f.Name, f.Unit, api = Json(f.Api), raw = Json(f.Raw), ratio = Round(f.Ratio), f.Target, f.Met }),
    cpuMsPerRequest = costs.Select(c => new { phase = c.Phase, side = c.Side, api = Round(c.Cost.ApiMs), loadGenerator = Round(c.Cost.LoadMs), postgres = Round(c.Cost.PostgresMs), apiPeakRssMb = Round(c.Cost.ApiRssMb) }),
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Written to {Path.GetFullPath(outFile)} in {total.Elapsed.TotalSeconds:F0} s.");

Console.WriteLine();
foreach (var (name, recorder) in answers)
{
    Console.WriteLine($"Answers, {name}: " + string.Join(", ", recorder.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}")));
}

// A benchmark of refusals measures nothing, and a raw side doing other work than the API compares nothing: both fail the run.
var refused = answers.Where(a => a.Recorder.NotSuccessful > 0).Select(a => $"{a.Phase} ({a.Recorder.NotSuccessful})").ToList();
if (refused.Count > 0)
{
    Console.Error.WriteLine("Non-2xx answers in measured phases: " + string.Join(", ", refused));
    return 1;
}

var missing = figures.Where(f => double.IsNaN(f.Api.Median) || (double.IsNaN(f.Raw.Median) && f.Unit != "MB")).Select(f => f.Name).ToList();
if (missing.Count > 0)
{
    Console.Error.WriteLine("No number for: " + string.Join(", ", missing));
    return 1;
}

return 0;

static PhaseCost Median(IEnumerable<PhaseCost> costs)
{
    var list = costs.ToList();
    return new PhaseCost(Spread.Of(list.Select(c => c.ApiMs)).Median, Spread.Of(list.Select(c => c.LoadMs)).Median,
        Spread.Of(list.Select(c => c.PostgresMs)).Median, list.Max(c => c.ApiRssMb));
}

static string Num(double v) => double.IsNaN(v) ? "–" : v.ToString(v >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);

static string Range(Spread s) => double.IsNaN(s.Median) ? "–" : s.Min == s.Max ? Num(s.Median) : $"{Num(s.Median)} [{Num(s.Min)}–{Num(s.Max)}]";

static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 3);

static object? Json(Spread s) => double.IsNaN(s.Median) ? null : new { median = Round(s.Median), min = Round(s.Min), max = Round(s.Max) };

static string GcMode(string root, string configuration)
{
    var config = File.ReadAllText(Path.Combine(root, "src", "Host", "bin", configuration, "net10.0", "Referral.Host.runtimeconfig.json"));
    var properties = JsonDocument.Parse(config).RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
    bool Flag(string name, bool fallback) => properties.TryGetProperty(name, out var v) ? v.GetBoolean() : fallback;
    return $"{(Flag("System.GC.Server", false) ? "server" : "workstation")} GC, {(Flag("System.GC.Concurrent", true) ? "concurrent" : "non-concurrent")}";
}

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

static async Task<List<Guid>> CaseIdsAsync(NpgsqlDataSource db, string schema, int max)
{
    var ids = new List<Guid>();
    await using var command = db.CreateCommand($"select id from {schema}.mt_doc_suspicionstate order by mt_last_modified limit {max}");
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        ids.Add(reader.GetGuid(0));
    }

    return ids;
}

/// <summary>One measured repetition of one side: its rate, latency percentiles and CPU per unit.</summary>
internal readonly record struct Rep(double PerSecond, double P50, double P95, double P99, PhaseCost Cost);
