using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.Modules.Statistics;
using Referral.Modules.Suspicion.Contracts;
using Referral.BuildingBlocks.Statistics;

namespace Referral.UnitTests.Statistics;

/// <summary>MANUAL.md §7's disclosure rules on tables of every shape, and the pseudonymous record each case gives the statistics.</summary>
public sealed class StatisticsDisclosureTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "<10")]
    [InlineData(9, "<10")]
    [InlineData(10, "10")]
    [InlineData(12, "10")]
    [InlineData(13, "15")]
    [InlineData(225, "225")]
    [InlineData(227, "225")]
    [InlineData(228, "230")]
    public void Totals_are_rounded_to_five_and_hidden_below_ten(int count, string shown) => Assert.Equal(shown, StatisticsDisclosure.Total(count));

    [Fact]
    public void Counts_from_one_to_nine_are_hidden_and_a_lone_hidden_cell_gets_a_partner()
    {
        var hidden = StatisticsDisclosure.Suppress(new[,] { { 40, 3, 25, 0 } });
        // 3 is hidden; 25 (the smallest shown positive cell) goes too, so the total does not give the 3 away; zero stays shown.
        Assert.Equal(new[] { false, true, true, false }, Enumerable.Range(0, 4).Select(c => hidden[0, c]));
    }

    [Fact]
    public void A_zero_is_hidden_when_it_is_the_only_partner_left()
    {
        var hidden = StatisticsDisclosure.Suppress(new[,] { { 4, 0 } });
        Assert.True(hidden[0, 0] && hidden[0, 1]);
    }

    /// <summary>
    /// The attacker: in any row or column whose total is shown, one hidden cell equals the total minus the shown cells. (A
    /// line of one cell publishes no total of its own: it would be the cell; the table's total is checked as a row.)
    /// </summary>
    [Fact]
    public void In_random_tables_no_row_or_column_with_a_shown_total_has_exactly_one_hidden_cell()
    {
        var random = new Random(2026);
        for (var t = 0; t < 2000; t++)
        {
            var (rows, columns) = (random.Next(1, 7), random.Next(1, 7));
            var counts = new int[rows, columns];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    counts[r, c] = random.Next(4) switch { 0 => 0, 1 => random.Next(1, 10), _ => random.Next(10, 60) };
                }
            }

            var hidden = StatisticsDisclosure.Suppress(counts);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    Assert.True(!(counts[r, c] is > 0 and < 10) || hidden[r, c], "a count below 10 was shown");
                }

                var rowTotal = Enumerable.Range(0, columns).Sum(c => counts[r, c]);
                Assert.True(columns == 1 || StatisticsDisclosure.Total(rowTotal) == "<10" || Enumerable.Range(0, columns).Count(c => hidden[r, c]) != 1, $"row {r} of table {t}: " + Dump(counts, hidden));
            }

            for (var c = 0; c < columns && rows > 1; c++)
            {
                var columnTotal = Enumerable.Range(0, rows).Sum(r => counts[r, c]);
                Assert.True(StatisticsDisclosure.Total(columnTotal) == "<10" || Enumerable.Range(0, rows).Count(r => hidden[r, c]) != 1, $"column {c} of table {t}: " + Dump(counts, hidden));
            }
        }
    }

    [Theory]
    [InlineData(11, "10", 6.0)]
    [InlineData(12, "10", 6.5)]
    [InlineData(9, "<10", null)]
    public void A_process_measure_is_the_median_in_days_and_hidden_below_ten_persons(int persons, string shown, double? median)
    {
        var registered = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var people = Enumerable.Range(1, persons).Select(i => StatisticsReader.Person.Of([new StatisticsRecord
        {
            Id = Guid.NewGuid(), CountedSubjectId = Guid.NewGuid(), RegisteredAt = registered, DeclaredAt = registered.AddDays(i),
        }])).ToList();
        var measure = StatisticsReader.Measure("RegisteredToDeclared", people, p => (p.First.RegisteredAt, p.First.DeclaredAt));
        Assert.Equal(("RegisteredToDeclared", shown, median), (measure.Measure, measure.Persons, measure.MedianDays));
    }

    private static string Dump(int[,] counts, bool[,] hidden) =>
        string.Join(" / ", Enumerable.Range(0, counts.GetLength(0)).Select(r => string.Join(",", Enumerable.Range(0, counts.GetLength(1)).Select(c => counts[r, c] + (hidden[r, c] ? "*" : "")))));

    [Fact]
    public void A_case_gives_its_county_its_period_its_categories_and_its_milestones_and_follows_a_subject_link()
    {
        var at = new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.FromHours(2));
        var caseId = Guid.NewGuid();
        var registered = new SuspicionRegistered(caseId, Guid.NewGuid(), at, "ngo-1", OrgType.NGO, ReportingChannel.InPerson, "2584", AgeCategory.AgeDisputedTreatedAsChild,
            Gender.Female, "RO", CitizenshipCategory.NordicOrEuEea, ResidenceBasis.NoRightOfResidence, [], false, [ExploitationPurpose.ForcedLabour], LabourSector.Construction, [], [], [], null,
            ConsentStatus.NotRequiredChild);
        var record = StatisticsRecord.Fold(null, registered, new EventInfo(1, at))!;
        Assert.Equal(("25", 2026, 2, StatisticsAge.Child, OrgType.NGO), (record.Region, record.Year, record.Quarter, record.Age, record.ReportingOrgType));
        Assert.Equal(registered.SubjectId, record.CountedSubjectId);

        var counted = Guid.NewGuid();
        var linked = StatisticsRecord.Fold(record, new SubjectLinked(caseId, Guid.NewGuid(), counted, at), new EventInfo(2, at))!;
        Assert.Equal(counted, linked.CountedSubjectId);
        var closed = StatisticsRecord.Fold(linked, new CaseClosedNotTrafficking(caseId, ClosureReason.NoIndicators, "No indicators.", at, SuspicionStatus.NotTrafficking), new EventInfo(3, at))!;
        Assert.True(closed.NotTrafficking);
        Assert.False(StatisticsRecord.Fold(closed, new CaseReopened(caseId, "New facts.", at, SuspicionStatus.UnderAssessment), new EventInfo(4, at))!.NotTrafficking);
    }

    [Theory]
    [InlineData(3, "2026-04-01")]
    [InlineData(6, "2026-07-01")]
    public void A_year_is_published_the_day_after_its_end_plus_the_configured_lag(int months, string from) =>
        Assert.Equal(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            new PublicationLag { PublicationLagMonths = months }.PublishedFrom(new DateOnly(2025, 12, 31)));
}
