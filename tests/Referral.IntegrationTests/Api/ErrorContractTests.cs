using Microsoft.AspNetCore.Mvc.Testing;
using System.Net;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>
/// The error contract (RFC 9457): every refusal has a stable type and says why; none answers 500 and none appends an event.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorContractTests(ApiFixture api)
{
    [Fact]
    public async Task No_token_is_401_problem()
    {
        var response = await api.Client(null).GetAsync("/api/v1/cases");
        var problem = await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("urn:referral:problem:unauthenticated", problem.Str("type"));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Bearer realm=\"referral\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Expired_token_is_401_and_says_so_in_WWW_Authenticate()
    {
        var client = api.Client(null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u", "ngo-1", "NGO", DateTime.UtcNow.AddHours(-1)));
        var response = await client.GetAsync("/api/v1/cases");
        await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"referral\", error=\"invalid_token\", error_description=\"The token has expired.\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401_naming_the_signature_without_secrets()
    {
        var foreign = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = ApiFixture.Issuer, Audience = ApiFixture.Audience, Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "u", ["org_id"] = "ngo-1", ["org_type"] = "NGO" },
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes("another-signing-key-0123456789abcdef-0123456789")),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        var client = api.Client(null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", foreign);
        var response = await client.GetAsync("/api/v1/cases");
        var problem = await response.ExpectAsync(HttpStatusCode.Unauthorized);
        var header = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"invalid_token\"", header, StringComparison.Ordinal);
        Assert.Contains("signature is not valid for this API", header, StringComparison.Ordinal);
        Assert.Contains("signature is not valid for this API", problem.Str("detail"), StringComparison.Ordinal);
        Assert.DoesNotContain(foreign, header + problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_with_an_unknown_organisation_type_is_401()
    {
        var client = api.Client(null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u", "x-1", "Hackers"));
        var problem = await (await client.PostJsonAsync("/api/v1/cases", Cases.Sc1Registration())).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("urn:referral:problem:unauthenticated", problem.Str("type"));
    }

    [Fact]
    public async Task Health_and_openapi_need_no_token()
    {
        var anonymous = api.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal("Healthy", await (await anonymous.GetAsync("/health/ready")).Content.ReadAsStringAsync());
        await (await anonymous.GetAsync("/swagger/v1/swagger.json")).ExpectAsync(HttpStatusCode.OK);
        var ui = await anonymous.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger-ui", await ui.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OrgType.GenderEqualityAgency)]
    [InlineData(OrgType.IOM)]
    [InlineData(OrgType.Auditor)]
    [InlineData(OrgType.Court)]
    public async Task Registering_a_suspicion_by_an_organisation_type_not_allowed_is_403_and_records_nothing(OrgType orgType)
    {
        var events = await api.EventCountAsync();
        var problem = await (await api.Client(orgType).PostJsonAsync("/api/v1/cases", Cases.Sc1Registration())).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Contains("RegisterSuspicion", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task NGO_declaring_presumed_victim_is_403_with_who_may()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-403");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var events = await api.EventCountAsync();
        var problem = await (await ngo.PostJsonAsync(Cases.Step(id, "declare-presumed-victim"), new { assessment = "x" }, version))
            .ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Contains("RegionalCoordinator", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task Stale_If_Match_is_412_and_records_nothing()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-412");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var consent = new { status = "Given", scope = new[] { "ReferralToRegionalCoordinator" }, language = "en" };
        await (await ngo.PostJsonAsync(Cases.Step(id, "record-consent"), consent, version)).ExpectAsync(HttpStatusCode.OK);
        var events = await api.EventCountAsync();

        var problem = await (await ngo.PostJsonAsync(Cases.Step(id, "record-consent"), consent, version)).ExpectAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("urn:referral:problem:precondition-failed", problem.Str("type"));
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task Malformed_If_Match_is_400()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-ifmatch");
        var (id, _, _) = await Cases.RegisterAsync(ngo);
        using var request = new HttpRequestMessage(HttpMethod.Post, Cases.Step(id, "mark-contact-lost")) { Content = System.Net.Http.Json.JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", "W/\"abc\"");
        await (await ngo.SendAsync(request)).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Refused_transition_is_409_with_state_action_and_allowed_actions()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-409a");
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-409a");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var consult = await ngo.PostJsonAsync(Cases.Step(id, "request-coordinator-consultation"), new { coordinatorOrgId = "rko-409a" }, version);
        var events = await api.EventCountAsync();

        // Without consent the adult's case cannot be referred: the unmet guard is named.
        var problem = await consult.ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("urn:referral:problem:workflow-violation", problem.Str("type"));
        Assert.Equal("Registered", problem.Str("currentState"));
        Assert.Equal("RequestCoordinatorConsultation", problem.Str("attemptedAction"));
        Assert.Contains("consent covering referral to a regional coordinator", problem["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Equal(["RecordConsent", "RecordIndicatorAssessment", "MarkContactLost"], problem["allowedActions"].Strings());
        Assert.Equal(events, await api.EventCountAsync());

        // A command that the state does not offer at all (the coordinator, referred, takes part).
        await Cases.ReferAsync(ngo, id, OrgType.RegionalCoordinator, "rko-409a");
        events = await api.EventCountAsync();
        var reopen = await (await coordinator.PostJsonAsync(Cases.Step(id, "reopen"), new { newInformation = "x" })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("Reopen", reopen.Str("attemptedAction"));
        Assert.Empty(reopen["unmetGuards"]!.AsArray());
        Assert.Contains("RecordConsent", reopen["allowedActions"].Strings());
        Assert.Equal(events, await api.EventCountAsync());
    }

    public static TheoryData<string, string> BadRegistrations => new()
    {
        { "unknown enum value", """{"channel":"Telepathy","municipalityCode":"0180","gender":"Female","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence"}""" },
        { "integer for an enum", """{"channel":1,"municipalityCode":"0180","gender":"Female","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence"}""" },
        { "missing field", """{"channel":"InPerson","municipalityCode":"0180","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence"}""" },
        { "invalid nationality", """{"channel":"InPerson","municipalityCode":"0180","gender":"Female","nationality":"XX","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence"}""" },
        { "lower-case nationality", """{"channel":"InPerson","municipalityCode":"0180","gender":"Female","nationality":"ng","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence"}""" },
        { "bad municipality", """{"channel":"InPerson","municipalityCode":"Stockholm","gender":"Female","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence"}""" },
        { "malformed JSON", """{"channel":"InPerson","municipalityCode":""" },
        { "unknown field", """{"channel":"InPerson","municipalityCode":"0180","gender":"Female","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence","victimName":"x"}""" },
        { "duplicate purposes", """{"channel":"InPerson","municipalityCode":"0180","gender":"Female","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence","exploitationPurposes":["ForcedLabour","ForcedLabour"]}""" },
        { "future report time", """{"channel":"InPerson","municipalityCode":"0180","gender":"Female","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence","reportedAt":"2999-01-01T00:00:00Z"}""" },
        { "empty body", "" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_input_is_400_problem_and_records_nothing(string why, string body)
    {
        var events = await api.EventCountAsync();
        var response = await api.Client(OrgType.NGO).PostRawAsync("/api/v1/cases", body);
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("urn:referral:problem:", problem.Str("type"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.Str("detail")), why);
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task Validation_errors_name_the_fields()
    {
        var problem = await (await api.Client(OrgType.NGO).PostRawAsync("/api/v1/cases",
            """{"channel":"InPerson","municipalityCode":"0180","nationality":"XX","citizenshipCategory":"ThirdCountry","residenceBasis":"NoRightOfResidence"}"""))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("urn:referral:problem:validation", problem.Str("type"));
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("gender"), problem.ToJsonString());
        Assert.True(errors.ContainsKey("nationality"), problem.ToJsonString());
    }

    [Fact]
    public async Task Free_text_with_identifying_details_is_refused_without_echoing_it()
    {
        var coordinator = api.Client(OrgType.RegionalCoordinator, "rko-text");
        var (id, _, _) = await Cases.RegisterAsync(coordinator, new
        {
            channel = "Phone", municipalityCode = "0180", ageCategory = "Child", gender = "Male",
            citizenshipCategory = "ThirdCountry", residenceBasis = "NoRightOfResidence",
        });
        var events = await api.EventCountAsync();
        var problem = await (await coordinator.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"),
            new { narrative = "Reached on 070-123 45 67 and identity number 19990401-1234." })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("narrative"));
        Assert.DoesNotContain("1234", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task Wrong_content_type_is_415_and_records_nothing()
    {
        var events = await api.EventCountAsync();
        var problem = await (await api.Client(OrgType.NGO).PostRawAsync("/api/v1/cases", "channel=InPerson", "text/plain"))
            .ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("urn:referral:problem:unsupported-media-type", problem.Str("type"));
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task Oversized_body_is_413()
    {
        var body = "{\"channel\":\"InPerson\",\"pad\":\"" + new string('a', 300 * 1024) + "\"}";
        var problem = await (await api.Client(OrgType.NGO).PostRawAsync("/api/v1/cases", body)).ExpectAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("urn:referral:problem:payload-too-large", problem.Str("type"));
    }

    [Fact]
    public async Task Unknown_case_is_404_for_reads_and_commands()
    {
        var police = api.Client(OrgType.Police);
        var id = Guid.CreateVersion7();
        Assert.Equal("urn:referral:problem:not-found",
            (await (await police.GetAsync($"/api/v1/cases/{id}")).ExpectAsync(HttpStatusCode.NotFound)).Str("type"));
        await (await police.GetAsync($"/api/v1/cases/{id}/suspicion")).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.PostJsonAsync(Cases.Step(id.ToString(), "mark-contact-lost"), new { })).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.GetAsync("/api/v1/nowhere")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_query_parameters_are_400()
    {
        var police = api.Client(OrgType.Police);
        await (await police.GetAsync("/api/v1/cases?status=Sleeping")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await police.GetAsync("/api/v1/cases?pageSize=0")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await police.GetAsync("/api/v1/cases?municipality=abc")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Correlation_id_is_taken_from_the_request_and_stored_on_the_event()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-corr");
        ngo.DefaultRequestHeaders.Add("X-Correlation-Id", "agency-request-000123");
        var response = await ngo.PostJsonAsync("/api/v1/cases", Cases.Sc1Registration(withPerson: false));
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("agency-request-000123", response.Headers.GetValues("X-Correlation-Id").Single());
        var history = await (await ngo.GetAsync($"/api/v1/cases/{body.Str("caseId")}/events")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("agency-request-000123", history["items"]![0]!.Str("correlationId"));
    }
}

/// <summary>A second host on the same cluster with a tiny rate limit, to see the 429 contract.</summary>
[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(ApiFixture api)
{
    [Fact]
    public async Task A_caller_over_its_limit_gets_429_with_Retry_After()
    {
        await using var limited = Limited();
        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u-rl", "ngo-rl", "NGO"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await client.GetAsync("/api/v1/cases")).StatusCode);
        }

        // A burst of three, and no refill within the test (an hour's period): exactly three answered, then refused.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var refused = await client.GetAsync("/api/v1/cases");
        var problem = await refused.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("urn:referral:problem:rate-limited", problem.Str("type"));
        Assert.True(refused.Headers.RetryAfter is not null);

        // Another caller is not affected.
        var other = limited.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u-rl2", "ngo-rl2", "NGO"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/cases")).StatusCode);
    }

    [Fact]
    public async Task Every_answer_states_the_callers_budget_and_a_refusal_has_none_left()
    {
        await using var limited = Limited();
        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u-rlh", "ngo-rlh", "NGO"));

        // Three permits, refilled once an hour: the budget counts down 2, 1, 0, then the fourth is refused with none left.
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await client.GetAsync("/api/v1/cases"));
        }

        Assert.All(answers, a => Assert.Equal("3", Header(a, "RateLimit-Limit")));
        Assert.Equal(["2", "1", "0", "0"], answers.Select(a => Header(a, "RateLimit-Remaining")).ToArray());
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode).ToArray());
        // Until full again: one period (3 600 s) refills every missing permit.
        Assert.All(answers, a => Assert.Equal("3600", Header(a, "RateLimit-Reset")));
    }

    /// <summary>A host on the same cluster with a burst of three and an hour's refill period: no refill happens within a test.</summary>
    private WebApplicationFactory<Program> Limited() => api.Factory.WithWebHostBuilder(b =>
    {
        b.UseSetting("RateLimiting:PermitsPerSecond", "1");
        b.UseSetting("RateLimiting:Burst", "3");
        b.UseSetting("RateLimiting:ReplenishmentSeconds", "3600");
    });

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"No {name} header on {(int)response.StatusCode}.");
}

/// <summary>Browsers read answers only from the configured caseworker front end (OWASP API8: security misconfiguration).</summary>
[Collection(ApiCollection.Name)]
public sealed class CrossOriginTests(ApiFixture api)
{
    [Fact]
    public async Task Only_a_configured_origin_is_allowed_to_read_answers()
    {
        await using var host = api.Factory.WithWebHostBuilder(b => b.UseSetting("Cors:AllowedOrigins:0", "https://frontend.referral.test"));
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token("u-cors", "ngo-cors", "NGO"));

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases");
        allowed.Headers.Add("Origin", "https://frontend.referral.test");
        var answer = await client.SendAsync(allowed);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("https://frontend.referral.test", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases");
        foreign.Headers.Add("Origin", "https://elsewhere.example");
        var refused = await client.SendAsync(foreign);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/cases");
        preflight.Headers.Add("Origin", "https://elsewhere.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        Assert.False((await client.SendAsync(preflight)).Headers.Contains("Access-Control-Allow-Origin"));

        // By default no origin is allowed.
        using var unconfigured = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases");
        unconfigured.Headers.Add("Origin", "https://frontend.referral.test");
        var plain = api.Client(Referral.BuildingBlocks.Contracts.OrgType.NGO, "ngo-cors2", "u-cors2");
        Assert.False((await plain.SendAsync(unconfigured)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}
