using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Referral.IntegrationTests.Infrastructure;

/// <summary>Small HTTP helpers: JSON bodies, If-Match, reading answers as JSON.</summary>
public static class Http
{
    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body, long? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (ifMatch is { } version)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        }

        return await client.SendAsync(request);
    }

    /// <summary>A JSON body by <paramref name="method"/> (PUT) with <c>If-Match</c>, which replacements and erasures require (428 without).</summary>
    public static async Task<HttpResponseMessage> SendMatchingAsync(this HttpClient client, HttpMethod method, string url, long version, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return await client.SendAsync(request);
    }

    /// <summary>A request stating a legal basis and purpose (R15) in <c>X-Legal-Basis</c> and <c>X-Purpose</c>; a JSON body for POST/PUT.</summary>
    public static HttpRequestMessage UnderBasis(HttpMethod method, string url, string? basis, string? purpose = "investigation K-2026-123456", object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (basis is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Legal-Basis", basis);
        }

        if (purpose is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Purpose", purpose);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await client.PostAsync(url, content);
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    /// <summary>Asserts the status and returns the body as JSON (the body is printed when the status is wrong).</summary>
    public static async Task<JsonNode> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public static long ETagVersion(this HttpResponseMessage response) =>
        long.Parse(response.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

    public static string[] Strings(this JsonNode? node) =>
        node?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];

    public static string Str(this JsonNode node, string name) => node[name]!.GetValue<string>();

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
