using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Referral.BuildingBlocks.Modules;

/// <summary>
/// Runs a module's own SQL (tables, functions, triggers; idempotent) after Marten has applied its schema — hosted services
/// start in registration order, so the SQL may rely on Marten's tables.
/// </summary>
public sealed class SchemaInstaller(IDocumentStore store, Func<string, string> sql) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql(store.Options.Events.DatabaseSchemaName), connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class SchemaInstallerRegistration
{
    /// <summary>
    /// Installs <paramref name="sql"/> (given the event store's schema name) at start-up. Registered as a plain singleton:
    /// <c>AddHostedService</c> keeps one registration per implementation type, which would drop every module's but the first.
    /// </summary>
    public static IServiceCollection AddSchemaSql(this IServiceCollection services, Func<string, string> sql) =>
        services.AddSingleton<IHostedService>(sp => new SchemaInstaller(sp.GetRequiredService<IDocumentStore>(), sql));
}
