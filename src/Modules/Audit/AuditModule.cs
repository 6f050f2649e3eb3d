using Referral.BuildingBlocks.Security;
using System.Text;
using FluentValidation;
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
using Referral.Modules.Audit.Features;

namespace Referral.Modules.Audit;

/// <summary>
/// Audit: every stream's history with all metadata, the tamper-evident chain over every event, its verification, and an
/// export auditors verify offline (<c>dotnet run --project src/Host -- audit verify FILE</c>). Reads only; adds nothing to the workflow.
/// </summary>
public sealed class AuditModule : IModule
{
    public string Name => "audit";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatorsFromAssemblyContaining<AuditModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddSchemaSql(AuditChain.InstallSql);
        services.ConfigureMarten(options => options.Schema.For<AccessLogEntry>().Index(x => x.CaseId));
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cases/{caseId:guid}/events", CaseHistoryAsync).WithTags("Audit").WithName(nameof(GetCaseHistory)).WithDescription(CaseEndpoints.WhoMay(typeof(GetCaseHistory))).ParametersFrom<GetCaseHistory>().ProducesQueryProblems();
        app.MapGet("/api/v1/investigations/{investigationId:guid}/events", InvestigationHistoryAsync).WithTags("Audit").WithName(nameof(GetInvestigationHistory)).ParametersFrom<GetInvestigationHistory>()
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetInvestigationHistory))).ProducesQueryProblems();
        var audit = app.MapGroup("/api/v1/cases/{caseId:guid}/audit").WithTags("Audit");
        audit.MapGet("verification", VerifyAsync).WithName(nameof(VerifyCaseChain)).WithDescription(CaseEndpoints.WhoMay(typeof(VerifyCaseChain))).ProducesQueryProblems();
        audit.MapGet("access-log", AccessLogAsync).WithName(nameof(GetAccessLog)).WithDescription(CaseEndpoints.WhoMay(typeof(GetAccessLog))).ProducesQueryProblems();
        audit.MapGet("export", ExportAsync).WithName(nameof(ExportCaseChain)).WithDescription(CaseEndpoints.WhoMay(typeof(ExportCaseChain)))
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson").ProducesQueryProblems();
    }

    /// <summary>The case's history: every event with who, for which organisation, correlation, causation and chain link; oldest first.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="step">Only this step's events (alias prefix, e.g. suspicion).</param>
    /// <param name="from">Only events recorded at or after this time.</param>
    /// <param name="to">Only events recorded before this time.</param>
    /// <param name="page">Page number, from 1.</param>
    /// <param name="pageSize">Events per page, 1–500.</param>
    private static async Task<Ok<History>> CaseHistoryAsync(
        Guid caseId, HttpContext http, ISender sender, CancellationToken ct, string? step = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 100)
    {
        var history = await sender.Send(new GetCaseHistory(caseId, step, from, to, page, pageSize), ct);
        http.Response.Headers.ETag = ETag.From(history.Version);
        return TypedResults.Ok(history);
    }

    /// <summary>An investigation's history, with the same metadata and filters.</summary>
    /// <param name="investigationId">The investigation id.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="step">Only this step's events.</param>
    /// <param name="from">Only events recorded at or after this time.</param>
    /// <param name="to">Only events recorded before this time.</param>
    /// <param name="page">Page number, from 1.</param>
    /// <param name="pageSize">Events per page, 1–500.</param>
    private static async Task<Ok<History>> InvestigationHistoryAsync(
        Guid investigationId, ISender sender, CancellationToken ct, string? step = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 100) =>
        TypedResults.Ok(await sender.Send(new GetInvestigationHistory(investigationId, step, from, to, page, pageSize), ct));

    /// <summary>Recomputes the case's tamper-evident chain: intact, or the first broken version and why.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<ChainVerification>> VerifyAsync(Guid caseId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new VerifyCaseChain(caseId), ct));

    /// <summary>Every read of the case made under a stated legal basis (R15): who, organisation, basis, purpose, what, when.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<IReadOnlyList<AccessLogEntry>>> AccessLogAsync(Guid caseId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetAccessLog(caseId), ct));

    /// <summary>The case's events with metadata and chain links as JSON Lines, ending with the head link, for offline verification.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<IResult> ExportAsync(Guid caseId, ISender sender, CancellationToken ct)
    {
        var lines = await sender.Send(new ExportCaseChain(caseId), ct);
        return Results.Text(string.Join('\n', lines) + "\n", "application/x-ndjson", Encoding.UTF8);
    }
}

/// <summary>The offline verifier: <c>audit verify FILE</c> → prints intact with the count, or the first broken line; exit 0 or 1.</summary>
public static class OfflineVerifier
{
    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length != 3 || !File.Exists(args[2]))
        {
            output.WriteLine("usage: audit verify <export.jsonl>");
            return 2;
        }

        var (intact, message) = ChainExport.Verify(File.ReadAllLines(args[2]).Where(l => l.Length > 0).ToList());
        output.WriteLine(message);
        return intact ? 0 : 1;
    }
}
