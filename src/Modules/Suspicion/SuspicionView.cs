using FluentValidation;
using JasperFx.Events;
using Marten.Pagination;
using Marten.Services.BatchQuerying;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>The suspicion and identification step of a case, with the caller's allowed actions. No personal data.</summary>
public sealed record SuspicionView(
    Guid CaseId,
    long Version,
    SuspicionStatus Status,
    Guid SubjectId,
    DateTimeOffset ReportedAt,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastChangedAt,
    string ReportingOrgId,
    OrgType ReportingOrgType,
    ReportingChannel Channel,
    string? MunicipalityCode,
    AgeCategory? AgeCategory,
    Gender Gender,
    string? Nationality,
    CitizenshipCategory CitizenshipCategory,
    ResidenceBasis ResidenceBasis,
    IReadOnlyList<string> Languages,
    bool InterpreterNeeded,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    LabourSector? LabourSector,
    IReadOnlyList<Indicator> Indicators,
    IReadOnlyList<MethodOfControl> MethodsOfControl,
    IReadOnlyList<string> CountriesOfExploitation,
    string? OperationRef,
    Guid? OperationId,
    ConsentStatus ConsentStatus,
    IReadOnlyList<ConsentScope> ConsentScope,
    IReadOnlyList<string> CoordinatorOrgIds,
    int Recommendations,
    IReadOnlyList<OpenItem> OpenItems,
    ClosureReason? ClosureReason,
    DateTimeOffset? DeclaredAt,
    bool PersonRecordErased,
    bool IsMissing,
    DateTimeOffset? MissingSince,
    bool ProtectedIdentity,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public static SuspicionView From(SuspicionState s, Actor actor) => new(
        s.Id, s.Version, s.Status, s.SubjectId, s.ReportedAt, s.RegisteredAt, s.LastChangedAt, s.ReportingOrgId,
        s.ReportingOrgType, s.Channel, s.VisibleMunicipality(actor), s.AgeCategory, s.Gender, s.Nationality,
        s.CitizenshipCategory, s.ResidenceBasis, s.Languages, s.InterpreterNeeded, s.ExploitationPurposes,
        s.LabourSector, s.Indicators, s.MethodsOfControl, s.CountriesOfExploitation, s.OperationRef, s.OperationId, s.ConsentStatus,
        s.ConsentScope, s.CoordinatorOrgIds, s.Recommendations, s.OpenItems, s.ClosureReason, s.DeclaredAt, s.PersonRecordErased,
        s.IsMissing, s.MissingSince, s.ProtectedIdentity,
        SuspicionWorkflow.For(s, actor).Once(w => w.AllowedActionNames())
            .Concat(WhereaboutsWorkflow.For(s, actor).Once(w => w.AllowedActionNames()))
            .Select(a => AllowedAction.For(s.Id, "suspicion", a))
            .ToList());
}

/// <summary>The suspicion step of one case with the caller's allowed actions.</summary>
[AnyOrganisation]
public sealed record GetSuspicion(Guid CaseId) : IQuery<SuspicionView>;

public sealed class SuspicionReader(IQuerySession session, ICurrentActor current) : IQueryHandler<GetSuspicion, SuspicionView>
{
    public async ValueTask<SuspicionView> Handle(GetSuspicion query, CancellationToken ct)
    {
        var state = await CaseParticipation.ReadableStateAsync(session, query.CaseId, current.Actor, ct);
        return SuspicionView.From(state, current.Actor);
    }
}

/// <summary>The suspicion step's part of the case overview and of an auditor's replay.</summary>
public sealed class SuspicionOverview : ICaseOverviewContributor
{
    public string Step => "suspicion";

    public Func<Actor, object?> Enlist(IBatchedQuery batch, Guid caseId)
    {
        var state = batch.Load<SuspicionState>(caseId);
        return actor => state.Result is { } s ? SuspicionView.From(s, actor) : null;
    }

    public object? Replay(IReadOnlyList<IEvent> events, Actor actor, DateTimeOffset moment) =>
        events.Aggregate((SuspicionState?)null, (s, e) => SuspicionState.Fold(s, e.Data, e.Info()))
            is { } state ? SuspicionView.From(state, actor) : null;
}

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
