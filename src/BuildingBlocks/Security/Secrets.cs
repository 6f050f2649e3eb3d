namespace Referral.BuildingBlocks.Security;

/// <summary>Secrets given in configuration (from the secret store), as base64.</summary>
public static class Secrets
{
    /// <summary>The bytes of a base64 key, or <c>null</c> when it is missing, not base64, or of the wrong length.</summary>
    public static byte[]? Base64Key(string? text, int minBytes = 0, int? exactBytes = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var key = Convert.FromBase64String(text);
            return key.Length >= minBytes && (exactBytes is null || key.Length == exactBytes) ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
