using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Marten.Services.BatchQuerying;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>
/// Need-to-know of a case, decided in one place on the participation the case's root state records
/// (<see cref="SuspicionState.Participations"/>, folded only from events that admit organisations). Used by the one read
/// path (<see cref="ICaseAccess"/>) and the one write path (<see cref="CaseNeedToKnow"/>); docs/manual/privacy.md.
/// </summary>
public sealed class CaseParticipation : ICaseAccess
{
    public async Task<bool> TakesPartAsync(IQuerySession session, Guid caseId, Actor actor, CancellationToken ct) =>
        TakesPart(await session.LoadAsync<SuspicionState>(caseId, ct), actor);

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

    /// <summary>The state, if the actor may read the case; otherwise 404 (existence not revealed).</summary>
    public static async Task<SuspicionState> ReadableStateAsync(IQuerySession session, Guid caseId, Actor actor, CancellationToken ct)
    {
        var state = await session.LoadAsync<SuspicionState>(caseId, ct);
        return MayRead(state, actor) ? state! : throw new NotFoundException("The case");
    }

    /// <summary>Whether the actor's organisation takes part in the case.</summary>
    public static bool TakesPart(SuspicionState? state, Actor actor) => state is not null && state.Participants.Contains(actor.OrgId);

    /// <summary>Participants and auditors read the case; anyone else only under a stated legal basis that fits the case (R15), logged before the read.</summary>
    public static bool MayRead(SuspicionState? state, Actor actor) =>
        state is not null && (actor.OrgType == OrgType.Auditor || TakesPart(state, actor) || (actor.Disclosure is { } d && Fits(d, state, actor.OrgType)));

    /// <summary>
    /// The person record: participants of a type that may read it; a non-participant only under a basis that fits the
    /// case and its type — never <see cref="LegalBasis.NotSecret"/> (identifying data are secret), never an auditor.
    /// </summary>
    public static bool MayReadPersonRecord(SuspicionState? state, Actor actor) =>
        state is not null && actor.OrgType != OrgType.Auditor && (TakesPart(state, actor)
            || (actor.Disclosure is { LegalBasis: not LegalBasis.NotSecret } d && Fits(d, state, actor.OrgType)));

    /// <summary>
    /// Whether a stated legal basis discloses this case to this kind of organisation: the basis must reach the type
    /// (<see cref="Disclosure.CanReach"/>); consent must be given and cover the type, and is emptied by withdrawal (R11);
    /// OSL 10:21 and 26:9/25:12 concern children only.
    /// </summary>
    public static bool Fits(Disclosure disclosure, SuspicionState state, OrgType receiver) =>
        disclosure.CanReach(receiver) && disclosure.LegalBasis switch
        {
            LegalBasis.Consent_OSL_12_2 => WithinConsent(state, receiver),
            LegalBasis.CrimeAgainstChild_OSL_10_21 or LegalBasis.SocHealthMinor_OSL_26_9_25_12 => state.IsChild,
            _ => true,
        };

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

/// <summary>Who takes part in a case, how and since when.</summary>
public sealed record ParticipantsView(Guid CaseId, long Version, IReadOnlyList<Participant> Participants) : IVersionedView
{
    public static ParticipantsView From(SuspicionState s) => new(s.Id, s.Version, s.Participations);
}

/// <summary>The organisations taking part in a case (participants and auditors; others under a fitting legal basis).</summary>
[AnyOrganisation]
public sealed record GetParticipants(Guid CaseId) : IQuery<ParticipantsView>;

/// <summary>
/// Refer the case to another organisation (hänvisning), which then takes part. For an adult, within the recorded
/// consent scope (R11) — or under a legal basis stated in <c>X-Legal-Basis</c> that fits the receiving organisation
/// (R15, logged); for a child, without consent.
/// </summary>
/// <param name="OrgId">The receiving organisation's id (its claim <c>org_id</c>).</param>
/// <param name="OrgType">The receiving organisation's type.</param>
[ActingOrganisations]
public sealed record ReferOrganisation([property: Required] string? OrgId, [property: Required] OrgType? OrgType) : CaseCommand<ParticipantsView>;

/// <summary>
/// Join a case the caller's organisation does not take part in, under the legal basis stated in <c>X-Legal-Basis</c>
/// with its purpose in <c>X-Purpose</c> (R15). The basis must fit the organisation type and the case; the join is in the
/// case history and the access log. <see cref="LegalBasis.NotSecret"/> is no basis to join.
/// </summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency, OrgType.SocialServices, OrgType.RegionalCoordinator,
    OrgType.GenderEqualityAgency, OrgType.HealthCare, OrgType.WorkEnvironmentAuthority, OrgType.Court)]
public sealed record JoinCase : CaseCommand<ParticipantsView>, IEntryRoute;

public sealed class ReferOrganisationValidator : AbstractValidator<ReferOrganisation>
{
    public ReferOrganisationValidator()
    {
        RuleFor(x => x.OrgId).NotEmpty().OrganisationId();
        RuleFor(x => x.OrgType).NotNull().IsInEnum()
            .Must(t => t is not (OrgType.Auditor or OrgType.Other))
            .WithMessage("'Org Type' must be an organisation type that acts on cases (auditors read every case without a referral).");
    }
}

public sealed class ParticipationHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock) :
    IQueryHandler<GetParticipants, ParticipantsView>,
    ICommandHandler<ReferOrganisation, ParticipantsView>,
    ICommandHandler<JoinCase, ParticipantsView>
{
    public async ValueTask<ParticipantsView> Handle(GetParticipants query, CancellationToken cancellationToken) =>
        ParticipantsView.From(await CaseParticipation.ReadableStateAsync(session, query.CaseId, current.Actor, cancellationToken));

    public async ValueTask<ParticipantsView> Handle(ReferOrganisation command, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        var target = command.OrgType!.Value;
        var state = await session.DecideAsync<SuspicionState>(command.CaseId, command.ExpectedVersion, s =>
        {
            if (s.Participants.Contains(command.OrgId!))
            {
                return [];
            }

            if (!s.IsChild && !(actor.Disclosure is { } d ? d.LegalBasis != LegalBasis.NotSecret && CaseParticipation.Fits(d, s, target) : CaseParticipation.WithinConsent(s, target)))
            {
                throw new WorkflowViolationException("participants", s.Status.ToString(), nameof(ReferOrganisation),
                    [actor.Disclosure is { } stated
                        ? $"The stated legal basis {stated.LegalBasis} does not disclose this case to organisation type {target} (R15)"
                        : $"The adult's consent (R11) does not cover sharing with organisation type {target}: record consent with that scope, or state a legal basis that fits {target} in X-Legal-Basis and X-Purpose"],
                    [nameof(RecordConsent)]);
            }

            AccessLog.Record(session, s.Id, actor, "refer-organisation", now);
            return [new OrganisationReferred(s.Id, command.OrgId!, target, now)];
        }, cancellationToken);
        return ParticipantsView.From(state);
    }

    public async ValueTask<ParticipantsView> Handle(JoinCase command, CancellationToken cancellationToken)
    {
        var actor = current.Actor;
        var disclosure = actor.Disclosure ?? throw new Microsoft.AspNetCore.Http.BadHttpRequestException(
            $"{ReferralClaims.LegalBasisHeader} and {ReferralClaims.PurposeHeader} must state the legal basis and purpose of joining the case (R15).");
        if (disclosure.LegalBasis == LegalBasis.NotSecret)
        {
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException($"{LegalBasis.NotSecret} is no basis to join a case: the case holds secret data. State the basis that discloses it to your organisation.");
        }

        if (!disclosure.CanReach(actor.OrgType))
        {
            throw new ForbiddenException($"The legal basis {disclosure.LegalBasis} does not allow disclosure to organisation type {actor.OrgType}.");
        }

        var now = clock.GetUtcNow();
        var state = await session.DecideAsync<SuspicionState>(command.CaseId, command.ExpectedVersion, s =>
        {
            if (CaseParticipation.TakesPart(s, actor))
            {
                return [];
            }

            if (!CaseParticipation.Fits(disclosure, s, actor.OrgType))
            {
                throw new NotFoundException("The case");
            }

            AccessLog.Record(session, s.Id, actor, "join-case", now);
            return [new OrganisationJoined(s.Id, actor.OrgId, actor.OrgType, disclosure.LegalBasis, now)];
        }, cancellationToken);
        return ParticipantsView.From(state);
    }
}
