using Marten;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.ReflectionPeriod.Domain;

/// <summary>
/// R7 and MANUAL.md §4.3, §4.4, §4.6: a voluntary departure ends every running 5 kap. 15 § permit. When a command appends
/// <see cref="ReturnDeparted"/> to a case, this step's reaction (registered with the write path) adds its own end events
/// to the same append — <see cref="ReflectionPeriodEndedEarly"/> (<c>VoluntaryReturnDeparted</c>) for a running reflection
/// period and <see cref="CooperationPermitEnded"/> for a running cooperation permit — so the projections fold them in the
/// same transaction, auditors see them and claims stop at that day (R16). The voluntary-return step knows nothing of
/// permits; this step reacts to its public event.
/// </summary>
public static class DepartureEndsPermits
{
    /// <summary>The reaction: the end events a departure among <paramref name="events"/> causes (the state comes from the preloaded step documents).</summary>
    public static async Task<IReadOnlyList<object>> ReactAsync(IDocumentSession session, Guid caseId, IReadOnlyList<object> events, CancellationToken ct) =>
        events.OfType<ReturnDeparted>().FirstOrDefault() is { } departed && await session.LoadAsync<ResidencePermitState>(caseId, ct) is { } state
            ? Decide(state, departed.DepartedAt)
            : [];

    /// <summary>The end events a departure at <paramref name="at"/> causes in this step (pure).</summary>
    public static IReadOnlyList<object> Decide(ResidencePermitState state, DateTimeOffset at)
    {
        var ends = new List<object>();
        if (ReflectionWorkflow.Reacting(state, ReflectionTrigger.VoluntaryDeparture) is var ended && ended != state.Reflection.Status)
        {
            ends.Add(new ReflectionPeriodEndedEarly(state.Id, EarlyEndReason.VoluntaryReturnDeparted, at, ended));
        }

        if (state.Cooperation.IsRunning)
        {
            ends.Add(new CooperationPermitEnded(state.Id, CooperationEndReason.VoluntaryReturnDeparted, at, CooperationPermitStatus.Ended));
        }

        return ends;
    }
}
