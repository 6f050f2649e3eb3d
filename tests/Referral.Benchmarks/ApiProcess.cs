using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Referral.Benchmarks;

/// <summary>The API as its own process on 127.0.0.1 (so its memory can be measured), with tokens signed by a benchmark key.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private const string Issuer = "referral-bench";
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("referral-benchmark-signing-key-0123456789abcdef");
    private readonly Process _process;

    private ApiProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    private static readonly string FingerprintKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly string CheckpointSigningKey = Convert.ToBase64String(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKey());

    /// <summary>The API's settings for the benchmark (the separate process and the in-process capture host get the same).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings(string connectionString, string schema) =>
        new Dictionary<string, string>
        {
            ["ConnectionStrings:Referral"] = connectionString, ["Marten:Schema"] = schema, ["Deadlines:Enabled"] = "false", ["Webhooks:Enabled"] = "false",
            ["RateLimiting:PermitsPerSecond"] = "1000000", ["RateLimiting:Burst"] = "1000000",
            ["Idempotency:FingerprintKey"] = FingerprintKey,
            ["PersonRecords:KeyEncryptionKey"] = KeyEncryptionKey,
            ["Audit:Checkpoints:SigningKey"] = CheckpointSigningKey, ["Audit:Checkpoints:Enabled"] = "false",
            ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer, ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Issuer,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer, ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(Key),
        };

    public static async Task<ApiProcess> StartAsync(string repositoryRoot, string configuration, string connectionString, string schema, string? cpus,
        IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var hostDll = Path.Combine(repositoryRoot, "src", "Host", "bin", configuration, "net10.0", "Referral.Host.dll");
        if (!File.Exists(hostDll))
        {
            throw new InvalidOperationException($"{hostDll} is missing: build the solution in {configuration} first.");
        }

        var port = FreePort();
        // Pinned (taskset) when the run keeps the load generator's core apart; threads started later inherit it.
        var info = new ProcessStartInfo(cpus is null ? "dotnet" : "taskset") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(hostDll)! };
        if (cpus is not null)
        {
            foreach (var arg in new[] { "-c", cpus, "dotnet" })
            {
                info.ArgumentList.Add(arg);
            }
        }

        info.ArgumentList.Add(hostDll);
        foreach (var arg in new[] { "--urls", $"http://127.0.0.1:{port}" }.Concat(Settings(connectionString, schema).Concat(extra ?? []).SelectMany(s => new[] { $"--{s.Key}={s.Value}" })))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the API.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("api: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient { BaseAddress = api.Address };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The API did not become ready.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A client for one organisation.</summary>
    public HttpClient Client(string orgType, string orgId)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token(orgType, orgId));
        return client;
    }

    /// <summary>A token for one organisation, signed with the benchmark's key.</summary>
    public static string Token(string orgType, string orgId) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Expires = DateTime.UtcNow.AddHours(4),
            Subject = new ClaimsIdentity([new Claim("sub", "bench-" + orgId), new Claim("org_id", orgId), new Claim("org_type", orgType)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Key), SecurityAlgorithms.HmacSha256),
        });

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
