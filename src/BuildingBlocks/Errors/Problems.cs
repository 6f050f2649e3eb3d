namespace Referral.BuildingBlocks.Errors;

/// <summary>Stable RFC 9457 problem <c>type</c> URIs. Clients may switch on them; never change one.</summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:referral:problem:";
    public const string Validation = Prefix + "validation";
    public const string MalformedRequest = Prefix + "malformed-request";
    public const string PersonalDataRefused = Prefix + "personal-data-refused";
    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string NotFound = Prefix + "not-found";
    public const string WorkflowViolation = Prefix + "workflow-violation";
    public const string Conflict = Prefix + "concurrent-modification";
    public const string PreconditionFailed = Prefix + "precondition-failed";
    public const string PreconditionRequired = Prefix + "precondition-required";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string RateLimited = Prefix + "rate-limited";
    public const string QueryBudgetExceeded = Prefix + "query-budget-exceeded";
    public const string IdempotencyKeyReused = Prefix + "idempotency-key-reused";
    public const string Unavailable = Prefix + "service-unavailable";
    public const string OutcomeUnknown = Prefix + "outcome-unknown";
    public const string AnswerNotKept = Prefix + "idempotent-answer-not-kept";
    public const string Internal = Prefix + "internal";
}

/// <summary>The requested resource does not exist, or the caller may not know that it exists.</summary>
public sealed class NotFoundException(string resource) : Exception($"{resource} was not found.")
{
    public string Resource { get; } = resource;
}

/// <summary>The caller is authenticated but may not do this. The message is shown to the caller: no personal data.</summary>
public sealed class ForbiddenException(string reason) : Exception(reason);

/// <summary>429: the caller's statistics query budget (per day, or of variants of one table: differencing) is used up; the message says why.</summary>
public sealed class QueryBudgetExceededException(string reason) : Exception(reason);

/// <summary>
/// A workflow command was refused by the step's state machine: the current state, the attempted action, the unmet
/// guard descriptions and the actions the caller may take instead. Answered as 409.
/// </summary>
public sealed class WorkflowViolationException(
    string step,
    string currentState,
    string attemptedAction,
    IReadOnlyList<string> unmetGuards,
    IReadOnlyList<string> allowedActions)
    : Exception(unmetGuards.Count > 0
        ? $"{attemptedAction} is not allowed: {string.Join("; ", unmetGuards)}."
        : $"{attemptedAction} is not allowed in state {currentState}.")
{
    public string Step { get; } = step;
    public string CurrentState { get; } = currentState;
    public string AttemptedAction { get; } = attemptedAction;
    public IReadOnlyList<string> UnmetGuards { get; } = unmetGuards;
    public IReadOnlyList<string> AllowedActions { get; } = allowedActions;
}

/// <summary>The <c>If-Match</c> header is not a version this API issued.</summary>
public sealed class InvalidIfMatchException() : Exception("If-Match must be an ETag issued by this API, e.g. \"3\".");

/// <summary>
/// A request that replaces or erases a resource (PUT, DELETE) came without <c>If-Match</c>: it could overwrite a change
/// its sender never saw (a lost update). Answered 428.
/// </summary>
public sealed class PreconditionRequiredException() : Exception(
    "This request replaces or erases what others may have changed: send If-Match with the ETag of your last read (GET it first).");
