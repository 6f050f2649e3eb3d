using FluentValidation;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;
using Referral.Modules.Support.Contracts;

namespace Referral.Modules.Support;

/// <summary>
/// Support and protection (stöd och skydd, manual steps 2–4): phases acute → initial → long-term → ended, parallel
/// service lines, risk assessments and the information checklist. Support starts from the declaration (or acute
/// danger) and never depends on the prosecution step (R10): this module cannot even see its contracts.
/// </summary>
public sealed class SupportModule : IModule
{
    public string Name => SupportView.Step;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Synthetic examples for the OpenAPI document (R20 corrections and retractions).
        services.AddSingleton(new OpenApiExample(typeof(CorrectServiceDecision), new CorrectServiceDecision(
            Guid.Parse("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b"), "SOC-2026-0042", "SoL 4 kap. 1 §", true, new DateOnly(2026, 3, 1), new DateOnly(2026, 5, 31), 36000.50m,
            "The period was recorded one month short.")));
        services.AddSingleton(new OpenApiExample(typeof(RetractServiceDecision), new RetractServiceDecision(
            Guid.Parse("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b"), "Decided on the wrong service line.")));

        services.AddSingleton(new OpenApiExample(typeof(StartService), new StartService(Guid.Parse("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b"), new DateOnly(2026, 3, 2))));
        services.AddSingleton(new OpenApiExample(typeof(EndService), new EndService(Guid.Parse("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b"), new DateOnly(2026, 5, 31))));
        services.AddValidatorsFromAssemblyContaining<SupportModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.Configure<SupportOptions>(configuration.GetSection("Support"));
        services.AddScoped<ICaseOverviewContributor, SupportReader>();
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<SupportState>();
            options.MapEventAliases(SupportEventAliases.All);
            options.Projections.Add<SupportProjection>(ProjectionLifecycle.Inline);
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var step = app.MapGroup("/api/v1/cases/{caseId:guid}/support").WithTags("Support");
        step.MapStepQuery(id => new GetSupport(id), nameof(GetSupport), "Support and protection of a case: phase, service lines, risk assessments, information given, and the caller's allowed actions.");
        step.MapCaseCommand<StartSupport, SupportView>(CaseEndpoints.Route<StartSupport>(), "Start support in acute danger, before a declaration.");
        step.MapCaseCommand<StartInitialPhase, SupportView>(CaseEndpoints.Route<StartInitialPhase>(), "Move from the acute to the initial phase.");
        step.MapCaseCommand<StartLongTermPhase, SupportView>(CaseEndpoints.Route<StartLongTermPhase>(), "Move to long-term support.");
        step.MapCaseCommand<EndSupport, SupportView>(CaseEndpoints.Route<EndSupport>(), "End support, with the reason.");
        step.MapCaseCommand<RecordInformationGiven, SupportView>(CaseEndpoints.Route<RecordInformationGiven>(), "Record information given (checklist items and language).");
        step.MapCaseCommand<RecordRiskAssessment, SupportView>(CaseEndpoints.Route<RecordRiskAssessment>(), "Record a risk assessment.");
        step.MapCaseCommand<RequestService, SupportView>(CaseEndpoints.Route<RequestService>(), "Request a service from a provider.");
        step.MapCaseCommand<DecideService, SupportView>(CaseEndpoints.Route<DecideService>(), "Decide a requested service (who may decide depends on the service).");
        step.MapCaseCommand<CorrectServiceDecision, SupportView>(CaseEndpoints.Route<CorrectServiceDecision>(), "Correct the decision on a service line (R20).");
        step.MapCaseCommand<RetractServiceDecision, SupportView>(CaseEndpoints.Route<RetractServiceDecision>(), "Retract the decision on a service line (R20).");
        step.MapCaseCommand<StartService, SupportView>(CaseEndpoints.Route<StartService>(), "Record that a granted service began.");
        step.MapCaseCommand<EndService, SupportView>(CaseEndpoints.Route<EndService>(), "Record that a service ended.");
    }
}
