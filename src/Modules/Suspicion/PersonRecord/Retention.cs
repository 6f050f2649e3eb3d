using FluentValidation;
using Marten;
using Mediator;
using Microsoft.Extensions.Configuration;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Deadlines;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>A case whose person record is past retention.</summary>
public sealed record RetentionCandidate(Guid CaseId, Guid SubjectId, DateTimeOffset ClosedAt, DateTimeOffset ErasableFrom);

/// <summary>
/// Retention: the person record of a case closed (as not trafficking) longer ago than <c>Privacy:RetentionAfterClosure</c>
/// (an ISO 8601 / .NET time span, default 1825 days [U]) is erased by the deadline service, like an erasure by hand:
/// record and key deleted, <c>PersonRecordErased</c> appended by the system. The case history stays.
/// </summary>
public sealed class PersonRecordRetention(IConfiguration configuration) : IDeadlineSource
{
    private static readonly Actor System = new(DeadlineService.SystemActor, DeadlineService.SystemActor, OrgType.Other, null);

    public string Name => "PersonRecordRetention";

    public TimeSpan Retention => configuration.GetValue("Privacy:RetentionAfterClosure", TimeSpan.FromDays(1825));

    public async Task<IReadOnlyList<RetentionCandidate>> CandidatesAsync(IQuerySession session, DateTimeOffset now, CancellationToken ct)
    {
        var closedBefore = now - Retention;
        var closed = await session.Query<SuspicionState>()
            .Where(s => s.Status == SuspicionStatus.NotTrafficking && s.LastChangedAt <= closedBefore && !s.PersonRecordErased)
            .OrderBy(s => s.LastChangedAt).Take(1000).ToListAsync(ct);
        if (closed.Count == 0)
        {
            return [];
        }

        var subjects = closed.Select(s => s.SubjectId).ToArray();
        var withRecord = (await session.Query<PersonRecord>().Where(r => subjects.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        return closed.Where(s => withRecord.Contains(s.SubjectId))
            .Select(s => new RetentionCandidate(s.Id, s.SubjectId, s.LastChangedAt, s.LastChangedAt + Retention)).ToList();
    }

    public async Task<IReadOnlyList<DueDeadline>> FindDueAsync(IQuerySession session, DateTimeOffset now, CancellationToken ct)
    {
        var candidates = await CandidatesAsync(session, now, ct);
        var versions = (await session.LoadManyAsync<SuspicionState>(ct, candidates.Select(c => c.CaseId))).ToDictionary(s => s.Id, s => s.Version);
        return candidates.Select(c => new DueDeadline(c.CaseId, versions[c.CaseId], Name)).ToList();
    }

    public Task FireAsync(IDocumentSession session, DueDeadline deadline, DateTimeOffset now, CancellationToken ct) =>
        session.DecideAsync<SuspicionState>(deadline.CaseId, deadline.Version, state =>
        {
            PersonRecordCipher.Shred(session, state.SubjectId);
            return [new PersonRecordErased(state.Id, state.SubjectId, now)];
        }, ct);
}

/// <summary>Dry run of retention: the person records that would be erased now (none is touched).</summary>
[AllowedOrganisations(OrgType.Auditor, OrgType.SocialServices)]
public sealed record ListRetentionDue : IQuery<IReadOnlyList<RetentionCandidate>>;

public sealed class ListRetentionDueHandler(IQuerySession session, PersonRecordRetention retention, TimeProvider clock)
    : IQueryHandler<ListRetentionDue, IReadOnlyList<RetentionCandidate>>
{
    public async ValueTask<IReadOnlyList<RetentionCandidate>> Handle(ListRetentionDue query, CancellationToken cancellationToken) =>
        await retention.CandidatesAsync(session, clock.GetUtcNow(), cancellationToken);
}
