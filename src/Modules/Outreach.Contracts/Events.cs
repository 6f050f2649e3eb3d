using Referral.BuildingBlocks.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Outreach.Contracts;

// The public, immutable history of joint outreach operations (samverkanspass): police and social services on a shift
// together. An operation is a stream of its own (its id); it holds counts, codes and organisation ids only — never a
// person, a name or an address. A case registered from an operation names the operation (SuspicionRegistered.OperationId).

/// <summary>States of an operation.</summary>
public enum OperationStatus { Open, Closed }

/// <summary>The kind of place the operation covered.</summary>
public enum PlaceKind { Street, Hotel, ShortTermRental, MassageParlour, Online, Other }

/// <summary>What set the operation off.</summary>
public enum OperationTrigger { Outreach, Intelligence, Tip }

/// <summary>The age category of persons met (counted, never identified).</summary>
public enum MetAgeCategory { Adult, Child, Unknown }

/// <summary>
/// Why a child met has no case here [U]: the manual asks that every child gets the child-safeguarding overlay (a concern
/// report to social services) or a recorded reason why not.
/// </summary>
public enum NoCaseReason
{
    /// <summary>Social services already know the child and hold an open case for it.</summary>
    AlreadyKnownToSocialServices,
    /// <summary>The child left before contact could be made (the concern report is made without a case here).</summary>
    LeftBeforeContact,
    /// <summary>The child lives in another municipality whose social services were notified.</summary>
    ReferredToOtherMunicipality,
    /// <summary>Checked on site: not a child after all.</summary>
    AgeCheckedNotAChild,
}

/// <summary>
/// An operation was recorded: when, where (municipality code and area), the kinds of place, the trigger and the
/// participating organisations (at least one police unit and one social-services organisation).
/// </summary>
public sealed record OutreachOperationRecorded(
    Guid OperationId,
    DateTimeOffset OccurredAt,
    string MunicipalityCode,
    string Area,
    IReadOnlyList<PlaceKind> PlaceKinds,
    OperationTrigger Trigger,
    IReadOnlyList<OrganisationRef> Participants,
    string? PoliceOperationName,
    DateTimeOffset RecordedAt,
    OperationStatus Status);

/// <summary>
/// Persons met, as counts of one age category and gender, with what happened: informed of support, referred to social
/// services, accepted support, declined. No identities.
/// </summary>
public sealed record PersonsMetRecorded(
    Guid OperationId,
    Guid EntryId,
    MetAgeCategory AgeCategory,
    Gender Gender,
    int Count,
    int InformedOfSupport,
    int ReferredToSocialServices,
    int AcceptedSupport,
    int Declined,
    DateTimeOffset RecordedAt);

/// <summary>A correction of one entry of persons met (a compensating event: the entry's counts are replaced). <c>Reason</c>: no identifying details.</summary>
public sealed record PersonsMetCorrected(
    Guid OperationId,
    Guid EntryId,
    MetAgeCategory AgeCategory,
    Gender Gender,
    int Count,
    int InformedOfSupport,
    int ReferredToSocialServices,
    int AcceptedSupport,
    int Declined,
    string Reason,
    DateTimeOffset CorrectedAt);

/// <summary>Children met who get no case here, and why (counts only).</summary>
public sealed record ChildrenWithoutCaseRecorded(Guid OperationId, int Count, NoCaseReason Reason, DateTimeOffset RecordedAt);

/// <summary>
/// Buyers of sexual services reported to the police (counts only). Buyers under 18 are counted apart and referred to
/// social services (SoL 14 kap. 1 §); they are not victims of this operation and get no case here.
/// </summary>
public sealed record BuyersReported(Guid OperationId, int Adults, int UnderEighteen, int UnderEighteenReferredToSocialServices, DateTimeOffset RecordedAt);

/// <summary>Another organisation took part in the operation.</summary>
public sealed record OperationParticipantAdded(Guid OperationId, OrganisationRef Organisation, DateTimeOffset AddedAt);

/// <summary>The operation was closed with a summary (no personal data), every child met accounted for.</summary>
public sealed record OutreachOperationClosed(Guid OperationId, string Summary, DateTimeOffset ClosedAt, OperationStatus Status);

/// <summary>A closed operation was opened again to correct it. <c>Reason</c>: no identifying details.</summary>
public sealed record OutreachOperationReopened(Guid OperationId, string Reason, DateTimeOffset ReopenedAt, OperationStatus Status);

/// <summary>The stored names of the operations' events. Never rename one.</summary>
public static class OutreachEventAliases
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(OutreachOperationRecorded)] = "outreach.operation_recorded",
        [typeof(PersonsMetRecorded)] = "outreach.persons_met_recorded",
        [typeof(PersonsMetCorrected)] = "outreach.persons_met_corrected",
        [typeof(ChildrenWithoutCaseRecorded)] = "outreach.children_without_case_recorded",
        [typeof(BuyersReported)] = "outreach.buyers_reported",
        [typeof(OperationParticipantAdded)] = "outreach.participant_added",
        [typeof(OutreachOperationClosed)] = "outreach.operation_closed",
        [typeof(OutreachOperationReopened)] = "outreach.operation_reopened",
    };
}
