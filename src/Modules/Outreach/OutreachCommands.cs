using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Outreach.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Outreach;

/// <summary>A command on one operation's stream. Police and social services record; other participants read.</summary>
public abstract record OperationCommand : StreamCommand<OperationView>, IOperationLinked
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid OperationId => StreamId;

    Guid? IOperationLinked.OperationId => StreamId;
}

/// <summary>An organisation taking part in an operation.</summary>
/// <param name="OrgId">The organisation's id.</param>
/// <param name="OrgType">Its type.</param>
public sealed record OperationParticipant([property: Required] string? OrgId, [property: Required] OrgType? OrgType);

/// <summary>
/// Record a joint outreach operation (samverkanspass): when, where, the kinds of place, what set it off and who took part
/// — at least one police unit and one social-services organisation (the caller takes part in any case). Starts the
/// operation's stream. No personal data: the area is a district or zone, the operation name the police's code word.
/// </summary>
/// <param name="OccurredAt">When the shift started; not in the future.</param>
/// <param name="MunicipalityCode">Municipality (kommunkod, four digits).</param>
/// <param name="Area">The district or zone (e.g. "Norrmalm"), 1–64 letters, digits, spaces or . , / -.</param>
/// <param name="PlaceKinds">The kinds of place covered (one or more).</param>
/// <param name="Trigger">What set the operation off.</param>
/// <param name="Participants">The other organisations taking part.</param>
/// <param name="PoliceOperationName">The police operation's name, as text.</param>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record RecordOutreachOperation(
    [property: Required] DateTimeOffset? OccurredAt,
    [property: Required] string? MunicipalityCode,
    [property: Required] string? Area,
    [property: Required] IReadOnlyList<PlaceKind>? PlaceKinds,
    [property: Required] OperationTrigger? Trigger,
    [property: Required] IReadOnlyList<OperationParticipant>? Participants,
    string? PoliceOperationName) : ICommand<OperationView>;

/// <summary>
/// Record persons met, as a count of one age category and gender, and what happened to them. No identities: a person
/// who becomes a case is registered with <c>register-suspicion</c> naming the operation.
/// </summary>
/// <param name="AgeCategory">Adult, child or unknown.</param>
/// <param name="Gender">Gender as recorded.</param>
/// <param name="Count">How many (1–1 000).</param>
/// <param name="InformedOfSupport">Of them, informed of the support society offers.</param>
/// <param name="ReferredToSocialServices">Of them, referred (linked on) to social services.</param>
/// <param name="AcceptedSupport">Of them, who accepted support.</param>
/// <param name="Declined">Of them, who declined.</param>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record RecordPersonsMet(
    [property: Required] MetAgeCategory? AgeCategory,
    [property: Required] Gender? Gender,
    [property: Required] int? Count,
    int InformedOfSupport,
    int ReferredToSocialServices,
    int AcceptedSupport,
    int Declined) : OperationCommand, IPersonsMet;

/// <summary>Correct one entry of persons met (a compensating event; the entry's counts are replaced).</summary>
/// <param name="EntryId">The entry to correct.</param>
/// <param name="AgeCategory">Adult, child or unknown.</param>
/// <param name="Gender">Gender as recorded.</param>
/// <param name="Count">How many (1–1 000).</param>
/// <param name="InformedOfSupport">Of them, informed of the support society offers.</param>
/// <param name="ReferredToSocialServices">Of them, referred (linked on) to social services.</param>
/// <param name="AcceptedSupport">Of them, who accepted support.</param>
/// <param name="Declined">Of them, who declined.</param>
/// <param name="Reason">Why. No identifying details.</param>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record CorrectPersonsMet(
    [property: Required] Guid? EntryId,
    [property: Required] MetAgeCategory? AgeCategory,
    [property: Required] Gender? Gender,
    [property: Required] int? Count,
    int InformedOfSupport,
    int ReferredToSocialServices,
    int AcceptedSupport,
    int Declined,
    [property: Required] string? Reason) : OperationCommand, IPersonsMet;

/// <summary>Children met who get no case here, and why (every child met needs a case or a recorded reason before closing).</summary>
/// <param name="Count">How many children (1–1 000).</param>
/// <param name="Reason">Why no case.</param>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record RecordChildrenWithoutCase([property: Required] int? Count, [property: Required] NoCaseReason? Reason) : OperationCommand;

/// <summary>
/// Buyers of sexual services reported to the police (counts). Buyers under 18 are counted apart: each is referred to
/// social services (a report of concern, SoL 14 kap. 1 §) — recording them records that referral. They are not victims
/// of this operation and get no case here.
/// </summary>
/// <param name="Adults">Adult buyers reported.</param>
/// <param name="UnderEighteen">Buyers under 18 reported, each referred to social services.</param>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record RecordBuyersReported(int Adults, int UnderEighteen) : OperationCommand;

/// <summary>Another organisation takes part in the operation (it then reads the operation and its figures).</summary>
/// <param name="Organisation">The organisation.</param>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record AddOperationParticipant([property: Required] OperationParticipant? Organisation) : OperationCommand;

/// <summary>Close the operation with a summary; refused (409) while a child met has neither a case nor a recorded reason.</summary>
/// <param name="Summary">What was done and found. No identifying details.</param>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record CloseOperation([property: Required] string? Summary) : OperationCommand;

/// <summary>Open a closed operation again, to correct it.</summary>
/// <param name="Reason">Why. No identifying details.</param>
[AllowedOrganisations(OrgType.Police, OrgType.SocialServices)]
public sealed record ReopenOperation([property: Required] string? Reason) : OperationCommand;

/// <summary>The counts of an entry of persons met.</summary>
public interface IPersonsMet
{
    MetAgeCategory? AgeCategory { get; }
    Gender? Gender { get; }
    int? Count { get; }
    int InformedOfSupport { get; }
    int ReferredToSocialServices { get; }
    int AcceptedSupport { get; }
    int Declined { get; }
}

/// <summary>Limits of the counts one command records.</summary>
public static class OutreachLimits
{
    /// <summary>The most persons (or buyers) one entry counts.</summary>
    public const int MaxCount = 1000;

    /// <summary>The most participants an operation lists.</summary>
    public const int MaxParticipants = 50;
}

public sealed class OperationParticipantValidator : AbstractValidator<OperationParticipant>
{
    public OperationParticipantValidator()
    {
        RuleFor(x => x.OrgId).OrganisationId();
        RuleFor(x => x.OrgType).NotNull().IsInEnum().NotEqual(OrgType.Auditor).WithMessage("'Org Type' must be an organisation that acts (auditors read every operation and take part in none).");
    }
}

public sealed class RecordOutreachOperationValidator : AbstractValidator<RecordOutreachOperation>
{
    public RecordOutreachOperationValidator(TimeProvider clock)
    {
        RuleFor(x => x.OccurredAt).NotNull().Must(t => t is null || t <= clock.GetUtcNow().AddMinutes(5)).WithMessage("'Occurred At' must not be in the future.");
        RuleFor(x => x.MunicipalityCode).MunicipalityCode();
        RuleFor(x => x.Area).NotEmpty().PlaceName();
        RuleFor(x => x.PlaceKinds).NotEmpty().Distinct();
        RuleForEach(x => x.PlaceKinds).IsInEnum();
        RuleFor(x => x.Trigger).NotNull().IsInEnum();
        RuleFor(x => x.Participants).NotNull().MaxItems(OutreachLimits.MaxParticipants);
        RuleForEach(x => x.Participants).NotNull().SetValidator(new OperationParticipantValidator());
        RuleFor(x => x.Participants).Must(p => p is null || p.Select(o => o?.OrgId).Distinct().Count() == p.Count)
            .WithMessage("'Participants' must name each organisation once.");
        RuleFor(x => x.PoliceOperationName).PlaceName().When(x => x.PoliceOperationName is not null);
    }
}

/// <summary>The counts of persons met: each outcome at most the count; accepted and declined together at most the count.</summary>
public abstract class PersonsMetValidator<T> : AbstractValidator<T>
    where T : IPersonsMet
{
    protected PersonsMetValidator()
    {
        RuleFor(x => x.AgeCategory).NotNull().IsInEnum();
        RuleFor(x => x.Gender).NotNull().IsInEnum();
        RuleFor(x => x.Count).NotNull().InclusiveBetween(1, OutreachLimits.MaxCount);
        RuleFor(x => x.InformedOfSupport).InclusiveBetween(0, OutreachLimits.MaxCount);
        RuleFor(x => x.InformedOfSupport).LessThanOrEqualTo(x => x.Count ?? 0).WithMessage("'Informed Of Support' must be from 0 to 'Count'.");
        RuleFor(x => x.ReferredToSocialServices).InclusiveBetween(0, OutreachLimits.MaxCount);
        RuleFor(x => x.ReferredToSocialServices).LessThanOrEqualTo(x => x.Count ?? 0).WithMessage("'Referred To Social Services' must be from 0 to 'Count'.");
        RuleFor(x => x.AcceptedSupport).InclusiveBetween(0, OutreachLimits.MaxCount);
        RuleFor(x => x.Declined).InclusiveBetween(0, OutreachLimits.MaxCount);
        RuleFor(x => x.AcceptedSupport + x.Declined).LessThanOrEqualTo(x => x.Count ?? 0).OverridePropertyName(nameof(IPersonsMet.AcceptedSupport))
            .WithMessage("'Accepted Support' and 'Declined' together must not exceed 'Count'.");
    }
}

public sealed class RecordPersonsMetValidator : PersonsMetValidator<RecordPersonsMet>;

public sealed class CorrectPersonsMetValidator : PersonsMetValidator<CorrectPersonsMet>
{
    public CorrectPersonsMetValidator()
    {
        RuleFor(x => x.EntryId).NotNull().NotEqual(Guid.Empty);
        RuleFor(x => x.Reason).NotEmpty().CaseText();
    }
}

public sealed class RecordChildrenWithoutCaseValidator : AbstractValidator<RecordChildrenWithoutCase>
{
    public RecordChildrenWithoutCaseValidator()
    {
        RuleFor(x => x.Count).NotNull().InclusiveBetween(1, OutreachLimits.MaxCount);
        RuleFor(x => x.Reason).NotNull().IsInEnum();
    }
}

public sealed class RecordBuyersReportedValidator : AbstractValidator<RecordBuyersReported>
{
    public RecordBuyersReportedValidator()
    {
        RuleFor(x => x.Adults).InclusiveBetween(0, OutreachLimits.MaxCount);
        RuleFor(x => x.UnderEighteen).InclusiveBetween(0, OutreachLimits.MaxCount);
        RuleFor(x => x.Adults + x.UnderEighteen).GreaterThan(0).OverridePropertyName(nameof(RecordBuyersReported.Adults))
            .WithMessage("Report at least one buyer ('Adults' or 'Under Eighteen').");
    }
}

public sealed class AddOperationParticipantValidator : AbstractValidator<AddOperationParticipant>
{
    public AddOperationParticipantValidator() => RuleFor(x => x.Organisation).NotNull().SetValidator(new OperationParticipantValidator()!);
}

public sealed class CloseOperationValidator : AbstractValidator<CloseOperation>
{
    public CloseOperationValidator() => RuleFor(x => x.Summary).NotEmpty().CaseText();
}

public sealed class ReopenOperationValidator : AbstractValidator<ReopenOperation>
{
    public ReopenOperationValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}
