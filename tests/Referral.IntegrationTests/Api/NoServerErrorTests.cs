using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>Issue 15: each cause of a 500 found from outside, and the inputs that were accepted although invalid.</summary>
[Collection(ApiCollection.Name)]
public sealed class NoServerErrorTests(ApiFixture api)
{
    private const string EmptyGuid = "00000000-0000-0000-0000-000000000000";

    [Fact]
    public async Task The_all_zero_id_is_an_unknown_case_on_every_kind_of_route()
    {
        var police = api.Client(OrgType.Police, "pol-zero");
        await (await police.PostJsonAsync($"/api/v1/cases/{EmptyGuid}/suspicion/record-consent", new { status = "Given", scope = new[] { "ShareWithPolice" }, language = "en" }))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await police.PostJsonAsync($"/api/v1/cases/{EmptyGuid}/participants/join-case", new { })).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.SendAsync(Http.UnderBasis(HttpMethod.Post, $"/api/v1/cases/{EmptyGuid}/participants/join-case", "SeriousCrime_OSL_10_23", body: new { })))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await police.GetAsync($"/api/v1/cases/{EmptyGuid}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.SendMatchingAsync(HttpMethod.Delete, $"/api/v1/cases/{EmptyGuid}/person", 1)).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.PostJsonAsync($"/api/v1/investigations/{EmptyGuid}/close-investigation", new { ground = "NoCrime" })).ExpectAsync(HttpStatusCode.NotFound);
        await (await api.Client(OrgType.SocialServices, "soc-zero").PostJsonAsync($"/api/v1/claims/{EmptyGuid}/submit-claim", new { })).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("before\u0000after")]
    [InlineData("bell\u0007")]
    public async Task A_control_character_in_free_text_is_a_field_error(string text)
    {
        var police = api.Client(OrgType.Police, "pol-nul");
        var (id, version, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        var problem = await (await police.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { narrative = text }, version)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("narrative"), problem.ToJsonString());
        // Ordinary line breaks and tabs stay allowed.
        await (await police.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { narrative = "Line one.\nLine two\twith a tab." }, version)).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("record-reflection-decision")]
    [InlineData("record-cooperation-permit-decision")]
    public async Task A_decision_with_no_application_pending_is_409_with_what_is_allowed(string action)
    {
        var police = api.Client(OrgType.Police, "pol-nodec");
        var (id, version, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        version = await Cases.ReferAsync(police, id, OrgType.MigrationAgency, "miv-nodec");
        var problem = await (await api.Client(OrgType.MigrationAgency, "miv-nodec").PostJsonAsync($"/api/v1/cases/{id}/reflection-period/{action}", new
        {
            applicationId = Guid.NewGuid(), outcome = "Granted", decisionRef = "MIG-1", validFrom = "2026-12-01", validTo = "2027-06-30",
        }, version)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("urn:referral:problem:workflow-violation", problem.Str("type"));
        Assert.NotNull(problem["allowedActions"]);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("image/png")]
    public async Task Errors_are_problem_json_whatever_the_Accept_header(string accept)
    {
        var anonymous = api.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        var police = api.Client(OrgType.Police, "pol-accept");
        using var missing = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{Guid.CreateVersion7()}");
        missing.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var notFound = await police.SendAsync(missing);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("/work/", await notFound.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_If_Match_a_body_id_against_the_route_and_a_foreign_charset_are_refused()
    {
        var police = api.Client(OrgType.Police, "pol-inputs");
        var (id, _, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        // HttpClient drops an empty header, so the request is built on the server's side as a client on the wire sends it.
        foreach (var empty in new[] { "", " " })
        {
            var context = await api.Factory.Server.SendAsync(c =>
            {
                c.Request.Method = "POST";
                c.Request.Path = Cases.Step(id, "mark-contact-lost");
                c.Request.Headers.Authorization = "Bearer " + ApiFixture.Token("u-inputs", "pol-inputs", "Police");
                c.Request.Headers.IfMatch = empty;
                c.Request.ContentType = "application/json";
                c.Request.Body = new MemoryStream("{}"u8.ToArray());
            });
            Assert.Equal(400, context.Response.StatusCode);
            Assert.Equal("application/problem+json", context.Response.ContentType);
        }

        var social = api.Client(OrgType.SocialServices, "soc-inputs");
        var claim = (await (await social.PostJsonAsync("/api/v1/claims", new { year = DateTime.UtcNow.Year, quarter = ((DateTime.UtcNow.Month - 1) / 3) + 1, quarters = 1 }))
            .ExpectAsync(HttpStatusCode.Created)).Str("claimId");
        var contradicting = await (await social.PostJsonAsync($"/api/v1/claims/{claim}/withdraw-claim", new { claimId = Guid.NewGuid() })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(contradicting["errors"]!.AsObject().ContainsKey("claimId"));
        await (await police.PostJsonAsync($"/api/v1/investigations/{Guid.CreateVersion7()}/close-investigation", new { ground = "NoCrime", investigationId = Guid.NewGuid() }))
            .ExpectAsync(HttpStatusCode.BadRequest);

        using var latin1 = new StringContent("{}", Encoding.Latin1);
        latin1.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=latin1");
        await (await police.PostAsync(Cases.Step(id, "mark-contact-lost"), latin1)).ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        using var utf8 = new StringContent("{}", Encoding.UTF8);
        utf8.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        await (await police.PostAsync(Cases.Step(id, "mark-contact-lost"), utf8)).ExpectAsync(HttpStatusCode.OK);
    }
}

/// <summary>Issue 15: expected outcomes are logged at Information without stack traces; errors only for real faults.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExpectedOutcomeLoggingTests(ApiFixture api)
{
    [Fact]
    public async Task Refusals_and_races_are_information_not_errors()
    {
        var sink = new CapturingLoggerProvider();
        var barrier = new SaveBarrier(4);
        await using var app = new ClockedApi(api, ClockedApi.NewClock(), barrier, logging: sink);
        var police = app.Client(OrgType.Police, "pol-logs");
        var (id, version, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));

        await (await police.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { narrative = 5 }, version)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await police.GetAsync($"/api/v1/cases/{Guid.CreateVersion7()}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.PostJsonAsync(Cases.Step(id, "reopen"), new { newInformation = "Nothing new." }, version)).ExpectAsync(HttpStatusCode.Conflict);
        await (await police.PostJsonAsync(Cases.Step(id, "mark-contact-lost"), new { }, version + 5)).ExpectAsync(HttpStatusCode.PreconditionFailed);
        barrier.Arm(Guid.Parse(id));
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => police.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { narrative = "Racing." })));
        Assert.Equal(3, racing.Count(r => r.StatusCode == HttpStatusCode.Conflict));

        var loud = sink.Entries.Where(e => e.Level >= LogLevel.Warning || e.HasException).ToList();
        Assert.True(loud.Count == 0, "Logged above Information or with a stack trace:\n" + string.Join("\n", loud.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
        Assert.Contains(sink.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("concurrent write was refused", StringComparison.Ordinal));
    }
}
