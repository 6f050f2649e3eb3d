using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;

namespace Referral.Modules.Statistics;

/// <summary>
/// The yearly national report as a page people read: one self-contained HTML document (no script, no external resource)
/// with a chart per table, drawn by ScottPlot as inline SVG, each followed by its table of figures. No style sheet either:
/// the API's Content-Security-Policy (<c>default-src 'none'</c>) holds for the page too, and SVG and table attributes are
/// not styles. The page is built
/// from the published <see cref="StatisticsReport"/> alone — the same suppressed cells and rounded totals as the JSON —
/// so a chart can show nothing the figures do not: a hidden cell is a bar of height zero labelled "&lt;10".
/// </summary>
public static class StatisticsReportPage
{
    private const int Width = 720;
    private const int RowHeight = 34;

    /// <summary>The page (UTF-8 HTML).</summary>
    public static string Render(StatisticsReport report)
    {
        var title = $"Persons identified as victims of trafficking, {report.Year}" + (report.Region is { } r ? $", county {r}" : ", Sweden");
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n")
            .Append("</head>\n<body>\n")
            .Append("<h1>").Append(E(title)).Append("</h1>\n")
            .Append("<p>Persons counted once across every reporting organisation (R18). Cells of 1–9 persons are shown as “&lt;10”, ")
            .Append("cells that would let a hidden one be worked out are hidden too, and totals are rounded to 5 (MANUAL.md §7). ")
            .Append("Persons in the year: <strong>").Append(E(report.Persons)).Append("</strong>.</p>\n");

        Section(html, "Gender and age", "Persons by age category and gender", report.GenderAndAge);
        Section(html, "Exploitation purposes", "Persons by exploitation purpose (MultiplePurposes: more than one)", report.Purposes);
        Section(html, "Nationalities of adults", "Adults by nationality (children are not broken down by nationality)", report.Nationalities);
        Section(html, "Labour sectors", "Persons by labour sector", report.LabourSectors);

        var trend = report.Trend.Select(t => (t.Value, t.Count)).ToList();
        html.Append("<h2>Trend</h2>\n<figure>").Append(Chart("Persons per year", trend, horizontal: false)).Append("</figure>\n");
        Table(html, ["Year", "Persons"], trend.Select(t => new[] { t.Value, t.Count }));

        html.Append("<h2>Process measures</h2>\n");
        Table(html, ["Measure", "Persons", "Median days"], report.Process.Select(m => new[]
        {
            m.Measure, m.Persons, m.MedianDays?.ToString("0.0", CultureInfo.InvariantCulture) ?? "not shown (fewer than 10 persons)",
        }));
        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>The published value of a figure as a bar height: a hidden cell ("&lt;10") is drawn as zero.</summary>
    internal static double Height(string count) =>
        int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static void Section(StringBuilder html, string heading, string caption, StatisticsTable table)
    {
        var bars = table.Cells
            .Select(c => (Label: string.Join(" / ", new[] { c.Row, c.Column }.Where(v => v is not null)), c.Count))
            .ToList();
        html.Append("<h2>").Append(E(heading)).Append("</h2>\n<figure>").Append(Chart(caption, bars, horizontal: true)).Append("</figure>\n");
        var totals = table.RowTotals.Concat(table.ColumnTotals).Select(t => new[] { $"{t.Value} (total)", t.Count });
        Table(html, ["Group", "Persons"], bars.Select(b => new[] { b.Label, b.Count }).Concat(totals).Append(["Total", table.Total]));
    }

    /// <summary>A bar chart of published figures as SVG; every bar is labelled with the figure as published.</summary>
    private static string Chart(string caption, IReadOnlyList<(string Label, string Count)> figures, bool horizontal)
    {
        using var plot = new Plot();
        plot.Font.Set("DejaVu Sans"); // any installed font when it is missing
        plot.Title(caption, size: 14);
        if (figures.Count == 0)
        {
            plot.Add.Annotation("No persons");
            return plot.GetSvgXml(Width, 120);
        }

        var bars = figures.Select((f, i) => new Bar
        {
            Position = horizontal ? figures.Count - 1 - i : i,
            Value = Height(f.Count),
            Label = f.Count,
            FillColor = Colors.SteelBlue,
        }).ToList();
        var plotted = plot.Add.Bars(bars);
        plotted.Horizontal = horizontal;
        var ticks = bars.Select(b => b.Position).ToArray();
        var labels = figures.Select(f => f.Label).ToArray();
        if (horizontal)
        {
            plot.Axes.Left.SetTicks(ticks, labels);
            plot.Axes.Margins(left: 0, right: 0.15);
        }
        else
        {
            plot.Axes.Bottom.SetTicks(ticks, labels);
            plot.Axes.Margins(bottom: 0, top: 0.15);
        }

        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.08);
        var height = horizontal ? Math.Max(160, 90 + (RowHeight * figures.Count)) : 320;
        return plot.GetSvgXml(Width, height);
    }

    private static void Table(StringBuilder html, string[] header, IEnumerable<string[]> rows)
    {
        html.Append("<table border=\"1\" cellpadding=\"4\">\n<tr>");
        foreach (var h in header)
        {
            html.Append("<th>").Append(E(h)).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
