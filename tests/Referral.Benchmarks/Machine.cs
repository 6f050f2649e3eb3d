using System.Diagnostics;
using System.Globalization;

namespace Referral.Benchmarks;

/// <summary>CPU time and memory of the processes in a run, read from /proc (Linux).</summary>
public static class Machine
{
    private static readonly double TicksPerMs = 100 / 1000.0; // USER_HZ: 100 on Linux

    /// <summary>CPU time (user + system) of one process, in ms; with <paramref name="children"/>, also of its reaped children.</summary>
    public static double CpuMs(int pid, bool children = false)
    {
        var fields = Stat(pid);
        if (fields is null)
        {
            return 0;
        }

        // Fields after the command name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (children)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerMs;
    }

    /// <summary>CPU time of a server and every process it started (PostgreSQL's backends, live and ended), in ms.</summary>
    public static double TreeCpuMs(int root)
    {
        var total = CpuMs(root, children: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != root
                && Stat(pid) is { } f && f[1] == root.ToString(CultureInfo.InvariantCulture))
            {
                total += CpuMs(pid, children: true);
            }
        }

        return total;
    }

    /// <summary>This process's CPU time (the load generator), in ms.</summary>
    public static double OwnCpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    /// <summary>A process's resident memory now (VmRSS) or at its peak (VmHWM), in MB.</summary>
    public static double MemoryMb(int pid, string field = "VmRSS")
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>Pins a process and all its threads (and what it starts later) to <paramref name="cpus"/> (taskset list syntax).</summary>
    public static void Pin(int pid, string cpus)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpus, pid.ToString(CultureInfo.InvariantCulture)])
            { RedirectStandardOutput = true, UseShellExecute = false }) ?? throw new InvalidOperationException("taskset did not start.");
        taskset.WaitForExit();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset -p -c {cpus} {pid} failed.");
        }
    }

    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>CPU used by the API, the load generator and PostgreSQL over one phase, and the API's largest resident set in it.</summary>
public sealed class PhaseMeter : IAsyncDisposable
{
    private readonly int _api;
    private readonly int _postgres;
    private readonly double _api0, _load0, _pg0;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private double _maxRss;

    public PhaseMeter(int api, int postgres)
    {
        (_api, _postgres) = (api, postgres);
        (_api0, _load0, _pg0) = (Machine.CpuMs(api), Machine.OwnCpuMs(), Machine.TreeCpuMs(postgres));
        _sampler = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                _maxRss = Math.Max(_maxRss, Machine.MemoryMb(_api));
                try
                {
                    await Task.Delay(100, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    /// <summary>CPU-ms spent per unit of work by each process, and the API's peak resident set, since the meter started.</summary>
    public async Task<PhaseCost> StopAsync(int units)
    {
        var (api, load, pg) = (Machine.CpuMs(_api) - _api0, Machine.OwnCpuMs() - _load0, Machine.TreeCpuMs(_postgres) - _pg0);
        await _stop.CancelAsync();
        await _sampler;
        var n = Math.Max(units, 1);
        return new PhaseCost(api / n, load / n, pg / n, _maxRss);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}

/// <summary>CPU-ms per unit of work for the API, the load generator and PostgreSQL; the API's peak resident set in MB.</summary>
public readonly record struct PhaseCost(double ApiMs, double LoadMs, double PostgresMs, double ApiRssMb);
