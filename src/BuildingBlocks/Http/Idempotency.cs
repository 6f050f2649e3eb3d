using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Http;

/// <summary>The first answer to a command sent with an <c>Idempotency-Key</c>, kept so a retry gets it again.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Hash of organisation, method, path and key: a key is scoped to the organisation and the address.</summary>
    public string Id { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public int? Status { get; set; }
    public string? Body { get; set; }
    public string? ETag { get; set; }
    public string? Location { get; set; }
}

/// <summary>
/// Configuration section <c>Idempotency</c>. <see cref="FingerprintKey"/> (base64, at least 32 bytes) keys the HMAC of
/// the stored key ids and request fingerprints: a request can carry personal data, and an unkeyed hash of it could be
/// confirmed by guessing. Keep it in the secret store, apart from the database.
/// </summary>
public sealed class IdempotencyOptions
{
    public string? FingerprintKey { get; set; }

    /// <summary>The key's bytes, or <c>null</c> when missing or shorter than 32 bytes.</summary>
    public byte[]? KeyBytes() => Referral.BuildingBlocks.Security.Secrets.Base64Key(FingerprintKey, minBytes: 32);
}

/// <summary>Endpoint metadata: this command honours <c>Idempotency-Key</c> (documented in OpenAPI by the host).</summary>
public sealed class IdempotentCommandMetadata
{
    public static readonly IdempotentCommandMetadata Instance = new();
}

/// <summary>
/// <c>Idempotency-Key</c>: a retried command returns the first answer and appends nothing. The key is claimed in the
/// same transaction as the command's events (the request's Marten session), so a command and its key commit together
/// or not at all; a concurrent duplicate loses the insert and is answered with the first result. Reusing a key for a
/// different request is refused (422).
/// </summary>
public sealed partial class IdempotencyFilter(IDocumentSession session, ICurrentActor current, TimeProvider clock,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, IOptions<IdempotencyOptions> options) : IEndpointFilter
{
    private readonly byte[] _key = options.Value.KeyBytes() ?? throw new InvalidOperationException("Idempotency:FingerprintKey must be set (base64, at least 32 bytes).");

    public const string Header = "Idempotency-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (!KeyPattern().IsMatch(key))
        {
            throw new BadHttpRequestException("Idempotency-Key must be 8–100 letters, digits, '-', '_' or '.' (a UUID is ideal).");
        }

        var id = Hash($"{current.Actor.OrgId}\n{http.Request.Method}\n{http.Request.Path}\n{key}");
        var fingerprint = Hash(JsonSerializer.Serialize(context.Arguments.Where(a => a is not HttpContext and not CancellationToken && a?.GetType().Namespace?.StartsWith("Microsoft", StringComparison.Ordinal) != true), json.Value.SerializerOptions));
        if (await FindAsync(id, http.RequestAborted) is { } earlier)
        {
            return Replay(earlier, fingerprint);
        }

        session.Insert(new IdempotencyRecord { Id = id, Fingerprint = fingerprint, CreatedAt = clock.GetUtcNow() });
        object? result;
        try
        {
            result = await next(context);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            // A concurrent request with the same key committed first.
            return Replay(await FindAsync(id, http.RequestAborted) ?? throw new ConflictingRetryException(), fingerprint);
        }

        try
        {
            await KeepAnswerAsync(id, fingerprint, result, http);
        }
        catch (Npgsql.NpgsqlException)
        {
            // The command is recorded; only its answer could not be kept (the store failed just after). Answer it anyway:
            // a retry with this key will then say it was recorded, and nothing is recorded twice.
        }

        return result;
    }

    private async Task<IdempotencyRecord?> FindAsync(string id, CancellationToken ct)
    {
        await using var query = session.DocumentStore.QuerySession();
        return await query.LoadAsync<IdempotencyRecord>(id, ct);
    }

    private string Hash(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));

    private static ReplayedResult Replay(IdempotencyRecord earlier, string fingerprint)
    {
        if (earlier.Fingerprint != fingerprint)
        {
            throw new IdempotencyKeyReusedException();
        }

        if (earlier.Status is not { } status)
        {
            throw new ConflictingRetryException();
        }

        return new ReplayedResult(status, earlier.Body, earlier.ETag, earlier.Location);
    }

    private async Task KeepAnswerAsync(string id, string fingerprint, object? result, HttpContext http)
    {
        var record = new IdempotencyRecord { Id = id, Fingerprint = fingerprint, CreatedAt = clock.GetUtcNow() };
        record.Status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (result is IValueHttpResult { Value: { } value })
        {
            record.Body = JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions);
        }

        record.ETag = http.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null;
        record.Location = result?.GetType().GetProperty("Location")?.GetValue(result) as string;
        await using var write = session.DocumentStore.LightweightSession();
        write.Store(record);
        await write.SaveChangesAsync(http.RequestAborted);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{8,100}$")]
    private static partial Regex KeyPattern();

    /// <summary>Writes the kept answer again.</summary>
    private sealed class ReplayedResult(int status, string? body, string? etag, string? location) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.Headers["Idempotent-Replayed"] = "true";
            if (etag is not null)
            {
                response.Headers.ETag = etag;
            }

            if (location is not null)
            {
                response.Headers.Location = location;
            }

            if (body is not null)
            {
                response.ContentType = "application/json; charset=utf-8";
                await response.WriteAsync(body);
            }
        }
    }
}

/// <summary>The key was used before for a different request (answered 422).</summary>
public sealed class IdempotencyKeyReusedException()
    : Exception("This Idempotency-Key was already used for a different request; use a new key for a new request.");

/// <summary>A request with the same key is still being processed, or its answer was not kept (answered 409).</summary>
public sealed class ConflictingRetryException()
    : Exception("A request with this Idempotency-Key was recorded (or is still in progress), but its answer was not kept: read the case to see it; " +
        "do not send it again under a new key, or it would be recorded twice.");

public static class IdempotencyExtensions
{
    /// <summary>Marks an endpoint as a command honouring <c>Idempotency-Key</c>.</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<RouteHandlerBuilder, IdempotencyFilter>().WithMetadata(IdempotentCommandMetadata.Instance);
}
