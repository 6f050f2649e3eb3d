using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Time;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.ChildSafeguarding.Contracts;

namespace Referral.Modules.ChildSafeguarding;

/// <summary>[A]/[S35] Settings of the overlay (configuration section <c>ChildSafeguarding</c>).</summary>
public sealed class ChildSafeguardingOptions
{
    /// <summary>R13: social services must take part in a child's case within this time, or the case is escalated.</summary>
    public TimeSpan SocialServicesWithin { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The time zone of "the end of the next calendar day".</summary>
    public string TimeZone { get; set; } = LocalCalendar.Swedish;

    /// <summary>The protection assessment is due by the end of the calendar day after the concern report [S35].</summary>
    public DateTimeOffset ProtectionAssessmentDue(DateTimeOffset reportedAt)
    {
        var calendar = new LocalCalendar(TimeZone);
        return calendar.EndOf(calendar.DateOf(reportedAt).AddDays(1));
    }
}

/// <summary>Triggers of the overlay; the two escalations are fired by the deadline service only.</summary>
public enum ChildSafeguardingTrigger
{
    RecordConcernReport,
    RecordProtectionAssessment,
    OpenChildInvestigation,
    DecideChildMeasure,
    CloseChildOverlay,
    RequestGuardian,
    RecordGuardianAppointment,
    RequestSpecialRepresentative,
    EscalateSocialServicesNotLinked,
    EscalateProtectionAssessmentOverdue,
}

/// <summary>A system act of the deadline service: escalate the case for <paramref name="Reason"/>.</summary>
public sealed record Escalate(ChildEscalationReason Reason);

/// <summary>
/// The child-safeguarding overlay (MANUAL.md §4.8, R13) as a Stateless machine and the decider of its commands:
/// concern report → protection assessment (due by the end of the next day) → child investigation → measures → closed,
/// with the god man and särskild företrädare side tracks and the system's escalations.
/// </summary>
public sealed class ChildSafeguardingWorkflow : StepWorkflow<ChildOverlayStatus, ChildSafeguardingTrigger>
{
    private static readonly WorkflowPool<ChildSafeguardingWorkflow> Pool = new(() => new ChildSafeguardingWorkflow());

    private static readonly TriggerTable<ChildSafeguardingTrigger> Table = new(
        (ChildSafeguardingTrigger.RecordConcernReport, typeof(RecordConcernReport)),
        (ChildSafeguardingTrigger.RecordProtectionAssessment, typeof(RecordProtectionAssessment)),
        (ChildSafeguardingTrigger.OpenChildInvestigation, typeof(OpenChildInvestigation)),
        (ChildSafeguardingTrigger.DecideChildMeasure, typeof(DecideChildMeasure)),
        (ChildSafeguardingTrigger.CloseChildOverlay, typeof(CloseChildOverlay)),
        (ChildSafeguardingTrigger.RequestGuardian, typeof(RequestGuardian)),
        (ChildSafeguardingTrigger.RecordGuardianAppointment, typeof(RecordGuardianAppointment)),
        (ChildSafeguardingTrigger.RequestSpecialRepresentative, typeof(RequestSpecialRepresentative)));

    private static readonly ChildOverlayStatus[] Open =
    [
        ChildOverlayStatus.ConcernReportRequired, ChildOverlayStatus.ConcernReported, ChildOverlayStatus.ProtectionAssessed,
        ChildOverlayStatus.ChildInvestigationOpened, ChildOverlayStatus.MeasuresInPlace,
    ];

    private static readonly ChildOverlayStatus[] Assessed =
        [ChildOverlayStatus.ProtectionAssessed, ChildOverlayStatus.ChildInvestigationOpened, ChildOverlayStatus.MeasuresInPlace];

    private ChildSafeguardingState _state = null!;
    private DateTimeOffset _now;
    private ChildSafeguardingOptions _options = null!;

    public ChildSafeguardingWorkflow(ChildSafeguardingState state, Actor actor, DateTimeOffset? now = null, ChildSafeguardingOptions? options = null)
        : this() => Bind(state, actor, now, options);

    private ChildSafeguardingWorkflow()
    {
        Machine.Configure(ChildOverlayStatus.ConcernReportRequired)
            .Permit(ChildSafeguardingTrigger.RecordConcernReport, ChildOverlayStatus.ConcernReported);
        Machine.Configure(ChildOverlayStatus.ConcernReported)
            .Permit(ChildSafeguardingTrigger.RecordProtectionAssessment, ChildOverlayStatus.ProtectionAssessed)
            .PermitReentryIf(ChildSafeguardingTrigger.EscalateProtectionAssessmentOverdue,
                G(() => _now >= _state.ProtectionAssessmentDueAt, Guards.AssessmentDuePassed), G(() => !_state.EscalatedProtectionAssessmentOverdue, Guards.NotEscalatedYet));
        Machine.Configure(ChildOverlayStatus.ProtectionAssessed)
            .PermitReentry(ChildSafeguardingTrigger.RecordProtectionAssessment)
            .Permit(ChildSafeguardingTrigger.OpenChildInvestigation, ChildOverlayStatus.ChildInvestigationOpened)
            .PermitIf(ChildSafeguardingTrigger.DecideChildMeasure, ChildOverlayStatus.MeasuresInPlace, ImmediateCustodyHasGround, Guards.ImmediateCustody);
        Machine.Configure(ChildOverlayStatus.ChildInvestigationOpened)
            .PermitReentry(ChildSafeguardingTrigger.RecordProtectionAssessment)
            .PermitIf(ChildSafeguardingTrigger.DecideChildMeasure, ChildOverlayStatus.MeasuresInPlace, ImmediateCustodyHasGround, Guards.ImmediateCustody);
        Machine.Configure(ChildOverlayStatus.MeasuresInPlace)
            .PermitReentry(ChildSafeguardingTrigger.RecordProtectionAssessment)
            .PermitReentryIf(ChildSafeguardingTrigger.DecideChildMeasure, ImmediateCustodyHasGround, Guards.ImmediateCustody);

        foreach (var status in Open)
        {
            Machine.Configure(status)
                .PermitIf(ChildSafeguardingTrigger.CloseChildOverlay, ChildOverlayStatus.Closed,
                    G(AssessedOrAdult, Guards.AssessedOrAdult), G(MissingMatchesReason, Guards.MissingReason))
                .PermitReentryIf(ChildSafeguardingTrigger.RequestGuardian,
                    G(() => _state.ForeignCitizen, Guards.ForeignChild), G(Separated, Guards.Separated), G(() => _state.Guardian == RepresentationStatus.NotRequested, Guards.GuardianNotRequested))
                .PermitReentryIf(ChildSafeguardingTrigger.RecordGuardianAppointment, () => _state.Guardian == RepresentationStatus.Requested, Guards.GuardianRequested)
                .PermitReentryIf(ChildSafeguardingTrigger.RequestSpecialRepresentative,
                    G(CustodianSuspected, Guards.CustodianSuspected), G(() => _state.SpecialRepresentative == RepresentationStatus.NotRequested, Guards.RepresentativeNotRequested))
                .PermitReentryIf(ChildSafeguardingTrigger.EscalateSocialServicesNotLinked,
                    G(() => !_state.SocialServicesTakePart, Guards.NoSocialServices), G(SocialServicesDuePassed, Guards.SocialServicesDuePassed),
                    G(() => !_state.EscalatedSocialServicesNotLinked, Guards.NotEscalatedYet));
        }
    }

    /// <summary>A configured machine from the pool, bound to the case's child-safeguarding overlay and the actor; <c>Dispose</c> gives it back.</summary>
    public static ChildSafeguardingWorkflow For(ChildSafeguardingState state, Actor actor, DateTimeOffset? now = null, ChildSafeguardingOptions? options = null) => Pool.Rent().Bind(state, actor, now, options);

    private ChildSafeguardingWorkflow Bind(ChildSafeguardingState state, Actor actor, DateTimeOffset? now, ChildSafeguardingOptions? options)
    {
        Reset(state.Status, actor);
        _state = state;
        _now = now ?? DateTimeOffset.MinValue;
        _options = options ?? new ChildSafeguardingOptions();
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string AssessmentDuePassed = "the end of the day after the concern report has passed";
        public const string NotEscalatedYet = "the case was not escalated for this reason before";
        public const string ImmediateCustody = "LVU 6 § immediate custody needs a protection assessment that found an immediate need";
        public const string AssessedOrAdult = "the protection assessment is recorded, or the person was assessed as an adult";
        public const string MissingReason = "a missing child's overlay closes only as ClosedMissing, and only a missing child's does";
        public const string ForeignChild = "the child is not a Swedish citizen";
        public const string Separated = "the child arrived separated from both parents (unaccompanied)";
        public const string GuardianNotRequested = "no god man has been requested yet";
        public const string GuardianRequested = "a god man was requested";
        public const string CustodianSuspected = "a custodian is suspected of the crime or linked to the suspect";
        public const string RepresentativeNotRequested = "no särskild företrädare has been requested or appointed yet";
        public const string NoSocialServices = "no social services organisation takes part in the case";
        public const string SocialServicesDuePassed = "the time for social services to take part has passed (ChildSafeguarding:SocialServicesWithin)";
    }

    protected override string Step => "child-safeguarding";

    protected override TriggerTable<ChildSafeguardingTrigger> Triggers => Table;

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() => new ChildSafeguardingWorkflow(new ChildSafeguardingState(), System).ToMermaid();

    public IReadOnlyList<object> RecordConcernReport(RecordConcernReport c) =>
        [new ConcernReported(_state.Id, c.SocialServicesOrgId!, _now, _options.ProtectionAssessmentDue(_now), Fire(c))];

    public IReadOnlyList<object> RecordProtectionAssessment(RecordProtectionAssessment c) => [new ProtectionAssessed(_state.Id, c.ImmediateProtectionNeeded, _now, Fire(c))];

    public IReadOnlyList<object> OpenChildInvestigation(OpenChildInvestigation c) => [new ChildInvestigationOpened(_state.Id, _now, Fire(c))];

    public IReadOnlyList<object> DecideChildMeasure(DecideChildMeasure c) => [new ChildMeasureDecided(_state.Id, c.Measure!.Value, c.DecisionRef!, _now, Fire(c))];

    public IReadOnlyList<object> CloseChildOverlay(CloseChildOverlay c) => [new ChildOverlayClosed(_state.Id, c.Reason!.Value, _now, Fire(c))];

    public IReadOnlyList<object> RequestGuardian(RequestGuardian c)
    {
        Fire(c);
        return [new GuardianRequested(_state.Id, _now)];
    }

    public IReadOnlyList<object> RecordGuardianAppointment(RecordGuardianAppointment c)
    {
        Fire(c);
        return [new GuardianAppointed(_state.Id, c.AppointedOn!.Value, _now)];
    }

    public IReadOnlyList<object> RequestSpecialRepresentative(RequestSpecialRepresentative c)
    {
        Fire(c);
        return [new SpecialRepresentativeRequested(_state.Id, _now)];
    }

    /// <summary>The deadline service's escalation (a system act).</summary>
    public IReadOnlyList<object> Escalate(Escalate c)
    {
        if (c.Reason == ChildEscalationReason.SocialServicesNotLinked)
        {
            Fire(ChildSafeguardingTrigger.EscalateSocialServicesNotLinked, c);
            return [new ChildCaseEscalated(_state.Id, c.Reason, SocialServicesDueAt(_state, _options)!.Value, _now)];
        }

        Fire(ChildSafeguardingTrigger.EscalateProtectionAssessmentOverdue, c);
        return [new ChildCaseEscalated(_state.Id, ChildEscalationReason.ProtectionAssessmentOverdue, _state.ProtectionAssessmentDueAt!.Value, _now)];
    }

    /// <summary>When social services must take part by (R13), for an applying overlay.</summary>
    public static DateTimeOffset? SocialServicesDueAt(ChildSafeguardingState state, ChildSafeguardingOptions options) =>
        state.AppliesSince + options.SocialServicesWithin;


    private bool SocialServicesDuePassed() => SocialServicesDueAt(_state, _options) is { } due && _now >= due;

    private bool ImmediateCustodyHasGround() =>
        Command is not DecideChildMeasure { Measure: ChildMeasure.ImmediateCustodyLvu6 } || _state.ImmediateProtectionNeeded == true;

    private bool AssessedOrAdult() =>
        Assessed.Contains(_state.Status) || Command is not CloseChildOverlay c || c.Reason == ChildOverlayCloseReason.AssessedAsAdult;

    private bool MissingMatchesReason() =>
        Command is not CloseChildOverlay c || (c.Reason == ChildOverlayCloseReason.ClosedMissing) == _state.Missing;

    private bool Separated() => Command is not RequestGuardian c || c.SeparatedFromBothParents;

    private bool CustodianSuspected() => Command is not RequestSpecialRepresentative c || c.CustodianSuspected;
}
