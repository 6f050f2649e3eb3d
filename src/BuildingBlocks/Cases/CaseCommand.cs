using System.Text.Json.Serialization;
using Mediator;

namespace Referral.BuildingBlocks.Cases;

/// <summary>
/// A command on one event stream (a case, an investigation). The body of the HTTP request is the command; the stream id
/// comes from the route and the expected version from <c>If-Match</c>, so both are hidden from the JSON schema.
/// </summary>
public abstract record StreamCommand<TView> : ICommand<TView>
    where TView : IVersionedView
{
    [JsonIgnore]
    public Guid StreamId { get; init; }

    /// <summary>The stream version the caller last saw (from <c>If-Match</c>); <c>null</c> when the header is absent.</summary>
    [JsonIgnore]
    public long? ExpectedVersion { get; init; }
}

/// <summary>A command on one case (the case's stream).</summary>
public abstract record CaseCommand<TView> : StreamCommand<TView>, ICaseScoped
    where TView : IVersionedView
{
    [JsonIgnore]
    public Guid CaseId => StreamId;
}

/// <summary>A read model that carries the case stream version it reflects (served as the <c>ETag</c>).</summary>
public interface IVersionedView
{
    long Version { get; }
}
