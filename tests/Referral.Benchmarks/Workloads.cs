using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Referral.Benchmarks;

/// <summary>One request of the case flow: who sends it, where, and its body (from the previous answer when it needs one).</summary>
public sealed record FlowStep(string Label, string Org, string Path, Func<JsonNode?, byte[]> Body);

/// <summary>
/// The realistic command mix through HTTP with If-Match: one case from registration to a granted reflection period (10 events).
/// Bodies are serialised before the clock starts; the timed region is the request and reading the answer's bytes.
/// </summary>
public sealed class CaseFlow(Func<string, HttpClient> clientFor)
{
    public static readonly (string Key, string OrgType, string OrgId)[] Organisations =
    [
        ("ngo", "NGO", "ngo-bench"), ("rko", "RegionalCoordinator", "rko-bench"), ("soc", "SocialServices", "soc-bench"), ("miv", "MigrationAgency", "miv-bench"),
    ];

    private readonly Dictionary<string, HttpClient> _clients = Organisations.ToDictionary(o => o.Key, o => clientFor(o.Key));

    private static readonly byte[] Registration = Json(new
    {
        channel = "InPerson", municipalityCode = "0180", ageCategory = "Adult", gender = "Female", nationality = "NG",
        citizenshipCategory = "ThirdCountry", residenceBasis = "NoRightOfResidence", languages = new[] { "en" },
        exploitationPurposes = new[] { "SexualExploitation" }, methodsOfControl = new[] { "WithholdsDocuments", "DebtBondage" },
    });

    private static readonly byte[] ConsentBody = Json(new
    {
        status = "Given", scope = new[] { "ReferralToRegionalCoordinator", "ShareWithSocialServices", "ShareWithMigrationAgency" }, language = "en",
    });

    private static readonly byte[] ConsultationBody = Json(new { coordinatorOrgId = "rko-bench" });
    private static readonly byte[] DeclarationBody = Json(new { assessment = "Overall assessment supports trafficking." });
    private static readonly byte[] ReferSocialBody = Json(new { orgId = "soc-bench", orgType = "SocialServices" });
    private static readonly byte[] ReferMigrationBody = Json(new { orgId = "miv-bench", orgType = "MigrationAgency" });
    private static readonly byte[] EligibilityBody = Json(new { personWishesReflection = true });
    private static readonly byte[] EmptyBody = Json(new { });

    /// <summary>The nine commands after registration, in order.</summary>
    public static readonly FlowStep[] Steps =
    [
        new("record-consent", "ngo", "suspicion/record-consent", _ => ConsentBody),
        new("request-coordinator-consultation", "ngo", "suspicion/request-coordinator-consultation", _ => ConsultationBody),
        new("declare-presumed-victim", "rko", "suspicion/declare-presumed-victim", _ => DeclarationBody),
        // Need-to-know: social services and Migrationsverket take part only once referred (within the consent).
        new("refer-social-services", "rko", "participants/refer-organisation", _ => ReferSocialBody),
        new("refer-migration-agency", "rko", "participants/refer-organisation", _ => ReferMigrationBody),
        new("assess-reflection-eligibility", "soc", "reflection-period/assess-reflection-eligibility", _ => EligibilityBody),
        new("submit-reflection-application", "soc", "reflection-period/submit-reflection-application", _ => EmptyBody),
        new("record-reflection-decision", "miv", "reflection-period/record-reflection-decision", last => Json(new
        {
            applicationId = last!["reflection"]!["applicationId"]!.GetValue<Guid>(), outcome = "Granted", decisionRef = "BENCH-1",
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow), validTo = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(29)),
        })),
    ];

    /// <summary>
    /// Registers a case and runs the nine commands on it, each timed; <paramref name="around"/> wraps each request (the
    /// statement capture uses it). Returns the case id, or null when a request was refused.
    /// </summary>
    public async Task<Guid?> RunAsync(Recorder recorder, Func<string, Func<Task>, Task>? around = null)
    {
        around ??= static (_, request) => request();
        Answer answer = default;
        await around("register-suspicion", async () => answer = await SendAsync(recorder, _clients["ngo"], "/api/v1/cases", Registration, null));
        if (answer.Status != 201)
        {
            return null;
        }

        var id = JsonNode.Parse(answer.Body)!["caseId"]!.GetValue<Guid>();
        JsonNode? last = null;
        foreach (var step in Steps)
        {
            var body = step.Body(last);
            var version = answer.Version;
            await around(step.Label, async () => answer = await SendAsync(recorder, _clients[step.Org], $"/api/v1/cases/{id}/{step.Path}", body, version));
            if (answer.Status != 200)
            {
                return null;
            }

            // Only the submission's answer is needed (the decision names its application); parsed outside the timed region.
            last = step.Label == "submit-reflection-application" ? JsonNode.Parse(answer.Body) : null;
        }

        return id;
    }

    /// <summary>Appends one more event to a case (for building a long history).</summary>
    public async Task<int> AppendConsentAsync(Guid caseId, int i) =>
        (await SendAsync(new Recorder(), _clients["ngo"], $"/api/v1/cases/{caseId}/suspicion/record-consent",
            Json(i % 2 == 0 ? new { status = "Withdrawn", language = "en" } : (object)new { status = "Given", scope = new[] { "ShareWithPolice" }, language = "en" }), null)).Status;

    /// <summary>A timed GET as the coordinator (who takes part in every benchmark case).</summary>
    public async Task GetAsync(Recorder recorder, string path) =>
        await Load.TimeAsync(recorder, async () =>
        {
            using var response = await _clients["rko"].GetAsync(path, CancellationToken.None);
            await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            return (true, (int)response.StatusCode);
        });

    private static async Task<Answer> SendAsync(Recorder recorder, HttpClient client, string url, byte[] body, long? ifMatch) =>
        await Load.TimeAsync(recorder, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (ifMatch is { } v)
            {
                request.Headers.TryAddWithoutValidation("If-Match", $"\"{v}\"");
            }

            using var response = await client.SendAsync(request, CancellationToken.None);
            var bytes = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            var version = response.Headers.ETag is { } etag ? long.Parse(etag.Tag.AsSpan().Trim('"'), System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
            return (new Answer((int)response.StatusCode, version, bytes), (int)response.StatusCode);
        });

    private static byte[] Json(object body) => JsonSerializer.SerializeToUtf8Bytes(body);

    private readonly record struct Answer(int Status, long? Version, byte[] Body);
}
