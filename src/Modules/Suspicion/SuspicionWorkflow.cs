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
    private static readonly IReadOnlyDictionary<SuspicionTrigger, Type> Commands = new Dictionary<SuspicionTrigger, Type>
    {
        [SuspicionTrigger.RecordConsent] = typeof(RecordConsent),
        [SuspicionTrigger.RequestCoordinatorConsultation] = typeof(RequestCoordinatorConsultation),
        [SuspicionTrigger.RecordIndicatorAssessment] = typeof(RecordIndicatorAssessment),
        [SuspicionTrigger.DeclarePresumedVictim] = typeof(DeclarePresumedVictim),
        [SuspicionTrigger.RecommendPresumedVictim] = typeof(RecommendPresumedVictim),
        [SuspicionTrigger.CloseAsNotTrafficking] = typeof(CloseAsNotTrafficking),
        [SuspicionTrigger.MarkContactLost] = typeof(MarkContactLost),
        [SuspicionTrigger.Reopen] = typeof(Reopen),
        [SuspicionTrigger.CorrectPresumedVictimDeclaration] = typeof(CorrectPresumedVictimDeclaration),
        [SuspicionTrigger.RetractPresumedVictimDeclaration] = typeof(RetractPresumedVictimDeclaration),
    };

    private readonly SuspicionState _state;
    private readonly Actor _actor;
    private readonly object? _command;

    public SuspicionWorkflow(SuspicionState state, Actor actor, object? command = null)
        : base(state.Status)
    {
        _state = state;
        _actor = actor;
        _command = command;

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


    protected override Type CommandFor(SuspicionTrigger trigger) => Commands[trigger];

    /// <summary>Checks the command against the machine and returns the events it produces (pure: no I/O).</summary>
    public IReadOnlyList<object> Decide(DateTimeOffset now)
    {
        var id = _state.Id;
        return _command switch
        {
            RecordConsent c => Emit(SuspicionTrigger.RecordConsent, _ =>
                new ConsentRecorded(id, c.Status!.Value, c.Scope ?? [], c.Language!, c.InterpreterUsed, now)),
            RequestCoordinatorConsultation c => Emit(SuspicionTrigger.RequestCoordinatorConsultation, to =>
                new CoordinatorConsulted(id, c.CoordinatorOrgId!, _state.IsChild && _state.ConsentStatus != ConsentStatus.Given, now, to)),
            RecordIndicatorAssessment c => Emit(SuspicionTrigger.RecordIndicatorAssessment, to =>
                new IndicatorsAssessed(id, c.Indicators ?? [], c.MethodsOfControl ?? [], c.ExploitationPurposes ?? [], c.Narrative, now, to)),
            DeclarePresumedVictim c => Emit(SuspicionTrigger.DeclarePresumedVictim, to =>
                new PresumedVictimDeclared(id, _state.SubjectId, c.AgeCategory ?? _state.AgeCategory!.Value,
                    c.ExploitationPurposes is { Count: > 0 } p ? p : _state.ExploitationPurposes, c.Assessment!, now, to)),
            RecommendPresumedVictim c => Emit(SuspicionTrigger.RecommendPresumedVictim, _ =>
                new PresumedVictimRecommended(id, c.Reason!, now)),
            CloseAsNotTrafficking c => Emit(SuspicionTrigger.CloseAsNotTrafficking, to =>
                new CaseClosedNotTrafficking(id, c.Reason!.Value, c.Justification!, now, to)),
            MarkContactLost c => Emit(SuspicionTrigger.MarkContactLost, to =>
                new ContactMarkedLost(id, c.LastContactAt, now, to)),
            Reopen c => Emit(SuspicionTrigger.Reopen, to =>
                new CaseReopened(id, c.NewInformation!, now, to)),
            CorrectPresumedVictimDeclaration c => Emit(SuspicionTrigger.CorrectPresumedVictimDeclaration, _ =>
                new PresumedVictimDeclarationCorrected(id, c.AgeCategory!.Value, c.ExploitationPurposes!, c.Reason!, now)),
            RetractPresumedVictimDeclaration c => Emit(SuspicionTrigger.RetractPresumedVictimDeclaration, to =>
                new PresumedVictimDeclarationRetracted(id, c.Reason!, now, to)),
            _ => throw new InvalidOperationException($"{_command?.GetType().Name ?? "null"} is not a command of the suspicion step."),
        };
    }

    /// <summary>The allowed actions of this actor now.</summary>
    public IReadOnlyList<SuspicionTrigger> AllowedActions() => AllowedActions(_actor);

    /// <summary>The machine without a case, for the diagram.</summary>
    public static string Diagram() =>
        new SuspicionWorkflow(new SuspicionState(), new Actor("diagram", "diagram", OrgType.Auditor, null)).ToMermaid();

    /// <summary>Fires the trigger (guards checked first) and makes the one event of the transition.</summary>
    private IReadOnlyList<object> Emit(SuspicionTrigger trigger, Func<SuspicionStatus, object> makeEvent) =>
        [makeEvent(Fire(trigger, _actor))];

    private T? Command<T>() where T : class => _command as T;

    private bool IsAdultOrUnknown() => !_state.IsChild;

    private bool MayRecordConsent() =>
        _actor.OrgId == _state.ReportingOrgId
        || _actor.OrgType is OrgType.SocialServices or OrgType.RegionalCoordinator;

    private bool HasReferralConsent() =>
        _state.IsChild
        || (_state.ConsentStatus == ConsentStatus.Given && _state.ConsentScope.Contains(ConsentScope.ReferralToRegionalCoordinator));

    private bool AssessmentHasContent() =>
        Command<RecordIndicatorAssessment>() is not { } c
        || c.Indicators is { Count: > 0 }
        || c.MethodsOfControl is { Count: > 0 }
        || !string.IsNullOrWhiteSpace(c.Narrative);

    private bool HasExploitationPurpose() =>
        _state.ExploitationPurposes.Count > 0
        || Command<DeclarePresumedVictim>() is not { } c
        || c.ExploitationPurposes is { Count: > 0 };

    private bool SameDeclarer() => _state.DeclaredByOrgId is { } declarer && declarer == _actor.OrgId;

    private bool ChildHasSocialServices()
    {
        var age = Command<DeclarePresumedVictim>()?.AgeCategory ?? Command<CorrectPresumedVictimDeclaration>()?.AgeCategory ?? _state.AgeCategory;
        return age is not (Contracts.AgeCategory.Child or Contracts.AgeCategory.AgeDisputedTreatedAsChild)
            || _state.ParticipantTypes.Contains(OrgType.SocialServices)
            || _actor.OrgType == OrgType.SocialServices;
    }

    private bool HasAgeCategory() =>
        _state.AgeCategory is not null
        || Command<DeclarePresumedVictim>() is not { } c
        || c.AgeCategory is not null;
}
