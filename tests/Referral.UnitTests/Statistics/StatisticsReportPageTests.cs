using System.Globalization;
using System.Text.RegularExpressions;
using Referral.Modules.Statistics;

namespace Referral.UnitTests.Statistics;

/// <summary>The yearly report as a page: a chart per table, drawn from the published figures only, and the figures beside it.</summary>
public sealed partial class StatisticsReportPageTests
{
    private static StatisticsTable OneDimension(StatisticsDimension dimension, params (string Value, string Count)[] cells) =>
        new(2024, null, null, [dimension], [.. cells.Select(c => new StatisticsCell(c.Value, null, c.Count))], [], [], "225", cells.Count(c => c.Count == "<10"));

    private static StatisticsReport Report() => new(
        2024, null, "225",
        new StatisticsTable(2024, null, null, [StatisticsDimension.AgeCategory, StatisticsDimension.Gender],
            [new("Adult", "Female", "120"), new("Adult", "Male", "49"), new("Child", "Female", "40"), new("Child", "Male", "<10"), new("Child", "Other", "<10")],
            [new("Adult", "170"), new("Child", "55")], [new("Female", "160"), new("Male", "60")], "225", 2),
        OneDimension(StatisticsDimension.ExploitationPurpose, ("SexualExploitation", "100"), ("ForcedLabour", "50"), ("MultiplePurposes", "25"), ("Begging", "<10"), ("Other", "<10")),
        OneDimension(StatisticsDimension.Nationality, ("RO", "40"), ("NG", "30"), ("<script>alert(1)</script>", "20")),
        OneDimension(StatisticsDimension.LabourSector, ("Construction", "30"), ("Agriculture", "<10")),
        [new("2020", "150"), new("2021", "175"), new("2022", "200"), new("2023", "210"), new("2024", "225")],
        [new ProcessMeasure("RegisteredToDeclared", "40", 12.5), new ProcessMeasure("ReflectionApplicationToDecision", "<10", null)]);

    [Fact]
    public void Every_table_has_a_chart_and_its_published_figures_beside_it()
    {
        var page = StatisticsReportPage.Render(Report());
        if (Environment.GetEnvironmentVariable("REPORT_PAGE_OUT") is { Length: > 0 } file)
        {
            File.WriteAllText(file, page); // to look at it
        }

        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Equal(5, Regex.Count(page, "<svg "));
        foreach (var figure in new[] { "120", "49", "40", "100", "50", "25", "30", "150", "175", "210", "225", "12.5" })
        {
            Assert.Contains($"<td>{figure}</td>", page, StringComparison.Ordinal);
        }

        Assert.Contains("<td>Child / Male</td><td>&lt;10</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>Child (total)</td><td>55</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>Male (total)</td><td>60</td>", page, StringComparison.Ordinal);
        Assert.Contains("not shown (fewer than 10 persons)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase); // every value is encoded
        Assert.DoesNotContain("style", page, StringComparison.OrdinalIgnoreCase); // the API's CSP (default-src 'none') holds for the page
        Assert.DoesNotContain("http", page.Replace("http://www.w3.org/", "", StringComparison.Ordinal), StringComparison.Ordinal); // nothing loaded from elsewhere
    }

    [Fact]
    public void A_bar_is_as_long_as_its_published_figure_and_a_hidden_cell_draws_no_bar()
    {
        var page = StatisticsReportPage.Render(Report());
        var purposes = Regex.Matches(page, "<svg .*?</svg>", RegexOptions.Singleline)[1].Value;

        // Horizontal bars, top to bottom in the table's order: 100, 50, 25, then the two hidden cells (zero length).
        var lengths = Bars().Matches(purposes)
            .Select(m => (Y: double.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), Width: double.Parse(m.Groups["w"].Value, CultureInfo.InvariantCulture)))
            .OrderBy(b => b.Y).Select(b => b.Width).Where(w => w > 0.5).ToList();
        Assert.Equal(3, lengths.Count);
        Assert.Equal(0.5, lengths[1] / lengths[0], 2);
        Assert.Equal(0.25, lengths[2] / lengths[0], 2);
    }

    [Theory]
    [InlineData("45", 45)]
    [InlineData("<10", 0)]
    [InlineData("0", 0)]
    public void A_hidden_figure_is_drawn_as_zero(string published, double height) =>
        Assert.Equal(height, StatisticsReportPage.Height(published));

    [GeneratedRegex("<rect fill=\"#4682B4\" x=\"[0-9.]+\" y=\"(?<y>[0-9.]+)\" width=\"(?<w>[0-9.]+)\"")]
    private static partial Regex Bars();
}
