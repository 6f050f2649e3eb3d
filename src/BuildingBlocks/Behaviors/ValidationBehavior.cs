using FluentValidation;
using FluentValidation.Results;
using Mediator;

namespace Referral.BuildingBlocks.Behaviors;

/// <summary>Runs every FluentValidation validator of the message; any failure stops the pipeline (answered as 400).</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        List<ValidationFailure>? failures = null;
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            if (!result.IsValid)
            {
                (failures ??= []).AddRange(result.Errors);
            }
        }

        return failures is null ? await next(message, cancellationToken) : throw new ValidationException(failures);
    }
}
