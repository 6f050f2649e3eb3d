using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Prosecution.Contracts;

namespace Referral.Modules.Prosecution;

/// <summary>A command on a case's participation in one investigation.</summary>
public abstract record ParticipationCommand : CaseCommand<ProsecutionCaseView>
{
    /// <summary>The investigation the case takes part in.</summary>
    [Required]
    public Guid? InvestigationId { get; init; }
}

/// <summary>Record the victim's interview (förhör): whether an interpreter and counsel were present.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record RecordVictimInterview(bool InterpreterPresent, bool CounselPresent) : ParticipationCommand;

/// <summary>Ask the court to appoint counsel for the injured party (målsägandebiträde), ideally before the first interview.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution)]
public sealed record RequestCounsel : ParticipationCommand;

/// <summary>Record the court's appointment of counsel for the injured party.</summary>
/// <param name="CourtOrgId">The court.</param>
[AllowedOrganisations(OrgType.Prosecution, OrgType.Court)]
public sealed record RecordCounselAppointment([property: Required] string? CourtOrgId) : ParticipationCommand;

/// <summary>Record the court's appointment of a special representative for a child (särskild företrädare) when a custodian is suspected.</summary>
/// <param name="CourtOrgId">The court.</param>
/// <param name="CustodianSuspected">A custodian is suspected of the crime, or will not protect the child's rights.</param>
[AllowedOrganisations(OrgType.Prosecution, OrgType.Court)]
public sealed record RecordSpecialRepresentativeAppointment([property: Required] string? CourtOrgId, bool CustodianSuspected) : ParticipationCommand;

/// <summary>Record how the person was heard at trial: in person, remotely, or not heard.</summary>
/// <param name="Testimony">InPerson, Remotely or NotHeard.</param>
[AllowedOrganisations(OrgType.Prosecution, OrgType.Court)]
public sealed record RecordTestimony([property: Required] Testimony? Testimony) : ParticipationCommand;

/// <summary>Complete a task the criminal track raised (R9 outcome review, permit still needed?, non-punishment).</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Note">What was done. No identifying details.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.RegionalCoordinator, OrgType.Police, OrgType.Prosecution)]
public sealed record CompleteProsecutionTask([property: Required] Guid? TaskId, string? Note) : CaseCommand<ProsecutionCaseView>;

public sealed class ParticipationCommandValidator : AbstractValidator<ParticipationCommand>
{
    public ParticipationCommandValidator() => RuleFor(x => x.InvestigationId).NotNull().NotEqual(Guid.Empty);
}

public sealed class RecordVictimInterviewValidator : AbstractValidator<RecordVictimInterview>
{
    public RecordVictimInterviewValidator() => Include(new ParticipationCommandValidator());
}

public sealed class RequestCounselValidator : AbstractValidator<RequestCounsel>
{
    public RequestCounselValidator() => Include(new ParticipationCommandValidator());
}

public sealed class RecordCounselAppointmentValidator : AbstractValidator<RecordCounselAppointment>
{
    public RecordCounselAppointmentValidator()
    {
        Include(new ParticipationCommandValidator());
        RuleFor(x => x.CourtOrgId).OrganisationId();
    }
}

public sealed class RecordSpecialRepresentativeAppointmentValidator : AbstractValidator<RecordSpecialRepresentativeAppointment>
{
    public RecordSpecialRepresentativeAppointmentValidator()
    {
        Include(new ParticipationCommandValidator());
        RuleFor(x => x.CourtOrgId).OrganisationId();
    }
}

public sealed class RecordTestimonyValidator : AbstractValidator<RecordTestimony>
{
    public RecordTestimonyValidator()
    {
        Include(new ParticipationCommandValidator());
        RuleFor(x => x.Testimony).NotNull().IsInEnum();
    }
}

public sealed class CompleteProsecutionTaskValidator : AbstractValidator<CompleteProsecutionTask>
{
    public CompleteProsecutionTaskValidator()
    {
        RuleFor(x => x.TaskId).NotNull();
        RuleFor(x => x.Note).CaseText(1000);
    }
}
