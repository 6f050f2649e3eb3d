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
    private static readonly WorkflowPool<SupportWorkflow> Pool = new(() => new SupportWorkflow());

    private static readonly TriggerTable<SupportTrigger> Table = new(
        (SupportTrigger.StartSupport, typeof(StartSupport)),
        (SupportTrigger.StartInitialPhase, typeof(StartInitialPhase)),
        (SupportTrigger.StartLongTermPhase, typeof(StartLongTermPhase)),
        (SupportTrigger.EndSupport, typeof(EndSupport)),
        (SupportTrigger.RecordInformationGiven, typeof(RecordInformationGiven)),
        (SupportTrigger.RecordRiskAssessment, typeof(RecordRiskAssessment)),
        (SupportTrigger.RequestService, typeof(RequestService)));

    private static readonly SupportPhase[] Active = [SupportPhase.Acute, SupportPhase.Initial, SupportPhase.LongTerm];
    private SupportState _state = null!;
    private DateTimeOffset _now;
    private SupportOptions _options = null!;

    /// <param name="state">The case's support step.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="now">The time of the command (the phase minimums are measured to it).</param>
    /// <param name="options">The phase minimums.</param>
    public SupportWorkflow(SupportState state, Actor actor, DateTimeOffset? now = null, SupportOptions? options = null)
        : this() => Bind(state, actor, now, options);

    private SupportWorkflow()
    {
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

    /// <summary>A configured machine from the pool, bound to the case's support step and the actor; <c>Dispose</c> gives it back.</summary>
    public static SupportWorkflow For(SupportState state, Actor actor, DateTimeOffset? now = null, SupportOptions? options = null) => Pool.Rent().Bind(state, actor, now, options);

    private SupportWorkflow Bind(SupportState state, Actor actor, DateTimeOffset? now, SupportOptions? options)
    {
        Reset(state.Phase, actor);
        _state = state;
        _now = now ?? DateTimeOffset.MaxValue;
        _options = options ?? new SupportOptions();
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string DeclaredOrDanger = "the case is declared a presumed victim, or the person is in acute danger";
        public const string AcuteDone = "the acute needs are met, or the acute phase has lasted its minimum (Support:AcutePhaseMinimum)";
        public const string InitialDone = "the reflection period is over (ended, expired or converted), or the initial phase has lasted its minimum (Support:InitialPhaseMinimum)";
    }

    protected override string Step => "support";

    protected override TriggerTable<SupportTrigger> Triggers => Table;

    /// <summary>The phase after a system transition (an upstream event), without guards.</summary>
    public static SupportPhase Reacting(SupportState state, SupportTrigger trigger) => SupportWorkflow.For(state, System).Once(w => w.React(trigger));

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() => new SupportWorkflow(new SupportState(), System).ToMermaid();

    public IReadOnlyList<object> StartSupport(StartSupport c) =>
        [new SupportStarted(_state.Id, c.AcuteDanger && !_state.DeclaredPresumedVictim ? SupportStartGround.AcuteDanger : SupportStartGround.PresumedVictimDeclared, _now, Fire(c))];

    public IReadOnlyList<object> StartInitialPhase(StartInitialPhase c) => [new SupportPhaseAdvanced(_state.Id, Fire(c), _now)];

    public IReadOnlyList<object> StartLongTermPhase(StartLongTermPhase c) => [new SupportPhaseAdvanced(_state.Id, Fire(c), _now)];

    public IReadOnlyList<object> EndSupport(EndSupport c) => [new SupportEnded(_state.Id, c.Reason!.Value, _now, Fire(c))];

    public IReadOnlyList<object> RecordInformationGiven(RecordInformationGiven c)
    {
        Fire(c);
        return [new InformationProvided(_state.Id, c.Items!, c.Language!, _now)];
    }

    public IReadOnlyList<object> RecordRiskAssessment(RecordRiskAssessment c)
    {
        Fire(c);
        return [new RiskAssessed(_state.Id, c.Level!.Value, c.ReviewBy!.Value, _now)];
    }

    /// <param name="c">The request.</param>
    /// <param name="lineId">The new line's id.</param>
    public IReadOnlyList<object> RequestService(RequestService c, Guid lineId)
    {
        Fire(c);
        return [new ServiceRequested(_state.Id, lineId, c.Type!.Value, c.ProviderOrgId!, _now, ServiceLineStatus.Requested)];
    }

    private bool DeclaredOrAcuteDanger() => _state.DeclaredPresumedVictim || Command is not StartSupport c || c.AcuteDanger;

    private bool AcuteNeedsMetOrMinimum() =>
        Command is not StartInitialPhase c || c.AcuteNeedsMet
        || (_state.PhaseSince is { } since && _now - since >= _options.AcutePhaseMinimum);

    private bool ReflectionOverOrMinimum() =>
        _state.ReflectionPeriodOver || (_state.PhaseSince is { } since && _now - since >= _options.InitialPhaseMinimum);
}
