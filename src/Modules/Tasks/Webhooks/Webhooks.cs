using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Tasks;

/// <summary>Settings of webhook delivery (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Whether this instance runs the dispatcher (several instances may: a subscription is delivered by one at a time).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for notifications to deliver.</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>Attempts of one notification before it goes to the subscription's dead-letter list.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Backoff after the first failure; doubled after each further one.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed to a receiver to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Loopback and private addresses (and plain http) as receivers: true in Development only by default. Elsewhere a
    /// receiver must be https on a public address, checked when subscribing and again on every connection.
    /// </summary>
    public bool? AllowPrivateAddresses { get; set; }

    public static WebhookOptions From(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection("Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
        options.AllowPrivateAddresses ??= environment.IsDevelopment();
        return options;
    }
}

/// <summary>
/// Subscribe the caller's organisation to its notifications (events of the cases it takes part in, its tasks raised and
/// closed), pushed to <paramref name="Url"/> and signed per Standard Webhooks. The answer carries the signing secret, once.
/// </summary>
/// <param name="Url">The receiver: https on a public address (http and loopback only in Development); no credentials in it.</param>
[AnyOrganisation]
public sealed record SubscribeWebhook([property: Required] string? Url) : ICommand<WebhookCreated>;

/// <summary>A new subscription and its signing secret (shown only here; keep it in the receiver's secret store).</summary>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Url">The receiver.</param>
/// <param name="Secret">The Standard Webhooks signing secret (<c>whsec_…</c>).</param>
/// <param name="CreatedAt">When it was created; notifications from then on are delivered.</param>
public sealed record WebhookCreated(Guid SubscriptionId, string Url, string Secret, DateTimeOffset CreatedAt);

/// <summary>End a subscription of the caller's organisation; nothing more is delivered to it.</summary>
[AnyOrganisation]
public sealed record CancelWebhook : ICommand<WebhookView>
{
    /// <summary>From the route.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid SubscriptionId { get; init; }
}

/// <summary>Deliver the subscription's dead letters again on the dispatcher's next round.</summary>
[AnyOrganisation]
public sealed record RedeliverWebhookDeadLetters : ICommand<WebhookView>
{
    /// <summary>From the route.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid SubscriptionId { get; init; }
}

/// <summary>One subscription of the caller's organisation.</summary>
[AnyOrganisation]
public sealed record GetWebhook(Guid SubscriptionId) : IQuery<WebhookView>;

/// <summary>The caller's organisation's subscriptions.</summary>
[AnyOrganisation]
public sealed record ListWebhooks : IQuery<IReadOnlyList<WebhookView>>;

/// <summary>A subscription and how its delivery stands. No secret.</summary>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Url">The receiver.</param>
/// <param name="Active">Still delivered to.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="FailedAttempts">Failed attempts of the notification now due (0 when delivery is healthy).</param>
/// <param name="NextAttemptAt">When the next attempt is due after a failure.</param>
/// <param name="LastError">The last failure (a status code or a connection error; never a body).</param>
/// <param name="DeadLetters">Notifications given up after the maximum attempts, waiting for a redelivery request.</param>
public sealed record WebhookView(Guid SubscriptionId, string Url, bool Active, DateTimeOffset CreatedAt, int FailedAttempts, DateTimeOffset? NextAttemptAt, string? LastError, int DeadLetters);

public sealed class SubscribeWebhookValidator : AbstractValidator<SubscribeWebhook>
{
    public SubscribeWebhookValidator(WebhookOptions options) =>
        RuleFor(x => x.Url).NotEmpty().MaximumLength(2000).CustomAsync(async (url, context, ct) =>
        {
            if (url is not null && await WebhookAddress.RefusalAsync(url, options.AllowPrivateAddresses == true, ct) is { } reason)
            {
                context.AddFailure(nameof(SubscribeWebhook.Url), reason);
            }
        });
}

/// <summary>Which receivers are allowed: checked when subscribing and on every connection (no DNS rebinding to a private address).</summary>
public static class WebhookAddress
{
    /// <summary>Why <paramref name="url"/> may not receive webhooks, or null when it may.</summary>
    public static async Task<string?> RefusalAsync(string url, bool allowPrivate, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "'Url' must be an absolute http(s) address.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "'Url' must not carry credentials; the signature authenticates the sender.";
        }

        if (allowPrivate)
        {
            return null;
        }

        if (uri.Scheme != "https")
        {
            return "'Url' must be https.";
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return "'Url' names a host that cannot be resolved.";
        }

        return addresses.Length == 0 || addresses.Any(IsPrivate) ? "'Url' must point to a public address (not loopback, private or link-local)." : null;
    }

    /// <summary>Loopback, private (RFC 1918, unique local), link-local, carrier-grade NAT or unspecified.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224;
    }
}

/// <summary>Standard Webhooks signing (webhook-id, webhook-timestamp, webhook-signature: v1, HMAC-SHA256).</summary>
public sealed class WebhookSigning(IConfiguration configuration)
{
    /// <summary>
    /// A subscription's secret, derived from the server key (<c>Webhooks:SigningKey</c>, else <c>Idempotency:FingerprintKey</c>
    /// with its own label) — so no secret is stored in the database.
    /// </summary>
    public string SecretFor(Guid subscriptionId)
    {
        var key = Convert.FromBase64String(configuration["Webhooks:SigningKey"] ?? configuration["Idempotency:FingerprintKey"]
            ?? throw new InvalidOperationException("Webhooks:SigningKey (or Idempotency:FingerprintKey) must be set."));
        return "whsec_" + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("referral-webhook-secret|" + subscriptionId.ToString("N"))));
    }

    /// <summary>The <c>webhook-signature</c> value for a message.</summary>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}

public sealed class WebhookHandlers(IDocumentStore store, ICurrentActor current, TimeProvider clock, WebhookSigning signing) :
    ICommandHandler<SubscribeWebhook, WebhookCreated>,
    ICommandHandler<CancelWebhook, WebhookView>,
    ICommandHandler<RedeliverWebhookDeadLetters, WebhookView>,
    IQueryHandler<ListWebhooks, IReadOnlyList<WebhookView>>,
    IQueryHandler<GetWebhook, WebhookView>
{
    private string Schema => store.Options.Events.DatabaseSchemaName;

    public async ValueTask<WebhookCreated> Handle(SubscribeWebhook command, CancellationToken ct)
    {
        var actor = current.Actor;
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        // From now on: the cursor starts below every transaction still running, so nothing committed later is missed.
        await ExecuteAsync($"""
            insert into {Schema}.webhook_subscriptions (id, org_id, org_type, url, created_at, cursor_tx, cursor_seq)
            values ($1, $2, $3, $4, $5, (pg_snapshot_xmin(pg_current_snapshot())::text::numeric - 1)::text::xid8, 9223372036854775807)
            """, ct, id, actor.OrgId, actor.OrgType.ToString(), command.Url!, now);
        return new WebhookCreated(id, command.Url!, signing.SecretFor(id), now);
    }

    public async ValueTask<WebhookView> Handle(CancelWebhook command, CancellationToken ct)
    {
        await ExecuteAsync($"update {Schema}.webhook_subscriptions set active = false where id = $1 and org_id = $2", ct, command.SubscriptionId, current.Actor.OrgId);
        return await OneAsync(command.SubscriptionId, ct);
    }

    public async ValueTask<WebhookView> Handle(RedeliverWebhookDeadLetters command, CancellationToken ct)
    {
        var view = await OneAsync(command.SubscriptionId, ct);
        await ExecuteAsync($"update {Schema}.webhook_dead_letters set redeliver = true where subscription_id = $1", ct, command.SubscriptionId);
        return view;
    }

    public async ValueTask<IReadOnlyList<WebhookView>> Handle(ListWebhooks query, CancellationToken ct) => await ReadAsync(null, ct);

    public async ValueTask<WebhookView> Handle(GetWebhook query, CancellationToken ct) => await OneAsync(query.SubscriptionId, ct);

    /// <summary>One subscription of the caller's organisation; another organisation's is 404, as an unknown one.</summary>
    private async Task<WebhookView> OneAsync(Guid id, CancellationToken ct) =>
        (await ReadAsync(id, ct)).SingleOrDefault() ?? throw new NotFoundException("The webhook subscription");

    private async Task<IReadOnlyList<WebhookView>> ReadAsync(Guid? id, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select s.id, s.url, s.active, s.created_at, s.attempts, s.next_attempt_at, s.last_error,
                   (select count(*) from {Schema}.webhook_dead_letters d where d.subscription_id = s.id)::int
            from {Schema}.webhook_subscriptions s where s.org_id = $1 and ($2::uuid is null or s.id = $2) order by s.created_at
            """, connection);
        command.Parameters.AddWithValue(current.Actor.OrgId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        var list = new List<WebhookView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new WebhookView(reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7)));
        }

        return list;
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params object[] values)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
