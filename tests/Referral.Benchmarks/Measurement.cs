using System.Diagnostics;

namespace Referral.Benchmarks;

/// <summary>Latencies and outcomes of one measured run.</summary>
public sealed class Recorder
{
    private readonly List<double> _millis = [];
    private readonly Lock _gate = new();

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

/// <summary>The median of a figure's repetitions and their range.</summary>
public readonly record struct Spread(double Median, double Min, double Max)
{
    public static readonly Spread None = new(double.NaN, double.NaN, double.NaN);

    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return None;
        }

        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new Spread(median, sorted[0], sorted[^1]);
    }

    public static Spread One(double value) => new(value, value, value);
}

/// <summary>One figure of the report: the API's number, the raw baseline's (medians of the repetitions with their ranges), and the ratio of the medians.</summary>
public sealed record Figure(string Name, string Unit, Spread Api, Spread Raw, double Ratio, string Target, bool? Met);

/// <summary>Runs client loops concurrently until the time is up; each loop times its own calls.</summary>
public static class Load
{
    public static async Task<(Recorder Recorder, double Seconds)> RunAsync(int clients, TimeSpan duration, Func<Recorder, Task> loop)
    {
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource(duration);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await loop(recorder);
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
