namespace Referral.BuildingBlocks.Statistics;

/// <summary>
/// Disclosure control of a published table (MANUAL.md §7, rules 1–2): primary suppression (1–9 shown as "&lt;10"),
/// secondary suppression (no row or column of the table has exactly one hidden cell, so none can be worked out from the
/// totals), and totals computed on the unsuppressed data, rounded to the nearest 5. Pure.
/// </summary>
public static class StatisticsDisclosure
{
    /// <summary>The smallest count shown.</summary>
    public const int Threshold = 10;

    /// <summary>What a hidden cell shows.</summary>
    public const string Hidden = "<10";

    /// <summary>A count as published: the number, or "&lt;10" when hidden.</summary>
    public static string Show(int count, bool hidden) => hidden ? Hidden : count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A total as published: hidden from 1 to 9 like a cell, otherwise rounded to the nearest 5 (halves up).</summary>
    public static string Total(int count) => count is > 0 and < Threshold ? Hidden : (((count + 2) / 5) * 5).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Which cells of a table of counts (rows × columns) to hide: every count from 1 to 9,
    /// then, while a row or column (with its published total) has exactly one hidden cell, the smallest shown cell of that
    /// line too (a zero as well, when nothing else is left). A one-dimensional table is one row.
    /// </summary>
    public static bool[,] Suppress(int[,] counts)
    {
        var (rows, columns) = (counts.GetLength(0), counts.GetLength(1));
        var hidden = new bool[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                hidden[r, c] = counts[r, c] is > 0 and < Threshold;
            }
        }

        bool changed;
        do
        {
            changed = false;
            for (var r = 0; r < rows; r++)
            {
                changed |= Complete(counts, hidden, Enumerable.Range(0, columns).Select(c => (r, c)).ToList());
            }

            for (var c = 0; c < columns && rows > 1; c++)
            {
                changed |= Complete(counts, hidden, Enumerable.Range(0, rows).Select(r => (r, c)).ToList());
            }
        }
        while (changed);

        return hidden;
    }

    /// <summary>A line with exactly one hidden cell hides one more: its smallest shown cell (a positive one first).</summary>
    private static bool Complete(int[,] counts, bool[,] hidden, IReadOnlyList<(int R, int C)> line)
    {
        if (line.Count(p => hidden[p.R, p.C]) != 1)
        {
            return false;
        }

        var shown = line.Where(p => !hidden[p.R, p.C]).OrderBy(p => counts[p.R, p.C] == 0 ? 1 : 0).ThenBy(p => counts[p.R, p.C]).ToList();
        if (shown.Count == 0)
        {
            return false; // the line's only cell: its total is below 10 and hidden as well (Total)
        }

        hidden[shown[0].R, shown[0].C] = true;
        return true;
    }
}

/// <summary>Who sees which published figures: a regional coordinator its own region, the county (län) of its municipality.</summary>
public static class PublishedRegion
{
    /// <summary>The regional coordinator's county code; null for every other type. A coordinator's token without a municipality is 403.</summary>
    public static string? OwnCounty(Security.Actor actor) =>
        actor.OrgType != Contracts.OrgType.RegionalCoordinator ? null
        : actor.Municipality is { Length: 4 } municipality ? municipality[..2]
        : throw new Errors.ForbiddenException("A regional coordinator's token must name its municipality: its region's figures are the ones it may see.");
}

/// <summary>
/// §7 rule 7: a period's figures are shown to anyone but an auditor only after a publication lag of at least a quarter
/// (configuration <c>Statistics:PublicationLagMonths</c>, read by every module that publishes figures).
/// </summary>
public sealed class PublicationLag
{
    /// <summary>Months after a period's end before it is published.</summary>
    public int PublicationLagMonths { get; set; } = 3;

    /// <summary>The first day the figures of a period ending on <paramref name="periodEnd"/> are published.</summary>
    public DateOnly PublishedFrom(DateOnly periodEnd) => periodEnd.AddMonths(PublicationLagMonths).AddDays(1);
}
