using System.Reflection;
using Mediator;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using static Referral.BuildingBlocks.Contracts.OrgType;

namespace Referral.UnitTests.BuildingBlocks;

/// <summary>
/// MANUAL.md §2's permission matrix, written down here from the manual — not read from the code — and checked against
/// every command: each organisation type may send it, or is refused (403 through the authorisation behaviour).
/// Where the code departs from the manual's rows the departure is named with its reason. A command without a row fails.
/// </summary>
public sealed class PermissionMatrixTests
{
    // The manual's columns: POL, FUL (a role of the police or the prosecutor), AKL, MIV, SOC, RKO, JAM, HSV, NGO, IOM, AUD.
    private static readonly OrgType[] Ful = [Police, OrgType.Prosecution];

    /// <summary>The rows of MANUAL.md §2 ("C" = may fire the command).</summary>
    private static class Manual
    {
        public static readonly OrgType[] RegisterOrRefer = [.. Ful, MigrationAgency, SocialServices, RegionalCoordinator, HealthCare, NGO];
        public static readonly OrgType[] RecordConsent = [.. Ful, MigrationAgency, SocialServices, RegionalCoordinator, HealthCare, NGO];
        public static readonly OrgType[] Declare = [.. Ful, MigrationAgency, SocialServices, RegionalCoordinator];
        public static readonly OrgType[] ProposeDeclaration = [NGO]; // "propose only"
        public static readonly OrgType[] CloseNotTrafficking = [.. Ful, MigrationAgency, SocialServices, RegionalCoordinator];
        public static readonly OrgType[] ReflectionApplication = [.. Ful, SocialServices];
        public static readonly OrgType[] MigrationAgencyDecision = [MigrationAgency];
        public static readonly OrgType[] CooperationPermit = [.. Ful];
        public static readonly OrgType[] ProsecutionEvents = [.. Ful];
        public static readonly OrgType[] SupportServices = [SocialServices, RegionalCoordinator, HealthCare, NGO];
        public static readonly OrgType[] Return = [SocialServices, RegionalCoordinator, NGO, IOM];
        public static readonly OrgType[] ClaimAsMunicipalityOrRegion = [SocialServices, HealthCare];
        public static readonly OrgType[] DecideClaim = [MigrationAgency];
    }

    /// <summary>A command's row: the manual's organisation types, then the departures (with why).</summary>
    private sealed record Row(OrgType[] Manual, OrgType[]? Add = null, OrgType[]? Remove = null, string? Why = null)
    {
        public IReadOnlySet<OrgType> Expected => Manual.Concat(Add ?? []).Except(Remove ?? []).ToHashSet();
    }

    private const string Inspections = "Arbetsmiljöverket detects cases at joint inspections (§2 actors) and registers them like the reporting agencies.";
    private const string OnlySocialServices = "§4.8: the child overlay's assessments, measures and handover are social services' (SoL, LVU).";
    private const string OnlyIom = "§4.6: IOM runs the return programme's assessment, travel and reintegration.";
    private const string CourtActs = "The court (DOM, §2 actors) appoints counsel and representatives and tries the case; the police do not.";

    private static readonly Dictionary<string, Row> Rows = new()
    {
        // Suspicion and identification.
        ["RegisterSuspicion"] = new(Manual.RegisterOrRefer, [WorkEnvironmentAuthority], Why: Inspections),
        ["RecordAnonymousConsultation"] = new([GenderEqualityAgency], [RegionalCoordinator], Why: "JAM: anonymous consultation only; coordinators give anonymous method support too (§2 actors)."),
        ["RecordConsent"] = new(Manual.RecordConsent, [WorkEnvironmentAuthority], Why: Inspections),
        ["RequestCoordinatorConsultation"] = new(Manual.RegisterOrRefer, [WorkEnvironmentAuthority], Why: Inspections),
        ["RecordIndicatorAssessment"] = new(Manual.RegisterOrRefer, [WorkEnvironmentAuthority], Why: "Indicators are assessed by those who register. " + Inspections),
        ["DeclarePresumedVictim"] = new(Manual.Declare),
        ["CorrectPresumedVictimDeclaration"] = new(Manual.Declare, Why: "R20: the declaring organisation corrects its declaration (checked by the machine)."),
        ["RetractPresumedVictimDeclaration"] = new(Manual.Declare, Why: "R20: the declaring organisation retracts its declaration (checked by the machine)."),
        ["RecommendPresumedVictim"] = new(Manual.ProposeDeclaration, [HealthCare, WorkEnvironmentAuthority], Why: "Every organisation that registers but may not declare may propose."),
        ["CloseAsNotTrafficking"] = new(Manual.CloseNotTrafficking),
        ["Reopen"] = new(Manual.CloseNotTrafficking, Why: "Reopening undoes a closure: those who may close."),
        ["MarkContactLost"] = new(Manual.RegisterOrRefer, [WorkEnvironmentAuthority], Why: "Whoever is in contact with the person records losing it. " + Inspections),
        ["ReportPersonMissing"] = new(Manual.RegisterOrRefer, [WorkEnvironmentAuthority], Why: "R12: whoever is in contact reports a disappearance. " + Inspections),
        ["ReportPersonFound"] = new(Manual.RegisterOrRefer, [WorkEnvironmentAuthority], Why: "R12. " + Inspections),
        ["SetProtectedIdentity"] = new(Manual.Declare, Why: "Recorded by the authorities that declare (Skatteverket's decision, §7)."),
        ["LinkSubject"] = new(Manual.Declare, Why: "R18: the authorities that declare identify a person reported twice; they must take part in both cases."),
        // Need-to-know entry routes (issue 14; docs/manual/privacy.md).
        ["ReferOrganisation"] = new(Manual.RegisterOrRefer, [OrgType.Prosecution, GenderEqualityAgency, WorkEnvironmentAuthority, IOM, OrgType.Court],
            Why: "Any organisation taking part may refer (within consent, R11); auditors only read."),
        ["JoinCase"] = new([Police, OrgType.Prosecution, MigrationAgency, SocialServices, RegionalCoordinator, GenderEqualityAgency, HealthCare, WorkEnvironmentAuthority, OrgType.Court],
            Why: "A legal basis (R15, OSL) discloses only to authorities; NGOs and IOM take part by referral with consent."),
        // Person record (§7): the reporters correct it; authorities restrict and erase it.
        ["CorrectPersonRecord"] = new(Manual.RegisterOrRefer, [WorkEnvironmentAuthority], Why: Inspections),
        ["SetPersonRecordRestriction"] = new(Manual.Declare, Why: "GDPR art. 18 decisions are the authorities'."),
        ["ErasePersonRecord"] = new(Manual.Declare, Why: "GDPR erasure decisions are the authorities'."),
        // Child overlay (§4.8, R13).
        ["RecordConcernReport"] = new([Police, OrgType.Prosecution, MigrationAgency, SocialServices, RegionalCoordinator, HealthCare, NGO],
            [WorkEnvironmentAuthority, TaxAgency, Customs, CountyBoard], Why: "SoL 14:1: authorities must report concern about a child; anyone may."),
        ["RecordProtectionAssessment"] = new([SocialServices], Why: OnlySocialServices),
        ["OpenChildInvestigation"] = new([SocialServices], Why: OnlySocialServices),
        ["DecideChildMeasure"] = new([SocialServices], Why: OnlySocialServices),
        ["CloseChildOverlay"] = new([SocialServices], Why: OnlySocialServices),
        ["RequestGuardian"] = new([MigrationAgency, SocialServices], Why: "Lag 2005:429: Migrationsverket or the socialnämnd applies for a god man (§3)."),
        ["RecordGuardianAppointment"] = new([MigrationAgency, SocialServices], Why: "Recorded by those who applied."),
        ["RequestSpecialRepresentative"] = new([OrgType.Prosecution], Why: "Lag 1999:997: the prosecutor applies (§3)."),
        // OrgType.Prosecution (§4.5).
        ["FilePoliceReport"] = new(Manual.ProsecutionEvents, [SocialServices, MigrationAgency, NGO],
            Why: "§4.5: PoliceReportFiled by POL, or SOC/MIV/NGO as the reporting party; police or prosecution open the investigation."),
        ["OpenPreliminaryInvestigation"] = new(Manual.ProsecutionEvents),
        ["StartInvestigativeMeasures"] = new(Manual.ProsecutionEvents),
        ["LinkCaseToInvestigation"] = new(Manual.ProsecutionEvents),
        ["ReferInvestigation"] = new(Manual.ProsecutionEvents),
        ["CloseInvestigation"] = new(Manual.ProsecutionEvents),
        ["Indict"] = new(Manual.ProsecutionEvents, Remove: [Police], Why: "Only a prosecutor indicts."),
        ["ScheduleTrial"] = new(Manual.ProsecutionEvents, [OrgType.Court], [Police], CourtActs),
        ["RecordJudgment"] = new(Manual.ProsecutionEvents, [OrgType.Court], [Police], CourtActs),
        ["RecordAppeal"] = new(Manual.ProsecutionEvents, [OrgType.Court], [Police], CourtActs),
        ["RecordJudgmentFinal"] = new(Manual.ProsecutionEvents, [OrgType.Court], [Police], CourtActs),
        ["RecordVictimInterview"] = new(Manual.ProsecutionEvents),
        ["RequestCounsel"] = new(Manual.ProsecutionEvents),
        ["RecordCounselAppointment"] = new(Manual.ProsecutionEvents, [OrgType.Court], [Police], CourtActs),
        ["RecordSpecialRepresentativeAppointment"] = new(Manual.ProsecutionEvents, [OrgType.Court], [Police], CourtActs),
        ["RecordTestimony"] = new(Manual.ProsecutionEvents, [OrgType.Court], [Police], CourtActs),
        ["CompleteProsecutionTask"] = new(Manual.ProsecutionEvents, [SocialServices, RegionalCoordinator], Why: "R9: outcome reviews are tasks for social services and the coordinator."),
        // Reflection period and cooperation permit (§4.3, §4.4, R1, R4).
        ["AssessReflectionEligibility"] = new(Manual.ReflectionApplication, [RegionalCoordinator], Why: "The coordinator gives method support on eligibility (§2 actors)."),
        ["SubmitReflectionApplication"] = new(Manual.ReflectionApplication),
        ["RecordReflectionDecision"] = new(Manual.MigrationAgencyDecision),
        ["RequestReflectionExtension"] = new(Manual.CooperationPermit, [SocialServices], Why: "[U] whether a socialnämnd may request an extension (§3): allowed, as it may apply."),
        ["RecordReflectionExtensionDecision"] = new(Manual.MigrationAgencyDecision),
        ["EndReflectionPeriodEarly"] = new(Manual.ReflectionApplication, [RegionalCoordinator], Why: "R7: the coordinator records a voluntary departure ending it early."),
        ["SubmitCooperationPermitApplication"] = new(Manual.CooperationPermit),
        ["RecordCooperationPermitDecision"] = new(Manual.MigrationAgencyDecision),
        ["CorrectReflectionDecision"] = new([MigrationAgency], Why: "R20: the organisation that decided corrects its decision (Migrationsverket)."),
        ["RetractReflectionDecision"] = new([MigrationAgency], Why: "R20: the organisation that decided retracts its decision (Migrationsverket)."),
        ["CorrectCooperationPermitDecision"] = new([MigrationAgency], Why: "R20: the organisation that decided corrects its decision (Migrationsverket)."),
        ["RetractCooperationPermitDecision"] = new([MigrationAgency], Why: "R20: the organisation that decided retracts its decision (Migrationsverket)."),
        ["RequestCooperationPermitRenewal"] = new(Manual.CooperationPermit),
        ["RecordCooperationPermitRenewalDecision"] = new(Manual.MigrationAgencyDecision),
        ["ReportCooperationConditionUnmet"] = new(Manual.CooperationPermit, [MigrationAgency, SocialServices, RegionalCoordinator],
            Why: "R5: a condition becoming false is often seen first by social services or the coordinator; the report only raises the leader's review task."),
        ["ProposeCooperationPermitRevocation"] = new(Manual.CooperationPermit, [MigrationAgency], Why: "R5: a revocation proposal is a task for the FUL or Migrationsverket."),
        ["RecordCooperationPermitRevocationDecision"] = new(Manual.MigrationAgencyDecision),
        // Support (§4.2).
        ["StartSupport"] = new(Manual.SupportServices, [Police], [RegionalCoordinator, NGO], "Support starts on acute danger: police, social services, health care; coordinators advise, NGOs provide."),
        ["StartInitialPhase"] = new([SocialServices], Why: "Social services decide support (SoL)."),
        ["StartLongTermPhase"] = new([SocialServices], Why: "Social services decide support (SoL)."),
        ["EndSupport"] = new([SocialServices], Why: "Social services decide support (SoL)."),
        ["RecordInformationGiven"] = new(Manual.SupportServices, [Police], [HealthCare], "Information on rights is given by police, social services, coordinators and NGOs (§4.2)."),
        ["RecordRiskAssessment"] = new([SocialServices], [Police], Why: "The police should make a risk assessment (§2 actors); social services for support."),
        ["RequestService"] = new(Manual.SupportServices),
        ["DecideService"] = new(Manual.SupportServices, Remove: [RegionalCoordinator], Why: "Coordinators advise; they decide no service."),
        ["CorrectServiceDecision"] = new(Manual.SupportServices, Remove: [RegionalCoordinator], Why: "R20: the deciding organisation corrects its decision (checked by the machine)."),
        ["RetractServiceDecision"] = new(Manual.SupportServices, Remove: [RegionalCoordinator], Why: "R20: the deciding organisation retracts its decision (checked by the machine)."),
        ["StartService"] = new(Manual.SupportServices, Remove: [RegionalCoordinator], Why: "Coordinators advise; they provide no service."),
        ["EndService"] = new(Manual.SupportServices, Remove: [RegionalCoordinator], Why: "Coordinators advise; they provide no service."),
        // Voluntary return (§4.6, R8, R14).
        ["RecordReturnInformationGiven"] = new(Manual.Return, Remove: [IOM], Why: "Social services, coordinators and NGOs prepare; IOM decides and runs."),
        ["RecordReturnInterest"] = new(Manual.Return, Remove: [IOM], Why: "Prepared before IOM is involved."),
        ["PrepareReturnApplication"] = new(Manual.Return, Remove: [IOM, RegionalCoordinator], Why: "§4.6: social services and NGOs prepare; the coordinator submits."),
        ["SubmitReturnApplication"] = new(Manual.Return, Remove: [IOM, SocialServices, NGO], Why: "§4.6: only the regional coordinator submits (the Swedish contact point)."),
        ["RecordEligibilityDecision"] = new(Manual.Return, Remove: [SocialServices, NGO], Why: "§2 actors: the coordinator decides eligibility together with IOM."),
        ["RecordPreDepartureAssessment"] = new([IOM], Why: OnlyIom),
        ["RecordBestInterestsDetermination"] = new([SocialServices], Why: "R14: social services stay responsible for the child."),
        ["RecordInvestigationLeaderAcknowledgement"] = new(Manual.CooperationPermit, Why: "R8: the investigation leader (FUL) acknowledges."),
        ["RecordInvestigationLeaderNotified"] = new([IOM], Why: "R8 (issue 17): an acknowledgement, not a veto — after the wait, IOM records that it notified the leader and proceeds."),
        ["ArrangeTravel"] = new([IOM], Why: OnlyIom),
        ["RecordDeparture"] = new([IOM], Why: OnlyIom),
        ["RecordArrival"] = new([IOM], Why: OnlyIom),
        ["RecordChildHandover"] = new([SocialServices], Why: "R14: social services hand the child over."),
        ["StartReintegration"] = new([IOM], Why: OnlyIom),
        ["RecordReintegrationContact"] = new([IOM], Why: OnlyIom),
        ["CompleteReintegration"] = new([IOM], Why: OnlyIom),
        ["MarkReintegrationContactLost"] = new([IOM], Why: OnlyIom),
        ["WithdrawFromReturn"] = new(Manual.Return),
        ["PutReturnOnHold"] = new(Manual.Return, Remove: [NGO], Why: "R12: holds are for the deciders and social services."),
        ["ResumeReturn"] = new(Manual.Return, Remove: [NGO], Why: "R12: as the hold."),
        // Reimbursement claims (§4.7).
        ["StartClaim"] = new(Manual.ClaimAsMunicipalityOrRegion),
        ["AddClaimLine"] = new(Manual.ClaimAsMunicipalityOrRegion),
        ["RemoveClaimLine"] = new(Manual.ClaimAsMunicipalityOrRegion),
        ["SubmitClaim"] = new(Manual.ClaimAsMunicipalityOrRegion),
        ["WithdrawClaim"] = new(Manual.ClaimAsMunicipalityOrRegion),
        ["DecideClaim"] = new(Manual.DecideClaim),
        ["CorrectClaimDecision"] = new(Manual.DecideClaim, Why: "R20: Migrationsverket corrects its own decision before payment."),
        ["RetractClaimDecision"] = new(Manual.DecideClaim, Why: "R20: Migrationsverket retracts its own decision before payment."),
        ["RecordClaimPayment"] = new(Manual.DecideClaim, Why: "Migrationsverket pays what it decided."),
        // Joint outreach operations (issue 19): police and social services run the shift and record it; others take part and read.
        ["RecordOutreachOperation"] = new([Police, SocialServices], Why: Outreach),
        ["RecordPersonsMet"] = new([Police, SocialServices], Why: Outreach),
        ["CorrectPersonsMet"] = new([Police, SocialServices], Why: Outreach),
        ["RecordChildrenWithoutCase"] = new([Police, SocialServices], Why: Outreach),
        ["RecordBuyersReported"] = new([Police, SocialServices], Why: Outreach),
        ["AddOperationParticipant"] = new([Police, SocialServices], Why: Outreach),
        ["CloseOperation"] = new([Police, SocialServices], Why: Outreach),
        ["ReopenOperation"] = new([Police, SocialServices], Why: Outreach),
    };

    private const string Outreach = "Joint outreach operations (samverkanspass) are run by the police and social services; other participants read.";

    /// <summary>Whether MANUAL.md §2 (with the departures named here) lets <paramref name="orgType"/> send <paramref name="command"/>; false for a system trigger.</summary>
    public static bool ManualAllows(string command, OrgType orgType) => Rows.TryGetValue(command, out var row) && row.Expected.Contains(orgType);

    /// <summary>Every command of every module (a concrete message that is a Mediator command).</summary>
    private static IReadOnlyList<Type> Commands() =>
        [.. new[] { "Suspicion", "ReflectionPeriod", "Prosecution", "VoluntaryReturn", "Support", "ChildSafeguarding", "Reimbursement", "Outreach" }
            .Select(m => Assembly.Load($"Referral.Modules.{m}"))
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IBaseCommand).IsAssignableFrom(t))];

    public static TheoryData<string> CommandNames() => [.. Commands().Select(t => t.Name).Order()];

    [Fact]
    public void Every_command_has_a_row_and_every_row_a_command()
    {
        Assert.Equal(Rows.Keys.Order(), Commands().Select(t => t.Name).Order());
        Assert.All(Rows.Where(r => r.Value.Add is not null || r.Value.Remove is not null), r => Assert.False(string.IsNullOrWhiteSpace(r.Value.Why), $"{r.Key} departs from the manual without saying why."));
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Each_organisation_type_may_send_the_command_exactly_as_the_manual_says(string command)
    {
        var type = Commands().Single(t => t.Name == command);
        var expected = Rows[command].Expected;
        foreach (var orgType in Enum.GetValues<OrgType>())
        {
            Assert.True(expected.Contains(orgType) == AllowedOrganisations.IsAllowed(type, orgType),
                $"{command} by {orgType}: the manual says {(expected.Contains(orgType) ? "allowed" : "403")}.");
        }

        Assert.False(AllowedOrganisations.IsAllowed(type, Auditor), $"{command}: auditors act on nothing.");
    }
}
