using FluentValidation;
using JasperFx.Events;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Host.Cases;

/// <summary>The case across every step: one entry per step that has started.</summary>
[AnyOrganisation]
public sealed record GetCaseOverview(Guid CaseId) : IQuery<CaseOverview>;

/// <summary>A case: its version (the ETag) and the state of each started step, keyed by step name.</summary>
public sealed record CaseOverview(Guid CaseId, long Version, IReadOnlyDictionary<string, object> Steps) : IVersionedView;

/// <summary>The case's history (the event stream) with every metadata field, oldest first, paged.</summary>
[AnyOrganisation]
public sealed record GetCaseEvents(Guid CaseId, int Page = 1, int PageSize = 100) : IQuery<CaseEvents>;

/// <summary>One event of a case's history as stored. Payloads contain no personal data.</summary>
/// <param name="Sequence">Global order in the store.</param>
/// <param name="Version">Position in the case stream (1 = registration).</param>
/// <param name="Type">The event's stored alias, e.g. suspicion.presumed_victim_declared.</param>
/// <param name="RecordedAt">When it was stored.</param>
/// <param name="UserId">Who acted (claim sub).</param>
/// <param name="OrgId">For which organisation.</param>
/// <param name="OrgType">The organisation's type.</param>
/// <param name="LegalBasis">The legal basis of a cross-agency disclosure, when there was one.</param>
/// <param name="CorrelationId">The request's correlation id.</param>
/// <param name="CausationId">The command that caused it.</param>
/// <param name="Data">The event payload.</param>
public sealed record CaseEvent(
    long Sequence,
    long Version,
    string Type,
    DateTimeOffset RecordedAt,
    string? UserId,
    string? OrgId,
    string? OrgType,
    string? LegalBasis,
    string? CorrelationId,
    string? CausationId,
    object Data);

/// <summary>A page of a case's history.</summary>
public sealed record CaseEvents(Guid CaseId, long Version, int Page, int PageSize, long TotalItems, IReadOnlyList<CaseEvent> Items) : IVersionedView;

public sealed class GetCaseEventsValidator : AbstractValidator<GetCaseEvents>
{
    public GetCaseEventsValidator()
    {
        RuleFor(x => x.Page).GreaterThanOrEqualTo(1);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 500);
    }
}

public sealed class CaseHistoryHandler(
    IQuerySession session,
    ICurrentActor current,
    ICaseAccess access,
    IEnumerable<ICaseOverviewContributor> steps) :
    IQueryHandler<GetCaseOverview, CaseOverview>,
    IQueryHandler<GetCaseEvents, CaseEvents>
{
    /// <summary>One round trip: the stream's version, the read check and every step's document, batched.</summary>
    public async ValueTask<CaseOverview> Handle(GetCaseOverview query, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var batch = session.CreateBatchQuery();
        var stream = batch.Events.FetchStreamState(query.CaseId);
        var mayRead = access.Enlist(batch, query.CaseId);
        var views = steps.Select(step => (step.Step, View: step.Enlist(batch, query.CaseId))).ToList();
        await batch.Execute(cancellationToken);
        if (await stream is not { } state || !mayRead(actor))
        {
            throw new NotFoundException("The case");
        }

        var result = new Dictionary<string, object>();
        foreach (var (name, view) in views)
        {
            if (view(actor) is { } stepView)
            {
                result[name] = stepView;
            }
        }

        return new CaseOverview(query.CaseId, state.Version, result);
    }

    public async ValueTask<CaseEvents> Handle(GetCaseEvents query, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, current.Actor, cancellationToken);
        var stream = await session.Events.FetchStreamStateAsync(query.CaseId, cancellationToken)
            ?? throw new NotFoundException("The case");
        var fromVersion = ((long)query.Page - 1) * query.PageSize + 1;
        var items = fromVersion > stream.Version
            ? []
            : await session.Events.FetchStreamAsync(query.CaseId, version: Math.Min(stream.Version, fromVersion + query.PageSize - 1),
                fromVersion: fromVersion, token: cancellationToken);
        return new CaseEvents(query.CaseId, stream.Version, query.Page, query.PageSize, stream.Version,
            items.Select(ToCaseEvent).ToList());
    }

    private static CaseEvent ToCaseEvent(IEvent e) => new(
        e.Sequence, e.Version, e.EventTypeName, e.Timestamp, e.UserName,
        e.Header(EventHeaders.OrgId), e.Header(EventHeaders.OrgType), e.Header(EventHeaders.LegalBasis),
        e.CorrelationId, e.CausationId, e.Data);
}
