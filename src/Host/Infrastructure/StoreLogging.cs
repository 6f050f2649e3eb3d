using JasperFx;
using Marten;
using Marten.Services;
using Npgsql;

namespace Referral.Host.Infrastructure;

/// <summary>
/// Marten's log, as operations need it: an expected refusal (a racing writer, a stale version) is Information without a
/// stack trace; a real fault is an Error naming the exception and SQL state. Never the SQL text or its parameters —
/// they carry case data.
/// </summary>
public sealed partial class StoreLogging(ILogger<StoreLogging> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => LogSchemaChange(logger);

    public void LogSuccess(NpgsqlCommand command)
    {
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failure(ex);

    public void LogFailure(Exception ex, string message) => Failure(ex);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    /// <summary>
    /// A concurrent write refused by the store's optimistic check — a unique stream version, or Marten's own "unexpected
    /// stream version" (SQL state MT003) — an expected outcome (409/412 to the caller).
    /// </summary>
    public static bool IsExpected(Exception ex) =>
        ex is ConcurrencyException || (ex as PostgresException ?? ex.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.UniqueViolation or "MT003" };

    private void Failure(Exception ex)
    {
        var state = (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState;
        if (IsExpected(ex))
        {
            LogRefusedWrite(logger, ex.GetType().Name, state);
        }
        else
        {
            LogFault(logger, ex.GetType().Name, state);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A concurrent write was refused by the store ({ExceptionType}, SQL state {SqlState})")]
    private static partial void LogRefusedWrite(ILogger logger, string exceptionType, string? sqlState);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store failed ({ExceptionType}, SQL state {SqlState})")]
    private static partial void LogFault(ILogger logger, string exceptionType, string? sqlState);

    [LoggerMessage(Level = LogLevel.Information, Message = "The store's schema was changed")]
    private static partial void LogSchemaChange(ILogger logger);
}
