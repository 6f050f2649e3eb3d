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
    private readonly SupportState _state;
    private readonly ServiceLine _line;
    private readonly Actor _actor;
    private readonly object? _command;

    public ServiceLineWorkflow(SupportState state, Actor actor, object? command)
        : this(state, state.Line(LineId(command)) ?? throw new NotFoundException("The service line"), actor, command)
    {
    }

    private ServiceLineWorkflow(SupportState state, ServiceLine line, Actor actor, object? command)
        : base(line.Status)
    {
        _state = state;
        _line = line;
        _actor = actor;
        _command = command;

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
                    G(() => _command is not CorrectServiceDecision { Reimbursable: true } || _line.FundingBasis.IsReimbursable(), Guards.ReimbursableBasis));
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

    protected override Type CommandFor(ServiceLineTrigger trigger) => trigger switch
    {
        ServiceLineTrigger.Grant or ServiceLineTrigger.Reject => typeof(DecideService),
        ServiceLineTrigger.StartService => typeof(StartService),
        ServiceLineTrigger.CorrectServiceDecision => typeof(CorrectServiceDecision),
        ServiceLineTrigger.RetractServiceDecision => typeof(RetractServiceDecision),
        _ => typeof(EndService),
    };

    /// <summary>The machine of a line without a case, for the diagram.</summary>
    public static string Diagram() =>
        new ServiceLineWorkflow(new SupportState(), new ServiceLine(Guid.Empty, ServiceType.ProtectedHousing, "", ServiceLineStatus.Requested), System, null).ToMermaid();

    /// <summary>Checks the caller's right to act on this line (403), then the machine (409), and returns the events.</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        EnsureMayAct();
        var id = _state.Id;
        return _command switch
        {
            DecideService c => [new ServiceDecided(id, _line.Id, c.Granted, c.DecisionRef, c.StatuteRef, c.FundingBasis!.Value, c.Granted && c.Reimbursable,
                c.From, c.To, c.CostAmount, now, Fire(c.Granted ? ServiceLineTrigger.Grant : ServiceLineTrigger.Reject, _actor))],
            StartService c => [new ServiceStarted(id, _line.Id, c.StartedOn!.Value, now, Fire(ServiceLineTrigger.StartService, _actor))],
            EndService c => [new ServiceEnded(id, _line.Id, c.EndedOn!.Value, now, Fire(ServiceLineTrigger.EndService, _actor))],
            CorrectServiceDecision c => [new ServiceDecisionCorrected(id, _line.Id, c.DecisionRef, c.StatuteRef, c.Reimbursable,
                c.From!.Value, c.To, c.CostAmount, c.Reason!, now, Fire(ServiceLineTrigger.CorrectServiceDecision, _actor))],
            RetractServiceDecision c => [new ServiceDecisionRetracted(id, _line.Id, c.Reason!, now, Fire(ServiceLineTrigger.RetractServiceDecision, _actor))],
            _ => throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a service-line command."),
        };
    }

    private static Guid? LineId(object? command) => command switch
    {
        DecideService c => c.ServiceLineId,
        StartService c => c.ServiceLineId,
        EndService c => c.ServiceLineId,
        CorrectServiceDecision c => c.ServiceLineId,
        RetractServiceDecision c => c.ServiceLineId,
        _ => null,
    };


    /// <summary>MANUAL.md §2: social services decide social services; health care its own care; an NGO only its own services.</summary>
    private void EnsureMayAct()
    {
        var funding = (_command as DecideService)?.FundingBasis ?? _line.FundingBasis;
        var allowed = _actor.OrgType switch
        {
            OrgType.SocialServices => _line.Type != ServiceType.HealthCare && funding is not Contracts.FundingBasis.HealthCareRegion and not Contracts.FundingBasis.NGOOwn,
            OrgType.HealthCare => _line.Type == ServiceType.HealthCare && funding is Contracts.FundingBasis.HealthCareRegion or Contracts.FundingBasis.Other
                && (_command is DecideService || _line.ProviderOrgId == _actor.OrgId),
            OrgType.NGO => _line.ProviderOrgId == _actor.OrgId && funding == Contracts.FundingBasis.NGOOwn,
            _ => false,
        };
        if (!allowed)
        {
            throw new ForbiddenException(_actor.OrgType switch
            {
                OrgType.SocialServices => "Social services decide social services (SoL, LVU, LVM), not health care or an organisation's own services.",
                OrgType.HealthCare => "Health care decides and runs its own care (ServiceType HealthCare, funded by the region), nothing else.",
                _ => "An NGO decides and runs only its own services (it is the line's provider, at its own cost: FundingBasis NGOOwn).",
            });
        }
    }

    private bool SupportActive() => _state.IsActive;

    private bool SameDecider() => _line.DecidedByOrgId is { } decider && decider == _actor.OrgId;


    private bool ReimbursableHasReferences() => _command switch
    {
        DecideService { Reimbursable: true } c => !string.IsNullOrWhiteSpace(c.DecisionRef) && !string.IsNullOrWhiteSpace(c.StatuteRef),
        CorrectServiceDecision { Reimbursable: true } c => !string.IsNullOrWhiteSpace(c.DecisionRef) && !string.IsNullOrWhiteSpace(c.StatuteRef),
        _ => true,
    };

    private bool StartsWithinDecision() =>
        _command is not StartService c || ((_line.From is null || c.StartedOn >= _line.From) && (_line.To is null || c.StartedOn <= _line.To));

    private bool NotBeforeStart() => _command is not EndService c || _line.From is null || c.EndedOn >= _line.From;
}
