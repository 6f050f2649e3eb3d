using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Audit;

/// <summary>
/// Settings of the signed checkpoints (configuration section <c>Audit:Checkpoints</c>). The signing key is held outside
/// the database, by the same rule as the person records' key-encryption key: from the secret store, never the database.
/// </summary>
public sealed class CheckpointOptions
{
    /// <summary>
    /// Base64 of the DER of an ECDSA P-256 private key, PKCS#8 (or SEC1): e.g.
    /// <c>openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0</c>.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Whether this instance makes a checkpoint every <see cref="Interval"/> (safe on several nodes).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a checkpoint is made (when anything changed since the last one).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A folder outside the operator's control (the auditors' own store) that receives every checkpoint as <c>checkpoint-N.json</c>.</summary>
    public string? WitnessDirectory { get; set; }

    /// <summary>A receiver outside the operator's control that every checkpoint is POSTed to (JSON); a 2xx answer witnesses it.</summary>
    public string? WitnessUrl { get; set; }

    public ECDsa? Key()
    {
        if (Secrets.Base64Key(SigningKey, minBytes: 32) is not { } der)
        {
            return null;
        }

        try
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportPkcs8PrivateKey(der, out _);
            }
            catch (CryptographicException)
            {
                key.ImportECPrivateKey(der, out _);
            }

            if (key.KeySize != 256)
            {
                key.Dispose();
                return null;
            }

            return key;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>
/// A signed tree head of the checkpoint log: the log's size (leaves), its Merkle root, when, and the signature of the
/// checkpoint key over exactly <see cref="Message"/>. Publish or witness it: no later rewrite can match it.
/// </summary>
/// <param name="Number">The checkpoint's number (1, 2, …).</param>
/// <param name="TreeSize">How many leaves (stream heads) the log held.</param>
/// <param name="RootHash">The Merkle root (RFC 9162), hex.</param>
/// <param name="Timestamp">When it was signed (whole milliseconds, UTC).</param>
/// <param name="KeyId">The signing key's id: the first 16 hex digits of SHA-256 of its public key (SubjectPublicKeyInfo).</param>
/// <param name="Signature">ECDSA P-256 with SHA-256 over <see cref="Message"/>, DER, base64.</param>
/// <param name="WitnessedAt">When a witness outside the operator's control received it (null until then).</param>
public sealed record SignedCheckpoint(long Number, long TreeSize, string RootHash, DateTimeOffset Timestamp, string KeyId, string Signature, DateTimeOffset? WitnessedAt = null)
{
    /// <summary>The signed bytes: a versioned text of number, size, root and time.</summary>
    public static byte[] Message(long number, long treeSize, string rootHash, DateTimeOffset timestamp) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"referral-checkpoint/v1\n{number}\n{treeSize}\n{rootHash}\n{timestamp.ToUnixTimeMilliseconds()}\n"));

    /// <summary>Whether the signature verifies with <paramref name="publicKeyPem"/> and the key id is that key's.</summary>
    public bool VerifiesWith(string publicKeyPem)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(publicKeyPem);
            return KeyId == CheckpointSigner.KeyIdOf(key)
                && key.VerifyData(Message(Number, TreeSize, RootHash, Timestamp), Convert.FromBase64String(Signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The same signed content (the witness time aside).</summary>
    public bool SameAs(SignedCheckpoint other) =>
        Number == other.Number && TreeSize == other.TreeSize && RootHash == other.RootHash && Timestamp == other.Timestamp && KeyId == other.KeyId && Signature == other.Signature;
}

/// <summary>The proof that a stream's head is a leaf of a checkpoint's tree.</summary>
/// <param name="Checkpoint">The checkpoint the proof is for.</param>
/// <param name="LeafIndex">The leaf's position in the log.</param>
/// <param name="Version">The stream version the leaf records.</param>
/// <param name="Head">The stream's chain link at that version.</param>
/// <param name="Path">The audit path (hex hashes), leaf to root.</param>
public sealed record InclusionProof(long Checkpoint, long LeafIndex, long Version, string Head, IReadOnlyList<string> Path);

/// <summary>The proof that checkpoint <c>From</c>'s tree is a prefix of checkpoint <c>To</c>'s: nothing recorded then changed since.</summary>
/// <param name="From">The earlier checkpoint.</param>
/// <param name="To">The later checkpoint.</param>
/// <param name="Proof">The consistency proof (hex hashes).</param>
public sealed record CheckpointConsistency(SignedCheckpoint From, SignedCheckpoint To, IReadOnlyList<string> Proof)
{
    /// <summary>Both signatures verify with the key and the proof holds (RFC 9162 §2.1.4.2); the reason when not.</summary>
    public (bool Consistent, string Message) Verify(string publicKeyPem)
    {
        if (!From.VerifiesWith(publicKeyPem) || !To.VerifiesWith(publicKeyPem))
        {
            return (false, $"checkpoint {(From.VerifiesWith(publicKeyPem) ? To.Number : From.Number)} is not signed by this key.");
        }

        if (From.Number > To.Number || From.TreeSize > To.TreeSize)
        {
            return (false, $"checkpoint {From.Number} is not older than checkpoint {To.Number}.");
        }

        return Merkle.VerifyConsistency(From.TreeSize, To.TreeSize, Convert.FromHexString(From.RootHash), Convert.FromHexString(To.RootHash), [.. Proof.Select(Convert.FromHexString)])
            ? (true, $"consistent: checkpoint {From.Number} ({From.TreeSize} leaves) is a prefix of checkpoint {To.Number} ({To.TreeSize} leaves)")
            : (false, $"inconsistent: checkpoint {To.Number} does not extend checkpoint {From.Number} — the log was rewritten between them.");
    }
}

/// <summary>Signs checkpoints with the configured key (held outside the database).</summary>
public sealed class CheckpointSigner : IDisposable
{
    private readonly ECDsa _key;

    public CheckpointSigner(CheckpointOptions options)
    {
        _key = options.Key() ?? throw new InvalidOperationException("Audit:Checkpoints:SigningKey must be set: base64 of a PKCS#8 ECDSA P-256 private key, from the secret store (never the database).");
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
        KeyId = KeyIdOf(_key);
    }

    /// <summary>The public key (SubjectPublicKeyInfo, PEM), published at the well-known address.</summary>
    public string PublicKeyPem { get; }

    public string KeyId { get; }

    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    public SignedCheckpoint Sign(long number, long treeSize, string rootHash, DateTimeOffset timestamp)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(timestamp.ToUnixTimeMilliseconds());
        var signature = _key.SignData(SignedCheckpoint.Message(number, treeSize, rootHash, at), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new SignedCheckpoint(number, treeSize, rootHash, at, KeyId, Convert.ToBase64String(signature));
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>
/// The checkpoint log (Certificate Transparency's idea, RFC 9162, applied to case histories): an append-only list of
/// leaves — (stream, version, chain head) for every stream whose head moved since the last checkpoint — and the signed
/// tree heads over it. A stream rewritten after a checkpoint no longer matches the head the checkpoint signed, and the
/// log itself cannot be rewritten without breaking the consistency of every later checkpoint with the earlier ones.
/// </summary>
public sealed class CheckpointLog(IDocumentStore store, CheckpointSigner signer, TimeProvider clock)
{
    /// <summary>The advisory lock that makes one node at a time build a checkpoint ("REFCHKPT").</summary>
    private const long LockKey = 0x524546434B50544C;

    private string Schema => store.Options.Events.DatabaseSchemaName;

    /// <summary>The guard a new checkpoint must meet: the log still gives the latest signed root.</summary>
    public static string LogMatchesLatest(long number) =>
        $"the checkpoint log still gives checkpoint {number}'s signed root (its leaves were not altered since); investigate the rewrite before signing again";

    /// <summary>The log's tables (idempotent).</summary>
    public static string InstallSql(string schema) => $$"""
        create table if not exists {{schema}}.audit_log_leaves (
            idx bigint primary key, stream_id uuid not null, version bigint not null, head text not null, hash bytea not null);
        create index if not exists audit_log_leaves_stream on {{schema}}.audit_log_leaves (stream_id, idx);
        create table if not exists {{schema}}.audit_log_heads (stream_id uuid primary key, version bigint not null);
        create table if not exists {{schema}}.audit_checkpoints (
            n bigint primary key, tree_size bigint not null, root_hash text not null, signed_at timestamptz not null,
            key_id text not null, signature text not null, witnessed_at timestamptz);
        """;

    /// <summary>The leaf's data: stream id, version and chain head.</summary>
    public static byte[] LeafData(Guid streamId, long version, string head) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{streamId}|{version}|{head}"));

    /// <summary>
    /// Appends the heads that moved since the last checkpoint and signs the new tree head, under an advisory lock (one node
    /// at a time). With nothing new, answers the latest checkpoint (none is made) unless there is none yet.
    /// </summary>
    public async Task<SignedCheckpoint> CreateAsync(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, tx, "select pg_advisory_xact_lock($1)", ct, LockKey);

        var latest = await LatestAsync(connection, tx, ct);
        var moved = new List<(Guid Stream, long Version, string Head)>();
        await using (var command = new NpgsqlCommand($"""
            select s.id, s.version, c.link from {Schema}.mt_streams s
            join {Schema}.audit_chain c on c.stream_id = s.id and c.version = s.version
            left join {Schema}.audit_log_heads h on h.stream_id = s.id
            where h.version is null or h.version < s.version
            order by s.id
            """, connection, tx))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                moved.Add((reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        if (moved.Count == 0 && latest is not null)
        {
            await tx.CommitAsync(ct);
            return latest;
        }

        var leaves = await LeafHashesAsync(connection, tx, long.MaxValue, ct);
        if (latest is not null && (leaves.Count < latest.TreeSize || Convert.ToHexStringLower(Merkle.Root(leaves.Take((int)latest.TreeSize).ToList())) != latest.RootHash))
        {
            // Never sign over a log that no longer gives the last signed root: that would hide the rewrite.
            throw new WorkflowViolationException("audit", "LogAltered", "CreateCheckpoint", [LogMatchesLatest(latest.Number)], []);
        }

        var size = leaves.Count;
        var added = moved.Select(m => Merkle.LeafHash(LeafData(m.Stream, m.Version, m.Head))).ToList();
        leaves.AddRange(added);
        await ExecuteAsync(connection, tx, $"""
            insert into {Schema}.audit_log_leaves (idx, stream_id, version, head, hash)
            select * from unnest($1::bigint[], $2::uuid[], $3::bigint[], $4::text[], $5::bytea[])
            """, ct, Enumerable.Range(0, moved.Count).Select(i => (long)size + i).ToArray(), moved.Select(m => m.Stream).ToArray(),
            moved.Select(m => m.Version).ToArray(), moved.Select(m => m.Head).ToArray(), added.ToArray());
        await ExecuteAsync(connection, tx, $"""
            insert into {Schema}.audit_log_heads (stream_id, version) select * from unnest($1::uuid[], $2::bigint[])
            on conflict (stream_id) do update set version = excluded.version
            """, ct, moved.Select(m => m.Stream).ToArray(), moved.Select(m => m.Version).ToArray());

        var checkpoint = signer.Sign((latest?.Number ?? 0) + 1, leaves.Count, Convert.ToHexStringLower(Merkle.Root(leaves)), clock.GetUtcNow());
        await ExecuteAsync(connection, tx, $"""
            insert into {Schema}.audit_checkpoints (n, tree_size, root_hash, signed_at, key_id, signature) values ($1, $2, $3, $4, $5, $6)
            """, ct, checkpoint.Number, checkpoint.TreeSize, checkpoint.RootHash, checkpoint.Timestamp, checkpoint.KeyId, checkpoint.Signature);
        await tx.CommitAsync(ct);
        return checkpoint;
    }

    /// <summary>Checkpoint <paramref name="number"/>, or the latest when null; null when there is none.</summary>
    public async Task<SignedCheckpoint?> GetAsync(long? number, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return number is { } n ? await ReadCheckpointAsync(connection, null, "where n = $1", ct, n) : await LatestAsync(connection, null, ct);
    }

    /// <summary>The proof that the stream's latest head recorded in checkpoint <paramref name="checkpoint"/> is in its tree; null when the stream has no leaf in it.</summary>
    public async Task<InclusionProof?> InclusionAsync(Guid streamId, SignedCheckpoint checkpoint, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select idx, version, head from {Schema}.audit_log_leaves where stream_id = $1 and idx < $2 order by idx desc limit 1
            """, connection);
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(checkpoint.TreeSize);
        long index, version;
        string head;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            (index, version, head) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
        }

        var leaves = await LeafHashesAsync(connection, null, checkpoint.TreeSize, ct);
        return new InclusionProof(checkpoint.Number, index, version, head, [.. Merkle.InclusionProof(leaves, index, checkpoint.TreeSize).Select(Convert.ToHexStringLower)]);
    }

    /// <summary>The consistency proof from checkpoint <paramref name="from"/> to <paramref name="to"/>, as the log holds them now.</summary>
    public async Task<CheckpointConsistency> ConsistencyAsync(SignedCheckpoint from, SignedCheckpoint to, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var leaves = await LeafHashesAsync(connection, null, to.TreeSize, ct);
        return new CheckpointConsistency(from, to, [.. Merkle.ConsistencyProof(leaves, Math.Min(from.TreeSize, leaves.Count), leaves.Count).Select(Convert.ToHexStringLower)]);
    }

    /// <summary>Records that a witness received checkpoint <paramref name="number"/>.</summary>
    public async Task MarkWitnessedAsync(long number, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, null, $"update {Schema}.audit_checkpoints set witnessed_at = $2 where n = $1 and witnessed_at is null", ct, number, at);
    }

    private Task<SignedCheckpoint?> LatestAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct) =>
        ReadCheckpointAsync(connection, tx, "order by n desc limit 1", ct);

    private async Task<SignedCheckpoint?> ReadCheckpointAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string where, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand($"""
            select n, tree_size, root_hash, signed_at, key_id, signature, witnessed_at from {Schema}.audit_checkpoints {where}
            """, connection, tx);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new SignedCheckpoint(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6))
            : null;
    }

    private async Task<List<byte[]>> LeafHashesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long below, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select hash from {Schema}.audit_log_leaves where idx < $1 order by idx", connection, tx);
        command.Parameters.AddWithValue(below);
        var hashes = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            hashes.Add((byte[])reader[0]);
        }

        return hashes;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// Pushes each checkpoint to witnesses outside the operator's control — a folder (the auditors' own store) and/or a
/// receiver — and records when one took it. Best effort: a failing witness never blocks a checkpoint; the next round
/// pushes again whatever was not witnessed.
/// </summary>
public sealed partial class CheckpointWitness(CheckpointOptions options, IHttpClientFactory http, CheckpointLog log, TimeProvider clock, ILogger<CheckpointWitness> logger)
{
    public const string Client = "checkpoint-witness";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public bool Configured => options.WitnessDirectory is not null || options.WitnessUrl is not null;

    /// <summary>Gives <paramref name="checkpoint"/> to every configured witness; true when all took it.</summary>
    public async Task<bool> PushAsync(SignedCheckpoint checkpoint, CancellationToken ct)
    {
        if (!Configured || checkpoint.WitnessedAt is not null)
        {
            return checkpoint.WitnessedAt is not null;
        }

        var content = checkpoint with { WitnessedAt = null };
        try
        {
            if (options.WitnessDirectory is { } folder)
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, $"checkpoint-{checkpoint.Number}.json"), JsonSerializer.Serialize(content, Json), ct);
            }

            if (options.WitnessUrl is { } url)
            {
                using var response = await http.CreateClient(Client).PostAsJsonAsync(url, content, Json, ct);
                if (!response.IsSuccessStatusCode)
                {
                    LogWitnessRefused(logger, checkpoint.Number, (int)response.StatusCode);
                    return false;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogWitnessFailed(logger, checkpoint.Number, e.GetType().Name);
            return false;
        }

        await log.MarkWitnessedAsync(checkpoint.Number, clock.GetUtcNow(), ct);
        return true;
    }

    /// <summary>Reads a witness's copy of checkpoint <paramref name="number"/> from its folder (null when it has none).</summary>
    public static SignedCheckpoint? Copy(string folder, long number)
    {
        var path = Path.Combine(folder, $"checkpoint-{number}.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<SignedCheckpoint>(File.ReadAllText(path), Json) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The witness refused checkpoint {Number} (HTTP {Status}); the next round pushes it again.")]
    private static partial void LogWitnessRefused(ILogger logger, long number, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint {Number} could not be given to the witness ({ExceptionType}); the next round pushes it again.")]
    private static partial void LogWitnessFailed(ILogger logger, long number, string exceptionType);
}

/// <summary>Makes a checkpoint every interval (when anything changed) and gives it to the witnesses; safe on several nodes.</summary>
public sealed partial class CheckpointService(CheckpointOptions options, CheckpointLog log, CheckpointWitness witness, TimeProvider clock, ILogger<CheckpointService> logger) : BackgroundService
{
    /// <summary>One round: a checkpoint (or the latest, when nothing changed), witnessed.</summary>
    public async Task<SignedCheckpoint> RunOnceAsync(CancellationToken ct)
    {
        var checkpoint = await log.CreateAsync(ct);
        if (checkpoint.WitnessedAt is null && await witness.PushAsync(checkpoint, ct))
        {
            return await log.GetAsync(checkpoint.Number, ct) ?? checkpoint;
        }

        return checkpoint;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (WorkflowViolationException)
            {
                LogLogAltered(logger);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The checkpoint log no longer gives the latest signed root: it was altered. No checkpoint is signed until this is investigated.")]
    private static partial void LogLogAltered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A checkpoint round failed ({ExceptionType}); the next round tries again.")]
    private static partial void LogRoundFailed(ILogger logger, string exceptionType);
}
