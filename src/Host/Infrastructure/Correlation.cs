using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Referral.Host.Infrastructure;

/// <summary>
/// The correlation id of a request: the caller's <c>X-Correlation-Id</c> when it is a safe token (so an agency system
/// can follow its own request), otherwise the W3C trace id. Echoed in the response and stored on every event.
/// </summary>
public static partial class Correlation
{
    public const string Header = "X-Correlation-Id";
    private const string ItemKey = "referral.correlation-id";

    public static string Get(HttpContext http)
    {
        if (http.Items.TryGetValue(ItemKey, out var existing) && existing is string id)
        {
            return id;
        }

        var supplied = http.Request.Headers[Header].ToString();
        id = SafeToken().IsMatch(supplied) ? supplied : Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        http.Items[ItemKey] = id;
        return id;
    }

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            var id = Get(http);
            http.Response.OnStarting(() =>
            {
                http.Response.Headers[Header] = id;
                return Task.CompletedTask;
            });
            return next(http);
        });

    [GeneratedRegex("^[A-Za-z0-9._-]{8,64}$")]
    private static partial Regex SafeToken();
}
