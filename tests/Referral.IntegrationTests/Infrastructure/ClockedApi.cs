using Microsoft.Extensions.Logging;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Deadlines;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>
/// The API on the shared test cluster with a fake clock the test moves, and the deadline service's timer off so the
/// test fires deadlines when it wants (<see cref="RunDeadlinesAsync"/>). Several hosts can share one clock.
/// </summary>
public sealed class ClockedApi : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private readonly ApiFixture _api;

    public ClockedApi(ApiFixture api, FakeTimeProvider clock, SaveBarrier? barrier = null, Microsoft.Extensions.Logging.ILoggerProvider? logging = null)
    {
        _api = api;
        Clock = clock;
        _factory = api.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Deadlines:Enabled", "false");
            b.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(new DatabaseClock(clock));
                if (barrier is not null)
                {
                    services.ConfigureMarten(o => o.Listeners.Add(barrier));
                }

                if (logging is not null)
                {
                    services.AddLogging(l => l.AddProvider(logging).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace));
                }
            });
        });
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>A clock at a fixed Monday noon (Swedish time), so working days and dates are predictable.</summary>
    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.Zero));

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    public HttpClient Client(OrgType orgType, string orgId)
    {
        var client = _factory.CreateDefaultClient(ExampleRecorder.Around(new NothingAppendedOnRefusal(_api)));
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("user-" + orgId, orgId, orgType.ToString()));
        return client;
    }

    /// <summary>Runs the deadline service once, as the hosted service would on its next tick.</summary>
    public Task<int> RunDeadlinesAsync() => _factory.Services.GetRequiredService<DeadlineService>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs one webhook delivery round, as the dispatcher would on its next tick.</summary>
    public Task<int> RunWebhooksAsync() => _factory.Services.GetRequiredService<Referral.Modules.Tasks.WebhookDispatcher>().RunOnceAsync(CancellationToken.None);

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
