using System.ComponentModel.DataAnnotations;
using FluentValidation;
using JasperFx.Events;
using Marten.Events.Aggregation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>
/// Record an anonymous consultation (e.g. a professional calling the hotline, stödtelefonen, or a regional
/// coordinator) for statistics. It may be made without consent because it carries no personal data: the schema has
/// no field for any and any unknown field is refused. It never creates a case or a person record (rule R17).
/// </summary>
/// <param name="CallerOrgType">The kind of organisation that asked for advice.</param>
/// <param name="Channel">How the consultation took place.</param>
/// <param name="AgeCategory">Age category of the person discussed, if known.</param>
/// <param name="Gender">Gender of the person discussed, if known.</param>
/// <param name="ExploitationPurposes">Suspected exploitation purposes.</param>
/// <param name="LabourSector">Labour sector, for labour exploitation.</param>
/// <param name="ReferredToRegionalCoordinator">Whether the caller was referred on to a regional coordinator.</param>
[AllowedOrganisations(OrgType.GenderEqualityAgency, OrgType.RegionalCoordinator)]
public sealed record RecordAnonymousConsultation(
    [property: Required] OrgType? CallerOrgType,
    [property: Required] ReportingChannel? Channel,
    AgeCategory? AgeCategory,
    Gender? Gender,
    IReadOnlyList<ExploitationPurpose>? ExploitationPurposes,
    LabourSector? LabourSector,
    bool ReferredToRegionalCoordinator) : ICommand<ConsultationView>;

/// <summary>A recorded anonymous consultation. Nothing in it identifies anyone.</summary>
/// <param name="Id">The consultation id.</param>
public sealed record ConsultationView(
    Guid Id,
    OrgType ConsultedOrgType,
    OrgType CallerOrgType,
    ReportingChannel Channel,
    AgeCategory? AgeCategory,
    Gender? Gender,
    IReadOnlyList<ExploitationPurpose> ExploitationPurposes,
    LabourSector? LabourSector,
    bool ReferredToRegionalCoordinator,
    DateTimeOffset ConsultedAt);

/// <summary>How many anonymous consultations were recorded in a period (optionally one exploitation purpose).</summary>
[AllowedOrganisations(OrgType.GenderEqualityAgency, OrgType.RegionalCoordinator, OrgType.Auditor)]
public sealed record CountConsultations(DateTimeOffset? From, DateTimeOffset? To, ExploitationPurpose? ExploitationPurpose) : IQuery<ConsultationCount>;

/// <summary>The number of anonymous consultations in the period [From, To).</summary>
public sealed record ConsultationCount(DateTimeOffset? From, DateTimeOffset? To, ExploitationPurpose? ExploitationPurpose, int Count);

public sealed class RecordAnonymousConsultationValidator : AbstractValidator<RecordAnonymousConsultation>
{
    public RecordAnonymousConsultationValidator()
    {
        RuleFor(x => x.CallerOrgType).NotNull().IsInEnum();
        RuleFor(x => x.Channel).NotNull().IsInEnum();
        RuleFor(x => x.AgeCategory).IsInEnum();
        RuleFor(x => x.Gender).IsInEnum();
        RuleFor(x => x.ExploitationPurposes).Distinct();
        RuleForEach(x => x.ExploitationPurposes).IsInEnum();
        RuleFor(x => x.LabourSector).IsInEnum();
    }
}

public sealed class CountConsultationsValidator : AbstractValidator<CountConsultations>
{
    public CountConsultationsValidator()
    {
        RuleFor(x => x.ExploitationPurpose).IsInEnum();
        RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x.From is not null && x.To is not null);
    }
}

public sealed class ConsultationHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock) :
    ICommandHandler<RecordAnonymousConsultation, ConsultationView>,
    IQueryHandler<CountConsultations, ConsultationCount>
{
    public async ValueTask<ConsultationView> Handle(RecordAnonymousConsultation c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var recorded = new AnonymousConsultationRecorded(
            Guid.CreateVersion7(now), current.Actor.OrgType, c.CallerOrgType!.Value, c.AgeCategory, c.Gender,
            c.ExploitationPurposes ?? [], c.LabourSector, c.Channel!.Value, c.ReferredToRegionalCoordinator, now);
        session.Events.StartStream<ConsultationView>(recorded.ConsultationId, recorded);
        await session.SaveChangesAsync(ct);
        return FromEvent(recorded);
    }

    public async ValueTask<ConsultationCount> Handle(CountConsultations q, CancellationToken ct)
    {
        IQueryable<ConsultationView> query = session.Query<ConsultationView>();
        if (q.From is { } from)
        {
            query = query.Where(x => x.ConsultedAt >= from);
        }

        if (q.To is { } to)
        {
            query = query.Where(x => x.ConsultedAt < to);
        }

        if (q.ExploitationPurpose is { } purpose)
        {
            query = query.Where(x => x.ExploitationPurposes.Contains(purpose));
        }

        return new ConsultationCount(q.From, q.To, q.ExploitationPurpose, await query.CountAsync(ct));
    }

    public static ConsultationView FromEvent(AnonymousConsultationRecorded e) => new(
        e.ConsultationId, e.ConsultedOrgType, e.CallerOrgType, e.Channel, e.AgeCategory, e.Gender,
        e.ExploitationPurposes, e.LabourSector, e.ReferredToRegionalCoordinator, e.ConsultedAt);
}

/// <summary>Inline projection of an anonymous consultation stream into its (personal-data-free) record.</summary>
public sealed partial class ConsultationProjection : SingleStreamProjection<ConsultationView, Guid>
{
    /// <summary>Only consultation streams: without this, every case-stream save would load a consultation document.</summary>
    public ConsultationProjection() => IncludeType<AnonymousConsultationRecorded>();

    public override ConsultationView? Evolve(ConsultationView? snapshot, Guid id, IEvent e) =>
        e.Data is AnonymousConsultationRecorded recorded ? ConsultationHandler.FromEvent(recorded) : snapshot;
}
