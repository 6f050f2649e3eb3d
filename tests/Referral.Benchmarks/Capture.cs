using System.Collections;
using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Marten;
using Marten.Services;
using Npgsql;
using NpgsqlTypes;

namespace Referral.Benchmarks;

/// <summary>One statement as Marten sent it: its text and its parameters (cloned, with their types).</summary>
public sealed record CapturedStatement(string Sql, IReadOnlyList<NpgsqlParameter> Parameters);

/// <summary>
/// One round trip to the server (a command or a batch), and the transaction it ran in (<c>null</c> outside one), identified
/// by the transaction object so that consecutive round trips of one transaction replay inside one.
/// </summary>
public sealed record RoundTrip(IReadOnlyList<CapturedStatement> Statements, int? Transaction, IsolationLevel Isolation);

/// <summary>The round trips one HTTP request caused, in order.</summary>
public sealed record CapturedRequest(string Label, IReadOnlyList<RoundTrip> RoundTrips);

/// <summary>
/// Records every statement the API's store sends while a request is being captured (the API run in this process with this
/// logger added): the raw baseline replays exactly these statements, so it does the API's database work by construction —
/// same tables, indexes, trigger, payloads, round trips and transactions.
/// </summary>
public sealed class StatementCapture : IMartenLogger, IMartenSessionLogger
{
    private readonly Lock _gate = new();
    private List<RoundTrip>? _current;

    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql)
    {
    }

    /// <summary>Captures what <paramref name="request"/> sends to the database.</summary>
    public async Task<CapturedRequest> CaptureAsync(string label, Func<Task> request)
    {
        lock (_gate)
        {
            _current = [];
        }

        await request();
        lock (_gate)
        {
            var trips = _current!;
            _current = null;
            return new CapturedRequest(label, trips);
        }
    }

    public void LogSuccess(NpgsqlCommand command) =>
        Add([Statement(command.CommandText, command.Parameters)], command.Transaction);

    public void LogSuccess(NpgsqlBatch batch) =>
        Add([.. batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => Statement(c.CommandText, c.Parameters))], batch.Transaction);

    public void LogFailure(NpgsqlCommand command, Exception ex) => throw new InvalidOperationException("A captured statement failed.", ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => throw new InvalidOperationException("A captured batch failed.", ex);

    public void LogFailure(Exception ex, string message) => throw new InvalidOperationException(message, ex);

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
    /// A copy of each parameter with its value copied too: Marten passes pooled lists and buffers that it reuses once the
    /// statement has run.
    /// </summary>
    private static CapturedStatement Statement(string sql, NpgsqlParameterCollection parameters) =>
        new(sql, [.. parameters.Select(p =>
        {
            var copy = p.Clone();
            copy.Value = Snapshot(p.Value);
            return copy;
        })]);

    private static object? Snapshot(object? value) => value switch
    {
        null or string or Guid or long or int or short or bool or double or decimal or DateTimeOffset or DateTime or DBNull => value,
        byte[] bytes => bytes.ToArray(),
        IEnumerable<Guid> items => items.ToArray(),
        IEnumerable<string> items => items.ToArray(),
        IEnumerable<byte[]> items => items.Select(b => b?.ToArray()).ToArray(),
        IEnumerable<DateTimeOffset> items => items.ToArray(),
        IEnumerable<long> items => items.ToArray(),
        IEnumerable<int> items => items.ToArray(),
        object[] items => items.Select(Snapshot).ToArray(),
        _ => throw new InvalidOperationException($"A parameter of type {value.GetType()} cannot be captured yet."),
    };

    private void Add(CapturedStatement[] statements, NpgsqlTransaction? transaction)
    {
        lock (_gate)
        {
            _current?.Add(new RoundTrip(statements, transaction is null ? null : RuntimeHelpers.GetHashCode(transaction),
                transaction?.IsolationLevel ?? IsolationLevel.Unspecified));
        }
    }
}

/// <summary>
/// Replays captured requests against the same database with every id of the captured case replaced by a fresh one
/// (ids that two captured flows share — constants — are kept).
/// </summary>
public sealed partial class Replayer(NpgsqlDataSource db, IReadOnlySet<Guid> perCase)
{
    /// <summary>Ids that occur in <paramref name="one"/> flow but not in <paramref name="other"/>: those a new case gets anew.</summary>
    public static HashSet<Guid> PerCaseIds(IEnumerable<CapturedRequest> one, IEnumerable<CapturedRequest> other)
    {
        var ids = Ids(one);
        ids.ExceptWith(Ids(other));
        return ids;
    }

    /// <summary>Fresh ids for a new case: each per-case id of the captured case → a new one.</summary>
    public Dictionary<Guid, Guid> NewCase() => perCase.ToDictionary(id => id, _ => Guid.NewGuid());

    /// <summary>The statements of <paramref name="requests"/> for the case <paramref name="map"/> names (ids substituted), prepared before any timing starts.</summary>
    public static PreparedRequest[] Prepare(IEnumerable<CapturedRequest> requests, Dictionary<Guid, Guid> map) =>
        [.. requests.Select(r => new PreparedRequest(r.Label, [.. r.RoundTrips.Select(t => new PreparedTrip(
            [.. t.Statements.Select(s => new CapturedStatement(s.Sql, [.. s.Parameters.Select(p => Substitute(p, map))]))], t.Transaction, t.Isolation))]))];

    /// <summary>Runs one prepared request: its round trips in order, on one pooled connection, each transaction committed after its last round trip.</summary>
    public async Task RunAsync(PreparedRequest request)
    {
        await using var connection = await db.OpenConnectionAsync();
        NpgsqlTransaction? tx = null;
        var trips = request.RoundTrips;
        for (var i = 0; i < trips.Length; i++)
        {
            var trip = trips[i];
            if (trip.Transaction is not null && tx is null)
            {
                tx = await connection.BeginTransactionAsync(trip.Isolation);
            }

            await using (var batch = new NpgsqlBatch(connection, trip.Transaction is null ? null : tx))
            {
                foreach (var s in trip.Statements)
                {
                    var command = new NpgsqlBatchCommand(s.Sql);
                    foreach (var p in s.Parameters)
                    {
                        command.Parameters.Add(p);
                    }
                    batch.BatchCommands.Add(command);
                }

                await using var reader = await batch.ExecuteReaderAsync();
                do
                {
                    while (await reader.ReadAsync())
                    {
                        for (var c = 0; c < reader.FieldCount; c++)
                        {
                            _ = reader.GetValue(c);
                        }
                    }
                }
                while (await reader.NextResultAsync());
            }

            if (tx is not null && (i == trips.Length - 1 || trips[i + 1].Transaction != trip.Transaction))
            {
                await tx.CommitAsync();
                await tx.DisposeAsync();
                tx = null;
            }
        }
    }

    private static NpgsqlParameter Substitute(NpgsqlParameter captured, Dictionary<Guid, Guid> map)
    {
        var copy = captured.Clone();
        copy.Value = Replace(captured.Value, map, IsText(captured));
        return copy;
    }

    /// <summary>Whether the parameter's bytes are text (JSON sent as UTF-8), in which ids appear as text.</summary>
    private static bool IsText(NpgsqlParameter p) =>
        (p.NpgsqlDbType & ~NpgsqlDbType.Array) is NpgsqlDbType.Jsonb or NpgsqlDbType.Json or NpgsqlDbType.Text or NpgsqlDbType.Varchar;

    private static object? Replace(object? value, Dictionary<Guid, Guid> map, bool text) => value switch
    {
        Guid g => map.GetValueOrDefault(g, g),
        string s => GuidText().Replace(s, m => Guid.TryParse(m.ValueSpan, out var g) && map.TryGetValue(g, out var n) ? n.ToString() : m.Value),
        byte[] b when text => Encoding.UTF8.GetBytes((string)Replace(Encoding.UTF8.GetString(b), map, text)!),
        Guid[] a => a.Select(g => map.GetValueOrDefault(g, g)).ToArray(),
        string[] a => a.Select(s => (string)Replace(s, map, text)!).ToArray(),
        byte[][] a => a.Select(b => (byte[])Replace(b, map, text)!).ToArray(),
        object[] a => a.Select(o => Replace(o, map, text)).ToArray(),
        _ => value,
    };

    private static HashSet<Guid> Ids(IEnumerable<CapturedRequest> flow)
    {
        var ids = new HashSet<Guid>();
        foreach (var p in flow.SelectMany(r => r.RoundTrips).SelectMany(t => t.Statements).SelectMany(s => s.Parameters))
        {
            Collect(p.Value, ids, IsText(p));
        }

        return ids;
    }

    private static void Collect(object? value, HashSet<Guid> ids, bool text)
    {
        switch (value)
        {
            case byte[] bytes:
                if (text)
                {
                    Collect(Encoding.UTF8.GetString(bytes), ids, text);
                }

                break;
            case Guid g:
                ids.Add(g);
                break;
            case string s:
                foreach (Match m in GuidText().Matches(s))
                {
                    ids.Add(Guid.Parse(m.ValueSpan));
                }

                break;
            case IEnumerable items:
                foreach (var item in items)
                {
                    Collect(item, ids, text);
                }

                break;
        }
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidText();
}

/// <summary>A round trip ready to run.</summary>
public sealed record PreparedTrip(CapturedStatement[] Statements, int? Transaction, IsolationLevel Isolation);

/// <summary>One request's round trips ready to run.</summary>
public sealed record PreparedRequest(string Label, PreparedTrip[] RoundTrips);
