namespace Referral.BuildingBlocks.Contracts;

/// <summary>
/// A duty the case puts on an organisation until it acts: shown in the step's view (and to be raised as a task when the
/// tasks capability exists, issue 17). <c>Duty</c> names the act expected, <c>For</c> who must act, <c>Rule</c> why (the
/// manual's rule), <c>Since</c> when it arose. No personal data.
/// </summary>
public sealed record OpenItem(string Duty, IReadOnlyList<OrgType> For, string Rule, DateTimeOffset Since);
