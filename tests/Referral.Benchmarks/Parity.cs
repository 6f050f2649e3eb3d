using Npgsql;
using Referral.Host.Infrastructure;

namespace Referral.Benchmarks;

/// <summary>
/// What the server executed, per normalised statement (pg_stat_statements): the proof that the raw side issues the same
/// statements, as often and touching as many rows, as the API does for each command.
/// </summary>
public sealed class StatementStats(NpgsqlDataSource db)
{
    /// <summary>Loads pg_stat_statements (a server restart) and creates the extension.</summary>
    public static void Enable(EmbeddedPostgres postgres)
    {
        using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            connection.Open();
            using var alter = new NpgsqlCommand("alter system set shared_preload_libraries = 'pg_stat_statements'", connection);
            alter.ExecuteNonQuery();
        }

        NpgsqlConnection.ClearAllPools();
        postgres.Stop();
        postgres.Restart();
        using var again = new NpgsqlConnection(postgres.ConnectionString);
        again.Open();
        using var create = new NpgsqlCommand("create extension if not exists pg_stat_statements", again);
        create.ExecuteNonQuery();
    }

    public async Task ResetAsync()
    {
        await using var command = db.CreateCommand("select pg_stat_statements_reset()");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Statements executed since the last reset (this class's own excluded): normalised text → calls and rows.</summary>
    public async Task<Dictionary<string, (long Calls, long Rows)>> SnapshotAsync()
    {
        var result = new Dictionary<string, (long Calls, long Rows)>();
        await using var command = db.CreateCommand("""
            select query, calls, rows from pg_stat_statements
            where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = reader.GetString(0);
            var (calls, rows) = result.GetValueOrDefault(key);
            result[key] = (calls + reader.GetInt64(1), rows + reader.GetInt64(2));
        }

        return result;
    }

    /// <summary>Runs <paramref name="request"/> between a reset and a snapshot, adding what it executed to <paramref name="into"/>.</summary>
    public async Task MeasureAsync(Dictionary<string, (long Calls, long Rows)> into, Func<Task> request)
    {
        await ResetAsync();
        await request();
        foreach (var (query, (calls, rows)) in await SnapshotAsync())
        {
            var (c, r) = into.GetValueOrDefault(query);
            into[query] = (c + calls, r + rows);
        }
    }

    /// <summary>The statements whose calls or rows differ between the two sides (empty: parity).</summary>
    public static List<string> Differences(Dictionary<string, (long Calls, long Rows)> api, Dictionary<string, (long Calls, long Rows)> raw) =>
        [.. api.Keys.Union(raw.Keys).Where(q => api.GetValueOrDefault(q) != raw.GetValueOrDefault(q))
            .Select(q => $"API {api.GetValueOrDefault(q).Calls} calls/{api.GetValueOrDefault(q).Rows} rows, raw {raw.GetValueOrDefault(q).Calls}/{raw.GetValueOrDefault(q).Rows}: {Short(q)}")];

    private static string Short(string query)
    {
        var oneLine = string.Join(' ', query.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 160 ? oneLine : oneLine[..160] + "…";
    }
}
