using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Tasks;

/// <summary>
/// Pushes each subscription's notifications from the outbox (the feed table), in order, signed per Standard Webhooks.
/// Safe on several API nodes: a subscription is delivered by whichever node holds its advisory lock, and its cursor
/// moves on right after each acknowledged (2xx) delivery, so nothing acknowledged is delivered again. A failing receiver
/// is retried with exponential backoff; after <see cref="WebhookOptions.MaxAttempts"/> the notification goes to the
/// subscription's dead-letter list (redelivered on request) and delivery goes on. Commands never wait for any of this.
/// </summary>
public sealed partial class WebhookDispatcher(
    IDocumentStore store,
    IServiceScopeFactory scopes,
    IHttpClientFactory http,
    WebhookOptions options,
    WebhookSigning signing,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string Client = "webhooks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private string Schema => store.Options.Events.DatabaseSchemaName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.PollSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRoundFailed(logger, e.GetType().Name);
            }
        }
    }

    /// <summary>One round over every due subscription; returns the notifications delivered.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var due = new List<Guid>();
        await using (var command = new NpgsqlCommand($"""
            select s.id from {Schema}.webhook_subscriptions s
            where s.active and (s.next_attempt_at is null or s.next_attempt_at <= $1
                or exists (select 1 from {Schema}.webhook_dead_letters d where d.subscription_id = s.id and d.redeliver))
            """, connection))
        {
            command.Parameters.AddWithValue(clock.GetUtcNow());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add(reader.GetGuid(0));
            }
        }

        var delivered = 0;
        foreach (var id in due)
        {
            if (!await ScalarAsync<bool>(connection, "select pg_try_advisory_lock(hashtextextended($1::text, 17))", ct, id.ToString()))
            {
                continue; // another node delivers this subscription now
            }

            try
            {
                delivered += await DeliverAsync(connection, id, ct);
            }
            finally
            {
                await ScalarAsync<bool>(connection, "select pg_advisory_unlock(hashtextextended($1::text, 17))", CancellationToken.None, id.ToString());
            }
        }

        return delivered;
    }

    private async Task<int> DeliverAsync(NpgsqlConnection connection, Guid id, CancellationToken ct)
    {
        Subscription s;
        await using (var command = new NpgsqlCommand($"""
            select org_id, org_type, url, cursor_tx::text, cursor_seq, attempts, active from {Schema}.webhook_subscriptions where id = $1
            """, connection))
        {
            command.Parameters.AddWithValue(id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || !reader.GetBoolean(6))
            {
                return 0;
            }

            s = new Subscription(id, new Actor("webhook", reader.GetString(0), Enum.Parse<OrgType>(reader.GetString(1)), null), reader.GetString(2),
                new FeedCursor(ulong.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(4)), reader.GetInt32(5));
        }

        var delivered = await RedeliverAsync(connection, s, ct);
        var rows = await FeedRowsAsync(connection, FeedRow.After + " limit 200", ct, s.Cursor.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Cursor.Sequence);
        var readable = await ReadableAsync(rows, s.Actor, ct);
        var cursor = s.Cursor;
        var attempts = s.Attempts;
        foreach (var row in rows)
        {
            if (!row.IsFor(s.Actor, readable))
            {
                cursor = row.Cursor;
                continue;
            }

            var error = await SendAsync(s, row, ct);
            if (error is null)
            {
                cursor = row.Cursor;
                attempts = 0;
                delivered++;
                await SaveAsync(connection, s.Id, cursor, 0, null, null, ct);
                continue;
            }

            attempts++;
            if (attempts < options.MaxAttempts)
            {
                var retryAt = clock.GetUtcNow() + options.FirstRetryAfter * Math.Pow(2, attempts - 1);
                await SaveAsync(connection, s.Id, cursor, attempts, retryAt, error, ct);
                return delivered;
            }

            await ExecuteAsync(connection, $"""
                insert into {Schema}.webhook_dead_letters (subscription_id, tx, seq, attempts, failed_at, last_error)
                values ($1, $2::text::xid8, $3, $4, $5, $6) on conflict do nothing
                """, ct, s.Id, row.Cursor.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Cursor.Sequence, attempts, clock.GetUtcNow(), error);
            cursor = row.Cursor;
            attempts = 0;
            await SaveAsync(connection, s.Id, cursor, 0, null, error, ct);
        }

        await SaveAsync(connection, s.Id, cursor, attempts, null, null, ct);
        return delivered;
    }

    private async Task<int> RedeliverAsync(NpgsqlConnection connection, Subscription s, CancellationToken ct)
    {
        var rows = await FeedRowsAsync(connection, $"""
            join {Schema}.webhook_dead_letters d on d.tx = f.tx and d.seq = f.seq where d.subscription_id = $1 and d.redeliver order by f.tx, f.seq
            """, ct, s.Id);
        var delivered = 0;
        foreach (var row in rows)
        {
            var error = await SendAsync(s, row, ct);
            var tx = row.Cursor.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (error is null)
            {
                delivered++;
                await ExecuteAsync(connection, $"delete from {Schema}.webhook_dead_letters where subscription_id = $1 and tx = $2::text::xid8 and seq = $3", ct, s.Id, tx, row.Cursor.Sequence);
            }
            else
            {
                await ExecuteAsync(connection, $"""
                    update {Schema}.webhook_dead_letters set redeliver = false, attempts = attempts + 1, failed_at = $4, last_error = $5
                    where subscription_id = $1 and tx = $2::text::xid8 and seq = $3
                    """, ct, s.Id, tx, row.Cursor.Sequence, clock.GetUtcNow(), error);
            }
        }

        return delivered;
    }

    /// <summary>Posts one notification; returns null when the receiver acknowledged (2xx), else why not (never a body).</summary>
    private async Task<string?> SendAsync(Subscription s, FeedRow row, CancellationToken ct)
    {
        var notification = row.ToNotification();
        var type = row.Kind switch { NotificationKind.CaseEvent => "case.event", NotificationKind.TaskRaised => "task.raised", _ => "task.closed" };
        var body = JsonSerializer.Serialize(new { type, timestamp = row.At, data = notification }, Json);
        var messageId = "msg_" + notification.Cursor;
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, s.Url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigning.Sign(signing.SecretFor(s.Id), messageId, timestamp, body));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Timeout);
            using var response = await http.CreateClient(Client).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return e is TaskCanceledException ? "timed out" : "connection failed";
        }
    }

    private async Task<IReadOnlySet<Guid>> ReadableAsync(IReadOnlyList<FeedRow> rows, Actor actor, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var session = store.QuerySession();
        return await scope.ServiceProvider.GetRequiredService<ICaseAccess>().ReadableAsync(session, rows.Select(r => r.CaseId).Distinct().ToList(), actor, ct);
    }

    private async Task<IReadOnlyList<FeedRow>> FeedRowsAsync(NpgsqlConnection connection, string where, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand($"""
            select {FeedRow.Columns} from {Schema}.feed f {where}
            """, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        var rows = new List<FeedRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(FeedRow.Read(reader));
        }

        return rows;
    }

    private async Task SaveAsync(NpgsqlConnection connection, Guid id, FeedCursor cursor, int attempts, DateTimeOffset? next, string? error, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            update {Schema}.webhook_subscriptions set cursor_tx = $2::text::xid8, cursor_seq = $3, attempts = $4, next_attempt_at = $5, last_error = $6 where id = $1
            """, connection);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(cursor.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue(cursor.Sequence);
        command.Parameters.AddWithValue(attempts);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)next ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Connects only to public addresses unless private ones are allowed (no DNS rebinding past the subscription check).</summary>
    public static SocketsHttpHandler Handler(WebhookOptions options) => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = options.AllowPrivateAddresses == true ? null : async (context, ct) =>
        {
            var addresses = (await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct)).Where(a => !WebhookAddress.IsPrivate(a)).ToArray();
            if (addresses.Length == 0)
            {
                throw new HttpRequestException("The receiver does not resolve to a public address.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook delivery round failed ({ExceptionType}); the next round retries.")]
    private static partial void LogRoundFailed(ILogger logger, string exceptionType);

    private sealed record Subscription(Guid Id, Actor Actor, string Url, FeedCursor Cursor, int Attempts);
}

/// <summary>One row of the outbox. <c>CaseId</c> is the stream: a claim's when <c>OnClaim</c>.</summary>
public sealed record FeedRow(FeedCursor Cursor, NotificationKind Kind, Guid CaseId, bool OnClaim, long? Version, string? EventType, Guid? TaskId, string? TaskKind, string? Addressee, DateTimeOffset At)
{
    /// <summary>The columns <see cref="Read"/> reads, in its order, from the feed aliased <c>f</c>.</summary>
    public const string Columns = "f.tx::text, f.seq, f.kind, f.case_id, f.on_claim, f.version, f.event_type, f.task_id, f.task_kind, f.addressee, f.at";

    /// <summary>
    /// The rows after a cursor ($1 transaction as text, $2 sequence) that every reader may hand out: only finished
    /// transactions (below the snapshot's xmin), in (transaction, sequence) order.
    /// </summary>
    public const string After = "where (f.tx, f.seq) > ($1::text::xid8, $2) and f.tx < pg_snapshot_xmin(pg_current_snapshot()) order by f.tx, f.seq";

    public static FeedRow Read(NpgsqlDataReader r) => new(
        new FeedCursor(ulong.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture), r.GetInt64(1)),
        Enum.Parse<NotificationKind>(r.GetString(2)), r.GetGuid(3), r.GetBoolean(4), r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetGuid(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetFieldValue<DateTimeOffset>(10));

    /// <summary>
    /// Need-to-know, for the feed and the webhooks alike: events of the cases <paramref name="actor"/> may read (investigation
    /// and claim streams are not cases and never pass) and, of their tasks, only its own; of a claim's tasks, only those
    /// addressed to it by id (the claimant).
    /// </summary>
    public bool IsFor(Actor actor, IReadOnlySet<Guid> readable) => OnClaim
        ? Kind != NotificationKind.CaseEvent && Addressee == TasksState.OrgKey(actor.OrgId)
        : readable.Contains(CaseId) && (Kind == NotificationKind.CaseEvent || Addressee == TasksState.OrgKey(actor.OrgId) || Addressee == TasksState.TypeKey(actor.OrgType));

    public Notification ToNotification() => new(Cursor.ToString(), Kind, OnClaim ? null : CaseId, OnClaim ? CaseId : null, Version, EventType, TaskId,
        Enum.TryParse<WorkTaskKind>(TaskKind, out var kind) ? kind : null, At);
}
