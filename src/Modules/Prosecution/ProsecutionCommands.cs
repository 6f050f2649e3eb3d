using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Prosecution.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>A command on one preliminary investigation's stream.</summary>
public abstract record InvestigationCommand : StreamCommand<InvestigationView>, IInvestigationScoped
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid InvestigationId => StreamId;
}

/// <summary>
/// Refer the investigation to another organisation — the prosecutor taking over its leadership, another police
/// organisation, the court — which then takes part in it and in its linked cases (the investigation's own need-to-know).
/// </summary>
/// <param name="OrgId">The receiving organisation's id (claim <c>org_id</c>).</param>
/// <param name="OrgType">Police, Prosecution or Court.</param>
[AllowedOrganisations(Referral.BuildingBlocks.Contracts.OrgType.Police, Referral.BuildingBlocks.Contracts.OrgType.Prosecution)]
public sealed record ReferInvestigation([property: Required] string? OrgId, [property: Required] OrgType? OrgType) : InvestigationCommand;

public sealed class ReferInvestigationValidator : AbstractValidator<ReferInvestigation>
{
    public ReferInvestigationValidator()
    {
        RuleFor(x => x.OrgId).NotEmpty().OrganisationId();
        RuleFor(x => x.OrgType).NotNull().IsInEnum().Must(t => t is null or OrgType.Police or OrgType.Prosecution or OrgType.Court)
            .WithMessage("'Org Type' must be Police, Prosecution or Court.");
    }
}

/// <summary>
/// Record a police report (polisanmälan); this starts the investigation's stream. Police and prosecution file it
/// themselves; social services, Migrationsverket or an NGO file it as the reporting party (anmälare, MANUAL.md §4.5) and
/// name the police organisation that received it — that organisation takes part and opens the investigation; the
/// reporting party is recorded but does not take part in the investigation (its progress is the police's and the
/// prosecutor's, OSL 18 kap.).
/// </summary>
/// <param name="ReportRef">The police report number (diarienummer), e.g. 5000-K123456-26.</param>
/// <param name="SuspectedOffences">The offences suspected.</param>
/// <param name="ReceivingPoliceOrgId">The police organisation that received the report: required from a reporting party, not sent by police or prosecution.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.SocialServices, OrgType.MigrationAgency, OrgType.NGO)]
public sealed record FilePoliceReport(
    [property: Required] string? ReportRef,
    IReadOnlyList<OffenceClassification>? SuspectedOffences,
    string? ReceivingPoliceOrgId = null) : ICommand<InvestigationView>;

/// <summary>Open the preliminary investigation (förundersökning); the caller's organisation leads it (police or prosecutor).</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record OpenPreliminaryInvestigation : InvestigationCommand;

/// <summary>Record that investigative measures (interviews, surveillance, technical evidence) are under way.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record StartInvestigativeMeasures : InvestigationCommand;

/// <summary>Link a case to the investigation as injured party, witness or also-suspect. Writes to both streams.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Role">InjuredParty (målsägande), Witness or AlsoSuspect.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record LinkCaseToInvestigation(
    [property: Required] Guid? CaseId,
    [property: Required] ParticipationRole? Role) : InvestigationCommand;

/// <summary>Close the investigation without prosecution (nedlagd). Every linked case gets the outcome and an R9 review task.</summary>
/// <param name="Ground">NoCrime, InsufficientEvidence, SuspectUnknown or Other.</param>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record CloseInvestigation([property: Required] ClosureGround? Ground) : InvestigationCommand;

/// <summary>Indict (åtal): defendants by pseudonymous reference, with the offences charged.</summary>
/// <param name="Defendants">At least one defendant, each with at least one offence.</param>
[AllowedOrganisations(OrgType.Prosecution)]
public sealed record Indict([property: Required] IReadOnlyList<Defendant>? Defendants) : InvestigationCommand;

/// <summary>Record that the main hearing (huvudförhandling) is scheduled.</summary>
/// <param name="CourtOrgId">The court.</param>
/// <param name="HearingDate">The first day of the hearing.</param>
[AllowedOrganisations(OrgType.Prosecution, OrgType.Court)]
public sealed record ScheduleTrial([property: Required] string? CourtOrgId, [property: Required] DateOnly? HearingDate) : InvestigationCommand;

/// <summary>Record a judgment — the first instance's after the trial, the appeal court's after an appeal — per defendant.</summary>
/// <param name="CourtOrgId">The court.</param>
/// <param name="Outcomes">One outcome per indicted defendant.</param>
/// <param name="DamagesAwarded">Whether damages (skadestånd) were awarded to injured parties.</param>
/// <param name="JudgmentDate">The date of the judgment.</param>
[AllowedOrganisations(OrgType.Prosecution, OrgType.Court)]
public sealed record RecordJudgment(
    [property: Required] string? CourtOrgId,
    [property: Required] IReadOnlyList<DefendantOutcome>? Outcomes,
    bool DamagesAwarded,
    [property: Required] DateOnly? JudgmentDate) : InvestigationCommand;

/// <summary>Record that the first-instance judgment was appealed.</summary>
/// <param name="AppealedBy">Prosecution, Defence or InjuredParty.</param>
[AllowedOrganisations(OrgType.Prosecution, OrgType.Court)]
public sealed record RecordAppeal([property: Required] AppealedBy? AppealedBy) : InvestigationCommand;

/// <summary>Record that the judgment became final (laga kraft). Every linked case gets a "cooperation permit still needed?" task.</summary>
/// <param name="FinalOn">The date it became final.</param>
[AllowedOrganisations(OrgType.Prosecution, OrgType.Court)]
public sealed record RecordJudgmentFinal([property: Required] DateOnly? FinalOn) : InvestigationCommand;

public sealed class FilePoliceReportValidator : AbstractValidator<FilePoliceReport>
{
    public FilePoliceReportValidator(ICurrentActor current)
    {
        RuleFor(x => x.ReportRef).Reference();
        RuleFor(x => x.SuspectedOffences).Distinct();
        RuleForEach(x => x.SuspectedOffences).IsInEnum();
        RuleFor(x => x.ReceivingPoliceOrgId).OrganisationId().When(x => x.ReceivingPoliceOrgId is not null);
        RuleFor(x => x.ReceivingPoliceOrgId).NotNull()
            .When(_ => current.Actor.OrgType is not (OrgType.Police or OrgType.Prosecution))
            .WithMessage("A reporting party names the police organisation that received the report ('Receiving Police Org Id').");
        RuleFor(x => x.ReceivingPoliceOrgId).Null()
            .When(_ => current.Actor.OrgType is OrgType.Police or OrgType.Prosecution)
            .WithMessage("Police and prosecution file their own reports: 'Receiving Police Org Id' is for a reporting party.");
    }
}

public sealed class LinkCaseToInvestigationValidator : AbstractValidator<LinkCaseToInvestigation>
{
    public LinkCaseToInvestigationValidator()
    {
        RuleFor(x => x.CaseId).NotNull().NotEqual(Guid.Empty);
        RuleFor(x => x.Role).NotNull().IsInEnum();
    }
}

public sealed class CloseInvestigationValidator : AbstractValidator<CloseInvestigation>
{
    public CloseInvestigationValidator() => RuleFor(x => x.Ground).NotNull().IsInEnum();
}

public sealed class IndictValidator : AbstractValidator<Indict>
{
    public IndictValidator()
    {
        RuleFor(x => x.Defendants).NotEmpty().WithMessage("'Defendants' must name at least one defendant.");
        RuleFor(x => x.Defendants).Must(d => d is null || d.Select(x => x.DefendantRef).Distinct().Count() == d.Count)
            .WithMessage("'Defendants' must not name the same defendant twice.");
        RuleFor(x => x.Defendants).MaxItems(MaxDefendants);
        RuleForEach(x => x.Defendants).SetValidator(new DefendantValidator());
    }

    /// <summary>The most defendants one indictment names.</summary>
    public const int MaxDefendants = 100;
}

public sealed class DefendantValidator : AbstractValidator<Defendant>
{
    public DefendantValidator()
    {
        RuleFor(x => x.DefendantRef).Reference();
        RuleFor(x => x.Offences).NotEmpty().WithMessage("Every defendant needs at least one offence.");
        RuleFor(x => x.Offences).Distinct();
        RuleForEach(x => x.Offences).IsInEnum();
    }
}

public sealed class ScheduleTrialValidator : AbstractValidator<ScheduleTrial>
{
    public ScheduleTrialValidator()
    {
        RuleFor(x => x.CourtOrgId).OrganisationId();
        RuleFor(x => x.HearingDate).NotNull();
    }
}

public sealed class RecordJudgmentValidator : AbstractValidator<RecordJudgment>
{
    public RecordJudgmentValidator()
    {
        RuleFor(x => x.CourtOrgId).OrganisationId();
        RuleFor(x => x.JudgmentDate).NotNull();
        RuleFor(x => x.Outcomes).NotEmpty().WithMessage("A judgment needs at least one defendant's outcome.");
        RuleFor(x => x.Outcomes).MaxItems(IndictValidator.MaxDefendants * 4);
        RuleForEach(x => x.Outcomes).SetValidator(new DefendantOutcomeValidator());
    }
}

public sealed class DefendantOutcomeValidator : AbstractValidator<DefendantOutcome>
{
    public DefendantOutcomeValidator()
    {
        RuleFor(x => x.DefendantRef).Reference();
        RuleFor(x => x.Verdict).IsInEnum();
        RuleFor(x => x.Offence).NotNull().IsInEnum().When(x => x.Verdict == Verdict.Convicted)
            .WithMessage("A conviction names the offence.");
        RuleFor(x => x.SentenceMonths).InclusiveBetween(0, 600).When(x => x.SentenceMonths is not null);
        RuleFor(x => x.Offence).Null().When(x => x.Verdict == Verdict.Acquitted).WithMessage("An acquittal names no offence.");
        RuleFor(x => x.SentenceMonths).Null().When(x => x.Verdict == Verdict.Acquitted).WithMessage("An acquittal has no sentence.");
    }
}

public sealed class RecordAppealValidator : AbstractValidator<RecordAppeal>
{
    public RecordAppealValidator() => RuleFor(x => x.AppealedBy).NotNull().IsInEnum();
}

public sealed class RecordJudgmentFinalValidator : AbstractValidator<RecordJudgmentFinal>
{
    public RecordJudgmentFinalValidator() => RuleFor(x => x.FinalOn).NotNull();
}
