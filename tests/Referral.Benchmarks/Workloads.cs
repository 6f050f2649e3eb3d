using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Referral.Benchmarks;

/// <summary>The realistic command mix through HTTP with If-Match: one case from registration to a granted reflection period.</summary>
public sealed class ApiWorkload(ApiProcess api)
{
    private readonly HttpClient _ngo = api.Client("NGO", "ngo-bench");
    private readonly HttpClient _coordinator = api.Client("RegionalCoordinator", "rko-bench");
    private readonly HttpClient _social = api.Client("SocialServices", "soc-bench");
    private readonly HttpClient _migration = api.Client("MigrationAgency", "miv-bench");

    public static readonly object Registration = new
    {
        channel = "InPerson", municipalityCode = "0180", ageCategory = "Adult", gender = "Female", nationality = "NG",
        citizenshipCategory = "ThirdCountry", residenceBasis = "NoRightOfResidence", languages = new[] { "en" },
        exploitationPurposes = new[] { "SexualExploitation" }, methodsOfControl = new[] { "WithholdsDocuments", "DebtBondage" },
    };

    /// <summary>Seven commands on one new case; each is timed. Returns the case id, or null when a command was refused.</summary>
    public async Task<Guid?> CaseFlowAsync(Recorder recorder, CancellationToken ct)
    {
        var (status, version, body) = await SendAsync(recorder, _ngo, "/api/v1/cases", Registration, null, ct);
        if (status != 201)
        {
            return null;
        }

        var id = body!["caseId"]!.GetValue<Guid>();
        var step = $"/api/v1/cases/{id}";
        var steps = new (HttpClient Client, string Url, Func<JsonNode?, object> Body)[]
        {
            (_ngo, $"{step}/suspicion/record-consent", _ => new
            {
                status = "Given", scope = new[] { "ReferralToRegionalCoordinator", "ShareWithSocialServices", "ShareWithMigrationAgency" }, language = "en",
            }),
            (_ngo, $"{step}/suspicion/request-coordinator-consultation", _ => new { coordinatorOrgId = "rko-bench" }),
            (_coordinator, $"{step}/suspicion/declare-presumed-victim", _ => new { assessment = "Overall assessment supports trafficking." }),
            // Need-to-know: social services and Migrationsverket take part only once referred (within the consent).
            (_coordinator, $"{step}/participants/refer-organisation", _ => new { orgId = "soc-bench", orgType = "SocialServices" }),
            (_coordinator, $"{step}/participants/refer-organisation", _ => new { orgId = "miv-bench", orgType = "MigrationAgency" }),
            (_social, $"{step}/reflection-period/assess-reflection-eligibility", _ => new { personWishesReflection = true }),
            (_social, $"{step}/reflection-period/submit-reflection-application", _ => new { }),
            (_migration, $"{step}/reflection-period/record-reflection-decision", last => new
            {
                applicationId = last!["reflection"]!["applicationId"]!.GetValue<Guid>(), outcome = "Granted", decisionRef = "BENCH-1",
                validFrom = DateOnly.FromDateTime(DateTime.UtcNow), validTo = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(29)),
            }),
        };
        foreach (var (client, url, makeBody) in steps)
        {
            (status, version, body) = await SendAsync(recorder, client, url, makeBody(body), version, ct);
            if (status != 200)
            {
                return null;
            }
        }

        return id;
    }

    /// <summary>Appends one more event to a case (for building a long history).</summary>
    public async Task<int> AppendConsentAsync(Guid caseId, int i, CancellationToken ct) =>
        (await SendAsync(new Recorder(), _ngo, $"/api/v1/cases/{caseId}/suspicion/record-consent",
            i % 2 == 0 ? new { status = "Withdrawn", language = "en" } : new { status = "Given", scope = new[] { "ShareWithPolice" }, language = "en" }, null, ct)).Status;

    public Task<HttpResponseMessage> GetAsync(string url, CancellationToken ct) => _coordinator.GetAsync(url, ct);

    private static async Task<(int Status, long? Version, JsonNode? Body)> SendAsync(Recorder recorder, HttpClient client, string url, object body, long? ifMatch, CancellationToken ct) =>
        await Load.TimeAsync(recorder, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            if (ifMatch is { } v)
            {
                request.Headers.TryAddWithoutValidation("If-Match", $"\"{v}\"");
            }

            using var response = await client.SendAsync(request, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            var version = response.Headers.ETag is { } etag ? long.Parse(etag.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
            return (((int)response.StatusCode, version, response.IsSuccessStatusCode ? JsonNode.Parse(text) : null), (int)response.StatusCode);
        });
}

/// <summary>
/// The raw database doing the same work as the API's commands and reads, on the same server in the same run: per command,
/// one round trip reading the stream version and the aggregate document (as FetchForWriting does), then one transaction
/// appending the event, moving the stream version with an optimistic check, and upserting the three step documents the
/// inline projections write — with the API's real payloads (<see cref="CaptureAsync"/>).
/// </summary>
public sealed class RawWorkload(NpgsqlDataSource db)
{
    private string _event = "{}";
    private string _doc = "{}";

    public async Task CreateAsync()
    {
        await using var command = db.CreateCommand("""
            drop schema if exists bench_raw cascade; create schema bench_raw;
            create table bench_raw.streams (id uuid primary key, version bigint not null, created timestamptz not null default now());
            create sequence bench_raw.events_seq;
            create table bench_raw.events (seq bigint primary key, stream_id uuid not null references bench_raw.streams(id), version bigint not null,
                type text not null, data jsonb not null, headers jsonb, ts timestamptz not null default now(), unique (stream_id, version));
            create table bench_raw.docs (id uuid not null, kind text not null, data jsonb not null, version bigint not null, primary key (id, kind));
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Takes a real event and a real step document of the API's schema as the payloads.</summary>
    public async Task CaptureAsync(string schema)
    {
        await using var e = db.CreateCommand($"select data::text from {schema}.mt_events where type = 'suspicion.consent_recorded' limit 1");
        _event = (string?)await e.ExecuteScalarAsync() ?? _event;
        await using var d = db.CreateCommand($"select data::text from {schema}.mt_doc_suspicionstate limit 1");
        _doc = (string?)await d.ExecuteScalarAsync() ?? _doc;
    }

    private static readonly string[] Kinds = ["suspicion", "reflection-period", "prosecution"];

    /// <summary>The same seven commands on one new stream.</summary>
    public async Task CaseFlowAsync(Recorder recorder)
    {
        var id = Guid.CreateVersion7();
        await Load.TimeAsync(recorder, async () =>
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, tx);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("insert into bench_raw.streams (id, version) values ($1, 1)") { Parameters = { new() { Value = id } } });
            batch.BatchCommands.Add(Append(id, 1));
            foreach (var kind in Kinds)
            {
                batch.BatchCommands.Add(Upsert(id, kind, 1));
            }

            await batch.ExecuteNonQueryAsync();
            await tx.CommitAsync();
            return (true, 201);
        });
        for (var version = 1L; version < 7; version++)
        {
            var expected = version;
            await Load.TimeAsync(recorder, async () =>
            {
                await using var connection = await db.OpenConnectionAsync();
                await using (var read = new NpgsqlBatch(connection))
                {
                    read.BatchCommands.Add(new NpgsqlBatchCommand("select version from bench_raw.streams where id = $1") { Parameters = { new() { Value = id } } });
                    read.BatchCommands.Add(new NpgsqlBatchCommand("select data from bench_raw.docs where id = $1 and kind = 'suspicion'") { Parameters = { new() { Value = id } } });
                    await using var reader = await read.ExecuteReaderAsync();
                    while (await reader.ReadAsync() || await reader.NextResultAsync())
                    {
                    }
                }

                await using var tx = await connection.BeginTransactionAsync();
                await using var batch = new NpgsqlBatch(connection, tx);
                batch.BatchCommands.Add(Append(id, expected + 1));
                batch.BatchCommands.Add(new NpgsqlBatchCommand("update bench_raw.streams set version = $2 where id = $1 and version = $3")
                    { Parameters = { new() { Value = id }, new() { Value = expected + 1 }, new() { Value = expected } } });
                foreach (var kind in Kinds)
                {
                    batch.BatchCommands.Add(Upsert(id, kind, expected + 1));
                }

                await batch.ExecuteNonQueryAsync();
                await tx.CommitAsync();
                return (true, 200);
            });
        }
    }

    /// <summary>The same documents the overview reads: the stream version and the three step documents.</summary>
    public async Task ReadCaseAsync(Recorder recorder, Guid id, bool overview) =>
        await Load.TimeAsync(recorder, async () =>
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var batch = new NpgsqlBatch(connection);
            if (overview)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("select version from bench_raw.streams where id = $1") { Parameters = { new() { Value = id } } });
                batch.BatchCommands.Add(new NpgsqlBatchCommand("select kind, data from bench_raw.docs where id = $1") { Parameters = { new() { Value = id } } });
            }
            else
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("select data from bench_raw.docs where id = $1 and kind = 'suspicion'") { Parameters = { new() { Value = id } } });
            }

            await using var reader = await batch.ExecuteReaderAsync();
            do
            {
                while (await reader.ReadAsync())
                {
                    _ = reader.GetValue(reader.FieldCount - 1);
                }
            }
            while (await reader.NextResultAsync());
            return (true, 200);
        });

    /// <summary>Stream ids of the raw store, for reads.</summary>
    public async Task<List<Guid>> StreamsAsync(int max)
    {
        var ids = new List<Guid>();
        await using var command = db.CreateCommand($"select id from bench_raw.streams limit {max}");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private NpgsqlBatchCommand Append(Guid id, long version) =>
        new("insert into bench_raw.events (seq, stream_id, version, type, data, headers) values (nextval('bench_raw.events_seq'), $1, $2, 'suspicion.consent_recorded', $3, $4)")
        {
            Parameters =
            {
                new() { Value = id }, new() { Value = version },
                new() { Value = _event, NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = """{"org_id":"ngo-bench","org_type":"NGO"}""", NpgsqlDbType = NpgsqlDbType.Jsonb },
            },
        };

    private NpgsqlBatchCommand Upsert(Guid id, string kind, long version) =>
        new("insert into bench_raw.docs (id, kind, data, version) values ($1, $2, $3, $4) on conflict (id, kind) do update set data = excluded.data, version = excluded.version")
        {
            Parameters = { new() { Value = id }, new() { Value = kind }, new() { Value = _doc, NpgsqlDbType = NpgsqlDbType.Jsonb }, new() { Value = version } },
        };
}
