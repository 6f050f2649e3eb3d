using FluentValidation;
using JasperFx.Events.Projections;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;
using Referral.BuildingBlocks.Statistics;

namespace Referral.Modules.Statistics;

/// <summary>
/// National statistics (MANUAL.md §7): a pseudonymous record per case, folded from the steps' public events, and tables
/// of persons counted once per year (R18) with disclosure control, publication lag and query auditing. Reads only;
/// writes nothing to cases.
/// </summary>
public sealed class StatisticsModule : IModule
{
    public string Name => "statistics";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StatisticsOptions>(configuration.GetSection("Statistics"));
        services.Configure<PublicationLag>(configuration.GetSection("Statistics"));
        services.AddValidatorsFromAssemblyContaining<StatisticsModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<StatisticsRecord>();
            options.Projections.Add<StatisticsProjection>(ProjectionLifecycle.Inline);
            options.Schema.For<StatisticsRecord>().Index(x => x.Year).Index(x => x.CountedSubjectId);
            options.Schema.For<StatisticsQueryLog>().Index(x => x.UserId).Index(x => x.Day);
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var statistics = app.MapGroup("/api/v1/statistics").WithTags("Statistics");
        statistics.MapGet("persons", PersonsAsync)
            .WithName(nameof(GetPersonStatistics))
            .WithSummary("Persons identified in a year, counted once (R18), by up to two dimensions, with disclosure control (MANUAL.md §7).")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetPersonStatistics)))
            .ParametersFrom<GetPersonStatistics>()
            .ProducesQueryProblems();
        statistics.MapGet("reports/{year:int}", ReportAsync)
            .WithName(nameof(GetStatisticsReport))
            .WithSummary("The yearly national report's figures: persons counted once, gender × age, purposes, top nationalities, labour sectors, the five-year trend and the process measures — every number suppression-safe.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetStatisticsReport)))
            .ParametersFrom<GetStatisticsReport>()
            .ProducesQueryProblems();
        statistics.MapGet("reports/{year:int}/html", ReportPageAsync)
            .WithName("GetStatisticsReportPage")
            .WithSummary("The yearly national report as a page people read: a chart per table (gender × age, purposes, top nationalities, labour sectors, the trend) with its figures — the same suppression-safe numbers as the JSON.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetStatisticsReport)))
            .ParametersFrom<GetStatisticsReport>()
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesQueryProblems();
        statistics.MapGet("exports/{standard}", ExportAsync)
            .WithName(nameof(GetStatisticsExport))
            .WithSummary("A year's persons in the CTDC or HTCDS standard: aggregates with suppression, or an extract k-anonymised with k ≥ 11; with the data dictionary.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetStatisticsExport)))
            .ParametersFrom<GetStatisticsExport>()
            .ProducesQueryProblems();
        statistics.MapGet("exports/{standard}/csv", ExportCsvAsync)
            .WithName("GetStatisticsExportCsv")
            .WithSummary("The same export as CSV (RFC 4180, a header row); the data dictionary is in the JSON form.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetStatisticsExport)))
            .ParametersFrom<GetStatisticsExport>()
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesQueryProblems();
    }

    /// <summary>The yearly national report's figures.</summary>
    /// <param name="year">The year (Swedish time).</param>
    /// <param name="purpose">Why the report is asked for (logged).</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="region">Only this region (county code).</param>
    private static async Task<Ok<StatisticsReport>> ReportAsync(int year, string? purpose, ISender sender, CancellationToken ct, string? region = null) =>
        TypedResults.Ok(await sender.Send(new GetStatisticsReport(year, region, purpose), ct));

    /// <summary>The yearly national report as an HTML page with charts.</summary>
    /// <param name="year">The year (Swedish time).</param>
    /// <param name="purpose">Why the report is asked for (logged).</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="region">Only this region (county code).</param>
    private static async Task<IResult> ReportPageAsync(int year, string? purpose, ISender sender, CancellationToken ct, string? region = null) =>
        Results.Text(StatisticsReportPage.Render(await sender.Send(new GetStatisticsReport(year, region, purpose), ct)), "text/html", System.Text.Encoding.UTF8);

    /// <summary>A year's persons in an international standard, as aggregates or a k-anonymised extract.</summary>
    /// <param name="standard">Ctdc or Htcds.</param>
    /// <param name="year">The year (Swedish time).</param>
    /// <param name="purpose">Why the export is asked for (logged).</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="region">Only this region (county code).</param>
    /// <param name="shape">Aggregate (default) or Extract.</param>
    private static async Task<Ok<StatisticsExport>> ExportAsync(
        ExportStandard standard, int? year, string? purpose, ISender sender, CancellationToken ct, string? region = null, ExportShape shape = ExportShape.Aggregate) =>
        TypedResults.Ok(await sender.Send(new GetStatisticsExport(standard, year, region, shape, purpose), ct));

    /// <summary>The export as CSV.</summary>
    /// <param name="standard">Ctdc or Htcds.</param>
    /// <param name="year">The year (Swedish time).</param>
    /// <param name="purpose">Why the export is asked for (logged).</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="region">Only this region (county code).</param>
    /// <param name="shape">Aggregate (default) or Extract.</param>
    private static async Task<IResult> ExportCsvAsync(
        ExportStandard standard, int? year, string? purpose, ISender sender, CancellationToken ct, string? region = null, ExportShape shape = ExportShape.Aggregate) =>
        Results.Text((await sender.Send(new GetStatisticsExport(standard, year, region, shape, purpose), ct)).ToCsv(), "text/csv", System.Text.Encoding.UTF8);

    /// <summary>Persons identified in a year, counted once, by up to two dimensions; cells 1–9 hidden, totals rounded to 5.</summary>
    /// <param name="year">The year (Swedish time) the cases were registered in.</param>
    /// <param name="purpose">Why the figures are asked for (logged), e.g. "annual report 2026".</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="quarter">Only this quarter (not for children).</param>
    /// <param name="region">Only this region (county code, two digits).</param>
    /// <param name="by">Up to two dimensions.</param>
    /// <param name="ageCategory">Only persons of this age category.</param>
    /// <param name="milestone">Only persons who reached this milestone.</param>
    /// <param name="top">Nationalities shown by name; the rest are "Other".</param>
    private static async Task<Ok<StatisticsTable>> PersonsAsync(
        int? year, string? purpose, ISender sender, CancellationToken ct, int? quarter = null, string? region = null, StatisticsDimension[]? by = null,
        StatisticsAge? ageCategory = null, StatisticsMilestone? milestone = null, int top = 10) =>
        TypedResults.Ok(await sender.Send(new GetPersonStatistics(year, quarter, region, by, ageCategory, milestone, purpose, top), ct));
}
