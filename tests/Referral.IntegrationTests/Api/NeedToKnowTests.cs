using System.Net;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>
/// The reproductions of issue 14, each now refused, and the entry routes: acting never makes an organisation take part;
/// only a referral, a designation, a legal-basis join or an investigation link does, each in the history and the access log.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NeedToKnowTests(ApiFixture api)
{
    private static string Person(string id) => $"/api/v1/cases/{id}/person";

    [Fact]
    public async Task An_outsider_cannot_act_its_way_into_a_case_nor_erase_its_person_record()
    {
        var ngo = api.Client(OrgType.NGO, "ngo-n2k1");
        var (id, _, _) = await Cases.RegisterAsync(ngo);
        var elsewhere = api.Client(OrgType.SocialServices, "soc-other-municipality");
        var events = await api.EventCountAsync();

        // No If-Match, an empty body: refused as for an unknown case — no state, no allowed actions.
        var missing = await (await elsewhere.PostJsonAsync(Cases.Step(id, "report-person-missing"), new { })).ExpectAsync(HttpStatusCode.NotFound);
        var unknown = await (await elsewhere.PostJsonAsync(Cases.Step(Guid.CreateVersion7().ToString(), "report-person-missing"), new { })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(unknown.Str("detail"), missing.Str("detail"));
        Assert.Null(missing["currentState"]);
        Assert.Null(missing["allowedActions"]);
        await (await elsewhere.PostJsonAsync(Cases.Step(id, "record-consent"), new { status = "Given", scope = new[] { "ShareWithSocialServices" }, language = "sv" }))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await api.Client(OrgType.NGO, "ngo-n2k1-other").PostJsonAsync($"/api/v1/cases/{id}/support/record-information-given", new { items = new[] { "Damages" }, language = "en" }))
            .ExpectAsync(HttpStatusCode.NotFound);

        // The erasure chain of the report: the record stays, the registering NGO still reads it.
        await (await elsewhere.SendMatchingAsync(HttpMethod.Delete, Person(id), 1)).ExpectAsync(HttpStatusCode.NotFound);
        await (await elsewhere.GetAsync(Person(id))).ExpectAsync(HttpStatusCode.NotFound);
        await (await elsewhere.GetAsync($"/api/v1/cases/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        var record = await (await ngo.GetAsync(Person(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Cases.SyntheticFamilyName, record["details"]!.Str("familyName"));
        Assert.Equal(events, await api.EventCountAsync());

        var participants = await (await ngo.GetAsync($"/api/v1/cases/{id}/participants")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["ngo-n2k1"], participants["participants"]!.AsArray().Select(p => p!.Str("orgId")).ToArray());
        var log = await (await api.Client(OrgType.Auditor, "aud-n2k1").GetAsync($"/api/v1/cases/{id}/audit/access-log")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(log.AsArray());
    }

    [Fact]
    public async Task A_person_record_is_never_disclosed_as_not_secret_nor_beyond_the_consent()
    {
        var police = api.Client(OrgType.Police, "pol-n2k2");
        var (id, version, _) = await Cases.RegisterAsync(police);
        var ngo = api.Client(OrgType.NGO, "ngo-n2k2");

        // NotSecret is no basis for identifying data; 10:2 cannot reach an NGO at all.
        await (await ngo.SendAsync(Http.UnderBasis(HttpMethod.Get, Person(id), "NotSecret"))).ExpectAsync(HttpStatusCode.NotFound);
        await (await ngo.SendAsync(Http.UnderBasis(HttpMethod.Get, Person(id), "Necessary_OSL_10_2"))).ExpectAsync(HttpStatusCode.Forbidden);
        // Consent: not recorded, then not covering NGOs, then covering (read, logged), then withdrawn.
        await (await ngo.SendAsync(Http.UnderBasis(HttpMethod.Get, Person(id), "Consent_OSL_12_2"))).ExpectAsync(HttpStatusCode.NotFound);
        var consent = await police.PostJsonAsync(Cases.Step(id, "record-consent"), new { status = "Given", scope = new[] { "ShareWithPolice" }, language = "en" }, version);
        await consent.ExpectAsync(HttpStatusCode.OK);
        await (await ngo.SendAsync(Http.UnderBasis(HttpMethod.Get, Person(id), "Consent_OSL_12_2"))).ExpectAsync(HttpStatusCode.NotFound);
        var wider = await police.PostJsonAsync(Cases.Step(id, "record-consent"), new { status = "Given", scope = new[] { "ShareWithPolice", "ShareWithNgo" }, language = "en" }, consent.ETagVersion());
        await wider.ExpectAsync(HttpStatusCode.OK);
        var read = await (await ngo.SendAsync(Http.UnderBasis(HttpMethod.Get, Person(id), "Consent_OSL_12_2"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Cases.SyntheticFamilyName, read["details"]!.Str("familyName"));
        await (await police.PostJsonAsync(Cases.Step(id, "record-consent"), new { status = "Withdrawn", language = "en" }, wider.ETagVersion())).ExpectAsync(HttpStatusCode.OK);
        await (await ngo.SendAsync(Http.UnderBasis(HttpMethod.Get, Person(id), "Consent_OSL_12_2"))).ExpectAsync(HttpStatusCode.NotFound);

        // Auditors never read the person record; the consent-based read is in the access log.
        var auditor = api.Client(OrgType.Auditor, "aud-n2k2");
        await (await auditor.GetAsync(Person(id))).ExpectAsync(HttpStatusCode.Forbidden);
        var log = await (await auditor.GetAsync($"/api/v1/cases/{id}/audit/access-log")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(log.AsArray(), e => e!.Str("orgId") == "ngo-n2k2" && e!.Str("legalBasis") == "Consent_OSL_12_2" && e!.Str("what") == "person");
    }

    [Fact]
    public async Task Joining_under_a_legal_basis_and_referral_are_the_entry_routes_and_each_shows_in_history_and_access_log()
    {
        var social = api.Client(OrgType.SocialServices, "soc-n2k3");
        var (id, _, _) = await Cases.RegisterAsync(social, Cases.Sc1Registration(withPerson: false));
        var police = api.Client(OrgType.Police, "pol-n2k3");
        var join = $"/api/v1/cases/{id}/participants/join-case";

        // No basis, an empty or malformed one, NotSecret, or one that cannot reach the police: refused, nothing appended.
        await (await police.PostJsonAsync(join, new { })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await police.SendAsync(Http.UnderBasis(HttpMethod.Post, join, "", body: new { }))).ExpectAsync(HttpStatusCode.BadRequest);
        await (await police.SendAsync(Http.UnderBasis(HttpMethod.Post, join, "SeriousCrime_OSL_10_23", purpose: "", body: new { }))).ExpectAsync(HttpStatusCode.BadRequest);
        await (await police.SendAsync(Http.UnderBasis(HttpMethod.Post, join, "NotSecret", body: new { }))).ExpectAsync(HttpStatusCode.BadRequest);
        await (await police.SendAsync(Http.UnderBasis(HttpMethod.Post, join, "SocHealthMinor_OSL_26_9_25_12", body: new { }))).ExpectAsync(HttpStatusCode.Forbidden);
        // 10:21 concerns children: for an adult's case it discloses nothing (as an unknown case).
        await (await police.SendAsync(Http.UnderBasis(HttpMethod.Post, join, "CrimeAgainstChild_OSL_10_21", body: new { }))).ExpectAsync(HttpStatusCode.NotFound);

        // OSL 10:23 with a realistic reference as purpose: the police join, logged; from now on they act.
        var joined = await police.SendAsync(Http.UnderBasis(HttpMethod.Post, join, "SeriousCrime_OSL_10_23", "investigation K-2026-123456", new { }));
        var view = await joined.ExpectAsync(HttpStatusCode.OK);
        var entry = view["participants"]!.AsArray().Single(p => p!.Str("orgId") == "pol-n2k3")!;
        Assert.Equal("JoinedUnderLegalBasis", entry.Str("route"));
        await (await police.PostJsonAsync(Cases.Step(id, "record-indicator-assessment"), new { methodsOfControl = new[] { "Threats" } }, joined.ETagVersion())).ExpectAsync(HttpStatusCode.OK);

        // The police refer the case to the prosecutor under 10:23 (logged); an NGO needs the adult's consent (409 says so).
        var referral = await police.SendAsync(Http.UnderBasis(HttpMethod.Post, $"/api/v1/cases/{id}/participants/refer-organisation", "SeriousCrime_OSL_10_23",
            body: new { orgId = "akl-n2k3", orgType = "Prosecution" }));
        await referral.ExpectAsync(HttpStatusCode.OK);
        var refused = await (await police.PostJsonAsync($"/api/v1/cases/{id}/participants/refer-organisation", new { orgId = "ngo-n2k3", orgType = "NGO" }))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("consent", refused["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        Assert.Equal(["RecordConsent"], refused["allowedActions"].Strings());
        await (await api.Client(OrgType.Prosecution, "akl-n2k3").GetAsync($"/api/v1/cases/{id}")).ExpectAsync(HttpStatusCode.OK);

        var history = await (await social.GetAsync($"/api/v1/cases/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        var types = history["items"]!.AsArray().Select(e => e!.Str("type")).ToList();
        Assert.Contains("suspicion.organisation_joined", types);
        Assert.Contains("suspicion.organisation_referred", types);
        var joinedEvent = history["items"]!.AsArray().First(e => e!.Str("type") == "suspicion.organisation_joined")!;
        Assert.Equal("SeriousCrime_OSL_10_23", joinedEvent["data"]!.Str("legalBasis"));
        var log = await (await social.GetAsync($"/api/v1/cases/{id}/audit/access-log")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["join-case", "refer-organisation"], log.AsArray().Where(e => e!.Str("orgId") == "pol-n2k3" && e!.Str("what") != "case")
            .Select(e => e!.Str("what")).ToArray());
        Assert.All(log.AsArray(), e => Assert.Equal("investigation K-2026-123456", e!.Str("purpose")));
    }

    [Fact]
    public async Task Investigations_are_seen_only_by_their_organisations()
    {
        var police = api.Client(OrgType.Police, "pol-n2k4");
        var caseId = (await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false))).Id;
        var (investigation, _) = await Investigations.OpenAsync(police, caseId);
        var otherPolice = api.Client(OrgType.Police, "pol-n2k4-other");

        await (await otherPolice.GetAsync(Investigations.Of(investigation))).ExpectAsync(HttpStatusCode.NotFound);
        await (await otherPolice.GetAsync(Investigations.Of(investigation) + "/events")).ExpectAsync(HttpStatusCode.NotFound);
        var list = await (await otherPolice.GetAsync("/api/v1/investigations")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list.AsArray(), i => i!.Str("investigationId") == investigation);
        await (await otherPolice.PostJsonAsync(Investigations.Of(investigation, "close-investigation"), new { ground = "NoCrime" })).ExpectAsync(HttpStatusCode.NotFound);
        // Linking a case it does not take part in to its own investigation is refused as for an unknown case.
        var (own, version) = await Investigations.OpenAsync(otherPolice);
        await (await otherPolice.PostJsonAsync(Investigations.Of(own, "link-case-to-investigation"), new { caseId, role = "Witness" }, version)).ExpectAsync(HttpStatusCode.NotFound);

        var mine = await (await police.GetAsync(Investigations.Of(investigation))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([caseId], mine["linkedCases"]!.AsArray().Select(l => l!.Str("caseId")).ToArray());
        var auditorView = await (await api.Client(OrgType.Auditor, "aud-n2k4").GetAsync(Investigations.Of(investigation))).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(auditorView["linkedCases"]!.AsArray());
    }

    [Fact]
    public async Task A_token_speaks_for_one_organisation_and_expires_within_30_seconds_of_skew()
    {
        var client = api.Client(null);
        async Task<HttpStatusCode> ListWith(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases");
            request.Headers.Authorization = new("Bearer", token);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await ListWith(ApiFixture.Token("u-1", "pol-tok", "Police")));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListWith(ApiFixture.TokenWith([("sub", "u-1"), ("org_id", "pol-tok"), ("org_type", "Police"), ("org_type", "Auditor")])));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListWith(ApiFixture.TokenWith([("sub", "u-1"), ("org_id", "pol-tok"), ("org_id", "aud-tok"), ("org_type", "Police")])));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListWith(ApiFixture.TokenWith([("sub", "u-1"), ("org_id", "pol-tok")])));
        // Expired 10 s ago: within the 30 s skew. Expired 2 minutes ago: refused (the default skew would allow 5 minutes).
        Assert.Equal(HttpStatusCode.OK, await ListWith(ApiFixture.Token("u-1", "pol-tok", "Police", DateTime.UtcNow.AddSeconds(-10))));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListWith(ApiFixture.Token("u-1", "pol-tok", "Police", DateTime.UtcNow.AddMinutes(-2))));
    }

    [Theory]
    [InlineData("", "a purpose", HttpStatusCode.BadRequest)]
    [InlineData(" ", "a purpose", HttpStatusCode.BadRequest)]
    [InlineData("SeriousCrime_OSL_10_23", "", HttpStatusCode.BadRequest)]
    [InlineData("SeriousCrime_OSL_10_23", "call 070-123 45 67", HttpStatusCode.BadRequest)]
    [InlineData("SeriousCrime_OSL_10_23", "person 19990401-1234", HttpStatusCode.BadRequest)]
    [InlineData("SeriousCrime_OSL_10_23", "<script>", HttpStatusCode.BadRequest)]
    [InlineData("1", "a purpose", HttpStatusCode.BadRequest)]
    [InlineData("SeriousCrime_OSL_10_23", "investigation K-2026-123456", HttpStatusCode.OK)]
    [InlineData("SeriousCrime_OSL_10_23", "förundersökning 5000-K123456-26 (åklagarkammaren)", HttpStatusCode.OK)]
    public async Task Disclosure_headers_are_validated_before_anything_else(string basis, string purpose, HttpStatusCode expected)
    {
        var (id, _, _) = await Cases.RegisterAsync(api.Client(OrgType.SocialServices, "soc-hdr"), Cases.Sc1Registration(withPerson: false));
        var response = await api.Client(OrgType.Police, "pol-hdr").SendAsync(Http.UnderBasis(HttpMethod.Get, $"/api/v1/cases/{id}", basis, purpose));
        var body = await response.ExpectAsync(expected);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Equal("urn:referral:problem:malformed-request", body.Str("type"));
            Assert.DoesNotContain("070-123", body.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Each_entry_route_refuses_what_does_not_fit_and_appends_nothing_twice()
    {
        var police = api.Client(OrgType.Police, "pol-n2k6");
        var (id, _, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false)); // an adult, no consent
        var refer = $"/api/v1/cases/{id}/participants/refer-organisation";

        // Auditors read every case without a referral; an organisation id must be one.
        Assert.True((await (await police.PostJsonAsync(refer, new { orgId = "aud-1", orgType = "Auditor" })).ExpectAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().ContainsKey("orgType"));
        Assert.True((await (await police.PostJsonAsync(refer, new { orgId = "<x>", orgType = "SocialServices" })).ExpectAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().ContainsKey("orgId"));
        // A stated basis must reach the receiver: OSL 10:23 discloses to the police and the prosecutor, not social services.
        var unfit = await (await police.SendAsync(Http.UnderBasis(HttpMethod.Post, refer, "SeriousCrime_OSL_10_23", body: new { orgId = "soc-n2k6", orgType = "SocialServices" })))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("SeriousCrime_OSL_10_23", unfit["unmetGuards"].Strings().Single(), StringComparison.Ordinal);
        // 26:9/25:12 concerns minors: social services cannot join an adult's case under it (as an unknown case).
        await (await api.Client(OrgType.SocialServices, "soc-n2k6").SendAsync(Http.UnderBasis(HttpMethod.Post, $"/api/v1/cases/{id}/participants/join-case", "SocHealthMinor_OSL_26_9_25_12", body: new { })))
            .ExpectAsync(HttpStatusCode.NotFound);

        // Referring an organisation that already takes part appends nothing.
        var first = await Cases.ReferAsync(police, id, OrgType.Prosecution, "akl-n2k6");
        Assert.Equal(first, await Cases.ReferAsync(police, id, OrgType.Prosecution, "akl-n2k6"));

        // An investigation is referred only to police, prosecution or a court; once is enough.
        var (investigation, version) = await Investigations.OpenAsync(police);
        Assert.True((await (await police.PostJsonAsync(Investigations.Of(investigation, "refer-investigation"), new { orgId = "soc-n2k6", orgType = "SocialServices" }, version))
            .ExpectAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().ContainsKey("orgType"));
        var referred = await Investigations.ReferAsync(police, investigation, OrgType.Court, "dom-n2k6", version);
        Assert.Equal(referred, await Investigations.ReferAsync(police, investigation, OrgType.Court, "dom-n2k6", referred));
    }

    [Fact]
    public async Task Migrationsverket_never_sees_a_draft_even_one_withdrawn_unsubmitted()
    {
        var social = api.Client(OrgType.SocialServices, "soc-n2k7");
        var claim = (await (await social.PostJsonAsync("/api/v1/claims", new { year = DateTime.UtcNow.Year, quarter = ((DateTime.UtcNow.Month - 1) / 3) + 1, quarters = 1 }))
            .ExpectAsync(HttpStatusCode.Created)).Str("claimId");
        var miv = api.Client(OrgType.MigrationAgency, "miv-n2k7");
        await (await miv.GetAsync($"/api/v1/claims/{claim}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await social.PostJsonAsync($"/api/v1/claims/{claim}/withdraw-claim", new { })).ExpectAsync(HttpStatusCode.OK);
        await (await miv.GetAsync($"/api/v1/claims/{claim}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await (await miv.GetAsync("/api/v1/claims")).ExpectAsync(HttpStatusCode.OK)).AsArray(), c => c!.Str("claimId") == claim);
    }
}
