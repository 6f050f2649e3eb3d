using System.Diagnostics;

namespace Referral.Benchmarks;

/// <summary>Latencies and outcomes of one measured run.</summary>
public sealed class Recorder
{
    private readonly List<double> _millis = [];
    private readonly Lock _gate = new();

    public int Ok { get; private set; }
    public int Conflicts409 { get; private set; }
    public int Stale412 { get; private set; }
    public int ServerErrors { get; private set; }
    public int OtherErrors { get; private set; }

    private readonly Dictionary<int, int> _statuses = [];

    /// <summary>Every answer's status code, counted (reads included).</summary>
    public IReadOnlyDictionary<int, int> Statuses
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<int, int>(_statuses);
            }
        }
    }

    /// <summary>Answers that were not 2xx.</summary>
    public int NotSuccessful => Statuses.Where(s => s.Key is < 200 or >= 300).Sum(s => s.Value);

    public void Add(double millis, int status)
    {
        lock (_gate)
        {
            _millis.Add(millis);
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            switch (status)
            {
                case >= 200 and < 300: Ok++; break;
                case 409: Conflicts409++; break;
                case 412: Stale412++; break;
                case >= 500: ServerErrors++; break;
                default: OtherErrors++; break;
            }
        }
    }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_millis.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _millis.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _millis.Count;
            }
        }
    }
}

/// <summary>One figure of the report: the API's number, the raw baseline's, and their ratio.</summary>
public sealed record Figure(string Name, string Unit, double Api, double Raw, double Ratio, string Target, bool? Met);

/// <summary>Runs client loops concurrently until the time is up; each loop times its own calls.</summary>
public static class Load
{
    public static async Task<(Recorder Recorder, double Seconds)> RunAsync(int clients, TimeSpan duration, Func<int, Recorder, CancellationToken, Task> loop)
    {
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource(duration);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await loop(client, recorder, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }
        }));
        return (recorder, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Times one call and records its status.</summary>
    public static async Task<T> TimeAsync<T>(Recorder recorder, Func<Task<(T Result, int Status)>> call)
    {
        var start = Stopwatch.GetTimestamp();
        var (result, status) = await call();
        recorder.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds, status);
        return result;
    }
}
