using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>
/// MANUAL.md §2, row "Register suspicion / referral": police, prosecution (FUL/AKL), Migrationsverket, social services,
/// regional coordinators, health care, NGOs and the Work Environment Authority (joint inspections).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReportingOrganisationsAttribute() : AllowedOrganisationsAttribute(
    OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency, OrgType.SocialServices,
    OrgType.RegionalCoordinator, OrgType.HealthCare, OrgType.NGO, OrgType.WorkEnvironmentAuthority);

/// <summary>
/// MANUAL.md §2, rows "Declare presumed victim" and "Close as not trafficking": regional coordinators, social services,
/// police, prosecution and Migrationsverket.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AssessingOrganisationsAttribute() : AllowedOrganisationsAttribute(
    OrgType.RegionalCoordinator, OrgType.SocialServices, OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency);

/// <summary>Every organisation type that acts on cases (all but auditors, who only read, and unclassified organisations).</summary>
public sealed class ActingOrganisationsAttribute() : AllowedOrganisationsAttribute(
    OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency, OrgType.SocialServices, OrgType.RegionalCoordinator,
    OrgType.GenderEqualityAgency, OrgType.HealthCare, OrgType.NGO, OrgType.WorkEnvironmentAuthority, OrgType.IOM, OrgType.Court);

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
/// <param name="OperationId">The joint outreach operation the person was met on (the caller must take part in it); the case and the operation are then linked both ways.</param>
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
    PersonDetails? Person,
    Guid? OperationId = null) : ICommand<SuspicionView>, IOperationLinked;

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
        RuleFor(x => x.OperationId).NotEqual(Guid.Empty);
        RuleFor(x => x.Person!).SetValidator(new PersonDetailsValidator(clock)).When(x => x.Person is not null);
        RuleFor(x => x).Must(x => x.ResidenceBasis != Contracts.ResidenceBasis.SwedishCitizen || x.CitizenshipCategory == Contracts.CitizenshipCategory.Swedish)
            .WithName(nameof(ResidenceBasis))
            .WithMessage("'Residence Basis' SwedishCitizen requires 'Citizenship Category' Swedish.");
    }
}

/// <summary>
/// Record an assessment of indicators and methods of control. Indicators are aids only: an overall assessment is
/// always needed and missing indicators never exclude trafficking, so nothing is decided automatically.
/// </summary>
/// <param name="Indicators">Observed indicators (may be empty when a narrative is given).</param>
/// <param name="MethodsOfControl">Observed methods of control.</param>
/// <param name="ExploitationPurposes">Exploitation purposes the assessment supports, added to the case.</param>
/// <param name="Narrative">The assessment in words. Labelled free text: no identifying details.</param>
[ReportingOrganisations]
public sealed record RecordIndicatorAssessment(
    IReadOnlyList<Indicator>? Indicators,
    IReadOnlyList<MethodOfControl>? MethodsOfControl,
    IReadOnlyList<ExploitationPurpose>? ExploitationPurposes,
    string? Narrative) : CaseCommand<SuspicionView>;

public sealed class RecordIndicatorAssessmentValidator : AbstractValidator<RecordIndicatorAssessment>
{
    public RecordIndicatorAssessmentValidator()
    {
        RuleFor(x => x.Indicators).Distinct();
        RuleForEach(x => x.Indicators).IsInEnum();
        RuleFor(x => x.MethodsOfControl).Distinct();
        RuleForEach(x => x.MethodsOfControl).IsInEnum();
        RuleFor(x => x.ExploitationPurposes).Distinct();
        RuleForEach(x => x.ExploitationPurposes).IsInEnum();
        RuleFor(x => x.Narrative).CaseText();
    }
}

/// <summary>Record an adult's consent (samtycke), its scope, or its withdrawal (rule R11).</summary>
/// <param name="Status">Given, Refused or Withdrawn.</param>
/// <param name="Scope">What the consent covers; required when the status is Given.</param>
/// <param name="Language">ISO 639 code of the language the consent was given in.</param>
/// <param name="InterpreterUsed">Whether an interpreter was used.</param>
[ReportingOrganisations]
public sealed record RecordConsent(
    [property: Required] ConsentStatus? Status,
    IReadOnlyList<ConsentScope>? Scope,
    [property: Required] string? Language,
    bool InterpreterUsed) : CaseCommand<SuspicionView>;

public sealed class RecordConsentValidator : AbstractValidator<RecordConsent>
{
    public RecordConsentValidator()
    {
        RuleFor(x => x.Status).NotNull().IsInEnum()
            .Must(s => s is ConsentStatus.Given or ConsentStatus.Refused or ConsentStatus.Withdrawn)
            .WithMessage("'Status' must be Given, Refused or Withdrawn.");
        RuleFor(x => x.Scope).NotEmpty().When(x => x.Status == ConsentStatus.Given)
            .WithMessage("'Scope' must name at least one use when consent is given.");
        RuleFor(x => x.Scope).Distinct();
        RuleForEach(x => x.Scope).IsInEnum();
        RuleFor(x => x.Language).NotEmpty().LanguageCode();
    }
}

/// <summary>
/// Consult a regional coordinator (regionkoordinator) about the case, which puts it under assessment. For an adult
/// this is a referral with personal data and needs consent covering referral to a coordinator (rule R11); without
/// consent use an anonymous consultation instead.
/// </summary>
/// <param name="CoordinatorOrgId">The coordinator's organisation id; it then takes part in the case.</param>
[ReportingOrganisations]
public sealed record RequestCoordinatorConsultation(
    [property: Required] string? CoordinatorOrgId) : CaseCommand<SuspicionView>;

public sealed class RequestCoordinatorConsultationValidator : AbstractValidator<RequestCoordinatorConsultation>
{
    public RequestCoordinatorConsultationValidator() => RuleFor(x => x.CoordinatorOrgId).OrganisationId();
}

/// <summary>Recommend that social services or the regional coordinator declare the person a presumed victim.</summary>
/// <param name="Reason">Why. No identifying details.</param>
[AllowedOrganisations(OrgType.NGO, OrgType.HealthCare, OrgType.WorkEnvironmentAuthority)]
public sealed record RecommendPresumedVictim(
    [property: Required] string? Reason) : CaseCommand<SuspicionView>;

public sealed class RecommendPresumedVictimValidator : AbstractValidator<RecommendPresumedVictim>
{
    public RecommendPresumedVictimValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}

/// <summary>
/// Declare the person a presumed victim (förmodat offer). Not a legal status and not a criminal-law decision: it starts
/// support. NGOs, health care and the Work Environment Authority recommend instead.
/// </summary>
/// <param name="Assessment">The overall assessment (observations plus the person's own account). No identifying details.</param>
/// <param name="AgeCategory">Sets or confirms the age category; required if the case has none.</param>
/// <param name="ExploitationPurposes">Confirmed exploitation purposes; if empty, those on the case stand (at least one is required).</param>
[AssessingOrganisations]
public sealed record DeclarePresumedVictim(
    [property: Required] string? Assessment,
    AgeCategory? AgeCategory,
    IReadOnlyList<ExploitationPurpose>? ExploitationPurposes) : CaseCommand<SuspicionView>;

public sealed class DeclarePresumedVictimValidator : AbstractValidator<DeclarePresumedVictim>
{
    public DeclarePresumedVictimValidator()
    {
        RuleFor(x => x.Assessment).NotEmpty().CaseText();
        RuleFor(x => x.AgeCategory).IsInEnum();
        RuleFor(x => x.ExploitationPurposes).Distinct();
        RuleForEach(x => x.ExploitationPurposes).IsInEnum();
    }
}

/// <summary>
/// R20: correct the presumed-victim declaration (its age category or exploitation purposes) with a compensating event —
/// the original stays in the history. Only the organisation that declared, while the person is a presumed victim.
/// </summary>
/// <param name="AgeCategory">The age category as it should have been declared.</param>
/// <param name="ExploitationPurposes">The exploitation purposes as they should have been declared (at least one).</param>
/// <param name="Reason">What was wrong. No identifying details.</param>
[AssessingOrganisations]
public sealed record CorrectPresumedVictimDeclaration(
    [property: Required] AgeCategory? AgeCategory,
    [property: Required] IReadOnlyList<ExploitationPurpose>? ExploitationPurposes,
    [property: Required] string? Reason) : CaseCommand<SuspicionView>;

/// <summary>
/// R20: retract the presumed-victim declaration (e.g. made on the wrong case); the case is under assessment again. Only the
/// organisation that declared, while the person is a presumed victim. Decisions other steps took on it stand.
/// </summary>
/// <param name="Reason">Why. No identifying details.</param>
[AssessingOrganisations]
public sealed record RetractPresumedVictimDeclaration([property: Required] string? Reason) : CaseCommand<SuspicionView>;

public sealed class CorrectPresumedVictimDeclarationValidator : AbstractValidator<CorrectPresumedVictimDeclaration>
{
    public CorrectPresumedVictimDeclarationValidator()
    {
        RuleFor(x => x.AgeCategory).NotNull().IsInEnum();
        RuleFor(x => x.ExploitationPurposes).NotEmpty().Distinct();
        RuleForEach(x => x.ExploitationPurposes).IsInEnum();
        RuleFor(x => x.Reason).NotEmpty().CaseText();
    }
}

public sealed class RetractPresumedVictimDeclarationValidator : AbstractValidator<RetractPresumedVictimDeclaration>
{
    public RetractPresumedVictimDeclarationValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}

/// <summary>Close the case: the assessment found no human trafficking. It can be reopened on new information.</summary>
/// <param name="Reason">NoIndicators, OtherCrimeOnly, OtherExploitationNotTrafficking or Duplicate.</param>
/// <param name="Justification">Why. No identifying details.</param>
[AssessingOrganisations]
public sealed record CloseAsNotTrafficking(
    [property: Required] ClosureReason? Reason,
    [property: Required] string? Justification) : CaseCommand<SuspicionView>;

public sealed class CloseAsNotTraffickingValidator : AbstractValidator<CloseAsNotTrafficking>
{
    public CloseAsNotTraffickingValidator()
    {
        RuleFor(x => x.Reason).NotNull().IsInEnum();
        RuleFor(x => x.Justification).NotEmpty().CaseText();
    }
}

/// <summary>Record that contact with the person is lost. The case can be reopened when contact is regained.</summary>
/// <param name="LastContactAt">When there was last contact, if known; never in the future.</param>
[ReportingOrganisations]
public sealed record MarkContactLost(DateTimeOffset? LastContactAt) : CaseCommand<SuspicionView>;

public sealed class MarkContactLostValidator : AbstractValidator<MarkContactLost>
{
    public MarkContactLostValidator(TimeProvider clock) =>
        RuleFor(x => x.LastContactAt).Must(t => t is null || t <= clock.GetUtcNow().AddMinutes(5))
            .WithMessage("'Last Contact At' must not be in the future.");
}

/// <summary>Reopen a case closed as not trafficking, or one where contact was lost, on new information.</summary>
/// <param name="NewInformation">What is new. No identifying details.</param>
[AssessingOrganisations]
public sealed record Reopen(
    [property: Required] string? NewInformation) : CaseCommand<SuspicionView>;

public sealed class ReopenValidator : AbstractValidator<Reopen>
{
    public ReopenValidator() => RuleFor(x => x.NewInformation).NotEmpty().CaseText();
}

/// <summary>
/// Record that the person has, or no longer has, protected personal data (skyddade personuppgifter, decided by
/// Skatteverket). While set, the municipality is hidden from everyone not taking part in the case, auditors included.
/// </summary>
/// <param name="Protected">Whether the person's data are protected.</param>
[AssessingOrganisations]
public sealed record SetProtectedIdentity(bool? Protected) : CaseCommand<SuspicionView>;

/// <summary>
/// R18: record that this case's person is the same person as in <paramref name="OtherCaseId"/> (two organisations reported
/// the same person), so the statistics count the person once. Only an organisation taking part in both cases may link
/// them; the link is recorded in the history of every case of both persons.
/// </summary>
/// <param name="OtherCaseId">The other case naming the same person.</param>
[AssessingOrganisations]
public sealed record LinkSubject([property: Required] Guid? OtherCaseId) : CaseCommand<SuspicionView>;

public sealed class LinkSubjectValidator : AbstractValidator<LinkSubject>
{
    public LinkSubjectValidator()
    {
        RuleFor(x => x.OtherCaseId).NotNull().NotEqual(Guid.Empty);
        RuleFor(x => x.OtherCaseId).Must((c, other) => other != c.CaseId).WithMessage("'Other Case Id' must name another case.");
    }
}

public sealed class SetProtectedIdentityValidator : AbstractValidator<SetProtectedIdentity>
{
    public SetProtectedIdentityValidator() => RuleFor(x => x.Protected).NotNull();
}
