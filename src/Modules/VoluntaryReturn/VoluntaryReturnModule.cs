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
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.VoluntaryReturn;

/// <summary>
/// Voluntary return (ÅMP, manual step 6): information, the person's own wish, application, joint eligibility by the
/// regional coordinator and IOM, pre-departure assessment, travel, departure, arrival and reintegration — never a
/// removal in disguise, never losing a witness silently (R8), never sending a child home against its best interests (R14).
/// </summary>
public sealed class VoluntaryReturnModule : IModule
{
    public string Name => ReturnView.Step;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Synthetic example for the OpenAPI document.
        services.AddSingleton(new OpenApiExample(typeof(PrepareReturnApplication), new PrepareReturnApplication(
            EligibilityCategory.IdentifiedVictim, "RO", DestinationType.CountryOfOrigin)));

        services.AddSingleton(new OpenApiExample(typeof(RecordChildHandover), new RecordChildHandover("ma-child-protection-casablanca")));
        services.AddSingleton(new OpenApiExample(typeof(PutReturnOnHold), new PutReturnOnHold(HoldReason.TravelDocumentsPending)));
        services.AddSingleton(new OpenApiExample(typeof(RecordInvestigationLeaderNotified), new RecordInvestigationLeaderNotified(Guid.Parse("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a70"))));

        services.AddValidatorsFromAssemblyContaining<VoluntaryReturnModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.Configure<VoluntaryReturnOptions>(configuration.GetSection("VoluntaryReturn"));
        services.AddScoped<ICaseOverviewContributor, VoluntaryReturnReader>();
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<VoluntaryReturnState>();
            options.MapEventAliases(VoluntaryReturnEventAliases.All);
            options.Projections.Add<VoluntaryReturnProjection>(ProjectionLifecycle.Inline);
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var step = app.MapGroup("/api/v1/cases/{caseId:guid}/voluntary-return").WithTags("Voluntary return");
        step.MapStepQuery(id => new GetReturn(id), nameof(GetReturn), "The voluntary return of a case with the caller's allowed actions.");
        step.MapCaseCommand<RecordReturnInformationGiven, ReturnView>(CaseEndpoints.Route<RecordReturnInformationGiven>(), "Record that the person was informed about voluntary return.");
        step.MapCaseCommand<RecordReturnInterest, ReturnView>(CaseEndpoints.Route<RecordReturnInterest>(), "Record the person's own wish to return.");
        step.MapCaseCommand<PrepareReturnApplication, ReturnView>(CaseEndpoints.Route<PrepareReturnApplication>(), "Prepare the return application for the regional coordinator.");
        step.MapCaseCommand<SubmitReturnApplication, ReturnView>(CaseEndpoints.Route<SubmitReturnApplication>(), "Apply to the return programme (ÅMP); the regional coordinator submits.");
        step.MapCaseCommand<RecordEligibilityDecision, ReturnView>(CaseEndpoints.Route<RecordEligibilityDecision>(), "Record the coordinator's or IOM's eligibility decision (both must approve).");
        step.MapCaseCommand<RecordPreDepartureAssessment, ReturnView>(CaseEndpoints.Route<RecordPreDepartureAssessment>(), "Record IOM's risk, needs and health assessment.");
        step.MapCaseCommand<RecordBestInterestsDetermination, ReturnView>(CaseEndpoints.Route<RecordBestInterestsDetermination>(), "Record a child's best-interests determinations (R14).");
        step.MapCaseCommand<RecordInvestigationLeaderAcknowledgement, ReturnView>(CaseEndpoints.Route<RecordInvestigationLeaderAcknowledgement>(), "Record the investigation leader's acknowledgement (R8).");
        step.MapCaseCommand<RecordInvestigationLeaderNotified, ReturnView>(CaseEndpoints.Route<RecordInvestigationLeaderNotified>(), "IOM records that it notified an investigation leader who did not acknowledge within the wait (R8): travel may proceed.");
        step.MapCaseCommand<ArrangeTravel, ReturnView>(CaseEndpoints.Route<ArrangeTravel>(), "Arrange travel.");
        step.MapCaseCommand<RecordDeparture, ReturnView>(CaseEndpoints.Route<RecordDeparture>(), "Record the departure (ends the reflection period early, R7).");
        step.MapCaseCommand<RecordArrival, ReturnView>(CaseEndpoints.Route<RecordArrival>(), "Record the arrival.");
        step.MapCaseCommand<RecordChildHandover, ReturnView>(CaseEndpoints.Route<RecordChildHandover>(), "Record a child's handover to the receiving authority (R14).");
        step.MapCaseCommand<StartReintegration, ReturnView>(CaseEndpoints.Route<StartReintegration>(), "Start reintegration.");
        step.MapCaseCommand<RecordReintegrationContact, ReturnView>(CaseEndpoints.Route<RecordReintegrationContact>(), "Log a reintegration contact.");
        step.MapCaseCommand<CompleteReintegration, ReturnView>(CaseEndpoints.Route<CompleteReintegration>(), "Complete reintegration.");
        step.MapCaseCommand<MarkReintegrationContactLost, ReturnView>(CaseEndpoints.Route<MarkReintegrationContactLost>(), "Record lost contact after return.");
        step.MapCaseCommand<WithdrawFromReturn, ReturnView>(CaseEndpoints.Route<WithdrawFromReturn>(), "Withdraw before departure (no reason required).");
        step.MapCaseCommand<PutReturnOnHold, ReturnView>(CaseEndpoints.Route<PutReturnOnHold>(), "Put the return on hold.");
        step.MapCaseCommand<ResumeReturn, ReturnView>(CaseEndpoints.Route<ResumeReturn>(), "Resume a return on hold.");
    }

}
