using Marten;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Cases;

/// <summary>Reads and registrations every step module does the same way.</summary>
public static class StepReads
{
    /// <summary>
    /// One step's view of a case for an actor, in one round trip: the need-to-know check and the step's document are
    /// read in the same batch; 404 when the actor may not read the case or the step has not started.
    /// </summary>
    public static async Task<TView> ReadStepAsync<TView>(this IQuerySession session, ICaseAccess access, ICaseOverviewContributor step, Guid caseId, Actor actor, CancellationToken ct)
        where TView : class
    {
        var batch = session.CreateBatchQuery();
        var mayRead = access.Enlist(batch, caseId);
        var view = step.Enlist(batch, caseId);
        await batch.Execute(ct);
        return mayRead(actor) && view(actor) is TView found ? found : throw new NotFoundException("The case");
    }

    /// <summary>Registers a step's events under their stored aliases (never the CLR names, so renames cannot break history).</summary>
    public static void MapEventAliases(this StoreOptions options, IReadOnlyDictionary<Type, string> aliases)
    {
        foreach (var (type, alias) in aliases)
        {
            options.Events.MapEventType(type, alias);
        }
    }
}
