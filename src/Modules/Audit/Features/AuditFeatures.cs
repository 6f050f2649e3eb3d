using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;

namespace Referral.Modules.Audit.Features;

/// <summary>One event of a history as stored, with every metadata field and its chain link. Payloads contain no personal data.</summary>
/// <param name="Sequence">Global order in the store.</param>
/// <param name="Version">Position in the stream (1 = the first event).</param>
/// <param name="Type">The stored alias, e.g. suspicion.presumed_victim_declared; its prefix names the step.</param>
/// <param name="RecordedAt">When it was stored. Business times (when something happened) are fields of the payload.</param>
/// <param name="UserId">Who acted (claim sub), or "system" for deadlines.</param>
/// <param name="OrgId">For which organisation.</param>
/// <param name="OrgType">The organisation's type.</param>
/// <param name="LegalBasis">The legal basis of a cross-agency disclosure, when there was one.</param>
/// <param name="CorrelationId">The request's correlation id.</param>
/// <param name="CausationId">The command (or deadline) that caused it.</param>
/// <param name="Link">The tamper-evident chain link.</param>
/// <param name="Data">The event payload as stored.</param>
public sealed record HistoryEvent(
    long Sequence, long Version, string Type, DateTimeOffset RecordedAt, string? UserId, string? OrgId, string? OrgType, string? LegalBasis,
    string? CorrelationId, string? CausationId, string? Link, JsonNode? Data);

/// <summary>A page of a stream's history.</summary>
public sealed record History(Guid StreamId, long Version, int Page, int PageSize, long TotalItems, IReadOnlyList<HistoryEvent> Items) : IVersionedView;

/// <summary>A case's history: every event with its metadata, oldest first, paged, optionally one step's and a time range.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Step">Only this step's events (the alias prefix, e.g. suspicion, reflection_period, prosecution).</param>
/// <param name="From">Only events recorded at or after this time.</param>
/// <param name="To">Only events recorded before this time.</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Events per page, 1–500.</param>
[AnyOrganisation]
public sealed record GetCaseHistory(Guid CaseId, string? Step, DateTimeOffset? From, DateTimeOffset? To, int Page = 1, int PageSize = 100) : IQuery<History>;

/// <summary>An investigation's history (investigation secrecy: police, prosecution, courts, auditors).</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.Court, OrgType.Auditor)]
public sealed record GetInvestigationHistory(Guid InvestigationId, string? Step, DateTimeOffset? From, DateTimeOffset? To, int Page = 1, int PageSize = 100) : IQuery<History>, IInvestigationScoped;

/// <summary>Recomputes a case's chain (auditors, and social services taking part in the case).</summary>
[AllowedOrganisations(OrgType.Auditor, OrgType.SocialServices)]
public sealed record VerifyCaseChain(Guid CaseId) : IQuery<ChainVerification>;

/// <summary>A case's events with metadata and links, as JSON Lines, for offline verification.</summary>
[AllowedOrganisations(OrgType.Auditor, OrgType.SocialServices)]
public sealed record ExportCaseChain(Guid CaseId) : IQuery<IReadOnlyList<string>>;

public sealed class GetCaseHistoryValidator : AbstractValidator<GetCaseHistory>
{
    public GetCaseHistoryValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, Rules.MaxPage);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 500);
        RuleFor(x => x.Step).StepPrefix();
        RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x.From is not null && x.To is not null);
    }
}

public sealed class GetInvestigationHistoryValidator : AbstractValidator<GetInvestigationHistory>
{
    public GetInvestigationHistoryValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, Rules.MaxPage);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 500);
        RuleFor(x => x.Step).StepPrefix();
    }
}

public sealed class AuditHandler(IQuerySession session, ICurrentActor current, ICaseAccess access) :
    IQueryHandler<GetCaseHistory, History>,
    IQueryHandler<GetInvestigationHistory, History>,
    IQueryHandler<VerifyCaseChain, ChainVerification>,
    IQueryHandler<ExportCaseChain, IReadOnlyList<string>>
{
    public async ValueTask<History> Handle(GetCaseHistory query, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, current.Actor, cancellationToken);
        return await HistoryAsync(query.CaseId, query.Step, query.From, query.To, query.Page, query.PageSize, "The case", cancellationToken);
    }

    public ValueTask<History> Handle(GetInvestigationHistory query, CancellationToken cancellationToken) =>
        HistoryAsync(query.InvestigationId, query.Step, query.From, query.To, query.Page, query.PageSize, "The investigation", cancellationToken);

    public async ValueTask<ChainVerification> Handle(VerifyCaseChain query, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, current.Actor, cancellationToken);
        return AuditChain.Verify(await AuditChain.ReadAsync(session, query.CaseId, cancellationToken));
    }

    public async ValueTask<IReadOnlyList<string>> Handle(ExportCaseChain query, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, current.Actor, cancellationToken);
        var events = await AuditChain.ReadAsync(session, query.CaseId, cancellationToken);
        return ChainExport.Lines(events);
    }

    private async ValueTask<History> HistoryAsync(Guid streamId, string? step, DateTimeOffset? from, DateTimeOffset? to, int page, int pageSize, string what, CancellationToken ct)
    {
        var stream = await session.Events.FetchStreamStateAsync(streamId, ct) ?? throw new NotFoundException(what);
        var chained = await AuditChain.ReadAsync(session, streamId, ct);
        var links = chained.ToDictionary(c => c.Version, c => c.Link);
        var selected = (await session.Events.FetchStreamAsync(streamId, token: ct))
            .Where(e => step is null || e.EventTypeName.StartsWith(step + ".", StringComparison.Ordinal))
            .Where(e => (from is null || e.Timestamp >= from) && (to is null || e.Timestamp < to))
            .ToList();
        var items = selected.Skip((page - 1) * pageSize).Take(pageSize).Select(e => new HistoryEvent(
            e.Sequence, e.Version, e.EventTypeName, e.Timestamp, e.UserName, e.Header(EventHeaders.OrgId), e.Header(EventHeaders.OrgType),
            e.Header(EventHeaders.LegalBasis), e.CorrelationId, e.CausationId, links.GetValueOrDefault(e.Version),
            JsonSerializer.SerializeToNode(e.Data, e.Data.GetType(), ChainExport.Json))).ToList();
        return new History(streamId, stream.Version, page, pageSize, selected.Count, items);
    }
}

/// <summary>The export format: one JSON line per event with the exact stored text, and a final line with the head link.</summary>
public static class ChainExport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static IReadOnlyList<string> Lines(IReadOnlyList<ChainedEvent> events)
    {
        var lines = events.Select(e => JsonSerializer.Serialize(e, Json)).ToList();
        var check = AuditChain.Verify(events);
        lines.Add(JsonSerializer.Serialize(new { head = check.HeadLink, count = events.Count, intactWhenExported = check.Intact }, Json));
        return lines;
    }

    /// <summary>Verifies an export without the database: the chain of its lines, and its head line.</summary>
    public static (bool Intact, string Message) Verify(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return (false, "The file is empty.");
        }

        var events = new List<ChainedEvent>();
        for (var i = 0; i < lines.Count - 1; i++)
        {
            try
            {
                events.Add(JsonSerializer.Deserialize<ChainedEvent>(lines[i], Json) ?? throw new JsonException("empty line"));
            }
            catch (JsonException)
            {
                return (false, $"broken at line {i + 1}: it is not an exported event.");
            }
        }

        var result = AuditChain.Verify(events);
        if (!result.Intact)
        {
            return (false, $"broken at line {result.BrokenAtVersion} (version {result.BrokenAtVersion}): {result.Reason}");
        }

        var head = JsonNode.Parse(lines[^1])?["head"]?.GetValue<string?>();
        return head == result.HeadLink
            ? (true, $"intact: {events.Count} events, head {result.HeadLink}")
            : (false, $"broken at line {lines.Count}: the head link does not match the chain.");
    }
}
