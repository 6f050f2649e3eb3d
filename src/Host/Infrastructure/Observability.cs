using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Referral.BuildingBlocks;
using Referral.BuildingBlocks.Deadlines;

namespace Referral.Host.Infrastructure;

/// <summary>
/// Operations: OpenTelemetry traces and metrics (exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set;
/// nothing is collected otherwise), JSON console logs outside Development, one completion line per request, and the
/// deadline service in readiness. No personal data and no case ids leave the process: paths are reduced to their route
/// templates.
/// </summary>
public static partial class Observability
{
    public const string ServiceName = "referral-api";

    public static WebApplicationBuilder AddReferralObservability(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!builder.Environment.IsDevelopment() && configuration.GetValue("Logging:Json", true))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.IncludeScopes = false;
            });
        }

        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (otlp || configuration.GetValue("Telemetry:Enabled", false))
        {
            var telemetry = builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(ServiceName))
                .WithTracing(t => t
                    .AddSource(Telemetry.Name, "Marten")
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/swagger");
                        o.EnrichWithHttpRequest = (activity, _) => WithoutIds(activity);
                        o.EnrichWithHttpResponse = (activity, _) => WithoutIds(activity);
                    })
                    .AddHttpClientInstrumentation()
                    .AddNpgsql())
                .WithMetrics(m => m
                    .AddMeter(Telemetry.Name, "Marten")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation());
            if (otlp)
            {
                telemetry.UseOtlpExporter();
            }
        }

        builder.Services.AddHealthChecks().AddCheck<DeadlineServiceHealthCheck>("deadlines", tags: ["ready"]);
        return builder;
    }

    /// <summary>The path and query carry case ids: the span keeps the route template (<c>http.route</c>) instead.</summary>
    private static void WithoutIds(Activity activity)
    {
        activity.SetTag("url.path", null);
        activity.SetTag("url.query", null);
        activity.SetTag("url.full", null);
        if (activity.GetTagItem("http.route") is string route)
        {
            activity.DisplayName = $"{activity.GetTagItem("http.request.method")} {route}";
        }
    }

    /// <summary>
    /// One line per request when it completes — method, route template, status, duration, trace id, organisation type —
    /// and the command counter by step, command and outcome. No bodies, no ids, no personal data.
    /// </summary>
    public static IApplicationBuilder UseRequestCompletionLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Referral.Requests");
        return app.Use(async (http, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var endpoint = http.GetEndpoint(); // before the exception handler, which clears it when it answers an error
            try
            {
                await next(http);
            }
            finally
            {
                endpoint ??= http.GetEndpoint();
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText is { } raw ? (raw.Length > 1 ? raw.TrimEnd('/') : raw) : "(no route)";
                var status = http.Response.StatusCode;
                var orgType = HttpCurrentActor.TryRead(http.User)?.OrgType.ToString() ?? "anonymous";
                LogCompleted(logger, http.Request.Method, route, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier, orgType);
                if (!HttpMethods.IsGet(http.Request.Method) && endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } command)
                {
                    Telemetry.Commands.Add(1,
                        new KeyValuePair<string, object?>("referral.step", Step(route)),
                        new KeyValuePair<string, object?>("referral.command", command),
                        new KeyValuePair<string, object?>("http.response.status_code", status));
                }
            }
        });
    }

    /// <summary><c>api/v1/cases/{caseId:guid}/suspicion/record-consent</c> → <c>suspicion</c>; <c>…/claims/{claimId:guid}/submit-claim</c> → <c>claims</c>.</summary>
    private static string Step(string route)
    {
        var segments = route.Trim('/').Split('/');
        for (var i = segments.Length - 2; i >= 0; i--)
        {
            if (!segments[i].StartsWith('{'))
            {
                return segments[i];
            }
        }

        return segments[^1];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Route} answered {Status} in {DurationMs:F1} ms (trace {TraceId}, {OrgType})")]
    private static partial void LogCompleted(ILogger logger, string method, string route, int status, double durationMs, string traceId, string orgType);
}

/// <summary>Readiness includes the deadline service: its last run succeeded within three poll intervals (or it is off here).</summary>
public sealed class DeadlineServiceHealthCheck(DeadlineService deadlines, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!deadlines.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The deadline service does not run in this instance."));
        }

        var since = deadlines.LastSuccessfulRun ?? deadlines.StartedAt;
        return Task.FromResult(clock.GetUtcNow() - since <= 3 * deadlines.PollInterval
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The deadline service has not completed a run for three poll intervals."));
    }
}
