using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Referral.BuildingBlocks.Contracts;
using Referral.Modules.Statistics;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Benchmarks;

/// <summary>
/// Issue 18: the yearly report over a year of many cases — synthetic statistics records (the documents the report reads,
/// bulk-inserted with the API's own store; one person in ten reported twice and linked) — timed through the API, against
/// the database reading the same documents.
/// </summary>
public static class ReportCost
{
    private static readonly string[] Nationalities = ["RO", "NG", "TH", "UA", "SE", "VN", "SY", "AF", "IQ", "ER", "SO", "PL", "BG", "HU", "CN", "PH", "MA", "AL", "RU", "BR"];

    public static async Task<(int Cases, double ApiSeconds, double RawSeconds)> MeasureAsync(
        string connectionString, string schema, ApiProcess api, NpgsqlDataSource db, int cases, int reps)
    {
        const int Year = 2019;
        await using var provider = History.StoreServices(connectionString, schema);
        var store = provider.GetRequiredService<IDocumentStore>();
        var records = Enumerable.Range(0, cases).Select(i =>
        {
            var subject = Guid.CreateVersion7();
            return new StatisticsRecord
            {
                Id = Guid.CreateVersion7(), SubjectId = subject, CountedSubjectId = subject, Year = Year, Quarter = (i % 4) + 1,
                RegisteredAt = new DateTimeOffset(Year, 1 + (i % 12), 1 + (i % 28), 10, 0, 0, TimeSpan.Zero), Region = (1 + (i % 21)).ToString("00", System.Globalization.CultureInfo.InvariantCulture),
                ReportingOrgType = (i % 3) switch { 0 => OrgType.Police, 1 => OrgType.SocialServices, _ => OrgType.NGO },
                Age = i % 5 == 0 ? StatisticsAge.Child : StatisticsAge.Adult, Gender = i % 3 == 0 ? Gender.Male : Gender.Female,
                CitizenshipCategory = CitizenshipCategory.ThirdCountry, Nationality = Nationalities[i % Nationalities.Length],
                Purposes = i % 7 == 0 ? [ExploitationPurpose.SexualExploitation, ExploitationPurpose.ForcedLabour] : i % 2 == 0 ? [ExploitationPurpose.SexualExploitation] : [ExploitationPurpose.ForcedLabour],
                LabourSector = i % 2 == 1 ? (LabourSector)(i % 9) : null, DeclaredAt = i % 3 == 0 ? new DateTimeOffset(Year, 6, 1, 0, 0, 0, TimeSpan.Zero) : null,
            };
        }).ToList();
        // One person in ten was reported twice: the second case is linked to the first (R18).
        for (var i = 1; i < records.Count; i += 10)
        {
            records[i] = records[i] with { CountedSubjectId = records[i - 1].CountedSubjectId };
        }

        await store.BulkInsertDocumentsAsync(records);

        var auditor = api.Client("Auditor", "bench-report");
        var url = $"/api/v1/statistics/reports/{Year}?purpose=benchmark+of+the+yearly+report";
        (await auditor.GetAsync(url)).EnsureSuccessStatusCode(); // warm-up
        var (apiTimes, rawTimes) = (new List<double>(), new List<double>());
        for (var r = 0; r < reps; r++)
        {
            var watch = Stopwatch.StartNew();
            (await auditor.GetAsync(url)).EnsureSuccessStatusCode();
            apiTimes.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            await using var command = db.CreateCommand($"select data from {schema}.mt_doc_statisticsrecord where CAST(data ->> 'Year' as integer) = {Year}");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(0);
            }

            rawTimes.Add(watch.Elapsed.TotalSeconds);
        }

        return (cases, apiTimes.Order().ElementAt(apiTimes.Count / 2), rawTimes.Order().ElementAt(rawTimes.Count / 2));
    }
}
