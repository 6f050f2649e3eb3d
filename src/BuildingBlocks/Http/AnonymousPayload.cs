namespace Referral.BuildingBlocks.Http;

/// <summary>
/// Endpoint metadata: the body must carry no personal data, so a field outside the schema (a name, a phone number…) is
/// refused as personal data (422) rather than as a plain malformed request.
/// </summary>
public sealed class AnonymousPayloadMetadata
{
    public static readonly AnonymousPayloadMetadata Instance = new();
}
