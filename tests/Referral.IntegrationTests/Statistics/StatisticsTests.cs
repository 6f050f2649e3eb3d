using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Statistics;

/// <summary>
/// National statistics over real HTTP and PostgreSQL (issue 18): a synthetic year seeded through the API's commands —
/// 225 persons of whom 56 children, reported by three kinds of agency, 30 of them by two agencies and linked as the same
/// person — counted once; every cell below 10 hidden, no hidden cell recoverable from its row or column; children's
/// tables coarser; the publication lag; a differencing sequence refused; every query logged.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StatisticsTests(ApiFixture api)
{
    // A county no other test registers in (25, Norrbotten: Kiruna), in a year no other test uses.
    private const string Municipality = "2584";
    private const string Region = "25";
    private static readonly string[] Nationalities = ["RO", "NG", "TH", "UA", "RO", "NG", "TH", "RO", "NG", "SE", "RO", "NG", "TH", "UA", "RO", "NG", "TH", "RO", "VN", "SY"];

    /// <summary>The six most frequent nationalities of the adults (RO, NG, TH, UA, SE, VN/SY by order): the rest are "Other".</summary>
    private static readonly HashSet<string> Top6 = [.. Enumerable.Range(56, 169).Select(i => Nationalities[i % 20]).GroupBy(n => n)
        .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(6).Select(g => g.Key)];

    private sealed record Seeded(int Index, bool Child, OrgType Reporter, string Gender, string Nationality, string[] Purposes);

    private static Seeded Person(int i) => new(
        i, i < 56, (i % 3) switch { 0 => OrgType.Police, 1 => OrgType.SocialServices, _ => OrgType.NGO }, i % 4 == 0 ? "Male" : "Female", Nationalities[i % 20],
        i % 7 == 0 ? ["SexualExploitation", "ForcedLabour"] : i % 2 == 0 ? ["SexualExploitation"] : ["ForcedLabour"]);

    private static object Registration(Seeded p) => new
    {
        channel = "InPerson", municipalityCode = Municipality, ageCategory = p.Child ? "Child" : "Adult", gender = p.Gender, nationality = p.Nationality,
        citizenshipCategory = p.Nationality == "SE" ? "Swedish" : p.Nationality is "RO" ? "NordicOrEuEea" : "ThirdCountry",
        residenceBasis = p.Nationality == "SE" ? "SwedishCitizen" : "NoRightOfResidence", exploitationPurposes = p.Purposes,
    };

    private static async Task<JsonNode> TableAsync(HttpClient client, string query, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync($"/api/v1/statistics/persons?year=2024&region={Region}&purpose=annual+report+2024&{query}")).ExpectAsync(expected);

    private static string Cell(JsonNode table, string? row, string? column = null) =>
        table["cells"]!.AsArray().Single(c => c!["row"]?.GetValue<string>() == row && c!["column"]?.GetValue<string>() == column)!.Str("count");

    /// <summary>The attacker: a row or column with exactly one hidden cell gives it away from the total (when that total is shown).</summary>
    private static void AssertNoHiddenCellRecoverable(JsonNode table)
    {
        var cells = table["cells"]!.AsArray().Select(c => (Row: c!["row"]?.GetValue<string>(), Column: c!["column"]?.GetValue<string>(), Count: c!.Str("count"))).ToList();
        var totals = table["rowTotals"]!.AsArray().Select(t => ("row", t!.Str("value"), t!.Str("count")))
            .Concat(table["columnTotals"]!.AsArray().Select(t => ("column", t!.Str("value"), t!.Str("count"))))
            .Append(("table", "", table.Str("total")));
        foreach (var (kind, value, total) in totals)
        {
            var line = cells.Where(c => kind == "table" ? table["dimensions"]!.AsArray().Count < 2 : kind == "row" ? c.Row == value : c.Column == value).ToList();
            if (total != "<10")
            {
                Assert.True(line.Count(c => c.Count == "<10") != 1, $"the {kind} {value} has one hidden cell next to its total {total}: {table.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task A_synthetic_year_seeded_through_the_commands_counts_every_person_once_and_publishes_nothing_below_ten()
    {
        await using var app = new ClockedApi(api, new FakeTimeProvider(new DateTimeOffset(2024, 3, 4, 10, 0, 0, TimeSpan.Zero)));
        var clients = new Dictionary<OrgType, HttpClient>
        {
            [OrgType.Police] = app.Client(OrgType.Police, "pol-stat"),
            [OrgType.SocialServices] = app.Client(OrgType.SocialServices, "soc-stat"),
            [OrgType.NGO] = app.Client(OrgType.NGO, "ngo-stat"),
        };
        var ids = new Dictionary<OrgType, string> { [OrgType.Police] = "pol-stat", [OrgType.SocialServices] = "soc-stat", [OrgType.NGO] = "ngo-stat" };
        var persons = Enumerable.Range(0, 225).Select(Person).ToList();
        foreach (var p in persons)
        {
            var (caseId, _, _) = await Cases.RegisterAsync(clients[p.Reporter], Registration(p));
            if (p.Index >= 30)
            {
                continue;
            }

            // R18: 30 persons are reported by a second agency too (an authority), which is then brought into the first case and links them.
            var second = p.Reporter == OrgType.SocialServices ? OrgType.Police : p.Reporter == OrgType.Police ? OrgType.SocialServices : OrgType.Police;
            var (other, otherVersion, _) = await Cases.RegisterAsync(clients[second], Registration(p));
            await Cases.ReferAsync(clients[p.Reporter], caseId, second, ids[second]);
            var linked = await clients[second].PostJsonAsync(Cases.Step(other, "link-subject"), new { otherCaseId = caseId }, otherVersion);
            await linked.ExpectAsync(HttpStatusCode.OK);
        }

        var auditor = app.Client(OrgType.Auditor, "audit-stat");
        var byAge = await TableAsync(auditor, "by=AgeCategory");
        Assert.Equal("225", byAge.Str("total"));
        Assert.Equal(("169", "56"), (Cell(byAge, "Adult"), Cell(byAge, "Child")));

        // Every cell below 10 shows "<10"; shown cells are the exact counts; no hidden cell can be worked out from the totals.
        var adults = persons.Where(p => !p.Child).ToList();
        var table = await TableAsync(auditor, "by=Nationality&by=Gender&ageCategory=Adult&top=6");
        Assert.True(table["hiddenCells"]!.GetValue<int>() > 0);
        foreach (var cell in table["cells"]!.AsArray())
        {
            var (row, column, shown) = (cell!.Str("row"), cell!.Str("column"), cell!.Str("count"));
            var count = adults.Count(p => (Top6.Contains(p.Nationality) ? p.Nationality : "Other") == row && p.Gender == column);
            Assert.True(count is > 0 and < 10 ? shown == "<10" : shown == "<10" || shown == count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{cell!.ToJsonString()} (raw {count})");
        }

        AssertNoHiddenCellRecoverable(table);
        var purposes = await TableAsync(auditor, "by=ExploitationPurpose&by=ReportingOrgType");
        AssertNoHiddenCellRecoverable(purposes);
        Assert.Contains(purposes["cells"]!.AsArray(), c => c!.Str("row") == "MultiplePurposes");

        // Exports: HTCDS field names only; an extract in which every combination is shared by at least 11 persons.
        const string Export = "/api/v1/statistics/exports/{0}?year=2024&region=" + Region + "&purpose=ctdc+submission+2024&shape={1}";
        var htcds = await (await auditor.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Export, "Htcds", "Extract"))).ExpectAsync(HttpStatusCode.OK);
        string[] htcdsFields = ["org_Type", "prs_Gender", "prs_Nationality", "cas_Status", "vic_TypeOfLabourExploitation", "vic_MethodsOfControl"];
        Assert.All(htcds["columns"]!.AsArray(), c => Assert.Contains(c!.GetValue<string>(), htcdsFields));
        Assert.All(htcds["dictionary"]!.AsArray(), f => Assert.Contains(f!.Str("name"), htcdsFields));
        var rows = htcds["rows"]!.AsArray().Select(r => string.Join('|', r!.AsArray().Select(v => v!.GetValue<string>()))).ToList();
        Assert.All(rows.GroupBy(r => r), g => Assert.True(g.Count() >= 11, $"{g.Key} appears {g.Count()} times"));
        Assert.Equal(225, rows.Count + htcds["personsWithheld"]!.GetValue<int>());
        Assert.True(rows.Count > 0);
        var ctdc = await (await auditor.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Export, "Ctdc", "Aggregate"))).ExpectAsync(HttpStatusCode.OK);
        Assert.All(ctdc["rows"]!.AsArray(), r => Assert.True(r![2]!.GetValue<string>() is "<10" or "0" || int.Parse(r![2]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 10, r.ToJsonString()));
        Assert.Contains(ctdc["rows"]!.AsArray(), r => r![0]!.GetValue<string>() == "majorityStatus" && r[1]!.GetValue<string>() == "Minor" && r[2]!.GetValue<string>() == "56");
        var csv = await (await auditor.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Export.Replace("{0}?", "{0}/csv?", StringComparison.Ordinal), "Ctdc", "Extract"))).Content.ReadAsStringAsync();
        Assert.StartsWith("yearOfRegistration,gender,majorityStatus,citizenship,isForcedLabour,isSexualExploit,isOtherExploit", csv, StringComparison.Ordinal);
        var csvRows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).ToList();
        Assert.All(csvRows.GroupBy(r => r), g => Assert.True(g.Count() >= 11, $"{g.Key} appears {g.Count()} times"));

        // The yearly report: the same once-counted persons, its tables suppression-safe, the trend and the process measures.
        var report = await (await auditor.GetAsync($"/api/v1/statistics/reports/2024?region={Region}&purpose=annual+report+2024")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("225", report.Str("persons"));
        Assert.Equal("55", report["genderAndAge"]!["rowTotals"]!.AsArray().Single(t => t!.Str("value") == "Child")!.Str("count")); // 56, a total: rounded to 5
        Assert.Equal("225", report["trend"]!.AsArray().Single(t => t!.Str("value") == "2024")!.Str("count"));
        Assert.Equal(5, report["trend"]!.AsArray().Count);
        foreach (var part in new[] { "genderAndAge", "purposes", "nationalities", "labourSectors" })
        {
            AssertNoHiddenCellRecoverable(report[part]!);
        }

        Assert.All(report["process"]!.AsArray(), m => Assert.Null(m!["medianDays"])); // nobody was declared or applied: fewer than 10

        // The same report as a page people read: a chart and the figures for each table, the same published numbers.
        var page = await auditor.GetAsync($"/api/v1/statistics/reports/2024/html?region={Region}&purpose=annual+report+2024");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(html, "<svg "));
        Assert.Contains("<td>Child (total)</td><td>55</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2024</td><td>225</td>", html, StringComparison.Ordinal);
        foreach (var cell in report["purposes"]!["cells"]!.AsArray())
        {
            Assert.Contains($"<td>{System.Net.WebUtility.HtmlEncode(cell!.Str("row"))}</td><td>{System.Net.WebUtility.HtmlEncode(cell!.Str("count"))}</td>", html, StringComparison.Ordinal);
        }

        await (await clients[OrgType.NGO].GetAsync("/api/v1/statistics/reports/2024/html?purpose=annual+report")).ExpectAsync(HttpStatusCode.Forbidden);

        // Children: year only, never by nationality (400 naming what is allowed).
        var quarterly = await TableAsync(auditor, "ageCategory=Child&quarter=1", HttpStatusCode.BadRequest);
        Assert.Contains("per year only", quarterly.ToJsonString(), StringComparison.Ordinal);
        var byNationality = await TableAsync(auditor, "by=AgeCategory&by=Nationality", HttpStatusCode.BadRequest);
        Assert.Contains("allowed:", byNationality.ToJsonString(), StringComparison.Ordinal);
        await TableAsync(auditor, "by=Gender&by=Region&by=Nationality", HttpStatusCode.BadRequest);

        // The national coordinator: not inside the publication lag, and then the same counts.
        var national = app.Client(OrgType.GenderEqualityAgency, "jamy-stat");
        var lagged = await TableAsync(national, "by=AgeCategory", HttpStatusCode.BadRequest);
        Assert.Contains("publication lag", lagged.ToJsonString(), StringComparison.Ordinal);
        app.Clock.SetUtcNow(new DateTimeOffset(2025, 4, 2, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal("56", Cell(await TableAsync(national, "by=AgeCategory"), "Child"));
        await (await national.GetAsync("/api/v1/statistics/persons?year=2026&purpose=planning")).ExpectAsync(HttpStatusCode.BadRequest);

        // Regional coordinators see their own region only; organisations that do not publish see nothing.
        var coordinator = app.Client(OrgType.RegionalCoordinator, "rko-stat");
        coordinator.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.TokenWith([("sub", "u-rko-stat"), ("org_id", "rko-stat"), ("org_type", "RegionalCoordinator"), ("municipality", Municipality)]));
        Assert.Equal("225", (await TableAsync(coordinator, "")).Str("total"));
        await (await coordinator.GetAsync("/api/v1/statistics/persons?year=2024&region=01&purpose=annual+report")).ExpectAsync(HttpStatusCode.Forbidden);
        await TableAsync(clients[OrgType.NGO], "", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_differencing_sequence_is_refused_by_the_query_budget_and_every_query_is_logged()
    {
        await using var app = new ClockedApi(api, new FakeTimeProvider(new DateTimeOffset(2025, 5, 6, 10, 0, 0, TimeSpan.Zero)));
        var user = "u-diff-" + Guid.NewGuid().ToString("N")[..8];
        var national = app.Client(OrgType.GenderEqualityAgency, "jamy-diff");
        national.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token(user, "jamy-diff", "GenderEqualityAgency"));

        // The same table, filtered a little differently each time: four variants pass, the fifth is refused (429, why).
        foreach (var milestone in new[] { "Declared", "ReflectionGranted", "CooperationPermitGranted", "Indicted" })
        {
            await TableAsync(national, $"by=Gender&milestone={milestone}");
        }

        await TableAsync(national, "by=Gender&milestone=Declared"); // asking again for one already seen is no new variant
        var refused = await TableAsync(national, "by=Gender&milestone=Convicted", (HttpStatusCode)429);
        Assert.Equal("urn:referral:problem:query-budget-exceeded", refused.Str("type"));
        Assert.Contains("Differencing refused", refused.Str("detail"), StringComparison.Ordinal);
        await TableAsync(national, "by=AgeCategory"); // another table is not a variant

        var logged = await api.ScalarAsync<long>($"select count(*) from {{schema}}.mt_doc_statisticsquerylog where data->>'UserId' = '{user}'");
        Assert.Equal(6, logged);
        var purpose = await api.ScalarAsync<string>($"select data->>'Purpose' from {{schema}}.mt_doc_statisticsquerylog where data->>'UserId' = '{user}' limit 1");
        Assert.Equal("annual report 2024", purpose);
        await (await national.GetAsync("/api/v1/statistics/persons?year=2024")).ExpectAsync(HttpStatusCode.BadRequest); // no purpose, no figures
    }

    [Fact]
    public async Task Linking_needs_a_part_in_both_cases_and_a_link_made_twice_records_nothing()
    {
        var police = api.Client(OrgType.Police, "pol-link");
        var social = api.Client(OrgType.SocialServices, "soc-link");
        var (mine, version, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        var (theirs, _, _) = await Cases.RegisterAsync(social, Cases.Sc1Registration(withPerson: false));
        var events = await api.EventCountAsync();
        await (await police.PostJsonAsync(Cases.Step(mine, "link-subject"), new { otherCaseId = theirs }, version)).ExpectAsync(HttpStatusCode.NotFound);
        await (await police.PostJsonAsync(Cases.Step(mine, "link-subject"), new { otherCaseId = mine }, version)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(events, await api.EventCountAsync());

        await Cases.ReferAsync(social, theirs, OrgType.Police, "pol-link");
        var linked = await police.PostJsonAsync(Cases.Step(mine, "link-subject"), new { otherCaseId = theirs }, version);
        await linked.ExpectAsync(HttpStatusCode.OK);
        var history = await (await api.Client(OrgType.Auditor, "audit-link").GetAsync($"/api/v1/cases/{theirs}/events?step=suspicion")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(history["items"]!.AsArray(), e => e!.Str("type") == "suspicion.subject_linked");
        events = await api.EventCountAsync();
        await (await police.PostJsonAsync(Cases.Step(mine, "link-subject"), new { otherCaseId = theirs }, linked.ETagVersion())).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(events, await api.EventCountAsync());
    }
}
