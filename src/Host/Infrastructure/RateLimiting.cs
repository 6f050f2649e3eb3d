using System.Globalization;
using System.Threading.RateLimiting;
using Referral.BuildingBlocks.Errors;

namespace Referral.Host.Infrastructure;

/// <summary>
/// Protects the service from one runaway client: a token bucket per organisation (per address when anonymous),
/// configurable under <c>RateLimiting</c>. Refusals are 429 problems with <c>Retry-After</c>; every answer says the
/// caller's budget in <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c>.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddReferralRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permitsPerSecond = configuration.GetValue("RateLimiting:PermitsPerSecond", 50);
        var burst = configuration.GetValue("RateLimiting:Burst", 200);
        // The bucket refills once a period with the period's permits (1 s by default; a test sets hours, so no refill races it).
        var periodSeconds = Math.Max(1, configuration.GetValue("RateLimiting:ReplenishmentSeconds", 1));
        var perPeriod = permitsPerSecond * periodSeconds;
        var limiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            RateLimitPartition.GetTokenBucketLimiter(Caller(http), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = TimeSpan.FromSeconds(periodSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        services.AddSingleton(new CallerBudget(limiter, burst, perPeriod, periodSeconds));
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = limiter;
            options.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited,
                    "Too many requests", "This caller sent too many requests; retry after the number of seconds in Retry-After.");
            };
        });
        return services;
    }

    /// <summary>Before the limiter: the budget headers are written when the answer starts, after the request took its permit.</summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app)
    {
        var budget = app.ApplicationServices.GetRequiredService<CallerBudget>();
        return app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                budget.WriteHeaders(http);
                return Task.CompletedTask;
            });
            return next(http);
        });
    }

    private static string Caller(HttpContext http) =>
        HttpCurrentActor.TryRead(http.User) is { } actor
            ? "org\n" + actor.OrgId
            : "anonymous\n" + http.Connection.RemoteIpAddress;
}

/// <summary>The token bucket of each caller, read for the rate-limit headers.</summary>
public sealed class CallerBudget(PartitionedRateLimiter<HttpContext> limiter, int burst, int perPeriod, int periodSeconds)
{
    public void WriteHeaders(HttpContext http)
    {
        var remaining = (int)Math.Clamp(limiter.GetStatistics(http)?.CurrentAvailablePermits ?? burst, 0, burst);
        var headers = http.Response.Headers;
        headers[RateLimitHeaders.Limit] = burst.ToString(CultureInfo.InvariantCulture);
        headers[RateLimitHeaders.Remaining] = remaining.ToString(CultureInfo.InvariantCulture);
        // Seconds until the bucket is full again: the periods needed for the missing permits.
        headers[RateLimitHeaders.Reset] = ((burst - remaining + perPeriod - 1) / perPeriod * periodSeconds).ToString(CultureInfo.InvariantCulture);
    }
}
