using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Referral.BuildingBlocks.Modules;

/// <summary>
/// One step module of the manual. The host lists modules explicitly (no assembly scanning); a module registers its
/// own services, validators, Marten event types and projections, and maps its own route group.
/// </summary>
public interface IModule
{
    /// <summary>The step's route segment and OpenAPI tag, e.g. <c>suspicion</c>.</summary>
    string Name { get; }

    void AddServices(IServiceCollection services, IConfiguration configuration);

    void MapEndpoints(IEndpointRouteBuilder app);
}
