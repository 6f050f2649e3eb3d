using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Host.Infrastructure;

/// <summary>The actor of the current HTTP request, read from the bearer token's claims once per request (scoped).</summary>
public sealed class HttpCurrentActor(IHttpContextAccessor http) : ICurrentActor
{
    private Actor? _actor;

    public Actor Actor => _actor ??= Read();

    private Actor Read()
    {
        var actor = TryRead(http.HttpContext?.User) ?? throw new ForbiddenException(
            "The token must carry the claims sub, org_id and org_type (one of the organisation types of this API).");
        var disclosure = ReadDisclosure(http.HttpContext?.Request);
        return disclosure is null || disclosure.CanReach(actor.OrgType)
            ? actor with { Disclosure = disclosure }
            : throw new ForbiddenException($"The legal basis {disclosure.LegalBasis} does not allow disclosure to organisation type {actor.OrgType}.");
    }

    /// <summary>The stated legal basis and purpose of a disclosure (R15), or <c>null</c>; a malformed one is refused (400).</summary>
    public static Disclosure? ReadDisclosure(HttpRequest? request)
    {
        var basis = request?.Headers[ReferralClaims.LegalBasisHeader].ToString();
        if (string.IsNullOrEmpty(basis))
        {
            return null;
        }

        var purpose = request!.Headers[ReferralClaims.PurposeHeader].ToString().Trim();
        return Enum.TryParse<LegalBasis>(basis, ignoreCase: false, out var legalBasis) && Enum.IsDefined(legalBasis) && !int.TryParse(basis, out _)
            && purpose.Length is > 0 and <= 200 && !Referral.BuildingBlocks.Validation.Rules.LooksIdentifying(purpose)
            ? new Disclosure(legalBasis, purpose)
            : throw new BadHttpRequestException(
                $"{ReferralClaims.LegalBasisHeader} must be one of {string.Join(", ", Enum.GetNames<LegalBasis>())}, with {ReferralClaims.PurposeHeader} " +
                "stating the purpose in at most 200 characters and no identifying details.");
    }

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
