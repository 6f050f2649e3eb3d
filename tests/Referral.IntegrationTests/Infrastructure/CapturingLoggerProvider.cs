using Microsoft.Extensions.Logging;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>Captures every log entry of a host (level, category, message, whether an exception was attached).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(LogLevel Level, string Category, string Message, bool HasException, IReadOnlyDictionary<string, object?>? Fields = null);

    public IReadOnlyCollection<Entry> Entries => _entries;

    /// <summary>Every entry as text (message and exception), for scans for personal data.</summary>
    public IReadOnlyCollection<string> Messages => [.. _entries.Select(e => $"{e.Category}: {e.Message}")];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            owner._entries.Enqueue(new Entry(LogLevel.Trace, category, $"scope: {state}", false));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new Entry(logLevel, category, $"{formatter(state, exception)} {exception}", exception is not null,
                state is IEnumerable<KeyValuePair<string, object?>> fields ? fields.ToDictionary(f => f.Key, f => f.Value) : null));
    }
}
