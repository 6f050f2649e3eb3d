using System.Net;
using System.Net.Http.Json;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>Commands are idempotent under Idempotency-Key: a retry returns the first answer and appends nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotencyTests(ApiFixture api)
{
    private static HttpRequestMessage Post(string url, object body, string key, long? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        if (ifMatch is { } v)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{v}\"");
        }

        return request;
    }

    /// <summary>The secrets come from the secret store; without a valid one the host does not start.</summary>
    [Theory]
    [InlineData("Idempotency:FingerprintKey", null)]
    [InlineData("Idempotency:FingerprintKey", "c2hvcnQ=")]
    [InlineData("PersonRecords:KeyEncryptionKey", null)]
    [InlineData("PersonRecords:KeyEncryptionKey", "c2hvcnQ=")]
    [InlineData("Audit:Checkpoints:SigningKey", null)]
    [InlineData("Audit:Checkpoints:SigningKey", "c2hvcnQ=")]
    [InlineData("Audit:Checkpoints:SigningKey", "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=")] // 32 bytes, but no EC key
    public void The_host_refuses_to_start_without_its_secrets(string setting, string? value)
    {
        using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseEnvironment(b, "Testing");
            b.UseSetting("ConnectionStrings:Referral", api.ConnectionString);
            b.UseSetting("Marten:Schema", api.Schema);
            b.UseSetting("Deadlines:Enabled", "false");
            foreach (var secret in new[] { "Idempotency:FingerprintKey", "PersonRecords:KeyEncryptionKey", "Audit:Checkpoints:SigningKey" })
            {
                var valid = secret == "Audit:Checkpoints:SigningKey" ? ApiFixture.CheckpointSigningKey : Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
                b.UseSetting(secret, secret == setting ? value ?? "" : valid);
            }
        });
        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.Server);
        Assert.Contains(setting, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retried_registration_returns_the_first_case_and_creates_no_second()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-idem");
        var key = Guid.NewGuid().ToString();
        var first = await ngo.SendAsync(Post("/api/v1/cases", Cases.Sc1Registration(), key));
        var firstBody = await first.ExpectAsync(HttpStatusCode.Created);
        var events = await api.EventCountAsync();

        var retry = await ngo.SendAsync(Post("/api/v1/cases", Cases.Sc1Registration(), key));
        var retryBody = await retry.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(firstBody.Str("caseId"), retryBody.Str("caseId"));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_retried_command_returns_the_first_answer_even_after_the_case_moved_on()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-idem2");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var key = Guid.NewGuid().ToString();
        var consent = new { status = "Given", scope = new[] { "ReferralToRegionalCoordinator" }, language = "en" };
        var first = await ngo.SendAsync(Post(Cases.Step(id, "record-consent"), consent, key, version));
        await first.ExpectAsync(HttpStatusCode.OK);
        var events = await api.EventCountAsync();

        var retry = await ngo.SendAsync(Post(Cases.Step(id, "record-consent"), consent, key, version));
        await retry.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(events, await api.EventCountAsync());

        // Without the key the same stale request is refused.
        await (await ngo.PostJsonAsync(Cases.Step(id, "record-consent"), consent, version)).ExpectAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Reusing_a_key_for_a_different_request_is_422_and_records_nothing()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-idem3");
        var key = Guid.NewGuid().ToString();
        await (await ngo.SendAsync(Post("/api/v1/cases", Cases.Sc1Registration(), key))).ExpectAsync(HttpStatusCode.Created);
        var events = await api.EventCountAsync();
        var problem = await (await ngo.SendAsync(Post("/api/v1/cases", Cases.Sc1Registration(withPerson: false), key)))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:referral:problem:idempotency-key-reused", problem.Str("type"));
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_refused_command_keeps_no_answer_so_the_key_can_be_retried()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-idem4");
        var (id, version, _) = await Cases.RegisterAsync(ngo);
        var key = Guid.NewGuid().ToString();
        await (await ngo.SendAsync(Post(Cases.Step(id, "request-coordinator-consultation"), new { coordinatorOrgId = "rko-x" }, key, version)))
            .ExpectAsync(HttpStatusCode.Conflict);
        await (await ngo.SendAsync(Post(Cases.Step(id, "request-coordinator-consultation"), new { coordinatorOrgId = "rko-x" }, key, version)))
            .ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Same_key_from_another_organisation_is_another_request()
    {
        var key = Guid.NewGuid().ToString();
        var a = await (await api.Client(OrgType.NGO, "ngo-idem5").SendAsync(Post("/api/v1/cases", Cases.Sc1Registration(), key))).ExpectAsync(HttpStatusCode.Created);
        var b = await (await api.Client(OrgType.NGO, "ngo-idem6").SendAsync(Post("/api/v1/cases", Cases.Sc1Registration(), key))).ExpectAsync(HttpStatusCode.Created);
        Assert.NotEqual(a.Str("caseId"), b.Str("caseId"));
    }

    [Fact]
    public async Task A_malformed_key_is_400()
    {
        await (await api.Client(OrgType.NGO).SendAsync(Post("/api/v1/cases", Cases.Sc1Registration(), "short")))
            .ExpectAsync(HttpStatusCode.BadRequest);
    }
}
