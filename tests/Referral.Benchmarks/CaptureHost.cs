using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Referral.Benchmarks;

/// <summary>What the capture found: two whole case flows (to tell per-case ids from constants) and the two reads of the first case.</summary>
public sealed record CapturedWork(IReadOnlyList<CapturedRequest> Flow, IReadOnlyList<CapturedRequest> SecondFlow, CapturedRequest Overview, CapturedRequest ModuleState);

/// <summary>
/// Runs the API in this process on the benchmark's database and schema, with the same settings as the measured API process
/// and <see cref="StatementCapture"/> as the store's logger, and captures the statements of each request of the case flow.
/// </summary>
public static class CaptureHost
{
    public static async Task<CapturedWork> CaptureAsync(string repositoryRoot, string connectionString, string schema)
    {
        var capture = new StatementCapture();
        await using var factory = new WebApplicationFactory<Referral.Host.Infrastructure.DatabaseHealthCheck>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseContentRoot(Path.Combine(repositoryRoot, "src", "Host"));
            foreach (var (key, value) in ApiProcess.Settings(connectionString, schema))
            {
                b.UseSetting(key, value);
            }

            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.ConfigureTestServices(services => services.ConfigureMarten(options => options.Logger(capture)));
        });
        var flow = new CaseFlow(key =>
        {
            var (_, orgType, orgId) = CaseFlow.Organisations.Single(o => o.Key == key);
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", ApiProcess.Token(orgType, orgId));
            return client;
        });

        async Task<(List<CapturedRequest> Requests, Guid Case)> OneFlowAsync()
        {
            var requests = new List<CapturedRequest>();
            var recorder = new Recorder();
            var id = await flow.RunAsync(recorder, async (label, request) => requests.Add(await capture.CaptureAsync(label, request)));
            return id is { } caseId && recorder.NotSuccessful == 0
                ? (requests, caseId)
                : throw new InvalidOperationException("The case flow was refused while capturing: " + string.Join(", ", recorder.Statuses));
        }

        var (first, caseId) = await OneFlowAsync();
        var (second, _) = await OneFlowAsync();
        var reads = new Recorder();
        var overview = await capture.CaptureAsync("GET case overview", () => flow.GetAsync(reads, $"/api/v1/cases/{caseId}"));
        var module = await capture.CaptureAsync("GET module state", () => flow.GetAsync(reads, $"/api/v1/cases/{caseId}/suspicion"));
        return reads.NotSuccessful == 0 && first.All(r => r.RoundTrips.Count > 0)
            ? new CapturedWork(first, second, overview, module)
            : throw new InvalidOperationException("Nothing was captured for a request, or a read was refused.");
    }
}
