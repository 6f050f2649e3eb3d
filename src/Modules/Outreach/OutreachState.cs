using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Time;
using Referral.Modules.Outreach.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Outreach;

/// <summary>One entry of persons met: a count of one age category and gender, and what happened (counts, no identities).</summary>
public sealed record PersonsMet(
    Guid EntryId,
    MetAgeCategory AgeCategory,
    Gender Gender,
    int Count,
    int InformedOfSupport,
    int ReferredToSocialServices,
    int AcceptedSupport,
    int Declined);

/// <summary>Children met who get no case here, and why.</summary>
public sealed record ChildrenWithoutCase(int Count, NoCaseReason Reason);

/// <summary>Buyers of sexual services reported on the operation; those under 18 counted apart and referred to social services.</summary>
public sealed record BuyerCounts(int Adults, int UnderEighteen, int UnderEighteenReferredToSocialServices);

/// <summary>
/// A joint outreach operation (samverkanspass), projected inline from its own stream: where and when, who took part,
/// the persons met (counts), the children without a case and why, the buyers reported, and its summary once closed.
/// </summary>
public sealed record OutreachState
{
    private static readonly LocalCalendar Calendar = new();

    public Guid Id { get; init; }
    public long Version { get; init; }
    public OperationStatus Status { get; init; }
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The operation's day in Swedish time, and its year (the figures' period).</summary>
    public DateOnly OccurredOn { get; init; }

    public int Year { get; init; }
    public string MunicipalityCode { get; init; } = "";
    public string Area { get; init; } = "";
    public IReadOnlyList<PlaceKind> PlaceKinds { get; init; } = [];
    public OperationTrigger Trigger { get; init; }
    public IReadOnlyList<OrganisationRef> Participants { get; init; } = [];

    /// <summary>The participants' ids: the need-to-know index.</summary>
    public IReadOnlyList<string> ParticipantOrgIds { get; init; } = [];

    public string? PoliceOperationName { get; init; }
    public string RecordedByOrgId { get; init; } = "";
    public IReadOnlyList<PersonsMet> PersonsMet { get; init; } = [];
    public IReadOnlyList<ChildrenWithoutCase> ChildrenWithoutCase { get; init; } = [];
    public BuyerCounts Buyers { get; init; } = new(0, 0, 0);
    public string? Summary { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    public int ChildrenMet => PersonsMet.Where(p => p.AgeCategory == MetAgeCategory.Child).Sum(p => p.Count);

    public int ChildrenWithoutCaseCount => ChildrenWithoutCase.Sum(c => c.Count);

    public bool TakesPart(string orgId) => ParticipantOrgIds.Contains(orgId);

    public static OutreachState? Fold(OutreachState? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, OutreachOperationRecorded e) => new OutreachState
            {
                Id = e.OperationId, Status = e.Status, OccurredAt = e.OccurredAt, OccurredOn = Calendar.DateOf(e.OccurredAt), Year = Calendar.DateOf(e.OccurredAt).Year,
                MunicipalityCode = e.MunicipalityCode, Area = e.Area, PlaceKinds = e.PlaceKinds, Trigger = e.Trigger, Participants = e.Participants,
                ParticipantOrgIds = [.. e.Participants.Select(p => p.OrgId)], PoliceOperationName = e.PoliceOperationName, RecordedByOrgId = info.OrgId ?? "",
            },
            (null, _) => null,
            ({ } s, PersonsMetRecorded e) => s with
            {
                PersonsMet = [.. s.PersonsMet, new PersonsMet(e.EntryId, e.AgeCategory, e.Gender, e.Count, e.InformedOfSupport, e.ReferredToSocialServices, e.AcceptedSupport, e.Declined)],
            },
            ({ } s, PersonsMetCorrected e) => s with
            {
                PersonsMet = [.. s.PersonsMet.Select(p => p.EntryId != e.EntryId ? p
                    : new PersonsMet(e.EntryId, e.AgeCategory, e.Gender, e.Count, e.InformedOfSupport, e.ReferredToSocialServices, e.AcceptedSupport, e.Declined))],
            },
            ({ } s, ChildrenWithoutCaseRecorded e) => s with { ChildrenWithoutCase = [.. s.ChildrenWithoutCase, new ChildrenWithoutCase(e.Count, e.Reason)] },
            ({ } s, BuyersReported e) => s with
            {
                Buyers = new BuyerCounts(s.Buyers.Adults + e.Adults, s.Buyers.UnderEighteen + e.UnderEighteen,
                    s.Buyers.UnderEighteenReferredToSocialServices + e.UnderEighteenReferredToSocialServices),
            },
            ({ } s, OperationParticipantAdded e) => s with { Participants = [.. s.Participants, e.Organisation], ParticipantOrgIds = [.. s.ParticipantOrgIds, e.Organisation.OrgId] },
            ({ } s, OutreachOperationClosed e) => s with { Status = e.Status, Summary = e.Summary, ClosedAt = e.ClosedAt },
            ({ } s, OutreachOperationReopened e) => s with { Status = e.Status, ClosedAt = null },
            ({ } s, _) => s,
        };
        return next is null ? null : next with { Version = info.Version };
    }
}

/// <summary>
/// The operation side of the link from a case registered from an operation (<c>SuspicionRegistered.OperationId</c>),
/// folded inline from the case stream: which operation, and whether the case is a child's (so it carries the
/// child-safeguarding overlay and its concern report). Ids and a flag only.
/// </summary>
public sealed record OperationCaseLink
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public Guid OperationId { get; init; }
    public bool Child { get; init; }

    public static OperationCaseLink? Fold(OperationCaseLink? state, object data, EventInfo info)
    {
        var next = (state, data) switch
        {
            (null, SuspicionRegistered { OperationId: { } operation } e) => new OperationCaseLink { Id = e.CaseId, OperationId = operation, Child = IsChild(e.AgeCategory) },
            (null, _) => null,
            ({ } s, PresumedVictimDeclared e) => s with { Child = IsChild(e.AgeCategory) },
            ({ } s, _) => s,
        };
        return next is null ? null : next with { Version = info.Version };
    }

    private static bool IsChild(AgeCategory? age) => age is AgeCategory.Child or AgeCategory.AgeDisputedTreatedAsChild;
}
