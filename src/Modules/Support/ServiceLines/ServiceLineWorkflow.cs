using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Support.Contracts;

namespace Referral.Modules.Support;

/// <summary>Triggers of one service line; the decision's outcomes are separate triggers of one command.</summary>
public enum ServiceLineTrigger { Grant, Reject, StartService, EndService, CorrectServiceDecision, RetractServiceDecision }

/// <summary>
/// One service line (MANUAL.md §4.2): Requested → Granted | Rejected; Granted → Active → Ended (a granted line that never
/// starts may end too). Who may decide is a permission (403), not a guard: social services decide social services,
/// health care its own care, an NGO only its own services at its own cost (MANUAL.md §2).
/// </summary>
public sealed class ServiceLineWorkflow : StepWorkflow<ServiceLineStatus, ServiceLineTrigger>
{
    private static readonly TriggerTable<ServiceLineTrigger> Table = new(
        (ServiceLineTrigger.Grant, typeof(DecideService)),
        (ServiceLineTrigger.Reject, typeof(DecideService)),
        (ServiceLineTrigger.StartService, typeof(StartService)),
        (ServiceLineTrigger.EndService, typeof(EndService)),
        (ServiceLineTrigger.CorrectServiceDecision, typeof(CorrectServiceDecision)),
        (ServiceLineTrigger.RetractServiceDecision, typeof(RetractServiceDecision)));

    private readonly SupportState _state;
    private readonly ServiceLine _line;
    private readonly DateTimeOffset _now;

    /// <param name="state">The case's support step.</param>
    /// <param name="lineId">The line acted on (404 when the case has no such line).</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="now">The time of the command.</param>
    public ServiceLineWorkflow(SupportState state, Guid? lineId, Actor actor, DateTimeOffset now)
        : this(state, state.Line(lineId) ?? throw new NotFoundException("The service line"), actor, now)
    {
    }

    private ServiceLineWorkflow(SupportState state, ServiceLine line, Actor actor, DateTimeOffset now)
        : base(line.Status, actor)
    {
        _state = state;
        _line = line;
        _now = now;

        Machine.Configure(ServiceLineStatus.Requested)
            .PermitIf(ServiceLineTrigger.Grant, ServiceLineStatus.Granted, G(SupportActive, Guards.SupportActive), G(ReimbursableHasReferences, Guards.Reimbursable))
            .Permit(ServiceLineTrigger.Reject, ServiceLineStatus.Rejected);
        Machine.Configure(ServiceLineStatus.Granted)
            .PermitIf(ServiceLineTrigger.StartService, ServiceLineStatus.Active, G(SupportActive, Guards.SupportActive), G(StartsWithinDecision, Guards.WithinDecision))
            .PermitIf(ServiceLineTrigger.EndService, ServiceLineStatus.Ended, NotBeforeStart, Guards.NotBeforeStart);
        Machine.Configure(ServiceLineStatus.Active)
            .PermitIf(ServiceLineTrigger.EndService, ServiceLineStatus.Ended, NotBeforeStart, Guards.NotBeforeStart);

        // R20: the deciding organisation corrects a granted or active line's decision, and retracts a decision before the
        // service starts (a grant) or a rejection; the line is then requested again.
        foreach (var decided in new[] { ServiceLineStatus.Granted, ServiceLineStatus.Active })
        {
            Machine.Configure(decided)
                .PermitReentryIf(ServiceLineTrigger.CorrectServiceDecision, G(SameDecider, Guards.SameDecider), G(ReimbursableHasReferences, Guards.Reimbursable),
                    G(() => Command is not CorrectServiceDecision { Reimbursable: true } || _line.FundingBasis.IsReimbursable(), Guards.ReimbursableBasis));
        }

        foreach (var decided in new[] { ServiceLineStatus.Granted, ServiceLineStatus.Rejected })
        {
            Machine.Configure(decided).PermitIf(ServiceLineTrigger.RetractServiceDecision, ServiceLineStatus.Requested, SameDecider, Guards.SameDecider);
        }
    }

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string SupportActive = "support is active (acute, initial or long-term phase)";
        public const string Reimbursable = "a reimbursable line has a decision reference and a statute reference (R19)";
        public const string WithinDecision = "the service starts within the decided period";
        public const string NotBeforeStart = "the end date is not before the line's start";
        public const string SameDecider = "only the organisation that decided the line corrects or retracts its decision (R20)";
        public const string ReimbursableBasis = "only costs under SoL 4:1, LVU, LVM, regional health care or municipal schooling are reimbursable";
    }

    protected override string Step => "support";

    protected override TriggerTable<ServiceLineTrigger> Triggers => Table;

    /// <summary>The machine of a line without a case, for the diagram.</summary>
    public static string Diagram() =>
        new ServiceLineWorkflow(new SupportState(), new ServiceLine(Guid.Empty, ServiceType.ProtectedHousing, "", ServiceLineStatus.Requested), System, default).ToMermaid();

    // Each decider checks the caller's right to act on this line (403), then the machine (409), and returns the events.

    public IReadOnlyList<object> DecideService(DecideService c)
    {
        EnsureMayAct(c.FundingBasis, deciding: true);
        return [new ServiceDecided(_state.Id, _line.Id, c.Granted, c.DecisionRef, c.StatuteRef, c.FundingBasis!.Value, c.Granted && c.Reimbursable,
            c.From, c.To, c.CostAmount, _now, Fire(c.Granted ? ServiceLineTrigger.Grant : ServiceLineTrigger.Reject, c))];
    }

    public IReadOnlyList<object> StartService(StartService c)
    {
        EnsureMayAct();
        return [new ServiceStarted(_state.Id, _line.Id, c.StartedOn!.Value, _now, Fire(c))];
    }

    public IReadOnlyList<object> EndService(EndService c)
    {
        EnsureMayAct();
        return [new ServiceEnded(_state.Id, _line.Id, c.EndedOn!.Value, _now, Fire(c))];
    }

    public IReadOnlyList<object> CorrectServiceDecision(CorrectServiceDecision c)
    {
        EnsureMayAct();
        return [new ServiceDecisionCorrected(_state.Id, _line.Id, c.DecisionRef, c.StatuteRef, c.Reimbursable, c.From!.Value, c.To, c.CostAmount, c.Reason!, _now, Fire(c))];
    }

    public IReadOnlyList<object> RetractServiceDecision(RetractServiceDecision c)
    {
        EnsureMayAct();
        return [new ServiceDecisionRetracted(_state.Id, _line.Id, c.Reason!, _now, Fire(c))];
    }

    /// <summary>MANUAL.md §2: social services decide social services; health care its own care; an NGO only its own services.</summary>
    private void EnsureMayAct(FundingBasis? decidedFunding = null, bool deciding = false)
    {
        var funding = decidedFunding ?? _line.FundingBasis;
        var allowed = Actor.OrgType switch
        {
            OrgType.SocialServices => _line.Type != ServiceType.HealthCare && funding is not Contracts.FundingBasis.HealthCareRegion and not Contracts.FundingBasis.NGOOwn,
            OrgType.HealthCare => _line.Type == ServiceType.HealthCare && funding is Contracts.FundingBasis.HealthCareRegion or Contracts.FundingBasis.Other
                && (deciding || _line.ProviderOrgId == Actor.OrgId),
            OrgType.NGO => _line.ProviderOrgId == Actor.OrgId && funding == Contracts.FundingBasis.NGOOwn,
            _ => false,
        };
        if (!allowed)
        {
            throw new ForbiddenException(Actor.OrgType switch
            {
                OrgType.SocialServices => "Social services decide social services (SoL, LVU, LVM), not health care or an organisation's own services.",
                OrgType.HealthCare => "Health care decides and runs its own care (ServiceType HealthCare, funded by the region), nothing else.",
                _ => "An NGO decides and runs only its own services (it is the line's provider, at its own cost: FundingBasis NGOOwn).",
            });
        }
    }

    private bool SupportActive() => _state.IsActive;

    private bool SameDecider() => _line.DecidedByOrgId is { } decider && decider == Actor.OrgId;

    private bool ReimbursableHasReferences() => Command switch
    {
        DecideService { Reimbursable: true } c => !string.IsNullOrWhiteSpace(c.DecisionRef) && !string.IsNullOrWhiteSpace(c.StatuteRef),
        CorrectServiceDecision { Reimbursable: true } c => !string.IsNullOrWhiteSpace(c.DecisionRef) && !string.IsNullOrWhiteSpace(c.StatuteRef),
        _ => true,
    };

    private bool StartsWithinDecision() =>
        Command is not StartService c || ((_line.From is null || c.StartedOn >= _line.From) && (_line.To is null || c.StartedOn <= _line.To));

    private bool NotBeforeStart() => Command is not EndService c || _line.From is null || c.EndedOn >= _line.From;
}
