using FluentValidation;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Time;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.BuildingBlocks.Statistics;

namespace Referral.Modules.Statistics;

/// <summary>What a table may be broken down by (MANUAL.md §7's reporting dimensions).</summary>
public enum StatisticsDimension { Quarter, Region, ReportingOrgType, AgeCategory, Gender, CitizenshipCategory, Nationality, ExploitationPurpose, LabourSector }

/// <summary>The outcome milestones a table may be limited to (a person counts when any of its cases reached it).</summary>
public enum StatisticsMilestone { Declared, ReflectionGranted, CooperationPermitGranted, Indicted, Convicted, Returned }

/// <summary>Settings of the statistics (configuration section <c>Statistics</c>).</summary>
public sealed class StatisticsOptions
{
    /// <summary>§7 rule 6: aggregate queries one user may make per day.</summary>
    public int DailyQueries { get; set; } = 100;

    /// <summary>§7 rule 6: differently filtered variants of the same table one user may ask for per day (differencing).</summary>
    public int TableVariants { get; set; } = 4;
}

/// <summary>
/// Persons identified as victims or presumed victims, counted once per year (R18: cases linked as the same person share a
/// pseudonym), broken down by up to two dimensions, with disclosure control. Cases closed as not trafficking are not
/// counted. For the national coordinator (Jämställdhetsmyndigheten), regional coordinators (their own region) and
/// auditors; every query is logged with its purpose and counts against the caller's query budget.
/// </summary>
/// <param name="Year">The year (Swedish time) a case was registered in.</param>
/// <param name="Quarter">Only this quarter (not for children: year only).</param>
/// <param name="Region">Only this region (county code, two digits); a regional coordinator's own region always.</param>
/// <param name="By">Up to two dimensions to break the count down by.</param>
/// <param name="AgeCategory">Only persons of this age category.</param>
/// <param name="Milestone">Only persons who reached this milestone.</param>
/// <param name="Top">Nationalities shown by name (the most frequent); the rest are "Other".</param>
/// <param name="Purpose">Why the figures are asked for (logged): e.g. "annual report 2026". Nothing identifying.</param>
[AllowedOrganisations(OrgType.GenderEqualityAgency, OrgType.RegionalCoordinator, OrgType.Auditor)]
public sealed record GetPersonStatistics(
    int? Year, int? Quarter, string? Region, IReadOnlyList<StatisticsDimension>? By, StatisticsAge? AgeCategory, StatisticsMilestone? Milestone, string? Purpose, int Top = 10)
    : IQuery<StatisticsTable>;

/// <summary>One cell of a published table: the values of its dimensions and its count ("&lt;10" when hidden).</summary>
/// <param name="Row">The value of the first dimension (absent in a table without dimensions).</param>
/// <param name="Column">The value of the second dimension (absent in a table of fewer than two).</param>
/// <param name="Count">The count, or "&lt;10".</param>
public sealed record StatisticsCell(string? Row, string? Column, string Count);

/// <summary>A published total: of a row, a column or the table; rounded to 5, "&lt;10" below 10.</summary>
/// <param name="Value">The row's or column's value.</param>
/// <param name="Count">The rounded total.</param>
public sealed record StatisticsTotal(string Value, string Count);

/// <summary>A published table: persons counted once, cells with primary and secondary suppression, totals rounded.</summary>
/// <param name="Year">The year.</param>
/// <param name="Quarter">The quarter, when asked.</param>
/// <param name="Region">The region, when limited to one.</param>
/// <param name="Dimensions">The dimensions: rows, then columns.</param>
/// <param name="Cells">Every combination of the dimensions' values present, with its count.</param>
/// <param name="RowTotals">The total of each row (two dimensions).</param>
/// <param name="ColumnTotals">The total of each column (two dimensions).</param>
/// <param name="Total">The table's total.</param>
/// <param name="HiddenCells">How many cells are hidden.</param>
public sealed record StatisticsTable(
    int Year, int? Quarter, string? Region, IReadOnlyList<StatisticsDimension> Dimensions, IReadOnlyList<StatisticsCell> Cells,
    IReadOnlyList<StatisticsTotal> RowTotals, IReadOnlyList<StatisticsTotal> ColumnTotals, string Total, int HiddenCells);

/// <summary>One aggregate query, logged (§7 rule 6): who, for which organisation, why, what and when.</summary>
public sealed record StatisticsQueryLog(Guid Id, DateTimeOffset At, DateOnly Day, string UserId, string OrgId, OrgType OrgType, string Purpose, string Table, string Filters);

/// <summary>The statistics' shared input rules.</summary>
public static class StatisticsRules
{
    /// <summary>A county (län) code: two digits.</summary>
    public static IRuleBuilderOptions<T, string?> CountyCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(2).Matches("^[0-9]{2}$").WithMessage("'Region' must be a county code of two digits, e.g. 01.");

    /// <summary>§7 rule 6: why the figures are asked for, logged with the query.</summary>
    public static IRuleBuilderOptions<T, string?> QueryPurpose<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MaximumLength(Rules.MaxPurposeLength).Must(p => p is null || Rules.IsPurpose(p))
            .WithMessage("'Purpose' must say why, in 1–200 letters, digits and ordinary punctuation, with nothing identifying.");
}

public sealed class GetPersonStatisticsValidator : AbstractValidator<GetPersonStatistics>
{
    public GetPersonStatisticsValidator()
    {
        RuleFor(x => x.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(x => x.Quarter).InclusiveBetween(1, 4);
        RuleFor(x => x.Region).CountyCode();
        RuleFor(x => x.By).MaxItems(2).Distinct();
        RuleForEach(x => x.By).IsInEnum();
        RuleFor(x => x.AgeCategory).IsInEnum();
        RuleFor(x => x.Milestone).IsInEnum();
        RuleFor(x => x.Top).InclusiveBetween(1, 20);
        RuleFor(x => x.Purpose).QueryPurpose();
        // §7 rule 3: children's tables are coarser — year only, and never by nationality.
        RuleFor(x => x.Quarter).Null().When(Children).WithMessage("Children's figures are published per year only: leave out 'Quarter' (allowed: Year, Region, AgeCategory, Gender, ExploitationPurpose, …).");
        RuleFor(x => x.By).Must(by => by is null || !by.Contains(StatisticsDimension.Nationality) && !by.Contains(StatisticsDimension.Quarter)).When(Children)
            .WithMessage("Children's figures are not broken down by nationality or quarter (allowed: Region, ReportingOrgType, AgeCategory, Gender, CitizenshipCategory, ExploitationPurpose, LabourSector).");
    }

    private static bool Children(GetPersonStatistics q) => q.AgeCategory == StatisticsAge.Child || q.By?.Contains(StatisticsDimension.AgeCategory) == true;
}

public sealed partial class StatisticsReader(
    IDocumentSession session, ICurrentActor current, TimeProvider clock, IOptions<StatisticsOptions> options, IOptions<PublicationLag> lag) :
    IQueryHandler<GetPersonStatistics, StatisticsTable>
{
    private static readonly LocalCalendar Calendar = new();

    public async ValueTask<StatisticsTable> Handle(GetPersonStatistics q, CancellationToken ct)
    {
        var actor = current.Actor;
        var year = q.Year!.Value;
        var region = Region(actor, q.Region);
        EnsurePublished(actor, year, q.Quarter);
        await EnsureBudgetAndLogAsync(actor, q.Purpose!, $"persons|{q.Year}|{q.Quarter}|{string.Join(',', (q.By ?? []).Order())}",
            $"region={region}|age={q.AgeCategory}|milestone={q.Milestone}|top={q.Top}", ct);
        var persons = (await PersonsAsync(year, q.Quarter, region, ct))
            .Where(p => q.AgeCategory is not { } age || p.Age == age)
            .Where(p => q.Milestone is not { } m || p.Reached(m))
            .ToList();
        return Table(persons, year, q.Quarter, region, q.By ?? [], q.Top);
    }

    /// <summary>The persons of a period (and region): cases not closed as not trafficking, one person per counted pseudonym (R18).</summary>
    private async Task<IReadOnlyList<Person>> PersonsAsync(int year, int? quarter, string? region, CancellationToken ct)
    {
        IQueryable<StatisticsRecord> records = session.Query<StatisticsRecord>().Where(x => x.Year == year && !x.NotTrafficking);
        if (quarter is { } q)
        {
            records = records.Where(x => x.Quarter == q);
        }

        if (region is not null)
        {
            records = records.Where(x => x.Region == region);
        }

        return [.. (await records.ToListAsync(ct)).GroupBy(r => r.CountedSubjectId).Select(Person.Of)];
    }

    /// <summary>How many persons a year (and region) counts — the same rule as <see cref="PersonsAsync"/>, reading only the pseudonyms.</summary>
    private async Task<int> CountPersonsAsync(int year, string? region, CancellationToken ct)
    {
        IQueryable<StatisticsRecord> records = session.Query<StatisticsRecord>().Where(x => x.Year == year && !x.NotTrafficking);
        if (region is not null)
        {
            records = records.Where(x => x.Region == region);
        }

        return (await records.Select(x => x.CountedSubjectId).ToListAsync(ct)).Distinct().Count();
    }

    /// <summary>A regional coordinator sees its own region (the county of its municipality) and no other.</summary>
    private static string? Region(Actor actor, string? asked)
    {
        if (PublishedRegion.OwnCounty(actor) is not { } own)
        {
            return asked;
        }

        return asked is null || asked == own ? own : throw new ForbiddenException("A regional coordinator sees its own region's figures only.");
    }

    /// <summary>§7 rule 7: a period is published a quarter (configurable) after it ends; auditors see it at once.</summary>
    private void EnsurePublished(Actor actor, int year, int? quarter)
    {
        var today = Calendar.DateOf(clock.GetUtcNow());
        var end = quarter is { } q ? new DateOnly(year, q * 3, 1).AddMonths(1).AddDays(-1) : new DateOnly(year, 12, 31);
        var start = quarter is { } q2 ? new DateOnly(year, (q2 * 3) - 2, 1) : new DateOnly(year, 1, 1);
        if (start > today)
        {
            throw Invalid(nameof(GetPersonStatistics.Year), "The period has not begun: ask for a period that has ended.");
        }

        var published = lag.Value.PublishedFrom(end);
        if (actor.OrgType != OrgType.Auditor && today < published)
        {
            throw Invalid(nameof(GetPersonStatistics.Year), $"The period is inside the publication lag: its figures are published from {published:yyyy-MM-dd} ({lag.Value.PublicationLagMonths} months after it ends).");
        }
    }

    /// <summary>§7 rule 6: every query is logged; a user's daily queries and its variants of one table are limited (429).</summary>
    private async Task EnsureBudgetAndLogAsync(Actor actor, string purpose, string table, string filters, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var day = Calendar.DateOf(now);
        var today = await session.Query<StatisticsQueryLog>().Where(x => x.UserId == actor.UserId && x.Day == day).ToListAsync(ct);
        if (today.Count >= options.Value.DailyQueries)
        {
            throw new QueryBudgetExceededException($"The daily budget of {options.Value.DailyQueries} statistics queries is used up; it renews tomorrow.");
        }

        var variants = today.Where(x => x.Table == table).Select(x => x.Filters).Distinct().ToList();
        if (!variants.Contains(filters) && variants.Count >= options.Value.TableVariants)
        {
            throw new QueryBudgetExceededException(
                $"Differencing refused: {variants.Count} differently filtered variants of this table were already asked for today; comparing them could reveal hidden counts. Ask for a broader table, or again tomorrow.");
        }

        session.Store(new StatisticsQueryLog(Guid.CreateVersion7(now), now, day, actor.UserId, actor.OrgId, actor.OrgType, purpose, table, filters));
        await session.SaveChangesAsync(ct);
    }

    private static ValidationException Invalid(string property, string message) => new([new FluentValidation.Results.ValidationFailure(property, message)]);

    private static StatisticsTable Table(IReadOnlyList<Person> persons, int year, int? quarter, string? region, IReadOnlyList<StatisticsDimension> by, int top)
    {
        var nationalities = persons.Where(p => p.Nationality is not null).GroupBy(p => p.Nationality!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(top).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        string Value(Person p, StatisticsDimension d) => p.Value(d, nationalities);
        var rows = by.Count > 0 ? persons.Select(p => Value(p, by[0])).Distinct().Order(StringComparer.Ordinal).ToList() : [""];
        var columns = by.Count > 1 ? persons.Select(p => Value(p, by[1])).Distinct().Order(StringComparer.Ordinal).ToList() : [""];
        var counts = new int[rows.Count, columns.Count];
        foreach (var p in persons)
        {
            counts[by.Count > 0 ? rows.IndexOf(Value(p, by[0])) : 0, by.Count > 1 ? columns.IndexOf(Value(p, by[1])) : 0]++;
        }

        var hidden = StatisticsDisclosure.Suppress(counts);
        var cells = new List<StatisticsCell>();
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                cells.Add(new StatisticsCell(by.Count > 0 ? rows[r] : null, by.Count > 1 ? columns[c] : null, StatisticsDisclosure.Show(counts[r, c], hidden[r, c])));
            }
        }

        // A line of one cell has no total of its own (it would be the cell itself).
        return new StatisticsTable(year, quarter, region, by, cells,
            by.Count > 1 && columns.Count > 1 ? [.. rows.Select((v, r) => new StatisticsTotal(v, StatisticsDisclosure.Total(Enumerable.Range(0, columns.Count).Sum(c => counts[r, c]))))] : [],
            by.Count > 1 && rows.Count > 1 ? [.. columns.Select((v, c) => new StatisticsTotal(v, StatisticsDisclosure.Total(Enumerable.Range(0, rows.Count).Sum(r => counts[r, c]))))] : [],
            StatisticsDisclosure.Total(persons.Count), hidden.Cast<bool>().Count(h => h));
    }

    /// <summary>One person in a year: the cases counted under one pseudonym, their categories from the first case, purposes and milestones from all.</summary>
    internal sealed record Person(StatisticsRecord First, StatisticsAge Age, IReadOnlyList<ExploitationPurpose> Purposes, IReadOnlyList<StatisticsRecord> Cases)
    {
        public string? Nationality => First.Nationality;

        public static Person Of(IEnumerable<StatisticsRecord> cases)
        {
            var all = cases.OrderBy(c => c.RegisteredAt).ThenBy(c => c.Id).ToList();
            var age = all.Any(c => c.Age == StatisticsAge.Child) ? StatisticsAge.Child : all.Any(c => c.Age == StatisticsAge.Adult) ? StatisticsAge.Adult : StatisticsAge.Unknown;
            return new Person(all[0], age, [.. all.SelectMany(c => c.Purposes).Distinct().Order()], all);
        }

        public IReadOnlyList<MethodOfControl> MethodsOfControl => [.. Cases.SelectMany(c => c.MethodsOfControl).Distinct().Order()];

        public LabourSector? LabourSector => Cases.Select(c => c.LabourSector).FirstOrDefault(l => l is not null);

        /// <summary>Closed when every case of the person is closed as not trafficking — never counted; so "Active" unless a return ended it.</summary>
        public bool Returned => Cases.Any(c => c.ReturnedAt is not null);

        public bool Reached(StatisticsMilestone milestone) => Cases.Any(c => milestone switch
        {
            StatisticsMilestone.Declared => c.DeclaredAt is not null,
            StatisticsMilestone.ReflectionGranted => c.ReflectionGrantedAt is not null,
            StatisticsMilestone.CooperationPermitGranted => c.CooperationPermitGrantedAt is not null,
            StatisticsMilestone.Indicted => c.IndictedAt is not null,
            StatisticsMilestone.Convicted => c.ConvictedAt is not null,
            _ => c.ReturnedAt is not null,
        });

        public string Value(StatisticsDimension dimension, IReadOnlySet<string> nationalities) => dimension switch
        {
            StatisticsDimension.Quarter => $"Q{First.Quarter}",
            StatisticsDimension.Region => First.Region,
            StatisticsDimension.ReportingOrgType => First.ReportingOrgType.ToString(),
            StatisticsDimension.AgeCategory => Age.ToString(),
            StatisticsDimension.Gender => First.Gender.ToString(),
            StatisticsDimension.CitizenshipCategory => First.CitizenshipCategory.ToString(),
            StatisticsDimension.Nationality => First.Nationality is null ? "Unknown" : nationalities.Contains(First.Nationality) ? First.Nationality : "Other",
            StatisticsDimension.ExploitationPurpose => Purposes.Count switch { 0 => "Unknown", 1 => Purposes[0].ToString(), _ => "MultiplePurposes" },
            _ => First.LabourSector?.ToString() ?? "None",
        };
    }
}
