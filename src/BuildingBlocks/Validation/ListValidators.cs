using FluentValidation;
using FluentValidation.Validators;

namespace Referral.BuildingBlocks.Validation;

/// <summary>A list rule whose bound the OpenAPI document reads (as <c>maxItems</c> and <c>uniqueItems</c>).</summary>
public interface IListLimitValidator
{
    /// <summary>The most items the rule lets through, or <c>null</c> when it sets no bound of its own.</summary>
    int? MaxItems { get; }

    bool UniqueItems { get; }
}

/// <summary>At most <see cref="Max"/> items.</summary>
public sealed class MaxItemsValidator<T, TItem>(int max) : PropertyValidator<T, IReadOnlyList<TItem>?>, IListLimitValidator
{
    public int Max { get; } = max;

    public override string Name => "MaxItemsValidator";

    int? IListLimitValidator.MaxItems => Max;

    bool IListLimitValidator.UniqueItems => false;

    public override bool IsValid(ValidationContext<T> context, IReadOnlyList<TItem>? value)
    {
        if (value is null || value.Count <= Max)
        {
            return true;
        }

        context.MessageFormatter.AppendArgument("Max", Max);
        return false;
    }

    protected override string GetDefaultMessageTemplate(string errorCode) => "'{PropertyName}' must have at most {Max} items.";
}

/// <summary>No value twice; a list of enum values therefore has at most as many items as the enum has members.</summary>
public sealed class DistinctItemsValidator<T, TItem> : PropertyValidator<T, IReadOnlyList<TItem>?>, IListLimitValidator
{
    private static readonly Type ItemType = Nullable.GetUnderlyingType(typeof(TItem)) ?? typeof(TItem);

    public override string Name => "DistinctItemsValidator";

    public int? MaxItems => ItemType.IsEnum ? Enum.GetValues(ItemType).Length : null;

    public bool UniqueItems => true;

    public override bool IsValid(ValidationContext<T> context, IReadOnlyList<TItem>? value) =>
        value is null || value.Distinct().Count() == value.Count;

    protected override string GetDefaultMessageTemplate(string errorCode) => "'{PropertyName}' must not contain the same value twice.";
}
