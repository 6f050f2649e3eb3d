using System.Collections.Concurrent;
using System.Reflection;
using Referral.BuildingBlocks.Contracts;

namespace Referral.BuildingBlocks.Security;

/// <summary>
/// Declares, beside a command, which organisation types may fire it (MANUAL.md §2 permission matrix).
/// Enforced once by the authorization pipeline behaviour; a command without it may be fired by nobody (deny by default).
/// </summary>
/// <remarks>A module may name a recurring group of the matrix by deriving from it.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public class AllowedOrganisationsAttribute(params OrgType[] orgTypes) : Attribute
{
    public IReadOnlyList<OrgType> OrgTypes { get; } = orgTypes;
}

/// <summary>
/// Declares that every organisation type may send this message (reads whose need-to-know is checked per case).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AnyOrganisationAttribute : Attribute;

/// <summary>Reads <see cref="AllowedOrganisationsAttribute"/> and <see cref="AnyOrganisationAttribute"/> once per message type.</summary>
public static class AllowedOrganisations
{
    private static readonly ConcurrentDictionary<Type, IReadOnlySet<OrgType>> Cache = new();

    /// <summary>The organisation types allowed to send <paramref name="messageType"/>; empty when undeclared.</summary>
    public static IReadOnlySet<OrgType> For(Type messageType) =>
        Cache.GetOrAdd(messageType, t =>
            t.GetCustomAttribute<AnyOrganisationAttribute>() is not null
                ? Enum.GetValues<OrgType>().ToHashSet()
                : t.GetCustomAttribute<AllowedOrganisationsAttribute>()?.OrgTypes.ToHashSet() ?? []);

    public static bool IsAllowed(Type messageType, OrgType orgType) => For(messageType).Contains(orgType);
}
