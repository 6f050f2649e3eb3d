using Referral.BuildingBlocks.Cases;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.Support.Contracts;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.Support;

/// <summary>One service line: requested from a provider, decided, active, ended. Statute reference and cost are data (R19).</summary>
public sealed record ServiceLine(
    Guid Id,
    ServiceType Type,
    string ProviderOrgId,
    ServiceLineStatus Status,
    string? DecisionRef = null,
    string? StatuteRef = null,
    FundingBasis? FundingBasis = null,
    bool Reimbursable = false,
    DateOnly? From = null,
    DateOnly? To = null,
    decimal? CostAmount = null,
    string? DecidedByOrgId = null);

/// <summary>A risk assessment with its review date.</summary>
public sealed record RiskAssessment(ProtectionRiskLevel Level, DateOnly ReviewBy, DateTimeOffset AssessedAt);

/// <summary>
/// Support and protection of one case (stöd och skydd), projected inline from the case stream, including the events of
/// the steps it reacts to: the declaration (support starts), whereabouts (R12), the reflection period (the long-term phase)
/// and a voluntary departure (support ends). It reads nothing of the prosecution step (R10).
/// </summary>
public sealed record SupportState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public SupportPhase Phase { get; init; } = SupportPhase.NotStarted;
    public SupportStartGround? StartGround { get; init; }
    public DateTimeOffset? PhaseSince { get; init; }
    public SupportEndReason? EndReason { get; init; }
    public AgeCategory? AgeCategory { get; init; }
    public bool DeclaredPresumedVictim { get; init; }
    public bool PersonMissing { get; init; }
    public DateTimeOffset? MissingSince { get; init; }

    /// <summary>The reflection period is over: ended early, expired, or converted into a cooperation-permit application.</summary>
    public bool ReflectionPeriodOver { get; init; }

    public IReadOnlyList<ServiceLine> Lines { get; init; } = [];
    public IReadOnlyList<RiskAssessment> RiskAssessments { get; init; } = [];
    public IReadOnlyList<InformationItem> InformationGiven { get; init; } = [];
    public IReadOnlyList<string> InformationLanguages { get; init; } = [];

    public bool IsActive => Phase is SupportPhase.Acute or SupportPhase.Initial or SupportPhase.LongTerm;

    public ServiceLine? Line(Guid? id) => Lines.FirstOrDefault(l => l.Id == id);

    public static SupportState? Fold(SupportState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered e) => new SupportState { Id = e.CaseId, AgeCategory = e.AgeCategory },
            (null, _) => null,
            ({ } s, PresumedVictimDeclared e) => SupportWorkflow.Reacting(s, SupportTrigger.PresumedVictimDeclared) is var phase && phase != s.Phase
                ? s with { DeclaredPresumedVictim = true, AgeCategory = e.AgeCategory, Phase = phase, StartGround = SupportStartGround.PresumedVictimDeclared, PhaseSince = e.DeclaredAt, EndReason = null }
                : s with { DeclaredPresumedVictim = true, AgeCategory = e.AgeCategory },
            ({ } s, ReturnDeparted e) => SupportWorkflow.Reacting(s, SupportTrigger.ReturnDeparted) is var ended && ended != s.Phase
                ? s with { Phase = ended, EndReason = SupportEndReason.ReturnedHome, PhaseSince = e.DepartedAt }
                : s,
            ({ } s, PersonReportedMissing e) => s with { PersonMissing = true, MissingSince = e.MissingSince },
            ({ } s, PersonFound) => s with { PersonMissing = false, MissingSince = null },
            ({ } s, ReflectionPeriodEndedEarly or ReflectionPeriodExpired or ReflectionPeriodConverted) => s with { ReflectionPeriodOver = true },
            ({ } s, SupportStarted e) => s with { Phase = e.Phase, StartGround = e.Ground, PhaseSince = e.StartedAt, EndReason = null },
            ({ } s, SupportPhaseAdvanced e) => s with { Phase = e.Phase, PhaseSince = e.AdvancedAt },
            ({ } s, SupportEnded e) => s with { Phase = e.Phase, EndReason = e.Reason, PhaseSince = e.EndedAt },
            ({ } s, InformationProvided e) => s with
            {
                InformationGiven = [.. s.InformationGiven.Union(e.Items).Order()],
                InformationLanguages = [.. s.InformationLanguages.Append(e.Language).Distinct()],
            },
            ({ } s, RiskAssessed e) => s with { RiskAssessments = [.. s.RiskAssessments, new RiskAssessment(e.Level, e.ReviewBy, e.AssessedAt)] },
            ({ } s, ServiceRequested e) => s with { Lines = [.. s.Lines, new ServiceLine(e.ServiceLineId, e.Type, e.ProviderOrgId, e.Status)] },
            ({ } s, ServiceDecided e) => s.With(e.ServiceLineId, l => l with
            {
                Status = e.Status, DecisionRef = e.DecisionRef, StatuteRef = e.StatuteRef, FundingBasis = e.FundingBasis,
                Reimbursable = e.Reimbursable, From = e.From, To = e.To, CostAmount = e.CostAmount, DecidedByOrgId = info.OrgId,
            }),
            ({ } s, ServiceDecisionCorrected e) => s.With(e.ServiceLineId, l => l with
            {
                Status = e.Status, DecisionRef = e.DecisionRef, StatuteRef = e.StatuteRef, Reimbursable = e.Reimbursable, From = e.From, To = e.To, CostAmount = e.CostAmount,
            }),
            ({ } s, ServiceDecisionRetracted e) => s.With(e.ServiceLineId, l => l with
            {
                Status = e.Status, DecisionRef = null, StatuteRef = null, Reimbursable = false, From = null, To = null, CostAmount = null, DecidedByOrgId = null,
            }),
            ({ } s, ServiceStarted e) => s.With(e.ServiceLineId, l => l with { Status = e.Status, From = l.From ?? e.StartedOn }),
            ({ } s, ServiceEnded e) => s.With(e.ServiceLineId, l => l with { Status = e.Status, To = e.EndedOn }),
            ({ } s, _) => s,
        };
        return next is null ? null : next with { Version = info.Version };
    }

    private SupportState With(Guid lineId, Func<ServiceLine, ServiceLine> change) =>
        this with { Lines = Lines.Select(l => l.Id == lineId ? change(l) : l).ToList() };
}
