using Marten;
using Referral.BuildingBlocks.Cases;

namespace Referral.Host.Infrastructure;

/// <summary>
/// The one place event metadata is stamped: every session opened for a request records the correlation id, the
/// causation (the command's name, i.e. the endpoint name), the user (Marten's user_name column) and the acting
/// organisation and its type (event headers). One national store: no Marten tenancy.
/// </summary>
public sealed class CaseSessionFactory(IDocumentStore store, IHttpContextAccessor accessor) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession();

    public IDocumentSession OpenSession()
    {
        // Identity map: the step documents the write path preloads in one batch are the ones the inline projections fold.
        var session = store.IdentitySession();
        if (accessor.HttpContext is { } http)
        {
            session.CorrelationId = Correlation.Get(http);
            session.CausationId = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            if (HttpCurrentActor.TryRead(http.User) is { } actor)
            {
                session.LastModifiedBy = actor.UserId;
                session.SetHeader(EventHeaders.OrgId, actor.OrgId);
                session.SetHeader(EventHeaders.OrgType, actor.OrgType.ToString());
                if (HttpCurrentActor.ReadDisclosure(http.Request) is { } disclosure)
                {
                    session.SetHeader(EventHeaders.LegalBasis, disclosure.LegalBasis.ToString());
                }
            }
        }

        return session;
    }
}
