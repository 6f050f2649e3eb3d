namespace Referral.Host.Infrastructure;

/// <summary>
/// Browsers may read answers only from the caseworker front ends named under <c>Cors:AllowedOrigins</c> (none by default):
/// for any other origin no <c>Access-Control-Allow-Origin</c> is sent, so a page elsewhere cannot read case data with a
/// user's token. Server-to-server callers are not affected.
/// </summary>
public static class CrossOrigin
{
    public const string AllowOriginHeader = "Access-Control-Allow-Origin";

    public static IServiceCollection AddReferralCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        services.AddCors(o => o.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "If-Match", "Idempotency-Key",
                Referral.BuildingBlocks.Security.ReferralClaims.LegalBasisHeader, Referral.BuildingBlocks.Security.ReferralClaims.PurposeHeader, Correlation.Header)
            .WithExposedHeaders("ETag", "Location", "Retry-After", Correlation.Header,
                RateLimitHeaders.Limit, RateLimitHeaders.Remaining, RateLimitHeaders.Reset)));
        return services;
    }
}
