using System.Globalization;
using Microsoft.Extensions.Primitives;
using Referral.BuildingBlocks.Errors;

namespace Referral.BuildingBlocks.Cases;

/// <summary>The case stream version as an HTTP entity tag: <c>"7"</c>. Strong, because a version names exactly one state.</summary>
public static class ETag
{
    public static string From(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>Reads <c>If-Match</c>: <c>null</c> when absent; throws <see cref="InvalidIfMatchException"/> when it is not one of ours.</summary>
    public static long? ParseIfMatch(StringValues header)
    {
        if (StringValues.IsNullOrEmpty(header))
        {
            return null;
        }

        var value = header.ToString().Trim();
        if (value.Length >= 3 && value[0] == '"' && value[^1] == '"'
            && long.TryParse(value.AsSpan(1, value.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && version > 0)
        {
            return version;
        }

        throw new InvalidIfMatchException();
    }
}
