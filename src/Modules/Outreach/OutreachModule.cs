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
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;
using Referral.BuildingBlocks.Statistics;
using Referral.Modules.Outreach.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Outreach;

/// <summary>
/// Joint outreach operations (samverkanspass): police and social services record each shift — where, when, who took
/// part — the persons met (counts, never identities), the buyers reported, and close it once every child met has a case
/// or a recorded reason. A case registered from an operation names it, and the operation counts it. Each operation is a
/// stream of its own with its own need-to-know; the year's figures follow.
/// </summary>
public sealed class OutreachModule : IModule
{
    public string Name => "outreach";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // The published figures follow the statistics' publication lag (Statistics:PublicationLagMonths).
        services.Configure<PublicationLag>(configuration.GetSection("Statistics"));
        // Synthetic examples for the OpenAPI document.
        services.AddSingleton(new OpenApiExample(typeof(RecordOutreachOperation), new RecordOutreachOperation(
            new DateTimeOffset(2026, 11, 20, 21, 0, 0, TimeSpan.FromHours(1)), "0180", "Norrmalm", [PlaceKind.Street, PlaceKind.Hotel], OperationTrigger.Outreach,
            [new OperationParticipant("pol-region-stockholm-1", OrgType.Police), new OperationParticipant("soc-stockholm-1", OrgType.SocialServices)], "Vinternatt 2026")));
        services.AddSingleton(new OpenApiExample(typeof(RecordPersonsMet), new RecordPersonsMet(MetAgeCategory.Adult, Gender.Female, 4, 4, 1, 1, 2)));
        services.AddSingleton(new OpenApiExample(typeof(CorrectPersonsMet), new CorrectPersonsMet(
            Guid.Parse("019d1a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b"), MetAgeCategory.Adult, Gender.Female, 5, 5, 1, 1, 2, "One person was counted twice.")));
        services.AddSingleton(new OpenApiExample(typeof(RecordChildrenWithoutCase), new RecordChildrenWithoutCase(1, NoCaseReason.AlreadyKnownToSocialServices)));
        services.AddSingleton(new OpenApiExample(typeof(RecordBuyersReported), new RecordBuyersReported(2, 1)));
        services.AddSingleton(new OpenApiExample(typeof(AddOperationParticipant), new AddOperationParticipant(new OperationParticipant("ngo-stockholm-1", OrgType.NGO))));
        services.AddSingleton(new OpenApiExample(typeof(CloseOperation), new CloseOperation("Street and hotel outreach; support offered to everyone met.")));
        services.AddSingleton(new OpenApiExample(typeof(ReopenOperation), new ReopenOperation("A count of persons met was recorded wrong.")));
        services.AddValidatorsFromAssemblyContaining<OutreachModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddStreamNeedToKnow<OperationNeedToKnow>();
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<OperationCaseLink>();
            options.MapEventAliases(OutreachEventAliases.All);
            options.Projections.Add<OutreachProjection>(ProjectionLifecycle.Inline);
            options.Projections.Add<OperationCaseLinkProjection>(ProjectionLifecycle.Inline);
            options.Schema.For<OutreachState>().Index(x => x.Year);
            options.Schema.For<OperationCaseLink>().Index(x => x.OperationId);
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var operations = app.MapGroup("/api/v1/operations").WithTags("Outreach operations");
        operations.MapPost("", RecordAsync)
            .WithName(nameof(RecordOutreachOperation))
            .WithSummary("Record a joint outreach operation (samverkanspass); starts its stream.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(RecordOutreachOperation)))
            .Produces<OperationView>(StatusCodes.Status201Created)
            .ProducesCommandProblems();
        operations.MapGet("", ListAsync)
            .WithName(nameof(ListOperations)).WithSummary("The operations the caller takes part in, latest first.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(ListOperations))).ParametersFrom<ListOperations>().ProducesQueryProblems();
        operations.MapGet("/figures", FiguresAsync)
            .WithName(nameof(GetOutreachFigures)).WithSummary("A year's figures of the operations the caller takes part in: operations, persons met, children linked to support, cases opened, buyers reported.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetOutreachFigures))).ParametersFrom<GetOutreachFigures>().ProducesQueryProblems();

        operations.MapGet("/figures/published", PublishedAsync)
            .WithName(nameof(GetPublishedOutreachFigures)).WithSummary("A year's figures of every operation as published: counts from 1 to 9 shown as \"<10\", after the publication lag.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetPublishedOutreachFigures))).ParametersFrom<GetPublishedOutreachFigures>().ProducesQueryProblems();

        var one = app.MapGroup("/api/v1/operations/{operationId:guid}").WithTags("Outreach operations");
        one.MapGet("", GetAsync).WithName(nameof(GetOperation)).WithSummary("One operation with its counts, linked cases and the caller's allowed actions.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetOperation))).ProducesQueryProblems();
        Map<RecordPersonsMet>(one, "Record persons met (counts by age category and gender, and what happened).");
        Map<CorrectPersonsMet>(one, "Correct an entry of persons met.");
        Map<RecordChildrenWithoutCase>(one, "Record children met who get no case here, and why.");
        Map<RecordBuyersReported>(one, "Record buyers reported (under 18 apart, referred to social services).");
        Map<AddOperationParticipant>(one, "Add an organisation taking part.");
        Map<CloseOperation>(one, "Close the operation with a summary: every child met accounted for.");
        Map<ReopenOperation>(one, "Open a closed operation again to correct it.");
    }

    private static void Map<TCommand>(RouteGroupBuilder group, string summary)
        where TCommand : OperationCommand =>
        group.MapStreamCommand<TCommand, OperationView>(CaseEndpoints.Route<TCommand>(), summary, "operationId");

    /// <summary>Record an operation; starts its stream.</summary>
    /// <param name="command">The operation.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Created<OperationView>> RecordAsync(RecordOutreachOperation command, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(command, ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Created($"/api/v1/operations/{view.OperationId}", view);
    }

    /// <summary>One operation.</summary>
    /// <param name="operationId">The operation id.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<OperationView>> GetAsync(Guid operationId, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(new GetOperation(operationId), ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Ok(view);
    }

    /// <summary>The operations the caller takes part in, latest first.</summary>
    /// <param name="year">Only operations of this year (Swedish time).</param>
    /// <param name="municipalityCode">Only operations in this municipality.</param>
    /// <param name="status">Only operations in this state.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="page">Page number, from 1.</param>
    /// <param name="pageSize">Items per page, 1–200.</param>
    private static async Task<Ok<OperationList>> ListAsync(int? year, string? municipalityCode, OperationStatus? status, ISender sender, CancellationToken ct, int page = 1, int pageSize = 50) =>
        TypedResults.Ok(await sender.Send(new ListOperations(year, municipalityCode, status, page, pageSize), ct));

    /// <summary>A year's figures of every operation, as published.</summary>
    /// <param name="year">The year (Swedish time).</param>
    /// <param name="municipalityCode">Only this municipality.</param>
    /// <param name="area">Only this area.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<PublishedOutreachFigures>> PublishedAsync(int? year, string? municipalityCode, string? area, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetPublishedOutreachFigures(year, municipalityCode, area), ct));

    /// <summary>A year's figures of the operations the caller takes part in.</summary>
    /// <param name="year">The year (Swedish time).</param>
    /// <param name="municipalityCode">Only this municipality.</param>
    /// <param name="area">Only this area.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<OutreachFigures>> FiguresAsync(int? year, string? municipalityCode, string? area, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetOutreachFigures(year, municipalityCode, area), ct));
}
