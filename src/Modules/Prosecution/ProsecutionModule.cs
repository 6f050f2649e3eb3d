using FluentValidation;
using JasperFx.Events.Projections;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;
using Referral.Modules.Prosecution.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>
/// Prosecution (lagföring, manual step 5): police reports and preliminary investigations as streams of their own with
/// many linked cases, each case's participation (interview, counsel, testimony), indictment, judgment, appeal and
/// finality — informing the other steps through case-level events, never deciding support (R9, R10).
/// </summary>
public sealed class ProsecutionModule : IModule
{
    public string Name => ProsecutionCaseView.Step;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new OpenApiExample(typeof(RecordTestimony), new RecordTestimony(Testimony.Remotely) { InvestigationId = Guid.Parse("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b") }));
        services.AddValidatorsFromAssemblyContaining<ProsecutionModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddScoped<ICaseOverviewContributor, ProsecutionReader>();
        services.AddScoped<IInvestigationLookup, InvestigationLookup>();
        services.AddStreamNeedToKnow<InvestigationNeedToKnow>();
        services.AddSingleton(new OpenApiExample(typeof(ReferInvestigation), new ReferInvestigation("akl-stockholm", OrgType.Prosecution)));
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<ProsecutionCaseState>();
            options.MapEventAliases(ProsecutionEventAliases.All);
            options.Projections.Add<InvestigationProjection>(ProjectionLifecycle.Inline);
            options.Projections.Add<ProsecutionCaseProjection>(ProjectionLifecycle.Inline);
            options.Schema.For<InvestigationState>().Index(x => x.LastEventAt).Index(x => x.ReportedAt);
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var investigations = app.MapGroup("/api/v1/investigations").WithTags("Investigations");
        investigations.MapPost("", FileReportAsync)
            .WithName(nameof(FilePoliceReport))
            .WithDescription(CaseEndpoints.WhoMay(typeof(FilePoliceReport)))
            .Produces<InvestigationView>(StatusCodes.Status201Created)
            .ProducesCommandProblems();
        investigations.MapGet("", ListAsync).WithName(nameof(ListInvestigations)).WithDescription(CaseEndpoints.WhoMay(typeof(ListInvestigations))).ProducesQueryProblems();

        var one = app.MapGroup("/api/v1/investigations/{investigationId:guid}").WithTags("Investigations");
        one.MapGet("", GetInvestigationAsync).WithName(nameof(GetInvestigation)).WithDescription(CaseEndpoints.WhoMay(typeof(GetInvestigation))).ProducesQueryProblems();
        Map<OpenPreliminaryInvestigation>(one, "Open the preliminary investigation (förundersökning).");
        Map<StartInvestigativeMeasures>(one, "Record that investigative measures are under way.");
        Map<LinkCaseToInvestigation>(one, "Link a case as injured party, witness or also-suspect: only a participant of the case, or under OSL 10:21/10:23 (X-Legal-Basis, logged). The investigation's organisations then take part in the case.");
        Map<ReferInvestigation>(one, "Refer the investigation to another police or prosecution organisation or a court, which then takes part in it and its linked cases.");
        Map<CloseInvestigation>(one, "Close the investigation without prosecution (R9 review task for every linked case).");
        Map<Indict>(one, "Indict (åtal) named defendants by pseudonymous reference.");
        Map<ScheduleTrial>(one, "Record that the main hearing is scheduled.");
        Map<RecordJudgment>(one, "Record a judgment per defendant (first instance or appeal).");
        Map<RecordAppeal>(one, "Record that the judgment was appealed.");
        Map<RecordJudgmentFinal>(one, "Record that the judgment became final (laga kraft).");

        var step = app.MapGroup("/api/v1/cases/{caseId:guid}/prosecution").WithTags("Prosecution");
        step.MapStepQuery(id => new GetProsecution(id), nameof(GetProsecution), "The prosecution step of a case: participations, tasks and the caller's allowed actions.");
        step.MapCaseCommand<RecordVictimInterview, ProsecutionCaseView>(CaseEndpoints.Route<RecordVictimInterview>(), "Record the victim's interview.");
        step.MapCaseCommand<RequestCounsel, ProsecutionCaseView>(CaseEndpoints.Route<RequestCounsel>(), "Request counsel for the injured party (målsägandebiträde).");
        step.MapCaseCommand<RecordCounselAppointment, ProsecutionCaseView>(CaseEndpoints.Route<RecordCounselAppointment>(), "Record the court's appointment of counsel.");
        step.MapCaseCommand<RecordSpecialRepresentativeAppointment, ProsecutionCaseView>(CaseEndpoints.Route<RecordSpecialRepresentativeAppointment>(), "Record a special representative for a child.");
        step.MapCaseCommand<RecordTestimony, ProsecutionCaseView>(CaseEndpoints.Route<RecordTestimony>(), "Record how the person was heard at trial.");
        step.MapCaseCommand<CompleteProsecutionTask, ProsecutionCaseView>(CaseEndpoints.Route<CompleteProsecutionTask>(), "Complete a task raised by the criminal track.");
    }

    private static void Map<TCommand>(RouteGroupBuilder group, string summary)
        where TCommand : InvestigationCommand =>
        group.MapStreamCommand<TCommand, InvestigationView>(CaseEndpoints.Route<TCommand>(), summary, "investigationId");

    /// <summary>Record a police report (polisanmälan); starts an investigation stream.</summary>
    /// <param name="command">The report.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Created<InvestigationView>> FileReportAsync(FilePoliceReport command, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(command, ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Created($"/api/v1/investigations/{view.InvestigationId}", view);
    }

    /// <summary>Investigations, newest first.</summary>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="stale">Only open investigations with no event for 90 days.</param>
    private static async Task<Ok<IReadOnlyList<InvestigationView>>> ListAsync(ISender sender, CancellationToken ct, bool stale = false) =>
        TypedResults.Ok(await sender.Send(new ListInvestigations(stale), ct));

    /// <summary>One preliminary investigation with its linked cases and the caller's allowed actions.</summary>
    /// <param name="investigationId">The investigation id.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<InvestigationView>> GetInvestigationAsync(Guid investigationId, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(new GetInvestigation(investigationId), ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Ok(view);
    }

}
