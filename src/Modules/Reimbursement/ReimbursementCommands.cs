using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Reimbursement.Contracts;

namespace Referral.Modules.Reimbursement;

/// <summary>A command on one claim's stream.</summary>
public abstract record ClaimCommand : StreamCommand<ClaimView>
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid ClaimId => StreamId;
}

/// <summary>
/// Draft a claim (återsökning) for one or two quarters. Municipalities (social services) claim SoL 4:1, LVU, LVM and
/// schooling costs; regions (health care) claim health care. The claimant is the caller's organisation.
/// </summary>
/// <param name="Year">The year of the first quarter.</param>
/// <param name="Quarter">The first quarter, 1–4.</param>
/// <param name="Quarters">One or two quarters.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare)]
public sealed record StartClaim([property: Required] int? Year, [property: Required] int? Quarter, [property: Required] int? Quarters) : ICommand<ClaimView>;

/// <summary>Add a line: the cost of one reimbursable service line of one case for days within the claim's quarters.</summary>
/// <param name="Amount">SEK, more than 0, two decimals at most.</param>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare)]
public sealed record AddClaimLine(
    [property: Required] Guid? CaseId,
    [property: Required] Guid? ServiceLineId,
    [property: Required] CostType? CostType,
    [property: Required] DateOnly? From,
    [property: Required] DateOnly? To,
    [property: Required] decimal? Amount) : ClaimCommand;

/// <summary>Remove a line from a draft.</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare)]
public sealed record RemoveClaimLine([property: Required] Guid? LineId) : ClaimCommand;

/// <summary>Submit the claim to Migrationsverket; refused after the deadline (the end of the quarter + 6 months).</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare)]
public sealed record SubmitClaim : ClaimCommand;

/// <summary>Withdraw a draft or a submitted claim.</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.HealthCare)]
public sealed record WithdrawClaim : ClaimCommand;

/// <summary>The approved amount of one line.</summary>
public sealed record LineApproval([property: Required] Guid? LineId, [property: Required] decimal? ApprovedAmount);

/// <summary>Migrationsverket decides every line; the outcome (Approved, PartiallyApproved, Rejected) and the total follow.</summary>
/// <param name="DecisionRef">Migrationsverket's decision reference.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record DecideClaim([property: Required] string? DecisionRef, [property: Required] IReadOnlyList<LineApproval>? Lines) : ClaimCommand, IClaimLineDecisions;

/// <summary>
/// R20: correct the decision before payment: every line decided again, with a compensating event. Only the Migrationsverket
/// organisation that decided the claim.
/// </summary>
/// <param name="DecisionRef">The decision reference as it should have been recorded.</param>
/// <param name="Reason">What was wrong. No identifying details.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record CorrectClaimDecision(
    [property: Required] string? DecisionRef,
    [property: Required] IReadOnlyList<LineApproval>? Lines,
    [property: Required] string? Reason) : ClaimCommand, IClaimLineDecisions;

/// <summary>R20: retract the decision before payment; the claim awaits a decision again. Only the organisation that decided it.</summary>
/// <param name="Reason">Why. No identifying details.</param>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RetractClaimDecision([property: Required] string? Reason) : ClaimCommand;

/// <summary>Record Migrationsverket's payment of the approved total.</summary>
[AllowedOrganisations(OrgType.MigrationAgency)]
public sealed record RecordClaimPayment([property: Required] DateOnly? PaidOn) : ClaimCommand;

public sealed class StartClaimValidator : AbstractValidator<StartClaim>
{
    public StartClaimValidator(TimeProvider clock, IOptions<ReimbursementOptions> options)
    {
        RuleFor(x => x.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(x => x.Quarter).NotNull().InclusiveBetween(1, 4);
        RuleFor(x => x.Quarters).NotNull().InclusiveBetween(1, 2);
        RuleFor(x => x).Must(x =>
            {
                var (from, to) = ReimbursementOptions.Period(x.Year!.Value, x.Quarter!.Value, x.Quarters!.Value);
                return clock.GetUtcNow() < options.Value.EndOf(options.Value.Deadline(from, to));
            })
            .When(x => x.Year is >= 2000 and <= 2100 && x.Quarter is >= 1 and <= 4 && x.Quarters is 1 or 2)
            .WithName("Quarter")
            .WithMessage("The deadline for claiming this period has passed (the end of the quarter + 6 months).");
    }
}

public sealed class AddClaimLineValidator : AbstractValidator<AddClaimLine>
{
    public AddClaimLineValidator()
    {
        RuleFor(x => x.CaseId).NotNull();
        RuleFor(x => x.ServiceLineId).NotNull();
        RuleFor(x => x.CostType).NotNull().IsInEnum();
        RuleFor(x => x.From).NotNull();
        RuleFor(x => x.To).NotNull().GreaterThanOrEqualTo(x => x.From).When(x => x.From is not null).WithMessage("'To' must not be before 'From'.");
        RuleFor(x => x.Amount).NotNull().Sek(inclusive: false)
            .WithMessage("'Amount' must be SEK above 0 with at most two decimals.");
    }
}

public sealed class RemoveClaimLineValidator : AbstractValidator<RemoveClaimLine>
{
    public RemoveClaimLineValidator() => RuleFor(x => x.LineId).NotNull();
}

/// <summary>A decision on every line of a claim: its first recording, or its correction (R20).</summary>
public interface IClaimLineDecisions
{
    string? DecisionRef { get; }
    IReadOnlyList<LineApproval>? Lines { get; }
}

/// <summary>The rules of deciding every line: a reference, 1 to 1 000 lines, each an id and an amount in SEK.</summary>
public abstract class ClaimLineDecisionsValidator<T> : AbstractValidator<T>
    where T : IClaimLineDecisions
{
    protected ClaimLineDecisionsValidator()
    {
        RuleFor(x => x.DecisionRef).Reference();
        RuleFor(x => x.Lines).NotEmpty().MaxItems(ClaimWorkflow.MaxLines);
        RuleForEach(x => x.Lines).ChildRules(line =>
        {
            line.RuleFor(l => l.LineId).NotNull();
            line.RuleFor(l => l.ApprovedAmount).NotNull().Sek()
                .WithMessage("'Approved Amount' must be SEK from 0 with at most two decimals.");
        });
    }
}

public sealed class DecideClaimValidator : ClaimLineDecisionsValidator<DecideClaim>;

public sealed class CorrectClaimDecisionValidator : ClaimLineDecisionsValidator<CorrectClaimDecision>
{
    public CorrectClaimDecisionValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}

public sealed class RetractClaimDecisionValidator : AbstractValidator<RetractClaimDecision>
{
    public RetractClaimDecisionValidator() => RuleFor(x => x.Reason).NotEmpty().CaseText();
}

public sealed class RecordClaimPaymentValidator : AbstractValidator<RecordClaimPayment>
{
    public RecordClaimPaymentValidator(TimeProvider clock) =>
        RuleFor(x => x.PaidOn).NotNull().NotAfterToday(clock);
}
