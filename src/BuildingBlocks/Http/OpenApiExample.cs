namespace Referral.BuildingBlocks.Http;

/// <summary>
/// An example value for a request or response schema, contributed by a module as a singleton service; the host puts
/// it into the OpenAPI document (and so into Swagger UI and generated clients). Synthetic data only.
/// </summary>
public sealed record OpenApiExample(Type Type, object Value);
