namespace Referral.BuildingBlocks.Cases;

/// <summary>
/// A clock with PostgreSQL's precision (microseconds). Event timestamps are projected in memory at the moment of the
/// append and read back from the database on replay; with one precision both are the same instant, so what the live
/// projections served equals what an auditor's replay rebuilds.
/// </summary>
public sealed class DatabaseClock(TimeProvider inner) : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = inner.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
