using FluentValidation;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Prosecution.Contracts;
using Referral.Modules.Prosecution;
using Referral.Modules.Suspicion;

namespace Referral.UnitTests.BuildingBlocks;

/// <summary>The list and length bounds the OpenAPI document declares are the ones the validators enforce.</summary>
public sealed class InputBoundsTests
{
    private sealed record Sample(IReadOnlyList<OffenceClassification>? Offences, IReadOnlyList<string>? Names);

    private sealed class SampleValidator : AbstractValidator<Sample>
    {
        public SampleValidator()
        {
            RuleFor(x => x.Offences).Distinct();
            RuleFor(x => x.Names).MaxItems(2);
        }
    }

    [Fact]
    public void A_list_over_its_maximum_is_refused_and_one_at_it_passes()
    {
        var validator = new SampleValidator();
        Assert.True(validator.Validate(new Sample(null, ["a", "b"])).IsValid);
        var refused = validator.Validate(new Sample(null, ["a", "b", "c"]));
        Assert.Equal("'Names' must have at most 2 items.", Assert.Single(refused.Errors).ErrorMessage);
    }

    [Fact]
    public void A_distinct_list_of_enum_values_is_bounded_by_the_enum()
    {
        var validator = new SampleValidator();
        var rule = validator.CreateDescriptor().GetValidatorsForMember(nameof(Sample.Offences)).Select(v => v.Validator).OfType<IListLimitValidator>().Single();
        Assert.Equal(Enum.GetValues<OffenceClassification>().Length, rule.MaxItems);
        Assert.True(rule.UniqueItems);
        Assert.False(validator.Validate(new Sample([OffenceClassification.BrB_4_1a_Trafficking, OffenceClassification.BrB_4_1a_Trafficking], null)).IsValid);
    }

    [Fact]
    public void An_indictment_names_at_most_the_maximum_of_defendants_each_with_distinct_offences()
    {
        var validator = new IndictValidator();
        Defendant Defendant(int i) => new($"D-{i}", [OffenceClassification.BrB_4_1a_Trafficking]);
        Assert.True(validator.Validate(new Indict([.. Enumerable.Range(0, IndictValidator.MaxDefendants).Select(Defendant)])).IsValid);
        Assert.False(validator.Validate(new Indict([.. Enumerable.Range(0, IndictValidator.MaxDefendants + 1).Select(Defendant)])).IsValid);
        Assert.False(validator.Validate(new Indict([new Defendant("D-1", [OffenceClassification.BrB_4_1a_Trafficking, OffenceClassification.BrB_4_1a_Trafficking])])).IsValid);
        Assert.False(validator.Validate(new Indict([new Defendant(new string('x', 65), [OffenceClassification.BrB_4_1a_Trafficking])])).IsValid);
    }

    [Fact]
    public void A_person_record_has_at_most_twenty_other_names_and_identifiers_of_bounded_length()
    {
        var validator = new PersonDetailsValidator(TimeProvider.System);
        PersonDetails Details(int names, string identifier) => new("Test", "Person", [.. Enumerable.Range(0, names).Select(i => $"Alias {i}")], null,
            [new PersonIdentifier(IdentifierType.PassportNo, identifier)], null, null, null);
        Assert.True(validator.Validate(Details(20, "X1")).IsValid);
        Assert.False(validator.Validate(Details(21, "X1")).IsValid);
        Assert.False(validator.Validate(Details(1, new string('9', 101))).IsValid);
    }
}
