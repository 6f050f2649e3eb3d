namespace Referral.BuildingBlocks.Cases;

/// <summary>What an event's metadata adds to a step's state when it is folded: stream version, recorded time, acting organisation and its type.</summary>
public readonly record struct EventInfo(long Version, DateTimeOffset Timestamp, string? OrgId = null, Contracts.OrgType? OrgType = null);
