using System.Security.Cryptography;
using System.Text;
using Marten;
using Npgsql;

namespace Referral.Modules.Audit;

/// <summary>One stored event as the chain sees it: the exact stored text of its data and headers.</summary>
public sealed record ChainedEvent(Guid StreamId, long Version, long Sequence, string Type, DateTimeOffset RecordedAt, string? UserName, string Data, string? Headers, string? Link);

/// <summary>The outcome of recomputing a chain.</summary>
/// <param name="Intact">Whether every link matches and no version is missing.</param>
/// <param name="Count">How many events were checked.</param>
/// <param name="BrokenAtVersion">The first version where the chain breaks.</param>
/// <param name="Reason">Why it breaks there.</param>
/// <param name="HeadLink">The last link (when intact): anchor it elsewhere to detect a rewrite of the whole chain.</param>
/// <param name="Checkpoint">The signed checkpoint the history was verified against, when one was asked for.</param>
/// <param name="CheckpointedVersion">The version whose head that checkpoint signed: the history up to it is as it was then.</param>
public sealed record ChainVerification(bool Intact, int Count, long? BrokenAtVersion, string? Reason, string? HeadLink, long? Checkpoint = null, long? CheckpointedVersion = null);

/// <summary>
/// The tamper-evident chain over every event stream: link(n) = SHA-256 over (link(n-1), stream id, version, event type
/// alias, the stored canonical JSON of the data, user and actor headers). A database trigger computes it in the same
/// transaction as the event, so every module's appends are chained without any handler doing it, and links are kept in
/// a table of their own. Verification recomputes the chain from the events alone.
/// </summary>
public static class AuditChain
{
    /// <summary>The one definition of a link; the trigger computes exactly the same bytes (see <see cref="InstallSql"/>).</summary>
    public static string Link(string? previous, Guid streamId, long version, string type, string data, string? userName, string? headers) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('|', previous ?? "", streamId.ToString(), version.ToString(System.Globalization.CultureInfo.InvariantCulture), type, data, userName ?? "", headers ?? ""))));

    /// <summary>Recomputes the chain of one stream's events (in version order) and compares it with the stored links.</summary>
    public static ChainVerification Verify(IReadOnlyList<ChainedEvent> events)
    {
        string? previous = null;
        var expectedVersion = 1L;
        foreach (var e in events)
        {
            if (e.Version != expectedVersion)
            {
                return new ChainVerification(false, events.Count, expectedVersion, $"Version {expectedVersion} is missing: the history has a gap.", null);
            }

            var link = Link(previous, e.StreamId, e.Version, e.Type, e.Data, e.UserName, e.Headers);
            if (e.Link is null)
            {
                return new ChainVerification(false, events.Count, e.Version, "The event has no chain link.", null);
            }

            if (!string.Equals(link, e.Link, StringComparison.Ordinal))
            {
                return new ChainVerification(false, events.Count, e.Version, "The stored event does not match its chain link: it was altered after it was written.", null);
            }

            previous = link;
            expectedVersion++;
        }

        return new ChainVerification(true, events.Count, null, null, previous);
    }

    /// <summary>
    /// Verifies a stream's history against a signed checkpoint: the chain recomputed from the events; the checkpoint's
    /// signature with the checkpoint key (held outside the database); when asked, a witness's identical copy; the head the
    /// checkpoint recorded equal to the chain's link at that version; and that head included in the signed tree. A
    /// whole stream rewritten after the checkpoint, its chain recomputed, fails here — its head no longer matches.
    /// </summary>
    public static ChainVerification VerifyAgainst(
        IReadOnlyList<ChainedEvent> events, SignedCheckpoint checkpoint, InclusionProof? proof, string publicKeyPem, bool requireWitness, SignedCheckpoint? witnessCopy)
    {
        var chain = Verify(events) with { Checkpoint = checkpoint.Number };
        ChainVerification Fail(string reason, long? at = null) => chain with { Intact = false, BrokenAtVersion = at, Reason = reason, HeadLink = null };
        if (!chain.Intact)
        {
            return chain;
        }

        if (!checkpoint.VerifiesWith(publicKeyPem))
        {
            return Fail($"Checkpoint {checkpoint.Number}'s signature does not verify with the checkpoint key: it was not signed by this system.");
        }

        if (requireWitness && (witnessCopy is null || !witnessCopy.SameAs(checkpoint)))
        {
            return Fail($"Checkpoint {checkpoint.Number} was not witnessed: the witness holds {(witnessCopy is null ? "no" : "a different")} copy of it.");
        }

        if (proof is null || events.Count == 0)
        {
            return Fail($"The history has no head in checkpoint {checkpoint.Number}: it was recorded after it, so it cannot be verified against it.");
        }

        if (events.FirstOrDefault(e => e.Version == proof.Version) is not { } signed)
        {
            return Fail($"Version {proof.Version}, whose head checkpoint {checkpoint.Number} signed, is missing from the history.", proof.Version);
        }

        if (!string.Equals(signed.Link, proof.Head, StringComparison.Ordinal))
        {
            return Fail($"The history up to version {proof.Version} no longer matches the head checkpoint {checkpoint.Number} signed: it was rewritten after the checkpoint.", proof.Version);
        }

        var leaf = Merkle.LeafHash(CheckpointLog.LeafData(signed.StreamId, proof.Version, proof.Head));
        return Merkle.VerifyInclusion(leaf, proof.LeafIndex, checkpoint.TreeSize, [.. proof.Path.Select(Convert.FromHexString)], Convert.FromHexString(checkpoint.RootHash))
            ? chain with { CheckpointedVersion = proof.Version }
            : Fail($"The history's head is not in checkpoint {checkpoint.Number}'s signed tree: the checkpoint log was altered.", proof.Version);
    }

    /// <summary>Reads one stream's events with their links, in version order.</summary>
    public static async Task<IReadOnlyList<ChainedEvent>> ReadAsync(IQuerySession session, Guid streamId, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select e.stream_id, e.version, e.seq_id, e.type, e.timestamp, e.user_name, e.data::text, e.headers::text, c.link
            from {schema}.mt_events e left join {schema}.audit_chain c on c.stream_id = e.stream_id and c.version = e.version
            where e.stream_id = $1 order by e.version
            """, connection);
        command.Parameters.AddWithValue(streamId);
        var list = new List<ChainedEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ChainedEvent(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return list;
    }

    /// <summary>The chain table and the trigger that fills it (idempotent).</summary>
    public static string InstallSql(string schema) => $$"""
        create table if not exists {{schema}}.audit_chain (
            stream_id uuid not null, version bigint not null, link text not null, primary key (stream_id, version));
        create or replace function {{schema}}.audit_chain_link() returns trigger language plpgsql as $$
        declare previous text;
        begin
            select link into previous from {{schema}}.audit_chain where stream_id = new.stream_id and version = new.version - 1;
            insert into {{schema}}.audit_chain (stream_id, version, link) values (new.stream_id, new.version,
                encode(sha256(convert_to(concat_ws('|', coalesce(previous, ''), new.stream_id::text, new.version::text, new.type,
                    new.data::text, coalesce(new.user_name, ''), coalesce(new.headers::text, '')), 'UTF8')), 'hex'));
            return new;
        end $$;
        drop trigger if exists audit_chain_link on {{schema}}.mt_events;
        create trigger audit_chain_link after insert on {{schema}}.mt_events for each row execute function {{schema}}.audit_chain_link();
        """;
}
