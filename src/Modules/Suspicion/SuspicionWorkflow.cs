using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>The triggers of the suspicion step; each is fired by the command of the same name.</summary>
public enum SuspicionTrigger
{
    RecordConsent,
    RequestCoordinatorConsultation,
    RecordIndicatorAssessment,
    DeclarePresumedVictim,
    RecommendPresumedVictim,
    CloseAsNotTrafficking,
    MarkContactLost,
    Reopen,
    CorrectPresumedVictimDeclaration,
    RetractPresumedVictimDeclaration,
}

/// <summary>
/// The suspicion and identification step (identifiering, MANUAL.md §4.1) as a Stateless machine, plus the pure decider
/// that turns an allowed command into events. Guards read the current state, the acting organisation and — when
/// deciding — the command; when only listing allowed actions (no command), guards a request could satisfy count as met.
/// </summary>
public sealed class SuspicionWorkflow : StepWorkflow<SuspicionStatus, SuspicionTrigger>
{
    private static readonly WorkflowPool<SuspicionWorkflow> Pool = new(() => new SuspicionWorkflow());

    private static readonly TriggerTable<SuspicionTrigger> Table = new(
        (SuspicionTrigger.RecordConsent, typeof(RecordConsent)),
        (SuspicionTrigger.RequestCoordinatorConsultation, typeof(RequestCoordinatorConsultation)),
        (SuspicionTrigger.RecordIndicatorAssessment, typeof(RecordIndicatorAssessment)),
        (SuspicionTrigger.DeclarePresumedVictim, typeof(DeclarePresumedVictim)),
        (SuspicionTrigger.RecommendPresumedVictim, typeof(RecommendPresumedVictim)),
        (SuspicionTrigger.CloseAsNotTrafficking, typeof(CloseAsNotTrafficking)),
        (SuspicionTrigger.MarkContactLost, typeof(MarkContactLost)),
        (SuspicionTrigger.Reopen, typeof(Reopen)),
        (SuspicionTrigger.CorrectPresumedVictimDeclaration, typeof(CorrectPresumedVictimDeclaration)),
        (SuspicionTrigger.RetractPresumedVictimDeclaration, typeof(RetractPresumedVictimDeclaration)));

    private SuspicionState _state = null!;
    private DateTimeOffset _now;

    /// <param name="state">The case's suspicion step.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="now">The time of the command.</param>
    public SuspicionWorkflow(SuspicionState state, Actor actor, DateTimeOffset? now = null)
        : this() => Bind(state, actor, now);

    private SuspicionWorkflow()
    {
        Machine.Configure(SuspicionStatus.Registered)
            .PermitReentryIf(SuspicionTrigger.RecordConsent,
                G(IsAdultOrUnknown, Guards.Adult), G(MayRecordConsent, Guards.ConsentRecorder))
            .PermitIf(SuspicionTrigger.RequestCoordinatorConsultation, SuspicionStatus.UnderAssessment,
                HasReferralConsent, Guards.ReferralConsent)
            .PermitIf(SuspicionTrigger.RecordIndicatorAssessment, SuspicionStatus.UnderAssessment,
                AssessmentHasContent, Guards.AssessmentContent)
            .Permit(SuspicionTrigger.MarkContactLost, SuspicionStatus.ContactLost);

        Machine.Configure(SuspicionStatus.UnderAssessment)
            .PermitReentryIf(SuspicionTrigger.RecordConsent,
                G(IsAdultOrUnknown, Guards.Adult), G(MayRecordConsent, Guards.ConsentRecorder))
            .PermitReentryIf(SuspicionTrigger.RequestCoordinatorConsultation, HasReferralConsent, Guards.ReferralConsent)
            .PermitReentryIf(SuspicionTrigger.RecordIndicatorAssessment, AssessmentHasContent, Guards.AssessmentContent)
            .PermitIf(SuspicionTrigger.DeclarePresumedVictim, SuspicionStatus.PresumedVictim,
                G(HasExploitationPurpose, Guards.ExploitationPurpose), G(HasAgeCategory, Guards.AgeCategory), G(ChildHasSocialServices, Guards.ChildSocialServices))
            .PermitReentry(SuspicionTrigger.RecommendPresumedVictim)
            .Permit(SuspicionTrigger.CloseAsNotTrafficking, SuspicionStatus.NotTrafficking)
            .Permit(SuspicionTrigger.MarkContactLost, SuspicionStatus.ContactLost);

        // R20: the declaring organisation corrects or retracts its declaration while the person is a presumed victim.
        Machine.Configure(SuspicionStatus.PresumedVictim)
            .PermitReentryIf(SuspicionTrigger.RecordConsent,
                G(IsAdultOrUnknown, Guards.Adult), G(MayRecordConsent, Guards.ConsentRecorder))
            .PermitReentryIf(SuspicionTrigger.CorrectPresumedVictimDeclaration, G(SameDeclarer, Guards.SameDeclarer), G(ChildHasSocialServices, Guards.ChildSocialServices))
            .PermitIf(SuspicionTrigger.RetractPresumedVictimDeclaration, SuspicionStatus.UnderAssessment, SameDeclarer, Guards.SameDeclarer)
            .Permit(SuspicionTrigger.MarkContactLost, SuspicionStatus.ContactLost);

        Machine.Configure(SuspicionStatus.NotTrafficking)
            .Permit(SuspicionTrigger.Reopen, SuspicionStatus.UnderAssessment);

        Machine.Configure(SuspicionStatus.ContactLost)
            .Permit(SuspicionTrigger.Reopen, SuspicionStatus.UnderAssessment);
    }

    /// <summary>A configured machine from the pool, bound to the case's suspicion step and the actor; <c>Dispose</c> gives it back.</summary>
    public static SuspicionWorkflow For(SuspicionState state, Actor actor, DateTimeOffset? now = null) => Pool.Rent().Bind(state, actor, now);

    private SuspicionWorkflow Bind(SuspicionState state, Actor actor, DateTimeOffset? now)
    {
        Reset(state.Status, actor);
        _state = state;
        _now = now ?? DateTimeOffset.MinValue;
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>The human-readable guard descriptions (they appear in 409 answers and in the diagram).</summary>
    public static class Guards
    {
        public const string Adult = "the person is an adult (a child's case needs no consent)";
        public const string ConsentRecorder = "the caller is the reporting organisation, social services or a regional coordinator";
        public const string ReferralConsent = "an adult has given consent covering referral to a regional coordinator (without consent, use an anonymous consultation)";
        public const string AssessmentContent = "the assessment names at least one indicator or method of control, or has a narrative";
        public const string ExploitationPurpose = "at least one exploitation purpose is recorded on the case or given in the declaration";
        public const string AgeCategory = "the age category is known (on the case or given in the declaration)";
        public const string ChildSocialServices = "for a child: social services take part in the case (R13)";
        public const string SameDeclarer = "only the organisation that declared corrects or retracts the declaration (R20)";
    }

    protected override string Step => "suspicion";


    protected override TriggerTable<SuspicionTrigger> Triggers => Table;

    public IReadOnlyList<object> RecordConsent(RecordConsent c)
    {
        Fire(c);
        return [new ConsentRecorded(_state.Id, c.Status!.Value, c.Scope ?? [], c.Language!, c.InterpreterUsed, _now)];
    }

    public IReadOnlyList<object> RequestCoordinatorConsultation(RequestCoordinatorConsultation c) =>
        [new CoordinatorConsulted(_state.Id, c.CoordinatorOrgId!, _state.IsChild && _state.ConsentStatus != ConsentStatus.Given, _now, Fire(c))];

    public IReadOnlyList<object> RecordIndicatorAssessment(RecordIndicatorAssessment c) =>
        [new IndicatorsAssessed(_state.Id, c.Indicators ?? [], c.MethodsOfControl ?? [], c.ExploitationPurposes ?? [], c.Narrative, _now, Fire(c))];

    public IReadOnlyList<object> DeclarePresumedVictim(DeclarePresumedVictim c)
    {
        var to = Fire(c); // the machine first: its guards say why a declaration without age or purpose is refused
        return [new PresumedVictimDeclared(_state.Id, _state.SubjectId, c.AgeCategory ?? _state.AgeCategory!.Value,
            c.ExploitationPurposes is { Count: > 0 } p ? p : _state.ExploitationPurposes, c.Assessment!, _now, to)];
    }

    public IReadOnlyList<object> RecommendPresumedVictim(RecommendPresumedVictim c)
    {
        Fire(c);
        return [new PresumedVictimRecommended(_state.Id, c.Reason!, _now)];
    }

    public IReadOnlyList<object> CloseAsNotTrafficking(CloseAsNotTrafficking c) => [new CaseClosedNotTrafficking(_state.Id, c.Reason!.Value, c.Justification!, _now, Fire(c))];

    public IReadOnlyList<object> MarkContactLost(MarkContactLost c) => [new ContactMarkedLost(_state.Id, c.LastContactAt, _now, Fire(c))];

    public IReadOnlyList<object> Reopen(Reopen c) => [new CaseReopened(_state.Id, c.NewInformation!, _now, Fire(c))];

    public IReadOnlyList<object> CorrectPresumedVictimDeclaration(CorrectPresumedVictimDeclaration c)
    {
        Fire(c);
        return [new PresumedVictimDeclarationCorrected(_state.Id, c.AgeCategory!.Value, c.ExploitationPurposes!, c.Reason!, _now)];
    }

    public IReadOnlyList<object> RetractPresumedVictimDeclaration(RetractPresumedVictimDeclaration c) =>
        [new PresumedVictimDeclarationRetracted(_state.Id, c.Reason!, _now, Fire(c))];

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new SuspicionWorkflow(new SuspicionState(), new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();

    private bool IsAdultOrUnknown() => !_state.IsChild;

    private bool MayRecordConsent() =>
        Actor.OrgId == _state.ReportingOrgId
        || Actor.OrgType is OrgType.SocialServices or OrgType.RegionalCoordinator;

    private bool HasReferralConsent() =>
        _state.IsChild
        || (_state.ConsentStatus == ConsentStatus.Given && _state.ConsentScope.Contains(ConsentScope.ReferralToRegionalCoordinator));

    private bool AssessmentHasContent() =>
        Command is not RecordIndicatorAssessment c
        || c.Indicators is { Count: > 0 }
        || c.MethodsOfControl is { Count: > 0 }
        || !string.IsNullOrWhiteSpace(c.Narrative);

    private bool HasExploitationPurpose() =>
        _state.ExploitationPurposes.Count > 0
        || Command is not DeclarePresumedVictim c
        || c.ExploitationPurposes is { Count: > 0 };

    private bool SameDeclarer() => _state.DeclaredByOrgId is { } declarer && declarer == Actor.OrgId;

    private bool ChildHasSocialServices()
    {
        var age = (Command as DeclarePresumedVictim)?.AgeCategory ?? (Command as CorrectPresumedVictimDeclaration)?.AgeCategory ?? _state.AgeCategory;
        return age is not (Contracts.AgeCategory.Child or Contracts.AgeCategory.AgeDisputedTreatedAsChild)
            || _state.ParticipantTypes.Contains(OrgType.SocialServices)
            || Actor.OrgType == OrgType.SocialServices;
    }

    private bool HasAgeCategory() =>
        _state.AgeCategory is not null
        || Command is not DeclarePresumedVictim c
        || c.AgeCategory is not null;
}
