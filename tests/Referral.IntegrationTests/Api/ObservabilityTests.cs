using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>Issue 23: one trace per command from HTTP to PostgreSQL, the command counter, and the request log line.</summary>
[Collection(ApiCollection.Name)]
public sealed class ObservabilityTests(ApiFixture api)
{
    [Fact]
    public async Task A_command_is_one_trace_from_HTTP_through_the_command_and_Marten_to_PostgreSQL_and_moves_the_counter()
    {
        var exported = new List<Activity>();
        await using var host = api.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Telemetry:Enabled", "true");
            b.ConfigureTestServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exported)));
        });
        var counted = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Referral" && instrument.Name == "referral.commands")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (counted)
            {
                counted.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        listener.Start();

        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u-otel", "pol-otel", "Police"));
        var (id, version, _) = await Cases.RegisterAsync(client, Cases.Sc1Registration(withPerson: false));
        var consent = await client.PostJsonAsync(Cases.Step(id, "record-consent"), new { status = "Given", scope = new[] { "ShareWithPolice" }, language = "en" }, version);
        await consent.ExpectAsync(HttpStatusCode.OK);

        Activity[] Snapshot()
        {
            lock (exported)
            {
                return [.. exported];
            }
        }

        Activity? command = null;
        for (var i = 0; i < 50 && (command = Snapshot().FirstOrDefault(a => a.Source.Name == "Referral" && a.DisplayName == "RecordConsent")) is null; i++)
        {
            await Task.Delay(100);
        }

        Assert.NotNull(command);
        Activity[] trace = [];
        for (var i = 0; i < 50; i++)
        {
            trace = [.. Snapshot().Where(a => a.TraceId == command!.TraceId)];
            if (trace.Any(a => a.Kind == ActivityKind.Server))
            {
                break;
            }

            await Task.Delay(100);
        }

        var server = Assert.Single(trace, a => a.Kind == ActivityKind.Server);
        Assert.Equal("POST /api/v1/cases/{caseId:guid}/suspicion/record-consent", server.DisplayName);
        // The command's span descends from the request's span.
        var ancestor = command!;
        while (ancestor.ParentSpanId != default && ancestor.ParentSpanId != server.SpanId && trace.FirstOrDefault(a => a.SpanId == ancestor.ParentSpanId) is { } parent)
        {
            ancestor = parent;
        }

        Assert.Equal(server.SpanId, ancestor.ParentSpanId);
        Assert.Contains(trace, a => a.Source.Name == "Npgsql"); // the statements, in the same trace
        Assert.Contains(trace, a => a.Source.Name == "Marten");
        // No case id (nor any other id of the case) in any attribute of the trace.
        Assert.DoesNotContain(trace.SelectMany(a => a.TagObjects), t => t.Value?.ToString()?.Contains(id, StringComparison.OrdinalIgnoreCase) == true);

        lock (counted)
        {
            Assert.Contains(counted, c => c.Value == 1 && (string?)c.Tags["referral.command"] == "RecordConsent"
                && (string?)c.Tags["referral.step"] == "suspicion" && Equals(c.Tags["http.response.status_code"], 200));
        }
    }

    [Fact]
    public async Task Each_request_leaves_one_completion_line_with_its_route_and_no_personal_data_and_logs_are_JSON()
    {
        var sink = new CapturingLoggerProvider();
        await using var host = api.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddLogging(l => l.AddProvider(sink))));
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u-logline", "ngo-logline", "NGO"));
        var (id, _, _) = await Cases.RegisterAsync(client);
        await (await client.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/cases/{Guid.CreateVersion7()}")).ExpectAsync(HttpStatusCode.NotFound);

        var lines = sink.Entries.Where(e => e.Category == "Referral.Requests").ToList();
        Assert.Equal(3, lines.Count);
        var read = lines.SingleOrDefault(l => (string?)l.Fields!["Route"] == "/api/v1/cases/{caseId:guid}/person")
            ?? throw new Xunit.Sdk.XunitException(string.Join("\n", lines.Select(l => l.Message + " | " + string.Join(", ", l.Fields!.Select(f => $"{f.Key}={f.Value}")))));
        Assert.Equal(("GET", 200, "NGO"), ((string?)read.Fields!["Method"], (int)read.Fields["Status"]!, (string?)read.Fields["OrgType"]));
        Assert.True((double)read.Fields["DurationMs"]! >= 0);
        Assert.Matches("^[0-9a-f]{32}$", (string)read.Fields["TraceId"]!);
        Assert.Contains(lines, l => (int)l.Fields!["Status"]! == 404);
        foreach (var secret in new[] { Cases.SyntheticGivenName, Cases.SyntheticFamilyName, Cases.SyntheticPhone, id })
        {
            Assert.DoesNotContain(lines, l => l.Message.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        // Outside Development the console writes JSON lines.
        Assert.Equal(ConsoleFormatterNames.Json, host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }
}

/// <summary>Readiness follows the deadline service: unhealthy when it has not completed a run for three poll intervals.</summary>
public sealed class DeadlineReadinessTests
{
    [Fact]
    public async Task Readiness_reports_a_deadline_service_that_stopped_running()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Deadlines:Enabled"] = "true", ["Deadlines:PollSeconds"] = "30" }).Build();
        var service = new Referral.BuildingBlocks.Deadlines.DeadlineService(null!, [], clock, configuration,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Referral.BuildingBlocks.Deadlines.DeadlineService>.Instance);
        var check = new Referral.Host.Infrastructure.DeadlineServiceHealthCheck(service, clock);
        async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus> Status() => (await check.CheckHealthAsync(new())).Status;

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, await Status()); // just started
        clock.Advance(TimeSpan.FromSeconds(91));
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, await Status()); // no run for three intervals
        await service.RunOnceAsync(CancellationToken.None);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, await Status());
        Assert.Equal(clock.GetUtcNow(), service.LastSuccessfulRun);
    }
}

/// <summary>Issue 23: what the console really prints outside Development — JSON lines — checked as text.</summary>
[Collection(ApiCollection.Name)]
public sealed class JsonConsoleLogTests(ApiFixture api)
{
    [Fact]
    public async Task The_console_prints_one_JSON_line_per_request_with_its_fields_and_no_personal_data()
    {
        var original = Console.Out;
        var captured = new StringWriter();
        string id;
        Console.SetOut(TextWriter.Synchronized(captured));
        try
        {
            await using var host = api.Factory.WithWebHostBuilder(b => b.UseSetting("Logging:LogLevel:Referral.Requests", "Information"));
            var client = host.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u-jsonlog", "ngo-jsonlog", "NGO"));
            (id, _, _) = await Cases.RegisterAsync(client);
            await (await client.GetAsync($"/api/v1/cases/{id}/person")).ExpectAsync(HttpStatusCode.OK);
        }
        finally
        {
            Console.SetOut(original); // the host is disposed above, so its console logger has flushed
        }

        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{') && l.Contains("Referral.Requests", StringComparison.Ordinal)).ToList();
        var person = lines.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!)
            .Single(j => j["State"]?["Route"]?.GetValue<string>() == "/api/v1/cases/{caseId:guid}/person");
        Assert.Equal("Information", person["LogLevel"]!.GetValue<string>());
        Assert.NotNull(person["Timestamp"]);
        Assert.Equal("GET", person["State"]!["Method"]!.GetValue<string>());
        Assert.Equal("200", person["State"]!["Status"]!.ToString());
        Assert.Equal("NGO", person["State"]!["OrgType"]!.GetValue<string>());
        foreach (var secret in new[] { Cases.SyntheticGivenName, Cases.SyntheticFamilyName, Cases.SyntheticPhone, id })
        {
            Assert.DoesNotContain(secret, string.Join("\n", lines), StringComparison.OrdinalIgnoreCase);
        }
    }
}
