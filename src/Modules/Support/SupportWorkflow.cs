using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Support.Contracts;

namespace Referral.Modules.Support;

/// <summary>[A] The phase minimums of MANUAL.md §4.2 (configuration section <c>Support</c>).</summary>
public sealed class SupportOptions
{
    /// <summary>Acute → initial without "acute needs met" after this long (the manual says 24–72 hours).</summary>
    public TimeSpan AcutePhaseMinimum { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Initial → long-term without the reflection period being over after this long.</summary>
    public TimeSpan InitialPhaseMinimum { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Triggers of the support phases; the system fires the declaration and the departure.</summary>
public enum SupportTrigger
{
    StartSupport,
    StartInitialPhase,
    StartLongTermPhase,
    EndSupport,
    RecordInformationGiven,
    RecordRiskAssessment,
    RequestService,
    PresumedVictimDeclared,
    ReturnDeparted,
}

/// <summary>
/// The phases of support and protection (MANUAL.md §4.2) as a Stateless machine, and the decider of every support
/// command. No guard reads the prosecution step: support never depends on willingness to testify (R10).
/// </summary>
public sealed class SupportWorkflow : StepWorkflow<SupportPhase, SupportTrigger>
{
    private static readonly SupportPhase[] Active = [SupportPhase.Acute, SupportPhase.Initial, SupportPhase.LongTerm];
    private readonly SupportState _state;
    private readonly Actor _actor;
    private readonly object? _command;
    private readonly DateTimeOffset _now;
    private readonly SupportOptions _options;

    public SupportWorkflow(SupportState state, Actor actor, object? command = null, DateTimeOffset? now = null, SupportOptions? options = null)
        : base(state.Phase)
    {
        _state = state;
        _actor = actor;
        _command = command;
        _now = now ?? DateTimeOffset.MaxValue;
        _options = options ?? new SupportOptions();

        foreach (var start in new[] { SupportPhase.NotStarted, SupportPhase.Ended })
        {
            Machine.Configure(start)
                .PermitIf(SupportTrigger.StartSupport, SupportPhase.Acute, DeclaredOrAcuteDanger, Guards.DeclaredOrDanger)
                .Permit(SupportTrigger.PresumedVictimDeclared, SupportPhase.Acute);
        }

        Machine.Configure(SupportPhase.Acute)
            .PermitIf(SupportTrigger.StartInitialPhase, SupportPhase.Initial, AcuteNeedsMetOrMinimum, Guards.AcuteDone);
        Machine.Configure(SupportPhase.Initial)
            .PermitIf(SupportTrigger.StartLongTermPhase, SupportPhase.LongTerm, ReflectionOverOrMinimum, Guards.InitialDone);
        foreach (var phase in Active)
        {
            Machine.Configure(phase)
                .Permit(SupportTrigger.EndSupport, SupportPhase.Ended)
                .Permit(SupportTrigger.ReturnDeparted, SupportPhase.Ended)
                .PermitReentry(SupportTrigger.RecordInformationGiven)
                .PermitReentry(SupportTrigger.RecordRiskAssessment)
                .PermitReentry(SupportTrigger.RequestService);
        }
    }

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string DeclaredOrDanger = "the case is declared a presumed victim, or the person is in acute danger";
        public const string AcuteDone = "the acute needs are met, or the acute phase has lasted its minimum (Support:AcutePhaseMinimum)";
        public const string InitialDone = "the reflection period is over (ended, expired or converted), or the initial phase has lasted its minimum (Support:InitialPhaseMinimum)";
    }

    protected override string Step => "support";

    protected override Type CommandFor(SupportTrigger trigger) => trigger switch
    {
        SupportTrigger.StartSupport => typeof(StartSupport),
        SupportTrigger.StartInitialPhase => typeof(StartInitialPhase),
        SupportTrigger.StartLongTermPhase => typeof(StartLongTermPhase),
        SupportTrigger.EndSupport => typeof(EndSupport),
        SupportTrigger.RecordInformationGiven => typeof(RecordInformationGiven),
        SupportTrigger.RecordRiskAssessment => typeof(RecordRiskAssessment),
        SupportTrigger.RequestService => typeof(RequestService),
        _ => typeof(SystemAct),
    };

    /// <summary>The phase after a system transition (an upstream event), without guards.</summary>
    public static SupportPhase Reacting(SupportState state, SupportTrigger trigger) => new SupportWorkflow(state, System).React(trigger);

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() => new SupportWorkflow(new SupportState(), System).ToMermaid();

    /// <summary>Checks the command and returns the events it produces (pure but for <paramref name="newLineId"/>).</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now, Guid newLineId)
    {
        var id = _state.Id;
        SupportPhase To(SupportTrigger trigger) => Fire(trigger, _actor);
        return _command switch
        {
            StartSupport c => [new SupportStarted(id, c.AcuteDanger && !_state.DeclaredPresumedVictim ? SupportStartGround.AcuteDanger : SupportStartGround.PresumedVictimDeclared, now, To(SupportTrigger.StartSupport))],
            StartInitialPhase => [new SupportPhaseAdvanced(id, To(SupportTrigger.StartInitialPhase), now)],
            StartLongTermPhase => [new SupportPhaseAdvanced(id, To(SupportTrigger.StartLongTermPhase), now)],
            EndSupport c => [new SupportEnded(id, c.Reason!.Value, now, To(SupportTrigger.EndSupport))],
            RecordInformationGiven c => To(SupportTrigger.RecordInformationGiven) is var _ ? [new InformationProvided(id, c.Items!, c.Language!, now)] : [],
            RecordRiskAssessment c => To(SupportTrigger.RecordRiskAssessment) is var _ ? [new RiskAssessed(id, c.Level!.Value, c.ReviewBy!.Value, now)] : [],
            RequestService c => To(SupportTrigger.RequestService) is var _
                ? [new ServiceRequested(id, newLineId, c.Type!.Value, c.ProviderOrgId!, now, ServiceLineStatus.Requested)] : [],
            DecideService or StartService or EndService or CorrectServiceDecision or RetractServiceDecision => new ServiceLineWorkflow(_state, _actor, _command).Decide(now),
            _ => throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a support command."),
        };
    }

    private T? Command<T>() where T : class => _command as T;

    private bool DeclaredOrAcuteDanger() => _state.DeclaredPresumedVictim || Command<StartSupport>() is not { } c || c.AcuteDanger;

    private bool AcuteNeedsMetOrMinimum() =>
        Command<StartInitialPhase>() is not { } c || c.AcuteNeedsMet
        || (_state.PhaseSince is { } since && _now - since >= _options.AcutePhaseMinimum);

    private bool ReflectionOverOrMinimum() =>
        _state.ReflectionPeriodOver || (_state.PhaseSince is { } since && _now - since >= _options.InitialPhaseMinimum);
}
