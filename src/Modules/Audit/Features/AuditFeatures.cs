using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;

namespace Referral.Modules.Audit.Features;

/// <summary>One event of a history as stored, with every metadata field and its chain link. Payloads contain no personal data.</summary>
/// <param name="Sequence">Global order in the store.</param>
/// <param name="Version">Position in the stream (1 = the first event).</param>
/// <param name="Type">The stored alias, e.g. suspicion.presumed_victim_declared; its prefix names the step.</param>
/// <param name="RecordedAt">When it was stored. Business times (when something happened) are fields of the payload.</param>
/// <param name="UserId">Who acted (claim sub), or "system" for deadlines.</param>
/// <param name="OrgId">For which organisation.</param>
/// <param name="OrgType">The organisation's type.</param>
/// <param name="LegalBasis">The legal basis of a cross-agency disclosure, when there was one.</param>
/// <param name="CorrelationId">The request's correlation id.</param>
/// <param name="CausationId">The command (or deadline) that caused it.</param>
/// <param name="Link">The tamper-evident chain link.</param>
/// <param name="Data">The event payload as stored.</param>
public sealed record HistoryEvent(
    long Sequence, long Version, string Type, DateTimeOffset RecordedAt, string? UserId, string? OrgId, string? OrgType, string? LegalBasis,
    string? CorrelationId, string? CausationId, string? Link, JsonNode? Data);

/// <summary>A page of a stream's history.</summary>
public sealed record History(Guid StreamId, long Version, int Page, int PageSize, long TotalItems, IReadOnlyList<HistoryEvent> Items) : IVersionedView;

/// <summary>A case's history: every event with its metadata, oldest first, paged, optionally one step's and a time range.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Step">Only this step's events (the alias prefix, e.g. suspicion, reflection_period, prosecution).</param>
/// <param name="From">Only events recorded at or after this time.</param>
/// <param name="To">Only events recorded before this time.</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Events per page, 1–500.</param>
[AnyOrganisation]
public sealed record GetCaseHistory(Guid CaseId, string? Step, DateTimeOffset? From, DateTimeOffset? To, int Page = 1, int PageSize = 100) : IQuery<History>;

/// <summary>An investigation's history (investigation secrecy: police, prosecution, courts, auditors).</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.Court, OrgType.Auditor)]
public sealed record GetInvestigationHistory(Guid InvestigationId, string? Step, DateTimeOffset? From, DateTimeOffset? To, int Page = 1, int PageSize = 100) : IQuery<History>, IInvestigationScoped;

/// <summary>
/// Recomputes a case's chain (auditors, and social services taking part in the case) — and, with a checkpoint, verifies
/// it against that signed checkpoint.
/// </summary>
/// <param name="CaseId">The case.</param>
/// <param name="Checkpoint">Verify against this signed checkpoint too (its number).</param>
/// <param name="RequireWitnessed">Fail unless a witness outside the operator's control holds the checkpoint.</param>
[AllowedOrganisations(OrgType.Auditor, OrgType.SocialServices)]
public sealed record VerifyCaseChain(Guid CaseId, long? Checkpoint = null, bool RequireWitnessed = false) : IQuery<ChainVerification>;

/// <summary>A case's events with metadata and links, as JSON Lines, for offline verification, with the inclusion proof of its head in a checkpoint.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Checkpoint">Prove the head in this checkpoint (default: the latest).</param>
[AllowedOrganisations(OrgType.Auditor, OrgType.SocialServices)]
public sealed record ExportCaseChain(Guid CaseId, long? Checkpoint = null) : IQuery<IReadOnlyList<string>>;

public sealed class VerifyCaseChainValidator : AbstractValidator<VerifyCaseChain>
{
    public VerifyCaseChainValidator()
    {
        RuleFor(x => x.Checkpoint).InclusiveBetween(1, long.MaxValue);
        RuleFor(x => x.Checkpoint).NotNull().When(x => x.RequireWitnessed).WithMessage("'Checkpoint' must be given to require that it was witnessed.");
    }
}

public sealed class ExportCaseChainValidator : AbstractValidator<ExportCaseChain>
{
    public ExportCaseChainValidator() => RuleFor(x => x.Checkpoint).InclusiveBetween(1, long.MaxValue);
}

public sealed class GetCaseHistoryValidator : AbstractValidator<GetCaseHistory>
{
    public GetCaseHistoryValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, Rules.MaxPage);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 500);
        RuleFor(x => x.Step).StepPrefix();
        RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x.From is not null && x.To is not null);
    }
}

public sealed class GetInvestigationHistoryValidator : AbstractValidator<GetInvestigationHistory>
{
    public GetInvestigationHistoryValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, Rules.MaxPage);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 500);
        RuleFor(x => x.Step).StepPrefix();
    }
}

public sealed class AuditHandler(IQuerySession session, ICurrentActor current, ICaseAccess access, CheckpointLog checkpoints, CheckpointSigner signer, CheckpointOptions options) :
    IQueryHandler<GetCaseHistory, History>,
    IQueryHandler<GetInvestigationHistory, History>,
    IQueryHandler<VerifyCaseChain, ChainVerification>,
    IQueryHandler<ExportCaseChain, IReadOnlyList<string>>
{
    public async ValueTask<History> Handle(GetCaseHistory query, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, current.Actor, cancellationToken);
        return await HistoryAsync(query.CaseId, query.Step, query.From, query.To, query.Page, query.PageSize, "The case", cancellationToken);
    }

    public ValueTask<History> Handle(GetInvestigationHistory query, CancellationToken cancellationToken) =>
        HistoryAsync(query.InvestigationId, query.Step, query.From, query.To, query.Page, query.PageSize, "The investigation", cancellationToken);

    public async ValueTask<ChainVerification> Handle(VerifyCaseChain query, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, current.Actor, cancellationToken);
        var events = await AuditChain.ReadAsync(session, query.CaseId, cancellationToken);
        if (query.Checkpoint is not { } number)
        {
            return AuditChain.Verify(events);
        }

        var checkpoint = await checkpoints.GetAsync(number, cancellationToken) ?? throw new NotFoundException($"Checkpoint {number}");
        var proof = await checkpoints.InclusionAsync(query.CaseId, checkpoint, cancellationToken);
        // A witness's own copy when its folder is reachable from here; otherwise the recorded delivery to the witness.
        var witnessed = options.WitnessDirectory is { } folder ? CheckpointWitness.Copy(folder, number) : checkpoint.WitnessedAt is null ? null : checkpoint;
        return AuditChain.VerifyAgainst(events, checkpoint, proof, signer.PublicKeyPem, query.RequireWitnessed, witnessed);
    }

    public async ValueTask<IReadOnlyList<string>> Handle(ExportCaseChain query, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(session, query.CaseId, current.Actor, cancellationToken);
        var events = await AuditChain.ReadAsync(session, query.CaseId, cancellationToken);
        var checkpoint = await checkpoints.GetAsync(query.Checkpoint, cancellationToken);
        if (query.Checkpoint is { } number && checkpoint is null)
        {
            throw new NotFoundException($"Checkpoint {number}");
        }

        var proof = checkpoint is null ? null : await checkpoints.InclusionAsync(query.CaseId, checkpoint, cancellationToken);
        return ChainExport.Lines(events, proof is null ? null : checkpoint, proof);
    }

    private async ValueTask<History> HistoryAsync(Guid streamId, string? step, DateTimeOffset? from, DateTimeOffset? to, int page, int pageSize, string what, CancellationToken ct)
    {
        var stream = await session.Events.FetchStreamStateAsync(streamId, ct) ?? throw new NotFoundException(what);
        var chained = await AuditChain.ReadAsync(session, streamId, ct);
        var links = chained.ToDictionary(c => c.Version, c => c.Link);
        var selected = (await session.Events.FetchStreamAsync(streamId, token: ct))
            .Where(e => step is null || e.EventTypeName.StartsWith(step + ".", StringComparison.Ordinal))
            .Where(e => (from is null || e.Timestamp >= from) && (to is null || e.Timestamp < to))
            .ToList();
        var items = selected.Skip((page - 1) * pageSize).Take(pageSize).Select(e => new HistoryEvent(
            e.Sequence, e.Version, e.EventTypeName, e.Timestamp, e.UserName, e.Header(EventHeaders.OrgId), e.Header(EventHeaders.OrgType),
            e.Header(EventHeaders.LegalBasis), e.CorrelationId, e.CausationId, links.GetValueOrDefault(e.Version),
            JsonSerializer.SerializeToNode(e.Data, e.Data.GetType(), ChainExport.Json))).ToList();
        return new History(streamId, stream.Version, page, pageSize, selected.Count, items);
    }
}

/// <summary>The export format: one JSON line per event with the exact stored text, and a final line with the head link.</summary>
public static class ChainExport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The export's last line: the head link and, when the case is in one, a signed checkpoint with the inclusion proof of its head.</summary>
    public sealed record HeadLine(string? Head, int Count, bool IntactWhenExported, SignedCheckpoint? Checkpoint, InclusionProof? Inclusion);

    public static IReadOnlyList<string> Lines(IReadOnlyList<ChainedEvent> events, SignedCheckpoint? checkpoint = null, InclusionProof? inclusion = null)
    {
        var lines = events.Select(e => JsonSerializer.Serialize(e, Json)).ToList();
        var check = AuditChain.Verify(events);
        lines.Add(JsonSerializer.Serialize(new HeadLine(check.HeadLink, events.Count, check.Intact, checkpoint, inclusion), Json));
        return lines;
    }

    /// <summary>What an offline verification checks beyond the chain: the checkpoint key, the auditor's saved checkpoint, a witness's folder.</summary>
    /// <param name="PublicKeyPem">The checkpoint key (PEM, from the well-known address): verify the export's signed checkpoint and inclusion proof.</param>
    /// <param name="Saved">A checkpoint the auditor saved earlier: the export must be proved against exactly that one.</param>
    /// <param name="WitnessFolder">The witness's store: it must hold an identical copy of the checkpoint.</param>
    public sealed record Against(string? PublicKeyPem, SignedCheckpoint? Saved, string? WitnessFolder);

    /// <summary>Verifies an export without the database: the chain of its lines, its head line and, when asked, its signed checkpoint.</summary>
    public static (bool Intact, string Message) Verify(IReadOnlyList<string> lines, Against? against = null)
    {
        if (lines.Count == 0)
        {
            return (false, "The file is empty.");
        }

        var events = new List<ChainedEvent>();
        for (var i = 0; i < lines.Count - 1; i++)
        {
            try
            {
                events.Add(JsonSerializer.Deserialize<ChainedEvent>(lines[i], Json) ?? throw new JsonException("empty line"));
            }
            catch (JsonException)
            {
                return (false, $"broken at line {i + 1}: it is not an exported event.");
            }
        }

        var result = AuditChain.Verify(events);
        if (!result.Intact)
        {
            return (false, $"broken at line {result.BrokenAtVersion} (version {result.BrokenAtVersion}): {result.Reason}");
        }

        HeadLine? last;
        try
        {
            last = JsonSerializer.Deserialize<HeadLine>(lines[^1], Json);
        }
        catch (JsonException)
        {
            last = null;
        }

        if (last is null || last.Head != result.HeadLink)
        {
            return (false, $"broken at line {lines.Count}: the head link does not match the chain.");
        }

        if (against?.PublicKeyPem is not { } key)
        {
            return (true, $"intact: {events.Count} events, head {result.HeadLink} (not checked against a signed checkpoint: give --key)");
        }

        if (last.Checkpoint is not { } checkpoint)
        {
            return (false, "not verified: the export carries no signed checkpoint (none covered the case when it was exported).");
        }

        if (against.Saved is { } saved && !saved.SameAs(checkpoint))
        {
            return (false, $"not verified: the export is proved against checkpoint {checkpoint.Number}, not the saved checkpoint {saved.Number} (export with ?checkpoint={saved.Number}), or the saved copy differs from it.");
        }

        var witnessCopy = against.WitnessFolder is { } folder ? CheckpointWitness.Copy(folder, checkpoint.Number) : null;
        try
        {
            var verified = AuditChain.VerifyAgainst(events, checkpoint, last.Inclusion, key, against.WitnessFolder is not null, witnessCopy);
            return verified.Intact
                ? (true, $"intact: {events.Count} events, head {result.HeadLink}; versions 1–{verified.CheckpointedVersion} as signed in checkpoint {checkpoint.Number} ({checkpoint.Timestamp:O})")
                : (false, $"broken{(verified.BrokenAtVersion is { } v ? $" at version {v}" : "")}: {verified.Reason}");
        }
        catch (FormatException)
        {
            return (false, "broken: the export's checkpoint or inclusion proof is not well-formed.");
        }
    }
}
