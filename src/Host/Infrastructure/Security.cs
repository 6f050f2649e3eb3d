using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
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
        // Whether the basis fits is decided where it is used: a read or a join (the caller's type), a referral (the receiver's).
        return actor with { Disclosure = ReadDisclosure(http.HttpContext?.Request) };
    }

    /// <summary>The stated legal basis and purpose of a disclosure (R15), or <c>null</c>; a malformed one is refused (400).</summary>
    public static Disclosure? ReadDisclosure(HttpRequest? request)
    {
        if (request is null || (!request.Headers.ContainsKey(ReferralClaims.LegalBasisHeader) && !request.Headers.ContainsKey(ReferralClaims.PurposeHeader)))
        {
            return null;
        }

        var basis = request.Headers[ReferralClaims.LegalBasisHeader];
        var purpose = request.Headers[ReferralClaims.PurposeHeader];
        var basisText = basis.Count == 1 ? basis[0]?.Trim() ?? "" : "";
        var purposeText = purpose.Count == 1 ? purpose[0]?.Trim() ?? "" : "";
        return Enum.TryParse<LegalBasis>(basisText, ignoreCase: false, out var legalBasis) && Enum.IsDefined(legalBasis) && !int.TryParse(basisText, out _)
            && Referral.BuildingBlocks.Validation.Rules.IsPurpose(purposeText)
            ? new Disclosure(legalBasis, purposeText)
            : throw new BadHttpRequestException(
                $"{ReferralClaims.LegalBasisHeader} must be exactly one of {string.Join(", ", Enum.GetNames<LegalBasis>())}, with {ReferralClaims.PurposeHeader} " +
                $"stating the purpose once, in 1–{Referral.BuildingBlocks.Validation.Rules.MaxPurposeLength} letters, digits, spaces and ordinary punctuation " +
                "and no identity numbers, e-mail addresses or phone numbers (e.g. 'investigation K-2026-123456').");
    }

    /// <summary>
    /// Refuses a request whose disclosure headers are malformed (empty, repeated, unknown basis, identifying purpose) with
    /// 400 before anything else runs, so no later component meets them.
    /// </summary>
    public static IApplicationBuilder UseDisclosureHeaders(IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            try
            {
                ReadDisclosure(http.Request);
            }
            catch (BadHttpRequestException e)
            {
                await ProblemWriter.WriteAsync(http, StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Malformed disclosure headers", e.Message);
                return;
            }

            await next(http);
        });

    /// <summary>
    /// The actor in <paramref name="user"/>, or <c>null</c> when a claim is missing, repeated or invalid: a token speaks
    /// for exactly one user, one organisation and one organisation type.
    /// </summary>
    public static Actor? TryRead(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        string? Single(string type) => user.FindAll(type).ToList() is [var one] ? one.Value : null;
        if (user.FindAll(ReferralClaims.Municipality).Count() > 1)
        {
            return null;
        }

        var sub = Single(ReferralClaims.Subject);
        var orgId = Single(ReferralClaims.OrgId);
        var orgTypeText = Single(ReferralClaims.OrgType);
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
    /// <summary>The largest clock difference tolerated between token issuer and API.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddReferralSecurity(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentActor, HttpCurrentActor>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                // At most 30 s of clock skew (the default, 5 minutes, would let expired tokens pass that long).
                options.TokenValidationParameters.ClockSkew = MaxClockSkew;
                options.Events = new JwtBearerEvents
                {
                    // A token must speak for exactly one user, organisation and organisation type: anything else is 401.
                    OnTokenValidated = context =>
                    {
                        if (HttpCurrentActor.TryRead(context.Principal) is null)
                        {
                            context.Fail("The token must carry exactly one sub, one org_id and one org_type of this API.");
                        }

                        return Task.CompletedTask;
                    },
                    // RFC 6750: the 401 says in WWW-Authenticate what is wrong with the token (never the token or a key).
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        var why = WhyRefused(context.AuthenticateFailure);
                        context.Response.Headers.WWWAuthenticate = why is null
                            ? "Bearer realm=\"referral\""
                            : $"Bearer realm=\"referral\", error=\"invalid_token\", error_description=\"{why}\"";
                        await ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated,
                            "Authentication required",
                            (why is null ? "" : why + " ") +
                            "Send a valid, unexpired bearer token (Authorization: Bearer <token>) with exactly one each of the claims sub, org_id and org_type.");
                    },
                    OnForbidden = context => ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ProblemTypes.Forbidden,
                        "Forbidden", "The token does not allow this request."),
                };
            });
        // The signing keys configured under Authentication:Schemes:Bearer are read when the API starts (as the README says).
        // ASP.NET's binding hands them over as a lazy sequence that reads the configuration and builds the keys again on
        // every token validation — measured at about a fifth of a read's CPU (docs/benchmarks.md): materialise it once.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var parameters = options.TokenValidationParameters;
            parameters.IssuerSigningKeys = parameters.IssuerSigningKeys?.ToList();
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => HttpCurrentActor.TryRead(context.User) is not null)
                .Build());
        return services;
    }

    /// <summary>Why a presented token was refused, in words safe to send back (RFC 6750 error_description); null when none was sent.</summary>
    public static string? WhyRefused(Exception? failure) => failure switch
    {
        null => null,
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The token's signature is not valid for this API (a development token minted while the API runs is accepted after a restart).",
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not trusted by this API.",
        SecurityTokenInvalidAudienceException => "The token was issued for another audience.",
        AuthenticationFailureException own => own.Message,
        _ => "The token is not valid for this API.",
    };

}
