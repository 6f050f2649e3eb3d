using System.Text.RegularExpressions;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>
/// Wrapped around every test client: a request answered with anything but 2xx must leave the event store as it was —
/// the stream it names unchanged (a case, an investigation, a claim), or, for a request naming none, no event appended
/// anywhere. Only a concurrency refusal is exempt: there another writer did append, by definition.
/// </summary>
public sealed partial class NothingAppendedOnRefusal(ApiFixture api) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sql = Probe(request.RequestUri!.AbsolutePath);
        var before = await api.ScalarAsync<long>(sql);
        var response = await base.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode && response.Content.Headers.ContentLength != 0)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!body.Contains("urn:referral:problem:concurrent-modification", StringComparison.Ordinal))
            {
                var after = await api.ScalarAsync<long>(sql);
                Assert.True(before == after,
                    $"{request.Method} {request.RequestUri.AbsolutePath} answered {(int)response.StatusCode} but appended events ({before} → {after}): {body}");
            }
        }

        return response;
    }

    /// <summary>The stream's version, or the store's last sequence number when the request names no stream.</summary>
    private static string Probe(string path) =>
        StreamPath().Match(path) is { Success: true } match
            ? $"select coalesce((select version from {{schema}}.mt_streams where id = '{match.Groups["id"].Value}'), -1)"
            : "select coalesce(max(seq_id), 0) from {schema}.mt_events";

    [GeneratedRegex("^/api/v1/(cases|investigations|claims)/(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(/|$)")]
    private static partial Regex StreamPath();
}
