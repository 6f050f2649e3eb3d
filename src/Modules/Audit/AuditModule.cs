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
        services.AddSchemaSql(CheckpointLog.InstallSql);
        services.AddOptions<CheckpointOptions>()
            .Bind(configuration.GetSection("Audit:Checkpoints"))
            .Validate(o => { using var key = o.Key(); return key is not null; }, "Audit:Checkpoints:SigningKey must be set: base64 of a PKCS#8 ECDSA P-256 private key, from the secret store (never the database).")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CheckpointOptions>>().Value);
        services.AddSingleton<CheckpointSigner>();
        services.AddSingleton<CheckpointLog>();
        services.AddSingleton<CheckpointWitness>();
        services.AddHttpClient(CheckpointWitness.Client, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<CheckpointService>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointService>());
        services.ConfigureMarten(options => options.Schema.For<AccessLogEntry>().Index(x => x.CaseId));
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cases/{caseId:guid}/events", CaseHistoryAsync).WithTags("Audit").WithName(nameof(GetCaseHistory)).WithDescription(CaseEndpoints.WhoMay(typeof(GetCaseHistory))).ParametersFrom<GetCaseHistory>().ProducesQueryProblems();
        app.MapGet("/api/v1/investigations/{investigationId:guid}/events", InvestigationHistoryAsync).WithTags("Audit").WithName(nameof(GetInvestigationHistory)).ParametersFrom<GetInvestigationHistory>()
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetInvestigationHistory))).ProducesQueryProblems();
        var audit = app.MapGroup("/api/v1/cases/{caseId:guid}/audit").WithTags("Audit");
        audit.MapGet("verification", VerifyAsync).WithName(nameof(VerifyCaseChain)).WithDescription(CaseEndpoints.WhoMay(typeof(VerifyCaseChain)))
            .ParametersFrom<VerifyCaseChain>().ProducesQueryProblems();
        audit.MapGet("access-log", AccessLogAsync).WithName(nameof(GetAccessLog)).WithDescription(CaseEndpoints.WhoMay(typeof(GetAccessLog))).ProducesQueryProblems();
        var checkpoints = app.MapGroup("/api/v1/audit/checkpoints").WithTags("Audit");
        checkpoints.MapGet("latest", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetCheckpoint(null), ct)))
            .WithName("GetLatestCheckpoint").WithSummary("The latest signed checkpoint of every stream's chain head (size, Merkle root, time, signature).")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetCheckpoint))).ProducesQueryProblems();
        checkpoints.MapGet("{number:long}", async (long number, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetCheckpoint(number), ct)))
            .WithName(nameof(GetCheckpoint)).WithSummary("One signed checkpoint.").WithDescription(CaseEndpoints.WhoMay(typeof(GetCheckpoint)))
            .ParametersFrom<GetCheckpoint>().ProducesQueryProblems();
        checkpoints.MapGet("{number:long}/consistency", ConsistencyAsync).WithName(nameof(GetCheckpointConsistency))
            .WithSummary("The proof that an earlier checkpoint's tree is a prefix of this one's (RFC 9162): nothing it signed changed since.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetCheckpointConsistency))).ParametersFrom<GetCheckpointConsistency>().ProducesQueryProblems();
        checkpoints.MapPost("", async (CreateCheckpoint command, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(command, ct)))
            .WithName(nameof(CreateCheckpoint)).WithSummary("Make a checkpoint now (or answer the latest when nothing changed), and give it to the witnesses.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(CreateCheckpoint))).ProducesCommandProblems();
        app.MapGet("/.well-known/referral-checkpoint-key", (CheckpointSigner signer) => Results.Text(signer.PublicKeyPem, "application/x-pem-file"))
            .AllowAnonymous().ExcludeFromDescription(); // a well-known address outside the API contract, like /health (docs/manual/audit.md)
        audit.MapGet("export", ExportAsync).WithName(nameof(ExportCaseChain)).WithDescription(CaseEndpoints.WhoMay(typeof(ExportCaseChain))).ParametersFrom<ExportCaseChain>()
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

    /// <summary>Recomputes the case's tamper-evident chain — intact, or the first broken version and why — and, with a checkpoint, verifies it against that signed checkpoint.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="checkpoint">Verify against this signed checkpoint too (its number).</param>
    /// <param name="requireWitnessed">Fail unless a witness outside the operator's control holds that checkpoint.</param>
    private static async Task<Ok<ChainVerification>> VerifyAsync(Guid caseId, ISender sender, CancellationToken ct, long? checkpoint = null, bool requireWitnessed = false) =>
        TypedResults.Ok(await sender.Send(new VerifyCaseChain(caseId, checkpoint, requireWitnessed), ct));

    /// <summary>The consistency proof between two checkpoints.</summary>
    /// <param name="number">The later checkpoint.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="from">The earlier checkpoint (default: the one before).</param>
    private static async Task<Ok<CheckpointConsistency>> ConsistencyAsync(long number, ISender sender, CancellationToken ct, long? from = null) =>
        TypedResults.Ok(await sender.Send(new GetCheckpointConsistency(number, from), ct));

    /// <summary>Every read of the case made under a stated legal basis (R15): who, organisation, basis, purpose, what, when.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<IReadOnlyList<AccessLogEntry>>> AccessLogAsync(Guid caseId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetAccessLog(caseId), ct));

    /// <summary>The case's events with metadata and chain links as JSON Lines, ending with the head link and the inclusion proof of the head in a signed checkpoint, for offline verification.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="checkpoint">Prove the head in this checkpoint (default: the latest).</param>
    private static async Task<IResult> ExportAsync(Guid caseId, ISender sender, CancellationToken ct, long? checkpoint = null)
    {
        var lines = await sender.Send(new ExportCaseChain(caseId, checkpoint), ct);
        return Results.Text(string.Join('\n', lines) + "\n", "application/x-ndjson", Encoding.UTF8);
    }
}

/// <summary>
/// The offline verifier, with no database: <c>audit verify EXPORT [--key KEY.pem] [--checkpoint SAVED.json] [--witness DIR]</c>
/// checks an export's chain and, with the key, its signed checkpoint and inclusion proof (against the auditor's saved
/// checkpoint and a witness's copy when given); <c>audit verify-checkpoints PROOF.json --key KEY.pem [--checkpoint SAVED.json]</c>
/// checks two checkpoints against each other. Prints the outcome; exit 0 (verified), 1 (broken) or 2 (usage).
/// </summary>
public static class OfflineVerifier
{
    private const string Usage = "usage: audit verify <export.jsonl> [--key <key.pem>] [--checkpoint <saved.json>] [--witness <dir>]\n       audit verify-checkpoints <consistency.json> --key <key.pem> [--checkpoint <saved.json>]";

    public static int Run(string[] args, TextWriter output)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 3; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        if (args.Length < 3 || (args.Length - 3) % 2 != 0 || !File.Exists(args[2]) || options.Keys.Any(k => k is not ("--key" or "--checkpoint" or "--witness"))
            || options.Where(o => o.Key != "--witness").Any(o => !File.Exists(o.Value)))
        {
            output.WriteLine(Usage);
            return 2;
        }

        try
        {
            var key = options.TryGetValue("--key", out var keyFile) ? File.ReadAllText(keyFile) : null;
            var saved = options.TryGetValue("--checkpoint", out var savedFile) ? System.Text.Json.JsonSerializer.Deserialize<SignedCheckpoint>(File.ReadAllText(savedFile), CheckpointWitness.Json) : null;
            var (ok, message) = args[1] switch
            {
                "verify" => ChainExport.Verify([.. File.ReadAllLines(args[2]).Where(l => l.Length > 0)], new ChainExport.Against(key, saved, options.GetValueOrDefault("--witness"))),
                "verify-checkpoints" when key is not null => VerifyCheckpoints(File.ReadAllText(args[2]), key, saved),
                _ => (false, Usage),
            };
            output.WriteLine(message);
            return ok ? 0 : message == Usage ? 2 : 1;
        }
        catch (System.Text.Json.JsonException)
        {
            output.WriteLine("broken: a file is not the JSON it should be.");
            return 1;
        }
    }

    private static (bool, string) VerifyCheckpoints(string json, string key, SignedCheckpoint? saved)
    {
        var proof = System.Text.Json.JsonSerializer.Deserialize<CheckpointConsistency>(json, CheckpointWitness.Json);
        if (proof is null)
        {
            return (false, "broken: the file holds no consistency proof.");
        }

        if (saved is not null && !saved.SameAs(proof.From))
        {
            return (false, $"inconsistent: the proof starts from checkpoint {proof.From.Number} as the log holds it now, which differs from the saved checkpoint {saved.Number}.");
        }

        try
        {
            return proof.Verify(key);
        }
        catch (FormatException)
        {
            return (false, "broken: the proof is not well-formed.");
        }
    }
}
