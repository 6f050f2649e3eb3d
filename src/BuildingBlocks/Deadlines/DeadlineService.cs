using JasperFx;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Errors;

namespace Referral.BuildingBlocks.Deadlines;

/// <summary>A deadline that has passed on a case, seen at stream version <see cref="Version"/>.</summary>
public sealed record DueDeadline(Guid CaseId, long Version, string Kind);

/// <summary>
/// A module's deadlines whose passing appends an event (an expiry, an overdue assessment). The source finds what is due
/// and appends the event through the case stream at the version it saw, so the same deadline is never fired twice.
/// </summary>
public interface IDeadlineSource
{
    /// <summary>Name used as the causation id of the appended events.</summary>
    string Name { get; }

    Task<IReadOnlyList<DueDeadline>> FindDueAsync(IQuerySession session, DateTimeOffset now, CancellationToken ct);

    /// <summary>Appends the event(s) for <paramref name="deadline"/> at its version (a pure decision refuses when no longer due).</summary>
    Task FireAsync(IDocumentSession session, DueDeadline deadline, DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// Appends deadline events when deadlines pass, driven by <see cref="TimeProvider"/>. Safe with several API instances:
/// each append expects the version the deadline was found at, so a second instance (or a user's command in between)
/// makes it a no-op rather than a duplicate. Configure with <c>Deadlines:Enabled</c> and <c>Deadlines:PollSeconds</c>.
/// </summary>
public sealed partial class DeadlineService(
    IDocumentStore store,
    IEnumerable<IDeadlineSource> sources,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<DeadlineService> logger) : BackgroundService
{
    /// <summary>Event metadata of system acts.</summary>
    public const string SystemActor = "system";

    private static readonly System.Diagnostics.Metrics.Meter Meter = new(Telemetry.Name);
    private static readonly System.Diagnostics.Metrics.Counter<long> Runs = Meter.CreateCounter<long>("referral.deadline.runs", description: "Deadline-service runs.");
    private static readonly System.Diagnostics.Metrics.Counter<long> Fired = Meter.CreateCounter<long>("referral.deadline.fired", description: "Deadline events appended (expiries, escalations).");

    /// <summary>When the last run finished without a fault (for readiness); <c>null</c> before the first.</summary>
    public DateTimeOffset? LastSuccessfulRun { get; private set; }

    /// <summary>Whether this instance runs the service (<c>Deadlines:Enabled</c>).</summary>
    public bool Enabled => configuration.GetValue("Deadlines:Enabled", true);

    /// <summary>The poll interval (<c>Deadlines:PollSeconds</c>).</summary>
    public TimeSpan PollInterval => TimeSpan.FromSeconds(configuration.GetValue("Deadlines:PollSeconds", 30));

    /// <summary>When the service started (for readiness before the first run).</summary>
    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    /// <summary>Finds and fires every due deadline once; returns how many events were appended.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var fired = 0;
        var now = clock.GetUtcNow();
        foreach (var source in sources)
        {
            IReadOnlyList<DueDeadline> due;
            await using (var query = store.QuerySession())
            {
                due = await source.FindDueAsync(query, now, ct);
            }

            foreach (var deadline in due)
            {
                await using var session = store.IdentitySession(); // as requests: the write path preloads the step documents (ADR 0008)
                session.CausationId = source.Name;
                session.CorrelationId = $"deadline-{deadline.CaseId:N}-{deadline.Kind}";
                session.LastModifiedBy = SystemActor;
                session.SetHeader(EventHeaders.OrgId, SystemActor);
                session.SetHeader(EventHeaders.OrgType, "System");
                try
                {
                    await source.FireAsync(session, deadline, now, ct);
                    fired++;
                }
                catch (Exception e) when (e is ConcurrencyException or WorkflowViolationException)
                {
                    LogSkipped(logger, source.Name, deadline.Kind, e.GetType().Name);
                }
            }
        }

        LastSuccessfulRun = clock.GetUtcNow();
        Runs.Add(1);
        Fired.Add(fired);
        return fired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(PollInterval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deadline {Source}/{Kind} skipped: {Reason} (already handled or no longer due)")]
    private static partial void LogSkipped(ILogger logger, string source, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline run failed with {ExceptionType}; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, string exceptionType);
}
