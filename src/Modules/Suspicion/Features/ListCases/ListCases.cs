using FluentValidation;
using Marten;
using Marten.Pagination;
using Mediator;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>Cases the caller's organisation takes part in (auditors: all), newest first, filtered and paged.</summary>
[AnyOrganisation]
public sealed record ListCases(
    SuspicionStatus? Status,
    string? Municipality,
    ExploitationPurpose? ExploitationPurpose,
    DateTimeOffset? RegisteredFrom,
    DateTimeOffset? RegisteredTo,
    int Page = 1,
    int PageSize = 50) : IQuery<CaseList>;

/// <summary>One line of the case list. No personal data.</summary>
public sealed record CaseSummary(
    Guid CaseId,
    long Version,
    SuspicionStatus Status,
    string? MunicipalityCode,
    AgeCategory? AgeCategory,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    OrgType ReportingOrgType,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastChangedAt);

/// <summary>A page of cases.</summary>
public sealed record CaseList(IReadOnlyList<CaseSummary> Items, int Page, int PageSize, long TotalItems, long TotalPages);

public sealed class ListCasesValidator : AbstractValidator<ListCases>
{
    public ListCasesValidator()
    {
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.ExploitationPurpose).IsInEnum();
        RuleFor(x => x.Municipality).MunicipalityCode().When(x => x.Municipality is not null);
        RuleFor(x => x.Page).InclusiveBetween(1, Rules.MaxPage);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 200);
        RuleFor(x => x.RegisteredTo).GreaterThanOrEqualTo(x => x.RegisteredFrom)
            .When(x => x.RegisteredFrom is not null && x.RegisteredTo is not null);
    }
}

public sealed class ListCasesHandler(IQuerySession session, ICurrentActor current) : IQueryHandler<ListCases, CaseList>
{
    public async ValueTask<CaseList> Handle(ListCases q, CancellationToken ct)
    {
        var actor = current.Actor;
        IQueryable<SuspicionState> query = session.Query<SuspicionState>();
        if (actor.OrgType != OrgType.Auditor)
        {
            query = query.Where(x => x.Participants.Contains(actor.OrgId));
        }

        if (q.Status is { } status)
        {
            query = query.Where(x => x.Status == status);
        }

        if (q.Municipality is { } municipality)
        {
            query = query.Where(x => x.MunicipalityCode == municipality && (!x.ProtectedIdentity || x.Participants.Contains(actor.OrgId)));
        }

        if (q.ExploitationPurpose is { } purpose)
        {
            query = query.Where(x => x.ExploitationPurposes.Contains(purpose));
        }

        if (q.RegisteredFrom is { } from)
        {
            query = query.Where(x => x.RegisteredAt >= from);
        }

        if (q.RegisteredTo is { } to)
        {
            query = query.Where(x => x.RegisteredAt <= to);
        }

        var page = await query.OrderByDescending(x => x.RegisteredAt).ToPagedListAsync(q.Page, q.PageSize, ct);
        // Past the last page the paged query returns no row to carry the total: count apart, so every page tells the truth.
        var total = page.Count == 0 && q.Page > 1
            ? (await query.OrderByDescending(x => x.RegisteredAt).ToPagedListAsync(1, 1, ct)).TotalItemCount
            : page.TotalItemCount;
        return new CaseList(
            page.Select(s => new CaseSummary(s.Id, s.Version, s.Status, s.VisibleMunicipality(actor), s.AgeCategory,
                s.ExploitationPurposes, s.ReportingOrgType, s.RegisteredAt, s.LastChangedAt)).ToList(),
            q.Page,
            q.PageSize,
            total,
            (total + q.PageSize - 1) / q.PageSize);
    }
}
