using FluentValidation;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Statistics;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Outreach.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Outreach;

/// <summary>
/// One operation with the caller's allowed actions. Counts, codes and organisation ids only. Cases registered from it
/// are counted; of their ids only those of cases the caller takes part in are listed (a case's own need-to-know).
/// </summary>
/// <param name="OperationId">The operation.</param>
/// <param name="Version">The operation's stream version (the ETag).</param>
/// <param name="Status">Open or closed.</param>
/// <param name="OccurredAt">When the shift started.</param>
/// <param name="MunicipalityCode">Municipality (kommunkod).</param>
/// <param name="Area">The district or zone.</param>
/// <param name="PlaceKinds">The kinds of place covered.</param>
/// <param name="Trigger">What set it off.</param>
/// <param name="Participants">The participating organisations.</param>
/// <param name="PoliceOperationName">The police operation's name.</param>
/// <param name="PersonsMet">The entries of persons met (counts).</param>
/// <param name="ChildrenMet">Children met in all.</param>
/// <param name="ChildCasesOpened">Children's cases registered from the operation.</param>
/// <param name="ChildrenWithoutCase">Children recorded without a case, and why.</param>
/// <param name="ChildrenToAccountFor">Children met with neither a case nor a recorded reason: the operation closes at 0.</param>
/// <param name="CasesOpened">Cases registered from the operation.</param>
/// <param name="LinkedCaseIds">Of those, the cases the caller takes part in.</param>
/// <param name="Buyers">Buyers reported, those under 18 apart (and referred to social services).</param>
/// <param name="Summary">The closing summary.</param>
/// <param name="ClosedAt">When it was closed.</param>
/// <param name="AllowedActions">What the caller may do now.</param>
public sealed record OperationView(
    Guid OperationId,
    long Version,
    OperationStatus Status,
    DateTimeOffset OccurredAt,
    string MunicipalityCode,
    string Area,
    IReadOnlyList<PlaceKind> PlaceKinds,
    OperationTrigger Trigger,
    IReadOnlyList<OrganisationRef> Participants,
    string? PoliceOperationName,
    IReadOnlyList<PersonsMet> PersonsMet,
    int ChildrenMet,
    int ChildCasesOpened,
    IReadOnlyList<ChildrenWithoutCase> ChildrenWithoutCase,
    int ChildrenToAccountFor,
    int CasesOpened,
    IReadOnlyList<Guid> LinkedCaseIds,
    BuyerCounts Buyers,
    string? Summary,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    /// <summary>Need-to-know: the participating organisations and auditors.</summary>
    public static bool MaySee(OutreachState s, Actor actor) => actor.OrgType == OrgType.Auditor || s.TakesPart(actor.OrgId);

    /// <summary>The view of <paramref name="s"/>, with its linked cases read in <paramref name="session"/>.</summary>
    public static async Task<OperationView> ReadAsync(IQuerySession session, ICaseAccess access, OutreachState s, Actor actor, CancellationToken ct)
    {
        var links = await session.Query<OperationCaseLink>().Where(x => x.OperationId == s.Id).ToListAsync(ct);
        var readable = await access.ReadableAsync(session, links.Select(l => l.Id).ToList(), actor, ct);
        var childCases = links.Count(l => l.Child);
        using var workflow = OutreachWorkflow.For(s, actor, childCases);
        return new(
            s.Id, s.Version, s.Status, s.OccurredAt, s.MunicipalityCode, s.Area, s.PlaceKinds, s.Trigger, s.Participants, s.PoliceOperationName, s.PersonsMet,
            s.ChildrenMet, childCases, s.ChildrenWithoutCase, workflow.Unaccounted, links.Count, [.. links.Select(l => l.Id).Where(readable.Contains).Order()],
            s.Buyers, s.Summary, s.ClosedAt,
            [.. workflow.AllowedActionNames().Select(a => new AllowedAction(a, $"/api/v1/operations/{s.Id}/{CaseEndpoints.Kebab(a)}"))]);
    }

    /// <summary>Children's cases registered from the operation.</summary>
    public static async Task<int> ChildCasesAsync(IQuerySession session, Guid operationId, CancellationToken ct) =>
        await session.Query<OperationCaseLink>().CountAsync(x => x.OperationId == operationId && x.Child, ct);
}

/// <summary>One operation (its participants and auditors).</summary>
[AnyOrganisation]
public sealed record GetOperation(Guid OperationId) : IQuery<OperationView>;

/// <summary>An operation in a list.</summary>
/// <param name="OperationId">The operation.</param>
/// <param name="Version">Its stream version.</param>
/// <param name="Status">Open or closed.</param>
/// <param name="OccurredAt">When the shift started.</param>
/// <param name="MunicipalityCode">Municipality (kommunkod).</param>
/// <param name="Area">The district or zone.</param>
/// <param name="Trigger">What set it off.</param>
/// <param name="PersonsMet">Persons met in all.</param>
/// <param name="ChildrenMet">Children met.</param>
public sealed record OperationSummary(
    Guid OperationId, long Version, OperationStatus Status, DateTimeOffset OccurredAt, string MunicipalityCode, string Area, OperationTrigger Trigger,
    int PersonsMet, int ChildrenMet);

/// <summary>A page of operations.</summary>
public sealed record OperationList(IReadOnlyList<OperationSummary> Items, int Page, int PageSize, long TotalItems, long TotalPages);

/// <summary>The operations the caller takes part in (auditors: all), latest first.</summary>
/// <param name="Year">Only operations of this year (Swedish time).</param>
/// <param name="MunicipalityCode">Only operations in this municipality.</param>
/// <param name="Status">Only operations in this state.</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Items per page, 1–200.</param>
[AnyOrganisation]
public sealed record ListOperations(int? Year, string? MunicipalityCode, OperationStatus? Status, int Page = 1, int PageSize = 50) : IQuery<OperationList>;

/// <summary>Persons met of one age category and gender.</summary>
public sealed record PersonsMetCount(MetAgeCategory AgeCategory, Gender Gender, int Count);

/// <summary>
/// The figures of a year's operations that the caller takes part in (auditors: all), per municipality and area when
/// asked. Exact counts for the participants themselves; published figures go through the statistics rules (MANUAL.md §7).
/// </summary>
/// <param name="Year">The year.</param>
/// <param name="MunicipalityCode">The municipality, when filtered.</param>
/// <param name="Area">The area, when filtered.</param>
/// <param name="Operations">Operations.</param>
/// <param name="PersonsMet">Persons met by age category and gender.</param>
/// <param name="AdultsMet">Adults met.</param>
/// <param name="AdultsInformedOfSupport">Adults informed of the support society offers.</param>
/// <param name="ChildrenMet">Children met.</param>
/// <param name="ChildrenLinkedToSupport">Children referred (linked on) to social services.</param>
/// <param name="ChildCasesOpened">Children's cases registered from the operations.</param>
/// <param name="ChildrenWithoutCase">Children recorded without a case (with a reason).</param>
/// <param name="CasesOpened">Cases registered from the operations.</param>
/// <param name="BuyersReported">Adult buyers reported.</param>
/// <param name="BuyersUnderEighteen">Buyers under 18 reported.</param>
/// <param name="BuyersUnderEighteenReferred">Buyers under 18 referred to social services.</param>
public sealed record OutreachFigures(
    int Year,
    string? MunicipalityCode,
    string? Area,
    int Operations,
    IReadOnlyList<PersonsMetCount> PersonsMet,
    int AdultsMet,
    int AdultsInformedOfSupport,
    int ChildrenMet,
    int ChildrenLinkedToSupport,
    int ChildCasesOpened,
    int ChildrenWithoutCase,
    int CasesOpened,
    int BuyersReported,
    int BuyersUnderEighteen,
    int BuyersUnderEighteenReferred);

/// <summary>The year's figures of the operations the caller takes part in (auditors: all).</summary>
/// <param name="Year">The year (Swedish time).</param>
/// <param name="MunicipalityCode">Only this municipality.</param>
/// <param name="Area">Only this area (with or without a municipality).</param>
[AnyOrganisation]
public sealed record GetOutreachFigures(int? Year, string? MunicipalityCode, string? Area) : IQuery<OutreachFigures>;

/// <summary>
/// The year's figures as published (MANUAL.md §7): every operation, not only the caller's, through the statistics
/// disclosure rules — a count from 1 to 9 shows "&lt;10" — and a quarter's publication lag after the year ends (auditors
/// at once). For the national coordinator, regional coordinators (operations in their own region) and auditors.
/// </summary>
/// <param name="Year">The year (Swedish time).</param>
/// <param name="MunicipalityCode">Only this municipality.</param>
/// <param name="Area">Only this area.</param>
[AllowedOrganisations(OrgType.GenderEqualityAgency, OrgType.RegionalCoordinator, OrgType.Auditor)]
public sealed record GetPublishedOutreachFigures(int? Year, string? MunicipalityCode, string? Area) : IQuery<PublishedOutreachFigures>;

/// <summary>Published outreach figures: counts as strings, "&lt;10" from 1 to 9.</summary>
/// <param name="Year">The year.</param>
/// <param name="MunicipalityCode">The municipality, when filtered.</param>
/// <param name="Area">The area, when filtered.</param>
/// <param name="Operations">Operations.</param>
/// <param name="AdultsMet">Adults met.</param>
/// <param name="AdultsInformedOfSupport">Adults informed of support.</param>
/// <param name="ChildrenMet">Children met.</param>
/// <param name="ChildrenLinkedToSupport">Children referred (linked on) to social services.</param>
/// <param name="CasesOpened">Cases registered from the operations.</param>
/// <param name="BuyersReported">Adult buyers reported.</param>
/// <param name="BuyersUnderEighteen">Buyers under 18 reported (and referred to social services).</param>
public sealed record PublishedOutreachFigures(
    int Year, string? MunicipalityCode, string? Area, string Operations, string AdultsMet, string AdultsInformedOfSupport, string ChildrenMet,
    string ChildrenLinkedToSupport, string CasesOpened, string BuyersReported, string BuyersUnderEighteen);

public sealed class GetPublishedOutreachFiguresValidator : AbstractValidator<GetPublishedOutreachFigures>
{
    public GetPublishedOutreachFiguresValidator()
    {
        RuleFor(x => x.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(x => x.MunicipalityCode).MunicipalityCode().When(x => x.MunicipalityCode is not null);
        RuleFor(x => x.Area).PlaceName();
    }
}

public sealed class ListOperationsValidator : AbstractValidator<ListOperations>
{
    public ListOperationsValidator()
    {
        RuleFor(x => x.Year).InclusiveBetween(2000, 2100);
        RuleFor(x => x.MunicipalityCode).MunicipalityCode().When(x => x.MunicipalityCode is not null);
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.Page).InclusiveBetween(1, Rules.MaxPage);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 200);
    }
}

public sealed class GetOutreachFiguresValidator : AbstractValidator<GetOutreachFigures>
{
    public GetOutreachFiguresValidator()
    {
        RuleFor(x => x.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(x => x.MunicipalityCode).MunicipalityCode().When(x => x.MunicipalityCode is not null);
        RuleFor(x => x.Area).PlaceName();
    }
}

public sealed class OutreachReader(IQuerySession session, ICurrentActor current, ICaseAccess access, TimeProvider clock, IOptions<PublicationLag> lag) :
    IQueryHandler<GetOperation, OperationView>,
    IQueryHandler<ListOperations, OperationList>,
    IQueryHandler<GetOutreachFigures, OutreachFigures>,
    IQueryHandler<GetPublishedOutreachFigures, PublishedOutreachFigures>
{
    public async ValueTask<OperationView> Handle(GetOperation query, CancellationToken cancellationToken)
    {
        var operation = await session.LoadAsync<OutreachState>(query.OperationId, cancellationToken) ?? throw new NotFoundException("The operation");
        return await OperationView.ReadAsync(session, access, operation, current.Actor, cancellationToken);
    }

    public async ValueTask<OperationList> Handle(ListOperations query, CancellationToken cancellationToken)
    {
        var operations = Visible(query.Year, query.MunicipalityCode, null);
        if (query.Status is { } status)
        {
            operations = operations.Where(x => x.Status == status);
        }

        var total = await operations.CountAsync(cancellationToken);
        var page = await operations.OrderByDescending(x => x.OccurredAt).ThenBy(x => x.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return new OperationList(
            [.. page.Select(o => new OperationSummary(o.Id, o.Version, o.Status, o.OccurredAt, o.MunicipalityCode, o.Area, o.Trigger, o.PersonsMet.Sum(p => p.Count), o.ChildrenMet))],
            query.Page, query.PageSize, total, (total + query.PageSize - 1) / query.PageSize);
    }

    public async ValueTask<OutreachFigures> Handle(GetOutreachFigures query, CancellationToken cancellationToken) =>
        await FiguresAsync(await Visible(query.Year, query.MunicipalityCode, query.Area).ToListAsync(cancellationToken), query.Year!.Value, query.MunicipalityCode, query.Area, cancellationToken);

    public async ValueTask<PublishedOutreachFigures> Handle(GetPublishedOutreachFigures query, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var year = query.Year!.Value;
        var published = lag.Value.PublishedFrom(new DateOnly(year, 12, 31));
        if (actor.OrgType != OrgType.Auditor && new BuildingBlocks.Time.LocalCalendar().DateOf(clock.GetUtcNow()) < published)
        {
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(GetPublishedOutreachFigures.Year),
                $"The year is inside the publication lag: its figures are published from {published:yyyy-MM-dd}.")]);
        }

        // A regional coordinator publishes its own region's operations (the county of its municipality).
        var county = PublishedRegion.OwnCounty(actor);
        IQueryable<OutreachState> all = session.Query<OutreachState>().Where(x => x.Year == year);
        all = query.MunicipalityCode is { } municipality ? all.Where(x => x.MunicipalityCode == municipality) : all;
        all = query.Area is { } area ? all.Where(x => x.Area == area) : all;
        var operations = (await all.ToListAsync(cancellationToken)).Where(o => county is null || o.MunicipalityCode.StartsWith(county, StringComparison.Ordinal)).ToList();
        var f = await FiguresAsync(operations, year, query.MunicipalityCode, query.Area, cancellationToken);
        static string Show(int count) => StatisticsDisclosure.Show(count, count is > 0 and < StatisticsDisclosure.Threshold);
        return new PublishedOutreachFigures(year, query.MunicipalityCode, query.Area, Show(f.Operations), Show(f.AdultsMet), Show(f.AdultsInformedOfSupport), Show(f.ChildrenMet),
            Show(f.ChildrenLinkedToSupport), Show(f.CasesOpened), Show(f.BuyersReported), Show(f.BuyersUnderEighteen));
    }

    private async Task<OutreachFigures> FiguresAsync(IReadOnlyList<OutreachState> operations, int year, string? municipalityCode, string? area, CancellationToken cancellationToken)
    {
        var ids = operations.Select(o => o.Id).ToArray();
        var links = ids.Length == 0 ? [] : await session.Query<OperationCaseLink>().Where(x => x.OperationId.IsOneOf(ids)).ToListAsync(cancellationToken);
        var met = operations.SelectMany(o => o.PersonsMet).ToList();
        int Sum(MetAgeCategory age, Func<PersonsMet, int> count) => met.Where(p => p.AgeCategory == age).Sum(count);
        return new OutreachFigures(
            year, municipalityCode, area, operations.Count,
            [.. met.GroupBy(p => (p.AgeCategory, p.Gender)).OrderBy(g => g.Key).Select(g => new PersonsMetCount(g.Key.AgeCategory, g.Key.Gender, g.Sum(p => p.Count)))],
            Sum(MetAgeCategory.Adult, p => p.Count), Sum(MetAgeCategory.Adult, p => p.InformedOfSupport),
            Sum(MetAgeCategory.Child, p => p.Count), Sum(MetAgeCategory.Child, p => p.ReferredToSocialServices),
            links.Count(l => l.Child), operations.Sum(o => o.ChildrenWithoutCaseCount), links.Count,
            operations.Sum(o => o.Buyers.Adults), operations.Sum(o => o.Buyers.UnderEighteen), operations.Sum(o => o.Buyers.UnderEighteenReferredToSocialServices));
    }

    /// <summary>Need-to-know: the operations the caller takes part in; auditors read all.</summary>
    private IQueryable<OutreachState> Visible(int? year, string? municipality, string? area)
    {
        var actor = current.Actor;
        IQueryable<OutreachState> operations = session.Query<OutreachState>();
        if (actor.OrgType != OrgType.Auditor)
        {
            operations = operations.Where(x => x.ParticipantOrgIds.Contains(actor.OrgId));
        }

        if (year is { } y)
        {
            operations = operations.Where(x => x.Year == y);
        }

        if (municipality is not null)
        {
            operations = operations.Where(x => x.MunicipalityCode == municipality);
        }

        if (area is not null)
        {
            operations = operations.Where(x => x.Area == area);
        }

        return operations;
    }
}
