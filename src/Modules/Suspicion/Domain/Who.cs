using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;

namespace Referral.Modules.Suspicion.Domain;

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
