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
using Referral.BuildingBlocks.Deadlines;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;
using Referral.Modules.ReflectionPeriod.Contracts;

namespace Referral.Modules.ReflectionPeriod;

/// <summary>
/// The reflection period (betänketid) and the cooperation permit (TUT) of UtlL 5 kap. 15 §: eligibility, applications,
/// Migrationsverket's decisions, extensions and renewals, revocation, suspension while missing, and expiry on time.
/// </summary>
public sealed class ReflectionPeriodModule : IModule
{
    public string Name => ResidencePermitView.Step;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Synthetic examples for the OpenAPI document (R20 corrections and retractions).
        services.AddSingleton(new OpenApiExample(typeof(CorrectReflectionDecision), new CorrectReflectionDecision(
            "MIG-2026-RP-0042", new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 31), "The last day was recorded as the 30th.")));
        services.AddSingleton(new OpenApiExample(typeof(RetractReflectionDecision), new RetractReflectionDecision("The decision was recorded on the wrong case.")));
        services.AddSingleton(new OpenApiExample(typeof(CorrectCooperationPermitDecision), new CorrectCooperationPermitDecision(
            "MIG-2026-TUT-0007", new DateOnly(2026, 4, 1), new DateOnly(2026, 9, 30), "The first day was recorded as 2 April.")));
        services.AddSingleton(new OpenApiExample(typeof(RetractCooperationPermitDecision), new RetractCooperationPermitDecision("The decision was recorded on the wrong case.")));

        services.Configure<ReflectionPeriodOptions>(configuration.GetSection("ReflectionPeriod"));
        services.AddSingleton(new OpenApiExample(typeof(RequestReflectionExtension), new RequestReflectionExtension(
            "The investigation needs the person's statement after the suspects' arrest next week.", true)));
        services.AddSingleton(new OpenApiExample(typeof(RecordReflectionExtensionDecision), new RecordReflectionExtensionDecision(
            DecisionOutcome.Granted, "MIG-RP-2026-0107", new DateOnly(2026, 4, 30))));
        services.AddSingleton(new OpenApiExample(typeof(RecordCooperationPermitRenewalDecision), new RecordCooperationPermitRenewalDecision(
            DecisionOutcome.Granted, "MIG-TUT-2026-0031", new DateOnly(2027, 3, 31))));
        services.AddSingleton(new OpenApiExample(typeof(ReportCooperationConditionUnmet), new ReportCooperationConditionUnmet(
            CooperationCondition.BrokenTiesWithSuspects, "Social services observed renewed contact with a suspect.")));
        services.AddSingleton(new OpenApiExample(typeof(ProposeCooperationPermitRevocation), new ProposeCooperationPermitRevocation(
            CooperationCondition.NeededForInvestigationOrTrial, "The preliminary investigation was closed; the person's presence is no longer needed.")));
        services.AddSingleton(new OpenApiExample(typeof(RecordCooperationPermitRevocationDecision), new RecordCooperationPermitRevocationDecision(true, "MIG-TUT-2026-0044")));
        services.AddValidatorsFromAssemblyContaining<ReflectionPeriodModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddScoped<ICaseOverviewContributor, ReflectionPeriodReader>();
        services.AddSingleton<IDeadlineSource, PermitExpiry>();
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<ReflectionPeriodState>();
            options.MapEventAliases(ReflectionPeriodEventAliases.All);
            options.Projections.Add<ReflectionPeriodProjection>(ProjectionLifecycle.Inline);
            CaseStepDocuments.React(nameof(DepartureEndsPermits), DepartureEndsPermits.ReactAsync);
            options.Schema.For<ReflectionPeriodState>().GinIndexJsonData();
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var step = app.MapGroup("/api/v1/cases/{caseId:guid}/reflection-period").WithTags("Reflection period");
        step.MapStepQuery(id => new GetResidencePermits(id), nameof(GetResidencePermits), "The reflection period and cooperation permit of a case, their deadlines and the caller's allowed actions.");
        step.MapCaseCommand<AssessReflectionEligibility, ResidencePermitView>(CaseEndpoints.Route<AssessReflectionEligibility>(), "Assess eligibility for a reflection period (R2).");
        step.MapCaseCommand<SubmitReflectionApplication, ResidencePermitView>(CaseEndpoints.Route<SubmitReflectionApplication>(), "Apply for a reflection period (betänketid), R1.");
        step.MapCaseCommand<RecordReflectionDecision, ResidencePermitView>(CaseEndpoints.Route<RecordReflectionDecision>(), "Record Migrationsverket's decision on the reflection period.");
        step.MapCaseCommand<CorrectReflectionDecision, ResidencePermitView>(CaseEndpoints.Route<CorrectReflectionDecision>(), "Correct the recorded reflection-period grant (R20).");
        step.MapCaseCommand<RetractReflectionDecision, ResidencePermitView>(CaseEndpoints.Route<RetractReflectionDecision>(), "Retract the recorded reflection-period decision (R20).");
        step.MapCaseCommand<RequestReflectionExtension, ResidencePermitView>(CaseEndpoints.Route<RequestReflectionExtension>(), "Request an extension on special reasons.");
        step.MapCaseCommand<RecordReflectionExtensionDecision, ResidencePermitView>(CaseEndpoints.Route<RecordReflectionExtensionDecision>(), "Record Migrationsverket's decision on the extension.");
        step.MapCaseCommand<EndReflectionPeriodEarly, ResidencePermitView>(CaseEndpoints.Route<EndReflectionPeriodEarly>(), "End the reflection period early.");
        step.MapCaseCommand<SubmitCooperationPermitApplication, ResidencePermitView>(CaseEndpoints.Route<SubmitCooperationPermitApplication>(), "Apply for a cooperation permit (TUT), R4.");
        step.MapCaseCommand<RecordCooperationPermitDecision, ResidencePermitView>(CaseEndpoints.Route<RecordCooperationPermitDecision>(), "Record Migrationsverket's decision on the cooperation permit.");
        step.MapCaseCommand<CorrectCooperationPermitDecision, ResidencePermitView>(CaseEndpoints.Route<CorrectCooperationPermitDecision>(), "Correct the recorded cooperation-permit grant (R20).");
        step.MapCaseCommand<RetractCooperationPermitDecision, ResidencePermitView>(CaseEndpoints.Route<RetractCooperationPermitDecision>(), "Retract the recorded cooperation-permit decision (R20).");
        step.MapCaseCommand<RequestCooperationPermitRenewal, ResidencePermitView>(CaseEndpoints.Route<RequestCooperationPermitRenewal>(), "Request renewal of the cooperation permit.");
        step.MapCaseCommand<RecordCooperationPermitRenewalDecision, ResidencePermitView>(CaseEndpoints.Route<RecordCooperationPermitRenewalDecision>(), "Record Migrationsverket's decision on the renewal.");
        step.MapCaseCommand<ReportCooperationConditionUnmet, ResidencePermitView>(CaseEndpoints.Route<ReportCooperationConditionUnmet>(), "Report that a condition of the cooperation permit no longer holds (R5): the leader and Migrationsverket consider revocation.");
        step.MapCaseCommand<ProposeCooperationPermitRevocation, ResidencePermitView>(CaseEndpoints.Route<ProposeCooperationPermitRevocation>(), "Propose revocation: a condition no longer holds (R5).");
        step.MapCaseCommand<RecordCooperationPermitRevocationDecision, ResidencePermitView>(CaseEndpoints.Route<RecordCooperationPermitRevocationDecision>(), "Record Migrationsverket's decision on the revocation.");

        app.MapGet("/api/v1/deadlines", ListDeadlinesAsync).WithTags("Deadlines").WithName(nameof(ListDeadlines)).WithDescription(CaseEndpoints.WhoMay(typeof(ListDeadlines))).ParametersFrom<ListDeadlines>().ProducesQueryProblems();
    }

    /// <summary>Permit deadlines (decision due, reminders, expiry) of the cases the caller takes part in, within a window.</summary>
    /// <param name="within">ISO 8601 duration, e.g. P14D (default).</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<DeadlineList>> ListDeadlinesAsync(ISender sender, CancellationToken ct, string within = "P14D") =>
        TypedResults.Ok(await sender.Send(new ListDeadlines(within), ct));
}
