using System.Globalization;
using FluentValidation;
using Mediator;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.BuildingBlocks.Statistics;

namespace Referral.Modules.Statistics;

/// <summary>The international standard an export follows.</summary>
public enum ExportStandard
{
    /// <summary>The Counter Trafficking Data Collaborative's global dataset variables (yearOfRegistration, gender, majorityStatus, …).</summary>
    Ctdc,
    /// <summary>IOM's Human Trafficking Case Data Standard (field names of its published field reference: prs_Gender, org_Type, …).</summary>
    Htcds,
}

/// <summary>Counts per variable (suppressed like any table), or one row per person k-anonymised (k ≥ 11).</summary>
public enum ExportShape { Aggregate, Extract }

/// <summary>
/// A year's persons (R18: once each) in an international standard (MANUAL.md §7): as aggregates — every variable's
/// counts with primary and secondary suppression — or as an extract of one row per person in which every combination of
/// values is shared by at least 11 persons (rarer values generalised to unknown, the rest withheld). No microdata beyond
/// that (§7 rule 4). Same readers, publication lag, log and budget as the tables.
/// </summary>
/// <param name="Standard">CTDC or HTCDS.</param>
/// <param name="Year">The year.</param>
/// <param name="Region">Only this region (a regional coordinator's own always).</param>
/// <param name="Shape">Aggregate (default) or a k-anonymised extract.</param>
/// <param name="Purpose">Why the export is asked for (logged). Nothing identifying.</param>
[AllowedOrganisations(OrgType.GenderEqualityAgency, OrgType.RegionalCoordinator, OrgType.Auditor)]
public sealed record GetStatisticsExport(ExportStandard Standard, int? Year, string? Region, ExportShape Shape, string? Purpose) : IQuery<StatisticsExport>;

/// <summary>One field of the data dictionary: its name in the standard, what it holds, its values.</summary>
public sealed record ExportField(string Name, string Description, IReadOnlyList<string> Values);

/// <summary>An export: the data dictionary, the columns and the rows (strings; counts "&lt;10" when hidden).</summary>
/// <param name="Standard">The standard.</param>
/// <param name="Year">The year.</param>
/// <param name="Region">The region, when limited to one.</param>
/// <param name="Shape">Aggregate or extract.</param>
/// <param name="K">The extract's k: every row's combination of values is shared by at least this many persons.</param>
/// <param name="Dictionary">The fields, described.</param>
/// <param name="Columns">The column names, in order.</param>
/// <param name="Rows">The rows, values in the columns' order.</param>
/// <param name="PersonsWithheld">Extract: persons whose combination was too rare to publish.</param>
public sealed record StatisticsExport(
    ExportStandard Standard, int Year, string? Region, ExportShape Shape, int K, IReadOnlyList<ExportField> Dictionary, IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<string>> Rows, int PersonsWithheld)
{
    /// <summary>The rows as RFC 4180 CSV with a header (values quoted when they need it).</summary>
    public string ToCsv()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvHelper.CsvWriter.Create(writer, null, true))
        {
            csv.WriteRecord([.. Columns]);
            foreach (var row in Rows)
            {
                csv.WriteRecord([.. row]);
            }

            csv.Flush();
        }

        return writer.ToString();
    }
}

public sealed class GetStatisticsExportValidator : AbstractValidator<GetStatisticsExport>
{
    public GetStatisticsExportValidator()
    {
        RuleFor(x => x.Standard).IsInEnum();
        RuleFor(x => x.Shape).IsInEnum();
        RuleFor(x => x.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(x => x.Region).CountyCode();
        RuleFor(x => x.Purpose).QueryPurpose();
    }
}

public sealed partial class StatisticsReader : IQueryHandler<GetStatisticsExport, StatisticsExport>
{
    public async ValueTask<StatisticsExport> Handle(GetStatisticsExport q, CancellationToken ct)
    {
        var actor = current.Actor;
        var year = q.Year!.Value;
        var region = Region(actor, q.Region);
        EnsurePublished(actor, year, null);
        await EnsureBudgetAndLogAsync(actor, q.Purpose!, $"export|{q.Standard}|{q.Shape}|{year}", $"region={region}", ct);
        return StatisticsExports.Build(q.Standard, q.Shape, year, region, await PersonsAsync(year, null, region, ct));
    }
}

/// <summary>The two standards' variables, mapped from the persons, and the two shapes (MANUAL.md §7; the mappings are [A]).</summary>
internal static class StatisticsExports
{
    /// <summary>The extract's k (§7 rule 4, as CTDC publishes: no query over the rows returns fewer than 11 persons).</summary>
    public const int K = 11;

    /// <summary>A variable of a standard: a multi-select's values do not add up to the persons; only the single-valued quasi-identifiers go into an extract.</summary>
    private sealed record Variable(string Name, string Description, IReadOnlyList<string> Values, bool MultiSelect, bool InExtract, Func<StatisticsReader.Person, IReadOnlyList<string>> Of);

    private static readonly string[] Labour = ["Agriculture", "Aquafarming", "Begging", "Construction", "DomesticWork", "Hospitality", "IllicitActivities", "Manufacturing", "MiningOrDrilling", "Peddling", "Transportation", "Other"];

    public static StatisticsExport Build(ExportStandard standard, ExportShape shape, int year, string? region, IReadOnlyList<StatisticsReader.Person> persons)
    {
        var variables = standard == ExportStandard.Ctdc ? Ctdc(year) : Htcds();
        var dictionary = variables.Select(v => new ExportField(v.Name, v.Description, v.Values)).ToList();
        return shape == ExportShape.Aggregate
            ? Aggregate(standard, year, region, dictionary, variables, persons)
            : Extract(standard, year, region, dictionary, [.. variables.Where(v => v.InExtract)], persons);
    }

    /// <summary>Each variable's counts: a single-valued variable is one line with its total (secondary suppression applies); a multi-select value counts persons with it.</summary>
    private static StatisticsExport Aggregate(ExportStandard standard, int year, string? region, IReadOnlyList<ExportField> dictionary, IReadOnlyList<Variable> variables, IReadOnlyList<StatisticsReader.Person> persons)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var variable in variables.Where(v => v.Values.Count > 1))
        {
            var counts = new int[1, variable.Values.Count];
            for (var i = 0; i < variable.Values.Count; i++)
            {
                counts[0, i] = persons.Count(p => variable.Of(p).Contains(variable.Values[i]));
            }

            // A multi-select's values do not add up to a total, so each value is its own line against the persons' total.
            var hidden = variable.MultiSelect ? Lone(counts) : StatisticsDisclosure.Suppress(counts);
            for (var i = 0; i < variable.Values.Count; i++)
            {
                rows.Add([variable.Name, variable.Values[i], StatisticsDisclosure.Show(counts[0, i], hidden[0, i])]);
            }
        }

        rows.Add(["persons", "Total", StatisticsDisclosure.Total(persons.Count)]);
        return new StatisticsExport(standard, year, region, ExportShape.Aggregate, K, dictionary, ["variable", "value", "count"], rows, 0);
    }

    /// <summary>A multi-select value (with the persons' total) is a line of two: having it, and not; both hidden when either is 1–9.</summary>
    private static bool[,] Lone(int[,] counts)
    {
        var hidden = new bool[1, counts.GetLength(1)];
        for (var i = 0; i < counts.GetLength(1); i++)
        {
            hidden[0, i] = counts[0, i] is > 0 and < StatisticsDisclosure.Threshold;
        }

        return hidden;
    }

    /// <summary>One row per person; values shared by fewer than k persons generalised to unknown (""), then rows whose combination is rarer than k withheld.</summary>
    private static StatisticsExport Extract(ExportStandard standard, int year, string? region, IReadOnlyList<ExportField> dictionary, IReadOnlyList<Variable> variables, IReadOnlyList<StatisticsReader.Person> persons)
    {
        var rows = persons.Select(p => variables.Select(v => v.Of(p) is [var value, ..] ? value : "").ToArray()).ToList();
        for (var c = 0; c < variables.Count; c++)
        {
            var rare = rows.GroupBy(r => r[c]).Where(g => g.Count() < K).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var row in rows.Where(r => rare.Contains(r[c])))
            {
                row[c] = "";
            }
        }

        var kept = rows.GroupBy(r => string.Join('\u001f', r)).Where(g => g.Count() >= K).SelectMany(g => g).ToList();
        return new StatisticsExport(standard, year, region, ExportShape.Extract, K, dictionary.Where(d => variables.Any(v => v.Name == d.Name)).ToList(),
            [.. variables.Select(v => v.Name)], [.. kept.OrderBy(r => string.Join('\u001f', r), StringComparer.Ordinal).Select(r => (IReadOnlyList<string>)r)], rows.Count - kept.Count);
    }

    private static string Gender(Gender gender) => gender switch
    {
        Suspicion.Contracts.Gender.Female => "Female",
        Suspicion.Contracts.Gender.Male => "Male",
        Suspicion.Contracts.Gender.Other => "Transgender/NonConforming",
        _ => "Unknown",
    };

    private static IReadOnlyList<string> TypesOfLabour(StatisticsReader.Person p)
    {
        var types = new List<string>();
        if (p.LabourSector is { } sector)
        {
            types.Add(sector switch
            {
                LabourSector.GreenIndustry => "Agriculture",
                LabourSector.Construction => "Construction",
                LabourSector.HotelRestaurant => "Hospitality",
                LabourSector.Industry => "Manufacturing",
                LabourSector.DomesticWork => "DomesticWork",
                LabourSector.Transport => "Transportation",
                _ => "Other",
            });
        }

        if (p.Purposes.Contains(ExploitationPurpose.ForcedBegging))
        {
            types.Add("Begging");
        }

        if (p.Purposes.Contains(ExploitationPurpose.ForcedCriminality))
        {
            types.Add("IllicitActivities");
        }

        return [.. types.Distinct()];
    }

    private static string Flag(bool value) => value ? "1" : "0";

    private static IReadOnlyList<Variable> Ctdc(int year) =>
    [
        new("yearOfRegistration", "The year the person's first case of the year was registered.", [year.ToString(CultureInfo.InvariantCulture)], false, true, _ => [year.ToString(CultureInfo.InvariantCulture)]),
        new("gender", "Gender as recorded.", ["Female", "Male", "Transgender/NonConforming", "Unknown"], false, true, p => [Gender(p.First.Gender)]),
        new("majorityStatus", "Adult or minor (a disputed age treated as a child's counts as a minor).", ["Adult", "Minor", "Unknown"], false, true,
            p => [p.Age switch { StatisticsAge.Adult => "Adult", StatisticsAge.Child => "Minor", _ => "Unknown" }]),
        new("citizenship", "ISO 3166-1 alpha-2 code of the nationality; empty when unknown (or, in an extract, too rare to publish).", [], false, true, p => [p.Nationality ?? ""]),
        new("isForcedLabour", "1 when exploited for forced labour.", ["1", "0"], false, true, p => [Flag(p.Purposes.Contains(ExploitationPurpose.ForcedLabour))]),
        new("isSexualExploit", "1 when exploited sexually.", ["1", "0"], false, true, p => [Flag(p.Purposes.Contains(ExploitationPurpose.SexualExploitation))]),
        new("isOtherExploit", "1 when exploited for another purpose (begging, criminality, organ removal, marriage, …).", ["1", "0"], false, true,
            p => [Flag(p.Purposes.Any(x => x is not (ExploitationPurpose.ForcedLabour or ExploitationPurpose.SexualExploitation or ExploitationPurpose.Unknown)))]),
        .. Labour.Select(l => new Variable("typeOfLabour" + l, $"1 when the labour exploitation was {l}.", ["1", "0"], false, false, p => TypesOfLabour(p).Contains(l) ? ["1"] : ["0"])),
        .. Enum.GetValues<MethodOfControl>().Select(m => new Variable("meansOfControl" + m, $"1 when {m} was used to control the person.", ["1", "0"], false, false,
            p => p.MethodsOfControl.Contains(m) ? ["1"] : ["0"])),
    ];

    private static IReadOnlyList<Variable> Htcds() =>
    [
        new("org_Type", "The type of the organisation that reported the person first in the year.",
            ["NGO", "LawEnforcement", "HealthServiceOrganisation", "CentralGovernmentOrganisation", "LocalGovernmentOrganisation", "ImmigrationService", "LegalService", "CorporateBusiness"], false, true,
            p => [p.First.ReportingOrgType switch
            {
                OrgType.NGO => "NGO",
                OrgType.Police or OrgType.Prosecution => "LawEnforcement",
                OrgType.HealthCare => "HealthServiceOrganisation",
                OrgType.SocialServices or OrgType.RegionalCoordinator => "LocalGovernmentOrganisation",
                OrgType.MigrationAgency => "ImmigrationService",
                OrgType.Court => "LegalService",
                _ => "CentralGovernmentOrganisation",
            }]),
        new("prs_Gender", "Gender as recorded.", ["Male", "Female", "Transgender/NonConforming", "Unknown"], false, true, p => [Gender(p.First.Gender)]),
        new("prs_Nationality", "ISO 3166-1 alpha-2 code; empty when unknown (or, in an extract, too rare to publish).", [], false, true, p => [p.Nationality ?? ""]),
        new("cas_Status", "Closed when the person returned home; otherwise active.", ["Active", "Closed"], false, true, p => [p.Returned ? "Closed" : "Active"]),
        new("vic_TypeOfLabourExploitation", "The types of labour exploitation (multi-select).", Labour, true, false, TypesOfLabour),
        new("vic_MethodsOfControl", "The methods of control used (multi-select).", [.. Enum.GetValues<MethodOfControl>().Select(m => m.ToString())], true, false,
            p => [.. p.MethodsOfControl.Select(m => m.ToString())]),
    ];
}
