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

/// <summary>
/// The stored person record (a Marten document, apart from the event stream), encrypted at rest with AES-GCM under a
/// key of its own. Id = the case's SubjectId.
/// </summary>
public sealed class PersonRecord
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public byte[] Nonce { get; set; } = [];
    public byte[] Ciphertext { get; set; } = [];
    public byte[] Tag { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// The key of one person record, kept in a table of its own (in production: a separate database or key vault).
/// Erasure deletes it, which makes any copy of the ciphertext — in a backup, say — unreadable (crypto-shredding).
/// </summary>
public sealed class PersonRecordKey
{
    public Guid Id { get; set; }
    public byte[] Key { get; set; } = [];
}

/// <summary>
/// A replaced version of a person record (rättelse — correction keeps the previous value), still encrypted under the
/// record's key, so erasure of the key makes every revision unreadable too; erasure also deletes them.
/// </summary>
public sealed class PersonRecordRevision
{
    public Guid Id { get; set; }
    public Guid SubjectId { get; set; }
    public byte[] Nonce { get; set; } = [];
    public byte[] Ciphertext { get; set; } = [];
    public byte[] Tag { get; set; } = [];
    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset ReplacedAt { get; set; }
    public string ReplacedByOrgId { get; set; } = "";
}

/// <summary>Encrypts and decrypts person records (AES-GCM, 256-bit key per record; the subject id is the associated data).</summary>
public static class PersonRecordCipher
{
    public static (PersonRecord Record, PersonRecordKey Key) Seal(Guid subjectId, Guid caseId, PersonDetails details, DateTimeOffset at, PersonRecordKey? existingKey = null)
    {
        var key = existingKey ?? new PersonRecordKey { Id = subjectId, Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) };
        var plaintext = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(details);
        var record = new PersonRecord
        {
            Id = subjectId, CaseId = caseId, UpdatedAt = at,
            Nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(12), Ciphertext = new byte[plaintext.Length], Tag = new byte[16],
        };
        using var aes = new System.Security.Cryptography.AesGcm(key.Key, 16);
        aes.Encrypt(record.Nonce, plaintext, record.Ciphertext, record.Tag, subjectId.ToByteArray());
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        return (record, key);
    }

    /// <summary>Deletes the record, its revisions and its key (crypto-shredding).</summary>
    public static void Shred(IDocumentSession session, Guid subjectId)
    {
        session.Delete<PersonRecord>(subjectId);
        session.DeleteWhere<PersonRecordRevision>(r => r.SubjectId == subjectId);
        session.Delete<PersonRecordKey>(subjectId);
    }

    public static PersonDetails Open(PersonRecordRevision revision, PersonRecordKey key) =>
        Open(new PersonRecord { Id = revision.SubjectId, Nonce = revision.Nonce, Ciphertext = revision.Ciphertext, Tag = revision.Tag }, key);

    public static PersonDetails Open(PersonRecord record, PersonRecordKey key)
    {
        var plaintext = new byte[record.Ciphertext.Length];
        using var aes = new System.Security.Cryptography.AesGcm(key.Key, 16);
        aes.Decrypt(record.Nonce, record.Ciphertext, record.Tag, plaintext, record.Id.ToByteArray());
        return System.Text.Json.JsonSerializer.Deserialize<PersonDetails>(plaintext)!;
    }
}

/// <summary>The person record as served to organisations taking part in the case.</summary>
public sealed record PersonRecordView(Guid CaseId, long Version, Guid SubjectId, PersonDetails Details, DateTimeOffset UpdatedAt) : IVersionedView;

/// <summary>One replaced version of the person record: the details as they were, and who replaced them when.</summary>
public sealed record PersonRecordRevisionView(PersonDetails Details, DateTimeOffset ValidFrom, DateTimeOffset ReplacedAt, string ReplacedByOrgId);

/// <summary>The correction history of a person record, newest first.</summary>
public sealed record PersonRecordHistoryView(Guid CaseId, long Version, Guid SubjectId, IReadOnlyList<PersonRecordRevisionView> Revisions) : IVersionedView;

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

/// <summary>
/// Read the previous values of a corrected person record. Stricter than the record itself: only authorities taking part
/// in the case, never under a disclosure basis.
/// </summary>
[AssessingOrganisations]
public sealed record GetPersonRecordHistory(Guid CaseId) : IQuery<PersonRecordHistoryView>;

/// <summary>
/// Restrict processing of the person record (GDPR art. 18), or lift the restriction. While restricted the record is
/// kept but not read — except by a disclosure under OSL 10:21 or 10:23 (a crime investigation, art. 18(2)) — and may
/// still be corrected or erased.
/// </summary>
/// <param name="Restricted">Whether processing is restricted.</param>
/// <param name="Ground">The ground (required when restricting).</param>
[AssessingOrganisations]
public sealed record SetPersonRecordRestriction(bool? Restricted, RestrictionGround? Ground) : CaseCommand<PersonRecordRestrictionView>;

/// <summary>Whether processing of the person record is restricted, and on which ground.</summary>
public sealed record PersonRecordRestrictionView(Guid CaseId, long Version, bool Restricted, RestrictionGround? Ground) : IVersionedView;

public sealed class SetPersonRecordRestrictionValidator : AbstractValidator<SetPersonRecordRestriction>
{
    public SetPersonRecordRestrictionValidator()
    {
        RuleFor(x => x.Restricted).NotNull();
        RuleFor(x => x.Ground).NotNull().IsInEnum().When(x => x.Restricted == true);
        RuleFor(x => x.Ground).Null().When(x => x.Restricted == false).WithMessage("'Ground' is given only when restricting.");
    }
}

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
    IQueryHandler<GetPersonRecordHistory, PersonRecordHistoryView>,
    ICommandHandler<CorrectPersonRecord, PersonRecordView>,
    ICommandHandler<SetPersonRecordRestriction, PersonRecordRestrictionView>,
    ICommandHandler<ErasePersonRecord, long>
{
    public async ValueTask<PersonRecordView> Handle(GetPersonRecord query, CancellationToken ct)
    {
        var state = EnsureNotRestricted(await ParticipantStateAsync(query.CaseId, allowDisclosure: true, ct), nameof(GetPersonRecord));
        var (record, key) = await LoadAsync(state.SubjectId, ct);
        return record is null || key is null
            ? throw new NotFoundException("The person record")
            : new PersonRecordView(state.Id, state.Version, state.SubjectId, PersonRecordCipher.Open(record, key), record.UpdatedAt);
    }

    public async ValueTask<PersonRecordHistoryView> Handle(GetPersonRecordHistory query, CancellationToken ct)
    {
        var state = EnsureNotRestricted(await ParticipantStateAsync(query.CaseId, allowDisclosure: false, ct), nameof(GetPersonRecordHistory));
        var key = await session.LoadAsync<PersonRecordKey>(state.SubjectId, ct);
        var revisions = key is null ? [] : await session.Query<PersonRecordRevision>()
            .Where(r => r.SubjectId == state.SubjectId).OrderByDescending(r => r.ReplacedAt).ToListAsync(ct);
        return new PersonRecordHistoryView(state.Id, state.Version, state.SubjectId,
            revisions.Select(r => new PersonRecordRevisionView(PersonRecordCipher.Open(r, key!), r.ValidFrom, r.ReplacedAt, r.ReplacedByOrgId)).ToList());
    }

    public async ValueTask<PersonRecordView> Handle(CorrectPersonRecord command, CancellationToken ct)
    {
        var state = await ParticipantStateAsync(command.CaseId, allowDisclosure: false, ct);
        var now = clock.GetUtcNow();
        var (existing, existingKey) = await LoadAsync(state.SubjectId, ct);
        var changed = ChangedFields(existing is not null && existingKey is not null ? PersonRecordCipher.Open(existing, existingKey) : null, command.Details);
        var (record, key) = PersonRecordCipher.Seal(state.SubjectId, state.Id, command.Details, now, existingKey);
        if (existing is not null && existingKey is not null)
        {
            session.Store(new PersonRecordRevision
            {
                Id = Guid.CreateVersion7(), SubjectId = state.SubjectId, Nonce = existing.Nonce, Ciphertext = existing.Ciphertext,
                Tag = existing.Tag, ValidFrom = existing.UpdatedAt, ReplacedAt = now, ReplacedByOrgId = current.Actor.OrgId,
            });
        }

        session.Store(record);
        session.Store(key);
        var next = await session.DecideAsync<SuspicionState>(state.Id, command.ExpectedVersion,
            _ => [new PersonRecordCorrected(state.Id, state.SubjectId, changed, now)], ct);
        return new PersonRecordView(state.Id, next.Version, state.SubjectId, command.Details, record.UpdatedAt);
    }

    public async ValueTask<PersonRecordRestrictionView> Handle(SetPersonRecordRestriction command, CancellationToken ct)
    {
        var ground = command.Restricted == true ? command.Ground : null;
        var next = await session.DecideAsync<SuspicionState>(command.CaseId, command.ExpectedVersion, s => s.TakenPartInBy(current.Actor).PersonRecordRestriction == ground
            ? []
            : [new PersonRecordRestrictionSet(s.Id, s.SubjectId, ground is not null, ground, clock.GetUtcNow())], ct);
        return new PersonRecordRestrictionView(next.Id, next.Version, next.PersonRecordRestriction is not null, next.PersonRecordRestriction);
    }

    public async ValueTask<long> Handle(ErasePersonRecord command, CancellationToken ct)
    {
        var state = await ParticipantStateAsync(command.CaseId, allowDisclosure: false, ct);
        PersonRecordCipher.Shred(session, state.SubjectId);
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

    /// <summary>A restricted record (GDPR art. 18) is read only under a crime-investigation basis (OSL 10:21, 10:23); otherwise 409.</summary>
    private SuspicionState EnsureNotRestricted(SuspicionState state, string action) =>
        state.PersonRecordRestriction is null
        || current.Actor.Disclosure?.LegalBasis is LegalBasis.CrimeAgainstChild_OSL_10_21 or LegalBasis.SeriousCrime_OSL_10_23
            ? state
            : throw new WorkflowViolationException("person-record", "Restricted", action,
                [$"Processing of the person record is restricted (GDPR art. 18, ground {state.PersonRecordRestriction}): it is kept but not read, except under OSL 10:21 or 10:23."],
                [.. new[] { typeof(SetPersonRecordRestriction), typeof(CorrectPersonRecord), typeof(ErasePersonRecord) }
                    .Where(t => AllowedOrganisations.IsAllowed(t, current.Actor.OrgType) && state.Participants.Contains(current.Actor.OrgId))
                    .Select(t => t.Name)]);

    private async Task<(PersonRecord? Record, PersonRecordKey? Key)> LoadAsync(Guid subjectId, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var record = batch.Load<PersonRecord>(subjectId);
        var key = batch.Load<PersonRecordKey>(subjectId);
        await batch.Execute(ct);
        return (await record, await key);
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
