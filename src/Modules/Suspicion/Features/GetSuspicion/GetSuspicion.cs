using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>The suspicion step of one case with the caller's allowed actions.</summary>
[AnyOrganisation]
public sealed record GetSuspicion(Guid CaseId) : IQuery<SuspicionView>;

public sealed class GetSuspicionHandler(IQuerySession session, ICurrentActor current) : IQueryHandler<GetSuspicion, SuspicionView>
{
    public async ValueTask<SuspicionView> Handle(GetSuspicion query, CancellationToken ct)
    {
        var state = await SuspicionCaseAccess.ReadableStateAsync(session, query.CaseId, current.Actor, ct);
        return SuspicionView.From(state, current.Actor);
    }
}

/// <summary>Need-to-know for case reads, decided on the participation the suspicion step records, or a recorded legal basis.</summary>
public sealed class SuspicionCaseAccess : ICaseAccess, ICaseOverviewContributor
{
    public string Step => "suspicion";

    public Task EnsureCanReadAsync(IQuerySession session, Guid caseId, Actor actor, CancellationToken ct) =>
        ReadableStateAsync(session, caseId, actor, ct);

    public async Task<IReadOnlySet<Guid>> ReadableAsync(IQuerySession session, IReadOnlyCollection<Guid> caseIds, Actor actor, CancellationToken ct)
    {
        if (caseIds.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var ids = caseIds.ToArray();
        IQueryable<SuspicionState> query = session.Query<SuspicionState>().Where(x => ids.Contains(x.Id));
        if (actor.OrgType != OrgType.Auditor)
        {
            query = query.Where(x => x.Participants.Contains(actor.OrgId));
        }

        return (await query.Select(x => x.Id).ToListAsync(ct)).ToHashSet();
    }

    public Func<Actor, bool> Enlist(IBatchedQuery batch, Guid caseId)
    {
        var state = batch.Load<SuspicionState>(caseId);
        return actor => MayRead(state.Result, actor);
    }

    public object? Replay(IReadOnlyList<IEvent> events, Actor actor, DateTimeOffset moment) =>
        events.Aggregate((SuspicionState?)null, (s, e) => SuspicionState.Fold(s, e.Data, e.Info()))
            is { } state ? SuspicionView.From(state, actor) : null;

    Func<Actor, object?> ICaseOverviewContributor.Enlist(IBatchedQuery batch, Guid caseId)
    {
        var state = batch.Load<SuspicionState>(caseId);
        return actor => state.Result is { } s ? SuspicionView.From(s, actor) : null;
    }

    /// <summary>The state, if the actor's organisation takes part in the case or is an auditor; otherwise 404.</summary>
    public static async Task<SuspicionState> ReadableStateAsync(IQuerySession session, Guid caseId, Actor actor, CancellationToken ct)
    {
        var state = await session.LoadAsync<SuspicionState>(caseId, ct);
        return MayRead(state, actor) ? state! : throw new NotFoundException("The case");
    }

    /// <summary>
    /// Participants and auditors; anyone else only under a stated legal basis (already in the access log, R15). A
    /// disclosure under consent must be within the adult's recorded consent scope, which withdrawal empties (R11).
    /// </summary>
    private static bool MayRead(SuspicionState? state, Actor actor) =>
        state is not null && (actor.OrgType == OrgType.Auditor || state.Participants.Contains(actor.OrgId) || actor.Disclosure switch
        {
            null => false,
            { LegalBasis: LegalBasis.Consent_OSL_12_2 } => WithinConsent(state, actor.OrgType),
            _ => true,
        });

    /// <summary>Whether the adult's given consent covers sharing with this kind of organisation.</summary>
    public static bool WithinConsent(SuspicionState state, OrgType orgType) =>
        state.ConsentStatus == ConsentStatus.Given && orgType switch
        {
            OrgType.Police => state.ConsentScope.Contains(ConsentScope.ShareWithPolice),
            OrgType.Prosecution => state.ConsentScope.Contains(ConsentScope.ShareWithProsecution),
            OrgType.MigrationAgency => state.ConsentScope.Contains(ConsentScope.ShareWithMigrationAgency),
            OrgType.SocialServices => state.ConsentScope.Contains(ConsentScope.ShareWithSocialServices),
            OrgType.HealthCare => state.ConsentScope.Contains(ConsentScope.ShareWithHealthCare),
            OrgType.NGO => state.ConsentScope.Contains(ConsentScope.ShareWithNgo),
            OrgType.IOM => state.ConsentScope.Contains(ConsentScope.ShareWithIom),
            OrgType.RegionalCoordinator => state.ConsentScope.Contains(ConsentScope.ReferralToRegionalCoordinator),
            _ => false,
        };
}
