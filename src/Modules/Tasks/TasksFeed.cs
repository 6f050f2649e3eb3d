using System.Text.RegularExpressions;
using FluentValidation;
using Marten;
using Mediator;
using Npgsql;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Tasks;

/// <summary>What a notification tells.</summary>
public enum NotificationKind
{
    /// <summary>An event was recorded on a case the organisation takes part in (its stored type and the case version).</summary>
    CaseEvent,
    /// <summary>A task for the organisation was raised (or raised again with a new due time).</summary>
    TaskRaised,
    /// <summary>A task for the organisation was closed (done or cancelled).</summary>
    TaskClosed,
}

/// <summary>One notification: ids and types only, never personal data; the receiver reads details with its own token.</summary>
/// <param name="Cursor">Where this notification stands in the feed; pass it as <c>after</c> to continue after it.</param>
/// <param name="Kind">What happened.</param>
/// <param name="CaseId">The case (absent for a claim's task).</param>
/// <param name="ClaimId">The reimbursement claim (the claimant's task notifications only).</param>
/// <param name="Version">The case version the event made (case events).</param>
/// <param name="EventType">The stored event type, e.g. <c>suspicion.indicators_assessed</c> (case events).</param>
/// <param name="TaskId">The task (task notifications).</param>
/// <param name="TaskKind">The task's kind (task notifications).</param>
/// <param name="At">When it happened.</param>
public sealed record Notification(string Cursor, NotificationKind Kind, Guid? CaseId, Guid? ClaimId, long? Version, string? EventType, Guid? TaskId, WorkTaskKind? TaskKind, DateTimeOffset At);

/// <summary>A page of the feed and the cursor to continue from (also when nothing on the page was for the caller).</summary>
public sealed record FeedPage(IReadOnlyList<Notification> Items, string Next);

/// <summary>
/// The caller's notifications in order, after <c>after</c> (a cursor from an earlier page; none: from the start): events
/// of the cases it takes part in, and its tasks raised and closed. For agency systems that cannot accept inbound HTTP.
/// </summary>
[AnyOrganisation]
public sealed record ReadFeed(string? After, int Limit = 100) : IQuery<FeedPage>;

public sealed partial class ReadFeedValidator : AbstractValidator<ReadFeed>
{
    public ReadFeedValidator()
    {
        RuleFor(x => x.After).MaximumLength(39).Matches("^[0-9]{1,19}-[0-9]{1,19}$")
            .Must(a => a is null || FeedCursor.TryParse(a, out _)).WithMessage("'After' must be a cursor from an earlier page of the feed.");
        RuleFor(x => x.Limit).InclusiveBetween(1, 500);
    }
}

/// <summary>
/// A position in the feed: the writing transaction's id and the row's sequence. Rows are read only from transactions
/// that have all finished (below the snapshot's xmin) and in (transaction, sequence) order, so a transaction that commits
/// later always sorts after every cursor handed out — a reader never skips a row, on any node.
/// </summary>
public readonly partial record struct FeedCursor(ulong Transaction, long Sequence)
{
    public override string ToString() => $"{Transaction}-{Sequence}";

    public static bool TryParse(string text, out FeedCursor cursor)
    {
        cursor = default;
        var match = Format().Match(text);
        if (!match.Success || !ulong.TryParse(match.Groups[1].Value, out var tx) || !long.TryParse(match.Groups[2].Value, out var seq))
        {
            return false;
        }

        cursor = new FeedCursor(tx, seq);
        return true;
    }

    [GeneratedRegex("^([0-9]{1,19})-([0-9]{1,19})$")]
    private static partial Regex Format();
}

public sealed class FeedReader(IQuerySession session, ICurrentActor current, ICaseAccess access) : IQueryHandler<ReadFeed, FeedPage>
{
    public async ValueTask<FeedPage> Handle(ReadFeed q, CancellationToken ct)
    {
        var actor = current.Actor;
        var after = q.After is { } text && FeedCursor.TryParse(text, out var c) ? c : new FeedCursor(0, 0);
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var rows = new List<FeedRow>();
        await using (var connection = session.DocumentStore.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"""
                select {FeedRow.Columns} from {schema}.feed f {FeedRow.After} limit $3
                """, connection);
            command.Parameters.AddWithValue(after.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue(after.Sequence);
            command.Parameters.AddWithValue(q.Limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(FeedRow.Read(reader));
            }
        }

        var readable = await access.ReadableAsync(session, rows.Select(r => r.CaseId).Distinct().ToList(), actor, ct);
        var items = rows.Where(r => r.IsFor(actor, readable)).Select(r => r.ToNotification()).ToList();
        return new FeedPage(items, (rows.Count > 0 ? rows[^1].Cursor : after).ToString());
    }
}

/// <summary>
/// The feed table and the triggers that fill it in the writing transaction itself — the transactional outbox: one row per
/// appended event (any write path), one per task raised or closed (from the task documents' changes). Ids and types only.
/// </summary>
public static class FeedSchema
{
    public static string InstallSql(string schema) => $$"""
        create table if not exists {{schema}}.feed (
            tx xid8 not null default pg_current_xact_id(),
            seq bigserial not null,
            kind text not null,
            case_id uuid not null,
            version bigint,
            event_type text,
            task_id uuid,
            task_kind text,
            addressee text,
            at timestamptz not null,
            primary key (tx, seq));
        alter table {{schema}}.feed add column if not exists on_claim boolean not null default false;
        create or replace function {{schema}}.feed_case_event() returns trigger language plpgsql as $$
        begin
            insert into {{schema}}.feed (kind, case_id, version, event_type, at) values ('CaseEvent', new.stream_id, new.version, new.type, new.timestamp);
            return new;
        end $$;
        drop trigger if exists feed_case_event on {{schema}}.mt_events;
        create trigger feed_case_event after insert on {{schema}}.mt_events for each row execute function {{schema}}.feed_case_event();
        create or replace function {{schema}}.feed_task_change() returns trigger language plpgsql as $$
        begin
            insert into {{schema}}.feed (kind, case_id, on_claim, task_id, task_kind, addressee, at)
            select case when n->>'ClosedAt' is null then 'TaskRaised' else 'TaskClosed' end, new.id, coalesce((new.data->>'OnClaim')::boolean, false),
                   (n->>'TaskId')::uuid, n->>'Kind', n->>'AddresseeKey',
                   coalesce((n->>'ClosedAt')::timestamptz, (n->>'RaisedAt')::timestamptz)
            from jsonb_array_elements(new.data->'Tasks') n
            where not exists (
                select 1 from jsonb_array_elements(case when tg_op = 'UPDATE' then old.data->'Tasks' else '[]'::jsonb end) o
                where o->>'TaskId' = n->>'TaskId' and o->>'ClosedAt' is not distinct from n->>'ClosedAt' and o->>'DueAt' is not distinct from n->>'DueAt');
            return new;
        end $$;
        create table if not exists {{schema}}.webhook_subscriptions (
            id uuid primary key, org_id text not null, org_type text not null, url text not null, created_at timestamptz not null,
            cursor_tx xid8 not null, cursor_seq bigint not null, attempts int not null default 0, next_attempt_at timestamptz,
            last_error text, active boolean not null default true);
        create table if not exists {{schema}}.webhook_dead_letters (
            subscription_id uuid not null, tx xid8 not null, seq bigint not null, attempts int not null, failed_at timestamptz not null,
            last_error text, redeliver boolean not null default false, primary key (subscription_id, tx, seq));
        drop trigger if exists feed_task_change on {{schema}}.mt_doc_case_tasks;
        create trigger feed_task_change after insert or update on {{schema}}.mt_doc_case_tasks for each row execute function {{schema}}.feed_task_change();
        """;
}
