using System.Globalization;
using System.Threading.RateLimiting;
using Referral.BuildingBlocks.Errors;

namespace Referral.Host.Infrastructure;

/// <summary>
/// Protects the service from one runaway client: a token bucket per organisation (per address when anonymous),
/// configurable under <c>RateLimiting</c>. Refusals are 429 problems with <c>Retry-After</c>.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddReferralRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permitsPerSecond = configuration.GetValue("RateLimiting:PermitsPerSecond", 50);
        var burst = configuration.GetValue("RateLimiting:Burst", 200);
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(Caller(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = permitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
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

    private static string Caller(HttpContext http) =>
        HttpCurrentActor.TryRead(http.User) is { } actor
            ? "org\n" + actor.OrgId
            : "anonymous\n" + http.Connection.RemoteIpAddress;
}
