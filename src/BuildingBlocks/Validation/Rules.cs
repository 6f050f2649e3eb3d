using System.Text.RegularExpressions;
using FluentValidation;

namespace Referral.BuildingBlocks.Validation;

/// <summary>Validation rules shared by every module. Messages never echo the offending value (it may be personal data).</summary>
public static partial class Rules
{
    /// <summary>Longest free-text field (assessment narratives, justifications).</summary>
    public const int MaxNarrativeLength = 4000;

    /// <summary>The highest page number a list accepts.</summary>
    public const int MaxPage = 100_000;

    /// <summary>A step's event-type prefix (e.g. <c>suspicion</c>, <c>reflection_period</c>), as the history filters take it.</summary>
    public static IRuleBuilderOptions<T, string?> StepPrefix<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(40).Matches("^[a-z_]{1,40}$").WithMessage("'{PropertyName}' must be a step's event prefix, e.g. suspicion or reflection_period.");

    /// <summary>ISO 3166-1 alpha-2 country code, upper case (e.g. <c>NG</c>, <c>RO</c>).</summary>
    public static IRuleBuilderOptions<T, string?> CountryCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(2).Must(c => c is null || Iso3166.Alpha2.Contains(c))
            .WithMessage("'{PropertyName}' must be an ISO 3166-1 alpha-2 country code in upper case, e.g. NG.");

    /// <summary>ISO 639-1 (two letters) or ISO 639-3 (three letters) language code in lower case.</summary>
    public static IRuleBuilderOptions<T, string?> LanguageCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(3).Must(c => c is null || LanguagePattern().IsMatch(c))
            .WithMessage("'{PropertyName}' must be an ISO 639 language code in lower case, e.g. en or tir.");

    /// <summary>Swedish municipality code (kommunkod): four digits, e.g. <c>0180</c> for Stockholm.</summary>
    public static IRuleBuilderOptions<T, string?> MunicipalityCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(4).Must(c => c is not null && MunicipalityPattern().IsMatch(c))
            .WithMessage("'{PropertyName}' must be a four-digit Swedish municipality code (kommunkod), e.g. 0180.");

    /// <summary>An organisation identifier: 1–100 letters, digits, '.', '-', '_' or ':'.</summary>
    public static IRuleBuilderOptions<T, string?> OrganisationId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(100).Must(c => c is not null && OrgIdPattern().IsMatch(c))
            .WithMessage("'{PropertyName}' must be an organisation identifier (1–100 letters, digits, '.', '-', '_' or ':').");

    /// <summary>A case or decision reference of another system (e.g. a Migrationsverket decision number): 1–64 safe characters.</summary>
    public static IRuleBuilderOptions<T, string?> Reference<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(64).Must(c => c is not null && ReferencePattern().IsMatch(c))
            .WithMessage("'{PropertyName}' must be a reference of 1–64 letters, digits, spaces or . _ : / -.");

    /// <summary>
    /// A statute reference written the Swedish way, as data (R19): "SoL 4 kap. 1 §", "LVU 2 §", "5 kap. 15 § UtlL" —
    /// 1–64 letters (å, ä, ö included), digits, spaces and . : / - §; no control characters.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> StatuteReference<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(64).Must(c => c is not null && StatutePattern().IsMatch(c))
            .WithMessage("'{PropertyName}' must be a statute reference of 1–64 letters, digits, spaces or . : / - § (e.g. \"SoL 4 kap. 1 §\").");

    /// <summary>A place or code name (a district, a zone, an operation's code word): 1–64 letters, digits, spaces or . , / -, nothing identifying.</summary>
    public static IRuleBuilderOptions<T, string?> PlaceName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(64).Must(c => c is null || (PlaceNamePattern().IsMatch(c) && !LooksIdentifying(c)))
            .WithMessage("'{PropertyName}' must be a place or code name of 1–64 letters, digits, spaces or . , / - (e.g. Norrmalm), with nothing identifying.");

    /// <summary>
    /// A labelled free-text field of the case history: bounded, and refused when it looks like it identifies someone
    /// (a personal identity number, an e-mail address or a phone number). Identifying details belong in the person record.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> CaseText<T>(this IRuleBuilder<T, string?> rule, int maxLength = MaxNarrativeLength) =>
        rule.MaximumLength(maxLength)
            .Must(t => t is null || !LooksIdentifying(t))
            .WithMessage("'{PropertyName}' must not contain identifying details (identity numbers, e-mail addresses or phone numbers); record them in the person record instead.");

    /// <summary>No value appears twice in the list (so a list of enum values has at most as many items as the enum has members).</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> Distinct<T, TItem>(this IRuleBuilder<T, IReadOnlyList<TItem>?> rule) =>
        rule.SetValidator(new DistinctItemsValidator<T, TItem>());

    /// <summary>The list has at most <paramref name="max"/> items (the OpenAPI document declares it as <c>maxItems</c>).</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> MaxItems<T, TItem>(this IRuleBuilder<T, IReadOnlyList<TItem>?> rule, int max) =>
        rule.SetValidator(new MaxItemsValidator<T, TItem>(max));

    /// <summary>The largest SEK amount one decision, claim line or approval states.</summary>
    public const decimal MaxSekAmount = 100_000_000m;

    /// <summary>
    /// An amount in SEK: above <paramref name="minimum"/> (or from it, when <paramref name="inclusive"/>), at most
    /// <see cref="MaxSekAmount"/>, and in whole öre (two decimals at most). The caller's message applies to the öre check.
    /// </summary>
    public static IRuleBuilderOptions<T, decimal?> Sek<T>(this IRuleBuilder<T, decimal?> rule, decimal minimum = 0m, bool inclusive = true) =>
        (inclusive ? rule.InclusiveBetween(minimum, MaxSekAmount) : rule.GreaterThan(minimum).LessThanOrEqualTo(MaxSekAmount))
            .Must(a => a is null || decimal.Round(a.Value, 2) == a.Value);

    /// <summary>A date no later than today in Swedish time (a payment, an appointment that has happened).</summary>
    public static IRuleBuilderOptions<T, DateOnly?> NotAfterToday<T>(this IRuleBuilder<T, DateOnly?> rule, TimeProvider clock) =>
        rule.Must(d => d is null || d <= new Time.LocalCalendar().DateOf(clock.GetUtcNow()))
            .WithMessage("'{PropertyName}' must not be in the future.");

    /// <summary>The longest disclosure purpose (<c>X-Purpose</c>).</summary>
    public const int MaxPurposeLength = 200;

    /// <summary>A disclosure purpose: letters, digits, spaces and ordinary punctuation.</summary>
    public const string PurposePattern = @"^[\p{L}\p{N} .,:;/()§&+#'_-]+$";

    /// <summary>
    /// Whether <paramref name="purpose"/> is a usable disclosure purpose: 1–200 letters, digits, spaces and ordinary
    /// punctuation, and nothing identifying — no identity number, e-mail address or phone number (a case reference such
    /// as <c>K-2026-123456</c> is fine).
    /// </summary>
    public static bool IsPurpose(string purpose) =>
        purpose.Length is > 0 and <= MaxPurposeLength && PurposeCharacters().IsMatch(purpose)
        && !PersonalNumberPattern().IsMatch(purpose) && !EmailPattern().IsMatch(purpose) && !DialledNumberPattern().IsMatch(purpose);

    [GeneratedRegex(PurposePattern)]
    private static partial Regex PurposeCharacters();

    // A phone number as dialled: +, 00 or 0, then seven or more digits (reference numbers start otherwise).
    [GeneratedRegex(@"(?<![\w-])(\+|0)\d(?:[\s-]?\d){6,}")]
    private static partial Regex DialledNumberPattern();

    public static bool LooksIdentifying(string text) =>
        PersonalNumberPattern().IsMatch(text) || EmailPattern().IsMatch(text) || PhonePattern().IsMatch(text);

    [GeneratedRegex(@"^[\p{L}0-9][\p{L}0-9 .,/-]{0,63}$")]
    private static partial Regex PlaceNamePattern();

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex MunicipalityPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^[A-Za-zÅÄÖåäöÉéÜü0-9§][A-Za-zÅÄÖåäöÉéÜü0-9 .:/§-]{0,63}$")]
    private static partial Regex StatutePattern();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex OrgIdPattern();

    // Personnummer / samordningsnummer: (YY)YYMMDD[-+]NNNN.
    [GeneratedRegex(@"\b(\d{2})?\d{6}[-+ ]?\d{4}\b")]
    private static partial Regex PersonalNumberPattern();

    [GeneratedRegex(@"[^\s@]+@[^\s@]+\.[^\s@]+")]
    private static partial Regex EmailPattern();

    // Seven or more digits, optionally separated by spaces, dashes or a leading +.
    [GeneratedRegex(@"\+?\d(?:[\s-]?\d){6,}")]
    private static partial Regex PhonePattern();
}
