using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.ChildSafeguarding.Contracts;

namespace Referral.Modules.ChildSafeguarding;

/// <summary>
/// Record a concern report (orosanmälan) about the child to social services. Authorities working with children must
/// report (SoL 14 kap. 1 §); anyone else may. A child's consent is not needed between agencies. The protection
/// assessment becomes due by the end of the next calendar day.
/// </summary>
/// <param name="SocialServicesOrgId">The social services (socialnämnd) receiving the report.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency, OrgType.SocialServices, OrgType.RegionalCoordinator,
    OrgType.HealthCare, OrgType.NGO, OrgType.WorkEnvironmentAuthority, OrgType.TaxAgency, OrgType.Customs, OrgType.CountyBoard)]
public sealed record RecordConcernReport([property: Required] string? SocialServicesOrgId) : CaseCommand<ChildSafeguardingView>;

/// <summary>Record social services' protection assessment (skyddsbedömning); may be repeated as a reassessment.</summary>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record RecordProtectionAssessment(bool ImmediateProtectionNeeded) : CaseCommand<ChildSafeguardingView>;

/// <summary>Open a child investigation (barnutredning, SoL 11 kap. 1 §).</summary>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record OpenChildInvestigation : CaseCommand<ChildSafeguardingView>;

/// <summary>Decide a measure: placement, LVU 6 § immediate custody (needs an immediate protection need), or support in the home.</summary>
/// <param name="DecisionRef">The municipality's decision reference.</param>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record DecideChildMeasure([property: Required] ChildMeasure? Measure, [property: Required] string? DecisionRef) : CaseCommand<ChildSafeguardingView>;

/// <summary>Close the overlay, with the reason (a missing child's only as ClosedMissing).</summary>
[AllowedOrganisations(OrgType.SocialServices)]
public sealed record CloseChildOverlay([property: Required] ChildOverlayCloseReason? Reason) : CaseCommand<ChildSafeguardingView>;

/// <summary>Request a god man for a foreign child who arrived separated from both parents (lag 2005:429).</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.MigrationAgency)]
public sealed record RequestGuardian(bool SeparatedFromBothParents) : CaseCommand<ChildSafeguardingView>;

/// <summary>Record that the överförmyndare appointed the requested god man.</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.MigrationAgency)]
public sealed record RecordGuardianAppointment([property: Required] DateOnly? AppointedOn) : CaseCommand<ChildSafeguardingView>;

/// <summary>
/// Record the prosecutor's application for a särskild företrädare because a custodian is suspected or linked to the
/// suspect. The court's appointment is recorded in the prosecution step and shown here.
/// </summary>
[AllowedOrganisations(OrgType.Prosecution)]
public sealed record RequestSpecialRepresentative(bool CustodianSuspected) : CaseCommand<ChildSafeguardingView>;

public sealed class RecordConcernReportValidator : AbstractValidator<RecordConcernReport>
{
    public RecordConcernReportValidator() => RuleFor(x => x.SocialServicesOrgId).OrganisationId();
}

public sealed class DecideChildMeasureValidator : AbstractValidator<DecideChildMeasure>
{
    public DecideChildMeasureValidator()
    {
        RuleFor(x => x.Measure).NotNull().IsInEnum();
        RuleFor(x => x.DecisionRef).Reference();
    }
}

public sealed class CloseChildOverlayValidator : AbstractValidator<CloseChildOverlay>
{
    public CloseChildOverlayValidator() => RuleFor(x => x.Reason).NotNull().IsInEnum();
}

public sealed class RecordGuardianAppointmentValidator : AbstractValidator<RecordGuardianAppointment>
{
    public RecordGuardianAppointmentValidator(TimeProvider clock) =>
        RuleFor(x => x.AppointedOn).NotNull().NotAfterToday(clock);
}
