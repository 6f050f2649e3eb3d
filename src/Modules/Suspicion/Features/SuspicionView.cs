using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>The suspicion and identification step of a case, with the caller's allowed actions. No personal data.</summary>
public sealed record SuspicionView(
    Guid CaseId,
    long Version,
    SuspicionStatus Status,
    Guid SubjectId,
    DateTimeOffset ReportedAt,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastChangedAt,
    string ReportingOrgId,
    OrgType ReportingOrgType,
    ReportingChannel Channel,
    string? MunicipalityCode,
    AgeCategory? AgeCategory,
    Gender Gender,
    string? Nationality,
    CitizenshipCategory CitizenshipCategory,
    ResidenceBasis ResidenceBasis,
    IReadOnlyList<string> Languages,
    bool InterpreterNeeded,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    LabourSector? LabourSector,
    IReadOnlyList<Indicator> Indicators,
    IReadOnlyList<MethodOfControl> MethodsOfControl,
    IReadOnlyList<string> CountriesOfExploitation,
    string? OperationRef,
    ConsentStatus ConsentStatus,
    IReadOnlyList<ConsentScope> ConsentScope,
    IReadOnlyList<string> CoordinatorOrgIds,
    int Recommendations,
    IReadOnlyList<OpenItem> OpenItems,
    ClosureReason? ClosureReason,
    DateTimeOffset? DeclaredAt,
    bool PersonRecordErased,
    bool IsMissing,
    DateTimeOffset? MissingSince,
    bool ProtectedIdentity,
    IReadOnlyList<AllowedAction> AllowedActions) : IVersionedView
{
    public static SuspicionView From(SuspicionState s, Actor actor) => new(
        s.Id, s.Version, s.Status, s.SubjectId, s.ReportedAt, s.RegisteredAt, s.LastChangedAt, s.ReportingOrgId,
        s.ReportingOrgType, s.Channel, s.VisibleMunicipality(actor), s.AgeCategory, s.Gender, s.Nationality,
        s.CitizenshipCategory, s.ResidenceBasis, s.Languages, s.InterpreterNeeded, s.ExploitationPurposes,
        s.LabourSector, s.Indicators, s.MethodsOfControl, s.CountriesOfExploitation, s.OperationRef, s.ConsentStatus,
        s.ConsentScope, s.CoordinatorOrgIds, s.Recommendations, s.OpenItems, s.ClosureReason, s.DeclaredAt, s.PersonRecordErased,
        s.IsMissing, s.MissingSince, s.ProtectedIdentity,
        new SuspicionWorkflow(s, actor).AllowedActionNames(actor)
            .Concat(new WhereaboutsWorkflow(s, actor).AllowedActionNames(actor))
            .Select(a => AllowedAction.For(s.Id, "suspicion", a))
            .ToList());
}
