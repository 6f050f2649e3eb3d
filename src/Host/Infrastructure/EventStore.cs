using JasperFx.Events;
using Marten;
using Referral.BuildingBlocks.Http;
using Weasel.Core;

namespace Referral.Host.Infrastructure;

/// <summary>The one national event store's options (no tenancy; modules add their events and projections themselves).</summary>
public static class EventStore
{
    public static StoreOptions Options(string connectionString, string? schema, TimeProvider clock)
    {
        var options = new StoreOptions();
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema ?? "referral";
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Events.MetadataConfig.EnableAll();
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.UseMandatoryStreamTypeDeclaration = true;
        options.Events.TimeProvider = clock;
        options.RegisterDocumentType<IdempotencyRecord>();
        return options;
    }
}
