using FluentValidation;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Deadlines;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;
using Referral.Modules.ChildSafeguarding.Contracts;

namespace Referral.Modules.ChildSafeguarding;

/// <summary>
/// The child-safeguarding overlay (MANUAL.md §4.8, R13) for cases of a Child or AgeDisputedTreatedAsChild: concern
/// report, protection assessment by the end of the next day, child investigation and measures, god man and särskild
/// företrädare, a missing child as urgent, and the system's escalations through the shared deadline service.
/// </summary>
public sealed class ChildSafeguardingModule : IModule
{
    public string Name => ChildSafeguardingView.Step;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Synthetic examples for the OpenAPI document (commands no recorded exchange shows).
        services.AddSingleton(new OpenApiExample(typeof(CloseChildOverlay), new CloseChildOverlay(ChildOverlayCloseReason.ProtectionNoLongerNeeded)));
        services.AddValidatorsFromAssemblyContaining<ChildSafeguardingModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.Configure<ChildSafeguardingOptions>(configuration.GetSection("ChildSafeguarding"));
        services.AddScoped<ICaseOverviewContributor, ChildSafeguardingReader>();
        services.AddSingleton<IDeadlineSource, ChildEscalations>();
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<ChildSafeguardingState>();
            options.MapEventAliases(ChildSafeguardingEventAliases.All);
            options.Projections.Add<ChildSafeguardingProjection>(ProjectionLifecycle.Inline);
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var step = app.MapGroup("/api/v1/cases/{caseId:guid}/child-safeguarding").WithTags("Child safeguarding");
        step.MapStepQuery(id => new GetChildSafeguarding(id), nameof(GetChildSafeguarding),
            "The child-safeguarding overlay of a case: status, deadlines, representatives, open duties and the caller's allowed actions.");
        step.MapCaseCommand<RecordConcernReport, ChildSafeguardingView>(CaseEndpoints.Route<RecordConcernReport>(), "Record a concern report (orosanmälan) to social services.");
        step.MapCaseCommand<RecordProtectionAssessment, ChildSafeguardingView>(CaseEndpoints.Route<RecordProtectionAssessment>(), "Record the protection assessment (skyddsbedömning).");
        step.MapCaseCommand<OpenChildInvestigation, ChildSafeguardingView>(CaseEndpoints.Route<OpenChildInvestigation>(), "Open a child investigation (barnutredning).");
        step.MapCaseCommand<DecideChildMeasure, ChildSafeguardingView>(CaseEndpoints.Route<DecideChildMeasure>(), "Decide a measure for the child.");
        step.MapCaseCommand<CloseChildOverlay, ChildSafeguardingView>(CaseEndpoints.Route<CloseChildOverlay>(), "Close the overlay, with the reason.");
        step.MapCaseCommand<RequestGuardian, ChildSafeguardingView>(CaseEndpoints.Route<RequestGuardian>(), "Request a god man for an unaccompanied child.");
        step.MapCaseCommand<RecordGuardianAppointment, ChildSafeguardingView>(CaseEndpoints.Route<RecordGuardianAppointment>(), "Record the god man's appointment.");
        step.MapCaseCommand<RequestSpecialRepresentative, ChildSafeguardingView>(CaseEndpoints.Route<RequestSpecialRepresentative>(), "Record the application for a särskild företrädare.");
    }
}
