using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion.Domain;

namespace Referral.Modules.Suspicion.Features;

/// <summary>Kind of identifier; Swedish personal identity numbers are often missing, so several kinds are kept.</summary>
public enum IdentifierType { DossierNumber, SamordningsNumber, Personnummer, PassportNo, LmaCardNo, IomCaseRef, PoliceCaseRef }

/// <summary>An identifier of the person (e.g. Migrationsverket's dossiernummer).</summary>
public sealed record PersonIdentifier([property: Required] IdentifierType? Type, [property: Required] string? Value);

/// <summary>
/// Identifying details of the person. Kept only in the person record — never in events, logs, URLs or problem details —
/// so they can be corrected and erased while the case history stays intact under the pseudonymous SubjectId.
/// </summary>
public sealed record PersonDetails(
    string? GivenName,
    string? FamilyName,
    IReadOnlyList<string>? OtherNames,
    DateOnly? DateOfBirth,
    IReadOnlyList<PersonIdentifier>? Identifiers,
    string? Phone,
    string? Email,
    string? Address);

/// <summary>The stored person record (a Marten document, apart from the event stream). Id = the case's SubjectId.</summary>
public sealed class PersonRecord
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public PersonDetails Details { get; set; } = new(null, null, null, null, null, null, null, null);
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The person record as served to organisations taking part in the case.</summary>
public sealed record PersonRecordView(Guid CaseId, long Version, Guid SubjectId, PersonDetails Details, DateTimeOffset UpdatedAt) : IVersionedView;

public sealed class PersonDetailsValidator : AbstractValidator<PersonDetails>
{
    public PersonDetailsValidator(TimeProvider clock)
    {
        RuleFor(x => x.GivenName).MaximumLength(200);
        RuleFor(x => x.FamilyName).MaximumLength(200);
        RuleForEach(x => x.OtherNames).NotEmpty().MaximumLength(200);
        RuleFor(x => x.OtherNames).Must(n => n is null || n.Count <= 20).WithMessage("'Other Names' must have at most 20 entries.");
        RuleFor(x => x.DateOfBirth)
            .Must(d => d is null || (d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) && d.Value.Year >= 1900))
            .WithMessage("'Date Of Birth' must be a past date after 1900.");
        RuleFor(x => x.Identifiers).Must(i => i is null || i.Count <= 20).WithMessage("'Identifiers' must have at most 20 entries.");
        RuleForEach(x => x.Identifiers).ChildRules(i =>
        {
            i.RuleFor(x => x.Type).NotNull().IsInEnum();
            i.RuleFor(x => x.Value).NotEmpty().MaximumLength(100);
        });
        RuleFor(x => x.Phone).MaximumLength(50);
        RuleFor(x => x.Email).MaximumLength(254);
        RuleFor(x => x.Address).MaximumLength(500);
    }
}

/// <summary>Read the person record. Only organisations taking part in the case; auditors see the case pseudonymised only.</summary>
[AllowedOrganisations(OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency, OrgType.SocialServices,
    OrgType.RegionalCoordinator, OrgType.HealthCare, OrgType.NGO, OrgType.WorkEnvironmentAuthority, OrgType.IOM)]
public sealed record GetPersonRecord(Guid CaseId) : IQuery<PersonRecordView>;

/// <summary>Correct (or, after an erasure, record anew) the person record. Replaces all details.</summary>
[ReportingOrganisations]
public sealed record CorrectPersonRecord(PersonDetails Details) : CaseCommand<PersonRecordView>;

/// <summary>Erase the person record (GDPR erasure). The case history stays under the pseudonymous SubjectId.</summary>
[AllowedOrganisations(OrgType.SocialServices, OrgType.RegionalCoordinator, OrgType.Police, OrgType.Prosecution, OrgType.MigrationAgency)]
public sealed record ErasePersonRecord(Guid CaseId, long? ExpectedVersion) : ICommand<long>;

public sealed class CorrectPersonRecordValidator : AbstractValidator<CorrectPersonRecord>
{
    public CorrectPersonRecordValidator(TimeProvider clock) =>
        RuleFor(x => x.Details).NotNull().SetValidator(new PersonDetailsValidator(clock));
}

public sealed class PersonRecordHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock) :
    IQueryHandler<GetPersonRecord, PersonRecordView>,
    ICommandHandler<CorrectPersonRecord, PersonRecordView>,
    ICommandHandler<ErasePersonRecord, long>
{
    public async ValueTask<PersonRecordView> Handle(GetPersonRecord query, CancellationToken ct)
    {
        var state = await ParticipantStateAsync(query.CaseId, allowDisclosure: true, ct);
        var record = await session.LoadAsync<PersonRecord>(state.SubjectId, ct) ?? throw new NotFoundException("The person record");
        return new PersonRecordView(state.Id, state.Version, state.SubjectId, record.Details, record.UpdatedAt);
    }

    public async ValueTask<PersonRecordView> Handle(CorrectPersonRecord command, CancellationToken ct)
    {
        var state = await ParticipantStateAsync(command.CaseId, allowDisclosure: false, ct);
        var now = clock.GetUtcNow();
        var existing = await session.LoadAsync<PersonRecord>(state.SubjectId, ct);
        var changed = ChangedFields(existing?.Details, command.Details);
        var record = new PersonRecord { Id = state.SubjectId, CaseId = state.Id, Details = command.Details, UpdatedAt = now };
        session.Store(record);
        var next = await session.DecideAsync<SuspicionState>(state.Id, command.ExpectedVersion,
            _ => [new PersonRecordCorrected(state.Id, state.SubjectId, changed, now)], ct);
        return new PersonRecordView(state.Id, next.Version, state.SubjectId, record.Details, record.UpdatedAt);
    }

    public async ValueTask<long> Handle(ErasePersonRecord command, CancellationToken ct)
    {
        var state = await ParticipantStateAsync(command.CaseId, allowDisclosure: false, ct);
        session.Delete<PersonRecord>(state.SubjectId);
        var next = await session.DecideAsync<SuspicionState>(state.Id, command.ExpectedVersion,
            _ => [new PersonRecordErased(state.Id, state.SubjectId, clock.GetUtcNow())], ct);
        return next.Version;
    }

    /// <summary>
    /// The case state, if the caller's organisation takes part in the case — or, for reads only, reads under a recorded
    /// legal basis (R15); otherwise 404 (existence not revealed). Corrections and erasure are never disclosures.
    /// </summary>
    private async Task<SuspicionState> ParticipantStateAsync(Guid caseId, bool allowDisclosure, CancellationToken ct)
    {
        var state = await session.LoadAsync<SuspicionState>(caseId, ct);
        return state is not null && (state.Participants.Contains(current.Actor.OrgId) || (allowDisclosure && current.Actor.Disclosure is not null))
            ? state
            : throw new NotFoundException("The case");
    }

    /// <summary>Names (never values) of the fields that differ.</summary>
    private static IReadOnlyList<string> ChangedFields(PersonDetails? before, PersonDetails after)
    {
        var fields = new List<string>();
        void Compare(string name, object? a, object? b)
        {
            if (!Equals(a, b))
            {
                fields.Add(name);
            }
        }

        Compare(nameof(PersonDetails.GivenName), before?.GivenName, after.GivenName);
        Compare(nameof(PersonDetails.FamilyName), before?.FamilyName, after.FamilyName);
        Compare(nameof(PersonDetails.OtherNames), string.Join('\u001f', before?.OtherNames ?? []), string.Join('\u001f', after.OtherNames ?? []));
        Compare(nameof(PersonDetails.DateOfBirth), before?.DateOfBirth, after.DateOfBirth);
        Compare(nameof(PersonDetails.Identifiers), string.Join('\u001f', before?.Identifiers ?? []), string.Join('\u001f', after.Identifiers ?? []));
        Compare(nameof(PersonDetails.Phone), before?.Phone, after.Phone);
        Compare(nameof(PersonDetails.Email), before?.Email, after.Email);
        Compare(nameof(PersonDetails.Address), before?.Address, after.Address);
        return fields;
    }
}
