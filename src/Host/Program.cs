using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Features;
using Referral.BuildingBlocks.Behaviors;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Deadlines;
using Referral.BuildingBlocks.Errors;
using Referral.Host;
using Referral.Host.Cases;
using Referral.Host.Infrastructure;
using Referral.Modules.Audit;

// `audit verify FILE` and `audit verify-checkpoints FILE`: the auditors' offline verifier of an exported case history and of checkpoints; needs no database.
if (args is ["audit", "verify" or "verify-checkpoints", ..])
{
    return OfflineVerifier.Run(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;
builder.AddReferralObservability();

// Persistence: the configured PostgreSQL, or a private embedded one from the machine's server binaries.
var connectionString = configuration.GetConnectionString("Referral");
EmbeddedPostgres? embedded = null;
if (string.IsNullOrWhiteSpace(connectionString))
{
    embedded = EmbeddedPostgres.Start(
        configuration["Postgres:DataDirectory"] ?? EmbeddedPostgres.DefaultRootDirectory(),
        configuration["Postgres:BinDirectory"],
        Console.Out);
    connectionString = embedded.ConnectionString;
}

builder.Services.AddSingleton<TimeProvider>(new DatabaseClock(TimeProvider.System));
builder.Services.AddSingleton<StoreLogging>();
builder.Services.AddMarten(services => EventStore.Options(connectionString, configuration["Marten:Schema"], services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<StoreLogging>()))
    .UseLightweightSessions()
    .BuildSessionsWith<CaseSessionFactory>(ServiceLifetime.Scoped)
    .ApplyAllDatabaseChangesOnStartup();

// Commands and queries: need-to-know (participation), then authorization by organisation type, then validation, then the handler.
builder.Services.AddMediator(options =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(TracingBehavior<,>), typeof(NeedToKnowBehavior<,>), typeof(AuthorizationBehavior<,>), typeof(ValidationBehavior<,>)];
});

builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Scoped);
foreach (var module in Modules.All)
{
    module.AddServices(builder.Services, configuration);
}

// Deadlines (permit expiry, …) append their events on time, from every module's deadline sources.
builder.Services.AddSingleton<DeadlineService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadlineService>());

// HTTP contract: JSON with string enums and no unknown fields; problem details for every error; OpenAPI.
const long MaxBodyBytes = 256 * 1024;
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => ConfigureJson(o.JsonSerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOptions<Referral.BuildingBlocks.Http.IdempotencyOptions>()
    .Bind(builder.Configuration.GetSection("Idempotency"))
    .Validate(o => o.KeyBytes() is not null, "Idempotency:FingerprintKey must be set: base64 of at least 32 random bytes, from the secret store.")
    .ValidateOnStart();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemWriter.Customize);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddReferralSecurity();
builder.Services.AddReferralOpenApi();
builder.Services.AddReferralRateLimiting(configuration);
builder.Services.AddReferralCors(configuration);
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

try
{
    Run(builder);
}
finally
{
    embedded?.Dispose(); // stops the embedded server after shutdown, and also when start-up failed
}

return 0;

static void Run(WebApplicationBuilder builder)
{
    var app = builder.Build();

    app.UseRequestCompletionLog();
    app.UseExceptionHandler();
    // Framework-made errors (unknown route, wrong method) as problem details too, whatever the Accept header.
    app.UseStatusCodePages(context => ProblemWriter.WriteAsync(context.HttpContext, new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = context.HttpContext.Response.StatusCode }));
    app.UseCorrelationId();
    app.UseCors();
    app.Use((http, next) =>
    {
        // Security headers: answers are data, never to be sniffed, framed, cached or referred on.
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            headers.CacheControl = "no-store";
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        }

        return next(http);
    });
    app.Use(async (http, next) =>
    {
        // 413 for declared oversized bodies, on every server (TestServer has no Kestrel limit).
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            await ProblemWriter.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge,
                "Request too large", $"The request body exceeds {MaxBodyBytes} bytes.");
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        await next(http);
    });
    app.UseSwagger();
    app.UseSwaggerUI(o =>
    {
        o.RoutePrefix = "swagger";
        o.SwaggerEndpoint("/swagger/v1/swagger.json", "Referral API v1");
    });
    app.UseAuthentication();
    HttpCurrentActor.UseDisclosureHeaders(app);
    app.UseRateLimitHeaders();
    app.UseRateLimiter();
    app.UseAuthorization();
    app.UseRequestGuards();
    app.UseAccessLog();

    app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
    app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
    app.MapCaseHistory();
    foreach (var module in Modules.All)
    {
        module.MapEndpoints(app);
}

app.Run();
}

static void ConfigureJson(JsonSerializerOptions json)
{
    json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
    json.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
    json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    // ADR 0009: an answer never carries null — a property without a value is left out; its schema says it is optional.
    json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    json.Converters.Add(new NoControlCharactersConverter());
    json.TypeInfoResolver = (json.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
        .WithAddedModifier(RouteIdsNotInBody.Modify);
}

/// <summary>The host's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
