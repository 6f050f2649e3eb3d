using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Referral.Host.Infrastructure;

/// <summary>
/// A private PostgreSQL server started from the machine's own server binaries (initdb, pg_ctl) in a local data folder,
/// on a free 127.0.0.1 port, with a generated password; used when no <c>ConnectionStrings:Referral</c> is configured.
/// A second start reuses the data folder. As root (which PostgreSQL refuses) the server runs as the <c>postgres</c> user.
/// Disposing stops the server if this instance started it.
/// </summary>
public sealed class EmbeddedPostgres : IDisposable
{
    private const string Superuser = "referral";
    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string? _runAs;
    private readonly bool _startedHere;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, string? runAs, int port, string password, bool startedHere)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _runAs = runAs;
        _startedHere = startedHere;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = Superuser,
            Password = password,
            Database = "postgres",
        }.ConnectionString;
    }

    public int Port { get; }

    public string ConnectionString { get; }

    /// <summary>
    /// Starts (or, when the data folder's server is already running, attaches to) the server under <paramref name="rootDirectory"/>
    /// (<c>data/</c>, <c>password</c>, <c>server.log</c>). Throws <see cref="InvalidOperationException"/> with one clear message
    /// when no server binaries are found.
    /// </summary>
    public static EmbeddedPostgres Start(string rootDirectory, string? binDirectory = null, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        var bin = FindBinaries(binDirectory);
        var runAs = IsRoot() ? "postgres" : null;
        Directory.CreateDirectory(rootDirectory);
        var data = Path.Combine(rootDirectory, "data");
        var passwordFile = Path.Combine(rootDirectory, "password");

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            log.WriteLine($"Embedded PostgreSQL: initialising {data} with {bin}");
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true); // a half-finished earlier initdb
            }

            InitDb(bin, rootDirectory, data, passwordFile, runAs);
        }

        var password = File.ReadAllText(passwordFile).Trim();
        if (RunningPort(data) is { } runningPort && CanConnect(runningPort, password))
        {
            log.WriteLine($"Embedded PostgreSQL: reusing the server already running on 127.0.0.1:{runningPort}");
            return new EmbeddedPostgres(bin, data, runAs, runningPort, password, startedHere: false);
        }

        var port = FreePort();
        var logFile = Path.Combine(rootDirectory, "server.log");
        Run(bin, "pg_ctl", runAs,
            "start", "-w", "-t", "60", "-D", data, "-l", logFile,
            "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)} -h 127.0.0.1 -k \"\" -c unix_socket_directories=\"\"");
        var server = new EmbeddedPostgres(bin, data, runAs, port, password, startedHere: true);
        server.WaitUntilAccepting();
        log.WriteLine($"Embedded PostgreSQL: listening on 127.0.0.1:{port} (data: {data})");
        return server;
    }

    /// <summary>The default root folder: the user's local data folder, or /var/lib/referral when running as root.</summary>
    public static string DefaultRootDirectory() =>
        IsRoot()
            ? "/var/lib/referral/postgres"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "referral", "postgres");

    /// <summary>Stops the server as an outage would (<paramref name="mode"/>: <c>fast</c> or <c>immediate</c>); <see cref="Restart"/> brings it back.</summary>
    public void Stop(string mode = "fast") => Run(_binDirectory, "pg_ctl", _runAs, "stop", "-w", "-t", "60", "-m", mode, "-D", _dataDirectory);

    /// <summary>Starts the stopped server again on the same port (so connection strings stay valid).</summary>
    public void Restart()
    {
        Run(_binDirectory, "pg_ctl", _runAs,
            "start", "-w", "-t", "60", "-D", _dataDirectory, "-l", Path.Combine(Path.GetDirectoryName(_dataDirectory)!, "server.log"),
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -h 127.0.0.1 -k \"\" -c unix_socket_directories=\"\"");
        WaitUntilAccepting();
    }

    public void Dispose()
    {
        if (!_startedHere)
        {
            return;
        }

        try
        {
            Run(_binDirectory, "pg_ctl", _runAs, "stop", "-w", "-t", "60", "-m", "fast", "-D", _dataDirectory);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
    }

    private static void InitDb(string bin, string root, string data, string passwordFile, string? runAs)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(passwordFile, password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var initPasswordFile = Path.Combine(root, "initdb.pw");
        File.WriteAllText(initPasswordFile, password);
        try
        {
            if (runAs is not null)
            {
                // The server runs as 'postgres'; it must own the data folder. The password file stays root's.
                Exec("chown", null, runAs, root);
                Exec("chown", null, runAs, initPasswordFile);
            }

            Run(bin, "initdb", runAs,
                "-D", data, "-U", Superuser, "--pwfile", initPasswordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
        }
        finally
        {
            File.Delete(initPasswordFile);
        }
    }

    private void WaitUntilAccepting()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(ConnectionString);
                connection.Open();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static bool CanConnect(int port, string password)
    {
        try
        {
            using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username={Superuser};Password={password};Database=postgres;Timeout=3");
            connection.Open();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The port in postmaster.pid, when a server for this data folder seems to be running.</summary>
    private static int? RunningPort(string data)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
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

    /// <summary>Finds initdb/pg_ctl: the configured folder, PATH, <c>pg_config --bindir</c>, then /usr/lib/postgresql/*/bin (newest).</summary>
    public static string FindBinaries(string? configured)
    {
        static bool Has(string? dir) => !string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb"));

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Has(configured)
                ? configured
                : throw new InvalidOperationException($"Postgres:BinDirectory '{configured}' does not contain initdb and pg_ctl.");
        }

        var candidates = new List<string?>();
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => ResolveLink(Path.Combine(p, "pg_ctl"))));
        candidates.Add(PgConfigBinDir());
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(Has) ?? throw new InvalidOperationException(
            "No ConnectionStrings:Referral is configured and no PostgreSQL server binaries (initdb, pg_ctl) were found " +
            "on PATH, through pg_config or in /usr/lib/postgresql/*/bin. Install PostgreSQL 15 or newer " +
            "(Debian/Ubuntu: apt-get install postgresql), set Postgres:BinDirectory, or set ConnectionStrings:Referral.");
    }

    private static string? ResolveLink(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return Path.GetDirectoryName(target?.FullName ?? path);
    }

    private static string? PgConfigBinDir()
    {
        try
        {
            return Exec("pg_config", null, "--bindir").Trim();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static string Run(string bin, string tool, string? runAs, params string[] args) =>
        runAs is null
            ? Exec(Path.Combine(bin, tool), null, args)
            : Exec("runuser", null, ["-u", runAs, "--", Path.Combine(bin, tool), .. args]);

    private static string Exec(string file, string? workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish within 120 s.");
        }

        return process.ExitCode == 0
            ? stdout.Result
            : throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args.Take(2))} failed ({process.ExitCode}): {stderr.Result.Trim()} {stdout.Result.Trim()}");
    }
}
