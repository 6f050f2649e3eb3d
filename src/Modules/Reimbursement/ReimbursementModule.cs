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
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;
using Referral.Modules.Reimbursement.Contracts;

namespace Referral.Modules.Reimbursement;

/// <summary>
/// Municipal and regional cost reimbursement (återsökning, MANUAL.md §4.7, R16): claims per claimant and one or two
/// quarters as streams of their own, lines checked against the cases' service lines, permits and whereabouts, submitted
/// before the deadline, decided and paid by Migrationsverket. Totals are computed, never taken from input.
/// </summary>
public sealed class ReimbursementModule : IModule
{
    public string Name => "reimbursement";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Synthetic examples for the OpenAPI document (R20 corrections and retractions).
        services.AddSingleton(new OpenApiExample(typeof(CorrectClaimDecision), new CorrectClaimDecision(
            "MIG-2026-ERS-0101", [new LineApproval(Guid.Parse("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6c"), 30000.50m)], "One line's approved amount was recorded wrong.")));
        services.AddSingleton(new OpenApiExample(typeof(RetractClaimDecision), new RetractClaimDecision("The decision was recorded on the wrong claim.")));

        services.AddSingleton(new OpenApiExample(typeof(RemoveClaimLine), new RemoveClaimLine(Guid.Parse("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b"))));
        services.AddValidatorsFromAssemblyContaining<ReimbursementModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.Configure<ReimbursementOptions>(configuration.GetSection("Reimbursement"));
        services.AddStreamNeedToKnow<ClaimNeedToKnow>();
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<CaseCostBasis>();
            options.MapEventAliases(ReimbursementEventAliases.All);
            options.Projections.Add<ClaimProjection>(ProjectionLifecycle.Inline);
            options.Projections.Add<CaseCostBasisProjection>(ProjectionLifecycle.Inline);
            options.Schema.For<ClaimState>().Index(x => x.ClaimantOrgId).Index(x => x.Deadline);
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var claims = app.MapGroup("/api/v1/claims").WithTags("Reimbursement claims");
        claims.MapPost("", StartAsync)
            .WithName(nameof(StartClaim))
            .WithSummary("Draft a claim for one or two quarters.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(StartClaim)))
            .Produces<ClaimView>(StatusCodes.Status201Created)
            .ProducesCommandProblems();
        claims.MapGet("", ListAsync).WithName(nameof(ListClaims)).WithSummary("Claims the caller may see, deadline first.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(ListClaims))).ParametersFrom<ListClaims>().ProducesQueryProblems();

        var one = app.MapGroup("/api/v1/claims/{claimId:guid}").WithTags("Reimbursement claims");
        one.MapGet("", GetAsync).WithName(nameof(GetClaim)).WithSummary("One claim with its lines, computed totals, deadline warnings and the caller's allowed actions.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetClaim))).ProducesQueryProblems();
        Map<AddClaimLine>(one, "Add a line: one reimbursable service line of one case for days in the claim's quarters (R16).");
        Map<RemoveClaimLine>(one, "Remove a line from a draft.");
        Map<SubmitClaim>(one, "Submit the claim before its deadline.");
        Map<WithdrawClaim>(one, "Withdraw the claim.");
        Map<DecideClaim>(one, "Migrationsverket decides every line; the outcome and total follow.");
        Map<CorrectClaimDecision>(one, "Correct the decision before payment: every line decided again (R20).");
        Map<RetractClaimDecision>(one, "Retract the decision before payment; the claim awaits a decision again (R20).");
        Map<RecordClaimPayment>(one, "Record Migrationsverket's payment.");
    }

    private static void Map<TCommand>(RouteGroupBuilder group, string summary)
        where TCommand : ClaimCommand =>
        group.MapStreamCommand<TCommand, ClaimView>(CaseEndpoints.Route<TCommand>(), summary, "claimId");

    /// <summary>Draft a claim; starts the claim's stream.</summary>
    /// <param name="command">The quarters.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Created<ClaimView>> StartAsync(StartClaim command, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(command, ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Created($"/api/v1/claims/{view.ClaimId}", view);
    }

    /// <summary>One claim.</summary>
    /// <param name="claimId">The claim id.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<ClaimView>> GetAsync(Guid claimId, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(new GetClaim(claimId), ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Ok(view);
    }

    /// <summary>Claims the caller may see.</summary>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="status">Only claims in this state.</param>
    private static async Task<Ok<IReadOnlyList<ClaimView>>> ListAsync(ISender sender, CancellationToken ct, ClaimStatus? status = null) =>
        TypedResults.Ok(await sender.Send(new ListClaims(status), ct));
}
