using FluentValidation;
using Mediator;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Audit.Features;

/// <summary>A signed checkpoint: the latest when <c>Number</c> is absent. Sizes and hashes only; anyone may read them.</summary>
/// <param name="Number">The checkpoint's number.</param>
[AnyOrganisation]
public sealed record GetCheckpoint(long? Number) : IQuery<SignedCheckpoint>;

/// <summary>The consistency proof from checkpoint <c>From</c> (default: the one before) to checkpoint <c>Number</c>.</summary>
/// <param name="Number">The later checkpoint.</param>
/// <param name="From">The earlier checkpoint.</param>
[AnyOrganisation]
public sealed record GetCheckpointConsistency(long Number, long? From) : IQuery<CheckpointConsistency>;

/// <summary>Make a checkpoint now (an auditor's request); with nothing new since the latest, the latest is answered.</summary>
[AllowedOrganisations(OrgType.Auditor)]
public sealed record CreateCheckpoint : ICommand<SignedCheckpoint>;

public sealed class GetCheckpointValidator : AbstractValidator<GetCheckpoint>
{
    public GetCheckpointValidator() => RuleFor(x => x.Number).InclusiveBetween(1, long.MaxValue);
}

public sealed class GetCheckpointConsistencyValidator : AbstractValidator<GetCheckpointConsistency>
{
    public GetCheckpointConsistencyValidator()
    {
        RuleFor(x => x.Number).InclusiveBetween(1, long.MaxValue);
        RuleFor(x => x.From).InclusiveBetween(1, long.MaxValue);
        RuleFor(x => x.From).LessThanOrEqualTo(x => x.Number).WithMessage("'From' must be a checkpoint from 1 to 'Number'.");
    }
}

public sealed class CheckpointHandler(CheckpointLog log, CheckpointService service) :
    IQueryHandler<GetCheckpoint, SignedCheckpoint>,
    IQueryHandler<GetCheckpointConsistency, CheckpointConsistency>,
    ICommandHandler<CreateCheckpoint, SignedCheckpoint>
{
    public async ValueTask<SignedCheckpoint> Handle(GetCheckpoint query, CancellationToken cancellationToken) =>
        await log.GetAsync(query.Number, cancellationToken) ?? throw new NotFoundException(query.Number is { } n ? $"Checkpoint {n}" : "A checkpoint");

    public async ValueTask<CheckpointConsistency> Handle(GetCheckpointConsistency query, CancellationToken cancellationToken)
    {
        var to = await log.GetAsync(query.Number, cancellationToken) ?? throw new NotFoundException($"Checkpoint {query.Number}");
        var fromNumber = query.From ?? Math.Max(1, query.Number - 1);
        var from = await log.GetAsync(fromNumber, cancellationToken) ?? throw new NotFoundException($"Checkpoint {fromNumber}");
        return await log.ConsistencyAsync(from, to, cancellationToken);
    }

    public async ValueTask<SignedCheckpoint> Handle(CreateCheckpoint command, CancellationToken cancellationToken) => await service.RunOnceAsync(cancellationToken);
}
