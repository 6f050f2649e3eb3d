using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using FluentValidation;
using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

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
/// The key of one person record, in a table of its own and itself encrypted (wrapped, AES-GCM) under the key-encryption
/// key, which is held outside the database (<see cref="PersonRecordOptions"/>): a copy of the database alone opens no
/// record. Erasure deletes it, which makes any copy of the ciphertext — in a backup, say — unreadable (crypto-shredding).
/// </summary>
public sealed class PersonRecordKey
{
    public Guid Id { get; set; }
    public byte[] WrappedKey { get; set; } = [];
    public byte[] Nonce { get; set; } = [];
    public byte[] Tag { get; set; } = [];
}

/// <summary>
/// Configuration section <c>PersonRecords</c>. <see cref="KeyEncryptionKey"/> (base64 of exactly 32 bytes) wraps every
/// person record's own key; it comes from the secret store (or a key vault), never from the database.
/// </summary>
public sealed class PersonRecordOptions
{
    public string? KeyEncryptionKey { get; set; }

    public byte[]? KeyBytes() => Secrets.Base64Key(KeyEncryptionKey, exactBytes: 32);
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

/// <summary>
/// Encrypts and decrypts person records: AES-GCM with a 256-bit key per record (the subject id is the associated data),
/// that key wrapped by AES-GCM under the key-encryption key from configuration (envelope encryption).
/// </summary>
public sealed class PersonRecordCipher(Microsoft.Extensions.Options.IOptions<PersonRecordOptions> options)
{
    private readonly byte[] _keyEncryptionKey = options.Value.KeyBytes()
        ?? throw new InvalidOperationException("PersonRecords:KeyEncryptionKey must be set (base64 of 32 bytes).");

    public (PersonRecord Record, PersonRecordKey Key) Seal(Guid subjectId, Guid caseId, PersonDetails details, DateTimeOffset at, PersonRecordKey? existingKey = null)
    {
        var dataKey = existingKey is null ? RandomNumberGenerator.GetBytes(32) : Unwrap(existingKey);
        var key = existingKey ?? Wrap(subjectId, dataKey);
        var plaintext = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(details);
        var record = new PersonRecord
        {
            Id = subjectId, CaseId = caseId, UpdatedAt = at,
            Nonce = RandomNumberGenerator.GetBytes(12), Ciphertext = new byte[plaintext.Length], Tag = new byte[16],
        };
        using (var aes = new AesGcm(dataKey, 16))
        {
            aes.Encrypt(record.Nonce, plaintext, record.Ciphertext, record.Tag, subjectId.ToByteArray());
        }

        CryptographicOperations.ZeroMemory(plaintext);
        CryptographicOperations.ZeroMemory(dataKey);
        return (record, key);
    }

    /// <summary>Deletes the record, its revisions and its key (crypto-shredding).</summary>
    public static void Shred(IDocumentSession session, Guid subjectId)
    {
        session.Delete<PersonRecord>(subjectId);
        session.DeleteWhere<PersonRecordRevision>(r => r.SubjectId == subjectId);
        session.Delete<PersonRecordKey>(subjectId);
    }

    public PersonDetails Open(PersonRecordRevision revision, PersonRecordKey key) =>
        Open(new PersonRecord { Id = revision.SubjectId, Nonce = revision.Nonce, Ciphertext = revision.Ciphertext, Tag = revision.Tag }, key);

    public PersonDetails Open(PersonRecord record, PersonRecordKey key)
    {
        var dataKey = Unwrap(key);
        var plaintext = new byte[record.Ciphertext.Length];
        using (var aes = new AesGcm(dataKey, 16))
        {
            aes.Decrypt(record.Nonce, record.Ciphertext, record.Tag, plaintext, record.Id.ToByteArray());
        }

        CryptographicOperations.ZeroMemory(dataKey);
        return System.Text.Json.JsonSerializer.Deserialize<PersonDetails>(plaintext)!;
    }

    private PersonRecordKey Wrap(Guid subjectId, byte[] dataKey)
    {
        var key = new PersonRecordKey { Id = subjectId, Nonce = RandomNumberGenerator.GetBytes(12), WrappedKey = new byte[dataKey.Length], Tag = new byte[16] };
        using var aes = new AesGcm(_keyEncryptionKey, 16);
        aes.Encrypt(key.Nonce, dataKey, key.WrappedKey, key.Tag, subjectId.ToByteArray());
        return key;
    }

    private byte[] Unwrap(PersonRecordKey key)
    {
        var dataKey = new byte[key.WrappedKey.Length];
        using var aes = new AesGcm(_keyEncryptionKey, 16);
        aes.Decrypt(key.Nonce, key.WrappedKey, key.Tag, dataKey, key.Id.ToByteArray());
        return dataKey;
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
        RuleFor(x => x.OtherNames).MaxItems(20);
        RuleFor(x => x.DateOfBirth)
            .Must(d => d is null || (d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) && d.Value.Year >= 1900))
            .WithMessage("'Date Of Birth' must be a past date after 1900.");
        RuleFor(x => x.Identifiers).MaxItems(20);
        RuleForEach(x => x.Identifiers).SetValidator(new PersonIdentifierValidator());
        RuleFor(x => x.Phone).MaximumLength(50);
        RuleFor(x => x.Email).MaximumLength(254);
        RuleFor(x => x.Address).MaximumLength(500);
    }
}

public sealed class PersonIdentifierValidator : AbstractValidator<PersonIdentifier>
{
    public PersonIdentifierValidator()
    {
        RuleFor(x => x.Type).NotNull().IsInEnum();
        RuleFor(x => x.Value).NotEmpty().MaximumLength(100);
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
public sealed record ErasePersonRecord(Guid CaseId, long? ExpectedVersion) : ICommand<long>, ICaseScoped;

public sealed class CorrectPersonRecordValidator : AbstractValidator<CorrectPersonRecord>
{
    public CorrectPersonRecordValidator(TimeProvider clock) =>
        RuleFor(x => x.Details).NotNull().SetValidator(new PersonDetailsValidator(clock));
}

public sealed class PersonRecordHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, PersonRecordCipher cipher) :
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
            : new PersonRecordView(state.Id, state.Version, state.SubjectId, cipher.Open(record, key), record.UpdatedAt);
    }

    public async ValueTask<PersonRecordHistoryView> Handle(GetPersonRecordHistory query, CancellationToken ct)
    {
        var state = EnsureNotRestricted(await ParticipantStateAsync(query.CaseId, allowDisclosure: false, ct), nameof(GetPersonRecordHistory));
        var key = await session.LoadAsync<PersonRecordKey>(state.SubjectId, ct);
        var revisions = key is null ? [] : await session.Query<PersonRecordRevision>()
            .Where(r => r.SubjectId == state.SubjectId).OrderByDescending(r => r.ReplacedAt).Take(ApiLimits.MaxAnswerItems).ToListAsync(ct);
        return new PersonRecordHistoryView(state.Id, state.Version, state.SubjectId,
            revisions.Select(r => new PersonRecordRevisionView(cipher.Open(r, key!), r.ValidFrom, r.ReplacedAt, r.ReplacedByOrgId)).ToList());
    }

    public async ValueTask<PersonRecordView> Handle(CorrectPersonRecord command, CancellationToken ct)
    {
        var state = await ParticipantStateAsync(command.CaseId, allowDisclosure: false, ct);
        var now = clock.GetUtcNow();
        var (existing, existingKey) = await LoadAsync(state.SubjectId, ct);
        var changed = ChangedFields(existing is not null && existingKey is not null ? cipher.Open(existing, existingKey) : null, command.Details);
        var (record, key) = cipher.Seal(state.SubjectId, state.Id, command.Details, now, existingKey);
        if (existing is not null && existingKey is not null)
        {
            session.Store(new PersonRecordRevision
            {
                Id = Guid.CreateVersion7(), SubjectId = state.SubjectId, Nonce = existing.Nonce, Ciphertext = existing.Ciphertext,
                Tag = existing.Tag, ValidFrom = existing.UpdatedAt, ReplacedAt = now, ReplacedByOrgId = current.Actor.OrgId,
            });
        }

        if (existing is not null)
        {
            session.Eject(existing); // the session's identity map holds the loaded record; the new one replaces it
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
        var next = await session.DecideAsync<SuspicionState>(command.CaseId, command.ExpectedVersion, s => s.PersonRecordRestriction == ground
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
    /// legal basis that fits the case and the caller (R15; never NotSecret); otherwise 404 (existence not revealed).
    /// Corrections and erasure are never disclosures.
    /// </summary>
    private async Task<SuspicionState> ParticipantStateAsync(Guid caseId, bool allowDisclosure, CancellationToken ct)
    {
        var state = await session.LoadAsync<SuspicionState>(caseId, ct);
        return (allowDisclosure ? CaseParticipation.MayReadPersonRecord(state, current.Actor) : CaseParticipation.TakesPart(state, current.Actor))
            ? state!
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
