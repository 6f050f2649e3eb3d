using FluentValidation;
using Mediator;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Statistics;

namespace Referral.Modules.Statistics;

/// <summary>
/// The yearly national report (MANUAL.md §7) as data: persons counted once, the tables the agencies publish — gender ×
/// age, exploitation purposes, the adults' top nationalities, labour sectors — the trend over five years and the process
/// measures, every number through the same disclosure control as any table. Children are never broken down by nationality.
/// </summary>
/// <param name="Year">The year.</param>
/// <param name="Region">Only this region (a regional coordinator's own always).</param>
/// <param name="Purpose">Why the report is asked for (logged). Nothing identifying.</param>
[AllowedOrganisations(OrgType.GenderEqualityAgency, OrgType.RegionalCoordinator, OrgType.Auditor)]
public sealed record GetStatisticsReport(int Year, string? Region, string? Purpose) : IQuery<StatisticsReport>;

/// <summary>A process measure: the median days between two milestones over the persons who reached both (hidden below 10 persons).</summary>
/// <param name="Measure">What is measured.</param>
/// <param name="Persons">How many persons reached both milestones ("&lt;10" when fewer than 10, rounded to 5 otherwise).</param>
/// <param name="MedianDays">The median in days (absent when fewer than 10 persons).</param>
public sealed record ProcessMeasure(string Measure, string Persons, double? MedianDays);

/// <summary>The yearly report's figures.</summary>
/// <param name="Year">The year.</param>
/// <param name="Region">The region, when limited to one.</param>
/// <param name="Persons">Persons identified, counted once (rounded to 5).</param>
/// <param name="GenderAndAge">Persons by age category and gender.</param>
/// <param name="Purposes">Persons by exploitation purpose (MultiplePurposes for more than one).</param>
/// <param name="Nationalities">Adults by nationality (the five most frequent by name).</param>
/// <param name="LabourSectors">Persons by labour sector.</param>
/// <param name="Trend">Persons per year over the five years up to this one.</param>
/// <param name="Process">Median days: registered → declared, reflection application → decision, reflection period → cooperation permit.</param>
public sealed record StatisticsReport(
    int Year, string? Region, string Persons, StatisticsTable GenderAndAge, StatisticsTable Purposes, StatisticsTable Nationalities, StatisticsTable LabourSectors,
    IReadOnlyList<StatisticsTotal> Trend, IReadOnlyList<ProcessMeasure> Process);

public sealed class GetStatisticsReportValidator : AbstractValidator<GetStatisticsReport>
{
    public GetStatisticsReportValidator()
    {
        RuleFor(x => x.Year).InclusiveBetween(2000, 2100);
        RuleFor(x => x.Region).CountyCode();
        RuleFor(x => x.Purpose).QueryPurpose();
    }
}

public sealed partial class StatisticsReader : IQueryHandler<GetStatisticsReport, StatisticsReport>
{
    public async ValueTask<StatisticsReport> Handle(GetStatisticsReport q, CancellationToken ct)
    {
        var actor = current.Actor;
        var region = Region(actor, q.Region);
        EnsurePublished(actor, q.Year, null);
        await EnsureBudgetAndLogAsync(actor, q.Purpose!, $"report|{q.Year}", $"region={region}", ct);
        var persons = await PersonsAsync(q.Year, null, region, ct);
        var trend = new List<StatisticsTotal>();
        for (var year = Math.Max(2000, q.Year - 4); year <= q.Year; year++)
        {
            var count = await CountPersonsAsync(year, region, ct); // the pseudonyms only (the current year too: one rule for every year)
            trend.Add(new StatisticsTotal(year.ToString(System.Globalization.CultureInfo.InvariantCulture), StatisticsDisclosure.Total(count)));
        }

        return new StatisticsReport(
            q.Year, region, StatisticsDisclosure.Total(persons.Count),
            Table(persons, q.Year, null, region, [StatisticsDimension.AgeCategory, StatisticsDimension.Gender], 5),
            Table(persons, q.Year, null, region, [StatisticsDimension.ExploitationPurpose], 5),
            Table([.. persons.Where(p => p.Age == StatisticsAge.Adult)], q.Year, null, region, [StatisticsDimension.Nationality], 5),
            Table(persons, q.Year, null, region, [StatisticsDimension.LabourSector], 5),
            trend,
            [
                Measure("RegisteredToDeclared", persons, p => (p.First.RegisteredAt, p.Cases.Select(c => c.DeclaredAt).Min())),
                Measure("ReflectionApplicationToDecision", persons, p => (p.Cases.Select(c => c.ReflectionAppliedAt).Min(), p.Cases.Select(c => c.ReflectionDecidedAt).Min())),
                Measure("ReflectionPeriodToCooperationPermit", persons, p => (p.Cases.Select(c => c.ReflectionGrantedAt).Min(), p.Cases.Select(c => c.CooperationPermitGrantedAt).Min())),
            ]);
    }

    /// <summary>The median days from the first to the second milestone over the persons who reached both; hidden below 10 persons.</summary>
    internal static ProcessMeasure Measure(string name, IEnumerable<Person> persons, Func<Person, (DateTimeOffset? From, DateTimeOffset? To)> span)
    {
        var days = persons.Select(span).Where(s => s.From is not null && s.To is not null && s.To >= s.From)
            .Select(s => (s.To!.Value - s.From!.Value).TotalDays).Order().ToList();
        if (days.Count < StatisticsDisclosure.Threshold)
        {
            return new ProcessMeasure(name, StatisticsDisclosure.Total(days.Count), null);
        }

        var median = days.Count % 2 == 1 ? days[days.Count / 2] : (days[(days.Count / 2) - 1] + days[days.Count / 2]) / 2;
        return new ProcessMeasure(name, StatisticsDisclosure.Total(days.Count), Math.Round(median, 1));
    }
}
