namespace Referral.BuildingBlocks.Contracts;

/// <summary>
/// The kind of organisation an authenticated caller acts for (claim <c>org_type</c>), MANUAL.md §2 and §4.0.
/// </summary>
public enum OrgType
{
    /// <summary>Polismyndigheten — the Swedish Police Authority (including a police pre-trial investigation leader).</summary>
    Police,
    /// <summary>Åklagarmyndigheten — the Prosecution Authority (including a prosecutor leading the investigation, FUL).</summary>
    Prosecution,
    /// <summary>Migrationsverket — the Swedish Migration Agency.</summary>
    MigrationAgency,
    /// <summary>Socialtjänst / socialnämnd — municipal social services.</summary>
    SocialServices,
    /// <summary>Regionkoordinator — regional anti-trafficking coordinator.</summary>
    RegionalCoordinator,
    /// <summary>Jämställdhetsmyndigheten / NSPM — the Gender Equality Agency (hotline, NMT).</summary>
    GenderEqualityAgency,
    /// <summary>Hälso- och sjukvård — regional health care.</summary>
    HealthCare,
    /// <summary>Civil-society organisation (ideell organisation).</summary>
    NGO,
    /// <summary>Arbetsmiljöverket — the Work Environment Authority (joint inspections).</summary>
    WorkEnvironmentAuthority,
    /// <summary>Skatteverket — the Tax Agency.</summary>
    TaxAgency,
    /// <summary>Tullverket — Customs.</summary>
    Customs,
    /// <summary>Länsstyrelse — county administrative board.</summary>
    CountyBoard,
    /// <summary>Domstol — a court (tingsrätt, hovrätt).</summary>
    Court,
    /// <summary>IOM (the IOM office in Finland running the return programme ÅMP).</summary>
    IOM,
    /// <summary>A foreign authority.</summary>
    ForeignAuthority,
    /// <summary>Utrikesdepartementet / an embassy.</summary>
    Embassy,
    /// <summary>Read-only oversight (granskare).</summary>
    Auditor,
    /// <summary>Any other organisation.</summary>
    Other,
}
