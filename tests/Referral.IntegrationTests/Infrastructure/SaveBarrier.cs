using Marten;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>
/// Forces a race: once armed, every save that appends to the target stream waits until <c>parties</c> saves have
/// arrived, so all racing writers have read the stream before any of them commits. A test that claims "one of N racing
/// writers wins" then proves it, instead of hoping the requests overlap.
/// </summary>
public sealed class SaveBarrier(int parties) : DocumentSessionListenerBase
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;
    private Guid? _stream;

    /// <summary>How many saves reached the barrier.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>From now on, saves appending to <paramref name="stream"/> wait for each other.</summary>
    public void Arm(Guid stream) => _stream = stream;

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (_stream is not { } stream || !session.PendingChanges.Streams().Any(s => s.Id == stream))
        {
            return Task.CompletedTask;
        }

        if (Interlocked.Increment(ref _arrived) >= parties)
        {
            _all.TrySetResult();
        }

        return _all.Task.WaitAsync(TimeSpan.FromSeconds(30), token);
    }
}
