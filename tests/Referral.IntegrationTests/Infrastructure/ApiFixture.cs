using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Referral.BuildingBlocks.Contracts;
using Referral.Host.Infrastructure;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>
/// The API over real HTTP (WebApplicationFactory) on a real, throwaway PostgreSQL cluster started by the same
/// embedded-server mechanism the host uses, in its own schema. One per test collection; stopped at the end.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Issuer = "referral-tests";
    public const string Audience = "referral-api";
    private static readonly SymmetricSecurityKey SigningKey = new(Encoding.UTF8.GetBytes("referral-integration-tests-signing-key-0123456789"));
    private readonly string _root = Path.Combine(Path.GetTempPath(), "referral-tests-" + Guid.NewGuid().ToString("N"));
    private EmbeddedPostgres? _postgres;

    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N");

    /// <summary>This run's checkpoint key (PKCS#8, base64): held by the test, never by the database.</summary>
    public static string CheckpointSigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKey());

    /// <summary>The witness's store: a folder outside the database that receives every checkpoint.</summary>
    public static string WitnessDirectory { get; } = Path.Combine(Path.GetTempPath(), "referral-witness-" + Guid.NewGuid().ToString("N"));

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public string ConnectionString => _postgres!.ConnectionString;

    public Task InitializeAsync()
    {
        _postgres = EmbeddedPostgres.Start(_root);
        Factory = Host(_postgres.ConnectionString, Schema);
        _ = Factory.Server; // start the host (applies the schema)
        return Task.CompletedTask;
    }

    /// <summary>The API on <paramref name="connectionString"/> in <paramref name="schema"/>, accepting this fixture's test tokens.</summary>
    public static WebApplicationFactory<Program> Host(string connectionString, string schema) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseSetting("ConnectionStrings:Referral", connectionString);
            b.UseSetting("Marten:Schema", schema);
            // Deadlines fire only when a test runs them (ClockedApi), so the real clock never races a test's fake one.
            b.UseSetting("Deadlines:Enabled", "false");
            // Webhooks are delivered when a test runs the dispatcher, to receivers on 127.0.0.1 (allowed here, as in Development).
            b.UseSetting("Webhooks:Enabled", "false");
            b.UseSetting("Webhooks:AllowPrivateAddresses", "true");
            b.UseSetting("Idempotency:FingerprintKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            b.UseSetting("PersonRecords:KeyEncryptionKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            // Checkpoints are made when a test asks for one (POST /api/v1/audit/checkpoints), signed with a key of this run.
            b.UseSetting("Audit:Checkpoints:Enabled", "false");
            b.UseSetting("Audit:Checkpoints:SigningKey", CheckpointSigningKey);
            b.UseSetting("Audit:Checkpoints:WitnessDirectory", WitnessDirectory);
            b.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.TokenValidationParameters.ValidIssuer = Issuer;
                o.TokenValidationParameters.ValidAudience = Audience;
                o.TokenValidationParameters.IssuerSigningKey = SigningKey;
            }));
        });

    public async Task DisposeAsync()
    {
        if (ExampleRecorder.Enabled)
        {
            using var anonymous = Factory.CreateClient();
            ExampleRecorder.Write(System.Text.Json.Nodes.JsonNode.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"))!);
        }

        await Factory.DisposeAsync();
        _postgres?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the cluster is in the temp folder.
        }
    }

    /// <summary>An HTTP client acting for <paramref name="orgType"/> (organisation <paramref name="orgId"/>), or anonymous.</summary>
    public HttpClient Client(OrgType? orgType, string? orgId = null, string? user = null)
    {
        var client = Factory.CreateDefaultClient(ExampleRecorder.Around(new NothingAppendedOnRefusal(this)));
        if (orgType is { } type)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                Token(user ?? "user-" + type.ToString().ToLowerInvariant(), orgId ?? "org-" + type.ToString().ToLowerInvariant(), type.ToString()));
        }

        return client;
    }

    /// <summary>A signed token with the given claims (org_type as a raw string, so invalid values can be tested).</summary>
    public static string Token(string sub, string orgId, string orgType, DateTime? expires = null) =>
        TokenWith([("sub", sub), ("org_id", orgId), ("org_type", orgType)], expires);

    /// <summary>A signed token with exactly these claims (a name may repeat, to test tokens that speak for two organisations).</summary>
    public static string TokenWith(IEnumerable<(string Type, string Value)> claims, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            NotBefore = expires is null ? null : expires.Value.AddHours(-2),
            IssuedAt = expires is null ? null : expires.Value.AddHours(-2),
            Subject = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value))),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });

    /// <summary>Runs a scalar SQL query against the test schema (to look at what was really stored).</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Schema, StringComparison.Ordinal), connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a SQL statement against the test schema (to inject failures).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Schema, StringComparison.Ordinal), connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>All events stored so far.</summary>
    public Task<long> EventCountAsync() => ScalarAsync<long>("select count(*) from {schema}.mt_events");
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
