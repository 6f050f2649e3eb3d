using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.VoluntaryReturn;

/// <summary>Record that the person was informed about voluntary return (in a language they understand).</summary>
[AllowedOrganisations(OrgType.RegionalCoordinator, OrgType.SocialServices, OrgType.NGO)]
public sealed record RecordReturnInformationGiven([property: Required] string? Language) : CaseCommand<ReturnView>;

/// <summary>Record the person's interest: their own wish, with the alternatives and the risks of staying explained.</summary>
[AllowedOrganisations(OrgType.RegionalCoordinator, OrgType.SocialServices, OrgType.NGO)]
public sealed record RecordReturnInterest(bool OwnWish, bool AlternativesExplained) : CaseCommand<ReturnView>;

/// <summary>
/// Prepare the return application for the regional coordinator (social services or an NGO): the coordinator sees it in
/// the step and submits it; nothing is submitted to IOM until then.
/// </summary>
/// <param name="DestinationCountry">ISO 3166-1 alpha-2 code.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.NGO)]
public sealed record PrepareReturnApplication(
    [property: Required] EligibilityCategory? Category,
    [property: Required] string? DestinationCountry,
    [property: Required] DestinationType? DestinationType) : CaseCommand<ReturnView>, IReturnApplication;

/// <summary>A return application's content: the eligibility category and the destination.</summary>
public interface IReturnApplication
{
    EligibilityCategory? Category { get; }
    string? DestinationCountry { get; }
    DestinationType? DestinationType { get; }
}

/// <summary>
/// Apply to the return programme: eligibility category and destination (country of origin, or of permanent residence).
/// Only the regional coordinator submits (MANUAL.md §4.6); social services and NGOs prepare the application.
/// </summary>
/// <param name="DestinationCountry">ISO 3166-1 alpha-2 code.</param>
[AllowedOrganisations(OrgType.RegionalCoordinator)]
public sealed record SubmitReturnApplication(
    [property: Required] EligibilityCategory? Category,
    [property: Required] string? DestinationCountry,
    [property: Required] DestinationType? DestinationType) : CaseCommand<ReturnView>, IReturnApplication;

/// <summary>Record the regional coordinator's or IOM's eligibility decision; approval counts only when both approved.</summary>
[AllowedOrganisations(OrgType.RegionalCoordinator, OrgType.IOM)]
public sealed record RecordEligibilityDecision(bool Approved) : CaseCommand<ReturnView>;

/// <summary>Record IOM's pre-departure risk, needs and health assessment.</summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record RecordPreDepartureAssessment([property: Required] RiskLevel? RiskLevel, bool NeedsAssessed, bool FitToTravel) : CaseCommand<ReturnView>;

/// <summary>R14: record a child's best-interests determinations (Sweden and the country of return) and the receiving authority.</summary>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record RecordBestInterestsDetermination(
    [property: Required] Determination? Sweden,
    [property: Required] Determination? CountryOfReturn,
    [property: Required] string? ReceivingAuthority) : CaseCommand<ReturnView>;

/// <summary>R8: the investigation leader's acknowledgement of the return — an acknowledgement, not a veto.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record RecordInvestigationLeaderAcknowledgement(
    [property: Required] Guid? InvestigationId, bool TestimonySecured, bool RemoteTestimonyPossible) : CaseCommand<ReturnView>;

/// <summary>
/// R8: IOM records that it notified the investigation leader, who has not acknowledged within the configured wait
/// (<c>VoluntaryReturn:LeaderAcknowledgementWait</c>); travel may then proceed.
/// </summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record RecordInvestigationLeaderNotified([property: Required] Guid? InvestigationId) : CaseCommand<ReturnView>;

/// <summary>IOM arranges travel (documents, date, escort).</summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record ArrangeTravel([property: Required] DateOnly? DepartureDate, bool EscortRequired, bool TravelDocumentsReady) : CaseCommand<ReturnView>;

/// <summary>IOM records the departure; the reflection period ends early (R7).</summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record RecordDeparture : CaseCommand<ReturnView>;

/// <summary>IOM records the arrival.</summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record RecordArrival : CaseCommand<ReturnView>;

/// <summary>R14: social services record the handover of a child to the receiving authority; their responsibility ends.</summary>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record RecordChildHandover([property: Required] string? ReceivingAuthority) : CaseCommand<ReturnView>;

/// <summary>IOM starts reintegration with the plan's components.</summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record StartReintegration([property: Required] IReadOnlyList<ReintegrationComponent>? Components) : CaseCommand<ReturnView>;

/// <summary>IOM logs a monitoring contact. <c>Outcome</c>: no identifying details.</summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record RecordReintegrationContact([property: Required] string? Channel, [property: Required] string? Outcome) : CaseCommand<ReturnView>;

/// <summary>IOM completes reintegration: six months after arrival, or when the person opts out.</summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record CompleteReintegration(bool OptedOut) : CaseCommand<ReturnView>;

/// <summary>IOM records that contact was lost after return.</summary>
[AllowedOrganisations(OrgType.IOM)]
public sealed record MarkReintegrationContactLost : CaseCommand<ReturnView>;

/// <summary>The person withdraws before departure; no reason is required.</summary>
[AllowedOrganisations(OrgType.RegionalCoordinator, OrgType.SocialServices, OrgType.NGO, OrgType.IOM)]
public sealed record WithdrawFromReturn : CaseCommand<ReturnView>;

/// <summary>Put the return on hold with a reason.</summary>
[AllowedOrganisations(OrgType.RegionalCoordinator, OrgType.IOM, OrgType.SocialServices)]
public sealed record PutReturnOnHold([property: Required] HoldReason? Reason) : CaseCommand<ReturnView>;

/// <summary>Resume a return put on hold (a missing person's return resumes when the person is found).</summary>
[AllowedOrganisations(OrgType.RegionalCoordinator, OrgType.IOM, OrgType.SocialServices)]
public sealed record ResumeReturn : CaseCommand<ReturnView>;

public sealed class RecordReturnInformationGivenValidator : AbstractValidator<RecordReturnInformationGiven>
{
    public RecordReturnInformationGivenValidator() => RuleFor(x => x.Language).NotEmpty().LanguageCode();
}

/// <summary>The rules of a return application, prepared or submitted: a category, an ISO country, a destination type.</summary>
public abstract class ReturnApplicationValidator<T> : AbstractValidator<T>
    where T : IReturnApplication
{
    protected ReturnApplicationValidator()
    {
        RuleFor(x => x.Category).NotNull().IsInEnum();
        RuleFor(x => x.DestinationCountry).NotEmpty().CountryCode();
        RuleFor(x => x.DestinationType).NotNull().IsInEnum();
    }
}

public sealed class PrepareReturnApplicationValidator : ReturnApplicationValidator<PrepareReturnApplication>;

public sealed class SubmitReturnApplicationValidator : ReturnApplicationValidator<SubmitReturnApplication>;

public sealed class RecordPreDepartureAssessmentValidator : AbstractValidator<RecordPreDepartureAssessment>
{
    public RecordPreDepartureAssessmentValidator() => RuleFor(x => x.RiskLevel).NotNull().IsInEnum();
}

public sealed class RecordBestInterestsDeterminationValidator : AbstractValidator<RecordBestInterestsDetermination>
{
    public RecordBestInterestsDeterminationValidator()
    {
        RuleFor(x => x.Sweden).NotNull().IsInEnum();
        RuleFor(x => x.CountryOfReturn).NotNull().IsInEnum();
        RuleFor(x => x.ReceivingAuthority).OrganisationId();
    }
}

public sealed class RecordInvestigationLeaderAcknowledgementValidator : AbstractValidator<RecordInvestigationLeaderAcknowledgement>
{
    public RecordInvestigationLeaderAcknowledgementValidator() => RuleFor(x => x.InvestigationId).NotNull().NotEqual(Guid.Empty);
}

public sealed class RecordInvestigationLeaderNotifiedValidator : AbstractValidator<RecordInvestigationLeaderNotified>
{
    public RecordInvestigationLeaderNotifiedValidator() => RuleFor(x => x.InvestigationId).NotNull().NotEqual(Guid.Empty);
}

public sealed class ArrangeTravelValidator : AbstractValidator<ArrangeTravel>
{
    public ArrangeTravelValidator(TimeProvider clock) =>
        RuleFor(x => x.DepartureDate).NotNull()
            .Must(d => d is null || d >= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage("'Departure Date' must not be in the past.");
}

public sealed class RecordChildHandoverValidator : AbstractValidator<RecordChildHandover>
{
    public RecordChildHandoverValidator() => RuleFor(x => x.ReceivingAuthority).OrganisationId();
}

public sealed class StartReintegrationValidator : AbstractValidator<StartReintegration>
{
    public StartReintegrationValidator()
    {
        RuleFor(x => x.Components).NotEmpty();
        RuleFor(x => x.Components).Distinct();
        RuleForEach(x => x.Components).IsInEnum();
    }
}

public sealed class RecordReintegrationContactValidator : AbstractValidator<RecordReintegrationContact>
{
    public RecordReintegrationContactValidator()
    {
        RuleFor(x => x.Channel).NotEmpty().MaximumLength(50);
        RuleFor(x => x.Outcome).NotEmpty().CaseText(1000);
    }
}

public sealed class PutReturnOnHoldValidator : AbstractValidator<PutReturnOnHold>
{
    public PutReturnOnHoldValidator() => RuleFor(x => x.Reason).NotNull().IsInEnum()
        .Must(r => r != HoldReason.PersonMissing).WithMessage("'Reason' PersonMissing is set by a missing-person report, not by hand.");
}
