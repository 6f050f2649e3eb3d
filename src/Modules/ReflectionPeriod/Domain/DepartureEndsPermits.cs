using Marten;
using Referral.Modules.ReflectionPeriod.Contracts;
using Referral.Modules.VoluntaryReturn.Contracts;

namespace Referral.Modules.ReflectionPeriod.Domain;

/// <summary>
/// R7 and MANUAL.md §4.3, §4.4, §4.6: a voluntary departure ends every running 5 kap. 15 § permit. When a save appends
/// <see cref="ReturnDeparted"/> to a case, this step appends its own end events to the same stream in the same transaction —
/// <see cref="ReflectionPeriodEndedEarly"/> (<c>VoluntaryReturnDeparted</c>) for a running reflection period and
/// <see cref="CooperationPermitEnded"/> for a running cooperation permit — so auditors see them and claims stop at that day
/// (R16). The voluntary-return step knows nothing of permits; this step reacts to its public event.
/// </summary>
public sealed class DepartureEndsPermits : DocumentSessionListenerBase
{
    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var stream in session.PendingChanges.Streams())
        {
            if (stream.Events.Select(e => e.Data).OfType<ReturnDeparted>().FirstOrDefault() is not { } departed
                || stream.Events.Any(e => e.Data is ReflectionPeriodEndedEarly or CooperationPermitEnded))
            {
                continue;
            }

            if (await session.LoadAsync<ResidencePermitState>(stream.Id, token) is { } state && Decide(state, departed.DepartedAt) is { Count: > 0 } ends)
            {
                session.Events.Append(stream.Id, ends);
            }
        }
    }

    /// <summary>The end events a departure at <paramref name="at"/> causes in this step (pure).</summary>
    public static IReadOnlyList<object> Decide(ResidencePermitState state, DateTimeOffset at)
    {
        var ends = new List<object>();
        if (ReflectionWorkflow.Reacting(state, ReflectionTrigger.VoluntaryDeparture) is var ended && ended != state.Reflection.Status)
        {
            ends.Add(new ReflectionPeriodEndedEarly(state.Id, EarlyEndReason.VoluntaryReturnDeparted, at, ended));
        }

        if (state.Cooperation.Status is CooperationPermitStatus.Active or CooperationPermitStatus.RenewalRequested or CooperationPermitStatus.RevocationProposed)
        {
            ends.Add(new CooperationPermitEnded(state.Id, CooperationEndReason.VoluntaryReturnDeparted, at, CooperationPermitStatus.Ended));
        }

        return ends;
    }
}
