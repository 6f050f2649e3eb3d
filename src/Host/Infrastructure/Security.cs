using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Host.Infrastructure;

/// <summary>The actor of the current HTTP request, read from the bearer token's claims.</summary>
public sealed class HttpCurrentActor(IHttpContextAccessor http) : ICurrentActor
{
    public Actor Actor =>
        TryRead(http.HttpContext?.User) ?? throw new ForbiddenException(
            "The token must carry the claims sub, org_id and org_type (one of the organisation types of this API).");

    /// <summary>The actor in <paramref name="user"/>, or <c>null</c> when a claim is missing or invalid.</summary>
    public static Actor? TryRead(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var sub = user.FindFirst(ReferralClaims.Subject)?.Value;
        var orgId = user.FindFirst(ReferralClaims.OrgId)?.Value;
        var orgTypeText = user.FindFirst(ReferralClaims.OrgType)?.Value;
        return !string.IsNullOrWhiteSpace(sub)
            && !string.IsNullOrWhiteSpace(orgId)
            && Enum.TryParse<OrgType>(orgTypeText, ignoreCase: false, out var orgType)
            && Enum.IsDefined(orgType)
            && !int.TryParse(orgTypeText, out _)
                ? new Actor(sub, orgId, orgType, user.FindFirst(ReferralClaims.Municipality)?.Value)
                : null;
    }
}

/// <summary>JwtBearer authentication; every endpoint requires a token with sub, org_id and a known org_type unless it opts out.</summary>
public static class SecurityExtensions
{
    public static IServiceCollection AddReferralSecurity(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentActor, HttpCurrentActor>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.Events = new JwtBearerEvents
                {
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        await ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated,
                            "Authentication required",
                            "Send a valid bearer token (Authorization: Bearer <token>) with the claims sub, org_id and org_type.");
                    },
                    OnForbidden = context => ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ProblemTypes.Forbidden,
                        "Forbidden", "The token does not allow this request."),
                };
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => HttpCurrentActor.TryRead(context.User) is not null)
                .Build());
        return services;
    }
}
