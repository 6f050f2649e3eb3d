using Referral.BuildingBlocks.Validation;

namespace Referral.BuildingBlocks.Http;

/// <summary>
/// The bounds the OpenAPI document declares (OWASP API4: unrestricted resource consumption). Input bounds are read from
/// the FluentValidation rules that enforce them, so the document cannot promise what the API does not check; answers
/// only echo validated input or values the server makes, within <see cref="MaxAnswerText"/> and <see cref="MaxAnswerItems"/>.
/// </summary>
public static class ApiLimits
{
    /// <summary>The longest string in an answer: free text is at most <see cref="Rules.MaxNarrativeLength"/> on input.</summary>
    public const int MaxAnswerText = Rules.MaxNarrativeLength;

    /// <summary>
    /// The longest answer that is a whole document rather than JSON (a CSV export, the report as a page): 64 MiB, about a
    /// million persons' extract rows — far above any year's count.
    /// </summary>
    public const int MaxAnswerDocument = 64 * 1024 * 1024;

    /// <summary>The most items of a list in an answer (pages are smaller; unpaged lists are cut at this bound).</summary>
    public const int MaxAnswerItems = 1000;

    /// <summary>The length of the formats the serializer writes and the model binder reads.</summary>
    public static int? FormatLength(string? format) => format switch
    {
        "uuid" => 36,
        "date-time" => 35,
        "date" => 10,
        _ => null,
    };
}
