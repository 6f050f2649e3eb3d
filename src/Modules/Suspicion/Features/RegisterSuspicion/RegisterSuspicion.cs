using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>
/// Register a suspicion of human trafficking (misstanke om människohandel); this creates the case. The reporting
/// organisation is taken from the bearer token. Identifying details, if any, go only to the separate person record.
/// </summary>
/// <param name="Channel">How the suspicion reached the reporting organisation.</param>
/// <param name="MunicipalityCode">Municipality (kommunkod, four digits) where the person is staying.</param>
/// <param name="ReportedAt">When the suspicion arose (business time); defaults to now; never in the future.</param>
/// <param name="AgeCategory">Adult, Child or AgeDisputedTreatedAsChild; may be left out until known.</param>
/// <param name="Gender">Gender as recorded.</param>
/// <param name="Nationality">ISO 3166-1 alpha-2 country code, if known.</param>
/// <param name="CitizenshipCategory">Citizenship category.</param>
/// <param name="ResidenceBasis">Residence basis (decides eligibility for a 5 kap. 15 § permit).</param>
/// <param name="Languages">ISO 639 codes of languages the person speaks.</param>
/// <param name="InterpreterNeeded">Whether an interpreter (tolk) is needed.</param>
/// <param name="ExploitationPurposes">Suspected exploitation purposes (multi-valued).</param>
/// <param name="LabourSector">Labour sector, for labour exploitation.</param>
/// <param name="Indicators">Observed indicators.</param>
/// <param name="MethodsOfControl">Observed methods of control.</param>
/// <param name="CountriesOfExploitation">ISO 3166-1 alpha-2 codes of countries where exploitation took place.</param>
/// <param name="OperationRef">Reference shared by suspicions from one operation (e.g. an inspection); a code, not a name.</param>
/// <param name="Person">Identifying details, stored apart from the case history in the person record.</param>
[ReportingOrganisations]
public sealed record RegisterSuspicion(
    [property: Required] ReportingChannel? Channel,
    [property: Required] string? MunicipalityCode,
    DateTimeOffset? ReportedAt,
    AgeCategory? AgeCategory,
    [property: Required] Gender? Gender,
    string? Nationality,
    [property: Required] CitizenshipCategory? CitizenshipCategory,
    [property: Required] ResidenceBasis? ResidenceBasis,
    IReadOnlyList<string>? Languages,
    bool InterpreterNeeded,
    IReadOnlyList<ExploitationPurpose>? ExploitationPurposes,
    LabourSector? LabourSector,
    IReadOnlyList<Indicator>? Indicators,
    IReadOnlyList<MethodOfControl>? MethodsOfControl,
    IReadOnlyList<string>? CountriesOfExploitation,
    string? OperationRef,
    PersonDetails? Person) : ICommand<SuspicionView>;

public sealed class RegisterSuspicionValidator : AbstractValidator<RegisterSuspicion>
{
    public RegisterSuspicionValidator(TimeProvider clock)
    {
        RuleFor(x => x.Channel).NotNull().IsInEnum();
        RuleFor(x => x.MunicipalityCode).MunicipalityCode();
        RuleFor(x => x.ReportedAt).Must(t => t is null || t <= clock.GetUtcNow().AddMinutes(5))
            .WithMessage("'Reported At' must not be in the future.");
        RuleFor(x => x.AgeCategory).IsInEnum();
        RuleFor(x => x.Gender).NotNull().IsInEnum();
        RuleFor(x => x.Nationality).CountryCode();
        RuleFor(x => x.CitizenshipCategory).NotNull().IsInEnum();
        RuleFor(x => x.ResidenceBasis).NotNull().IsInEnum();
        RuleFor(x => x.Languages).Distinct();
        RuleFor(x => x.Languages).MaxItems(20);
        RuleForEach(x => x.Languages).LanguageCode();
        RuleFor(x => x.ExploitationPurposes).Distinct();
        RuleFor(x => x.LabourSector).IsInEnum();
        RuleFor(x => x.Indicators).Distinct();
        RuleFor(x => x.MethodsOfControl).Distinct();
        RuleFor(x => x.CountriesOfExploitation).Distinct();
        RuleFor(x => x.CountriesOfExploitation).MaxItems(50);
        RuleForEach(x => x.CountriesOfExploitation).CountryCode();
        RuleFor(x => x.OperationRef).OrganisationId().When(x => x.OperationRef is not null);
        RuleFor(x => x.Person!).SetValidator(new PersonDetailsValidator(clock)).When(x => x.Person is not null);
        RuleFor(x => x).Must(x => x.ResidenceBasis != Contracts.ResidenceBasis.SwedishCitizen || x.CitizenshipCategory == Contracts.CitizenshipCategory.Swedish)
            .WithName(nameof(ResidenceBasis))
            .WithMessage("'Residence Basis' SwedishCitizen requires 'Citizenship Category' Swedish.");
    }
}

public sealed class RegisterSuspicionHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, PersonRecordCipher cipher)
    : ICommandHandler<RegisterSuspicion, SuspicionView>
{
    public async ValueTask<SuspicionView> Handle(RegisterSuspicion c, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var caseId = Guid.CreateVersion7(now);
        var subjectId = Guid.CreateVersion7(now);
        var registered = new SuspicionRegistered(
            caseId,
            subjectId,
            c.ReportedAt ?? now,
            actor.OrgId,
            actor.OrgType,
            c.Channel!.Value,
            c.MunicipalityCode!,
            c.AgeCategory,
            c.Gender!.Value,
            c.Nationality,
            c.CitizenshipCategory!.Value,
            c.ResidenceBasis!.Value,
            c.Languages ?? [],
            c.InterpreterNeeded,
            c.ExploitationPurposes ?? [],
            c.LabourSector,
            c.Indicators ?? [],
            c.MethodsOfControl ?? [],
            c.CountriesOfExploitation ?? [],
            c.OperationRef,
            c.AgeCategory is Contracts.AgeCategory.Child or Contracts.AgeCategory.AgeDisputedTreatedAsChild
                ? ConsentStatus.NotRequiredChild
                : ConsentStatus.NotAsked);

        if (c.Person is { } person)
        {
            var (record, key) = cipher.Seal(subjectId, caseId, person, now);
            session.Store(record);
            session.Store(key);
        }

        var state = await session.StartAsync<SuspicionState>(caseId, [registered], ct);
        return SuspicionView.From(state, actor);
    }
}
