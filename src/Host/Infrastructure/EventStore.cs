using JasperFx.Events;
using Marten;
using Referral.BuildingBlocks.Http;
using Weasel.Core;

namespace Referral.Host.Infrastructure;

/// <summary>The one national event store's options (no tenancy; modules add their events and projections themselves).</summary>
public static class EventStore
{
    public static StoreOptions Options(string connectionString, string? schema, TimeProvider clock, IMartenLogger? logger = null)
    {
        var options = new StoreOptions();
        // Sessions are short and hold no server-side state, so the pool need not reset connections (saves DISCARD ALL per checkout).
        options.Connection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString);
        options.DatabaseSchemaName = schema ?? "referral";
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Events.MetadataConfig.EnableAll();
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.UseMandatoryStreamTypeDeclaration = true;
        options.Events.TimeProvider = clock;
        options.RegisterDocumentType<IdempotencyRecord>();
        // Marten's own spans (sessions) and counters (events appended), exported when OpenTelemetry is on.
        options.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
        options.OpenTelemetry.TrackEventCounters();
        if (logger is not null)
        {
            options.Logger(logger);
        }

        return options;
    }
}
